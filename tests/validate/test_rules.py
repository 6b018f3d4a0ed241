"""Every validation rule, one broken variant of the tiny workspace at a time.

Each test breaks one thing and checks where the problem is reported (file and line, computed
from the file itself), how serious it is, what it says and that the hint helps to fix it.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime, timedelta, timezone

import pytest

from motesplats.problems import Problem, Severity

EVENTS = "events/konferens.toml"
VENUES = "events/venues.toml"
SETTINGS = "motesplats.toml"
CALENDAR = "calendars/public.toml"
BOARD = "events/board.csv"


# --- helpers --------------------------------------------------------------------------------

def edit(tiny, relative: str, old: str, new: str, occurrence: int = 1) -> None:
    """Replace the `occurrence`-th `old` in a file of the workspace by `new`."""
    path = tiny.root / relative
    text = path.read_text(encoding="utf-8")
    index = -1
    for _ in range(occurrence):
        index = text.find(old, index + 1)
        assert index >= 0, f"{old!r} (occurrence {occurrence}) not in {relative}"
    path.write_text(text[:index] + new + text[index + len(old):], encoding="utf-8")


def listing(checked) -> str:
    return "\n".join(str(problem) for problem in checked.problems) or "(no problems)"


def only_error(checked) -> Problem:
    """The single error of a check that must fail, with nothing else reported."""
    assert checked.plan is None, "the plan was built despite the error"
    assert len(checked.problems) == 1, listing(checked)
    problem = checked.problems[0]
    assert problem.severity is Severity.ERROR
    return problem


def assert_at(problem: Problem, file: str, line: int, message: str, hint: str = "") -> None:
    assert (problem.file, problem.line) == (file, line), str(problem)
    assert message in problem.message, str(problem)
    assert problem.hint.strip(), f"no hint: {problem}"
    assert hint in problem.hint, str(problem)


def the_problem(checked, fragment: str) -> Problem:
    found = [problem for problem in checked.problems if fragment in problem.message]
    assert len(found) == 1, f"expected one problem about {fragment!r}:\n{listing(checked)}"
    return found[0]


def event_file(identifier: str, *, kind: str = "conference", start: str, end: str,
               venue: str = "ukk", extra: str = "", audiences: str = '["public"]') -> str:
    """An events file with one event; `extra` is added under its [[event]] table."""
    venue_line = f'venue = "{venue}"\n' if venue else ""
    return (f'[[event]]\nid = "{identifier}"\nkind = "{kind}"\ntitle = "Titel {identifier}"\n'
            f"start = {start}\nend = {end}\n{venue_line}audiences = {audiences}\n{extra}")


def session(identifier: str, start: str, end: str, extra: str = "") -> str:
    return (f'\n[[event.session]]\nid = "{identifier}"\ntitle = "Pass {identifier}"\n'
            f"start = {start}\nend = {end}\n{extra}")


def second_event(tiny, *, venue: str = "ukk", session_text: str = "", event_extra: str = "") -> str:
    """A second conference on the morning of 17 May 2018, in events/seminarium.toml."""
    tiny.write("events/seminarium.toml",
               event_file("seminarium", start="2018-05-17T08:00:00", end="2018-05-17T13:00:00",
                          venue=venue, extra=event_extra) + session_text)
    return "events/seminarium.toml"


CEREMONY = event_file("avtal", kind="ceremony", start="2018-09-03T14:00:00", end="2018-09-03T15:00:00",
                      extra='parties = ["Uppsala", "Berlin"]\nsignatories = ["asa-oberg"]\nterm_years = 5\n')

FORMAL_MEETING = event_file("styrelsemote", kind="formal_meeting", start="2018-09-05T13:00:00",
                            end="2018-09-05T15:00:00", audiences='["board"]', extra="""\
room = "sal-b"
summoned = ["board"]

[[event.agenda]]
title = "Mötets öppnande"
presenter = "asa-oberg"

[[event.agenda]]
title = "Val av justerare"

[[event.agenda]]
title = "Budget 2019"
presenter = "bo-ek"
""")

STUDY_TRIP = event_file("berlin", kind="study_trip", start="2018-09-10T06:00:00", end="2018-09-12T22:00:00",
                        venue="", audiences='["board"]', extra="""\
hotel = "tegel"

[[event.leg]]
id = "out"
mode = "flight"
from = "arlanda"
to = "tegel"
depart = 2018-09-10T07:00:00
arrive = 2018-09-10T09:00:00

[[event.leg]]
id = "home"
mode = "flight"
from = "tegel"
to = "arlanda"
depart = 2018-09-12T18:00:00
arrive = 2018-09-12T19:45:00
""")

LONDON = """
[[venue]]
id = "heathrow"
name = "London Heathrow"
city = "London"
time_zone = "Europe/London"
"""


def test_the_tiny_workspace_is_clean(tiny):
    checked = tiny.check()
    assert checked.problems == (), listing(checked)
    assert checked.plan is not None


# --- files that cannot be read --------------------------------------------------------------

def test_toml_syntax_error_is_reported_at_the_parsers_line(tiny):
    edit(tiny, EVENTS, 'title = "Öppning"', "title = Öppning")
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, "title = Öppning"), "TOML syntax error",
              hint="double quotes")


def test_toml_syntax_error_in_a_date_hints_at_the_date_format(tiny):
    edit(tiny, EVENTS, "end = 2018-05-18T16:00:00", "end = 2018-02-30T16:00:00")
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, "2018-02-30"), "TOML syntax error", hint="2018-05-17")


def test_a_file_that_is_not_utf8_is_reported_at_the_first_bad_line(tiny):
    line = tiny.line_of(EVENTS, 'title = "Öppning"')
    path = tiny.root / EVENTS
    path.write_bytes(path.read_text(encoding="utf-8").encode("latin-1"))
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, line, "not UTF-8", hint="UTF-8")


def test_a_roster_that_is_not_utf8_is_reported_with_an_excel_hint(tiny):
    (tiny.root / BOARD).write_bytes("id;namn\nasa-oberg;Åsa\nbo-ek;Bo Ek\n".encode("cp1252"))
    problem = the_problem(tiny.check(), "not UTF-8")
    assert_at(problem, BOARD, 2, "not UTF-8", hint="CSV UTF-8")


def test_line_numbers_count_newlines_even_when_text_holds_a_unicode_line_separator(tiny):
    """Text pasted from a word processor can contain U+2028; it does not end a TOML line."""
    tiny.write("events/vecka.toml", event_file(
        "vecka", start="2018-09-03T09:00:00", end="2018-09-03T12:00:00",
        extra='description = "Rad ett\u2028rad två"\nvenu = "ukk"\n').replace('venue = "ukk"\n', ""))
    lines = (tiny.root / "events/vecka.toml").read_text(encoding="utf-8").split("\n")
    expected = next(n for n, line in enumerate(lines, 1) if line.startswith("venu ="))
    problem = the_problem(tiny.check(), "unknown field 'venu'")
    assert problem.line == expected, str(problem)


# --- unknown fields -------------------------------------------------------------------------

@pytest.mark.parametrize("file, old, new, key, suggestion", [
    pytest.param(EVENTS, 'organiser = "testradet"', 'organizer = "testradet"', "organizer", "organiser",
                 id="event"),
    pytest.param(EVENTS, 'speakers = ["asa-oberg"]', 'speaker = ["asa-oberg"]', "speaker", "speakers",
                 id="session"),
    pytest.param(VENUES, 'time_zone = "Europe/Berlin"', 'timezone = "Europe/Berlin"', "timezone", "time_zone",
                 id="venue"),
    pytest.param(VENUES, 'name = "Sal B"', 'name = "Sal B"\ncapasity = 40', "capasity", "capacity", id="room"),
    pytest.param(CALENDAR, 'alarms = ["1 day"]', 'alarm = ["1 day"]', "alarm", "alarms", id="calendar"),
    pytest.param(SETTINGS, 'base_url = "https://calendar.example.org"',
                 'base_url = "https://calendar.example.org"\nlangauges = ["sv"]', "langauges", "languages",
                 id="settings"),
    pytest.param(SETTINGS, 'email = "info@example.org"', 'e_mail = "info@example.org"', "e_mail", "email",
                 id="organiser"),
])
def test_unknown_field_suggests_the_known_one(tiny, file, old, new, key, suggestion):
    edit(tiny, file, old, new)
    problem = only_error(tiny.check())
    assert_at(problem, file, tiny.line_of(file, f"{key} ="), f"unknown field '{key}'",
              hint=f"did you mean '{suggestion}'?")


def test_unknown_field_far_from_any_known_one_lists_the_known_fields(tiny):
    edit(tiny, EVENTS, 'organiser = "testradet"', 'organiser = "testradet"\ncatering_budget = 1000')
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, "catering_budget"), "unknown field 'catering_budget' in event 'konferens'",
              hint="known fields: id, kind, title")


def test_unknown_top_level_table_in_an_events_file(tiny):
    tiny.write("events/extra.toml", '[[evnt]]\nid = "x"\n')
    problem = only_error(tiny.check())
    assert_at(problem, "events/extra.toml", tiny.line_of("events/extra.toml", "[[evnt]]"),
              "unknown table 'evnt'", hint="did you mean 'event'?")


# --- wrong types ----------------------------------------------------------------------------

@pytest.mark.parametrize("file, old, new, message, hint", [
    pytest.param(VENUES, 'name = "Sal B"', 'name = 101', "'name' in room 'sal-b' should be text in quotes",
                 'name = "', id="number-for-text"),
    pytest.param(EVENTS, 'title = "Öppning"', "title = 2018", "'title' in session 'opening' should be text",
                 'title = "', id="number-for-title"),
    pytest.param(VENUES, "geo = [59.8597, 17.6452]", 'geo = "59.8597, 17.6452"',
                 "'geo' in venue 'ukk' should be [latitude, longitude]", "latitude first", id="string-for-geo"),
    pytest.param(VENUES, "geo = [59.8597, 17.6452]", "geo = [159.8597, 17.6452]",
                 "'geo' in venue 'ukk' should be [latitude, longitude]", "latitude first", id="geo-out-of-range"),
    pytest.param(VENUES, "geo = [59.8597, 17.6452]", "geo = [59.8597, 217.6452]",
                 "'geo' in venue 'ukk' should be [latitude, longitude]", "geo = [", id="longitude-out-of-range"),
    pytest.param(EVENTS, 'speakers = ["asa-oberg"]', "speakers = 7",
                 "'speakers' in session 'opening' should be a list of texts", 'speakers = ["', id="number-for-list"),
    pytest.param(CALENDAR, 'alarms = ["1 day"]', 'alarms = ["1 dygn"]', "cannot read '1 dygn' as a duration",
                 "1 hour", id="duration"),
    pytest.param(CALENDAR, 'refresh = "12 hours"', 'refresh = 12', "'refresh' in calendar should be a duration",
                 '"12 hours"', id="number-for-duration"),
])
def test_wrong_type(tiny, file, old, new, message, hint):
    edit(tiny, file, old, new)
    problem = only_error(tiny.check())
    assert_at(problem, file, tiny.line_of(file, new.split("\n")[-1]), message, hint)


def test_a_string_where_a_list_of_rooms_is_expected(tiny):
    tiny.append(VENUES, '[[venue]]\nid = "hotell"\nname = "Hotell"\ncity = "Uppsala"\nroom = "Sal C"\n')
    problem = only_error(tiny.check())
    assert_at(problem, VENUES, tiny.line_of(VENUES, 'room = "Sal C"'),
              "'room' in venue 'hotell' should be a list of tables", hint="[[…room]]")


def test_term_years_in_quotes_is_not_a_number(tiny):
    tiny.write("events/avtal.toml", CEREMONY.replace("term_years = 5", 'term_years = "5"'))
    problem = only_error(tiny.check())
    assert_at(problem, "events/avtal.toml", tiny.line_of("events/avtal.toml", "term_years"),
              "'term_years' in event 'avtal' should be a whole number", hint="without quotes")


def test_a_single_string_is_accepted_where_a_list_of_strings_is_expected(tiny):
    edit(tiny, EVENTS, 'speakers = ["asa-oberg"]', 'speakers = "asa-oberg"')
    checked = tiny.check()
    assert checked.problems == (), listing(checked)
    assert [p.id for p in checked.plan.event("konferens").sessions[0].speakers] == ["asa-oberg"]


def test_a_choice_that_is_not_allowed_suggests_the_closest(tiny):
    edit(tiny, EVENTS, 'kind = "conference"', 'kind = "konferens"')
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, "kind ="), "'konferens' is not a known kind",
              hint="did you mean 'conference'?")


def test_a_missing_required_field_names_it(tiny):
    edit(tiny, VENUES, 'city = "Berlin"\n', "")
    problem = only_error(tiny.check())
    assert_at(problem, VENUES, tiny.line_of(VENUES, "[[venue]]", 2), "venue 'tegel' has no 'city'",
              hint="add city =")


# --- dates and times ------------------------------------------------------------------------

@pytest.mark.parametrize("written, message, hint", [
    pytest.param('"17 maj 2018 09:00"', "cannot read '17 maj 2018 09:00'", "2018-05-17T09:30:00",
                 id="unreadable"),
    pytest.param('"17/05/2018"', "cannot read '17/05/2018'", "year-month-day", id="day-first-unambiguous"),
    pytest.param('"05/06/2018"', "'05/06/2018' in 'start' of event 'konferens' is ambiguous",
                 "year-month-day", id="ambiguous"),
    pytest.param("09:00:00", "'start' in event 'konferens' has a time but no date", "write the date too",
                 id="time-without-date"),
    pytest.param('"2018-02-30T10:00"', "'2018-02-30T10:00' in event 'konferens' is not a real date or time",
                 "day of the month", id="no-such-day"),
    pytest.param('"2018-05-17T25:00"', "is not a real date or time", "hour", id="no-such-hour"),
    pytest.param("true", "'start' in event 'konferens' should be a date or time", "2018-05-17T09:30:00",
                 id="boolean"),
])
def test_unusable_start_of_an_event(tiny, written, message, hint):
    edit(tiny, EVENTS, "start = 2018-05-17T09:00:00", f"start = {written}")
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, "start ="), message, hint)


def test_an_iso_date_in_quotes_is_accepted(tiny):
    edit(tiny, EVENTS, "start = 2018-05-17T09:00:00", 'start = "2018-05-17T09:00"')
    checked = tiny.check()
    assert checked.problems == (), listing(checked)
    assert checked.plan.event("konferens").start.hour == 9


def test_a_date_field_refuses_a_time(tiny):
    tiny.write("events/avtal.toml", CEREMONY + '\n[[event.milestone]]\nid = "review"\n'
               'date = 2020-09-03T10:00:00\ntitle = "Översyn"\n')
    problem = only_error(tiny.check())
    assert_at(problem, "events/avtal.toml", tiny.line_of("events/avtal.toml", "date ="),
              "'date' in milestone 'review' should be a date without a time", hint="2018-05-17")


@pytest.mark.parametrize("start, message", [
    pytest.param("2018-03-25T02:30:00", "2018-03-25 02:30 does not exist in Europe/Stockholm", id="skipped"),
    pytest.param("2018-10-28T02:30:00", "2018-10-28 02:30 happens twice in Europe/Stockholm", id="repeated"),
])
def test_wall_clock_times_that_daylight_saving_skips_or_repeats(tiny, start, message):
    night = start[:10]
    tiny.write("events/natt.toml", event_file("natt", start=start, end=f"{night}T06:00:00"))
    problem = only_error(tiny.check())
    assert_at(problem, "events/natt.toml", tiny.line_of("events/natt.toml", "start ="),
              f"'start' of event 'natt': {message}", hint="an hour earlier or later")


def test_a_session_at_a_skipped_wall_clock_time(tiny):
    tiny.write("events/natt.toml",
               event_file("natt", start="2018-03-25T00:00:00", end="2018-03-25T06:00:00")
               + session("sent", "2018-03-25T02:15:00", "2018-03-25T04:00:00"))
    problem = only_error(tiny.check())
    assert_at(problem, "events/natt.toml", tiny.line_of("events/natt.toml", "start = 2018-03-25T02:15"),
              "'start' of session 'sent': 2018-03-25 02:15 does not exist", hint="an hour earlier or later")


def test_times_with_an_offset_keep_their_instant(tiny):
    tiny.write("events/natt.toml", event_file("natt", start="2018-10-28T02:30:00+02:00",
                                              end="2018-10-28T02:30:00+01:00"))
    checked = tiny.check()
    assert checked.errors == (), listing(checked)
    event = checked.plan.event("natt")
    # Python subtracts two times of one zone by wall clock, so compare the instants.
    assert event.end.astimezone(timezone.utc) - event.start.astimezone(timezone.utc) == timedelta(hours=1)
    assert (event.start.utcoffset(), event.end.utcoffset()) == (timedelta(hours=2), timedelta(hours=1))
    assert str(event.start.tzinfo) == "Europe/Stockholm"


# --- time zones -----------------------------------------------------------------------------

@pytest.mark.parametrize("file, old, new", [
    pytest.param(EVENTS, 'organiser = "testradet"', 'organiser = "testradet"\ntime_zone = "Europe/Stokholm"',
                 id="event"),
    pytest.param(VENUES, 'time_zone = "Europe/Berlin"', 'time_zone = "Europe/Berln"', id="venue"),
    pytest.param(SETTINGS, 'time_zone = "Europe/Stockholm"', 'time_zone = "Europe/Stokholm"', id="settings"),
])
def test_unknown_time_zone_suggests_the_iana_name(tiny, file, old, new):
    edit(tiny, file, old, new)
    problem = only_error(tiny.check())
    wrong = new.split('"')[-2]
    right = "Europe/Berlin" if "Berln" in wrong else "Europe/Stockholm"
    assert_at(problem, file, tiny.line_of(file, "time_zone"), f"unknown time zone '{wrong}'",
              hint=f"did you mean '{right}'?")


def test_unknown_time_zone_with_nothing_close_gives_an_example(tiny):
    edit(tiny, VENUES, 'time_zone = "Europe/Berlin"', 'time_zone = "Tyskland"')
    problem = only_error(tiny.check())
    assert_at(problem, VENUES, tiny.line_of(VENUES, "time_zone"), "unknown time zone 'Tyskland'",
              hint="IANA name such as Europe/Stockholm")


# --- order of start and end -----------------------------------------------------------------

def test_event_ending_before_it_starts(tiny):
    edit(tiny, EVENTS, "end = 2018-05-18T16:00:00", "end = 2018-05-16T16:00:00")
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, "end = 2018-05-16"), "event 'konferens' ends before it starts",
              hint="the end must come after the start")


def test_event_ending_when_it_starts(tiny):
    tiny.write("events/kort.toml", event_file("kort", start="2018-09-03T10:00:00", end="2018-09-03T10:00:00"))
    problem = only_error(tiny.check())
    assert_at(problem, "events/kort.toml", tiny.line_of("events/kort.toml", "end ="), "ends before it starts")


def test_session_ending_before_it_starts(tiny):
    edit(tiny, EVENTS, "end = 2018-05-17T10:00:00", "end = 2018-05-17T08:30:00")
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, "end = 2018-05-17T08:30"),
              "session 'opening' ends before it starts", hint="after the start")


def test_event_mixing_a_date_and_a_datetime(tiny):
    edit(tiny, EVENTS, "end = 2018-05-18T16:00:00", "end = 2018-05-18")
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, "end = 2018-05-18"),
              "event 'konferens' mixes a date and a date with time", hint="both")


def test_leg_arriving_before_it_departs_in_local_times(tiny):
    tiny.append(VENUES, LONDON)
    trip = STUDY_TRIP.replace('to = "tegel"\ndepart = 2018-09-10T07:00:00\narrive = 2018-09-10T09:00:00',
                              'to = "tegel"\ndepart = 2018-09-10T07:00:00\narrive = 2018-09-10T06:30:00')
    tiny.write("events/berlin.toml", trip)
    problem = only_error(tiny.check())
    assert_at(problem, "events/berlin.toml", tiny.line_of("events/berlin.toml", "arrive = 2018-09-10T06:30"),
              "leg 'out' arrives (06:30 CEST) before it departs (07:00 CEST)", hint="time zone")


def test_leg_that_looks_later_on_the_clock_but_arrives_before_it_departs(tiny):
    """London 10:00 is 11:00 in Stockholm: arriving at 10:30 Stockholm time is before departure."""
    tiny.append(VENUES, LONDON)
    trip = STUDY_TRIP.replace('from = "tegel"\nto = "arlanda"\ndepart = 2018-09-12T18:00:00',
                              'from = "heathrow"\nto = "arlanda"\ndepart = 2018-09-12T18:00:00') \
                     .replace("arrive = 2018-09-12T19:45:00", "arrive = 2018-09-12T18:30:00")
    tiny.write("events/berlin.toml", trip)
    problem = only_error(tiny.check())
    assert_at(problem, "events/berlin.toml", tiny.line_of("events/berlin.toml", "arrive = 2018-09-12T18:30"),
              "leg 'home' arrives (18:30 CEST) before it departs (18:00 BST)", hint="time zone")


def test_leg_that_looks_earlier_on_the_clock_is_fine_across_time_zones(tiny):
    """Stockholm 18:00 is 17:00 in London: arriving there at 17:30 is half an hour later."""
    tiny.append(VENUES, LONDON)
    trip = STUDY_TRIP.replace('from = "tegel"\nto = "arlanda"', 'from = "arlanda"\nto = "heathrow"') \
                     .replace("arrive = 2018-09-12T19:45:00", "arrive = 2018-09-12T17:30:00")
    tiny.write("events/berlin.toml", trip)
    checked = tiny.check()
    assert checked.problems == (), listing(checked)
    home = next(leg for leg in checked.plan.event("berlin").legs if leg.id == "home")
    assert home.arrive - home.depart == timedelta(minutes=30)
    assert str(home.arrive.tzinfo) == "Europe/London"


# --- references -----------------------------------------------------------------------------

@pytest.mark.parametrize("file, old, new, message, hint", [
    pytest.param(EVENTS, 'speakers = ["asa-oberg"]', 'speakers = ["asa-obreg"]', "unknown person 'asa-obreg'",
                 "did you mean 'asa-oberg'?", id="person"),
    pytest.param(EVENTS, 'speakers = ["asa-oberg"]', 'speakers = ["kalle"]', "unknown person 'kalle'",
                 "known people: asa-oberg, bo-ek", id="person-far-off"),
    pytest.param(EVENTS, 'room = "sal-a"', 'venue = "arlnda"', "unknown venue 'arlnda'",
                 "did you mean 'arlanda'?", id="venue"),
    pytest.param(EVENTS, 'room = "sal-a"', 'room = "sala"', "venue 'ukk' has no room 'sala'",
                 "did you mean 'sal-a'?", id="room"),
    pytest.param(EVENTS, 'participants = ["board"]', 'participants = ["bord"]', "unknown roster 'bord'",
                 "did you mean 'board'?", id="roster"),
    pytest.param(EVENTS, 'organiser = "testradet"', 'organiser = "testradt"', "unknown organiser 'testradt'",
                 "did you mean 'testradet'?", id="organiser"),
    pytest.param(EVENTS, 'audiences = ["public"]', 'audiences = ["publik"]', "unknown audience 'publik'",
                 "motesplats.toml", id="audience"),
    pytest.param(EVENTS, 'title = "Öppning"', 'title = { sv = "Öppning", de = "Eröffnung" }',
                 "'de' is not a language of this workspace", "sv, en, fr", id="language-of-text"),
    pytest.param(EVENTS, 'title = "Öppning"', 'title = { svenska = "Öppning" }',
                 "'svenska' in 'title' of session 'opening' is not a language code", "two-letter",
                 id="language-code"),
    pytest.param(EVENTS, 'organiser = "testradet"', 'organiser = "testradet"\nlanguages = ["sv", "de"]',
                 "'de' is not a language of this workspace", "motesplats.toml", id="event-language"),
    pytest.param(CALENDAR, 'audiences = ["public"]', 'audiences = ["public"]\nevents = ["konferans"]',
                 "unknown event 'konferans'", "did you mean 'konferens'?", id="calendar-event"),
    pytest.param(CALENDAR, 'audiences = ["public"]', 'audiences = ["public"]\nlanguage = "de"',
                 "'de' is not a language of this workspace", "known languages: en, fr, sv", id="calendar-language"),
])
def test_unknown_reference(tiny, file, old, new, message, hint):
    edit(tiny, file, old, new)
    problem = only_error(tiny.check())
    assert_at(problem, file, tiny.line_of(file, new.split("\n")[-1]), message, hint)


def test_a_room_without_a_venue(tiny):
    tiny.write("events/fri.toml", event_file("fri", start="2018-09-03T10:00:00", end="2018-09-03T12:00:00",
                                             venue="", extra='room = "sal-a"\n'))
    problem = only_error(tiny.check())
    assert_at(problem, "events/fri.toml", tiny.line_of("events/fri.toml", "room ="),
              "room 'sal-a' is given but no venue", hint="venue =")


def test_unknown_presenter_on_an_agenda_item(tiny):
    tiny.write("events/mote.toml", FORMAL_MEETING.replace('presenter = "bo-ek"', 'presenter = "bo-ekk"'))
    problem = only_error(tiny.check())
    assert_at(problem, "events/mote.toml", tiny.line_of("events/mote.toml", 'presenter = "bo-ekk"'),
              "unknown person 'bo-ekk'", hint="did you mean 'bo-ek'?")


# --- duplicates -----------------------------------------------------------------------------

def test_duplicate_event_id_across_two_files_names_the_first_place(tiny):
    tiny.write("events/zz-kopia.toml", event_file("konferens", start="2018-09-03T10:00:00",
                                                  end="2018-09-03T12:00:00"))
    problem = only_error(tiny.check())
    assert_at(problem, "events/zz-kopia.toml", tiny.line_of("events/zz-kopia.toml", "id ="),
              f"duplicate event id 'konferens', first used at {EVENTS}:{tiny.line_of(EVENTS, '[[event]]')}",
              hint="never be reused")


def test_duplicate_venue_id_names_the_first_place(tiny):
    tiny.append(VENUES, '[[venue]]\nid = "ukk"\nname = "UKK igen"\ncity = "Uppsala"\n')
    problem = only_error(tiny.check())
    assert_at(problem, VENUES, tiny.line_of(VENUES, 'id = "ukk"', 2),
              f"duplicate venue id 'ukk', first defined at {VENUES}:1", hint="its own id")


def test_duplicate_session_id_within_an_event(tiny):
    tiny.append(EVENTS, session("opening", "2018-05-17T11:00:00", "2018-05-17T12:00:00"))
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, 'id = "opening"', 2),
              "duplicate session id 'opening' in this event", hint="its own id")


def test_the_same_session_id_in_two_events_is_fine(tiny):
    second_event(tiny, venue="arlanda", session_text=session("opening", "2018-05-17T09:00:00",
                                                             "2018-05-17T10:00:00"))
    checked = tiny.check()
    assert checked.problems == (), listing(checked)


def test_duplicate_room_id_within_a_venue(tiny):
    edit(tiny, VENUES, 'id = "sal-b"', 'id = "sal-a"')
    problem = only_error(tiny.check())
    assert_at(problem, VENUES, tiny.line_of(VENUES, 'id = "sal-a"', 2),
              "duplicate room id 'sal-a' at venue 'ukk'", hint="its own id")


def test_the_same_person_twice_on_one_roster(tiny):
    tiny.write(BOARD, (tiny.root / BOARD).read_text(encoding="utf-8")
               + "asa-oberg;Åsa Öberg;ordförande;Uppsala kommun;asa@example.org;S\n")
    problem = only_error(tiny.check())
    assert_at(problem, BOARD, 4, "Åsa Öberg ('asa-oberg') is on this roster twice", hint="remove one row")


def test_one_id_for_two_different_names_on_two_rosters(tiny):
    tiny.write("events/staff.csv", "id;namn\nasa-oberg;Åsa Berg\n")
    problem = only_error(tiny.check())
    assert_at(problem, "events/staff.csv", 2, f"id 'asa-oberg' is Åsa Berg here but Åsa Öberg at {BOARD}:2",
              hint="another id")


def test_two_roster_titles_for_one_id(tiny):
    tiny.write("events/rosters.toml", '[[roster]]\nid = "board"\ntitle = "Styrelsen"\n\n'
                                      '[[roster]]\nid = "board"\ntitle = "The board"\n')
    problem = only_error(tiny.check())
    assert_at(problem, "events/rosters.toml", tiny.line_of("events/rosters.toml", 'id = "board"', 2),
              "duplicate roster 'board'", hint="one [[roster]] table")


def test_a_roster_title_without_a_csv_file(tiny):
    tiny.write("events/rosters.toml", '[[roster]]\nid = "boards"\ntitle = "Styrelsen"\n')
    problem = only_error(tiny.check())
    assert_at(problem, "events/rosters.toml", tiny.line_of("events/rosters.toml", "id ="),
              "roster 'boards' has no file events/boards.csv", hint="did you mean 'board'?")


def test_a_roster_title_is_given_to_its_roster(tiny):
    tiny.write("events/rosters.toml", '[[roster]]\nid = "board"\ntitle = { sv = "Styrelsen", en = "The board" }\n')
    checked = tiny.check()
    assert checked.problems == (), listing(checked)
    board = checked.plan.rosters[0]
    assert (board.title.get("sv"), board.title.get("en")) == ("Styrelsen", "The board")


# --- sessions and bookings ------------------------------------------------------------------

def test_session_outside_its_event(tiny):
    edit(tiny, EVENTS, "start = 2018-05-17T09:00:00", "start = 2018-05-17T08:00:00", occurrence=2)
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, "start = 2018-05-17T08:00"),
              "session 'opening' (2018-05-17 08:00–10:00) is outside its event", hint="widen the event")


def test_two_sessions_in_one_room_at_once(tiny):
    tiny.append(EVENTS, session("second", "2018-05-17T09:30:00", "2018-05-17T10:30:00", 'room = "sal-a"\n'))
    problem = only_error(tiny.check())
    first = tiny.line_of(EVENTS, "[[event.session]]")
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, "[[event.session]]", 2),
              "room 'sal-a' at 'ukk' is double-booked: session 'second' of 'konferens'",
              hint="another room or time")
    assert f"session 'opening' of 'konferens' (09:00–10:00, {EVENTS}:{first})" in problem.message


def test_two_sessions_in_one_room_across_two_events(tiny):
    other = second_event(tiny, session_text=session("talk", "2018-05-17T09:30:00", "2018-05-17T10:30:00",
                                                    'room = "sal-a"\n'))
    problem = only_error(tiny.check())
    assert_at(problem, other, tiny.line_of(other, "[[event.session]]"),
              "room 'sal-a' at 'ukk' is double-booked: session 'talk' of 'seminarium'", hint="another room")
    assert "overlaps session 'opening' of 'konferens'" in problem.message


@pytest.mark.parametrize("session_extra, event_extra", [
    pytest.param('room = "sal-a"\nstatus = "cancelled"\n', "", id="session-cancelled"),
    pytest.param('room = "sal-a"\n', 'status = "cancelled"\n', id="event-cancelled"),
    pytest.param('room = "sal-b"\n', "", id="other-room"),
])
def test_no_room_conflict_when_cancelled_or_in_another_room(tiny, session_extra, event_extra):
    second_event(tiny, event_extra=event_extra,
                 session_text=session("talk", "2018-05-17T09:30:00", "2018-05-17T10:30:00", session_extra))
    checked = tiny.check()
    assert checked.problems == (), listing(checked)


def test_back_to_back_sessions_in_one_room_do_not_conflict(tiny):
    tiny.append(EVENTS, session("next", "2018-05-17T10:00:00", "2018-05-17T11:00:00",
                                'room = "sal-a"\nspeakers = ["asa-oberg"]\n'))
    checked = tiny.check()
    assert checked.problems == (), listing(checked)


@pytest.mark.parametrize("extra", [
    pytest.param('speakers = ["asa-oberg"]\n', id="speaker"),
    pytest.param('moderators = ["asa-oberg"]\n', id="moderator"),
    pytest.param('\n[[event.session.agenda]]\ntitle = "Inledning"\npresenter = "asa-oberg"\n', id="presenter"),
])
def test_a_person_booked_in_two_places_at_once(tiny, extra):
    other = second_event(tiny, venue="arlanda",
                         session_text=session("talk", "2018-05-17T09:30:00", "2018-05-17T10:30:00", extra))
    problem = only_error(tiny.check())
    assert_at(problem, other, tiny.line_of(other, "[[event.session]]"),
              "Åsa Öberg ('asa-oberg') is booked twice at once: session 'talk' of 'seminarium' "
              "(2018-05-17 09:30–10:30) overlaps session 'opening' of 'konferens'", hint="someone else")


def test_a_signatory_booked_while_speaking_elsewhere(tiny):
    tiny.write("events/avtal.toml", CEREMONY.replace("2018-09-03T14:00:00", "2018-05-17T09:30:00")
               .replace("2018-09-03T15:00:00", "2018-05-17T10:30:00").replace('venue = "ukk"', 'venue = "arlanda"'))
    problem = only_error(tiny.check())
    assert_at(problem, "events/avtal.toml", tiny.line_of("events/avtal.toml", "[[event]]"),
              "Åsa Öberg ('asa-oberg') is booked twice at once: event 'avtal'", hint="someone else")


def test_a_person_in_back_to_back_sessions_has_no_conflict(tiny):
    second_event(tiny, venue="arlanda", session_text=session(
        "talk", "2018-05-17T10:00:00", "2018-05-17T11:00:00", 'speakers = ["asa-oberg"]\n'))
    checked = tiny.check()
    assert checked.problems == (), listing(checked)


def test_a_cancelled_session_does_not_book_its_speaker(tiny):
    second_event(tiny, venue="arlanda", session_text=session(
        "talk", "2018-05-17T09:30:00", "2018-05-17T10:30:00", 'speakers = ["asa-oberg"]\nstatus = "cancelled"\n'))
    checked = tiny.check()
    assert checked.problems == (), listing(checked)


# --- holidays -------------------------------------------------------------------------------

@pytest.mark.parametrize("day, name", [("2018-06-22", "Midsommarafton"), ("2018-12-24", "Julafton"),
                                       ("2018-05-01", "Första maj")])
def test_an_event_on_a_swedish_public_holiday_is_a_warning(tiny, day, name):
    tiny.write("events/fest.toml", event_file("fest", start=day, end=day))
    checked = tiny.check()
    assert checked.errors == (), listing(checked)
    assert checked.plan is not None and checked.plan.event("fest") is not None
    [warning] = checked.warnings
    assert warning.severity is Severity.WARNING
    assert_at(warning, "events/fest.toml", tiny.line_of("events/fest.toml", "[[event]]"),
              f"event 'fest' is on {day}, {name}, a Swedish public holiday", hint="many members will be away")


def test_check_shows_a_holiday_warning_and_exits_0_or_1_when_strict(tiny, cli):
    tiny.write("events/fest.toml", event_file("fest", start="2018-06-22", end="2018-06-22"))
    relaxed = cli("--workspace", str(tiny.root), "check")
    assert relaxed.exit_code == 0, relaxed.output
    line = tiny.line_of("events/fest.toml", "[[event]]")
    assert f"events/fest.toml:{line}: warning: event 'fest' is on 2018-06-22, Midsommarafton" in relaxed.output
    strict = cli("--workspace", str(tiny.root), "check", "--strict")
    assert strict.exit_code == 1
    assert "Midsommarafton" in strict.output


def test_a_cancelled_event_on_a_holiday_is_not_warned_about(tiny):
    tiny.write("events/fest.toml", event_file("fest", start="2018-12-24", end="2018-12-24",
                                              extra='status = "cancelled"\n'))
    checked = tiny.check()
    assert checked.problems == (), listing(checked)


# --- names the font cannot print ------------------------------------------------------------

def test_each_name_with_characters_the_font_lacks_is_a_warning_at_its_row(tiny):
    tiny.append("events/board.csv", "li-ming;李明 Li;ledamot;Region Uppsala;li@example.org;S\n"
                                    "cy-ek;Cy Ek;ledamot;Region Uppsala;cy@example.org;S\n"
                                    "di-ek;Di Ek;ledamot;Enköping 🌳;di@example.org;S\n")
    checked = tiny.check()
    assert checked.errors == (), listing(checked)
    warnings = [p for p in checked.warnings if "cannot print" in p.message]
    assert [p.severity for p in warnings] == [Severity.WARNING] * 2
    assert_at(warnings[0], "events/board.csv", tiny.line_of("events/board.csv", "li-ming"),
              "李明 Li: the font cannot print 明 李 (badges and programmes would show empty boxes)",
              hint="transliteration")
    assert_at(warnings[1], "events/board.csv", tiny.line_of("events/board.csv", "di-ek"),
              "Di Ek: the font cannot print 🌳", hint="transliteration")


# --- fields for some kinds of event only ----------------------------------------------------

@pytest.mark.parametrize("field_text, kind", [
    ('hotel = "ukk"', "study_trip"),
    ("term_years = 5", "ceremony"),
    ('summoned = ["board"]', "formal_meeting"),
    ('signatories = ["asa-oberg"]', "ceremony"),
])
def test_a_field_for_another_kind_of_event(tiny, field_text, kind):
    edit(tiny, EVENTS, 'participants = ["board"]', f'participants = ["board"]\n{field_text}')
    key = field_text.split(" =")[0]
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, f"{key} ="),
              f"'{key}' belongs to events of kind {kind}, not conference", hint=f'kind = "{kind}"')


def test_legs_on_a_conference(tiny):
    tiny.append(EVENTS, '[[event.leg]]\nid = "dit"\nmode = "train"\nfrom = "arlanda"\nto = "ukk"\n'
                        "depart = 2018-05-17T07:00:00\narrive = 2018-05-17T07:40:00\n")
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, "[[event.leg]]"),
              "'leg' belongs to events of kind study_trip, not conference", hint="remove 'leg'")


# --- [defaults] -----------------------------------------------------------------------------

DEFAULTED = """\
[defaults]
kind = "conference"
venue = "ukk"
audiences = ["board"]
organiser = "testradet"

[[event]]
id = "host"
title = "Hösten"
start = 2018-09-03
end = 2018-09-03

[[event]]
id = "vinter"
title = "Vintern"
start = 2018-11-05
end = 2018-11-05
venue = "arlanda"
"""


def test_defaults_are_applied_to_each_event_unless_it_sets_its_own(tiny):
    tiny.write("events/serie.toml", DEFAULTED)
    checked = tiny.check()
    assert checked.problems == (), listing(checked)
    autumn, winter = checked.plan.event("host"), checked.plan.event("vinter")
    assert (autumn.kind, autumn.venue.id, autumn.audiences, autumn.organiser.id) == \
           ("conference", "ukk", ("board",), "testradet")
    assert (winter.kind, winter.venue.id, winter.audiences) == ("conference", "arlanda", ("board",))


def test_a_bad_reference_in_defaults_is_reported_once_at_its_line(tiny):
    tiny.write("events/serie.toml", DEFAULTED.replace('audiences = ["board"]', 'audiences = ["bord"]'))
    problem = only_error(tiny.check())
    assert_at(problem, "events/serie.toml", tiny.line_of("events/serie.toml", "audiences ="),
              "unknown audience 'bord'", hint="did you mean 'board'?")


def test_a_wrong_value_in_defaults_is_reported_once_at_its_line(tiny):
    tiny.write("events/serie.toml", DEFAULTED.replace('organiser = "testradet"',
                                                      'organiser = "testradet"\nstatus = "confirmd"'))
    problem = only_error(tiny.check())
    assert_at(problem, "events/serie.toml", tiny.line_of("events/serie.toml", "status ="),
              "'confirmd' is not a known status", hint="did you mean 'confirmed'?")


def test_an_unknown_field_in_defaults_is_reported_once(tiny):
    tiny.write("events/serie.toml", DEFAULTED.replace('organiser = "testradet"', 'organizer = "testradet"'))
    problem = only_error(tiny.check())
    assert_at(problem, "events/serie.toml", tiny.line_of("events/serie.toml", "organizer ="),
              "unknown field 'organizer'", hint="did you mean 'organiser'?")


def test_defaults_cannot_set_an_id(tiny):
    tiny.write("events/serie.toml", DEFAULTED.replace("[defaults]\n", '[defaults]\nid = "x"\n'))
    problem = the_problem(tiny.check(), "[defaults] cannot set an id")
    assert_at(problem, "events/serie.toml", tiny.line_of("events/serie.toml", 'id = "x"'),
              "cannot set an id", hint="its own id")


# --- all problems at once -------------------------------------------------------------------

def five_mistakes(tiny) -> list[tuple[str, int, str]]:
    """Five independent mistakes in three files; returns (file, line, message fragment), sorted."""
    edit(tiny, SETTINGS, 'time_zone = "Europe/Stockholm"', 'time_zone = "Europe/Stokholm"')
    edit(tiny, EVENTS, 'organiser = "testradet"', 'organiser = "testradt"')
    edit(tiny, EVENTS, 'room = "sal-a"', 'room = "sal-a"\nstatus = "confirmd"')
    edit(tiny, EVENTS, 'speakers = ["asa-oberg"]', 'speakers = ["asa-obreg"]')
    edit(tiny, BOARD, "bo@example.org", "bo(at)example.org")
    return [
        (BOARD, 3, "'bo(at)example.org' is not an e-mail address"),
        (EVENTS, tiny.line_of(EVENTS, "organiser ="), "unknown organiser 'testradt'"),
        (EVENTS, tiny.line_of(EVENTS, "status ="), "'confirmd' is not a known status"),
        (EVENTS, tiny.line_of(EVENTS, "speakers ="), "unknown person 'asa-obreg'"),
        (SETTINGS, tiny.line_of(SETTINGS, "time_zone ="), "unknown time zone 'Europe/Stokholm'"),
    ]


def test_all_problems_are_reported_at_once_sorted_by_file_and_line(tiny):
    expected = five_mistakes(tiny)
    checked = tiny.check()
    assert checked.plan is None
    assert [(p.file, p.line) for p in checked.problems] == [(file, line) for file, line, _ in expected], \
        listing(checked)
    for problem, (_, _, message) in zip(checked.problems, expected):
        assert message in problem.message and problem.hint and problem.severity is Severity.ERROR


def test_check_prints_every_problem_as_file_line_error_and_exits_1(tiny, cli):
    expected = five_mistakes(tiny)
    result = cli("--workspace", str(tiny.root), "check")
    assert result.exit_code == 1
    for file, line, message in expected:
        assert f"{file}:{line}: error: {message}" in result.output
    assert "5 error(s), 0 warning(s)." in result.output
    assert "Traceback" not in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_check_json_lists_the_same_problems(tiny, cli):
    five_mistakes(tiny)
    result = cli("--workspace", str(tiny.root), "check", "--json")
    assert result.exit_code == 1
    report = json.loads(result.output)
    assert (report["ok"], report["errors"], report["warnings"]) == (False, 5, 0)
    assert report["problems"] == [problem.as_json() for problem in tiny.check().problems]
    assert {entry["severity"] for entry in report["problems"]} == {"error"}


def test_check_json_of_a_clean_workspace_with_a_warning(tiny, cli):
    tiny.write("events/fest.toml", event_file("fest", start="2018-12-24", end="2018-12-24"))
    report = json.loads(cli("--workspace", str(tiny.root), "check", "--json").output)
    assert (report["ok"], report["errors"], report["warnings"]) == (True, 0, 1)
    assert report["problems"][0]["severity"] == "warning"


def test_a_syntax_error_in_one_file_does_not_hide_problems_in_others(tiny, cli):
    edit(tiny, EVENTS, 'title = "Öppning"', "title = Öppning")
    edit(tiny, CALENDAR, 'alarms = ["1 day"]', 'alarm = ["1 day"]')
    result = cli("--workspace", str(tiny.root), "check")
    assert result.exit_code == 1
    assert f"{CALENDAR}:{tiny.line_of(CALENDAR, 'alarm =')}: error: unknown field 'alarm'" in result.output
    assert f"{EVENTS}:{tiny.line_of(EVENTS, 'title = Öppning')}: error: TOML syntax error" in result.output
    assert "Traceback" not in result.output


# --- the plan that a clean workspace becomes ------------------------------------------------

def test_the_plan_is_made_of_frozen_dataclasses(tiny):
    plan = tiny.check().plan
    event = plan.event("konferens")
    targets = [(plan, "events"), (event, "title"), (event.sessions[0], "room"), (event.venue, "city"),
               (plan.people[0], "name"), (plan.rosters[0], "members"), (plan.settings, "time_zone")]
    for target, name in targets:
        with pytest.raises(dataclasses.FrozenInstanceError):
            setattr(target, name, None)


def test_datetimes_are_aware_in_the_events_time_zone(tiny):
    event = tiny.check().plan.event("konferens")
    for moment in (event.start, event.end, event.sessions[0].start, event.sessions[0].end):
        assert str(moment.tzinfo) == "Europe/Stockholm"
        assert moment.utcoffset() == timedelta(hours=2)


def test_legs_are_in_the_time_zone_of_each_place(tiny):
    tiny.write("events/berlin.toml", STUDY_TRIP)
    checked = tiny.check()
    assert checked.problems == (), listing(checked)
    trip = checked.plan.event("berlin")
    out, home = trip.legs
    assert (out.id, home.id) == ("out", "home")
    assert str(out.depart.tzinfo) == "Europe/Stockholm" and str(out.arrive.tzinfo) == "Europe/Berlin"
    assert str(home.depart.tzinfo) == "Europe/Berlin" and str(home.arrive.tzinfo) == "Europe/Stockholm"
    assert out.arrive == datetime(2018, 9, 10, 9, 0, tzinfo=out.arrive.tzinfo)
    assert trip.hotel.id == "tegel"


def test_an_all_day_event_covers_its_last_day(tiny):
    tiny.write("events/vecka.toml", event_file("vecka", kind="festival_week", start="2018-07-01",
                                               end="2018-07-08"))
    checked = tiny.check()
    assert checked.problems == (), listing(checked)
    week = checked.plan.event("vecka")
    assert week.all_day
    assert len(week.days) == 8
    assert (week.days[0], week.days[-1]) == (date(2018, 7, 1), date(2018, 7, 8))
    assert week.end - week.start == timedelta(days=8)
    assert str(week.start.tzinfo) == "Europe/Stockholm"


def test_agenda_items_are_numbered_from_one(tiny):
    tiny.write("events/mote.toml", FORMAL_MEETING)
    checked = tiny.check()
    assert checked.problems == (), listing(checked)
    meeting = checked.plan.event("styrelsemote")
    assert [item.number for item in meeting.agenda] == [1, 2, 3]
    assert [item.presenter.id if item.presenter else None for item in meeting.agenda] == \
           ["asa-oberg", None, "bo-ek"]
    assert [roster.id for roster in meeting.summoned] == ["board"]


def test_term_years_make_in_force_and_term_ends_milestones(tiny):
    tiny.write("events/avtal.toml", CEREMONY)
    checked = tiny.check()
    assert checked.problems == (), listing(checked)
    ceremony = checked.plan.event("avtal")
    assert ceremony.term_years == 5
    milestones = {m.id: m for m in ceremony.milestones}
    assert set(milestones) == {"in-force", "term-ends"}
    assert milestones["in-force"].date == date(2018, 9, 3)
    assert milestones["term-ends"].date == date(2023, 9, 3)
    assert all(m.derived for m in milestones.values())
    assert milestones["term-ends"].title.get("sv") == "Avtalsperioden löper ut"


def test_a_written_milestone_may_not_reuse_a_derived_id(tiny):
    tiny.write("events/avtal.toml", CEREMONY + '\n[[event.milestone]]\nid = "term-ends"\n'
               'date = 2022-09-03\ntitle = "Slut"\n')
    problem = only_error(tiny.check())
    assert_at(problem, "events/avtal.toml", tiny.line_of("events/avtal.toml", 'id = "term-ends"'),
              "duplicate milestone id 'term-ends'", hint="term_years")


def test_people_on_two_rosters_are_one_person(tiny):
    tiny.write("events/staff.csv", "id;namn;roll\nasa-oberg;Åsa Öberg;ordförande\ncarl;Carl Berg;kanslist\n")
    checked = tiny.check()
    assert checked.problems == (), listing(checked)
    plan = checked.plan
    assert [person.id for person in plan.people] == ["asa-oberg", "bo-ek", "carl"]
    rosters = {roster.id: roster for roster in plan.rosters}
    on_board = next(m for m in rosters["board"].members if m.person.id == "asa-oberg")
    on_staff = next(m for m in rosters["staff"].members if m.person.id == "asa-oberg")
    assert on_board.person is on_staff.person
    assert (on_board.role, on_staff.role) == ("ledamot", "ordförande")


def test_people_on_two_rosters_stay_one_person_when_the_second_fills_a_gap(tiny):
    tiny.write("events/staff.csv", "id;namn;titel\nasa-oberg;Åsa Öberg;Ordförande\n")
    checked = tiny.check()
    assert checked.problems == (), listing(checked)
    person = next(p for p in checked.plan.people if p.id == "asa-oberg")
    board = next(r for r in checked.plan.rosters if r.id == "board")
    on_board = next(m.person for m in board.members if m.person.id == "asa-oberg")
    assert person.title == "Ordförande"
    assert on_board is person


def test_rows_that_disagree_about_a_person_give_a_warning(tiny):
    tiny.write("events/staff.csv", "id;namn;organisation\nasa-oberg;Åsa Öberg;Region Uppsala\n")
    checked = tiny.check()
    assert checked.errors == () and checked.plan is not None
    [warning] = checked.warnings
    assert_at(warning, "events/staff.csv", 2,
              f"Åsa Öberg's organisation is 'Region Uppsala' here but 'Uppsala kommun' at {BOARD}:2",
              hint="the first is used")


def test_a_folder_named_like_a_data_file_is_reported_not_a_crash(tiny):
    (tiny.root / "events" / "odd.toml").mkdir()
    (tiny.root / "events" / "odd.csv").mkdir()
    checked = tiny.check()
    assert {(p.file, p.line) for p in checked.errors} == {("events/odd.toml", 1), ("events/odd.csv", 1)}
    assert all("cannot read the file" in p.message for p in checked.errors)


def test_a_name_the_font_cannot_print_is_a_warning_at_its_roster_row(tiny):
    tiny.append("events/board.csv", "li-wei;李伟 Li Wei;ledamot;Region Uppsala;li@example.org;S\n")
    checked = tiny.check()
    assert checked.plan is not None
    (warning,) = checked.warnings
    assert (warning.file, warning.line) == ("events/board.csv", tiny.line_of("events/board.csv", "li-wei"))
    assert "李" in warning.message and "伟" in warning.message


def test_names_with_latin_extended_greek_and_vietnamese_are_printable(tiny):
    tiny.append("events/board.csv", "sokratis;Σωκράτης Nguyễn Żółć;ledamot;Île-de-France;s@example.org;S\n")
    assert tiny.check().warnings == ()


def test_a_written_milestone_replaces_the_derived_one_on_its_day(tiny):
    tiny.write("events/avtal.toml", """
        [[event]]
        id = "avtal"
        kind = "ceremony"
        title = "Undertecknande"
        start = 2020-02-13T10:00:00
        end = 2020-02-13T12:00:00
        audiences = ["public"]
        term_years = 5

        [[event.milestone]]
        id = "slut"
        date = 2025-02-13
        title = "Avtalet löper ut"
    """)
    milestones = tiny.check().plan.event("avtal").milestones
    assert [(m.id, m.date) for m in milestones] == [("in-force", date(2020, 2, 13)), ("slut", date(2025, 2, 13))]
