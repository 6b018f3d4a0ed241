"""The files' records as the editor's forms see them: fields, kinds, choices and labels.

Everything here comes from `motesplats/fields.py`, the description the validator and the JSON
Schemas use, so a field added there appears in the editor's forms with no editor code. Labels
and help texts in the editor's languages live in data/editor/field_labels.toml; a field that has
none yet is shown by its name, with its English description.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources

from motesplats import fields as spec
from motesplats.editor.edits import TABLE_RECORDS
from motesplats.workspace import SETTINGS_FILE, Workspace

LANGUAGES = ("sv", "en", "fr")  # the editor's own words are in these
# Which record each kind of file holds, by folder (None: the workspace's top) and pattern.
FILE_RECORDS = ((None, SETTINGS_FILE, spec.WORKSPACE), ("events", "*.toml", spec.EVENTS_FILE),
                ("calendars", "*.toml", spec.CALENDAR), ("attendance", "*.toml", spec.ATTENDANCE))


def editable_files(workspace: Workspace) -> dict[str, spec.Record]:
    """Every TOML file of the workspace an organiser edits, as shown (events/x.toml), with its record."""
    found: dict[str, spec.Record] = {}
    for folder, pattern, record in FILE_RECORDS:
        base = workspace.root / folder if folder else workspace.root
        for path in sorted(base.glob(pattern)) if base.is_dir() else []:
            if path.is_file():
                found[workspace.shown(path)] = record
    return found


def file_record(workspace: Workspace, shown: str) -> spec.Record | None:
    """The record of the file shown as `shown`, or None when it is not a file the editor edits."""
    return editable_files(workspace).get(shown)


def forms() -> dict[str, dict]:
    """Every record of the file formats, by name, as JSON for the page."""
    records: dict[str, spec.Record] = {}
    for _, _, record in FILE_RECORDS:
        _collect(record, records)
    labels = _labels()
    return {name: _record_form(record, labels) for name, record in records.items()}


def _collect(record: spec.Record, into: dict[str, spec.Record]) -> None:
    if record.name in into:
        return
    into[record.name] = record
    for field in record.fields:
        inner = field.record or TABLE_RECORDS.get(field.name)
        if inner is not None:
            _collect(inner, into)


def _record_form(record: spec.Record, labels: dict) -> dict:
    names = labels.get("records", {}).get(record.name, {})
    return {
        "name": record.name,
        "label": _in_every_language(names, record.name),
        "help": _in_every_language({}, record.doc),
        "fields": [_field_form(record, field, labels) for field in record.fields],
    }


def _field_form(record: spec.Record, field: spec.Field, labels: dict) -> dict:
    words = labels.get("fields", {}).get(record.name, {}).get(field.name, {})
    choices = labels.get("choices", {}).get(field.name, {})
    inner = field.record or TABLE_RECORDS.get(field.name)
    return {
        "name": field.name,
        "kind": field.kind,
        "required": field.required,
        "refers_to": field.refers_to,
        "zone_from": field.zone_from,
        "record": inner.name if inner else None,
        "only_for": list(spec.KIND_ONLY_FIELDS.get(field.name, ())) if record is spec.EVENT else [],
        "label": _in_every_language(words.get("label", {}), field.name.replace("_", " ")),
        "help": _in_every_language(words.get("help", {}), field.doc),
        "choices": [{"value": choice, "label": _in_every_language(choices.get(choice, {}), choice)}
                    for choice in field.choices],
    }


def _in_every_language(words: dict, fallback: str) -> dict[str, str]:
    return {language: words.get(language) or words.get("en") or fallback for language in LANGUAGES}


@cache
def _labels() -> dict:
    return tomllib.loads(_data_text("field_labels.toml"))


@cache
def interface_words() -> dict[str, dict[str, str]]:
    """The editor's own words (buttons, headings, messages), by key and language."""
    return tomllib.loads(_data_text("interface.toml"))


def _data_text(name: str) -> str:
    return resources.files("motesplats").joinpath("data", "editor", name).read_text(encoding="utf-8")


def asset(name: str) -> bytes:
    """One of the page's own files (editor.js, editor.css, editor.html): nothing comes from elsewhere."""
    return resources.files("motesplats").joinpath("data", "editor", name).read_bytes()


def is_asset(name: str) -> bool:
    return name in ("editor.js", "editor.css")
