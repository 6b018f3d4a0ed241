"""Records that stand: adjusted minutes sealed once into records/, published byte for byte whatever
is edited since, and every edit that contradicts a record an error at its own line."""

from __future__ import annotations

import json
import shutil
from datetime import datetime, timezone
from pathlib import Path

import pytest

from motesplats.build import SECRET_FILE, build
from motesplats.load.checkin_log import checkin_line
from motesplats.meetings import first_paragraphs
from motesplats.outputs import Request
from motesplats.problems import ProblemsFound, is_error
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace

JUNE = "styrelsemote-2018-06-08"
MARCH = "styrelsemote-2018-03-16"
SEPTEMBER = "styrelsemote-2018-09-21"
EVENTS = "events/styrelsemoten-2018.toml"
MINUTES_ONLY = Request(("minutes",))


def record_of(meeting: str) -> str:
    return f"records/board/2018/{meeting}"


@pytest.fixture
def workspace(example_files: Path) -> Path:
    (example_files / SECRET_FILE).write_text("ab" * 32 + "\n", encoding="ascii")
    return example_files


def published(root: Path, meeting: str) -> dict[str, bytes]:
    """The board meeting's minutes and extracts under build/, by the name its record gives each."""
    found = {}
    for path in (root / "build" / "minutes").glob(f"{meeting}.*"):
        name = path.name.removeprefix(f"{meeting}.")
        found[("extract." if name.startswith("p") else "minutes.") + name] = path.read_bytes()
    return found


def sealed(root: Path, meeting: str) -> dict[str, bytes]:
    folder = root / record_of(meeting)
    manifest = json.loads((folder / "manifest.json").read_bytes())
    return {name: (folder / name).read_bytes() for name in manifest["files"]
            if name.endswith((".pdf", ".html")) and not name.startswith("notice.")}  # the notice board's


def line_of(path: Path, text: str, after: str = "") -> int:
    """The 1-based line where `text` begins, searching from where `after` is."""
    content = path.read_text(encoding="utf-8")
    start = content.index(after) if after else 0
    return content[:content.index(text, start)].count("\n") + 1


def edit(path: Path, old: str, new: str, after: str = "") -> None:
    text = path.read_text(encoding="utf-8")
    start = text.index(after) if after else 0
    at = text.index(old, start)
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")


def errors(root: Path, **pending) -> list:
    return [p for p in check_workspace(open_workspace(root), **pending).problems if is_error(p)]


def test_the_published_minutes_are_the_record_byte_for_byte_whatever_changes_after(workspace):
    build(open_workspace(workspace), MINUTES_ONLY)
    assert published(workspace, JUNE) == sealed(workspace, JUNE) and len(sealed(workspace, JUNE)) == 13
    # A template override, a roster that has moved on, a person's name spelt anew, check-ins logged
    # late, and an upgrade (which throws the cache away): the record stays what was sealed.
    (workspace / "templates" / "minutes.html").write_text("<p>{{ m.title }}</p>\n", encoding="utf-8")
    with (workspace / "events" / "board.csv").open("a", encoding="utf-8", newline="") as roster:
        roster.write("nils-nyman;Nils Nyman;ersättare;Västerås stad;Kommunalråd;nils.nyman@example.se;C;sv;\r\n")
    for roster in ("board.csv", "council.csv"):  # one id, one name on every roster
        edit(workspace / "events" / roster, "Hassan Yusuf;", "Hassan Yusuf Ali;")
    late = datetime.now(timezone.utc)
    (workspace / "attendance" / f"{JUNE}.checkin.log").write_bytes(
        b"".join(checkin_line(person, late, "scan") for person in ("anna-karin-lindqvist", "ahmed-karimi")))
    shutil.rmtree(workspace / ".motesplats-cache")
    report = build(open_workspace(workspace), MINUTES_ONLY)
    assert not report.sealed
    for meeting in (MARCH, JUNE, SEPTEMBER):
        assert published(workspace, meeting) == sealed(workspace, meeting)
    assert not errors(workspace)


def test_an_agenda_item_added_to_a_sealed_meeting_is_an_error_at_its_line_and_nothing_moves(workspace):
    build(open_workspace(workspace), MINUTES_ONLY)
    before = {path.name: path.read_bytes() for path in (workspace / "build" / "minutes").iterdir()}
    events = workspace / EVENTS
    edit(events, '[[event.agenda]]\ntitle = "Övriga frågor"',
         '[[event.agenda]]\ntitle = "Information om budget 2019"\n\n[[event.agenda]]\ntitle = "Övriga frågor"',
         after=f'id = "{JUNE}"')
    found = errors(workspace)
    added = line_of(events, 'title = "Information om budget 2019"') - 1
    assert [p.line for p in found if p.file == EVENTS][0] == added
    first = next(p for p in found if p.line == added)
    assert "Information om budget 2019" in first.message and record_of(JUNE) in first.message
    assert "not in the record" in found[-1].message  # the last item, 'Mötets avslutande', now § 24
    assert "undo the edit" in first.hint and "rättelse" in first.hint
    with pytest.raises(ProblemsFound):
        build(open_workspace(workspace), MINUTES_ONLY)
    assert {path.name: path.read_bytes() for path in (workspace / "build" / "minutes").iterdir()} == before
    assert f"{SEPTEMBER}.p24.sv.pdf" in before  # September's extracts keep their numbers


def test_moving_a_sealed_meeting_is_an_error_at_the_meeting(workspace):
    events = workspace / EVENTS
    edit(events, "end = 2018-06-08T12:30:00", "end = 2018-06-08T13:00:00", after=f'id = "{JUNE}"')
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (EVENTS, line_of(events, f'id = "{JUNE}"') - 1)
    assert "the time" in problem.message and "12:30" in problem.message and "13:00" in problem.message


def test_an_attendance_edit_is_an_error_at_the_attendance_file(workspace):
    file = workspace / "attendance" / f"{MARCH}.toml"
    edit(file, 'apologies = ["jonas-ek", ', 'apologies = ["jonas-ek", "anna-karin-lindqvist", ')
    found = [p for p in errors(workspace) if "attendance" in p.message]
    assert [(p.file, p.line) for p in found] == [(f"attendance/{MARCH}.toml", 1)]
    assert "anna-karin-lindqvist: present" in found[0].message and record_of(MARCH) in found[0].message


def test_a_check_in_after_the_seal_that_contradicts_the_record_is_a_warning(workspace):
    log = workspace / "attendance" / f"{MARCH}.checkin.log"
    log.write_bytes(checkin_line("annika-rosen", datetime.now(timezone.utc), "search"))
    checked = check_workspace(open_workspace(workspace))
    assert checked.plan is not None and not checked.errors
    (warning,) = [p for p in checked.warnings if p.file == f"attendance/{MARCH}.checkin.log"]
    assert warning.line == 1 and "after the minutes" in warning.message and record_of(MARCH) in warning.message


def test_a_record_file_that_no_longer_matches_its_manifest_is_an_error(workspace):
    extract = workspace / record_of(JUNE) / "extract.p22.sv.pdf"
    extract.write_bytes(extract.read_bytes() + b"%changed\n")
    (workspace / record_of(JUNE) / "note.txt").write_text("hand-made\n", encoding="utf-8")
    found = errors(workspace)
    assert [(p.file, p.line) for p in found] == [(f"{record_of(JUNE)}/extract.p22.sv.pdf", 1),
                                                 (f"{record_of(JUNE)}/note.txt", 1)]
    assert "no longer matches its manifest" in found[0].message and "git checkout" in found[0].hint
    with pytest.raises(ProblemsFound):
        build(open_workspace(workspace), MINUTES_ONLY)


def test_the_section_numbers_of_a_sealed_meeting_are_frozen(workspace):
    events = workspace / EVENTS
    edit(events, 'adjusted = 2018-06-13', 'first_paragraph = 14\nadjusted = 2018-06-13')
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (EVENTS, line_of(events, "[event.minutes]", after=f'id = "{JUNE}"'))
    assert "§ 14" in problem.message and "§ 13" in problem.message


def test_build_seals_adjusted_minutes_once_and_the_seal_command_never_overwrites(workspace, cli):
    shutil.rmtree(workspace / record_of(JUNE))
    result = cli("--workspace", str(workspace), "build", "--only", "minutes", "--quiet")
    assert result.exit_code == 0, result.output
    assert f"Sealed {record_of(JUNE)}" in result.output
    assert published(workspace, JUNE) == sealed(workspace, JUNE)
    manifest = json.loads((workspace / record_of(JUNE) / "manifest.json").read_bytes())
    facts = json.loads((workspace / record_of(JUNE) / "facts.json").read_bytes())
    assert facts["meeting"] == JUNE and [p["number"] for p in facts["paragraphs"]] == list(range(13, 24))
    assert facts["when"]["start"] == "2018-06-08T09:30:00+02:00" and len(facts["attendance"]["members"]) == 19
    assert set(manifest["files"]) == {p.name for p in (workspace / record_of(JUNE)).iterdir()} - {"manifest.json"}
    again = cli("--workspace", str(workspace), "seal", JUNE)
    assert again.exit_code == 1 and "already sealed" in again.output
    assert json.loads((workspace / record_of(JUNE) / "manifest.json").read_bytes()) == manifest
    shutil.rmtree(workspace / record_of(JUNE))
    first = cli("--workspace", str(workspace), "seal", JUNE)
    assert first.exit_code == 0 and f"Sealed {record_of(JUNE)}" in first.output
    assert sealed(workspace, JUNE) == published(workspace, JUNE)


def test_a_pending_edit_that_contradicts_a_record_is_refused(workspace):
    """The editor saves only what check_workspace accepts with the edit pending."""
    events = workspace / EVENTS
    text = events.read_text(encoding="utf-8")
    at = text.index(f'id = "{JUNE}"')
    pending = text[:at] + text[at:].replace("start = 2018-06-08T09:30:00", "start = 2018-06-08T09:00:00", 1)
    found = errors(workspace, pending={events: pending.encode("utf-8")})
    assert [p.file for p in found] == [EVENTS] and record_of(JUNE) in found[0].message


def a_board_meeting(day: str, items: int, minutes: str = "") -> str:
    """A board meeting on `day` (YYYY-MM-DD) with `items` agenda items, as events file text."""
    agenda = "".join(f'\n[[event.agenda]]\ntitle = "Punkt {n}"\n' for n in range(1, items + 1))
    return (f'\n[[event]]\nid = "styrelsemote-{day}"\ntitle = {{ sv = "Extra styrelsemöte {day}" }}\n'
            f"start = {day}T09:30:00\nend = {day}T11:00:00\n{agenda}{minutes}")


def test_a_meeting_added_before_a_sealed_one_that_would_take_its_numbers_is_an_error_at_its_line(workspace):
    events = workspace / EVENTS
    with events.open("a", encoding="utf-8") as file:
        file.write(a_board_meeting("2018-02-01", 3))
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (EVENTS, line_of(events, 'id = "styrelsemote-2018-02-01"') - 1)
    assert "would take § 1–3" in problem.message
    assert f"§ 1–3 in the record {record_of(MARCH)} (its § 1–12)" in problem.message
    assert "first_paragraph = 47" in problem.hint and "move it after styrelsemote-2018-11-30" in problem.hint
    # With numbers of its own, after every § the board's sealed minutes of 2018 hold, it is fine,
    # and the sealed meetings keep theirs.
    with events.open("a", encoding="utf-8") as file:
        file.write('\n[event.minutes]\nsecretary = "ulrika-granstrom"\nfirst_paragraph = 47\n')
    checked = check_workspace(open_workspace(workspace))
    assert not checked.errors, checked.errors
    numbers = first_paragraphs(checked.plan)
    assert (numbers["styrelsemote-2018-02-01"], numbers[MARCH], numbers[JUNE]) == (47, 1, 13)


def test_a_meeting_whose_own_first_paragraph_falls_in_a_later_record_is_an_error_at_its_minutes(workspace):
    events = workspace / EVENTS
    with events.open("a", encoding="utf-8") as file:
        file.write(a_board_meeting("2018-02-01", 2, '\n[event.minutes]\nsecretary = "ulrika-granstrom"\n'
                                                    "first_paragraph = 12\n"))
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (EVENTS, line_of(events, "[event.minutes]", after="2018-02-01"))
    assert "would take § 12–13" in problem.message
    assert f"§ 12 in the record {record_of(MARCH)} (its § 1–12)" in problem.message
    assert f"§ 13 in the record {record_of(JUNE)} (its § 13–23)" in problem.message


def test_a_meeting_after_the_last_sealed_one_continues_from_its_record(workspace):
    with (workspace / EVENTS).open("a", encoding="utf-8") as file:
        file.write(a_board_meeting("2018-12-14", 3))
    checked = check_workspace(open_workspace(workspace))
    assert not checked.errors, checked.errors
    record = json.loads((workspace / record_of("styrelsemote-2018-11-30") / "facts.json").read_bytes())
    assert first_paragraphs(checked.plan)["styrelsemote-2018-12-14"] == record["paragraphs"][-1]["number"] + 1 == 47


def test_a_meeting_between_two_sealed_ones_whose_agenda_outgrows_the_gap_is_an_error_at_its_line(workspace):
    shutil.rmtree(workspace / record_of(SEPTEMBER))  # adjusted, not yet sealed: § 24–35, November § 36–46
    events = workspace / EVENTS
    assert not errors(workspace)
    edit(events, '[[event.agenda]]\ntitle = "Övriga frågor"',
         '[[event.agenda]]\ntitle = "Information om budget 2019"\n\n[[event.agenda]]\ntitle = "Övriga frågor"',
         after=f'id = "{SEPTEMBER}"')
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (EVENTS, line_of(events, f'id = "{SEPTEMBER}"') - 1)
    assert "would take § 24–36" in problem.message
    assert f"§ 36 in the record {record_of('styrelsemote-2018-11-30')} (its § 36–46)" in problem.message


def test_two_meetings_not_sealed_that_would_share_numbers_are_an_error_at_the_later_one(workspace):
    # February took numbers after every sealed §, as check suggests; December continues from the
    # November record at § 47 too: the same § twice in the board's year.
    events = workspace / EVENTS
    with events.open("a", encoding="utf-8") as file:
        file.write(a_board_meeting("2018-02-01", 3, '\n[event.minutes]\nsecretary = "ulrika-granstrom"\n'
                                                    "first_paragraph = 47\n"))
        file.write(a_board_meeting("2018-12-14", 2))
    (problem,) = errors(workspace)
    assert (problem.file, problem.line) == (EVENTS, line_of(events, 'id = "styrelsemote-2018-12-14"') - 1)
    assert problem.message == "§ 47 is already used by styrelsemote-2018-02-01, which takes § 47–49"
    assert "first_paragraph = 50 or more" in problem.hint
