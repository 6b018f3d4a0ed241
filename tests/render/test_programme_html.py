"""The programme as a web page: parsed back into elements, checked for what readers and screen readers rely on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pytest

from motesplats.render import programme_html
from motesplats.render.programme import build_programme
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace
from tests.conftest import REPOSITORY

EMAIL = re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    children: list = field(default_factory=list)  # Elements and strings
    parent: Element | None = None

    @property
    def text(self) -> str:
        return "".join(child if isinstance(child, str) else child.text for child in self.children)

    @property
    def words(self) -> str:
        """The text with runs of white space made single spaces, as a browser shows it."""
        return " ".join(self.text.split())

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def all(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> list[Element]:
        found = []
        for child in self.children:
            if isinstance(child, Element):
                if (tag is None or child.tag == tag) and (cls is None or cls in child.classes) and \
                        all(child.attrs.get(name) == value for name, value in attrs.items()):
                    found.append(child)
                found += child.all(tag, cls, **attrs)
        return found

    def one(self, tag: str | None = None, cls: str | None = None, **attrs: str) -> Element:
        found = self.all(tag, cls, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag} class={cls} {attrs}>"
        return found[0]

    def language(self) -> str:
        """The language in force at this element (the nearest lang attribute)."""
        element: Element | None = self
        while element is not None:
            if "lang" in element.attrs:
                return element.attrs["lang"]
            element = element.parent
        return ""


class Document(HTMLParser):
    """A tiny tree builder: enough structure to ask which cell, row or column holds what."""

    def __init__(self, text: str):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {})
        self.open = [self.root]
        self.doctype = ""
        self.feed(text)
        self.close()

    def handle_decl(self, decl):
        self.doctype = decl

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {name: value or "" for name, value in attrs}, parent=self.open[-1])
        self.open[-1].children.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_startendtag(self, tag, attrs):
        self.open[-1].children.append(Element(tag, {name: value or "" for name, value in attrs}, parent=self.open[-1]))

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        assert self.open[-1].tag == tag, f"</{tag}> closes <{self.open[-1].tag}>"
        self.open.pop()

    def handle_data(self, data):
        self.open[-1].children.append(data)

    def __getattr__(self, name):
        return getattr(self.root, name)


@pytest.fixture(scope="module")
def plan():
    return check_workspace(open_workspace(REPOSITORY)).plan


def render(plan, event_id: str, language: str = "sv", templates: Path | None = None) -> tuple[str, Document]:
    programme = build_programme(plan, plan.event(event_id), language)
    text = programme_html.render(programme, templates, plan.settings.organisation).decode("utf-8")
    return text, Document(text)


def every_page(plan):
    for event in plan.events:
        for language in ("sv", "en", "fr") if event.kind in ("ceremony", "conference") else ("sv", "en"):
            yield event, language


def _slot_of(page: Document, session_id: str) -> Element:
    element = page.one("article", id=f"session-{session_id}")
    while "slot" not in element.classes:
        element = element.parent
    return element


def _agenda_items(within) -> list[Element]:
    return [li for li in within.one("ol", cls="agenda").children if isinstance(li, Element) and li.tag == "li"]


# -- the conference ---------------------------------------------------------------------------------


def test_conference_lists_each_session_with_its_time_and_room(plan):
    _, page = render(plan, "malartinget-2018")
    keynote = _slot_of(page, "keynote-individen")
    times = keynote.one(cls="when").all("time")
    assert [t.attrs["datetime"] for t in times] == ["2018-05-17T10:30+02:00", "2018-05-17T11:15+02:00"]
    assert keynote.one(cls="when").words == "10:30–11:15"
    article = page.one("article", id="session-keynote-individen")
    assert article.one("h4").words == "Individen i en global kunskapsregion"
    assert article.one(cls="where").words == "Stora salen"
    assert "Amira Haddad" in article.one("dl", cls="people").words
    # a session in another venue of the event names that venue too
    assert page.one("article", id="session-middag").one(cls="where").words == "Rikssalen, Uppsala slott"
    # every session of the event is on the page, once
    assert sorted(a.attrs["id"] for a in page.all("article", cls="session")) == \
        sorted(f"session-{s.id}" for s in plan.event("malartinget-2018").sessions)


def test_parallel_sessions_stand_side_by_side_one_per_room(plan):
    _, page = render(plan, "malartinget-2018")
    seminars = _slot_of(page, "seminarium-en-battre-sits")
    assert "parallel-slot" in seminars.classes
    cards = seminars.one("ol", cls="parallel").all("article")
    assert [card.one(cls="room-first").words for card in cards] == ["Sal B", "Sal C", "Sal D"]
    assert seminars.one(cls="when").words == "13:00–14:15"
    party_groups = _slot_of(page, "partigrupp-s").one("ol", cls="parallel").all("article")
    assert len(party_groups) == 8
    # a session alone in its time is a slot of its own, not a grid
    assert "parallel-slot" not in _slot_of(page, "keynote-individen").classes


@pytest.mark.parametrize("language, thursday, friday", [
    ("sv", "torsdag 17 maj 2018", "fredag 18 maj 2018"),
    ("en", "Thursday 17 May 2018", "Friday 18 May 2018"),
    ("fr", "jeudi 17 mai 2018", "vendredi 18 mai 2018"),
])
def test_days_are_written_in_the_readers_language(plan, language, thursday, friday):
    _, page = render(plan, "malartinget-2018", language)
    assert page.one("html").attrs["lang"] == language
    headings = page.all("h3", cls="day-heading")
    assert [h.words for h in headings] == [thursday, friday]
    assert [h.one("time").attrs["datetime"] for h in headings] == ["2018-05-17", "2018-05-18"]
    header_dates = page.one("header").one("dl", cls="facts").all("dd")[0].all("time")
    assert header_dates[-1].words == friday and header_dates[0].attrs["datetime"] == "2018-05-17"


def test_conference_shows_the_agenda_of_the_council_meeting_within_it(plan):
    _, page = render(plan, "malartinget-2018")
    meeting = page.one("section", id="meeting-radsmote")
    assert meeting.one("h2").words == "Rådsmöte 2018"
    numbers = [li.attrs["value"] for li in _agenda_items(meeting)]
    assert numbers == [str(n) for n in range(1, 14)]
    # the timetable points at it rather than repeating it
    assert page.one("article", id="session-radsmote").one("a").attrs["href"] == "#meeting-radsmote"
    assert "Mälardalsrådets råd (200 ledamöter)" in meeting.words


# -- formal meetings --------------------------------------------------------------------------------


def test_agenda_is_numbered_with_presenter_proposal_and_documents(plan):
    _, page = render(plan, "styrelsemote-2018-03-16")
    items = _agenda_items(page)
    assert [li.attrs["value"] for li in items] == [str(n) for n in range(1, 13)]
    assert [li.one("h3").words for li in items[:3]] == [
        "1. Mötets öppnande", "2. Val av justerare", "3. Godkännande av dagordning"]
    report = items[4]
    assert report.one("h3").words == "5. Verksamhetsberättelse 2017"
    terms = [dt.words for dt in report.all("dt")]
    assert terms == ["Föredragande", "Förslag till beslut", "Handlingar"]
    assert report.all("dd")[0].words.startswith("Ulrika Granström")
    assert report.one("dd", cls="proposal").words == \
        "Styrelsen godkänner verksamhetsberättelsen för 2017 och överlämnar den till rådet."
    assert [li.words for li in report.all("dd")[2].all("li")] == ["Förslag till verksamhetsberättelse 2017"]
    # the invited speaker comes before the meeting, in the programme
    assert "Gunnar Frisk" in page.one("article", id="session-inbjuden-talare").words


def test_proposal_keeps_its_line_breaks(plan):
    text, page = render(plan, "regionstyrelsen-2020-01-28")
    proposal = _agenda_items(page)[3].one("dd", cls="proposal")
    assert "pre" in proposal.classes and "\n1. Samarbetsavtal" in proposal.text
    assert "Bakgrund" in [dt.words for dt in _agenda_items(page)[3].all("dt")]


def test_board_meeting_summons_19_members_chair_first_and_19_deputies(plan):
    _, page = render(plan, "styrelsemote-2018-06-08")
    members = page.one("table", id="members-board").one("tbody").all("tr")
    deputies = page.one("table", id="deputies-board").one("tbody").all("tr")
    assert len(members) == 19 and len(deputies) == 19
    assert members[0].one("th").words == "Anna-Karin Lindqvist" and members[0].all("td")[0].words == "ordförande"
    assert {row.all("td")[0].words for row in members[1:3]} == {"vice ordförande"}
    assert {row.all("td")[0].words for row in deputies} == {"ersättare"}
    assert page.one("table", id="members-board").one("caption").words == "Ledamöter (19)"


# -- the festival week ------------------------------------------------------------------------------


def test_festival_lists_our_activities_by_day_with_their_place(plan):
    _, page = render(plan, "almedalen-2018")
    days = page.one("section", id="programme").all("section", cls="day")
    assert [d.one("h3").words for d in days] == ["måndag 2 juli 2018", "tisdag 3 juli 2018", "onsdag 4 juli 2018"]
    seminar = page.one("article", id="session-seminarium-en-battre-matchning")
    assert seminar.one(cls="where").words == "Hörsal 1, Almedalsbiblioteket, Cramérgatan 5, Visby"
    assert _slot_of(page, "seminarium-en-battre-matchning").one(cls="when").words == "13:00–14:00"
    tentative = page.one("article", id="session-seminarium-innovation")
    assert tentative.one("span", cls="status").words == "preliminärt"


# -- the study trip ---------------------------------------------------------------------------------


def test_legs_depart_and_arrive_in_their_own_local_time(plan):
    text, page = render(plan, "berlin-studieresa-2018")
    flight = page.one("li", id="leg-utresa")
    depart, arrive = flight.one("dl", cls="leg-times").all("time")
    assert depart.attrs["datetime"] == "2018-10-10T07:05+02:00" and depart.words == "07:05 (CEST, Stockholm)"
    assert arrive.attrs["datetime"] == "2018-10-10T08:50+02:00" and arrive.words == "08:50 (CEST, Berlin)"
    assert "SAS SK 2677" in flight.words
    # a coach within Berlin needs no zone
    coach = page.one("li", id="leg-tegel-till-hotellet").one("dl", cls="leg-times").all("time")
    assert [t.words for t in coach] == ["09:20", "10:00"]
    assert page.one("section", id="hotel").one("h3").words == "Scandic Berlin Potsdamer Platz"
    days = page.one("section", id="itinerary").all("section", cls="day")
    assert len(days) == 3 and len(days[0].all("li", cls="leg")) == 7


def test_leg_across_an_offset_keeps_both_local_offsets(tiny):
    tiny.append("events/venues.toml", """
        [[venue]]
        id = "heathrow"
        name = "London Heathrow"
        city = "London"
        time_zone = "Europe/London"
        """)
    tiny.write("events/resa.toml", """
        [[event]]
        id = "london"
        kind = "study_trip"
        title = "Studieresa till London"
        start = 2018-05-20T06:00:00
        end = 2018-05-20T18:00:00
        audiences = ["board"]

        [[event.leg]]
        id = "dit"
        mode = "flight"
        from = "arlanda"
        to = "heathrow"
        depart = 2018-05-20T07:05:00
        arrive = 2018-05-20T09:10:00
        carrier = "SAS"
        booking = "ZZ9PLR"
        """)
    checked = tiny.check()
    _, page = render(checked.plan, "london")
    depart, arrive = page.one("li", id="leg-dit").one("dl", cls="leg-times").all("time")
    assert depart.attrs["datetime"] == "2018-05-20T07:05+02:00"
    assert arrive.attrs["datetime"] == "2018-05-20T09:10+01:00" and arrive.words == "09:10 (BST, London)"
    assert "ZZ9PLR" not in page.words


# -- the ceremony -----------------------------------------------------------------------------------


@pytest.mark.parametrize("reader", ["sv", "en", "fr"])
def test_ceremony_sets_swedish_and_french_side_by_side_as_equals(plan, reader):
    _, page = render(plan, "signering-ile-de-france-2020", reader)
    assert page.one("html").attrs["lang"] == reader
    columns = page.all("article", cls="language")
    assert [c.attrs["lang"] for c in columns] == ["sv", "fr"]
    assert columns[0].classes == columns[1].classes and columns[0].parent is columns[1].parent
    assert "bilingual" in columns[0].parent.classes
    sv, fr = columns
    assert "torsdag 13 februari 2020" in sv.words and "jeudi 13 février 2020" in fr.words
    assert sv.one("h2", id="programme-sv").words == "Program" and fr.one("h2", id="programme-fr").words == "Programme"
    assert "Undertecknande av samarbetsavtalet" in sv.words and "Signature de l'accord de coopération" in fr.words
    assert "Signature de l" not in sv.words and "Undertecknande av samarbetsavtalet" not in fr.words
    titles = page.one("h1").all("span")
    assert [(t.attrs["lang"], t.words[:12]) for t in titles] == [("sv", "Undertecknan"), ("fr", "Signature de")]
    # the agreement's milestones: the written one wins over the derived one on the same day
    assert len(sv.one("ol", cls="milestones").all("li")) == 4


# -- every page -------------------------------------------------------------------------------------


def test_every_page_is_one_language_with_headings_in_order(plan):
    for event, language in every_page(plan):
        _, page = render(plan, event.id, language)
        where = f"{event.id} ({language})"
        assert page.doctype.lower() == "doctype html", where
        assert page.one("html").attrs["lang"] == language, where
        levels = [int(e.tag[1]) for e in _headings(page.root)]
        assert levels[0] == 1 and levels.count(1) == 1, where
        for before, after in zip(levels, levels[1:]):
            assert after <= before + 1, f"{where}: h{before} then h{after}"
        ids = [element.attrs["id"] for element in page.all() if "id" in element.attrs]
        assert len(ids) == len(set(ids)), f"{where}: an id used twice"
        targets = {element.attrs["href"][1:] for element in page.all("a") if element.attrs.get("href", "").startswith("#")}
        assert targets <= set(ids), f"{where}: links to nothing: {targets - set(ids)}"
        for tag in ("header", "main", "footer"):
            assert len(page.all(tag)) == 1, f"{where}: {tag}"
        assert page.one("meta", name="viewport")


def _headings(element: Element) -> list[Element]:
    found = []
    for child in element.children:
        if isinstance(child, Element):
            if re.fullmatch(r"h[1-6]", child.tag):
                found.append(child)
            found += _headings(child)
    return found


def test_every_table_has_a_caption_and_header_cells_with_scope(plan):
    tables = 0
    for event, language in every_page(plan):
        _, page = render(plan, event.id, language)
        for table in page.all("table"):
            tables += 1
            assert table.one("caption").words, event.id
            assert table.all("th") and all(th.attrs.get("scope") in ("col", "row") for th in table.all("th"))
    assert tables >= 8


def test_times_and_dates_are_machine_readable(plan):
    pattern = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}[+-]\d{2}:\d{2})?")
    for event, language in every_page(plan):
        _, page = render(plan, event.id, language)
        times = page.all("time")
        assert times, event.id
        for element in times:
            assert pattern.fullmatch(element.attrs.get("datetime", "")), (event.id, element.attrs)


def test_pages_load_nothing_from_elsewhere(plan):
    for event, language in every_page(plan):
        text, page = render(plan, event.id, language)
        assert not page.all("script") and not page.all("img") and not page.all("iframe"), event.id
        for element in page.all():
            for name in ("src", "href", "srcset", "data", "poster", "action"):
                value = element.attrs.get(name, "")
                assert not value.startswith(("http:", "https:", "//")), (event.id, element.tag, value)
        for link in page.all("link"):
            assert link.attrs.get("rel") != "stylesheet", event.id
        style = page.one("style").text
        assert "url(" not in style and "@import" not in style and "@font-face" not in style


def test_print_stylesheet_gives_a4_pages(plan):
    _, page = render(plan, "malartinget-2018")
    style = page.one("style").text
    assert re.search(r"@page\s*{[^}]*size:\s*A4", style)
    print_rules = style[style.index("@media print"):]
    assert "break-inside: avoid" in print_rules and "break-after: avoid" in print_rules
    assert ".toc" in print_rules and "display: none" in print_rules


def test_no_email_address_or_booking_reference_appears(plan):
    emails = {person.email for person in plan.people if person.email}
    emails |= {organiser.email for organiser in plan.organisers if organiser.email}
    bookings = {leg.booking for event in plan.events for leg in event.legs if leg.booking}
    assert emails and bookings
    for event, language in every_page(plan):
        text, page = render(plan, event.id, language)
        assert not [email for email in emails if email in text], event.id
        assert not EMAIL.search(page.one("body").text), event.id
        assert not [booking for booking in bookings if booking in text], event.id
        assert "mailto:" not in text


def test_title_is_escaped_never_markup(tiny):
    hostile = '<script>alert(1)</script> & "x"'
    tiny.write("events/konferens.toml", (tiny.root / "events/konferens.toml").read_text().replace(
        'title = { sv = "Konferensen", en = "The conference" }', f"title = '{hostile}'").replace(
        'title = "Öppning"', f"title = '{hostile}'"))
    checked = tiny.check()
    text, page = render(checked.plan, "konferens")
    assert "<script>" not in text and not page.all("script")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in text
    assert page.one("h1").words == hostile
    assert page.one("article", id="session-opening").one("h4").words == hostile


def test_a_workspace_template_overrides_the_built_in_one(tiny):
    plan = tiny.check().plan
    templates = tiny.root / "templates"
    _, built_in = render(plan, "konferens", templates=templates)
    assert not built_in.all(id="own")
    tiny.write("templates/programme/conference.html", """\
        {% extends "programme/base.html" %}
        {% block main %}<p id="own">Vårt eget program för {{ p.title }}</p>{% endblock %}
        """)
    _, page = render(plan, "konferens", templates=templates)
    assert page.one("p", id="own").words == "Vårt eget program för Konferensen"
    assert page.one("h1").words == "Konferensen", "the built-in base still frames the page"
    assert not page.all("section", id="programme")


def test_cancelled_session_and_an_event_without_sessions(tiny):
    tiny.append("events/konferens.toml", """
        [[event.session]]
        id = "stangt"
        title = "Inställt seminarium"
        start = 2018-05-17T11:00:00
        end = 2018-05-17T12:00:00
        room = "sal-b"
        status = "cancelled"

        [[event]]
        id = "tomt"
        kind = "conference"
        title = "Tom konferens"
        start = 2018-06-01
        end = 2018-06-01
        audiences = ["public"]
        """)
    plan = tiny.check().plan
    _, page = render(plan, "konferens", "en")
    cancelled = page.one("article", id="session-stangt")
    assert "cancelled-session" in cancelled.classes and cancelled.one("span", cls="status").words == "cancelled"
    _, empty = render(plan, "tomt")
    assert empty.one("h1").words == "Tom konferens" and not empty.all("section", id="programme")
    assert empty.one("header").one("time").attrs["datetime"] == "2018-06-01"


def test_every_kind_has_a_built_in_template():
    folder = Path(programme_html.__file__).parent.parent / "data" / "templates" / "programme"
    assert {path.stem for path in folder.glob("*.html")} >= {*programme_html.KINDS, "base"}


def test_festival_activities_follow_the_clock_even_when_they_overlap(tiny):
    tiny.write("events/vecka.toml", """
        [[event]]
        id = "vecka"
        kind = "festival_week"
        title = "Veckan"
        start = 2018-07-01
        end = 2018-07-02
        audiences = ["public"]
        venue = "ukk"

        [[event.session]]
        id = "a"
        title = "Lång i sal B"
        start = 2018-07-01T08:00:00
        end = 2018-07-01T12:00:00
        room = "sal-b"

        [[event.session]]
        id = "b"
        title = "Sen i sal A"
        start = 2018-07-01T11:00:00
        end = 2018-07-01T11:30:00
        room = "sal-a"

        [[event.session]]
        id = "c"
        title = "Tidig i sal A"
        start = 2018-07-01T09:00:00
        end = 2018-07-01T10:00:00
        room = "sal-a"
        """)
    _, page = render(tiny.check().plan, "vecka")
    assert [a.attrs["id"] for a in page.all("article", cls="session")] == ["session-a", "session-c", "session-b"]
    assert [w.words for w in page.all(cls="when")] == ["08:00–12:00", "09:00–10:00", "11:00–11:30"]


def test_a_session_only_for_an_audience_the_event_is_not_for_stays_out(tiny):
    tiny.append("events/konferens.toml", """
        [[event.session]]
        id = "intern"
        title = "Internt planeringsmöte"
        start = 2018-05-17T12:00:00
        end = 2018-05-17T13:00:00
        audiences = ["board"]
    """)
    from motesplats.render import programme_html, programme_pdf
    from motesplats.render.programme import build_programme
    from pypdf import PdfReader
    import io

    plan = tiny.check().plan
    programme = build_programme(plan, plan.event("konferens"), "sv")
    assert "Internt planeringsmöte" not in programme_html.render(programme, None).decode()
    pdf = PdfReader(io.BytesIO(programme_pdf.render(programme)))
    assert "Internt planeringsmöte" not in "".join(page.extract_text() for page in pdf.pages)
