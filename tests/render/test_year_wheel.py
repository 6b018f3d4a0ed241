"""The årshjul: the SVG and its text alternative on the subscription page, read back as XML and
HTML; the badges' layout; the PDFs read back with pypdf (and pdffonts where installed)."""

from __future__ import annotations

import math
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from datetime import date, datetime, timezone
from html.parser import HTMLParser
from io import BytesIO
from pathlib import Path

import pytest
from pypdf import PdfReader

from motesplats.build import SECRET_FILE, build
from motesplats.identifiers import unguessable
from motesplats.outputs import Request
from motesplats.render import year_wheel, year_wheel_pdf
from motesplats.render.subscription_page import public_wheels
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace
from tests.conftest import copy_example

NOW = datetime(2018, 3, 1, 8, 0, tzinfo=timezone.utc)
SECRET = "6d6f7465" * 16
SVG = "{http://www.w3.org/2000/svg}"
PUBLIC_2018 = ["Mälartinget 2018", "Mälardalsrådet i Almedalen 2018"]


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> Path:
    """The example workspace with its page and year wheels built once."""
    root = copy_example(tmp_path_factory.mktemp("wheel") / "ws")
    (root / SECRET_FILE).write_text(SECRET + "\n", encoding="ascii")
    build(open_workspace(root), Request(("page", "year-wheel")), now=NOW)
    return root


def _plan(root: Path):
    return check_workspace(open_workspace(root), today=date(2018, 1, 1)).plan


class _Page(HTMLParser):
    """The page's inline SVG (as text, to parse as XML) and its wheel list's entries and months."""

    def __init__(self, text: str):
        super().__init__()
        self.svg = text[text.index('<svg xmlns="http://www.w3.org/2000/svg" class="year-wheel"'):]
        self.svg = self.svg[:self.svg.index("</svg>") + len("</svg>")]
        self.ids: set[str] = set()
        self.entries: list[str] = []
        self.months: list[str] = []
        self._in_list = 0
        self._now: list[str] | None = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
        if attrs.get("id") == "year-wheel-list-2018":
            self._in_list = 1
        elif self._in_list and tag == "div":
            self._in_list += 1
        if self._in_list and tag in ("li", "h3"):
            self._now = []

    def handle_endtag(self, tag):
        if self._in_list and tag in ("li", "h3") and self._now is not None:
            (self.entries if tag == "li" else self.months).append(" ".join("".join(self._now).split()))
            self._now = None
        if self._in_list and tag == "div":
            self._in_list -= 1

    def handle_data(self, data):
        if self._now is not None:
            self._now.append(data)


def _page(root: Path) -> tuple[str, _Page]:
    text = (root / "build" / "index.html").read_text(encoding="utf-8")
    return text, _Page(text)


def test_the_page_shows_the_wheel_as_an_accessible_svg(example):
    _, page = _page(example)
    svg = ElementTree.fromstring(page.svg)
    assert svg.get("role") == "img" and svg.get("viewBox") and svg.get("width") is None  # sized by CSS
    title = svg.find(f"{SVG}title")
    assert title is not None and title.text == "Årshjul 2018 – Mälardalsrådet"
    assert svg.get("aria-labelledby") == title.get("id")
    described_by = svg.get("aria-describedby").split()
    assert svg.find(f"{SVG}desc").get("id") == described_by[0]
    assert described_by[1] == "year-wheel-list-2018" and "year-wheel-list-2018" in page.ids
    assert not [element for element in svg.iter() if element.get("href") or element.get("{http://www.w3.org/1999/xlink}href")]
    months = [element.text for element in svg.iter(f"{SVG}text")][:12]
    assert months == ["Januari", "Februari", "Mars", "April", "Maj", "Juni", "Juli", "Augusti", "September",
                      "Oktober", "November", "December"]


def test_the_text_alternative_lists_every_public_event_of_the_year_in_date_order(example):
    text, page = _page(example)
    assert page.months == ["Maj", "Juli"]
    assert page.entries == ["tor 17 maj – fre 18 maj Mälartinget 2018", "sön 1 jul – sön 8 jul Mälardalsrådet i Almedalen 2018"]
    badges = [element.text for element in ElementTree.fromstring(page.svg).iter(f"{SVG}text")][12:14]
    assert badges == ["1", "2"]  # numbered as the list is
    assert 'href="year/2018.sv.pdf"' in text


def test_the_page_shows_this_year_or_the_next_with_public_events(example_files):
    plan = _plan(example_files)
    wheels = {wheel.year: wheel for wheel in public_wheels(plan, "sv")}

    def public_wheel(plan, language, today):  # the wheel the page opens on `today`
        return wheels[year_wheel.year_to_show(tuple(wheels), today)]

    assert public_wheel(plan, "sv", date(2018, 12, 31)).year == 2018
    assert public_wheel(plan, "sv", date(2019, 1, 1)).year == 2020
    assert public_wheel(plan, "sv", date(2026, 6, 1)).year == 2020  # nothing coming: the latest
    assert [e.label for e in public_wheel(plan, "sv", date(2019, 1, 1)).entries] == \
        ["Undertecknande av samarbetsavtal mellan Region Stockholm och Regionen Île-de-France"]


def test_a_hostile_title_is_text_on_the_page_and_in_the_pdf(tiny):
    tiny.write("events/konferens.toml", (tiny.root / "events" / "konferens.toml").read_text(encoding="utf-8")
               .replace('sv = "Konferensen"', 'sv = "<script>alert(1)</script> & Co"'))
    build(open_workspace(tiny.root), Request(("page", "year-wheel")), now=NOW)
    text, page = _page(tiny.root)
    assert "<script>" not in text
    assert page.entries == ["tor 17 maj – fre 18 maj <script>alert(1)</script> & Co"]
    tooltips = [element.text for element in ElementTree.fromstring(page.svg).iter(f"{SVG}title")]
    assert "1. tor 17 maj – fre 18 maj: <script>alert(1)</script> & Co" in tooltips
    pdf = (tiny.root / "build" / "year" / "2018.sv.pdf").read_bytes()
    assert "<script>alert(1)</script> & Co" in _text(pdf)


def test_private_meetings_and_deadlines_are_on_the_secretariats_wheel_only(example_files):
    plan = _plan(example_files)
    public = year_wheel.wheel(plan, 2018, "sv", public=True)
    full = year_wheel.wheel(plan, 2018, "sv", public=False)
    assert [e.label for e in public.entries] == PUBLIC_2018
    assert public.rings == ("events",)
    labels = [e.label for e in full.entries]
    assert set(PUBLIC_2018) | {"Styrelsemöte 16 mars 2018", "Rådsmöte 2018", "Studieresa till Berlin 2018",
                               "Kallelse skickas senast: Styrelsemöte 16 mars 2018",
                               "Justeringen anslås senast: Rådsmöte 2018"} <= set(labels)
    assert full.rings == ("events", "meetings", "deadlines")
    assert [(e.first, e.ring) for e in full.entries] == sorted(
        ((e.first, e.ring) for e in full.entries), key=lambda pair: (pair[0], year_wheel.RINGS.index(pair[1])))


def _assert_readable(wheel: year_wheel.Wheel, crowded: bool = False) -> None:
    """Every entry has one badge, inside its ring, overlapping no other badge; nor, unless the wheel
    is so crowded that badges move far from their days, another's leader."""
    shape = year_wheel.layout(wheel)
    assert sorted(b.number for b in shape.badges) == list(range(1, len(wheel.entries) + 1))
    bands = {band.ring: band for band in shape.bands}
    for badge in shape.badges:
        distance = math.hypot(badge.x, badge.y)
        band = bands[badge.ring]
        assert band.inner <= distance - badge.radius + 1e-6 and distance + badge.radius <= band.outer + 1e-6
        assert badge.ring == wheel.entries[badge.number - 1].ring
    for n, one in enumerate(shape.badges):
        for other in shape.badges[n + 1:]:
            assert math.dist((one.x, one.y), (other.x, other.y)) >= one.radius + other.radius, (one, other)
        for other in () if crowded else shape.badges:
            if other is not one and other.leader:
                x1, y1, x2, y2 = other.leader
                for t in (i / 20 for i in range(21)):
                    assert math.dist((one.x, one.y), (x1 + t * (x2 - x1), y1 + t * (y2 - y1))) >= one.radius


def test_badges_do_not_overlap_on_the_secretariats_crowded_wheel(example_files):
    for year in (2018, 2020):
        _assert_readable(year_wheel.wheel(_plan(example_files), year, "sv", public=False))


def test_badges_do_not_overlap_when_forty_events_fall_in_one_week(tiny):
    events = "".join(f"""
[[event]]
id = "seminarium-{n}"
kind = "conference"
title = "Seminarium {n}"
start = 2018-12-{25 + n % 7:02d}T09:00:00
end = 2018-12-{25 + n % 7:02d}T12:00:00
venue = "ukk"
audiences = ["public"]
organiser = "testradet"
""" for n in range(40))
    tiny.write("events/seminarier.toml", events)
    wheel = year_wheel.wheel(_plan(tiny.root), 2018, "sv", public=True)
    assert len(wheel.entries) == 41
    _assert_readable(wheel, crowded=True)
    pdf = year_wheel_pdf.render(wheel)
    assert all(f"Seminarium {n}" in _text(pdf) for n in range(40))


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_the_pdfs_hold_the_list_in_embedded_noto_sans(example):
    folder = example / "build" / "year"
    public = (folder / "2018.sv.pdf").read_bytes()
    secret = unguessable(SECRET.encode(), "year:2018")
    full = (folder / f"2018-{secret}.sv.pdf").read_bytes()
    public_text, full_text = _text(public), _text(full)
    assert "Årshjul 2018" in public_text and "Öppna evenemang" in public_text
    assert all(title in public_text for title in PUBLIC_2018)
    assert "Styrelsemöte" not in public_text and "senast" not in public_text
    assert "Kallelse skickas senast: Styrelsemöte 21 september 2018" in full_text
    reader = PdfReader(BytesIO(full))
    assert len(reader.pages) == 1 and reader.pages[0].mediabox.width > reader.pages[0].mediabox.height  # A4 landscape
    assert reader.metadata.title == "Årshjul 2018 – Mälardalsrådet" and reader.metadata.author == "Mälardalsrådet"
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            assert "NotoSans" in str(font["/BaseFont"])
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            assert "/FontFile2" in descendant["/FontDescriptor"]
    if shutil.which("pdffonts"):
        lines = subprocess.run(["pdffonts", str(folder / f"2018-{secret}.sv.pdf")], check=True, capture_output=True,
                               text=True).stdout.splitlines()[2:]
        assert lines and all("NotoSans" in line.split()[0] and line.split()[-5] == "yes" for line in lines)


def test_the_public_wheels_have_plain_names_and_the_secretariats_unguessable_ones(example):
    built = sorted(path.name for path in (example / "build" / "year").iterdir())
    expected = ["2018.sv.pdf", "2020.sv.pdf"] + \
        [f"{year}-{unguessable(SECRET.encode(), f'year:{year}')}.sv.pdf" for year in (2018, 2020)]
    assert built == sorted(expected)
    page = (example / "build" / "index.html").read_text(encoding="utf-8")
    assert not [name for name in built if "-" in name and name in page], "the page links the secretariat's wheel"


def test_a_ring_crowded_by_a_political_week_shows_its_entries_by_the_week():
    from datetime import date
    from types import SimpleNamespace
    from motesplats.render import year_wheel
    week = [year_wheel.Entry(date(2018, 7, 2 + n % 7), date(2018, 7, 2 + n % 7), "events", f"Seminarium {n}")
            for n in range(300)]
    others = [year_wheel.Entry(date(2018, m, 10), date(2018, m, 10), "events", f"Möte {m}") for m in (3, 9)]
    plan = SimpleNamespace(settings=SimpleNamespace(organisation="Mälardalsrådet"))
    wheel = year_wheel.wheel_of(plan, tuple(others + week), 2018, "sv", True)
    labels = [entry.label for entry in wheel.entries]
    assert labels[0] == "Möte 3" and labels[-1] == "Möte 9"
    grouped = [entry for entry in wheel.entries if "denna vecka" in entry.label]
    assert sum(int(entry.label.split()[0]) for entry in grouped) == 300  # every seminar counted, in its week
    assert len(wheel.entries) == 2 + 1  # the week of seminars is one entry
    year_wheel.layout(wheel)  # and it is laid out without overlaps


class _Wheels(HTMLParser):
    """The page's year wheels: (year, open) of each <details>, and the SVG titles."""

    def __init__(self, text: str):
        super().__init__()
        self.wheels: list[tuple[str, bool]] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "details" and attrs.get("id", "").startswith("year-wheel-"):
            self.wheels.append((attrs["id"].removeprefix("year-wheel-"), "open" in attrs))


@pytest.mark.parametrize("today, opened", [(datetime(2018, 3, 1, 12, tzinfo=timezone.utc), "2018"),
                                           (datetime(2026, 12, 2, 12, tzinfo=timezone.utc), "2020")])
def test_the_page_shows_every_years_wheel_with_the_coming_one_open(tmp_path, today, opened):
    """2018, when everything happens, is on the page even when built years later; 2020 too."""
    root = copy_example(tmp_path / "ws")
    (root / SECRET_FILE).write_text(SECRET + "\n", encoding="ascii")
    build(open_workspace(root), Request(("page",)), now=today)
    text = (root / "build" / "index.html").read_text(encoding="utf-8")
    assert _Wheels(text).wheels == [("2018", opened == "2018"), ("2020", opened == "2020")]
    for year in ("2018", "2020"):
        assert f'href="year/{year}.sv.pdf"' in text and f'id="year-wheel-list-{year}"' in text
    assert "Mälartinget 2018" in text and "Almedalen 2018" in text
