"""Roster CSV text -> rows, each with the line it starts on, as organisers export them from Excel."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from motesplats.fields import ROSTER_COLUMNS, ROSTER_REQUIRED
from motesplats.load.files import decode_utf8, read_bytes
from motesplats.problems import Problem
from motesplats.spreadsheets import cell_value
from motesplats.suggest import did_you_mean

DELIMITERS = ";,\t"
EXTRA = "+"  # key prefix of a column motesplats does not use (Specialkost, Telefon): kept, never lost


def extra_key(header: str) -> str:
    return EXTRA + header


@dataclass(frozen=True)
class RosterRow:
    """One person's row: the column values by their English field name, and the columns motesplats
    does not use by EXTRA + their header."""

    file: str
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class RosterFile:
    roster_id: str
    file: str
    rows: tuple[RosterRow, ...]


def read_roster(file: Path, shown_as: str) -> tuple[RosterFile, list[Problem]]:
    """Read a roster CSV: UTF-8 (with or without BOM), delimiter `;`, `,` or tab."""
    raw = read_bytes(file, shown_as)
    if isinstance(raw, Problem):
        return RosterFile(file.stem, shown_as, ()), [raw]
    return roster_from_bytes(raw, file.stem, shown_as)


def roster_from_bytes(raw: bytes, roster_id: str, shown_as: str) -> tuple[RosterFile, list[Problem]]:
    """Parse a roster file's bytes; text that is not UTF-8 is a Problem at its line."""
    text = decode_utf8(raw, shown_as, "export it from Excel as 'CSV UTF-8', or run "
                       "'motesplats import participants' which reads Excel's other encodings")
    if isinstance(text, Problem):
        return RosterFile(roster_id, shown_as, ()), [text]
    return parse_roster(text, roster_id, shown_as)


def parse_roster(text: str, roster_id: str, shown_as: str) -> tuple[RosterFile, list[Problem]]:
    """Parse roster CSV text into rows keyed by field name, with every unusable row reported."""
    problems: list[Problem] = []
    # Strict: a quote that is never closed is an error at its row, not the rest of the file in one cell.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text), strict=True)
    try:
        header = next(reader, None)
    except csv.Error as error:
        return RosterFile(roster_id, shown_as, ()), [_unreadable(shown_as, 1, error)]
    if not header:
        return RosterFile(roster_id, shown_as, ()), [
            Problem(shown_as, 1, "the roster is empty",
                    "the first row must name the columns, e.g. id;namn;roll;organisation;e-post")]
    columns = _map_header(header, shown_as, problems)
    if problems:
        return RosterFile(roster_id, shown_as, ()), problems
    rows = []
    line = reader.line_num + 1
    while True:
        start = line
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:  # nothing after it can be trusted
            problems.append(_unreadable(shown_as, start, error))
            break
        line = reader.line_num + 1
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) > len(header) and any(cell.strip() for cell in cells[len(header):]):
            problems.append(Problem(shown_as, start, f"the row has {len(cells)} cells but the header "
                                    f"has {len(header)}", "a value may contain the delimiter: put it "
                                    "in double quotes, or remove the extra cells"))
            continue
        values = {name: cell_value(cells[i].strip()) for i, name in columns.items() if i < len(cells)}
        rows.append(RosterRow(shown_as, start, values))
    return RosterFile(roster_id, shown_as, tuple(rows)), problems


def _unreadable(file: str, line: int, error: csv.Error) -> Problem:
    if "end of data" in str(error):
        return Problem(file, line, f"a quote opened on line {line} is never closed",
                       "close the quote, or double it (\"\") where it is part of a value")
    return Problem(file, line, f"the row cannot be read: {error}", "check the quotes on this row")


def _delimiter(text: str) -> str:
    first_line = text.split("\n", 1)[0]
    return max(DELIMITERS, key=first_line.count)


def _map_header(header: list[str], file: str, problems: list[Problem]) -> dict[int, str]:
    """Column index -> field name (EXTRA + header for the organisers' own columns), reporting
    columns that look mistyped, repeated and missing."""
    by_alias = {alias: name for name, aliases in ROSTER_COLUMNS.items() for alias in aliases}
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        label = title.strip().lower()
        if not label:
            continue
        name = by_alias.get(label)
        if name is None:
            suggestion = did_you_mean(label, by_alias)
            if suggestion:  # most likely a typing mistake in a column motesplats reads
                problems.append(Problem(file, 1, f"unknown column '{title.strip()}'", suggestion))
            else:  # the organisers' own column (Specialkost, Telefon): kept in the file, not read
                columns[index] = extra_key(title.strip())
        elif name in columns.values():
            problems.append(Problem(file, 1, f"column '{title.strip()}' appears twice",
                                    "remove one of them"))
        else:
            columns[index] = name
    for required in ROSTER_REQUIRED:
        if required not in columns.values() and not problems:
            problems.append(Problem(file, 1, f"no '{required}' column",
                                    f"add a column headed '{ROSTER_COLUMNS[required][1]}'"))
    return columns
