"""`check` knows a meeting's life after its notice: each mistake at its file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.conftest import before_sealing

from motesplats.problems import Severity
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace

@pytest.fixture
def example_files(example_files: Path) -> Path:
    """The example before its minutes were sealed: these tests record what comes before."""
    return before_sealing(example_files)


BOARD_MARCH = "attendance/styrelsemote-2018-03-16.toml"
BOARD_EVENTS = "events/styrelsemoten-2018.toml"
COUNCIL_LOG = "attendance/malartinget-2018.radsmote.checkin.log"
AFTER_THE_YEAR = date(2021, 1, 1)


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {relative}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(root: Path, relative: str, fragment: str, occurrence: int = 1) -> int:
    lines = (root / relative).read_text(encoding="utf-8").split("\n")
    return [n for n, line in enumerate(lines, 1) if fragment in line][occurrence - 1]


def without_council_minutes(root: Path) -> None:
    path = root / "events" / "malartinget-2018.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index("# The council meeting's minutes.")
    end = text.index('[[event.session]]\nid = "lunch-dag-2"')
    path.write_text(text[:start] + text[end:], encoding="utf-8")


def decisions(root: Path, relative: str) -> set[int]:
    lines = (root / relative).read_text(encoding="utf-8").split("\n")
    return {n for n, line in enumerate(lines, 1) if line.endswith("minutes.decision]]")}


def problems(root: Path, today: date = AFTER_THE_YEAR) -> list[str]:
    return [str(p) for p in check_workspace(open_workspace(root), today=today).problems]


def test_the_example_checks_clean_after_all_its_meetings(example_files):
    assert problems(example_files) == []


def test_a_decision_for_an_item_not_on_the_agenda(example_files):
    edit(example_files, BOARD_EVENTS, "[[event.minutes.decision]]\nitem = 11\n", "[[event.minutes.decision]]\nitem = 14\n")
    line = line_of(example_files, BOARD_EVENTS, "item = 14")
    errors = [str(p) for p in check_workspace(open_workspace(example_files), today=AFTER_THE_YEAR).errors]
    assert errors == [
        f"{BOARD_EVENTS}:{line}: error: a decision is recorded for item 14, which is not on the agenda; the agenda "
        "has items 1 to 12; an item raised at the meeting is added to the agenda first"]


def test_an_item_decided_twice_and_as_proposed_without_a_proposal(example_files):
    edit(example_files, BOARD_EVENTS, "as_proposed = [3, 4, 5, 6, 7, 10]", "as_proposed = [3, 4, 5, 6, 7, 10, 8, 11]")
    line = line_of(example_files, BOARD_EVENTS, "as_proposed = [3, 4, 5, 6, 7, 10, 8, 11]")
    found = problems(example_files)
    assert f"{BOARD_EVENTS}:{line}: error: item 8 ('Almedalen 2018: egna aktiviteter') has two decisions; record " \
           "each item's decision once: in as_proposed or in one [[…decision]]" in found
    assert any(p.startswith(f"{BOARD_EVENTS}:{line}: error: item 11 ") for p in found)


def test_an_adjuster_who_was_absent(example_files):
    edit(example_files, BOARD_MARCH, 'apologies = ["jonas-ek"', 'apologies = ["helena-forsberg", "jonas-ek"')
    line = line_of(example_files, BOARD_EVENTS, 'adjusters = ["helena-forsberg"]') - 2  # its [[…decision]]
    assert problems(example_files) == [
        f"{BOARD_EVENTS}:{line}: error: adjuster Helena Forsberg was not at the meeting; choose adjusters among "
        "those present"]


def test_a_deputy_serving_for_two_members(example_files):
    edit(example_files, BOARD_MARCH, 'person = "henrik-astrom"', 'person = "emma-forslund"')
    line = line_of(example_files, BOARD_MARCH, 'person = "emma-forslund"', 2)
    found = problems(example_files)
    assert found[0].startswith(f"{BOARD_MARCH}:{line}: error: Emma Forslund already serves for Jonas Ek at "
                               f"{BOARD_MARCH}:")


def test_a_deputy_serving_for_a_member_who_is_present(example_files):
    edit(example_files, BOARD_MARCH, 'for = "kristina-holmgren"', 'for = "mats-ekstrom"')
    line = line_of(example_files, BOARD_MARCH, 'for = "mats-ekstrom"')
    assert f"{BOARD_MARCH}:{line}: error: Mats Ekström is present at item 1, so no deputy serves for them there; " \
           "add them to apologies or absent, or record when they came (late) or left" in problems(example_files)


def test_a_deputy_from_an_item_after_the_member_left_may_serve(example_files):
    edit(example_files, BOARD_MARCH, 'for = "kristina-holmgren"', 'for = "mats-ekstrom"\nfrom_item = 9')
    (example_files / BOARD_MARCH).write_text((example_files / BOARD_MARCH).read_text(encoding="utf-8")
                                             + '\n[[left]]\nperson = "mats-ekstrom"\nafter_item = 8\n', encoding="utf-8")
    assert problems(example_files) == []


def test_someone_not_summoned_and_an_unknown_meeting(example_files):
    edit(example_files, BOARD_MARCH, 'apologies = ["jonas-ek"', 'apologies = ["irene-svenonius", "jonas-ek"')
    (example_files / "attendance" / "extra.toml").write_text('meeting = "styrelsemote-2018-03-17"\n', encoding="utf-8")
    assert problems(example_files) == [
        "attendance/extra.toml:1: error: unknown meeting 'styrelsemote-2018-03-17'; did you mean "
        "'styrelsemote-2018-03-16'?",
        f"{BOARD_MARCH}:8: error: Irene Svenonius is not summoned to styrelsemote-2018-03-16; only members and "
        "deputies of the rosters summoned send apologies or serve"]


def test_a_check_in_log_line_that_cannot_be_read_is_reported_never_dropped(example_files):
    # One typed over (an error), and one the page was writing when the power went (a warning).
    log = example_files / COUNCIL_LOG
    lines = log.read_text(encoding="utf-8").splitlines()
    lines[9] = "not json at all"
    log.write_text("\n".join(lines) + '\n{"person": "lena-akerlund", "at": "2018-05-18T09:4', encoding="utf-8")
    found = problems(example_files)
    assert found[0] == (f"{COUNCIL_LOG}:10: error: check-in log line cannot be read: it is not a JSON object; each "
                        'line is {"person": "id", "at": "2018-05-18T09:31:02+02:00", "how": "scan"}')
    assert found[1] == (f"{COUNCIL_LOG}:{len(lines) + 1}: warning: check-in log line was cut short while it was "
                        "being written, so the page never confirmed it, and it is not counted; check the person "
                        "in again, and delete the line")


def test_a_check_in_of_someone_not_summoned(example_files):
    log = example_files / COUNCIL_LOG
    log.write_text(log.read_text(encoding="utf-8")
                   + '{"person": "valerie-pecresse", "at": "2018-05-18T09:40:00+02:00", "how": "search"}\n',
                   encoding="utf-8")
    count = len(log.read_text(encoding="utf-8").splitlines())
    assert problems(example_files)[0].startswith(f"{COUNCIL_LOG}:{count}: warning: Valérie Pécresse is checked in "
                                                 "but not summoned to malartinget-2018/radsmote, so not counted")


def test_minutes_that_have_someone_there_who_did_not_check_in_are_a_warning_and_the_build_succeeds(
        example_files, tmp_path):
    # The council meeting (not sealed here) has a check-in log: an adjuster whose line is gone did
    # not check in, but the minutes have them there. The door's log and the secretary's minutes
    # disagree: a warning saying what to fix, never a build that fails on a check-in.
    from motesplats.build import Request, build
    from motesplats.outputs import NAMES

    log = example_files / COUNCIL_LOG
    log.write_text("".join(line for line in log.read_text(encoding="utf-8").splitlines(keepends=True)
                           if '"lena-akerlund"' not in line), encoding="utf-8")
    events = "events/malartinget-2018.toml"
    adjusters = line_of(example_files, events, 'adjusters = ["lena-akerlund"')
    line = max(n for n in range(1, adjusters) if n in decisions(example_files, events))
    checked = check_workspace(open_workspace(example_files), today=AFTER_THE_YEAR)
    assert [str(p) for p in checked.errors] == []
    found = [str(p) for p in checked.warnings if "Lena Åkerlund" in p.message]
    assert found == [f"{events}:{line}: warning: adjuster Lena Åkerlund was not at the meeting: they did not check in "
                     f"at the door; if they were there, add their check-in to {COUNCIL_LOG}; if not, correct the "
                     "minutes"]
    build(open_workspace(example_files), Request(NAMES))


def test_warnings_for_minutes_missing_a_decision_a_meeting_not_quorate_and_a_past_meeting_without_minutes(
        example_files):
    edit(example_files, BOARD_EVENTS, "as_proposed = [3, 4, 5, 6, 7, 10]", "as_proposed = [3, 4, 5, 6, 10]")
    minutes_line = line_of(example_files, BOARD_EVENTS, "[event.minutes]")
    log = example_files / COUNCIL_LOG
    log.write_text("".join(log.read_text(encoding="utf-8").splitlines(keepends=True)[:80]), encoding="utf-8")
    without_council_minutes(example_files)
    checked = check_workspace(open_workspace(example_files), today=AFTER_THE_YEAR)
    assert checked.errors == ()
    council_line = line_of(example_files, "events/malartinget-2018.toml", 'id = "radsmote"') - 1
    assert [str(p) for p in checked.warnings] == [
        f"events/malartinget-2018.toml:{council_line}: warning: malartinget-2018/radsmote is not quorate: 80 of 200 "
        "members present or replaced, 101 needed; call in deputies for members with apologies, or check the attendance",
        f"events/malartinget-2018.toml:{council_line}: warning: malartinget-2018/radsmote was held on 2018-05-18 but "
        "has no minutes; record them in a [event.session.minutes] table under the session",
        f"{BOARD_EVENTS}:{minutes_line}: warning: the minutes of styrelsemote-2018-03-16 record no decision for item 7; "
        "add the items to as_proposed, or write a [[…decision]] for each"]
    assert all(p.severity is Severity.WARNING for p in checked.warnings)


def test_a_meeting_still_to_come_needs_no_minutes(example_files):
    without_council_minutes(example_files)
    assert not any("has no minutes" in p for p in problems(example_files, today=date(2018, 5, 1)))


@pytest.mark.parametrize("file, old, new, expected", [
    (BOARD_EVENTS, "adjusted = 2018-03-23", "adjusted = 2018-03-13",
     "error: the minutes are adjusted on 2018-03-13, before the meeting on 2018-03-16"),
    (BOARD_MARCH, 'apologies = ["jonas-ek"', 'apologies = ["anna-karin-lindqvist", "jonas-ek"',
     "error: the chair, Anna-Karin Lindqvist, was not at the meeting"),
    (BOARD_MARCH, 'apologies = ["jonas-ek"', 'apologies = ["therese-wiklund", "jonas-ek"',
     "error: Therese Wiklund entered a reservation but was not taking part in the decision on item 8"),
    (BOARD_MARCH, 'person = "olof-hallin"\nfrom_item = 4', 'person = "olof-hallin"\nfrom_item = 4\n\n[[left]]\n'
     'person = "olof-hallin"\nafter_item = 3', "error: Olof Hallin left after item 3 but came at item 4"),
    (BOARD_MARCH, 'apologies = ["jonas-ek"', 'apologies = ["olof-hallin", "jonas-ek"',
     "error: Olof Hallin is listed as away and as there for part of the meeting"),
    ("events/rosters.toml", 'deputies = "personal"\n', 'deputies = "personal"\nquorum = 25\n',
     "error: a quorum of 25 for 19 members can never (or always) be met"),
    ("events/rosters.toml", 'posting = "3 weeks"', 'posting = "0 days"',
     "events/rosters.toml:54: error: the notice of adjusted minutes must stay posted at least a day"),
    (BOARD_EVENTS, 'secretary = "ulrika-granstrom"\nas_proposed = [3, 4, 5, 6, 7, 10]',
     'secretary = "ulrika-granstrom"\nfirst_paragraph = 0\nas_proposed = [3, 4, 5, 6, 7, 10]',
     "error: § numbers start at 1"),
    (BOARD_EVENTS, 'secretary = "ulrika-granstrom"\nas_proposed = [3, 4, 5, 6, 7, 8, 9]\nadjusted = 2018-06-13',
     'secretary = "ulrika-granstrom"\nfirst_paragraph = 10\nas_proposed = [3, 4, 5, 6, 7, 8, 9]\nadjusted = 2018-06-13',
     "error: § 10 is already used by styrelsemote-2018-03-16, which takes § 1–12"),
    (BOARD_EVENTS, 'item = 9\ndispatch', 'item = 9\nreservation_reason = "Nej."\ndispatch',
     "error: a reservation's reason is given but nobody reserved"),
])
def test_minutes_and_attendance_that_cannot_be_so(example_files, file, old, new, expected):
    edit(example_files, file, old, new)
    found = problems(example_files)
    assert any(expected in problem for problem in found), "\n".join(found)


def test_a_syntax_slip_in_an_events_file_is_the_one_error_not_its_meetings_attendance(example_files):
    edit(example_files, BOARD_EVENTS, "adjusted = 2018-03-23", "adjusted = 2018-13-23")
    found = problems(example_files)
    assert len(found) == 1 and found[0].startswith(f"{BOARD_EVENTS}:") and "TOML syntax error" in found[0]


@pytest.mark.parametrize("key, table", [("from_item", "deputy"), ("to_item", "deputy"), ("from_item", "late")])
def test_an_item_number_below_1_says_items_count_from_1(example_files, key, table):
    anchor = {"deputy": 'for = "jonas-ek"', "late": 'person = "olof-hallin"'}[table]
    if table == "late":
        edit(example_files, BOARD_MARCH, "from_item = 4", "from_item = 0")
    else:
        edit(example_files, BOARD_MARCH, anchor, f"{anchor}\n{key} = -1")
    line = line_of(example_files, BOARD_MARCH, f"{key} = ")
    value = 0 if table == "late" else -1
    assert problems(example_files) == [
        f"{BOARD_MARCH}:{line}: error: '{key}' in {table} is {value}; it must be 1 or more; "
        + {"from_item": "the first agenda item they", "to_item": "the last item they"}[key]
        + (" serve at" if table == "deputy" else " were present at")
        + (" (default 1)" if (key, table) == ("from_item", "deputy") else
           " (default: to the end)" if key == "to_item" else "")
        + ": a number from 1 up, without quotes"]


def test_a_deputy_without_to_item_serves_to_the_end_and_a_from_item_past_it_is_one_problem(example_files):
    edit(example_files, BOARD_MARCH, 'for = "kristina-holmgren"', 'for = "kristina-holmgren"\nfrom_item = 14')
    line = line_of(example_files, BOARD_MARCH, "from_item = 14")
    assert problems(example_files) == [
        f"{BOARD_MARCH}:{line}: error: item 14 is not on the agenda of styrelsemote-2018-03-16; the agenda has "
        "items 1 to 12"]


def test_to_item_before_from_item_names_both(example_files):
    edit(example_files, BOARD_MARCH, 'for = "kristina-holmgren"', 'for = "kristina-holmgren"\nfrom_item = 5\nto_item = 3')
    line = line_of(example_files, BOARD_MARCH, "to_item = 3")
    assert problems(example_files) == [
        f"{BOARD_MARCH}:{line}: error: to_item (3) comes before from_item (5); swap the two item numbers"]


@pytest.mark.parametrize("old, new, message", [
    ('others = ["ulrika-granstrom"', 'others = ["jonas-ek", "ulrika-granstrom"',
     "'jonas-ek' is listed in both apologies and others"),
    ('others = ["ulrika-granstrom"', 'others = ["ulrika-granstrom", "ulrika-granstrom"',
     "'ulrika-granstrom' is listed twice in others"),
    ('apologies = ["jonas-ek"', 'apologies = ["jonas-ek", "jonas-ek"', "'jonas-ek' is listed twice in apologies"),
    ('others = [', 'absent = ["jonas-ek"]\nothers = [', "'jonas-ek' is listed in both apologies and absent"),
])
def test_someone_listed_twice_is_reported_at_the_second_list(example_files, old, new, message):
    edit(example_files, BOARD_MARCH, old, new)
    key = message.split()[-1]
    line = line_of(example_files, BOARD_MARCH, f"{key} = [")
    assert problems(example_files) == [f"{BOARD_MARCH}:{line}: error: {message}; keep them in one list, once"]
