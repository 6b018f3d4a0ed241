"""What the web must not show: the markers that leave a passage out of the minutes' web copy, an
item left off the web without its reason, and text that looks like a personal identity number.

Every text an organiser writes is walked by its field in `motesplats/fields.py`, so a new field is
checked without code here. A marker is an error where it is not closed, or where nothing would
honour it (the notice, the feeds and the programmes show every text as written); a personal
identity number is a warning at its line, named by its field and shown with its last four digits
hidden.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from motesplats import fields as spec
from motesplats.identity_numbers import identity_numbers, masked
from motesplats.left_out import CLOSE, OPEN, has_markers, marker_problems
from motesplats.load.rosters_csv import RosterFile
from motesplats.problems import Problem, Severity
from motesplats.validate.shape import At

# The texts only the minutes show, whose web copy can leave a passage out: a decision's.
MINUTES_ONLY = {spec.DECISION.name: ("text", "notes", "reservation_reason")}
PUBLIC_COLUMNS = ("name", "role", "organisation", "title")  # a roster's columns that programmes and minutes show
MARKED = f"{OPEN}…{CLOSE}"


def workspace_problems(events: list[tuple[dict, At]], venues: list[tuple[dict, At]], titles: list[tuple[dict, At]],
                       calendars: list[tuple[str, At, dict | None]], rosters: Iterable[RosterFile]) -> list[Problem]:
    """The problems of every conformed events file's entries, calendar and roster."""
    entries = [(events, spec.EVENT), (venues, spec.VENUE), (titles, spec.ROSTER),
               ([(data, at) for _, at, data in calendars if data is not None], spec.CALENDAR)]
    return [problem for found, record in entries for data, at in found for problem in _record(data, at, record)] \
        + roster_problems(rosters)


def roster_problems(files: Iterable[RosterFile]) -> list[Problem]:
    """A warning for each personal identity number in a roster column that programmes and minutes show."""
    problems = []
    for file in files:
        for row in file.rows:
            for column in PUBLIC_COLUMNS:
                for number in identity_numbers(row.values.get(column, "")):
                    problems.append(Problem(file.file, row.line, _number_message(f"the {column} column", number.group(0)),
                                            "remove it: a roster's names and titles are shown on the web "
                                            "(programmes, minutes)", Severity.WARNING))
    return problems


def _record(data: dict, at: At, record: spec.Record) -> Iterator[Problem]:
    if record is spec.AGENDA_ITEM:
        yield from _left_off_item(data, at)
    for field in record.fields:
        value = data.get(field.name)
        if value is None:
            continue
        if field.kind in ("records", "table") and field.record is not None:
            entries = value if field.kind == "records" else [value]
            for index, entry in enumerate(entries):
                if isinstance(entry, dict):
                    key = (field.name, index) if field.kind == "records" else (field.name,)
                    yield from _record(entry, at.child(*key), field.record)
        elif _shown(field):
            for key, text in _texts(field, value):
                yield from _text(text, at, key, field, record)


def _shown(field: spec.Field) -> bool:
    """A field whose words are shown: texts, and strings that are not ids, references or choices."""
    return field.kind == "text" or (field.kind in ("string", "strings") and field.name != "id"
                                    and not field.refers_to and not field.choices)


def _texts(field: spec.Field, value) -> Iterator[tuple[tuple, str]]:
    if isinstance(value, str):
        yield (field.name,), value
    elif isinstance(value, dict):
        yield from (((field.name, language), text) for language, text in value.items() if isinstance(text, str))
    elif isinstance(value, list):
        yield from (((field.name, index), text) for index, text in enumerate(value) if isinstance(text, str))


def _text(text: str, at: At, key: tuple, field: spec.Field, record: spec.Record) -> Iterator[Problem]:
    minutes_only = field.name in MINUTES_ONLY.get(record.name, ())
    where = f"'{field.name}' of the {record.name}"
    if minutes_only:
        for message in marker_problems(text):
            yield at.problem(key, f"{where}: {message}", f"mark a passage to leave out of the web copy as {MARKED}")
    elif has_markers(text):
        yield at.problem(key, f"{where} holds {OPEN}, but only a decision's text, notes and reservation_reason "
                         "can leave a passage out of the web: this text is shown as written",
                         "move the passage to the decision's text or notes, or leave the whole § off the web "
                         "with web = false on its agenda item; else remove the markers")
    for number in identity_numbers(text):
        if minutes_only:
            yield at.problem(key, _number_message(where, number.group(0)) + ": the minutes' web copy leaves it out, "
                             "the archive copy and the extract keep it", "remove it unless the record must hold it",
                             Severity.WARNING)
        else:
            yield at.problem(key, _number_message(where, number.group(0)) + ", which will show on the web",
                             f"remove it; in the minutes, a decision's text or notes (where the web copy leaves "
                             f"it out), or {MARKED} there, can hold what must not be published", Severity.WARNING)


def _number_message(where: str, number: str) -> str:
    return f"{where} holds what looks like a personal identity number ({masked(number)})"


def _left_off_item(data: dict, at: At) -> Iterator[Problem]:
    """An item left off the web says why; a reason for an item on the web is a slip."""
    if data.get("web") is False and not data.get("web_reason", "").strip():
        yield at.problem(("web",), "the agenda item is left off the web (web = false) without saying why",
                         "write the ground in its place, e.g. web_reason = \"OSL 21 kap. 7 §\"")
    elif data.get("web_reason") and data.get("web", True):
        yield at.problem(("web_reason",), "the agenda item has a web_reason but is not left off the web",
                         "add web = false to leave its § out of the minutes' web copy, or remove web_reason",
                         Severity.WARNING)
