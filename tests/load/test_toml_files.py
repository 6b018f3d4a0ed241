"""TOML loading: parsed data plus the line every table and key was written on."""

from __future__ import annotations

import textwrap

import pytest

from motesplats.load.toml_files import TomlDocument, index_lines, parse_toml, read_toml
from motesplats.problems import Problem

EVENTS = textwrap.dedent('''\
    # Events for the autumn
    [defaults]
    venue = "ukk"

    [[event]]
    id = "konferens"
    title = { sv = "Konferensen", en = "The conference" }
    description = """
    [[event]]
    id = "not-a-key"
    """
    audiences = [
        "public",
        "board",  # a comment with = in it
    ]

    [[event.session]]
    id = "opening"
    "quoted key" = "Sal [A]"

    [[event.session]]
    id = "second"
    room.name = "Sal B"
    'literal key' = 'Sal "B" [2]'

    [[event]]
    id = "styrelse"
    notes = \'\'\'
    room = "not a key either"
    \'\'\'

    [[event.session]]
    id = "first-of-second"
    ''')


def line_where(text: str, fragment: str, occurrence: int = 1) -> int:
    return [n for n, line in enumerate(text.split("\n"), 1) if fragment in line][occurrence - 1]


@pytest.fixture(scope="module")
def lines() -> dict:
    return index_lines(EVENTS)


@pytest.mark.parametrize("key, fragment, occurrence", [
    pytest.param(("defaults",), "[defaults]", 1, id="table"),
    pytest.param(("defaults", "venue"), 'venue = "ukk"', 1, id="key-in-table"),
    pytest.param(("event",), "[[event]]", 1, id="array-of-tables-first-header"),
    pytest.param(("event", 0), "[[event]]", 1, id="first-event"),
    pytest.param(("event", 0, "id"), 'id = "konferens"', 1, id="key-in-first-event"),
    pytest.param(("event", 0, "title"), "title = {", 1, id="inline-table"),
    pytest.param(("event", 0, "description"), 'description = """', 1, id="multi-line-string-start"),
    pytest.param(("event", 0, "audiences"), "audiences = [", 1, id="multi-line-array-start"),
    pytest.param(("event", 0, "session"), "[[event.session]]", 1, id="nested-array"),
    pytest.param(("event", 0, "session", 0), "[[event.session]]", 1, id="first-session"),
    pytest.param(("event", 0, "session", 0, "id"), 'id = "opening"', 1, id="key-in-session"),
    pytest.param(("event", 0, "session", 0, "quoted key"), '"quoted key"', 1, id="quoted-key"),
    pytest.param(("event", 0, "session", 1), "[[event.session]]", 2, id="second-session"),
    pytest.param(("event", 0, "session", 1, "id"), 'id = "second"', 1, id="key-in-second-session"),
    pytest.param(("event", 0, "session", 1, "room", "name"), "room.name", 1, id="dotted-key"),
    pytest.param(("event", 0, "session", 1, "literal key"), "'literal key'", 1, id="literal-quoted-key"),
    pytest.param(("event", 1), "[[event]]", 3, id="second-event"),
    pytest.param(("event", 1, "id"), 'id = "styrelse"', 1, id="key-in-second-event"),
    pytest.param(("event", 1, "notes"), "notes = '''", 1, id="literal-multi-line-string"),
    pytest.param(("event", 1, "session", 0), "[[event.session]]", 3, id="session-of-second-event"),
    pytest.param(("event", 1, "session", 0, "id"), 'id = "first-of-second"', 1, id="key-after-everything"),
])
def test_index_lines_maps_each_key_to_its_line(lines, key, fragment, occurrence):
    assert lines[key] == line_where(EVENTS, fragment, occurrence)


def test_text_inside_multi_line_strings_is_not_taken_for_keys_or_headers(lines):
    assert ("event", 0, "id") in lines and lines[("event", 0, "id")] == line_where(EVENTS, 'id = "konferens"')
    assert ("event", 2) not in lines
    assert ("event", 1, "room") not in lines
    assert not any("not-a-key" in map(str, key) for key in lines)


def test_the_lines_index_agrees_with_the_parsed_data():
    doc = parse_toml(EVENTS, "events/autumn.toml")
    assert isinstance(doc, TomlDocument)
    assert doc.data["event"][0]["session"][1]["room"]["name"] == "Sal B"
    assert doc.data["event"][0]["session"][0]["quoted key"] == "Sal [A]"
    assert doc.data["event"][1]["session"][0]["id"] == "first-of-second"
    assert doc.data["event"][0]["audiences"] == ["public", "board"]


def test_line_of_a_key_that_was_not_written_falls_back_to_its_table():
    doc = parse_toml(EVENTS, "events/autumn.toml")
    second_session = line_where(EVENTS, "[[event.session]]", 2)
    assert doc.line(("event", 0, "session", 1, "start")) == second_session
    assert doc.line(("event", 0, "audiences", 1)) == line_where(EVENTS, "audiences = [")
    assert doc.line(("nothing", "here")) == 1
    assert doc.line(()) == 1


def test_keys_inside_a_multi_line_array_of_inline_tables_belong_to_the_array():
    text = 'agenda = [\n  { title = "A" },\n  { title = "B" },\n]\nafter = 1\n'
    lines = index_lines(text)
    assert lines[("agenda",)] == 1
    assert lines[("after",)] == 5
    assert ("title",) not in lines


def test_strings_with_brackets_quotes_and_hashes_do_not_confuse_the_scanner():
    text = textwrap.dedent('''\
        a = "brackets [ { and a # hash"
        b = 'single [ quoted'
        c = "escaped \\" quote ["
        d = """one-line multi [ string"""
        e = 1
        ''')
    lines = index_lines(text)
    assert [lines[(key,)] for key in "abcde"] == [1, 2, 3, 4, 5]


def test_headers_with_spaces_and_quoted_names():
    text = '[[ event ]]\nid = "a"\n[ event . "my table" ]\nx = 1\n'
    lines = index_lines(text)
    assert lines[("event", 0)] == 1
    assert lines[("event", 0, "my table")] == 3
    assert lines[("event", 0, "my table", "x")] == 4


def test_arrays_of_tables_nested_under_tables_of_other_arrays_are_counted_separately():
    text = "[[venue]]\nid = 'a'\n[[venue.room]]\nid = 'r1'\n[[venue]]\nid = 'b'\n[[venue.room]]\nid = 'r2'\n"
    lines = index_lines(text)
    assert lines[("venue", 1, "room", 0, "id")] == 8
    assert lines[("venue", 0, "room", 0, "id")] == 4
    assert ("venue", 0, "room", 1) not in lines


def test_crlf_line_endings_count_like_newlines():
    text = '[[event]]\r\nid = "a"\r\n\r\ntitle = "T"\r\n'
    lines = index_lines(text)
    assert lines[("event", 0, "title")] == 4


def test_a_quoted_key_containing_an_equals_sign():
    text = '"a=b" = 1\nc = 2\n'
    lines = index_lines(text)
    assert lines[("a=b",)] == 1
    assert lines[("c",)] == 2


def test_a_unicode_line_separator_inside_a_string_does_not_start_a_new_line():
    text = 'title = "one\u2028two"\nroom = "sal-a"\n'
    assert index_lines(text)[("room",)] == 2


# --- parse_toml and read_toml ---------------------------------------------------------------

@pytest.mark.parametrize("text, line, hint", [
    pytest.param('id = "a"\ntitle = Konferensen\n', 2, "double quotes", id="unquoted-text"),
    pytest.param('id = "a"\n\nstart = 2018-02-30T09:00:00\n', 3, "2018-05-17", id="impossible-date"),
    pytest.param('id = "a"\n[[event]\n', 2, "toml.io", id="broken-header"),
    pytest.param('a = "unterminated\nb = 1\n', 1, "", id="unterminated-string"),
    pytest.param('id = "a"\ntitle = "b"\nrooms = [\n', 3, "", id="left-open-at-the-end"),
])
def test_a_syntax_error_is_a_problem_at_the_parsers_line(text, line, hint):
    problem = parse_toml(text, "events/x.toml")
    assert isinstance(problem, Problem)
    assert (problem.file, problem.line) == ("events/x.toml", line)
    assert problem.message.startswith("TOML syntax error: ")
    assert "(at line" not in problem.message and "(at end of document)" not in problem.message
    assert problem.hint and hint in problem.hint


def test_a_key_written_twice_hints_at_the_repetition():
    problem = parse_toml('[[event]]\nid = "a"\nid = "b"\n\n[[event]]\nid = "c"\n', "events/x.toml")
    assert isinstance(problem, Problem)
    assert problem.line == 3
    assert "written twice" in problem.hint


def test_read_toml_accepts_a_byte_order_mark(tmp_path):
    file = tmp_path / "x.toml"
    file.write_bytes(b"\xef\xbb\xbf" + 'title = "Möte"\nroom = "sal-a"\n'.encode())
    doc = read_toml(file, "events/x.toml")
    assert isinstance(doc, TomlDocument)
    assert doc.data == {"title": "Möte", "room": "sal-a"}
    assert doc.line(("room",)) == 2
    assert doc.path == "events/x.toml"


def test_read_toml_reports_a_file_that_is_not_utf8_at_the_line_of_the_first_bad_byte(tmp_path):
    file = tmp_path / "x.toml"
    file.write_bytes('id = "a"\n\ntitle = "Möte"\n'.encode("latin-1"))
    problem = read_toml(file, "events/x.toml")
    assert isinstance(problem, Problem)
    assert (problem.file, problem.line) == ("events/x.toml", 3)
    assert "not UTF-8" in problem.message
    assert "UTF-8" in problem.hint
