"""Participant lists as organisers get them: encodings, delimiters, headers, broken rows, duplicates,
and the roster they are merged into."""

from __future__ import annotations

import codecs
import csv
import io
from pathlib import Path

import pytest

from motesplats.load.participants_import import (
    ADDED, MERGED, OUTCOMES, REJECTED, UNCHANGED, UPDATED, FieldChange, ImportResult, Merge, describe,
    detect_delimiter, merge_into_roster, read_participants,
)
from motesplats.load.rosters_csv import parse_roster, read_roster
from motesplats.problems import ProblemsFound, Severity

LIST = "deltagare.csv"
ROSTER = "events/board.csv"
REPOSITORY = Path(__file__).resolve().parents[2]

# The same three people in every format below.
PEOPLE = [
    {"name": "Åsa Öberg", "organisation": "Företag; med semikolon", "email": "asa.oberg@example.se"},
    {"name": "Björn Ängström", "organisation": "Region Västmanland", "email": "bjorn@example.se"},
    {"name": "Ünal Çelik", "organisation": "Södertälje kommun", "email": "unal@example.se"},
]


def csv_text(rows: list[list[str]], delimiter: str, newline: str) -> str:
    """CSV as Excel writes it: quotes only where a cell holds the delimiter, a quote or a line break."""
    def cell(value: str) -> str:
        if any(c in value for c in (delimiter, '"', "\n", "\r")):
            return '"' + value.replace('"', '""') + '"'
        return value
    return "".join(delimiter.join(cell(value) for value in row) + newline for row in rows)


def people_table(header: tuple[str, str, str]) -> list[list[str]]:
    return [list(header)] + [[p["name"], p["organisation"], p["email"]] for p in PEOPLE]


def read(data: bytes) -> ImportResult:
    return read_participants(data, LIST)


def values_of(result: ImportResult) -> list[tuple[int, dict[str, str]]]:
    return [(row.line, row.values) for row in result.rows]


def assert_every_row_has_one_outcome(merge: Merge, data_rows: int) -> None:
    counts = merge.counts
    assert sum(counts.values()) == data_rows == len(merge.changes)
    assert len({change.line for change in merge.changes}) == data_rows
    assert all(change.outcome in OUTCOMES for change in merge.changes)


# --- one file per format ------------------------------------------------------------------

FORMATS = {
    # Excel's Swedish "CSV (semikolonavgränsad)": Windows-1252, semicolons, CRLF.
    "excel-swedish-cp1252": (("Namn", "Organisation", "E-post"), ";", "\r\n", "cp1252", b"", "cp1252"),
    # Excel's "CSV UTF-8": BOM, semicolons in Sweden.
    "utf-8-bom": (("namn", "organisation", "e-post"), ";", "\r\n", "utf-8", codecs.BOM_UTF8, "utf-8-sig"),
    # Google Sheets and most registration systems: UTF-8 without BOM, commas, LF.
    "utf-8-commas": (("Name", "Organization", "Email"), ",", "\n", "utf-8", b"", "utf-8"),
    # Excel's "Unicode text": UTF-16 LE with BOM, tabs, CRLF.
    "utf-16-le-tabs": (("Namn", "Företag", "E-postadress"), "\t", "\r\n", "utf-16-le", codecs.BOM_UTF16_LE,
                       "utf-16-le"),
    "utf-16-be-tabs": (("Namn", "Kommun", "Mail"), "\t", "\r\n", "utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
}


@pytest.mark.parametrize("header, delimiter, newline, codec, bom, detected", FORMATS.values(), ids=FORMATS)
def test_every_format_reads_to_the_same_people(header, delimiter, newline, codec, bom, detected):
    data = bom + csv_text(people_table(header), delimiter, newline).encode(codec)
    result = read(data)
    assert (result.encoding, result.delimiter) == (detected, delimiter)
    assert result.problems == ()
    assert values_of(result) == [(2, PEOPLE[0]), (3, PEOPLE[1]), (4, PEOPLE[2])]


def test_excel_swedish_export():
    text = ("Namn;Roll;Organisation;Titel;E-post;Parti;Språk\r\n"
            "Åsa Öberg;ordförande;\"Företag; med semikolon\";Regionråd;asa.oberg@example.se;S;sv,en\r\n"
            "Björn Ängström;ledamot;Västerås stad;Kommunalråd;bjorn@example.se;M;sv\r\n"
            "Ünal Çelik;ersättare;Södertälje kommun;;unal@example.se;;\r\n")
    data = text.encode("cp1252")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")  # so the test really is about Windows-1252
    result = read(data)
    assert (result.encoding, result.delimiter, result.problems) == ("cp1252", ";", ())
    assert values_of(result) == [
        (2, {"name": "Åsa Öberg", "role": "ordförande", "organisation": "Företag; med semikolon",
             "title": "Regionråd", "email": "asa.oberg@example.se", "party": "S", "languages": "sv,en"}),
        (3, {"name": "Björn Ängström", "role": "ledamot", "organisation": "Västerås stad",
             "title": "Kommunalråd", "email": "bjorn@example.se", "party": "M", "languages": "sv"}),
        (4, {"name": "Ünal Çelik", "role": "ersättare", "organisation": "Södertälje kommun", "title": "",
             "email": "unal@example.se", "party": "", "languages": ""}),
    ]


def test_windows_1252_punctuation_is_read_as_windows_1252_not_latin_1():
    data = "namn;titel\nBo Ek;Ordförande – vice\n".encode("cp1252")  # an en dash is 0x96
    assert read(data).rows[0].values["title"] == "Ordförande – vice"


def test_utf_16_without_a_bom_is_recognised():
    data = csv_text(people_table(("Namn", "Kommun", "E-post")), "\t", "\r\n").encode("utf-16-le")
    result = read(data)
    assert (result.encoding, result.delimiter) == ("utf-16-le", "\t")
    assert [row.values["name"] for row in result.rows] == [p["name"] for p in PEOPLE]


def test_names_written_in_decomposed_form_are_read_as_composed():
    data = "namn\nA\u030asa O\u0308berg\n".encode("utf-8")  # as macOS may write them
    assert read(data).rows[0].values["name"] == "Åsa Öberg"


def test_quoted_fields_with_line_breaks_doubled_quotes_and_delimiters():
    text = ('namn,organisation,titel\r\n'
            'Åsa Öberg,"Region Uppsala\r\nkansliet","Ordförande, ""tf."""\r\n'
            '"Öberg, Björn","Uppsala\nkommun\nstadshuset",Kommunalråd\r\n'
            'Ünal Çelik,Södertälje,"Ledamot"\r\n')
    result = read(text.encode("utf-8"))
    assert result.problems == ()
    assert values_of(result) == [
        (2, {"name": "Åsa Öberg", "organisation": "Region Uppsala\nkansliet", "title": 'Ordförande, "tf."'}),
        (4, {"name": "Öberg, Björn", "organisation": "Uppsala\nkommun\nstadshuset", "title": "Kommunalråd"}),
        (7, {"name": "Ünal Çelik", "organisation": "Södertälje", "title": "Ledamot"}),
    ]


def test_first_and_last_name_columns_are_joined():
    text = "Förnamn;Efternamn;E-post\nÅsa;Öberg;asa@example.se\nBjörn;  Ängström ;\n;Çelik;\nBo;;\n"
    result = read(text.encode("utf-8"))
    assert result.problems == ()
    assert [row.values["name"] for row in result.rows] == ["Åsa Öberg", "Björn Ängström", "Çelik", "Bo"]
    assert dict(result.columns) == {"Förnamn": "first_name", "Efternamn": "last_name", "E-post": "email"}


def test_english_headers():
    text = ("First name,Last name,E-mail address,Company,Job title,Role,Party,Language\n"
            "Åsa,Öberg,asa@example.se,Region Uppsala,Regionråd,ordförande,S,\"sv,en\"\n")
    [row] = read(text.encode("utf-8")).rows
    assert row.values == {"name": "Åsa Öberg", "role": "ordförande", "organisation": "Region Uppsala",
                          "title": "Regionråd", "email": "asa@example.se", "party": "S", "languages": "sv,en"}


@pytest.mark.parametrize("header, field", [
    (" NAMN ", "name"), ("Namn", "name"), ("Full name", "name"),
    ("E-post", "email"), ("E-postadress", "email"), ("Email", "email"), ("e-mail", "email"), ("MAIL", "email"),
    ("E-post*", "email"), ("Organisation", "organisation"), ("Kommun", "organisation"),
    ("Företag", "organisation"), ("Organisation/kommun", "organisation"), ("Titel", "title"),
    ("Befattning", "title"), ("Roll", "role"), ("Role", "role"), ("Parti", "party"), ("Språk", "languages"),
    ("ID", "id"),
])
def test_header_variants(header, field):
    result = read(f"{header};Namn\nx;Bo Ek\n".encode("utf-8") if field != "name" else
                  f"{header};x\nBo Ek;y\n".encode("utf-8"))
    assert dict(result.columns)[header.strip()] == field


def test_a_mistyped_column_is_ignored_with_a_suggestion_and_the_organisers_own_are_kept():
    text = "Namn;E-pots;Skostorlek\nÅsa Öberg;asa@example.se;38\nBo Ek;bo@example.se;44\n"
    result = read(text.encode("utf-8"))
    assert [(p.line, p.severity, p.message, p.hint) for p in result.problems] == [
        (1, Severity.WARNING, "column 'E-pots' is not a roster column and is ignored", "did you mean 'e-post'?"),
    ]
    assert [row.values for row in result.rows] == [{"name": "Åsa Öberg", "+Skostorlek": "38"},
                                                   {"name": "Bo Ek", "+Skostorlek": "44"}]
    assert result.readable


def test_columns_the_roster_does_not_know_are_kept_in_it_through_every_import():
    first = read("Namn;E-post;Specialkost;Telefon\nÅsa Öberg;asa@example.se;vegetarisk;+46701\n".encode("utf-8"))
    roster = merge_into_roster(None, first, "events/gaster.csv").content.decode("utf-8-sig")
    assert roster.splitlines()[0].endswith(";Specialkost;Telefon")
    second = read("Namn;E-post;Land\nBo Ek;bo@example.se;Norge\nÅsa Öberg;asa@example.se;Sverige\n".encode("utf-8"))
    merged = merge_into_roster(roster, second, "events/gaster.csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(merged), delimiter=";"))
    header, people = rows[0], {row[1]: dict(zip(rows[0], row)) for row in rows[1:]}
    assert header[-3:] == ["Specialkost", "Telefon", "Land"]
    assert people["Åsa Öberg"]["Specialkost"] == "vegetarisk" and people["Åsa Öberg"]["Land"] == "Sverige"
    assert people["Åsa Öberg"]["Telefon"] == "'+46701"  # kept, and no spreadsheet runs it as a sum
    assert people["Bo Ek"]["Land"] == "Norge" and people["Bo Ek"]["Specialkost"] == ""
    roster_file, problems = parse_roster(merged, "gaster", "events/gaster.csv")
    assert not problems and roster_file.rows[0].values["+Specialkost"] == "vegetarisk"


def test_a_second_column_for_the_same_field_is_ignored_with_a_warning():
    result = read("Namn;E-post;Email\nBo Ek;bo@example.se;other@example.se\n".encode("utf-8"))
    [problem] = result.problems
    assert problem.severity is Severity.WARNING and "'Email' is ignored" in problem.message
    assert result.rows[0].values["email"] == "bo@example.se"


def test_without_a_name_column_nothing_is_read():
    result = read("E-post;Organisation\nbo@example.se;Region Uppsala\n".encode("utf-8"))
    [problem] = result.problems
    assert (problem.line, problem.severity, problem.message) == (1, Severity.ERROR, "no name column")
    assert "'namn'" in problem.hint and "förnamn" in problem.hint
    assert result.rows == () and not result.readable


@pytest.mark.parametrize("data, message", [
    (b"", "the file is empty"),
    (b"PK\x03\x04\x14\x00\x06\x00", "this is an Excel workbook, not a CSV file"),
    (codecs.BOM_UTF8 + b"namn\n\xe5sa\n", "byte 0xe5 cannot be read as UTF-8 with BOM"),
])
def test_files_that_cannot_be_read(data, message):
    result = read(data)
    assert [p.message for p in result.problems] == [message]
    assert not result.readable


# --- delimiters -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, delimiter", [
    ("namn;organisation;e-post\nBo, Ek;A, B, C;x\n", ";"),
    ('"Namn, fullständigt";E-post\n"Ek, Bo";bo@example.se\n', ";"),
    ('namn,"roll; funktion",e-post\n', ","),
    ('"namn";"e-post";"organisation"\n"Bo Ek";"bo@example.se";"Region, Uppsala"\n', ";"),
    ("namn\te-post\torganisation\nBo;Ek\tx\ty\n", "\t"),
    ("\n;;;\nnamn,e-post\n", ","),
    ("namn\nBo Ek\n", ";"),
    # a tie in the header is settled by the rows
    ("namn;organisation, ort\nBo Ek;Region, Uppsala\n", ";"),
    ("namn,organisation; ort\nBo Ek,Region\nÅsa Öberg,Kommun\n", ","),
])
def test_the_delimiter_is_found_in_the_header_outside_quotes(text, delimiter):
    assert detect_delimiter(text) == delimiter


def test_excels_sep_line_names_the_delimiter():
    result = read("sep=,\r\nnamn,organisation\r\nBo Ek,Region Uppsala; kansliet\r\n".encode("utf-8"))
    assert result.delimiter == ","
    assert values_of(result) == [(3, {"name": "Bo Ek", "organisation": "Region Uppsala; kansliet"})]


# --- rows that cannot be used -----------------------------------------------------------------

def test_broken_rows_are_reported_at_their_lines_and_good_rows_kept():
    text = ("Namn;E-post;Organisation;;\r\n"               # 1  trailing empty header cells
            "Åsa Öberg;asa@example.se;Region Uppsala;;\r\n"  # 2  trailing empty cells are fine
            ";bo@example.se;Region Uppsala\r\n"            # 3  no name
            "\r\n"                                         # 4  blank
            ";;;;\r\n"                                     # 5  blank
            "Björn Ängström;bjorn(at)example.se;Västerås\r\n"  # 6  bad e-mail
            "Ünal Çelik;unal@example.se;Södertälje;kommun;x;y\r\n"  # 7  too many cells
            '"Cecilia\r\nLund";cecilia@example.se;"Enköping\r\nkommun"\r\n'  # 8-10
            "Dan Ek;dan@example.se;Uppsala\r\n"            # 11
            "Eva Ek;eva@example.se;Knivsta;;;;\r\n")       # 12 more trailing empty cells
    result = read(text.encode("cp1252"))
    assert [(p.line, p.message) for p in result.problems] == [
        (3, "the row has no name"),
        (6, "'bjorn(at)example.se' is not an e-mail address"),
        (7, "the row has 6 cells but the header has 5"),
    ]
    assert all(p.file == LIST and p.hint and p.severity is Severity.ERROR for p in result.problems)
    assert [row.line for row in result.rejected] == [3, 6, 7]
    assert [(row.line, row.values["name"]) for row in result.rows] == [
        (2, "Åsa Öberg"), (8, "Cecilia Lund"), (11, "Dan Ek"), (12, "Eva Ek")]
    assert result.data_rows == 7
    merge = merge_into_roster(None, result, ROSTER)
    assert_every_row_has_one_outcome(merge, 7)
    assert [c.line for c in merge.of(REJECTED)] == [3, 6, 7]


def test_an_invalid_id_rejects_the_row():
    result = read("id;namn\nÅsa Öberg;Åsa Öberg\nbo-ek;Bo Ek\n".encode("utf-8"))
    [problem] = result.problems
    assert (problem.line, problem.message) == (2, "'Åsa Öberg' is not a usable person id")
    assert "'asa-oberg'" in problem.hint


def test_a_quote_that_is_never_closed_is_reported_where_it_opens():
    text = 'namn;organisation\nBo Ek;Region\nÅsa Öberg;"Uppsala kommun\nDan Ek;Knivsta\n'
    result = read(text.encode("utf-8"))
    [problem] = result.problems
    assert problem.line == 3 and "never closed" in problem.message
    assert [row.values["name"] for row in result.rows] == ["Bo Ek"]


# --- duplicates and ids ------------------------------------------------------------------------

def test_the_same_email_in_another_case_is_merged_not_duplicated():
    text = ("namn;e-post;organisation;titel;parti\n"
            "Åsa Öberg;Asa.Oberg@Example.se;Region Uppsala;;S\n"      # 2
            "Bo Ek;bo@example.se;Knivsta;;\n"                          # 3
            "Åsa Öberg;asa.oberg@example.se;Uppsala kommun;Regionråd;\n"  # 4: same person
            "ÅSA ÖBERG;ASA.OBERG@EXAMPLE.SE;;;\n")                      # 5: same person again
    result = read(text.encode("utf-8"))
    merge = merge_into_roster(None, result, ROSTER)
    assert_every_row_has_one_outcome(merge, 4)
    assert [(c.outcome, c.line, c.person_id) for c in merge.changes] == [
        (ADDED, 2, "asa-oberg"), (ADDED, 3, "bo-ek"), (MERGED, 4, "asa-oberg"), (MERGED, 5, "asa-oberg")]
    merged = merge.of(MERGED)[0]
    assert merged.into_line == 2
    assert merged.fields == (FieldChange("title", "", "Regionråd"),)
    conflict, spelling = [p for p in merge.problems if p.severity is Severity.WARNING]
    assert conflict.line == 4 and "line 4" in conflict.message and "line 2" in conflict.message
    assert "Uppsala kommun" in conflict.message and "Region Uppsala" in conflict.message
    assert spelling.line == 5 and "'ÅSA ÖBERG' on line 5 but 'Åsa Öberg' on line 2" in spelling.message
    roster, problems = parse_roster(merge.text, "board", ROSTER)
    assert problems == []
    assert [(r.values["id"], r.values["organisation"], r.values["title"], r.values["party"])
            for r in roster.rows] == [("asa-oberg", "Region Uppsala", "Regionråd", "S"),
                                      ("bo-ek", "Knivsta", "", "")]


def test_the_same_id_twice_in_the_list_is_merged():
    text = "id;namn;parti\nbo-ek;Bo Ek;\nbo-ek;Bo Ek;M\n"
    merge = merge_into_roster(None, read(text.encode("utf-8")), ROSTER)
    assert [c.outcome for c in merge.changes] == [ADDED, MERGED]
    assert "bo-ek;Bo Ek;;;;;M;" in merge.text


def test_two_different_people_with_one_name_get_numbered_ids():
    text = ("namn;e-post;organisation\n"
            "Anders Karlsson;anders@uppsala.example.se;Uppsala kommun\n"
            "Anders Karlsson;anders@enkoping.example.se;Enköpings kommun\n"
            "Anders Karlsson;anders.k@knivsta.example.se;Knivsta kommun\n")
    existing = "id;namn;e-post\nanders-karlsson;Anders Karlsson;anders@uppsala.example.se\n"
    merge = merge_into_roster(existing, read(text.encode("utf-8")), ROSTER)
    assert [(c.outcome, c.person_id) for c in merge.changes] == [
        (UPDATED, "anders-karlsson"), (ADDED, "anders-karlsson-2"), (ADDED, "anders-karlsson-3")]


def test_a_name_alone_matches_a_person_without_email_but_not_one_with_another_email():
    existing = ("id;namn;e-post\n"
                "bo-ek;Bo Ek;\n"
                "asa-oberg;Åsa Öberg;asa@example.se\n")
    text = "namn;e-post\nBo Ek;bo@example.se\nÅsa Öberg;\nÅsa Öberg;annan.asa@example.se\n"
    merge = merge_into_roster(existing, read(text.encode("utf-8")), ROSTER)
    assert [(c.outcome, c.person_id, c.fields) for c in merge.changes] == [
        (UPDATED, "bo-ek", (FieldChange("email", "", "bo@example.se"),)),
        (UNCHANGED, "asa-oberg", ()),
        (ADDED, "asa-oberg-2", ()),
    ]


def test_an_id_given_to_someone_else_is_rejected():
    existing = "id;namn\nbo-ek;Bo Ek\n"
    merge = merge_into_roster(existing, read("id;namn\nbo-ek;Bodil Ek\n".encode("utf-8")), ROSTER)
    [change] = merge.changes
    assert change.outcome == REJECTED and change.line == 2
    assert change.problem.message == "id 'bo-ek' is Bo Ek (roster line 2) but Bodil Ek here"


def test_a_name_shared_by_two_on_the_roster_needs_an_email():
    existing = "id;namn;e-post\nbo-ek;Bo Ek;bo@a.example.se\nbo-ek-2;Bo Ek;bo@b.example.se\n"
    merge = merge_into_roster(existing, read("namn\nBo Ek\n".encode("utf-8")), ROSTER)
    [change] = merge.changes
    assert change.outcome == REJECTED
    assert "2 people are called Bo Ek" in change.problem.message


# --- merging into a roster ----------------------------------------------------------------------

EXISTING = ("\ufeffid;namn;roll;organisation;titel;e-post;parti;språk\r\n"
            "asa-oberg;Åsa Öberg;ordförande;Region Uppsala;Regionråd;asa.oberg@example.se;S;sv,en\r\n"
            "kansliet-bo;Bo Ek;ledamot;Knivsta kommun;;bo.ek@example.se;M;sv\r\n"
            "cecilia-lund;Cecilia Lund;ersättare;Enköpings kommun;Kommunalråd;;C;sv\r\n")


def test_merging_keeps_ids_and_reports_updated_fields():
    text = ("E-post;Förnamn;Efternamn;Befattning;Språk;Organisation\r\n"
            "ASA.OBERG@example.se;Åsa;Öberg;Regionstyrelsens ordförande;sv, en;\r\n"  # by e-mail
            "bo.ek@example.se;Bo;Ek;Kommunalråd;sv;Knivsta kommun\r\n"                  # by e-mail
            ";Cecilia;Lund;;;\r\n"                                                      # by name, unchanged
            "ulf@example.se;Ulf;Åkesson;;;Tierps kommun\r\n")                           # new
    result = read(text.encode("cp1252"))
    merge = merge_into_roster(EXISTING, result, ROSTER)
    assert_every_row_has_one_outcome(merge, 4)
    assert [(c.outcome, c.line, c.person_id, c.fields) for c in merge.changes] == [
        (UPDATED, 2, "asa-oberg", (FieldChange("title", "Regionråd", "Regionstyrelsens ordförande"),)),
        (UPDATED, 3, "kansliet-bo", (FieldChange("title", "", "Kommunalråd"),)),
        (UNCHANGED, 4, "cecilia-lund", ()),
        (ADDED, 5, "ulf-akesson", ()),
    ]
    roster, problems = parse_roster(merge.text, "board", ROSTER)
    assert problems == []
    assert [row.values for row in roster.rows] == [
        {"id": "asa-oberg", "name": "Åsa Öberg", "role": "ordförande", "organisation": "Region Uppsala",
         "title": "Regionstyrelsens ordförande", "email": "asa.oberg@example.se", "party": "S",
         "languages": "sv,en"},
        {"id": "kansliet-bo", "name": "Bo Ek", "role": "ledamot", "organisation": "Knivsta kommun",
         "title": "Kommunalråd", "email": "bo.ek@example.se", "party": "M", "languages": "sv"},
        {"id": "cecilia-lund", "name": "Cecilia Lund", "role": "ersättare", "organisation": "Enköpings kommun",
         "title": "Kommunalråd", "email": "", "party": "C", "languages": "sv"},
        {"id": "ulf-akesson", "name": "Ulf Åkesson", "role": "", "organisation": "Tierps kommun", "title": "",
         "email": "ulf@example.se", "party": "", "languages": ""},
    ]
    assert merge.changed and merge.text.endswith("\r\n") and "\n" not in merge.text.replace("\r\n", "")


def test_a_renamed_person_without_an_id_cell_keeps_the_id_made_from_the_old_name():
    existing = "namn;e-post\nAnna Lind;anna@example.se\n"
    merge = merge_into_roster(existing, read("namn;e-post\nAnna Lind-Berg;anna@example.se\n".encode()), ROSTER)
    [change] = merge.changes
    assert (change.outcome, change.person_id) == (UPDATED, "anna-lind")
    assert FieldChange("name", "Anna Lind", "Anna Lind-Berg") in change.fields
    roster, _ = parse_roster(merge.text, "board", ROSTER)
    assert roster.rows[0].values["id"] == "anna-lind"


def test_nothing_new_leaves_the_roster_byte_for_byte():
    text = "namn;e-post\nÅsa Öberg;ASA.OBERG@EXAMPLE.SE\nBo Ek;\n"
    merge = merge_into_roster(EXISTING, read(text.encode("utf-8")), ROSTER)
    assert not merge.changed
    assert merge.content == EXISTING.encode("utf-8")
    assert [c.outcome for c in merge.changes] == [UNCHANGED, UNCHANGED]


@pytest.mark.parametrize("roster", sorted((REPOSITORY / "events").glob("*.csv")), ids=lambda p: p.name)
def test_an_empty_list_leaves_every_example_roster_as_it_is(roster):
    existing = roster.read_bytes()
    merge = merge_into_roster(existing.decode("utf-8-sig"), read(b"namn\n"), f"events/{roster.name}")
    assert merge.content == existing and not merge.changed


def test_a_new_roster_is_written_as_the_workspace_writes_rosters(tmp_path):
    merge = merge_into_roster(None, read("Namn;Kommun\nÅsa Öberg;Östhammar\n".encode("cp1252")), ROSTER)
    assert merge.content == (codecs.BOM_UTF8 + "id;namn;roll;organisation;titel;e-post;parti;språk\r\n"
                             "asa-oberg;Åsa Öberg;;Östhammar;;;;\r\n".encode("utf-8"))


def test_an_lf_roster_stays_lf():
    existing = "id;namn\nbo-ek;Bo Ek\n"
    merge = merge_into_roster(existing, read("namn\nÅsa Öberg\n".encode()), ROSTER)
    assert "\r" not in merge.text and merge.text.count("\n") == 3


def test_a_roster_with_rows_that_cannot_be_read_is_not_rewritten():
    existing = "id;namn;organisation\nbo-ek;Bo Ek;Region; Uppsala\n"
    with pytest.raises(ProblemsFound) as raised:
        merge_into_roster(existing, read("namn\nÅsa Öberg\n".encode()), ROSTER)
    [problem] = raised.value.problems
    assert (problem.file, problem.line) == (ROSTER, 2)


@pytest.mark.parametrize("header, delimiter, newline, codec, bom, detected", FORMATS.values(), ids=FORMATS)
def test_the_roster_written_reads_back_without_problems_and_keeps_every_diacritic(
        tmp_path, header, delimiter, newline, codec, bom, detected):
    data = bom + csv_text(people_table(header), delimiter, newline).encode(codec)
    merge = merge_into_roster(None, read(data), ROSTER)
    path = tmp_path / "events" / "board.csv"
    path.parent.mkdir()
    path.write_bytes(merge.content)
    roster, problems = read_roster(path, ROSTER)
    assert problems == []
    assert [{key: row.values[key] for key in ("name", "organisation", "email")} for row in roster.rows] == PEOPLE
    assert [row.values["id"] for row in roster.rows] == ["asa-oberg", "bjorn-angstrom", "unal-celik"]


def test_line_breaks_inside_cells_survive_the_roster_in_either_line_ending(tmp_path):
    result = read('namn,organisation\nÅsa Öberg,"Region Uppsala\r\nkansliet"\n'.encode())
    for existing in ("id;namn\n", "id;namn\r\n"):
        merge = merge_into_roster(existing, result, ROSTER)
        roster, problems = parse_roster(merge.text, "board", ROSTER)
        assert problems == []
        assert roster.rows[0].values["organisation"] == "Region Uppsala\nkansliet"


def test_a_merged_roster_passes_the_workspace_check(tiny):
    text = ("Förnamn;Efternamn;E-post;Roll\r\n"
            "Åsa;Öberg;ASA@example.org;ordförande\r\n"
            "Björn;Ängström;bjorn@example.org;ledamot\r\n")
    path = tiny.root / "events" / "board.csv"
    merge = merge_into_roster(path.read_text("utf-8-sig"), read(text.encode("cp1252")), "events/board.csv")
    path.write_bytes(merge.content)
    checked = tiny.check()
    assert not checked.problems, checked.problems
    assert "asa-oberg;Åsa Öberg;ordförande" in merge.text  # the speaker's id is kept


# --- what the terminal shows --------------------------------------------------------------------

def test_the_dry_run_description_lists_every_change():
    text = ("Namn;E-post;Titel;Skostorlek\r\n"
            "Åsa Öberg;asa.oberg@example.se;Regionstyrelsens ordförande;38\r\n"
            "Ulf Åkesson;ulf@example.se;;\r\n"
            "ulf åkesson;ULF@example.se;Kommunalråd;\r\n"
            ";nobody@example.se;;\r\n"
            "Cecilia Lund;;;\r\n")
    merge = merge_into_roster(EXISTING, read(text.encode("cp1252")), ROSTER)
    lines = describe(merge, dry_run=True).splitlines()
    assert lines[0] == f"Read {LIST} as Windows-1252, delimiter ';': 5 row(s)."
    assert lines[1] == f"Would change {ROSTER}: 1 added, 1 updated, 1 unchanged, 1 merged, 1 rejected."
    assert lines[2:6] == [
        f"  ~ update  asa-oberg (Åsa Öberg), {LIST}:2: titel 'Regionråd' -> 'Regionstyrelsens ordförande'; "
        "Skostorlek '' -> '38'",
        f"  + add     ulf-akesson (Ulf Åkesson), {LIST}:3",
        f"  = merge   {LIST}:4 into line 3, ulf-akesson: titel '' -> 'Kommunalråd'",
        f"  ! reject  {LIST}:5: the row has no name; fill in the name, or delete the row",
    ]
    assert not any("Skostorlek" in line and "warning" in line for line in lines[6:])  # kept, not dropped
    assert lines[-1] == "Nothing was written (--dry-run)."


def test_the_description_of_an_import_that_changes_nothing():
    merge = merge_into_roster(EXISTING, read("namn\nBo Ek\n".encode()), ROSTER)
    assert describe(merge).splitlines()[1] == \
        f"{ROSTER} is unchanged: 0 added, 0 updated, 1 unchanged, 0 merged, 0 rejected."


def test_importing_the_same_list_twice_changes_nothing_the_second_time():
    data = ("Namn;E-post;Organisation\r\nÅsa Öberg;asa@example.org;Region Uppsala\r\n"
            "Nisse Ärlig;ASA@example.org;Annan org\r\n").encode("cp1252")
    first = merge_into_roster(None, read_participants(data, "d.csv"), "events/guests.csv")
    second = merge_into_roster(first.content.decode("utf-8-sig"), read_participants(data, "d.csv"),
                               "events/guests.csv")
    assert not second.changed
    assert "Åsa Öberg;" in second.text and "Nisse" not in second.text


def test_roles_in_english_or_capitals_become_the_rosters_words():
    data = ("Name;Email;Role\nAnn Ek;ann@example.org;Speaker\nBo Ek;bo@example.org;guest\n"
            "Cy Ek;cy@example.org;Ledamot\nDi Ek;di@example.org;astronaut\n").encode("utf-8")
    rows = {row.values["name"]: row.values["role"] for row in read_participants(data, "x.csv").rows}
    assert rows == {"Ann Ek": "talare", "Bo Ek": "gäst", "Cy Ek": "ledamot", "Di Ek": "astronaut"}


def test_cells_a_spreadsheet_would_run_are_kept_as_text_and_warned_about():
    data = "namn;e-post\n=HYPERLINK(\"http://x.example\");a@example.org\n@SUM(1+1);b@example.org\n".encode()
    result = read_participants(data, "lista.csv")
    warnings = [p for p in result.problems if p.severity is Severity.WARNING]
    assert [p.line for p in warnings] == [2, 3] and all("formula" in p.message for p in warnings)
    merge = merge_into_roster(None, result, "events/nya.csv")
    rows = list(csv.reader(io.StringIO(merge.content.decode("utf-8-sig")), delimiter=";"))
    names = [row[1] for row in rows[1:]]
    assert all(name.startswith("'") for name in names), names


def test_a_formula_like_name_is_neutralised_in_the_roster_csv_only(cli, tiny):
    """The roster is opened in Excel, so its cells keep the apostrophe that stops a formula; read
    back, the name is the name as typed: a badge says '=Anna Berg', never the apostrophe."""
    from pypdf import PdfReader

    listing = tiny.root / "lista.csv"
    listing.write_text("namn;e-post;organisation;Telefon\n=Anna Berg;anna@example.org;@Uppsala;+46 70 123 45 67\n",
                       encoding="utf-8")
    imported = cli("--workspace", str(tiny.root), "import", "participants", str(listing), "--roster", "board")
    assert imported.exit_code == 0, imported.output
    rows = list(csv.DictReader(io.StringIO((tiny.root / "events" / "board.csv").read_text(encoding="utf-8-sig")),
                               delimiter=";"))
    anna = next(row for row in rows if "Anna Berg" in row["namn"])
    assert (anna["namn"], anna["organisation"], anna["Telefon"]) == ("'=Anna Berg", "'@Uppsala", "'+46 70 123 45 67")
    badges = cli("--workspace", str(tiny.root), "badges", "konferens")
    assert badges.exit_code == 0, badges.output
    pdf = tiny.root / "build" / "badges" / "konferens.pdf"
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "=Anna Berg" in text and "@Uppsala" in text and "'" not in text
