"""What `check` refuses outright: values with a hidden line break, text past its length limit,
files too large to read, templates that cannot be used, and dates at the ends of the calendar."""

from __future__ import annotations

import json

import pytest

from motesplats.badge_styles import parse_colour
from motesplats.schema import all_schemas
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace
from tests.conftest import BEFORE_ITS_MEETINGS
from tests.validate.test_rules import CEREMONY, EVENTS, FORMAL_MEETING, SETTINGS, assert_at, edit, only_error


# --- whole values: Python's $ matches before a final line break --------------------------------

def test_an_id_with_a_trailing_line_break_is_refused(tiny):
    edit(tiny, EVENTS, 'id = "konferens"', 'id = "konferens\\n"')
    assert_at(only_error(tiny.check()), EVENTS, 2, "holds a line break (U+000A)", "on one line")


def test_an_organiser_address_with_a_trailing_line_break_is_refused(tiny):
    edit(tiny, SETTINGS, 'email = "info@example.org"', 'email = "info@example.org\\n"')
    assert_at(only_error(tiny.check()), SETTINGS, tiny.line_of(SETTINGS, "email ="), "line break")


@pytest.mark.parametrize("setting, written", [("languages", '["sv", "en\\n", "fr"]'),
                                              ("audiences", '["public", "board\\n"]')])
def test_settings_with_a_trailing_line_break_are_refused(tiny, setting, written):
    old = {"languages": '["sv", "en", "fr"]', "audiences": '["public", "board"]'}[setting]
    edit(tiny, SETTINGS, f"{setting} = {old}", f"{setting} = {written}")
    problems = [p for p in tiny.check().errors if p.file == SETTINGS]
    assert problems and all(p.line == tiny.line_of(SETTINGS, f"{setting} =") for p in problems)


@pytest.mark.parametrize("colour", ["#fff\n", "+1+1+1", "#1 2 3 ", "##ffffff", "#1_2_3_"])
def test_a_colour_is_all_hex_digits(colour):
    assert parse_colour(colour) is None
    assert parse_colour("#1a2B3c") == (0x1a / 255, 0x2b / 255, 0x3c / 255)


# --- text limits ----------------------------------------------------------------------------

def test_a_title_past_its_limit_is_reported_with_the_limit(tiny):
    edit(tiny, EVENTS, 'title = "Öppning"', f'title = "{"Ö" * 935}"')
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, 'title = "ÖÖÖ'), "is 935 characters; at most 200",
              "shorten it")


def test_each_language_of_a_description_has_the_limit(tiny):
    long = "Lorem ipsum. " * 2000
    edit(tiny, EVENTS, 'title = { sv = "Konferensen", en = "The conference" }',
         f'title = "Konferensen"\ndescription = {{ sv = "Kort.", en = "{long}" }}')
    problem = only_error(tiny.check())
    assert_at(problem, EVENTS, tiny.line_of(EVENTS, "description ="),
              f"is {len(long)} characters; at most 20000", "web page")


def test_a_description_may_run_over_several_lines_but_a_title_may_not(tiny):
    edit(tiny, EVENTS, 'title = "Öppning"', 'title = "Öppning"\ndescription = """Välkommen.\n\nKaffe."""')
    assert not tiny.check().problems
    for separator in ("\\n", "\\u2028", "\\u2029"):
        edit(tiny, EVENTS, 'title = "Öppning', f'title = "Öpp{separator}ning')
        problem = only_error(tiny.check())
        assert_at(problem, EVENTS, tiny.line_of(EVENTS, 'title = "Öpp'), "holds a line break", "on one line")
        edit(tiny, EVENTS, f'title = "Öpp{separator}ning', 'title = "Öppning')


def test_a_roster_cell_past_its_limit_is_reported_at_its_row(tiny):
    edit(tiny, "events/board.csv", "Bo Ek", "Bo " + "Ek" * 150)
    assert_at(only_error(tiny.check()), "events/board.csv", 3, "the name is 303 characters; at most 200")


def test_the_json_schemas_carry_the_limits():
    events = json.loads(all_schemas()["events.schema.json"])
    event = events["properties"]["event"]["items"]["properties"]
    assert event["id"]["maxLength"] == 64
    assert [choice["maxLength"] if "maxLength" in choice else choice["additionalProperties"]["maxLength"]
            for choice in event["title"]["anyOf"]] == [200, 200]
    assert event["description"]["anyOf"][0]["maxLength"] == 20000
    assert event["partners"]["items"]["maxLength"] == 500
    assert event["url"]["maxLength"] == 2000


# --- the workspace's own templates ----------------------------------------------------------

def test_a_template_that_extends_itself_is_a_problem_at_its_line(tiny):
    tiny.write("templates/programme/base.html", '{# mine #}\n{% extends "programme/base.html" %}\n')
    assert_at(only_error(tiny.check()), "templates/programme/base.html", 2, "uses itself", "another template")


def test_templates_that_use_each_other_in_a_circle_are_problems(tiny):
    tiny.write("templates/programme/base.html", '{% include "programme/macros.html" %}\n')
    tiny.write("templates/programme/macros.html", '\n\n{% import "programme/conference.html" as c %}\n')
    found = {(p.file, p.line) for p in tiny.check().errors if "uses itself" in p.message}
    # conference.html (built in) extends base.html: the circle runs through all three
    assert found == {("templates/programme/base.html", 1), ("templates/programme/macros.html", 3)}


def test_check_reports_a_template_syntax_error_as_build_does(tiny, cli):
    tiny.write("templates/subscribe.html", "<h1>{{ title }}</h1>\n<p>{% if %}</p>\n")
    problem = only_error(tiny.check())
    assert_at(problem, "templates/subscribe.html", 2, "the template cannot be used", "built-in template")
    built = cli("--workspace", str(tiny.root), "build", "--only", "page")
    assert built.exit_code == 1 and str(problem) in built.output


def test_a_macro_that_calls_itself_is_a_problem_when_building(tiny, cli):
    tiny.write("templates/subscribe.html", "{% macro again() %}{{ again() }}{% endmacro %}\n{{ again() }}\n")
    assert not tiny.check().problems  # only rendering finds it
    built = cli("--workspace", str(tiny.root), "build", "--only", "page")
    assert built.exit_code == 1 and "Traceback" not in built.output
    assert "templates/subscribe.html:1: error: the template calls itself without end" in built.output


# --- one mistake, one problem ---------------------------------------------------------------

@pytest.mark.parametrize("old, new, message, hint", [
    ('languages = ["sv", "en", "fr"]', 'languages = "sv, en, fr"', "'sv, en, fr' is not a language code",
     'languages = ["sv", "en", "fr"]'),
    ('languages = ["sv", "en", "fr"]', 'languages = ["sv", "EN", "fr"]', "'EN' is not a language code", "sv, en"),
    ('audiences = ["public", "board"]', 'audiences = ["public", 2]', "should be a list of texts", "audiences = ["),
    ('audiences = ["public", "board"]', 'audiences = ["public", "Board"]', "not a usable audience name", "'board'"),
])
def test_a_wrong_setting_that_every_file_uses_is_reported_once(tiny, old, new, message, hint):
    edit(tiny, SETTINGS, old, new)
    second_calendar = 'name = { sv = "Styrelsen", en = "The board" }\naudiences = ["board"]\n'
    tiny.write("calendars/board.toml", second_calendar)
    assert_at(only_error(tiny.check()), SETTINGS, tiny.line_of(SETTINGS, new.split(" =")[0] + " ="), message, hint)


def test_a_wrong_setting_still_leaves_the_shape_of_other_files_checked(tiny):
    edit(tiny, SETTINGS, 'languages = ["sv", "en", "fr"]', 'languages = ["sv", "EN", "fr"]')
    edit(tiny, EVENTS, 'room = "sal-a"', 'room = "sal-a"\nstatus = "confirmd"')
    assert [(p.file, p.line) for p in tiny.check().problems] == [
        (EVENTS, tiny.line_of(EVENTS, "status =")), (SETTINGS, tiny.line_of(SETTINGS, "languages ="))]


# --- dates at the ends of the calendar ------------------------------------------------------

@pytest.mark.parametrize("years", [99999, 990])
def test_a_term_that_ends_past_the_calendar_is_a_problem_not_a_crash(tiny, years):
    tiny.write("events/avtal.toml", CEREMONY.replace("term_years = 5", f"term_years = {years}"))
    # as the editor checks an edit before saving it: the file's new bytes, pending
    file = tiny.root / "events" / "avtal.toml"
    checked = check_workspace(open_workspace(tiny.root), today=BEFORE_ITS_MEETINGS,
                              pending={file: file.read_bytes()})
    assert_at(only_error(checked), "events/avtal.toml", tiny.line_of("events/avtal.toml", "term_years"),
              f"a term of {years} years from 2018 ends after 2999", "term_years = ")


def test_a_check_in_at_the_start_of_the_calendar_is_a_problem_not_a_crash(tiny):
    tiny.write("events/styrelsemote.toml", FORMAL_MEETING)
    tiny.write("attendance/styrelsemote.checkin.log",
               '{"person": "asa-oberg", "at": "0001-01-01T00:00:00+01:00", "how": "scan"}\n')
    checked = tiny.check()
    assert len(checked.errors) == 1, checked.problems
    assert_at(checked.errors[0], "attendance/styrelsemote.checkin.log", 1,
              "'0001-01-01T00:00:00+01:00' is not a date and time the check-in page writes")
