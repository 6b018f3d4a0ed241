"""Meetings after the notice, through the public API and the `attendance` command: deputies
proposed by the organ's rule, apologies and deputies recorded, the voting roll, § numbers."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import before_sealing
import tomllib

from motesplats import meetings
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace

BOARD_MARCH, BOARD_JUNE = "styrelsemote-2018-03-16", "styrelsemote-2018-06-08"
REGIONAL_BOARD = "regionstyrelsen-2020-01-28"
COUNCIL = "malartinget-2018/radsmote"

@pytest.fixture
def example_files(example_files: Path) -> Path:
    """The example before its minutes were sealed: these tests record what comes before."""
    return before_sealing(example_files)



@pytest.fixture
def workspace(example_files: Path) -> Path:
    return example_files


def plan_of(root: Path):
    checked = check_workspace(open_workspace(root))
    assert checked.plan is not None, "\n".join(map(str, checked.errors))
    return checked.plan


def test_apologies_from_two_board_members_propose_their_personal_deputies(workspace, cli):
    result = cli("--workspace", str(workspace), "attendance", BOARD_JUNE,
                 "--apology", "helena-forsberg", "--apology", "lena-akerlund")
    assert result.exit_code == 0, result.output
    assert "Kalla in Patrik Ljungberg (S), Region Östergötland för Helena Forsberg (M)" in result.output
    assert "Kalla in Björn Granqvist (S), Region Uppsala för Lena Åkerlund (C)" in result.output
    data = tomllib.loads((workspace / "attendance" / f"{BOARD_JUNE}.toml").read_text(encoding="utf-8"))
    assert data == {"meeting": BOARD_JUNE, "apologies": ["helena-forsberg", "lena-akerlund"]}


def test_a_personal_deputy_who_cannot_come_is_replaced_by_one_of_the_members_party(workspace):
    # In March Jonas Ek (MP) and his personal deputy Annika Rosén (S) both sent apologies.
    plan = plan_of(workspace)
    meeting = meetings.find_meeting(plan, BOARD_MARCH)
    attendance = plan.attendance_of(BOARD_MARCH)
    stripped = type(attendance)(attendance.meeting, attendance.apologies)  # before anyone was called in
    proposed = {p.member.person.id: p.deputy.person.id for p in meetings.proposals(meeting, stripped)}
    assert proposed == {"jonas-ek": "emma-forslund", "kristina-holmgren": "henrik-astrom"}


def test_the_regional_board_calls_deputies_in_the_order_of_the_members_party(workspace, cli):
    result = cli("--workspace", str(workspace), "attendance", REGIONAL_BOARD, "--apology", "ola-brannstrom")
    assert result.exit_code == 0, result.output
    # Ola Brännström (S): the first S deputy in the roster's order is Ali Demir.
    assert "Kalla in Ali Demir (S)" in result.output and "för Ola Brännström (S)" in result.output


def test_accepting_records_the_deputies_keeping_the_files_comments(workspace, cli):
    file = workspace / "attendance" / f"{BOARD_JUNE}.toml"
    file.write_text('# Kept: the secretary\'s note.\nmeeting = "styrelsemote-2018-06-08"\n'
                    'apologies = ["helena-forsberg"]  # phoned on Monday\n', encoding="utf-8")
    result = cli("--workspace", str(workspace), "attendance", BOARD_JUNE, "--accept")
    assert result.exit_code == 0, result.output
    text = file.read_text(encoding="utf-8")
    assert text.startswith('# Kept: the secretary\'s note.\nmeeting = "styrelsemote-2018-06-08"\n'
                           'apologies = ["helena-forsberg"]  # phoned on Monday\n')
    assert tomllib.loads(text)["deputy"] == [{"person": "patrik-ljungberg", "for": "helena-forsberg"}]
    assert "Patrik Ljungberg (S) tjänstgör för Helena Forsberg (M)" in result.output
    assert "Kalla in" not in result.output


def test_the_notice_shows_which_deputy_serves_for_whom(workspace, cli):
    result = cli("--workspace", str(workspace), "attendance", BOARD_JUNE, "--apology", "helena-forsberg", "--accept")
    assert result.exit_code == 0, result.output
    from motesplats.render.programme import build_programme
    plan = plan_of(workspace)
    summons = build_programme(plan, plan.event(BOARD_JUNE), "sv").summoned[0]
    assert summons.notes == {"helena-forsberg": "förhinder", "patrik-ljungberg": "tjänstgör för Helena Forsberg"}


def test_a_choice_that_does_not_check_is_not_written(workspace, cli):
    file = workspace / "attendance" / f"{BOARD_MARCH}.toml"
    before = file.read_bytes()
    # Mats Ekström is present: nobody serves for him.
    result = cli("--workspace", str(workspace), "attendance", BOARD_MARCH, "--call", "tomas-ohman", "--for", "mats-ekstrom")
    assert result.exit_code == 1
    assert f"attendance/{BOARD_MARCH}.toml:" in result.output
    assert "Mats Ekström is present at item 1" in result.output
    assert "nothing was recorded" in result.output
    assert file.read_bytes() == before
    result = cli("--workspace", str(workspace), "attendance", BOARD_JUNE, "--apology", "nobody-at-all")
    assert result.exit_code == 1 and "unknown person 'nobody-at-all'" in result.output
    assert not (workspace / "attendance" / f"{BOARD_JUNE}.toml").exists()


def test_an_unknown_meeting_is_a_usage_error_naming_the_closest(workspace, cli):
    result = cli("--workspace", str(workspace), "attendance", "styrelsemote-2018-03-17")
    assert result.exit_code == 2
    assert "styrelsemote-2018-03-16" in result.output


def test_the_council_meetings_voting_roll_counts_those_checked_in(workspace, cli):
    result = cli("--workspace", str(workspace), "attendance", COUNCIL, "--roll")
    assert result.exit_code == 0, result.output
    log = (workspace / "attendance" / "malartinget-2018.radsmote.checkin.log").read_text(encoding="utf-8")
    checked_in = len(log.splitlines())
    assert f"Röstlängd ({checked_in})" in result.output
    assert f"Beslutsför: {checked_in} av 200 ledamöter eller tjänstgörande ersättare, 101 krävs." in result.output
    plan = plan_of(workspace)
    roll = meetings.roll(meetings.find_meeting(plan, COUNCIL), plan.attendance_of(COUNCIL))
    assert len(roll.voting) == checked_in and roll.quorate


def test_a_member_who_came_late_is_counted_from_their_item(workspace):
    plan = plan_of(workspace)
    meeting = meetings.find_meeting(plan, BOARD_MARCH)
    attendance = plan.attendance_of(BOARD_MARCH)
    # Olof Hallin came at item 4; two deputies serve; 2 of 19 members sent apologies.
    assert len(meetings.roll(meeting, attendance, item=1).voting) == 16 + 2
    assert len(meetings.roll(meeting, attendance, item=4).voting) == 17 + 2
    presence = meetings.presence(meeting, attendance)
    assert [(m.person.id, came) for m, came, _ in presence.members if came] == [("olof-hallin", 4)]


def test_quorum_follows_the_organs_rule(workspace):
    rosters = workspace / "events" / "rosters.toml"
    text = rosters.read_text(encoding="utf-8")
    rosters.write_text(text.replace('deputies = "personal"\n', 'deputies = "personal"\nquorum = 19\n'), encoding="utf-8")
    plan = plan_of(workspace)
    roll = meetings.roll(meetings.find_meeting(plan, BOARD_MARCH), plan.attendance_of(BOARD_MARCH))
    assert roll.quorum == 19 and not roll.quorate


def test_paragraph_numbers_run_on_through_the_year_per_organ(workspace):
    plan = plan_of(workspace)
    numbers = meetings.first_paragraphs(plan)
    # The board's 2018 meetings have 12, 11, 12 and 11 items.
    assert [numbers[key] for key in (BOARD_MARCH, BOARD_JUNE, "styrelsemote-2018-09-21",
                                     "styrelsemote-2018-11-30")] == [1, 13, 24, 36]
    assert numbers[COUNCIL] == 1  # another organ: its own numbers
    assert numbers[REGIONAL_BOARD] == 7  # written in its minutes: the board met earlier that January


def test_a_meetings_own_first_paragraph_carries_on_to_the_next(workspace):
    events = workspace / "events" / "styrelsemoten-2018.toml"
    text = events.read_text(encoding="utf-8")
    marker = 'secretary = "ulrika-granstrom"\nas_proposed = [3, 4, 5, 6, 7, 8, 9]\nadjusted = 2018-06-13'
    assert marker in text
    events.write_text(text.replace(marker, "first_paragraph = 40\n" + marker), encoding="utf-8")
    numbers = meetings.first_paragraphs(plan_of(workspace))
    assert numbers[BOARD_JUNE] == 40 and numbers["styrelsemote-2018-09-21"] == 51


def test_once_check_in_has_begun_only_deputies_who_are_there_serve_or_are_proposed(workspace):
    from motesplats.load.checkin_log import checkin_line
    from datetime import datetime
    from zoneinfo import ZoneInfo
    at = datetime(2018, 9, 21, 9, 20, tzinfo=ZoneInfo("Europe/Stockholm"))
    (workspace / "attendance" / "styrelsemote-2018-09-21.toml").write_text(
        'meeting = "styrelsemote-2018-09-21"\napologies = ["jonas-ek", "kristina-holmgren"]\n\n'
        '[[deputy]]\nperson = "henrik-astrom"\nfor = "kristina-holmgren"\n', encoding="utf-8")
    (workspace / "attendance" / "styrelsemote-2018-09-21.checkin.log").write_bytes(
        b"".join(checkin_line(person, at, "scan") for person in ("per-olof-nyberg", "anna-karin-lindqvist",
                                                                  "maja-ostlund")))
    plan = plan_of(workspace)
    meeting = meetings.find_meeting(plan, "styrelsemote-2018-09-21")
    attendance = plan.attendance_of(meeting.key)
    # Jonas Ek's personal deputy Annika Rosén and Emma Forslund (MP) have not checked in; Maja Östlund (MP) has.
    assert [(p.member.person.id, p.deputy.person.id) for p in meetings.proposals(meeting, attendance)] == [
        ("jonas-ek", "maja-ostlund")]
    shown = meetings.presence(meeting, attendance)
    assert shown.serving == ()  # Henrik Åström is recorded to serve but is not there
    assert len(shown.roll.voting) == 2
