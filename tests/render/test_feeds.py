"""Feeds as subscribers' apps read them: parsed by the independent `icalendar` package, and raw RFC 5545 rules."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import icalendar
import pytest

from motesplats.build import SECRET_FILE, build
from motesplats.problems import ProblemsFound
from motesplats.render.feeds import personal_path
from motesplats.workspace import SEQUENCE_FILE
from motesplats.workspace import open_workspace
from tests.conftest import REPOSITORY

NOW = datetime(2018, 4, 1, 12, 0, tzinfo=timezone.utc)


def _build(workspace, now=NOW):
    return build(open_workspace(workspace.root), now=now)


def _board_feed(workspace) -> Path:
    """The board's feed: not public, so published under a name only the secret gives."""
    (found,) = (workspace.root / "build" / "calendars").glob("board-*.ics")
    return found


def _calendar(path: Path) -> icalendar.Calendar:
    return icalendar.Calendar.from_ical(path.read_bytes())


def _events(path: Path) -> dict[str, icalendar.Event]:
    return {str(event["UID"]): event for event in _calendar(path).walk("VEVENT")}


@pytest.fixture
def feeds_workspace(tiny):
    """The tiny workspace with a second session, a Berlin leg event and an organiser with a comma."""
    tiny.write("motesplats.toml", (tiny.root / "motesplats.toml").read_text().replace(
        'name = "Testrådet"', 'name = "Testrådet, kansliet"'))
    tiny.append("events/konferens.toml", """
        [[event.session]]
        id = "panel"
        kind = "panel"
        title = { sv = "Panel; om \\"allt\\", och mer", en = "Panel" }
        description = "Rad ett\\nRad två med <b>markup</b> & Łukasz, Şükrü, Nguyễn"
        start = 2018-05-17T10:00:00
        end = 2018-05-17T11:00:00
        room = "sal-b"
        moderators = ["bo-ek"]
    """)
    tiny.write("events/resa.toml", """
        [[event]]
        id = "berlin"
        kind = "study_trip"
        title = "Berlinresan"
        start = 2018-10-10T07:00:00
        end = 2018-10-10T18:00:00
        audiences = ["board"]
        participants = ["board"]

        [[event.leg]]
        id = "ut"
        mode = "flight"
        from = "arlanda"
        to = "tegel"
        depart = 2018-10-10T07:05:00
        arrive = 2018-10-10T08:55:00
        number = "SK 2675"
        booking = "ABC123"
    """)
    tiny.append("calendars/public.toml", 'sessions = "all"\n')
    tiny.write("calendars/board.toml", """
        name = "Styrelsen"
        audiences = ["board"]
        sessions = "all"
        public = false
    """)
    return tiny


def test_every_feed_parses_and_every_event_has_uid_and_dtstamp(feeds_workspace):
    _build(feeds_workspace)
    for path in sorted((feeds_workspace.root / "build" / "calendars").rglob("*.ics")):
        calendar = _calendar(path)
        assert calendar["VERSION"] == "2.0"
        assert "motesplats" in str(calendar["PRODID"])
        for event in calendar.walk("VEVENT"):
            assert event.get("UID") and event.get("DTSTAMP"), path


def test_raw_text_is_crlf_folded_at_75_octets_without_splitting_characters(feeds_workspace):
    _build(feeds_workspace)
    for path in (feeds_workspace.root / "build" / "calendars").rglob("*.ics"):
        raw = path.read_bytes()
        assert raw.endswith(b"\r\n")
        assert b"\n" not in raw.replace(b"\r\n", b"")
        for line in raw.split(b"\r\n")[:-1]:
            assert len(line) <= 75, line
            line.decode("utf-8")  # each physical line is whole UTF-8: no character split by folding


def test_times_carry_their_zone_with_a_matching_vtimezone(feeds_workspace):
    _build(feeds_workspace)
    path = _board_feed(feeds_workspace)
    leg = _events(path)["berlin.leg.ut@calendar.example.org"]
    assert leg["DTSTART"].dt == datetime(2018, 10, 10, 7, 5, tzinfo=leg["DTSTART"].dt.tzinfo)
    assert str(leg["DTSTART"].params["TZID"]) == "Europe/Stockholm"
    assert str(leg["DTEND"].params["TZID"]) == "Europe/Berlin"
    assert leg["DTEND"].dt.utcoffset() == timedelta(hours=2)
    zones = {str(zone["TZID"]) for zone in _calendar(path).walk("VTIMEZONE")}
    assert zones == {"Europe/Stockholm", "Europe/Berlin"}


def test_text_and_parameters_are_escaped_and_quoted(feeds_workspace):
    _build(feeds_workspace)
    path = feeds_workspace.root / "build" / "calendars" / "public.ics"
    panel = _events(path)["konferens.panel@calendar.example.org"]
    assert str(panel["SUMMARY"]) == 'Panel; om "allt", och mer'
    assert "Rad ett\nRad två med <b>markup</b> & Łukasz, Şükrü, Nguyễn" in str(panel["DESCRIPTION"])
    assert panel["ORGANIZER"].params["CN"] == "Testrådet, kansliet"
    assert 'ORGANIZER;CN="Testrådet, kansliet":mailto:info@example.org' in \
        path.read_text(encoding="utf-8").replace("\r\n ", "")
    assert str(panel["LOCATION"]) == "Sal B, Uppsala Konsert & Kongress, Uppsala"
    assert panel["GEO"].latitude == pytest.approx(59.8597)


def test_calendar_properties_for_clients_old_and_new(feeds_workspace):
    _build(feeds_workspace)
    calendar = _calendar(feeds_workspace.root / "build" / "calendars" / "public.ics")
    assert str(calendar["NAME"]) == str(calendar["X-WR-CALNAME"]) == "Öppet"
    assert str(calendar["X-WR-TIMEZONE"]) == "Europe/Stockholm"
    assert calendar["REFRESH-INTERVAL"].dt == timedelta(hours=12)
    assert str(calendar["X-PUBLISHED-TTL"]) == "PT12H"
    assert str(calendar["SOURCE"]) == "https://calendar.example.org/calendars/public.ics"


def test_alarms_from_the_feed_definition(feeds_workspace):
    _build(feeds_workspace)
    opening = _events(feeds_workspace.root / "build" / "calendars" / "public.ics")["konferens.opening@calendar.example.org"]
    (alarm,) = opening.walk("VALARM")
    assert alarm["TRIGGER"].dt == timedelta(days=-1)
    assert str(alarm["ACTION"]) == "DISPLAY"


def test_an_edit_raises_the_sequence_of_that_entry_only_and_keeps_uids(feeds_workspace):
    _build(feeds_workspace)
    public = feeds_workspace.root / "build" / "calendars" / "public.ics"
    board = _board_feed(feeds_workspace)
    before, board_before = _events(public), board.read_bytes()
    konferens = (feeds_workspace.root / "events" / "konferens.toml").read_text()
    feeds_workspace.write("events/konferens.toml", konferens.replace('title = "Öppning"', 'title = "Invigning"'))
    later = NOW + timedelta(days=1)
    report = _build(feeds_workspace, now=later)
    after = _events(public)
    assert after.keys() == before.keys()
    opening, panel = "konferens.opening@calendar.example.org", "konferens.panel@calendar.example.org"
    assert (before[opening]["SEQUENCE"], after[opening]["SEQUENCE"]) == (0, 1)
    assert str(after[opening]["SUMMARY"]) == "Invigning" and after[opening]["DTSTAMP"].dt == later
    assert after[panel]["SEQUENCE"] == 0 and after[panel]["DTSTAMP"].dt == NOW
    assert board.read_bytes() == board_before and _board_feed(feeds_workspace).relative_to(feeds_workspace.root / "build").as_posix() not in report.written


def test_an_unchanged_rebuild_rewrites_nothing(feeds_workspace):
    first = _build(feeds_workspace)
    assert first.written
    state = (feeds_workspace.root / SEQUENCE_FILE).read_bytes()
    second = _build(feeds_workspace, now=NOW + timedelta(hours=5))
    assert second.written == [] and second.unchanged == len(first.written)
    assert (feeds_workspace.root / SEQUENCE_FILE).read_bytes() == state


def test_cancelled_and_tentative_events_say_so(feeds_workspace):
    konferens = (feeds_workspace.root / "events" / "konferens.toml").read_text()
    konferens = konferens.replace('organiser = "testradet"', 'organiser = "testradet"\nstatus = "tentative"', 1)
    konferens = konferens.replace('moderators = ["bo-ek"]', 'moderators = ["bo-ek"]\nstatus = "cancelled"')
    feeds_workspace.write("events/konferens.toml", konferens)
    _build(feeds_workspace)
    public = _events(feeds_workspace.root / "build" / "calendars" / "public.ics")
    assert str(public["konferens.opening@calendar.example.org"]["STATUS"]) == "TENTATIVE"
    assert str(public["konferens.panel@calendar.example.org"]["STATUS"]) == "CANCELLED"
    feeds_workspace.append("calendars/public.toml", "include_tentative = false\n")
    _build(feeds_workspace)
    left = _events(feeds_workspace.root / "build" / "calendars" / "public.ics")
    assert left, "entries that leave a feed stay there, cancelled, so subscribers' apps drop them"
    assert {str(event["STATUS"]) for event in left.values()} == {"CANCELLED"}


def test_a_deleted_event_stays_cancelled_for_the_keeping_period(feeds_workspace):
    _build(feeds_workspace)
    (feeds_workspace.root / "events" / "resa.toml").unlink()
    path = _board_feed(feeds_workspace)
    _build(feeds_workspace, now=NOW + timedelta(days=1))
    leg = _events(path)["berlin.leg.ut@calendar.example.org"]
    assert str(leg["STATUS"]) == "CANCELLED" and leg["SEQUENCE"] == 1
    assert leg["DTSTART"].dt.hour == 7 and str(leg["DTEND"].params["TZID"]) == "Europe/Berlin"
    _build(feeds_workspace, now=NOW + timedelta(days=92))
    assert "berlin.leg.ut@calendar.example.org" not in _events(path)


def test_a_feed_in_english_uses_english_titles_and_words(feeds_workspace):
    feeds_workspace.append("calendars/public.toml", 'language = "en"\n')
    _build(feeds_workspace)
    panel = _events(feeds_workspace.root / "build" / "calendars" / "public.ics")["konferens.panel@calendar.example.org"]
    assert str(panel["SUMMARY"]) == "Panel"
    assert "Moderator: Bo Ek (Region Uppsala)" in str(panel["DESCRIPTION"])
    assert [str(c) for c in panel["CATEGORIES"].cats] == ["conference", "panel"]


def test_personal_feeds_hold_exactly_what_each_person_attends_at_an_unguessable_path(feeds_workspace):
    _build(feeds_workspace)
    secret = (feeds_workspace.root / SECRET_FILE).read_text().strip().encode()
    build_dir = feeds_workspace.root / "build"
    bo = _events(build_dir / personal_path(secret, "bo-ek"))
    assert set(bo) == {"konferens.2018-05-17@calendar.example.org", "konferens.2018-05-18@calendar.example.org",
                       "konferens.panel@calendar.example.org", "berlin@calendar.example.org",
                       "berlin.leg.ut@calendar.example.org"}
    assert "ABC123" in str(bo["berlin.leg.ut@calendar.example.org"]["DESCRIPTION"]), "the booking, privately"
    assert len(personal_path(secret, "bo-ek")) == len("calendars/personal/") + 32 + len(".ics")
    assert "bo-ek" not in personal_path(secret, "bo-ek")


def test_rotating_the_secret_revokes_every_old_personal_link(feeds_workspace, cli):
    _build(feeds_workspace)
    personal = feeds_workspace.root / "build" / "calendars" / "personal"
    old = set(personal.iterdir())
    assert cli("--workspace", str(feeds_workspace.root), "rotate-secret").exit_code == 0
    report = _build(feeds_workspace)
    new = set(personal.iterdir())
    assert len(new) == len(old) == 2 and not (new & old)
    old_personal = {p.relative_to(feeds_workspace.root / "build").as_posix() for p in old}
    assert old_personal <= set(report.removed)
    # The other private files (the board's feed and programmes, the secretariat's year wheel) got new names too.
    assert all(path.startswith(("calendars/board-", "programmes/", "year/")) for path in set(report.removed) - old_personal)


def test_no_private_e_mail_or_booking_reaches_a_named_feed(feeds_workspace):
    _build(feeds_workspace)
    for path in (feeds_workspace.root / "build" / "calendars").glob("*.ics"):
        text = path.read_text(encoding="utf-8").replace("\r\n ", "")
        assert "asa@example.org" not in text and "bo@example.org" not in text
        assert "ABC123" not in text


def test_a_failing_build_writes_nothing(feeds_workspace):
    _build(feeds_workspace)
    build_dir = feeds_workspace.root / "build"
    before = {path: path.read_bytes() for path in build_dir.rglob("*") if path.is_file()}
    state = (feeds_workspace.root / SEQUENCE_FILE).read_bytes()
    konferens = feeds_workspace.root / "events" / "konferens.toml"
    konferens.write_text(konferens.read_text().replace('title = "Öppning"', 'title = "Invigning"\nromm = "x"'))
    with pytest.raises(ProblemsFound):
        _build(feeds_workspace, now=NOW + timedelta(days=1))
    assert {path: path.read_bytes() for path in build_dir.rglob("*") if path.is_file()} == before
    assert (feeds_workspace.root / SEQUENCE_FILE).read_bytes() == state


def test_the_example_workspace_feeds_read_the_same_in_icalendar(tmp_path):
    """Every feed of the shipped example, built into a copy, parses and keeps its local times."""
    import shutil
    copy = tmp_path / "example"
    shutil.copytree(REPOSITORY, copy, ignore=shutil.ignore_patterns(".venv", ".git", "build", SECRET_FILE))
    build(open_workspace(copy), now=NOW)
    zones = set()
    for path in (copy / "build" / "calendars").glob("*.ics"):
        for event in _calendar(path).walk("VEVENT"):
            start = event["DTSTART"].dt
            if isinstance(start, datetime):
                zones.add(str(event["DTSTART"].params["TZID"]))
                assert event["DTEND"].dt > start
            else:
                assert isinstance(start, date)
    assert {"Europe/Stockholm", "Europe/Berlin", "Europe/Paris"} <= zones


def test_feeds_read_back_with_the_ics_package_too(feeds_workspace):
    """Our own library's parser agrees with icalendar on what each feed says."""
    import ics

    _build(feeds_workspace)
    for path in (feeds_workspace.root / "build" / "calendars").glob("*.ics"):
        text = path.read_text(encoding="utf-8")
        ours = {event.uid: event for event in ics.Calendar(text).events}
        theirs = _events(path)
        assert ours.keys() == theirs.keys()
        for uid, event in ours.items():
            assert event.name == str(theirs[uid]["SUMMARY"])
            assert event.begin == theirs[uid]["DTSTART"].dt


def test_an_entry_back_in_a_feed_outranks_its_cancelled_copy(feeds_workspace):
    public = feeds_workspace.root / "build" / "calendars" / "public.ics"
    uid = "konferens.panel@calendar.example.org"
    konferens = feeds_workspace.root / "events" / "konferens.toml"
    original = konferens.read_text()
    _build(feeds_workspace)
    konferens.write_text(original.replace('moderators = ["bo-ek"]', 'moderators = ["bo-ek"]\naudiences = ["board"]'))
    _build(feeds_workspace, now=NOW + timedelta(days=1))
    cancelled = _events(public)[uid]
    assert str(cancelled["STATUS"]) == "CANCELLED"
    konferens.write_text(original)
    _build(feeds_workspace, now=NOW + timedelta(days=2))
    back = _events(public)[uid]
    assert str(back["STATUS"]) == "CONFIRMED"
    assert back["SEQUENCE"] > cancelled["SEQUENCE"]


def test_a_change_in_a_language_no_feed_shows_raises_no_sequence(feeds_workspace):
    _build(feeds_workspace)
    public = feeds_workspace.root / "build" / "calendars" / "public.ics"
    before = public.read_bytes()
    konferens = feeds_workspace.root / "events" / "konferens.toml"
    konferens.write_text(konferens.read_text().replace('en = "The conference"', 'en = "The Conference 2018"'))
    _build(feeds_workspace, now=NOW + timedelta(days=1))
    assert public.read_bytes() == before, "every feed and every person reads Swedish here"


def test_a_feed_that_is_not_public_has_an_unguessable_name(feeds_workspace):
    _build(feeds_workspace)
    name = _board_feed(feeds_workspace).name
    assert not (feeds_workspace.root / "build" / "calendars" / "board.ics").exists()
    assert len(name) == len("board-") + 32 + len(".ics")
    (feeds_workspace.root / SECRET_FILE).write_text("cd" * 32 + "\n", encoding="ascii")
    _build(feeds_workspace)
    assert _board_feed(feeds_workspace).name != name  # a new secret revokes the old address
