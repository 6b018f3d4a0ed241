"""The repository root is the example workspace: it checks clean and models the seed documents faithfully."""

from __future__ import annotations

from datetime import date

import pytest

from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace
from tests.conftest import REPOSITORY


@pytest.fixture(scope="module")
def plan():
    checked = check_workspace(open_workspace(REPOSITORY))
    assert checked.plan is not None, "\n".join(map(str, checked.problems))
    return checked.plan


def _events(plan, kind):
    return [event for event in plan.events if event.kind == kind]


def test_example_workspace_checks_clean_even_when_strict(cli):
    result = cli("--workspace", str(REPOSITORY), "check", "--strict")
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


def test_malartinget_2018_is_in_uppsala_on_17_and_18_may_with_its_partners(plan):
    (conference,) = _events(plan, "conference")
    assert conference.days == (date(2018, 5, 17), date(2018, 5, 18))
    assert conference.venue.city == "Uppsala"
    assert {"Uppsala kommun", "Region Uppsala"} <= set(conference.partners)
    assert "individ" in conference.subtitle.get("sv").lower()


def test_malartinget_holds_the_council_meeting_party_groups_and_a_study_visit(plan):
    (conference,) = _events(plan, "conference")
    kinds = [session.kind for session in conference.sessions]
    (council_meeting,) = [s for s in conference.sessions if s.kind == "meeting"]
    assert [roster.id for roster in council_meeting.summoned] == ["council"]
    assert [item.number for item in council_meeting.agenda] == list(range(1, len(council_meeting.agenda) + 1))
    assert len(council_meeting.agenda) >= 5
    assert kinds.count("party_group") >= 2
    (visit,) = [s for s in conference.sessions if s.kind == "visit"]
    assert visit.start.date() == council_meeting.start.date(), "the study visit is on the council-meeting day"
    assert visit.venue != conference.venue


def test_malartinget_has_parallel_sessions_in_different_rooms(plan):
    (conference,) = _events(plan, "conference")
    parallel = [(a, b) for a in conference.sessions for b in conference.sessions
                if a.id < b.id and a.start < b.end and b.start < a.end and a.room and b.room]
    assert parallel and all(a.room != b.room for a, b in parallel)


def test_the_council_has_about_200_members_including_the_board(plan):
    rosters = {roster.id: roster for roster in plan.rosters}
    council = {member.person.id for member in rosters["council"].members}
    board = {member.person.id for member in rosters["board"].members}
    assert 180 <= len(council) <= 220
    assert board <= council


def test_the_board_has_19_members_and_19_deputies(plan):
    board = next(roster for roster in plan.rosters if roster.id == "board")
    deputies = [member for member in board.members if member.role == "ersättare"]
    assert len(deputies) == 19
    assert len(board.members) - len(deputies) == 19


def test_the_board_meets_four_times_in_2018_with_a_speaker_and_an_agenda(plan):
    meetings = [event for event in _events(plan, "formal_meeting")
                if any(roster.id == "board" for roster in event.summoned)]
    assert len(meetings) == 4
    assert {event.start.year for event in meetings} == {2018}
    for meeting in meetings:
        assert meeting.agenda and all(item.title for item in meeting.agenda)
        assert any(session.speakers for session in meeting.sessions), meeting.id


def test_almedalen_2018_is_a_week_in_visby_with_a_few_own_activities(plan):
    (week,) = _events(plan, "festival_week")
    assert week.all_day and week.days[0] == date(2018, 7, 1) and week.days[-1] == date(2018, 7, 8)
    activities = [session for session in week.sessions if session.audiences != ("staff",)]
    assert 3 <= len(activities) <= 8
    assert all(session.venue.city == "Visby" for session in week.sessions)
    titles = " ".join(session.title.get("sv") for session in week.sessions)
    for focus in ("En Bättre Sits", "En Bättre Matchning", "nnovation"):
        assert focus in titles


def test_the_berlin_trip_travels_in_local_times(plan):
    (trip,) = _events(plan, "study_trip")
    assert trip.hotel.city == "Berlin"
    assert any(leg.arrive.tzinfo.key == "Europe/Berlin" and leg.depart.tzinfo.key == "Europe/Stockholm"
               for leg in trip.legs)
    assert all(leg.arrive > leg.depart for leg in trip.legs)
    assert [roster.id for roster in trip.participants] == ["berlin-delegation"]


def test_the_agreement_is_decided_then_signed_in_february_2020_in_swedish_and_french(plan):
    (ceremony,) = _events(plan, "ceremony")
    assert (ceremony.start.year, ceremony.start.month) == (2020, 2)
    assert set(ceremony.languages) == {"sv", "fr"}
    assert {"sv", "fr"} <= set(ceremony.title.languages)
    assert all({"sv", "fr"} <= set(session.title.languages) for session in ceremony.sessions)
    assert "Région Île-de-France" in ceremony.parties
    assert ceremony.term_years == 5
    days = [milestone.date for milestone in ceremony.milestones]
    assert ceremony.start.date() in days, "in force from signing"
    assert ceremony.start.date().replace(year=2025) in days, "for five years"
    assert len(days) == len(set(days)), "a written milestone replaces the derived one of its day"
    decision = next(event for event in _events(plan, "formal_meeting")
                    if event.organiser and event.organiser.id == "region-stockholm")
    assert date(2020, 1, 9) < decision.start.date() < ceremony.start.date()
    item = next(item for item in decision.agenda if "Île-de-France" in item.title.get("sv"))
    assert item.presenter.name == "Irene Svenonius"
    assert "Regiondirektörens tjänsteutlåtande" in item.documents


def test_there_is_a_feed_per_audience(plan):
    assert {"public", "board", "council", "berlin-delegation", "staff"} <= {feed.id for feed in plan.feeds}
