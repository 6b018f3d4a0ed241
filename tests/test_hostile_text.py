"""Arbitrary text in every text and address field: a problem at file:line, or feeds that parse
with exactly the entries the plan has. Never a traceback, never an entry nobody wrote."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import datetime, timezone
from pathlib import Path

import icalendar
from hypothesis import HealthCheck, given, settings, strategies as st

from motesplats.build import SECRET_FILE, build
from motesplats.outputs import Request
from motesplats.problems import ProblemsFound
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace

NOW = datetime(2018, 4, 1, 12, 0, tzinfo=timezone.utc)
FIELDS = ("title", "description", "session_title", "url", "organiser_name", "organiser_url", "venue_name",
          "venue_address", "base_url", "person_name")
SAFE = {"title": "Konferensen", "description": "Om regionen", "session_title": "Öppning",
        "url": "https://example.org/konferens", "organiser_name": "Testrådet",
        "organiser_url": "https://example.org", "venue_name": "UKK", "venue_address": "Vaksalagatan 1",
        "base_url": "https://calendar.example.org", "person_name": "Åsa Öberg"}
# Lines that end a property and start an entry of their own, and other things attackers try.
HOSTILE = st.sampled_from([
    "https://x.example/\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nSUMMARY:forged\r\nEND:VEVENT",
    "a\nEND:VCALENDAR\nBEGIN:VCALENDAR", "javascript:alert(1)", "\x00\x1b[31mred", "mailto:a@b.se\r\nX:y",
    "<script>alert(1)</script>", "\\n;,:\"'", "ÅÄÖ Île-de-France Łukasz Şükrü Nguyễn", "",
])


def _toml(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's (with \\u for control characters)."""
    return json.dumps(text, ensure_ascii=False)


def _write(root: Path, values: dict[str, str]) -> None:
    (root / "events").mkdir(parents=True)
    (root / "calendars").mkdir()
    (root / SECRET_FILE).write_text("ab" * 32 + "\n", encoding="ascii")
    (root / "motesplats.toml").write_text(f"""organisation = "Testrådet"
time_zone = "Europe/Stockholm"
languages = ["sv", "en"]
base_url = {_toml(values["base_url"])}
audiences = ["public"]

[[organiser]]
id = "testradet"
name = {_toml(values["organiser_name"])}
url = {_toml(values["organiser_url"])}
""", encoding="utf-8")
    (root / "events" / "venues.toml").write_text(f"""[[venue]]
id = "ukk"
name = {_toml(values["venue_name"])}
address = {_toml(values["venue_address"])}
city = "Uppsala"
""", encoding="utf-8")
    rows = io.StringIO()
    writer = csv.writer(rows, delimiter=";", lineterminator="\n")
    writer.writerows([["id", "namn", "roll"], ["asa-oberg", values["person_name"], "ledamot"]])
    (root / "events" / "board.csv").write_text(rows.getvalue(), encoding="utf-8")
    (root / "events" / "konferens.toml").write_text(f"""[[event]]
id = "konferens"
kind = "conference"
title = {_toml(values["title"])}
description = {_toml(values["description"])}
url = {_toml(values["url"])}
start = 2018-05-17T09:00:00
end = 2018-05-17T16:00:00
venue = "ukk"
audiences = ["public"]
organiser = "testradet"
participants = ["board"]

[[event.session]]
id = "opening"
title = {_toml(values["session_title"])}
start = 2018-05-17T09:00:00
end = 2018-05-17T10:00:00
speakers = ["asa-oberg"]
""", encoding="utf-8")
    (root / "calendars" / "public.toml").write_text('name = "Öppet"\naudiences = ["public"]\nsessions = "all"\n',
                                                    encoding="utf-8")


def _entries(root: Path) -> dict[str, int]:
    """VEVENTs per feed file, as the independent icalendar parser reads them."""
    found = {}
    for path in sorted((root / "build" / "calendars").rglob("*.ics")):
        calendar = icalendar.Calendar.from_ical(path.read_bytes())
        found[path.relative_to(root / "build").as_posix()] = len(calendar.walk("VEVENT"))
    return found


def _outcome(values: dict[str, str]) -> tuple[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        _write(root, values)
        checked = check_workspace(open_workspace(root))
        if checked.errors:
            for problem in checked.errors:
                assert problem.file and problem.line >= 1, problem
                assert "\r" not in str(problem) and "\n" not in str(problem), problem
            return "problems", None
        try:
            build(open_workspace(root), Request(("feeds",)), now=NOW)
        except ProblemsFound as found:
            raise AssertionError(f"check passed but build found problems: {found.problems}")
        return "built", _entries(root)


EXPECTED = _outcome(SAFE)[1]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(field=st.sampled_from(FIELDS), text=st.one_of(st.text(max_size=40), HOSTILE))
def test_arbitrary_text_in_any_field_is_a_problem_or_changes_no_entry_count(field, text):
    kind, entries = _outcome({**SAFE, field: text})
    if kind == "built":
        assert entries == EXPECTED


def test_a_forged_entry_in_a_url_is_refused_at_its_line():
    forged = "https://x.example/\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil@x\r\nEND:VEVENT"
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        _write(root, {**SAFE, "url": forged})
        (error,) = check_workspace(open_workspace(root)).errors
        assert (error.file, error.line) == ("events/konferens.toml", 6)
        assert "line break" in error.message


def test_javascript_addresses_are_refused():
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "ws"
        _write(root, {**SAFE, "organiser_url": "javascript:alert(1)"})
        (error,) = check_workspace(open_workspace(root)).errors
        assert error.file == "motesplats.toml" and "must begin with http:, https: or mailto:" in error.message
