"""The editor's changes to one TOML file, applied so that the rest of the file stays as written.

An edit is one organiser action: set (or clear) a field, add an entry to a list of records
(an agenda item, a session, a room), move an entry, remove one, or reschedule an event (its
start, end and every session and leg by the same amount). Values are set with `tomlkit`, which
keeps comments, order and layout; entries of arrays of tables (`[[event.agenda]]`) are added,
moved and removed as blocks of lines, with the comment lines written directly above a header
kept with the entry below it. After the edits the new text is parsed again and compared with
the same edits applied to plain data: if the two disagree the edit is refused, never written.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import tomlkit
from tomlkit.items import Array, InlineTable, Item, Table

from motesplats import fields as spec
from motesplats.load.toml_files import Key, index_lines

OPERATIONS = ("set", "add", "move", "remove", "reschedule")
# [defaults] in an events file holds event keys that every event of the file inherits.
TABLE_RECORDS = {"defaults": spec.EVENT}
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_DATETIME = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?")
# What a rescheduled event carries along: its own times, its sessions' and its legs'.
_MOVED_WITH_EVENT = (("start", "end"), ("session", ("start", "end")), ("leg", ("depart", "arrive")))


class EditRefused(ValueError):
    """An edit that does not fit the file: a path that is not there, or a value of the wrong shape."""


@dataclass(frozen=True)
class Edit:
    """One action on a file, with the path of what it acts on (e.g. ("event", 0, "agenda"))."""

    op: str
    path: Key
    value: object = None
    source: int = 0  # move: the entry's index before
    target: int = 0  # move: its index after


def edits_from_json(records: object) -> list[Edit]:
    """The edits a page sent, checked for shape only (what they mean is checked when applied)."""
    if not isinstance(records, list):
        raise EditRefused("edits must be a list")
    edits = []
    for record in records:
        if not isinstance(record, dict) or record.get("op") not in OPERATIONS:
            raise EditRefused(f"not an edit: {record!r:.80}")
        path = record.get("path")
        if not isinstance(path, list) or not all(
                isinstance(p, str) or (isinstance(p, int) and not isinstance(p, bool) and p >= 0) for p in path):
            raise EditRefused(f"not a path: {path!r:.80}")
        moves = [record.get(name, 0) for name in ("from", "to")]
        if not all(isinstance(m, int) and not isinstance(m, bool) and m >= 0 for m in moves):
            raise EditRefused("a move needs the entry's index before and after")
        edits.append(Edit(record["op"], tuple(path), record.get("value"), *moves))
    return edits


def apply_edits(text: str, record: spec.Record, edits: Iterable[Edit], first_language: str) -> str:
    """`text` (a file of `record`s) with `edits` applied in order; raises EditRefused."""
    for edit in _with_new_entries_filled(list(edits), tomllib.loads(text)):
        data = tomllib.loads(text)
        expanded = _reschedule(data, edit) if edit.op == "reschedule" else [edit]
        for step in expanded:
            expected = _applied_to_data(tomllib.loads(text), record, step, first_language)
            text = _applied_to_text(text, record, step, first_language)
            if tomllib.loads(text) != expected:
                raise EditRefused(f"could not {step.op} {_dotted(step.path)} without changing something else")
    return text


def _with_new_entries_filled(edits: list[Edit], data: dict) -> list[Edit]:
    """The edits with each value typed into a new entry given to the edit that adds it, so that
    an entry is written in one block (header, then its keys) as a person would write it."""
    result: list[Edit] = []
    for edit in edits:
        if edit.op == "set" and len(edit.path) >= 3 and isinstance(edit.path[-2], int):
            adding = next((i for i in range(len(result) - 1, -1, -1) if result[i].op == "add"
                           and result[i].path == edit.path[:-2]), None)
            later = adding is not None and any(e.op != "set" and e.path[:len(edit.path) - 2] == edit.path[:-2]
                                               for e in result[adding + 1:])
            if adding is not None and not later and isinstance(result[adding].value, dict) \
                    and edit.path[-2] == _entry_count(data, result[:adding], edit.path[:-2]):
                result[adding] = Edit("add", result[adding].path, {**result[adding].value, edit.path[-1]: edit.value})
                continue
        result.append(edit)
    return result


def _entry_count(data: dict, earlier: list[Edit], array_path: Key) -> int:
    """How many entries the list at `array_path` has after `earlier` edits (adds and removes)."""
    try:
        count = len(_data_at(data, array_path))
    except EditRefused:
        count = 0
    for edit in earlier:
        if edit.op == "add" and edit.path == array_path:
            count += 1
        elif edit.op == "remove" and edit.path[:-1] == array_path:
            count -= 1
    return count


# --- what an edit means: the file's data after it ----------------------------------------------

def _applied_to_data(data: dict, record: spec.Record, edit: Edit, first_language: str) -> dict:
    if edit.op == "set":
        container, key, found = _data_parent(data, record, edit.path)
        value = _python_value(found, edit.value)
        if value is None:
            container.pop(key, None)
        else:
            container[key] = _merged_text(container.get(key), value, first_language) \
                if found.kind == "text" else value
    else:
        entries = _data_entries(data, record, edit)
        if edit.op == "add":
            entries.append(_record_value(_entries_field(record, edit.path).record, edit.value))
        elif edit.op == "move":
            _check_move(entries, edit)
            entries.insert(edit.target, entries.pop(edit.source))
        else:
            entries.pop(edit.path[-1])
            if not entries:
                _data_at(data, edit.path[:-2]).pop(edit.path[-2])
    return data


def _data_at(data, path: Key):
    """What `path` names in parsed data or in a tomlkit document (both index alike)."""
    node = data
    for step in path:
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            raise EditRefused(f"{_dotted(path)} is not in the file") from None
    return node


def _data_parent(data: dict, record: spec.Record, path: Key) -> tuple[dict, str, spec.Field]:
    """The table that holds the field at `path` (made where missing), its key and its field."""
    found = field_at(path, record)
    if found.kind in ("records", "table") or not path or not isinstance(path[-1], str):
        raise EditRefused(f"{_dotted(path)} is not a value that can be set")
    node = data
    for index, step in enumerate(path[:-1]):
        if isinstance(step, str) and isinstance(node, dict) and step not in node \
                and not isinstance(path[index + 1], int):
            node[step] = {}  # a table not written yet, such as [event.minutes]
        try:
            node = node[step]
        except (KeyError, IndexError, TypeError):
            raise EditRefused(f"{_dotted(path)} is not in the file") from None
    if not isinstance(node, dict):
        raise EditRefused(f"{_dotted(path[:-1])} is not a table")
    return node, path[-1], found


def _data_entries(data: dict, record: spec.Record, edit: Edit) -> list:
    array_path = edit.path[:-1] if edit.op == "remove" else edit.path
    _entries_field(record, array_path)
    if edit.op == "add":
        parent = _data_at(data, array_path[:-1])
        if not isinstance(parent, dict):
            raise EditRefused(f"{_dotted(array_path[:-1])} is not a table")
        entries = parent.setdefault(array_path[-1], [])
    else:
        entries = _data_at(data, array_path)
    if not isinstance(entries, list) or (edit.op == "remove" and not isinstance(edit.path[-1], int)):
        raise EditRefused(f"{_dotted(array_path)} is not a list of records")
    if edit.op == "remove" and edit.path[-1] >= len(entries):
        raise EditRefused(f"{_dotted(edit.path)} is not in the file")
    return entries


def _check_move(entries: list, edit: Edit) -> None:
    if edit.source >= len(entries) or edit.target >= len(entries):
        raise EditRefused(f"{_dotted(edit.path)} has {len(entries)} entries; cannot move {edit.source} to {edit.target}")


def field_at(path: Key, record: spec.Record | None = None) -> spec.Field:
    """The field a path names, walking records from `record` (default: an events file's)."""
    record = record or spec.EVENTS_FILE
    found: spec.Field | None = None
    steps = list(path)
    while steps:
        step = steps.pop(0)
        if isinstance(step, int):
            if found is None or found.kind != "records":
                raise EditRefused(f"{_dotted(path)}: {step} is not an entry of a list of records")
            continue
        found = record.field_named(step) if record else None
        if found is None:
            raise EditRefused(f"{_dotted(path)}: no field {step!r} here")
        record = found.record or TABLE_RECORDS.get(step)
        if steps and found.kind not in ("records", "table"):
            raise EditRefused(f"{_dotted(path)}: {step!r} holds a value, not records")
    if found is None:
        raise EditRefused("an empty path")
    return found


def _entries_field(record: spec.Record, array_path: Key) -> spec.Field:
    found = field_at(array_path, record)
    if found.kind != "records" or not array_path or not isinstance(array_path[-1], str):
        raise EditRefused(f"{_dotted(array_path)} is not a list of records")
    return found


def _record_value(record: spec.Record, value: object) -> dict:
    """A new entry's data, in the record's field order, empty values left out."""
    if not isinstance(value, dict):
        raise EditRefused("a new entry must be a table of fields")
    entry = {}
    for field in record.fields:
        if field.name in value:
            if field.kind in ("records", "table"):
                raise EditRefused(f"a new entry's {field.name} is added on its own")
            converted = _python_value(field, value[field.name])
            if converted is not None:
                entry[field.name] = converted
    unknown = set(value) - set(record.names)
    if unknown:
        raise EditRefused(f"a {record.name} has no field {sorted(unknown)[0]!r}")
    return entry


def _python_value(field: spec.Field, value: object) -> object:
    """The TOML value a form's value stands for; None to leave the key out.

    A value the field cannot hold (a date that is no date) is written as the text typed, so that
    the check reports it at its field in the words it always uses.
    """
    if value is None or value == "" or value == [] or value == {}:
        return None
    kind = field.kind
    if kind == "text":
        if isinstance(value, dict) and all(isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            return {language: line for language, line in value.items() if line != ""} or None
        return _string(value)
    if kind in ("datetime", "date"):
        return _moment(_string(value), whole_day_only=kind == "date")
    if kind == "integer":
        return _whole_number(value)
    if kind == "boolean":
        if not isinstance(value, bool):
            raise EditRefused(f"{field.name} must be true or false")
        return value
    if kind in ("strings", "durations"):
        return [_string(item) for item in _list(value)] or None
    if kind == "integers":
        return [_whole_number(item) for item in _list(value)] or None
    if kind == "geo":
        return [_number(item) for item in _list(value)] or None
    if kind in ("records", "table"):
        raise EditRefused(f"{field.name} is changed entry by entry")
    return _string(value)


def _string(value: object) -> str:
    if not isinstance(value, str):
        raise EditRefused(f"expected text, got {value!r:.40}")
    return value


def _list(value: object) -> list:
    if not isinstance(value, list):
        raise EditRefused(f"expected a list, got {value!r:.40}")
    return [item for item in value if item != ""]


def _moment(text: str, whole_day_only: bool) -> object:
    text = text.strip()
    if _DATE.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return text
    match = _DATETIME.fullmatch(text)
    if match and not whole_day_only:
        day, hour, minute, second = match.groups()
        try:
            return datetime.fromisoformat(f"{day}T{hour}:{minute}:{second or '00'}")
        except ValueError:
            return text
    return text


def _whole_number(value: object) -> object:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    text = _string(value).strip()
    return int(text) if re.fullmatch(r"-?\d{1,15}", text) else text


def _number(value: object) -> object:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = _string(value).strip()
    try:
        return float(text)
    except ValueError:
        return text


def _merged_text(existing: object, value: object, first_language: str) -> object:
    """A text field's new value: a plain string stays plain while only the first language is given."""
    if isinstance(value, dict) and isinstance(existing, str) and set(value) == {first_language}:
        return value[first_language]
    return value


def _reschedule(data: dict, edit: Edit) -> list[Edit]:
    """Moving an event: set edits that shift its times, its sessions' and its legs' alike."""
    if len(edit.path) != 2 or edit.path[0] != "event" or not isinstance(edit.path[1], int):
        raise EditRefused("only an event can be rescheduled")
    event = _data_at(data, edit.path)
    old, new = event.get("start"), _moment(_string(edit.value), whole_day_only=False)
    if isinstance(new, str):
        raise EditRefused(f"{new!r} is not a date or a date and time")
    if isinstance(old, datetime) != isinstance(new, datetime) or not isinstance(old, date):
        raise EditRefused("give a date and time for an event with times, a date for a whole-day event")
    delta = new - old
    if not isinstance(new, datetime):
        delta = timedelta(days=delta.days)
    moved = []
    try:
        for key in ("start", "end"):
            if key in event:
                moved.append(Edit("set", (*edit.path, key), _iso(event[key] + delta)))
        for list_key, keys in _MOVED_WITH_EVENT[1:]:
            for index, entry in enumerate(event.get(list_key, [])):
                for key in keys:
                    if isinstance(entry.get(key), date):
                        moved.append(Edit("set", (*edit.path, list_key, index, key), _iso(entry[key] + delta)))
    except OverflowError:  # past 9999-12-31 or before year 1: no date there to write
        raise EditRefused(f"moved to {edit.value}, a time of the event would fall outside the calendar") from None
    return moved


def _iso(moment: date) -> str:
    return moment.isoformat(timespec="seconds") if isinstance(moment, datetime) else moment.isoformat()


# --- the same edit on the text, layout kept ------------------------------------------------------

def _applied_to_text(text: str, record: spec.Record, edit: Edit, first_language: str) -> str:
    document = tomlkit.parse(text)
    if edit.op == "set":
        _set_item(document, record, edit, first_language)
        return tomlkit.dumps(document)
    array_path = edit.path[:-1] if edit.op == "remove" else edit.path
    holder = _data_at(document, array_path[:-1])
    existing = holder.get(array_path[-1]) if isinstance(holder, (Table, InlineTable, dict)) else None
    if isinstance(existing, Array) or isinstance(holder, InlineTable):
        _array_edit(document, holder, existing, record, edit)
        return tomlkit.dumps(document)
    return _block_edit(text, record, edit)


def _set_item(document, record: spec.Record, edit: Edit, first_language: str) -> None:
    found = field_at(edit.path, record)
    node = document
    for index, step in enumerate(edit.path[:-1]):
        if isinstance(step, str) and step not in node and not isinstance(edit.path[index + 1], int):
            node[step] = tomlkit.table()
        node = node[step]
    key = edit.path[-1]
    value = _python_value(found, edit.value)
    if value is None:
        if key in node:
            del node[key]
        return
    current = node.get(key)
    if found.kind == "text" and isinstance(value, dict) and isinstance(current, (Table, InlineTable)):
        for language in [language for language in current if language not in value]:
            del current[language]
        for language, line in value.items():
            current[language] = _item(line)
        return
    node[key] = _item(_merged_text(current, value, first_language))


def _item(value: object) -> Item:
    """A TOML item as a person would write it: long text over several lines, tables inline."""
    if isinstance(value, str) and "\n" in value:
        return tomlkit.string(value if value.endswith("\n") else value, multiline=True)
    if isinstance(value, dict):  # written { sv = "…", en = "…" }, as the example files do
        return tomlkit.value("{ " + ", ".join(f"{key} = {_item(inner).as_string()}"
                                              for key, inner in value.items()) + " }")
    if isinstance(value, list) and len(value) > 4 and all(isinstance(v, str) for v in value):
        array = tomlkit.array()
        array.extend(value)
        array.multiline(sum(len(v) for v in value) > 80)
        return array
    return tomlkit.item(value)


def _array_edit(document, holder, existing: Array | None, record: spec.Record, edit: Edit) -> None:
    """Entries written inline (`room = [{ … }, { … }]`), changed in place."""
    array_path = edit.path[:-1] if edit.op == "remove" else edit.path
    if existing is None:
        existing = tomlkit.array()
        holder[array_path[-1]] = existing
    if edit.op == "add":
        existing.append(_item(_record_value(_entries_field(record, array_path).record, edit.value)))
    elif edit.op == "move":
        _check_move(list(existing), edit)
        moved = existing[edit.source]
        del existing[edit.source]
        existing.insert(edit.target, moved)
    else:
        del existing[edit.path[-1]]
    if not existing:
        del holder[array_path[-1]]


@dataclass(frozen=True)
class _Span:
    start: int  # first line (0-based) of the entry: its comment lines, then its header
    stop: int   # one past its last line of content; blank lines and the next entry's comments excluded


def _block_edit(text: str, record: spec.Record, edit: Edit) -> str:
    lines = text.split("\n")
    spans = _entry_spans(text, lines)
    array_path = edit.path[:-1] if edit.op == "remove" else edit.path
    entries = sorted(((key[-1], span) for key, span in _entries_of(spans, array_path)), key=lambda pair: pair[0])
    if edit.op == "add":
        block = _new_block(array_path, _record_value(_entries_field(record, array_path).record, edit.value))
        if entries:
            at = entries[-1][1].stop
        elif array_path[:-1]:
            parent = spans.get(array_path[:-1])
            if parent is None:
                raise EditRefused(f"{_dotted(array_path[:-1])} is not a table of its own in the file")
            at = _end_with_descendants(array_path[:-1], spans, parent)
        else:
            at = _last_content_line(lines) + 1
        return _joined(lines[:at] + ["", *block] + lines[at:])
    if not entries or (edit.op == "remove" and edit.path[-1] >= len(entries)):
        raise EditRefused(f"{_dotted(edit.path)} is not in the file")
    if edit.op == "remove":
        span = entries[edit.path[-1]][1]
        return _joined(_collapsed(lines[:span.start], lines[span.stop:]))
    if edit.source >= len(entries) or edit.target >= len(entries):
        raise EditRefused(f"{_dotted(edit.path)} has {len(entries)} entries")
    if edit.source == edit.target:
        return text
    source = _whole_span(array_path + (edit.source,), spans, entries[edit.source][1])
    moving = lines[source.start:source.stop]
    rest = _collapsed(lines[:source.start], lines[source.stop:])
    spans = _entry_spans(_joined(rest), rest)
    remaining = [_whole_span(key, spans, span) for key, span in
                 sorted(_entries_of(spans, array_path), key=lambda pair: pair[0][-1])]
    if edit.target < len(remaining):
        at = remaining[edit.target].start
        return _joined(rest[:at] + moving + [""] + rest[at:])
    at = remaining[-1].stop
    return _joined(rest[:at] + [""] + moving + rest[at:])


def _entry_spans(text: str, lines: list[str]) -> dict[Key, _Span]:
    """Where each table written with its own header is: its comment lines, header and keys."""
    headers: dict[int, Key] = {}
    for key, number in index_lines(text).items():
        if lines[number - 1].lstrip().startswith("[") and len(key) >= len(headers.get(number, ())):
            headers[number] = key
    numbers = sorted(headers)
    spans = {}
    for position, number in enumerate(numbers):
        following = numbers[position + 1] - 1 if position + 1 < len(numbers) else len(lines)
        stop = following
        while stop > number and lines[stop - 1].lstrip().startswith("#"):
            stop -= 1  # the next header's own comment
        while stop > number and not lines[stop - 1].strip():
            stop -= 1
        start = number - 1
        while start > 0 and lines[start - 1].lstrip().startswith("#"):
            start -= 1
        spans[headers[number]] = _Span(start, stop)
    return spans


def _entries_of(spans: dict[Key, _Span], array_path: Key) -> list[tuple[Key, _Span]]:
    return [(key, span) for key, span in spans.items() if key[:-1] == array_path and isinstance(key[-1], int)]


def _whole_span(key: Key, spans: dict[Key, _Span], own: _Span) -> _Span:
    """An entry with the tables inside it (a session with its agenda items)."""
    return _Span(own.start, _end_with_descendants(key, spans, own))


def _end_with_descendants(key: Key, spans: dict[Key, _Span], own: _Span) -> int:
    inside = [span.stop for other, span in spans.items() if other[:len(key)] == key]
    return max([own.stop, *inside])


def _new_block(array_path: Key, entry: dict) -> list[str]:
    table = tomlkit.table()
    for key, value in entry.items():
        table[key] = _item(value)
    header = f"[[{'.'.join(step for step in array_path if isinstance(step, str))}]]"
    return [header, *tomlkit.dumps(table).rstrip("\n").split("\n")]


def _collapsed(before: list[str], after: list[str]) -> list[str]:
    """Two runs of lines joined where something was cut out, with one blank line between at most."""
    while before and after and not before[-1].strip() and not after[0].strip():
        after = after[1:]
    while after and not after[0].strip() and not before:
        after = after[1:]
    return before + after


def _last_content_line(lines: list[str]) -> int:
    index = len(lines) - 1
    while index > 0 and not lines[index].strip():
        index -= 1
    return index


def _joined(lines: list[str]) -> str:
    text = "\n".join(lines)
    return text.rstrip("\n") + "\n"


def _dotted(path: Key) -> str:
    return ".".join(str(step) for step in path) or "the file"
