"""Roster CSV files as organisers export them: delimiters, quoting, headers and line numbers."""

from __future__ import annotations

import pytest

from motesplats.load.rosters_csv import parse_roster, read_roster

FILE = "events/board.csv"


def parse(text: str):
    return parse_roster(text, "board", FILE)


def rows_of(text: str) -> list[tuple[int, dict[str, str]]]:
    roster, problems = parse(text)
    assert problems == [], problems
    return [(row.line, row.values) for row in roster.rows]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"], ids=["semicolon", "comma", "tab"])
def test_each_delimiter_is_recognised(delimiter):
    text = delimiter.join(["id", "namn", "roll"]) + "\n" + delimiter.join(["bo-ek", "Bo Ek", "ledamot"]) + "\n"
    assert rows_of(text) == [(2, {"id": "bo-ek", "name": "Bo Ek", "role": "ledamot"})]


def test_the_roster_knows_its_id_and_file():
    roster, _ = parse("namn\nBo Ek\n")
    assert (roster.roster_id, roster.file) == ("board", FILE)
    assert roster.rows[0].file == FILE


def test_a_quoted_field_may_contain_the_delimiter():
    text = 'namn;organisation\n"Ek; Bo";"Region Uppsala; kansliet"\n'
    assert rows_of(text) == [(2, {"name": "Ek; Bo", "organisation": "Region Uppsala; kansliet"})]


def test_a_quoted_field_with_a_line_break_keeps_the_line_where_its_row_starts():
    text = 'namn,organisation,roll\nBo Ek,"Region\nUppsala",ledamot\nÅsa Öberg,Uppsala kommun,ordförande\n'
    assert rows_of(text) == [
        (2, {"name": "Bo Ek", "organisation": "Region\nUppsala", "role": "ledamot"}),
        (4, {"name": "Åsa Öberg", "organisation": "Uppsala kommun", "role": "ordförande"}),
    ]


def test_blank_rows_are_skipped_and_later_rows_keep_their_lines():
    text = "namn;roll\nBo Ek;ledamot\n\n;\n  ;  \nÅsa Öberg;ordförande\n"
    assert [line for line, _ in rows_of(text)] == [2, 6]


def test_crlf_line_endings_from_excel():
    text = "namn;roll\r\nBo Ek;ledamot\r\n\r\nÅsa Öberg;ordförande\r\n"
    assert rows_of(text) == [(2, {"name": "Bo Ek", "role": "ledamot"}),
                             (4, {"name": "Åsa Öberg", "role": "ordförande"})]


@pytest.mark.parametrize("header", [
    pytest.param("id;namn;roll;organisation/kommun;befattning;e-post;parti;språk", id="swedish"),
    pytest.param("id,name,role,organization,title,email,party,languages", id="english"),
    pytest.param(" ID ; Namn ; Roll ; Kommun ; Titel ; E-Mail ; Parti ; Språk ", id="spaces-and-case"),
])
def test_swedish_and_english_headers_mean_the_same_columns(header):
    delimiter = "," if "," in header else ";"
    row = delimiter.join(["bo-ek", "Bo Ek", "ledamot", "Region Uppsala", "Regionråd", "bo@example.org", "M",
                          "sv en"])
    assert rows_of(header + "\n" + row + "\n") == [(2, {
        "id": "bo-ek", "name": "Bo Ek", "role": "ledamot", "organisation": "Region Uppsala",
        "title": "Regionråd", "email": "bo@example.org", "party": "M", "languages": "sv en"})]


def test_cells_are_trimmed_and_missing_cells_left_out():
    assert rows_of("namn;roll;parti\n  Bo Ek  ; ledamot\n") == [(2, {"name": "Bo Ek", "role": "ledamot"})]


def test_an_unknown_column_suggests_the_closest_header():
    roster, problems = parse("id;namn;e-pots\nbo-ek;Bo Ek;bo@example.org\n")
    [problem] = problems
    assert (problem.file, problem.line) == (FILE, 1)
    assert problem.message == "unknown column 'e-pots'"
    assert problem.hint == "did you mean 'e-post'?"
    assert roster.rows == ()


def test_a_column_of_the_organisers_own_is_kept_unread():
    roster, problems = parse("namn;skostorlek\nBo Ek;44\n")
    assert problems == []
    assert roster.rows[0].values == {"name": "Bo Ek", "+skostorlek": "44"}


def test_a_column_named_twice():
    _, [problem] = parse("namn;name\nBo Ek;Bo Ek\n")
    assert (problem.line, problem.message) == (1, "column 'name' appears twice")
    assert problem.hint


def test_a_roster_without_a_name_column():
    _, [problem] = parse("id;roll\nbo-ek;ledamot\n")
    assert (problem.line, problem.message) == (1, "no 'name' column")
    assert problem.hint == "add a column headed 'namn'"


def test_an_empty_roster():
    roster, [problem] = parse("")
    assert (problem.file, problem.line, problem.message) == (FILE, 1, "the roster is empty")
    assert "id;namn" in problem.hint
    assert roster.rows == ()


def test_a_row_with_too_many_cells_is_reported_at_its_line_and_skipped():
    text = "namn;organisation;roll\nBo Ek;Region Uppsala;ledamot\nÅsa Öberg;Uppsala; kommun;ordförande\n"
    roster, [problem] = parse(text)
    assert (problem.file, problem.line) == (FILE, 3)
    assert problem.message == "the row has 4 cells but the header has 3"
    assert "double quotes" in problem.hint
    assert [row.values["name"] for row in roster.rows] == ["Bo Ek"]


def test_a_too_long_row_after_a_multi_line_cell_is_reported_where_it_starts():
    text = 'namn,organisation\nBo Ek,"Region\nUppsala"\nÅsa Öberg,Uppsala,kommun\n'
    _, [problem] = parse(text)
    assert problem.line == 4


def test_empty_cells_after_the_last_column_are_not_too_many():
    assert rows_of("namn;roll\nBo Ek;ledamot;;\n") == [(2, {"name": "Bo Ek", "role": "ledamot"})]


# --- reading files --------------------------------------------------------------------------

def test_read_roster_strips_a_utf8_byte_order_mark(tmp_path):
    file = tmp_path / "board.csv"
    file.write_bytes(b"\xef\xbb\xbf" + "id;namn\nbo-ek;Bo Ek\n".encode())
    roster, problems = read_roster(file, FILE)
    assert problems == []
    assert roster.roster_id == "board"
    assert [(row.line, row.values) for row in roster.rows] == [(2, {"id": "bo-ek", "name": "Bo Ek"})]


def test_read_roster_reports_a_file_that_is_not_utf8(tmp_path):
    file = tmp_path / "board.csv"
    file.write_bytes("namn;roll\nBo Ek;ledamot\nÅsa Öberg;ordförande\n".encode("cp1252"))
    roster, [problem] = read_roster(file, FILE)
    assert (problem.file, problem.line) == (FILE, 3)
    assert problem.message == "the file is not UTF-8 text"
    assert "CSV UTF-8" in problem.hint
    assert roster.rows == ()


def test_a_quote_that_is_never_closed_is_reported_at_its_row():
    text = "id;namn;roll\nasa;Åsa Öberg;ledamot\nbo;\"Bo Ek;ersättare\n" + "".join(f"p{n};Person {n};ledamot\n" for n in range(1000))
    roster, problems = parse_roster(text, "board", "events/board.csv")
    assert [(p.file, p.line) for p in problems] == [("events/board.csv", 3)]
    assert "never closed" in problems[0].message
    assert [row.values["name"] for row in roster.rows] == ["Åsa Öberg"]


def test_a_cell_longer_than_csvs_limit_is_a_problem_not_a_crash():
    text = "id;namn\nasa;\"" + "x" * 200_000 + "\"\n"
    roster, problems = parse_roster(text, "board", "events/board.csv")
    assert [(p.file, p.line) for p in problems] == [("events/board.csv", 2)]
