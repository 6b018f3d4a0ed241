"""The subscription page: valid, self-contained HTML with working links for each public feed."""

from __future__ import annotations

from datetime import datetime, timezone
from html.parser import HTMLParser
from urllib.parse import parse_qs, urlsplit

from motesplats.build import build
from motesplats.workspace import open_workspace

NOW = datetime(2018, 4, 1, 12, 0, tzinfo=timezone.utc)


class Page(HTMLParser):
    """Collects what the tests look at: tags with attributes, text, and the html lang."""

    def __init__(self, text: str):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)

    def all(self, tag: str) -> list[dict]:
        return [attrs for name, attrs in self.tags if name == tag]


def _page(tiny) -> tuple[str, Page]:
    build(open_workspace(tiny.root), now=NOW)
    text = (tiny.root / "build" / "index.html").read_text(encoding="utf-8")
    return text, Page(text)


def test_page_lists_each_public_feed_with_its_links(tiny):
    tiny.write("calendars/hidden.toml", 'name = "Dold"\naudiences = ["board"]\npublic = false\n')
    text, page = _page(tiny)
    assert page.all("html")[0]["lang"] == "sv"
    links = [attrs["href"] for attrs in page.all("a")]
    assert "webcal://calendar.example.org/calendars/public.ics" in links
    google = next(link for link in links if link.startswith("https://calendar.google.com/"))
    assert parse_qs(urlsplit(google).query)["cid"] == ["webcal://calendar.example.org/calendars/public.ics"]
    outlook = next(link for link in links if link.startswith("https://outlook.live.com/"))
    assert parse_qs(urlsplit(outlook).query)["url"] == ["https://calendar.example.org/calendars/public.ics"]
    assert [attrs["value"] for attrs in page.all("input")] == ["https://calendar.example.org/calendars/public.ics"]
    assert "Dold" not in text, "feeds marked public = false are not listed"
    assert len([attrs for attrs in page.all("svg") if "qr" in attrs.get("class", "")]) == 1
    assert 'xmlns="http://www.w3.org/2000/svg"><title>QR-kod för kalendern Öppet</title><path' in text


def test_ids_are_unique_with_several_feeds(tiny):
    tiny.write("calendars/styrelsen.toml", 'name = "Styrelsen"\naudiences = ["board"]\n')
    _, page = _page(tiny)
    ids = [attrs["id"] for _, attrs in page.tags if "id" in attrs]
    assert len([attrs for attrs in page.all("svg") if "qr" in attrs.get("class", "")]) == 2
    assert len(ids) == len(set(ids))


def test_page_loads_nothing_from_elsewhere(tiny):
    _, page = _page(tiny)
    for tag, attrs in page.tags:
        assert not (attrs.get("src") or "").startswith(("http", "//")), tag
        if tag == "link":
            assert not attrs.get("href", "").startswith(("http", "//"))
    assert not page.all("script") and not page.all("img")


def test_feed_names_are_text_not_markup(tiny):
    tiny.write("calendars/public.toml", 'name = "<script>alert(1)</script> & Co"\naudiences = ["public"]\n')
    text, page = _page(tiny)
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; Co" in text
    assert not page.all("script")


def test_a_template_in_the_workspace_overrides_the_built_in_one(tiny):
    tiny.write("templates/subscribe.html", "<!DOCTYPE html><html lang=\"{{ language }}\"><title>Egen</title>"
                                          "{% for feed in feeds %}<p>{{ feed.name }}</p>{% endfor %}</html>\n")
    text, _ = _page(tiny)
    assert "<title>Egen</title>" in text and "<p>Öppet</p>" in text


def test_page_links_the_programmes_of_public_events_only(tiny):
    tiny.append("events/konferens.toml", "")
    tiny.write("events/styrelse.toml", """
        [[event]]
        id = "styrelsemote"
        kind = "formal_meeting"
        title = "Styrelsemöte"
        start = 2018-09-21T10:00:00
        end = 2018-09-21T12:00:00
        audiences = ["board"]
    """)
    text, page = _page(tiny)
    links = [attrs["href"] for attrs in page.all("a")]
    assert "programmes/konferens.sv.html" in links and "programmes/konferens.sv.pdf" in links
    assert not any("styrelsemote" in link for link in links)
    assert (tiny.root / "build" / "programmes" / "konferens.sv.html").is_file(), "the links lead somewhere"
