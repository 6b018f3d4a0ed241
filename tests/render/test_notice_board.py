"""The notice board (anslagstavla): its dates read against the real calendar through what `build`
writes (the page, the Atom feed, the iCalendar feed and the sealed notice), the archive, the
announcements of meetings, old records, escaping, and the page in a real browser with axe."""

from __future__ import annotations

import io
import json
import re
import shutil
from datetime import date, datetime, timedelta, timezone
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree

import icalendar
import pytest
from pypdf import PdfReader

from motesplats.build import SECRET_FILE, build
from motesplats.outputs import Request
from motesplats.problems import is_error
from motesplats.records.folder import digest
from motesplats.records.notice_dates import latest_posting
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace

MARCH = "styrelsemote-2018-03-16"
JUNE = "styrelsemote-2018-06-08"
SEPTEMBER = "styrelsemote-2018-09-21"
COUNCIL = "malartinget-2018.radsmote"
EVENTS = "events/styrelsemoten-2018.toml"
BOARD = Request(("minutes", "notice-board", "page"))
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def workspace(example_files: Path) -> Path:
    (example_files / SECRET_FILE).write_text("ab" * 32 + "\n", encoding="ascii")
    return example_files


def on(day: date) -> datetime:
    """Ten in the morning, Swedish time, on `day`."""
    return datetime(day.year, day.month, day.day, 8, tzinfo=timezone.utc)


class Board(HTMLParser):
    """The page's notices by id: the section they are in, their facts (label -> text and the
    datetime of a <time>), their links; and the headings in order."""

    def __init__(self, text: str):
        super().__init__()
        self.notices: dict[str, dict] = {}
        self.order: list[str] = []
        self.headings: list[str] = []
        self.tags: list[str] = []
        self.lang = ""
        self._section = self._notice = self._cell = None
        self._label = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        if tag == "html":
            self.lang = attrs.get("lang", "")
        if tag in ("h1", "h2", "h3", "h4"):
            self.headings.append(tag)
        if tag == "section":
            self._section = attrs.get("id")
        if tag == "article":
            self._notice = {"section": self._section, "facts": {}, "times": {}, "links": {}, "text": []}
            self.notices[attrs["id"]] = self._notice
            self.order.append(attrs["id"])
        if self._notice is None:
            return
        if tag in ("dt", "dd", "a"):
            self._cell = tag
            if tag == "dt":
                self._label = ""
            if tag == "a":
                self._href = attrs["href"]
                self._notice["links"][self._href] = ""
        if tag == "time" and self._cell == "dd":
            self._notice["times"][self._label] = attrs["datetime"]

    def handle_endtag(self, tag):
        if tag == "article":
            self._notice = None
        if tag in ("dt", "dd", "a"):
            self._cell = None

    def handle_data(self, data):
        if self._notice is None:
            return
        self._notice["text"].append(data)
        if self._cell == "dt":
            self._label += data
        elif self._cell == "dd":
            facts = self._notice["facts"]
            facts[self._label] = facts.get(self._label, "") + data
        elif self._cell == "a":
            self._notice["links"][self._href] += data


def built(root: Path, day: date, request: Request = BOARD):
    report = build(open_workspace(root), request, now=on(day))
    folder = root / "build" / "notice-board"
    page = Board((folder / "index.html").read_text(encoding="utf-8"))
    atom = ElementTree.fromstring((folder / "notices.atom").read_bytes())
    calendar = icalendar.Calendar.from_ical((folder / "notices.ics").read_bytes())
    return report, page, atom, calendar


def atom_entry(atom, notice_id: str):
    return next(e for e in atom.iter(f"{ATOM}entry") if e.find(f"{ATOM}id").text.endswith(f"#{notice_id}"))


def vevent(calendar, notice_id: str):
    return next(e for e in calendar.walk("VEVENT") if str(e["UID"]).startswith(f"notice-board.{notice_id}@"))


def edit(path: Path, old: str, new: str, after: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    at = text.index(old, text.index(after) if after else 0)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


WRITTEN = {MARCH: ("2018-03-23", "2018-03-26"), JUNE: ("2018-06-13", "2018-06-14")}


def repost(root: Path, meeting: str, adjusted: date, posted: date | None) -> None:
    """A board meeting's minutes adjusted and posted anew, its record not yet sealed."""
    shutil.rmtree(root / "records" / "board" / "2018" / meeting)
    events, (was_adjusted, was_posted) = root / EVENTS, WRITTEN[meeting]
    edit(events, f"adjusted = {was_adjusted}", f"adjusted = {adjusted}", f'id = "{meeting}"')
    edit(events, f"posted = {was_posted}\n", f"posted = {posted}\n" if posted else "", f'id = "{meeting}"')


@pytest.mark.parametrize("posted, last_day", [
    (date(2019, 3, 29), date(2019, 4, 23)),   # ends on långfredagen; påskafton, påskdagen, annandag påsk
    (date(2018, 6, 1), date(2018, 6, 25)),    # ends on midsommarafton; midsommardagen, Sunday
    (date(2018, 12, 3), date(2018, 12, 27)),  # ends on julafton; juldagen, annandag jul
    (date(2018, 12, 10), date(2019, 1, 2)),   # ends on nyårsafton; nyårsdagen
    (date(2018, 6, 17), date(2018, 7, 9)),    # posted on a Sunday: ends on a Sunday
])
def test_the_last_day_to_appeal_on_the_board_runs_past_closed_days(workspace, posted, last_day):
    adjusted = posted - timedelta(days=1)
    repost(workspace, MARCH, adjusted, posted)
    report, page, atom, calendar = built(workspace, posted)
    notice_id = f"adjustment-{MARCH}"
    notice = page.notices[notice_id]
    assert notice["section"] == "current"
    assert notice["times"] == {"Sammanträdesdatum": "2018-03-16", "Datum för justering": adjusted.isoformat(),
                               "Datum för anslags uppsättande": posted.isoformat(),
                               "Sista dag att överklaga": last_day.isoformat(),
                               "Datum för anslags nedtagande": (last_day + timedelta(days=1)).isoformat()}
    assert notice["facts"]["Förvaringsplats för protokollet"] == "Mälardalsrådets kansli, Stockholm"
    months = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september", "oktober",
              "november", "december"]
    swedish = f"{last_day.day} {months[last_day.month - 1]} {last_day.year}"
    assert notice["facts"]["Sista dag att överklaga"] == swedish
    assert f"förvaltningsrätten och ha kommit in dit inom tre veckor" in "".join(notice["text"])
    # The Atom entry, updated the day it was posted; the calendar entry, posted day to coming-down day.
    entry = atom_entry(atom, notice_id)
    assert entry.find(f"{ATOM}updated").text.startswith(posted.isoformat())
    assert f"Sista dag att överklaga: {swedish}" in entry.find(f"{ATOM}content").text
    event = vevent(calendar, notice_id)
    assert event.decoded("DTSTART") == posted and event.decoded("DTEND") == last_day + timedelta(days=2)
    # The notice sealed in the record says the same, and is published byte for byte.
    record = workspace / "records" / "board" / "2018" / MARCH
    facts = json.loads((record / "facts.json").read_bytes())
    assert facts["notice"] == {"posted": posted.isoformat(), "last_appeal_day": last_day.isoformat(),
                               "taken_down": (last_day + timedelta(days=1)).isoformat(),
                               "kept_at": "Mälardalsrådets kansli, Stockholm"}
    published = workspace / "build" / "notice-board" / f"{MARCH}.notice.sv.pdf"
    assert published.read_bytes() == (record / "notice.sv.pdf").read_bytes()
    assert f"{MARCH}.notice.sv.pdf" in notice["links"]
    text = " ".join(PdfReader(io.BytesIO(published.read_bytes())).pages[0].extract_text().split())
    assert "Anslag om justerat protokoll".upper() in text and f"Sista dag att överklaga {swedish}" in text
    assert "förvaltningsrätten" in text and "13 kap. kommunallagen" in text and len(PdfReader(published).pages) == 1


def test_without_a_posting_date_the_notice_goes_up_the_day_it_is_sealed(workspace):
    repost(workspace, JUNE, date(2018, 6, 13), None)
    report, page, _, _ = built(workspace, date(2018, 6, 15))
    facts = json.loads((workspace / "records" / "board" / "2018" / JUNE / "facts.json").read_bytes())
    assert facts["minutes"]["posted"] is None and facts["notice"]["posted"] == "2018-06-15"
    assert page.notices[f"adjustment-{JUNE}"]["times"]["Datum för anslags uppsättande"] == "2018-06-15"
    errors = lambda: [p for p in check_workspace(open_workspace(workspace)).problems if is_error(p)]  # noqa: E731
    assert errors() == []  # the data's missing posting date is not a difference from the record
    edit(workspace / EVENTS, "adjusted = 2018-06-13\n", "adjusted = 2018-06-13\nposted = 2018-06-15\n")
    assert errors() == []  # nor is the day the record has
    edit(workspace / EVENTS, "posted = 2018-06-15", "posted = 2018-06-18")
    assert [p.message for p in errors()] == [f"posted (none → '2018-06-18') of {JUNE} differs from its sealed record "
                                             f"records/board/2018/{JUNE}"]


def test_a_record_sealed_before_notices_is_on_the_board_and_still_published_byte_for_byte(workspace):
    """A record sealed without a notice (as motesplats sealed them before notices were), and one whose
    minutes gave no posting date: dates from its facts and the organ's roster, no notice PDF to link."""
    record = workspace / "records" / "board" / "2018" / SEPTEMBER
    facts = json.loads((record / "facts.json").read_bytes())
    del facts["notice"]
    (record / "notice.sv.pdf").unlink()
    facts["minutes"]["posted"] = None
    (record / "facts.json").write_bytes(json.dumps(facts, ensure_ascii=False, sort_keys=True, indent=1).encode() + b"\n")
    manifest = json.loads((record / "manifest.json").read_bytes())
    manifest["files"]["facts.json"] = digest((record / "facts.json").read_bytes())
    del manifest["files"]["notice.sv.pdf"]
    manifest["sealed_at"] = "2018-09-27T22:30:00+00:00"  # after midnight in Stockholm: sealed on 28 September
    (record / "manifest.json").write_text(json.dumps(manifest, indent=1), encoding="utf-8")
    edit(workspace / EVENTS, "posted = 2018-09-27\n", "", f'id = "{SEPTEMBER}"')
    report, page, atom, calendar = built(workspace, date(2018, 10, 1))
    notice = page.notices[f"adjustment-{SEPTEMBER}"]
    assert notice["section"] == "current"
    assert notice["times"]["Datum för anslags uppsättande"] == "2018-09-28"
    assert notice["times"]["Sista dag att överklaga"] == "2018-10-19"
    assert notice["facts"]["Förvaringsplats för protokollet"] == "Mälardalsrådets kansli, Stockholm"
    assert sorted(notice["links"]) == [f"../minutes/{SEPTEMBER}.sv.html", f"../minutes/{SEPTEMBER}.sv.pdf"]
    assert not any(f"{SEPTEMBER}.notice" in path.name for path in (workspace / "build" / "notice-board").iterdir())
    for name in manifest["files"]:
        if name.endswith((".pdf", ".html")):
            shown = name.removeprefix("minutes.").removeprefix("extract.")
            assert (workspace / "build" / "minutes" / f"{SEPTEMBER}.{shown}").read_bytes() == (record / name).read_bytes()
    assert vevent(calendar, f"adjustment-{SEPTEMBER}").decoded("DTSTART") == date(2018, 9, 28)


def test_notices_that_have_come_down_stay_in_the_archive_newest_first(workspace):
    _, page, atom, calendar = built(workspace, date(2018, 12, 10))
    sections = [page.notices[n]["section"] for n in page.order]
    assert sections == sorted(sections, key=["current", "archive"].index)  # current first
    assert [n for n in page.order if page.notices[n]["section"] == "current"] == ["adjustment-styrelsemote-2018-11-30"]
    archived = [n for n in page.order if page.notices[n]["section"] == "archive"]
    assert archived == ["adjustment-styrelsemote-2018-09-21", "adjustment-styrelsemote-2018-06-08",
                        f"adjustment-{COUNCIL}", f"announcement-{COUNCIL}", "adjustment-styrelsemote-2018-03-16"]
    posted = [page.notices[n]["times"]["Datum för anslags uppsättande"] for n in archived]
    assert posted == sorted(posted, reverse=True)
    # The 2020 meeting's notice is not up yet: on neither the page nor the feeds.
    assert not any("regionstyrelsen" in n for n in page.order)
    assert len(list(atom.iter(f"{ATOM}entry"))) == len(calendar.walk("VEVENT")) == 6
    ids = {e.find(f"{ATOM}id").text for e in atom.iter(f"{ATOM}entry")}
    assert len(ids) == 6 and atom.find(f"{ATOM}updated").text == "2018-12-05T00:00:00+01:00"
    # Another day, the same ids and UIDs: readers and calendars recognise each notice again.
    _, _, atom_later, calendar_later = built(workspace, date(2019, 6, 1))
    assert {e.find(f"{ATOM}id").text for e in atom_later.iter(f"{ATOM}entry")} == ids
    assert {str(e["UID"]) for e in calendar_later.walk("VEVENT")} == {str(e["UID"]) for e in calendar.walk("VEVENT")}


@pytest.mark.parametrize("today, where", [
    (date(2018, 5, 10), None), (date(2018, 5, 11), "current"), (date(2018, 5, 18), "current"),
    (date(2018, 5, 19), "archive"),
])
def test_a_meeting_is_announced_from_a_week_before_until_its_day(workspace, today, where):
    _, page, atom, calendar = built(workspace, today)
    notice = page.notices.get(f"announcement-{COUNCIL}")
    assert (notice["section"] if notice else None) == where
    if notice is None:
        assert not any(e.find(f"{ATOM}id").text.endswith(f"announcement-{COUNCIL}") for e in atom.iter(f"{ATOM}entry"))
        return
    assert notice["times"]["Datum för anslags uppsättande"] == "2018-05-11"
    assert notice["times"]["Datum för anslags nedtagande"] == "2018-05-18"
    assert notice["facts"]["Tid"] == "09:45–12:00" and "Stora salen" in notice["facts"]["Plats"]
    agenda = notice["facts"]["Ärenden"]
    assert agenda.startswith("Mötets öppnande") and "Val av två justerare tillika rösträknare" in agenda
    event = vevent(calendar, f"announcement-{COUNCIL}")
    assert event.decoded("DTSTART") == date(2018, 5, 11) and event.decoded("DTEND") == date(2018, 5, 19)


def test_a_late_posting_warns_and_the_board_shows_it_as_posted(workspace):
    wednesday = date(2018, 6, 13)
    assert wednesday.weekday() == 2 and latest_posting(wednesday) == date(2018, 6, 15)
    repost(workspace, JUNE, wednesday, date(2018, 6, 16))
    report, page, _, _ = built(workspace, date(2018, 6, 16))
    late = [p.message for p in report.warnings if "posted" in p.message]
    assert late == ["the notice of adjustment was posted 3 days after the adjustment; KL 8 kap. 12 § wants it by "
                    "the second day after, here 2018-06-15"]
    assert page.notices[f"adjustment-{JUNE}"]["times"]["Datum för anslags uppsättande"] == "2018-06-16"


def test_a_monday_posting_after_a_friday_adjustment_is_in_time(workspace):
    friday = date(2018, 6, 15)
    assert friday.weekday() == 4 and latest_posting(friday) == date(2018, 6, 18)  # Sunday runs to Monday
    repost(workspace, JUNE, friday, date(2018, 6, 18))
    report, page, _, _ = built(workspace, date(2018, 6, 18))
    assert not [p for p in report.warnings if "posted" in p.message]
    assert page.notices[f"adjustment-{JUNE}"]["section"] == "current"


def test_organisers_text_is_text_on_the_page_and_in_the_feeds(workspace):
    hostile = '<script>alert("x")</script> & råd'
    edit(workspace / "events" / "rosters.toml", 'sv = "Mälardalsrådets råd"', f"sv = '{hostile}'")
    _, page, atom, calendar = built(workspace, date(2018, 5, 12))
    assert "script" not in page.tags
    assert page.notices[f"announcement-{COUNCIL}"]["facts"]["Organ"] == hostile
    assert hostile in atom_entry(atom, f"announcement-{COUNCIL}").find(f"{ATOM}title").text
    assert hostile in str(vevent(calendar, f"announcement-{COUNCIL}")["SUMMARY"])


def test_the_subscription_page_links_the_notice_board(workspace):
    built(workspace, date(2018, 6, 20))
    page = (workspace / "build" / "index.html").read_text(encoding="utf-8")
    assert '<a href="notice-board/">Anslagstavlan: justerade protokoll' in page


def test_the_page_is_accessible_in_a_real_browser(workspace, tmp_path):
    """WCAG 2.1 A and AA as axe-core checks them, at 320 px wide and at 200 % zoom, with a visible focus."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    _, board, _, _ = built(workspace, date(2018, 6, 20))
    assert board.lang == "sv" and board.headings[:2] == ["h1", "h2"]
    assert all(int(b[1]) - int(a[1]) <= 1 for a, b in zip(board.headings, board.headings[1:]))  # none skipped
    address = (workspace / "build" / "notice-board" / "index.html").as_uri()
    chromium = shutil.which("chromium")
    assert chromium, "the browser test needs Debian's chromium: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=["--no-sandbox", "--disable-gpu"])
        try:
            for width, scale in ((320, 1), (1280, 1), (640, 2)):  # 1280 px at 200 %: as 640 px
                page = browser.new_page(viewport={"width": width, "height": 800}, device_scale_factor=scale)
                page.goto(address)
                result = Axe().run(page, options={"runOnly": {"type": "tag", "values": [
                    "wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}})
                assert result.violations_count == 0, result.generate_report()
                assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
                landmarks = page.evaluate("[...document.querySelectorAll('header, main, footer')].map(e => e.tagName)")
                assert landmarks == ["HEADER", "MAIN", "FOOTER"]
                page.keyboard.press("Tab")
                outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
                assert page.evaluate("document.activeElement.tagName") == "A" and outline != "none"
                page.screenshot(path=str(tmp_path / f"board-{width}.png"), full_page=True)
                page.close()
        finally:
            browser.close()


CONTENT_LINE = re.compile(r'[A-Za-z0-9-]+(;[A-Za-z0-9-]+=("[^"]*"|[^";:,]*)(,("[^"]*"|[^";:,]*))*)*:.*')


def components(text: bytes) -> list[tuple[str, int]]:
    """RFC 5545 read strictly: lines ending in CRLF, unfolded, each a content line, BEGIN and END
    nested; each component's name with how many components it holds, outermost first."""
    assert text.endswith(b"\r\n") and b"\n" not in text.replace(b"\r\n", b"")
    lines: list[str] = []
    for line in text.decode("utf-8").split("\r\n")[:-1]:
        if line[:1] in (" ", "\t"):
            lines[-1] += line[1:]
        else:
            lines.append(line)
    found, open_ = [], []
    for line in lines:
        assert CONTENT_LINE.fullmatch(line), line
        name, _, value = line.partition(":")
        if name == "BEGIN":
            if open_:
                found[open_[-1]][1] += 1
            open_.append(len(found))
            found.append([value, 0])
        elif name == "END":
            assert open_ and found[open_.pop()][0] == value, line
        else:
            assert open_, line
    assert not open_
    return [(name, count) for name, count in found]


def test_an_empty_notice_board_is_still_a_valid_calendar(workspace):
    """Before any notice has gone up the feed holds the workspace's time zone, as every feed does:
    RFC 5545 wants a calendar to hold at least one component."""
    _, page, atom, calendar = built(workspace, date(2018, 1, 2))
    assert not page.notices and not calendar.walk("VEVENT")
    text = (workspace / "build" / "notice-board" / "notices.ics").read_bytes()
    found = components(text)
    assert found[0][0] == "VCALENDAR" and found[0][1] >= 1
    assert [name for name, _ in found if name == "VCALENDAR"] == ["VCALENDAR"]
    (zone,) = calendar.walk("VTIMEZONE")
    assert str(zone["TZID"]) == calendar["X-WR-TIMEZONE"] == "Europe/Stockholm"
    # Once notices are up, the zone is still there, and each calendar file reads strictly.
    _, page, _, calendar = built(workspace, date(2018, 6, 20))
    assert page.notices and calendar.walk("VEVENT") and calendar.walk("VTIMEZONE")
    assert components((workspace / "build" / "notice-board" / "notices.ics").read_bytes())[0][0] == "VCALENDAR"
