"""Edits to a TOML file: only what was edited changes, comments and layout stay, data is as meant."""

from __future__ import annotations

import difflib
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from motesplats import fields as spec
from motesplats.editor.edits import Edit, EditRefused, apply_edits, edits_from_json

REPOSITORY = Path(__file__).resolve().parents[2]
BOARD = (REPOSITORY / "events" / "styrelsemoten-2018.toml").read_text(encoding="utf-8")
VENUES = (REPOSITORY / "events" / "venues.toml").read_text(encoding="utf-8")


def edited(text: str, *edits: Edit, record: spec.Record = spec.EVENTS_FILE) -> str:
    return apply_edits(text, record, list(edits), "sv")


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = list(difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="", n=0))
    removed = [line[1:] for line in diff if line.startswith("-") and not line.startswith("---")]
    added = [line[1:] for line in diff if line.startswith("+") and not line.startswith("+++")]
    return removed, added


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def test_setting_a_time_changes_that_line_only():
    after = edited(BOARD, Edit("set", ("event", 0, "start"), "2018-03-16T10:00"))
    assert changed_lines(BOARD, after) == (["start = 2018-03-16T09:30:00"], ["start = 2018-03-16T10:00:00"])
    assert tomllib.loads(after)["event"][0]["start"].hour == 10


def test_one_language_of_a_title_changes_in_its_inline_table():
    after = edited(BOARD, Edit("set", ("event", 0, "title"), {"sv": "Styrelsemöte", "en": "Board meeting 16 March 2018"}))
    removed, added = changed_lines(BOARD, after)
    assert added == ['title = { sv = "Styrelsemöte", en = "Board meeting 16 March 2018" }']
    assert len(removed) == 1


def test_an_agenda_item_added_goes_after_the_last_one_and_before_the_minutes_comment():
    after = edited(BOARD, Edit("add", ("event", 0, "agenda"), {"title": {"sv": "Nytt ärende"},
                                                               "proposal": "Styrelsen beslutar."}))
    data = tomllib.loads(after)
    assert data["event"][0]["agenda"][-1] == {"title": {"sv": "Nytt ärende"}, "proposal": "Styrelsen beslutar."}
    assert comments(after) == comments(BOARD)
    removed, added = changed_lines(BOARD, after)
    assert removed == [] and added[:3] == ["[[event.agenda]]", 'title = { sv = "Nytt ärende" }',
                                           'proposal = "Styrelsen beslutar."']
    lines = after.splitlines()
    header = lines.index('title = { sv = "Nytt ärende" }') - 1
    minutes_comment = next(i for i, line in enumerate(lines) if line.startswith("# The minutes"))
    assert header < minutes_comment < lines.index("[event.minutes]")
    assert lines[header - 2] == 'presenter = "anna-karin-lindqvist"'  # after the meeting's last item


def test_moving_an_item_moves_its_block_and_keeps_everything_else():
    before = tomllib.loads(BOARD)["event"][0]["agenda"]
    after = edited(BOARD, Edit("move", ("event", 0, "agenda"), None, 2, 4))
    moved = tomllib.loads(after)["event"][0]["agenda"]
    assert moved == before[:2] + before[3:5] + [before[2]] + before[5:]
    assert sorted(after.splitlines()) == sorted(BOARD.splitlines())
    assert tomllib.loads(after)["event"][1:] == tomllib.loads(BOARD)["event"][1:]


def test_moving_up_and_removing_an_item():
    before = tomllib.loads(BOARD)["event"][0]["agenda"]
    up = tomllib.loads(edited(BOARD, Edit("move", ("event", 0, "agenda"), None, 5, 0)))["event"][0]["agenda"]
    assert up == [before[5]] + before[:5] + before[6:]
    gone = edited(BOARD, Edit("remove", ("event", 0, "agenda", 3)))
    assert tomllib.loads(gone)["event"][0]["agenda"] == before[:3] + before[4:]
    assert "\n\n\n\n" not in gone


def test_rescheduling_a_meeting_moves_it_and_its_sessions_by_as_much():
    after = edited(BOARD, Edit("reschedule", ("event", 0), "2018-03-23T13:00"))
    event = tomllib.loads(after)["event"][0]
    assert (event["start"].isoformat(), event["end"].isoformat()) == ("2018-03-23T13:00:00", "2018-03-23T16:00:00")
    assert [s["start"].isoformat() for s in event["session"]] == ["2018-03-23T13:00:00", "2018-03-23T14:00:00"]
    removed, added = changed_lines(BOARD, after)
    assert len(removed) == len(added) == 6


def test_cancelling_adds_a_status_line_inside_the_event_before_its_sessions():
    after = edited(BOARD, Edit("set", ("event", 1, "status"), "cancelled"))
    assert changed_lines(BOARD, after) == ([], ['status = "cancelled"'])
    assert tomllib.loads(after)["event"][1]["status"] == "cancelled"
    assert "status" not in tomllib.loads(after)["event"][2]


def test_a_session_added_to_an_event_with_no_sessions_yet_is_its_own():
    text = '[[event]]\nid = "a"\n# keep me\nstart = 2018-01-01\n\n[[event]]\nid = "b"\n'
    after = edited(text, Edit("add", ("event", 0, "session"), {"id": "s", "title": {"sv": "S"}, "start": "2018-01-01T09:00"}))
    data = tomllib.loads(after)
    assert data["event"][0]["session"] == [{"id": "s", "title": {"sv": "S"}, "start": data["event"][0]["session"][0]["start"]}]
    assert "session" not in data["event"][1] and "# keep me" in after


def test_rooms_written_inline_are_edited_inline():
    text = '[[venue]]\nid = "v"\nroom = [{ id = "a", name = "A" }]  # the rooms\n'
    after = edited(text, Edit("add", ("venue", 0, "room"), {"id": "b", "name": "B"}))
    assert tomllib.loads(after)["venue"][0]["room"] == [{"id": "a", "name": "A"}, {"id": "b", "name": "B"}]
    assert "# the rooms" in after


def test_a_value_that_is_no_date_is_written_as_typed_for_the_check_to_report():
    after = edited(BOARD, Edit("set", ("event", 0, "start"), "2018-02-30T09:30"))
    assert tomllib.loads(after)["event"][0]["start"] == "2018-02-30T09:30"


def test_clearing_a_field_removes_its_line():
    after = edited(VENUES, Edit("set", ("venue", 0, "postcode"), ""))
    assert changed_lines(VENUES, after) == (['postcode = "753 20"'], [])


@pytest.mark.parametrize("record", [
    [{"op": "set", "path": ["event", 0, "nonsense"], "value": "x"}],
    [{"op": "set", "path": ["event", 0, "agenda"], "value": []}],
    [{"op": "move", "path": ["event", 0, "agenda"], "from": 0, "to": 99}],
    [{"op": "remove", "path": ["event", 9, "agenda", 0]}],
    [{"op": "reschedule", "path": ["event", 0], "value": "2018-03-23"}],
    [{"op": "reschedule", "path": ["event", 0], "value": "9999-12-31T23:00"}],  # its end: past the calendar
    [{"op": "add", "path": ["event", 0, "agenda"], "value": {"colour": "red"}}],
    [{"op": "drop", "path": []}],
    "not a list",
])
def test_an_edit_that_does_not_fit_the_file_is_refused(record):
    with pytest.raises(EditRefused):
        apply_edits(BOARD, spec.EVENTS_FILE, edits_from_json(record), "sv")


AGENDA = tomllib.loads(BOARD)["event"][0]["agenda"]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.integers(0, len(AGENDA) - 1), st.integers(0, len(AGENDA) - 1)), min_size=1, max_size=5))
def test_any_moves_keep_every_line_and_comment_and_put_items_where_asked(moves):
    expected = list(AGENDA)
    edits = []
    for source, target in moves:
        expected.insert(target, expected.pop(source))
        edits.append(Edit("move", ("event", 0, "agenda"), None, source, target))
    after = edited(BOARD, *edits)
    assert tomllib.loads(after)["event"][0]["agenda"] == expected
    assert comments(after) == comments(BOARD)
    assert sorted(line for line in after.splitlines() if line.strip()) == \
        sorted(line for line in BOARD.splitlines() if line.strip())


def test_values_typed_into_a_new_entry_are_written_in_its_block():
    after = edited(BOARD, Edit("add", ("event", 0, "agenda"), {}),
                   Edit("set", ("event", 0, "agenda", 12, "title"), {"sv": "Nytt"}),
                   Edit("set", ("event", 0, "start"), "2018-03-16T09:00"),
                   Edit("set", ("event", 0, "agenda", 12, "presenter"), "ulrika-granstrom"))
    removed, added = changed_lines(BOARD, after)
    assert [line for line in added if line] == ["start = 2018-03-16T09:00:00", "[[event.agenda]]",
                                                'title = { sv = "Nytt" }', 'presenter = "ulrika-granstrom"']
    assert tomllib.loads(after)["event"][0]["agenda"][12] == {"title": {"sv": "Nytt"}, "presenter": "ulrika-granstrom"}


def test_a_feed_file_is_edited_by_the_calendar_s_fields():
    text = (REPOSITORY / "calendars" / "board.toml").read_text(encoding="utf-8")
    after = edited(text, Edit("set", ("alarms",), ["1 day"]), record=spec.CALENDAR)
    assert changed_lines(text, after) == (['alarms = ["1 day", "2 hours"]'], ['alarms = ["1 day"]'])
    with pytest.raises(EditRefused):
        edited(text, Edit("set", ("event", 0, "start"), "2018-01-01"), record=spec.CALENDAR)
