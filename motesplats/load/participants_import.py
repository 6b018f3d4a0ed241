"""Participant lists as organisers receive them -> rows for a roster, and the roster they make.

Lists come from Excel, registration forms and colleagues' mail: Windows-1252 or UTF-8 or
UTF-16, semicolons, commas or tabs, Swedish or English headers, first and last names in two
columns, the same person twice. `read_participants` reads all of that into rows keyed by the
roster's field names and reports every row it cannot use; `merge_into_roster` folds the rows into
an existing roster, keeping the ids feeds are made from; `describe` says what changed (or would).
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePath

from motesplats.fields import ROSTER_COLUMNS
from motesplats.identifiers import EMAIL_PATTERN, ID_PATTERN, slug
from motesplats.load.rosters_csv import EXTRA, extra_key, parse_roster
from motesplats.problems import Problem, ProblemsFound, Severity, is_error
from motesplats.spreadsheets import looks_like_formula, safe_cell
from motesplats.suggest import did_you_mean

DELIMITERS = (";", "\t", ",")  # in order of preference when the header does not decide
DELIMITER_NAMES = {";": "';'", ",": "','", "\t": "tab"}
ENCODING_NAMES = {
    "utf-8-sig": "UTF-8 with BOM", "utf-8": "UTF-8", "cp1252": "Windows-1252",
    "utf-16-le": "UTF-16 LE", "utf-16-be": "UTF-16 BE", "utf-32-le": "UTF-32 LE", "utf-32-be": "UTF-32 BE",
}

# The roster as the workspace writes it: field name -> header, in column order.
ROSTER_HEADER = {
    "id": "id", "name": "namn", "role": "roll", "organisation": "organisation", "title": "titel",
    "email": "e-post", "party": "parti", "languages": "språk", "deputy_for": "ersättare för",
}
assert set(ROSTER_HEADER) == set(ROSTER_COLUMNS), "ROSTER_HEADER must name every roster column"
OPTIONAL_COLUMNS = ("deputy_for",)  # written only when a row fills it: most rosters have no personal deputies

# Headers seen in participant lists, beyond the roster's own (fields.ROSTER_COLUMNS is added below).
# first_name and last_name are joined into name.
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "id": ("id", "person-id"),
    "name": ("namn", "name", "fullständigt namn", "full name", "för- och efternamn", "deltagare",
             "participant"),
    "first_name": ("förnamn", "first name", "given name", "tilltalsnamn"),
    "last_name": ("efternamn", "last name", "surname", "family name"),
    "role": ("roll", "role", "funktion", "uppdrag"),
    "organisation": ("organisation", "organization", "organisation/kommun", "kommun", "företag", "company",
                     "myndighet", "arbetsgivare", "employer"),
    "title": ("titel", "title", "befattning", "tjänstetitel", "job title", "position"),
    "email": ("e-post", "e-postadress", "email", "e-mail", "email address", "e-mail address", "mail",
              "mailadress", "mejl", "mejladress"),
    "party": ("parti", "party", "partitillhörighet"),
    "languages": ("språk", "languages", "language"),
}

ADDED, UPDATED, UNCHANGED, MERGED, REJECTED = "added", "updated", "unchanged", "merged", "rejected"
OUTCOMES = (ADDED, UPDATED, UNCHANGED, MERGED, REJECTED)


@dataclass(frozen=True)
class ImportedRow:
    """A row that can be used: the line it starts on and its values by roster field name."""

    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class RejectedRow:
    """A row that cannot be used, and why."""

    line: int
    problem: Problem


@dataclass(frozen=True)
class ImportResult:
    """What a participant list held: usable rows, rejected rows, and how the file was read.

    `problems` has every rejection (errors, by line), problems with the whole file (errors at the
    header line: nothing could be read) and warnings (ignored columns).
    """

    file: str
    encoding: str  # a Python codec name: utf-8-sig, utf-8, cp1252, utf-16-le, utf-16-be
    delimiter: str
    rows: tuple[ImportedRow, ...] = ()
    rejected: tuple[RejectedRow, ...] = ()
    problems: tuple[Problem, ...] = ()
    columns: tuple[tuple[str, str], ...] = ()  # (header as written, field it fills or "" if ignored)

    @property
    def data_rows(self) -> int:
        """Rows that held anything (blank rows do not count)."""
        return len(self.rows) + len(self.rejected)

    @property
    def readable(self) -> bool:
        """False when the file as a whole could not be read (encoding, no name column)."""
        rejected = {row.problem for row in self.rejected}
        return not any(is_error(p) and p not in rejected for p in self.problems)


@dataclass(frozen=True)
class FieldChange:
    field: str  # roster field name (see ROSTER_HEADER for the column it is written in)
    old: str
    new: str


@dataclass(frozen=True)
class Change:
    """What became of one row of the participant list."""

    outcome: str  # one of OUTCOMES
    line: int  # line of the participant list where the row starts
    person_id: str = ""
    name: str = ""
    fields: tuple[FieldChange, ...] = ()  # updated: roster old -> new; merged: the cells it filled in
    into_line: int = 0  # merged: the line of the row it was merged into
    problem: Problem | None = None  # rejected: why


@dataclass(frozen=True)
class Merge:
    """A roster with a participant list folded in: its new text and what happened to every row."""

    source: ImportResult
    roster_file: str
    text: str  # the new roster CSV, without the BOM (see `content`)
    original: str  # the roster's text before, "" when there was none
    changes: tuple[Change, ...]  # one per data row of the participant list, in line order
    problems: tuple[Problem, ...]  # the list's problems and conflicts found while merging

    @property
    def content(self) -> bytes:
        """The bytes to write: UTF-8 with BOM, as Excel opens it with å, ä and ö intact."""
        return codecs.BOM_UTF8 + self.text.encode("utf-8")

    @property
    def changed(self) -> bool:
        return self.text != self.original

    def of(self, outcome: str) -> tuple[Change, ...]:
        return tuple(change for change in self.changes if change.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {outcome: len(self.of(outcome)) for outcome in OUTCOMES}


# --- reading --------------------------------------------------------------------------------

def read_participants(data: bytes, shown_as: str) -> ImportResult:
    """Read a participant list in any of the encodings and delimiters organisers send."""
    text, encoding, problem = decode(data, shown_as)
    if problem is not None:
        return ImportResult(shown_as, encoding, "", problems=(problem,))
    text = unicodedata.normalize("NFC", text)  # Macs write å as a + ring; compare and write it as one
    lines = list(io.StringIO(text, newline=""))  # physical lines, split exactly as csv counts them
    first = 0
    declared = re.fullmatch(r'"?sep=(.)"?\s*', lines[0], re.IGNORECASE) if lines else None
    if declared:  # Excel's "sep=;" line names the delimiter; the header follows it
        delimiter, first = declared.group(1), 1
    else:
        delimiter = detect_delimiter(text, default="\t" if encoding.startswith("utf-16") else ";")
    reader = csv.reader(lines[first:], delimiter=delimiter)
    problems: list[Problem] = []
    rows: list[ImportedRow] = []
    rejected: list[RejectedRow] = []

    def reject(line: int, message: str, hint: str) -> None:
        problem = Problem(shown_as, line, message, hint)
        rejected.append(RejectedRow(line, problem))
        problems.append(problem)

    header: list[str] | None = None
    columns: dict[int, str] = {}
    line = first + 1
    try:
        for cells in reader:
            start, line = line, first + reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if header is None:
                header = cells
                columns = _map_header(header, start, shown_as, problems)
                if not {"name", "first_name", "last_name"} & set(columns.values()):
                    problems.append(Problem(shown_as, start, "no name column", "add a column headed 'namn' "
                                            "(or 'förnamn' and 'efternamn'); the first row must name the "
                                            "columns"))
                    break
                continue
            if line - start > 1 and line > len(lines) and _never_closed(lines[start - 1:], delimiter):
                reject(start, f"a quote opened on line {start} is never closed, so the rest of the file "
                       "is one cell", "close the quote, or double it (\"\") where it is part of a value")
                break
            _read_row(cells, start, header, columns, rows, reject)
    except csv.Error as error:  # a cell longer than csv's limit: a runaway quote in a huge file
        reject(line, f"the row cannot be read: {error}", "check the quotes on this row")
    if header is None and not problems:
        problems.append(Problem(shown_as, 1, "the file is empty",
                                "the first row must name the columns, e.g. namn;organisation;e-post"))
    problems += _formula_warnings(rows, shown_as) + _mangled_name_warnings(rows, shown_as)
    labels = tuple((title.strip(), columns.get(index, "")) for index, title in enumerate(header or ())
                   if title.strip())
    return ImportResult(shown_as, encoding, delimiter, tuple(rows), tuple(rejected),
                        tuple(sorted(problems, key=lambda p: p.line)), labels)


def with_roster_title(rosters_toml: str, roster_id: str, title: str) -> str:
    """The text of events/rosters.toml with a [[roster]] for a new roster added at its end."""
    entry = f'[[roster]]\nid = "{roster_id}"\ntitle = {json.dumps(title, ensure_ascii=False)}\n'
    if not rosters_toml.strip():
        return entry
    return rosters_toml.rstrip("\n") + "\n\n" + entry


def _mangled_name_warnings(rows: list[ImportedRow], shown_as: str) -> list[Problem]:
    """Names with question marks where letters were: Excel's plain 'CSV' export replaces every
    letter Windows-1252 lacks (Ł, ż, ğ ...) with '?', before motesplats ever sees the file."""
    return [Problem(shown_as, row.line, f"the name '{row.values['name']}' has question marks where letters "
                    "probably were", "export the list from Excel as 'CSV UTF-8' (Save as > CSV UTF-8) and "
                    "import it again", Severity.WARNING)
            for row in rows if "?" in row.values.get("name", "")]


def _formula_warnings(rows: list[ImportedRow], shown_as: str) -> list[Problem]:
    return [Problem(shown_as, row.line, f"'{key}' begins with {value[0]!r}: a spreadsheet would run it as a formula",
                    "it is kept, and written with a leading ' so that it stays text", Severity.WARNING)
            for row in rows for key, value in row.values.items() if looks_like_formula(value)]


def decode(data: bytes, shown_as: str) -> tuple[str, str, Problem | None]:
    """Bytes -> (text, codec name, problem): a BOM decides; else strict UTF-8, then Windows-1252."""
    for bom, encoding in ((codecs.BOM_UTF32_LE, "utf-32-le"), (codecs.BOM_UTF32_BE, "utf-32-be"),
                          (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"),
                          (codecs.BOM_UTF16_BE, "utf-16-be")):
        if data.startswith(bom):
            return _decode_as(data[len(bom):], encoding, shown_as)
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return "", "", Problem(shown_as, 1, "this is an Excel workbook, not a CSV file",
                               "in Excel choose Save as > 'CSV UTF-8' or 'CSV (semikolonavgränsad)'")
    if b"\x00" in data[:4000]:
        sample = data[:4000]
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        if max(even, odd) > len(sample) // 4:  # UTF-16 without a BOM: every other byte of ASCII is 0
            return _decode_as(data, "utf-16-le" if odd > even else "utf-16-be", shown_as)
        return "", "", Problem(shown_as, 1, "the file is not text", "export the list as CSV")
    try:
        return data.decode("utf-8"), "utf-8", None
    except UnicodeDecodeError:
        return _decode_as(data, "cp1252", shown_as)


def _decode_as(data: bytes, encoding: str, shown_as: str) -> tuple[str, str, Problem | None]:
    codec = "utf-8" if encoding == "utf-8-sig" else encoding
    try:
        return data.decode(codec).lstrip("\ufeff"), encoding, None
    except UnicodeDecodeError as error:
        line = data[: error.start].decode(codec, errors="replace").count("\n") + 1
        return "", encoding, Problem(shown_as, line, f"byte {data[error.start]:#04x} cannot be read as "
                                     f"{ENCODING_NAMES[encoding]}", "save the list from Excel as 'CSV UTF-8'")


def detect_delimiter(text: str, default: str = ";") -> str:
    """The delimiter of the first row that holds anything, counted outside quotes.

    A tie is settled by which delimiter splits the next rows into as many cells as the header;
    a header of one column gives `default`.
    """
    counts = dict.fromkeys(DELIMITERS, 0)
    quoted = has_text = False
    for char in text:
        if char == '"':
            quoted = not quoted  # a doubled quote toggles twice
        elif quoted:
            has_text = has_text or not char.isspace()
        elif char in "\r\n":
            if has_text:
                break
            counts = dict.fromkeys(DELIMITERS, 0)  # a blank or ';;;' line before the header
            continue
        elif char in counts:
            counts[char] += 1
        elif not char.isspace():
            has_text = True
    best = max(counts.values())
    if best == 0:
        return default
    tied = [delimiter for delimiter in DELIMITERS if counts[delimiter] == best]
    if len(tied) == 1:
        return tied[0]
    return max(tied, key=lambda delimiter: _fit(text, delimiter, best + 1))


def _fit(text: str, delimiter: str, width: int) -> int:
    """How many of the first rows split by `delimiter` have `width` cells (trailing empties aside)."""
    fits = 0
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for _, cells in zip(range(20), reader):
            while cells and not cells[-1].strip():
                cells.pop()
            fits += len(cells) == width
    except csv.Error:
        pass
    return fits


def _never_closed(lines: list[str], delimiter: str) -> bool:
    """True when the last row, in `lines`, opens a quote it never closes: it ate the rest of the file."""
    try:
        for _ in csv.reader(lines, delimiter=delimiter, strict=True):
            pass
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def _squash(label: str) -> str:
    """A header as compared: case, spaces, hyphens, dots, colons and asterisks do not count."""
    label = unicodedata.normalize("NFC", label).replace("\ufeff", "").casefold()
    return re.sub(r"[\s\-_.:*]+", "", label)


def _aliases() -> dict[str, str]:
    by_alias: dict[str, str] = {}
    for name, aliases in ROSTER_COLUMNS.items():
        for alias in aliases:
            by_alias.setdefault(_squash(alias), name)
    for name, aliases in HEADER_ALIASES.items():
        for alias in aliases:
            by_alias.setdefault(_squash(alias), name)
    return by_alias


def _known_headers() -> list[str]:
    return list(dict.fromkeys(alias for aliases in (*HEADER_ALIASES.values(), *ROSTER_COLUMNS.values())
                              for alias in aliases))


def _map_header(header: list[str], line: int, file: str, problems: list[Problem]) -> dict[int, str]:
    """Column index -> field, warning once about each column that is ignored."""
    by_alias = _aliases()
    columns: dict[int, str] = {}
    for index, title in enumerate(header):
        label = " ".join(title.split())
        if not label:
            continue
        name = by_alias.get(_squash(label))
        if name is None:
            suggestion = did_you_mean(label.lower(), _known_headers())
            if suggestion:  # probably a roster column mistyped: the roster would not read it either
                problems.append(Problem(file, line, f"column '{label}' is not a roster column and is ignored",
                                        suggestion, Severity.WARNING))
            else:  # the organisers' own (Specialkost, Telefon, Land): kept in the roster as it is
                columns[index] = extra_key(label)
        elif name in columns.values():
            first = header[next(i for i, n in columns.items() if n == name)].strip()
            problems.append(Problem(file, line, f"column '{label}' is ignored: '{first}' already gives "
                                    f"the {name.replace('_', ' ')}", "remove one of the two columns",
                                    Severity.WARNING))
        else:
            columns[index] = name
    return columns


def _read_row(cells: list[str], line: int, header: list[str], columns: dict[int, str],
              rows: list[ImportedRow], reject) -> None:
    width = len(header)
    used = len(cells)
    while used > width and not cells[used - 1].strip():
        used -= 1
    if used > width:
        reject(line, f"the row has {used} cells but the header has {width}",
               "a value may contain the delimiter: put it in double quotes, or remove the extra cells")
        return
    found = {name: _clean(cells[index]) for index, name in columns.items() if index < len(cells)}
    name = " ".join(found.pop("name", "").split())
    joined = " ".join(" ".join((found.pop("first_name", ""), found.pop("last_name", ""))).split())
    name = name or joined
    if not name:
        reject(line, "the row has no name", "fill in the name, or delete the row")
        return
    email = found.get("email", "")
    if email and not EMAIL_PATTERN.fullmatch(email):
        reject(line, f"'{email}' is not an e-mail address", "write it as name@example.org, or leave it empty")
        return
    identifier = found.get("id", "")
    if identifier and not ID_PATTERN.fullmatch(identifier):
        reject(line, f"'{identifier}' is not a usable person id",
               f"use lowercase letters, digits and hyphens, e.g. '{slug(name)}', or leave it empty")
        return
    if found.get("role"):
        found["role"] = ROLE_WORDS.get(found["role"].strip().lower(), found["role"].strip())
    values = {key: name if key == "name" else found[key] for key in ROSTER_HEADER if key in found or key == "name"}
    values |= {key: value for key, value in found.items() if key.startswith(EXTRA)}
    rows.append(ImportedRow(line, values))


# Roles as registration systems write them in English (or capitalised), as the rosters and the
# badges' roles.toml name them.
ROLE_WORDS = {
    "member": "ledamot", "ledamot": "ledamot", "deputy": "ersättare", "substitute": "ersättare",
    "ersättare": "ersättare", "chair": "ordförande", "chairman": "ordförande", "chairperson": "ordförande",
    "ordförande": "ordförande", "vice chair": "vice ordförande", "vice ordförande": "vice ordförande",
    "speaker": "talare", "talare": "talare", "moderator": "moderator", "staff": "personal",
    "personal": "personal", "guest": "gäst", "gäst": "gäst", "press": "press", "delegate": "delegat",
    "delegat": "delegat", "host": "värd", "värd": "värd", "interpreter": "tolk", "tolk": "tolk",
}


def _clean(cell: str) -> str:
    """A cell trimmed, its line breaks as \\n (a lone \\r would break an LF roster)."""
    return cell.replace("\r\n", "\n").replace("\r", "\n").strip()


# --- merging --------------------------------------------------------------------------------

@dataclass
class _Person:
    """A person on the roster being built: as it was, as it becomes, and which line set what."""

    values: dict[str, str]
    original: dict[str, str] | None  # None for someone new
    person_id: str
    roster_line: int = 0
    primary: int = 0  # the line of the participant list that first matched this person
    set_by: dict[str, int] = field(default_factory=dict)  # field -> line of the list that gave it
    filled: dict[int, list[FieldChange]] = field(default_factory=dict)  # merged line -> cells it gave


def merge_into_roster(existing_csv_text: str | None, result: ImportResult,
                      roster_file: str = "roster.csv") -> Merge:
    """Fold the rows of a participant list into a roster (None or "" for a new one).

    A person already on the roster is found by e-mail (any case), else by id, else by exact name,
    and keeps their id; a filled cell of the list replaces the roster's value, an empty one
    never erases it. Rows of the list that are the same person are merged into the first, which
    wins where they disagree (a warning names both lines). New people get the list's id or one
    made from their name, unique on the roster. Raises ProblemsFound if the existing roster has
    rows that cannot be read, since rewriting it would lose them.
    """
    original = (existing_csv_text or "").lstrip("\ufeff")
    people: list[_Person] = []
    if original.strip():
        roster, roster_problems = parse_roster(original, PurePath(roster_file).stem, roster_file)
        if roster_problems:
            raise ProblemsFound(roster_problems)
        for row in roster.rows:
            values = {key: row.values.get(key, "") for key in ROSTER_HEADER} | _extras(row.values)
            people.append(_Person(values, dict(values), values["id"] or slug(values["name"]), row.line))
    newline = "\n" if "\n" in original and "\r\n" not in original else "\r\n"
    index = _Index(people)
    problems = list(result.problems)
    outcome: dict[int, Change] = {row.line: Change(REJECTED, row.line, problem=row.problem)
                                  for row in result.rejected}
    merged_into: dict[int, _Person] = {}
    for row in result.rows:
        person, problem = _match(row, index, result.file, problems)
        if problem is not None:
            problems.append(problem)
            outcome[row.line] = Change(REJECTED, row.line, name=row.values["name"], problem=problem)
            continue
        if person is None:
            person_id = row.values.get("id") or index.unique(slug(row.values["name"]))
            if not person_id:
                problem = Problem(result.file, row.line, f"no id can be made from the name "
                                  f"'{row.values['name']}'", "add an id column with an id for this person")
                problems.append(problem)
                outcome[row.line] = Change(REJECTED, row.line, name=row.values["name"], problem=problem)
                continue
            values = {key: row.values.get(key, "") for key in ROSTER_HEADER} | _extras(row.values) | {"id": person_id}
            person = _Person(values, None, person_id, primary=row.line,
                             set_by={key: row.line for key, value in values.items() if value})
            people.append(person)
        elif not person.primary:
            person.primary = row.line
            _apply(person, row, overwrite=True, file=result.file, problems=problems)
        else:
            person.filled[row.line] = _apply(person, row, overwrite=False, file=result.file, problems=problems)
            merged_into[row.line] = person
        index.add(person)
    for person in people:
        if not person.primary:
            continue
        if person.original is None:
            outcome[person.primary] = Change(ADDED, person.primary, person.person_id, person.values["name"])
            continue
        if not person.values["id"] and person.values["name"] != person.original["name"]:
            person.values["id"] = person.person_id  # its id came from the old name: write it down
        keys = [*ROSTER_HEADER, *(key for key in person.values if key.startswith(EXTRA))]
        changes = tuple(FieldChange(key, person.original.get(key, ""), person.values[key]) for key in keys
                        if person.values[key] != person.original.get(key, ""))
        outcome[person.primary] = Change(UPDATED if changes else UNCHANGED, person.primary, person.person_id,
                                         person.values["name"], changes)
    for line, person in merged_into.items():
        outcome[line] = Change(MERGED, line, person.person_id, person.values["name"],
                               tuple(person.filled[line]), into_line=person.primary)
    if original.strip() and all(person.values == person.original for person in people):
        text = original  # nobody added or changed: keep the file as it was, byte for byte
    else:
        text = _roster_text(people, newline)
    changes = tuple(outcome[line] for line in sorted(outcome))
    assert len(changes) == result.data_rows, "every row of the list has exactly one outcome"
    return Merge(result, roster_file, text, original, changes,
                 tuple(sorted(problems, key=lambda p: (p.file != result.file, p.line))))


class _Index:
    """People by e-mail (any case), id and name, and the ids taken."""

    def __init__(self, people: list[_Person]):
        self.by_email: dict[str, _Person] = {}
        self.by_id: dict[str, _Person] = {}
        self.by_name: dict[str, list[_Person]] = {}
        for person in people:
            self.add(person)

    def add(self, person: _Person) -> None:
        if person.values["email"]:
            self.by_email.setdefault(person.values["email"].casefold(), person)
        self.by_id.setdefault(person.person_id, person)
        named = self.by_name.setdefault(_name_key(person.values["name"]), [])
        if person not in named:
            named.append(person)

    def unique(self, base: str) -> str:
        if not base:
            return ""
        candidate, number = base, 1
        while candidate in self.by_id:
            number += 1
            candidate = f"{base}-{number}"
        return candidate


def _name_key(name: str) -> str:
    return " ".join(name.split())


def _match(row: ImportedRow, index: _Index, file: str,
           problems: list[Problem]) -> tuple[_Person | None, Problem | None]:
    """The person a row is about, or None for someone new; or a problem when that is unclear."""
    values = row.values
    name, email, identifier = values["name"], values.get("email", "").casefold(), values.get("id", "")
    person = index.by_email.get(email) if email else None
    if person is not None:
        if identifier and identifier != person.person_id:
            problems.append(Problem(file, row.line, f"{name} has id '{identifier}' here, but the e-mail "
                                    f"{values['email']} belongs to '{person.person_id}'",
                                    f"'{person.person_id}' is kept; ids never change", Severity.WARNING))
        return person, None
    if identifier:
        person = index.by_id.get(identifier)
        if person is not None:
            if _name_key(person.values["name"]).casefold() != _name_key(name).casefold():
                return None, Problem(file, row.line, f"id '{identifier}' is {person.values['name']} "
                                     f"({_where(person, file)}) but {name} here",
                                     "give the other person another id, or correct the name")
            return person, None
    candidates = [person for person in index.by_name.get(_name_key(name), [])
                  if not (email and person.values["email"] and person.values["email"].casefold() != email)]
    if len(candidates) > 1:
        return None, Problem(file, row.line, f"{len(candidates)} people are called {name} "
                             f"({', '.join(p.person_id for p in candidates)}); this row could be any of them",
                             "add their e-mail address or id to the row")
    return (candidates[0] if candidates else None), None


def _where(person: _Person, file: str) -> str:
    return f"line {person.primary} of {file}" if person.original is None else f"roster line {person.roster_line}"


def _apply(person: _Person, row: ImportedRow, overwrite: bool, file: str,
           problems: list[Problem]) -> list[FieldChange]:
    """Take a row's filled cells into a person: over the roster's values, not over an earlier row's."""
    given: list[FieldChange] = []
    for key, value in row.values.items():
        if key == "id" or not value:
            continue
        current = person.values.get(key, "")
        if _same(key, current, value):
            person.set_by.setdefault(key, row.line)  # this line vouches for the value: later lines don't override it
            continue
        earlier = person.set_by.get(key)
        if current and earlier and not overwrite:
            problems.append(Problem(file, row.line, f"{person.values['name']}'s {_column(key)} is "
                                    f"'{value}' on line {row.line} but '{current}' on line {earlier}",
                                    f"the same person is on both lines; line {earlier} is used — make them agree",
                                    Severity.WARNING))
            continue
        given.append(FieldChange(key, current, value))
        person.values[key] = value
        person.set_by[key] = row.line
    return given


def _same(key: str, old: str, new: str) -> bool:
    """Values that mean the same: e-mail in any case, languages however separated, names however spaced."""
    if key == "email":
        return old.casefold() == new.casefold()
    if key == "languages":
        return _languages(old) == _languages(new)
    if key == "name":
        return _name_key(old) == _name_key(new)
    return old == new


def _languages(text: str) -> tuple[str, ...]:
    return tuple(code.strip().lower() for code in re.split(r"[,/ ]+", text) if code.strip())


def _roster_text(people: list[_Person], newline: str) -> str:
    """The roster as the workspace writes it: `;`, the Swedish header, existing people first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator=newline)
    extras = list(dict.fromkeys(key for person in people for key in person.values if key.startswith(EXTRA)))
    columns = [key for key in ROSTER_HEADER if key not in OPTIONAL_COLUMNS
               or any(person.values.get(key) for person in people)]
    writer.writerow([*(ROSTER_HEADER[key] for key in columns), *(key[len(EXTRA):] for key in extras)])
    for person in people:
        writer.writerow(safe_cell(person.values.get(key, "")) for key in (*columns, *extras))
    return buffer.getvalue()


# --- describing -----------------------------------------------------------------------------

def describe(merge: Merge, dry_run: bool = False) -> str:
    """What the import did, or would do, one line per change, for the terminal."""
    source, counts = merge.source, merge.counts
    lines = [f"Read {source.file} as {ENCODING_NAMES.get(source.encoding, source.encoding or 'unknown')}, "
             f"delimiter {DELIMITER_NAMES.get(source.delimiter, repr(source.delimiter))}: "
             f"{source.data_rows} row(s)."]
    if merge.changed:
        what = f"{'Would change' if dry_run else 'Changed'} {merge.roster_file}"
    else:
        what = f"{merge.roster_file} {'would not change' if dry_run else 'is unchanged'}"
    lines.append(f"{what}: {counts[ADDED]} added, {counts[UPDATED]} updated, {counts[UNCHANGED]} unchanged, "
                 f"{counts[MERGED]} merged, {counts[REJECTED]} rejected.")
    for change in merge.changes:
        where = f"{source.file}:{change.line}"
        if change.outcome == ADDED:
            lines.append(f"  + add     {change.person_id} ({change.name}), {where}")
        elif change.outcome == UPDATED:
            lines.append(f"  ~ update  {change.person_id} ({change.name}), {where}: " + _fields(change.fields))
        elif change.outcome == MERGED:
            filled = f": {_fields(change.fields)}" if change.fields else ""
            lines.append(f"  = merge   {where} into line {change.into_line}, {change.person_id}{filled}")
        elif change.outcome == REJECTED:
            lines.append(f"  ! reject  {where}: {change.problem.message}; {change.problem.hint}"
                         if change.problem.hint else f"  ! reject  {where}: {change.problem.message}")
    rejections = {change.problem for change in merge.of(REJECTED)}
    others = [problem for problem in merge.problems if problem not in rejections]
    lines.extend(str(problem) for problem in others)
    if dry_run and merge.changed:
        lines.append("Nothing was written (--dry-run).")
    return "\n".join(lines)


def _fields(changes: tuple[FieldChange, ...]) -> str:
    return "; ".join(f"{_column(c.field)} '{c.old}' -> '{c.new}'" for c in changes)


def _column(key: str) -> str:
    """The column a field is written in: the roster's own header for the organisers' columns."""
    return key[len(EXTRA):] if key.startswith(EXTRA) else ROSTER_HEADER[key]


def _extras(values: dict[str, str]) -> dict[str, str]:
    return {key: value for key, value in values.items() if key.startswith(EXTRA)}
