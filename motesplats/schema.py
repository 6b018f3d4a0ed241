"""JSON Schemas for the workspace's TOML files, generated from the field descriptions in `fields`.

Editors with a TOML language server (Taplo, "Even Better TOML") use them to complete and check
files as organisers type; the validator uses the same descriptions, so they cannot drift apart.
"""

from __future__ import annotations

import json

from motesplats import fields as spec, identifiers
from motesplats.fields import Field, Record
from motesplats.validate.shape import LANGUAGE_CODE

# Draft 7: the newest draft that Taplo, the common TOML language server, understands.
SCHEMA_DIALECT = "http://json-schema.org/draft-07/schema#"
# The validator's own patterns, anchored at both ends (in JSON Schema's ECMA regexes, $ is the
# end of the text: unlike Python's, it does not match before a final line break).
ID_PATTERN = f"^{identifiers.ID_PATTERN.pattern}$"
URL_PATTERN = r"^(https?://|mailto:)[^\s\x00-\x1f\x7f]+$"
DURATION_PATTERN = (r"^\s*\d{1,9}\s*(minutes?|min|m|hours?|h|timmar|timme|days?|d|dagar|dag|"
                    r"weeks?|w|veckor|vecka|years?|år)\s*$")


def text_schema(longest: int) -> dict:
    """A text: one string, or a table of language -> string; each at most `longest` characters."""
    string = {"type": "string", "maxLength": longest}
    return {"anyOf": [string, {"type": "object", "propertyNames": {"pattern": f"^{LANGUAGE_CODE.pattern}$"},
                               "additionalProperties": string, "minProperties": 1}]}


# TOML dates and times reach JSON Schema as strings; Taplo names local date-times "partial-date-time".
WHEN = {"type": "string", "anyOf": [{"format": "date-time"}, {"format": "partial-date-time"},
                                    {"format": "date"}]}


def field_schema(field: Field) -> dict:
    """The JSON Schema of one field."""
    kind = field.kind
    if kind == "string":
        schema: dict = {"type": "string", "maxLength": field.max_length}
        if field.choices:
            schema["enum"] = list(field.choices)
        elif field.name == "id":
            schema["pattern"] = ID_PATTERN
    elif kind == "url":
        schema = {"type": "string", "format": "uri", "pattern": URL_PATTERN, "maxLength": field.max_length}
    elif kind == "text":
        schema = text_schema(field.max_length)
    elif kind in ("strings", "durations"):
        item = {"type": "string", "maxLength": field.max_length} | ({"enum": list(field.choices)} if field.choices else {})
        schema = {"type": "array", "items": {**item, "pattern": DURATION_PATTERN} if kind == "durations" else item}
    elif kind == "duration":
        schema = {"type": "string", "pattern": DURATION_PATTERN, "maxLength": field.max_length}
    elif kind == "integer":
        schema = {"type": "integer", "minimum": field.minimum}
    elif kind == "boolean":
        schema = {"type": "boolean"}
    elif kind == "geo":
        schema = {"type": "array", "items": [{"type": "number", "minimum": -90, "maximum": 90},
                                             {"type": "number", "minimum": -180, "maximum": 180}],
                  "minItems": 2, "maxItems": 2}
    elif kind == "datetime":
        schema = dict(WHEN)
    elif kind == "date":
        schema = {"type": "string", "format": "date"}
    elif kind == "records":
        schema = {"type": "array", "items": record_schema(field.record)}
    elif kind == "integers":
        schema = {"type": "array", "items": {"type": "integer", "minimum": 0}}
    elif kind == "table":
        schema = record_schema(field.record) if field.record else {"type": "object"}
    else:
        raise AssertionError(f"field kind {kind!r} has no schema")
    return {"description": field.doc, **schema}


def record_schema(record: Record, required: bool = True) -> dict:
    """The JSON Schema of a table: its fields, which are required, and nothing else."""
    schema = {
        "type": "object",
        "description": record.doc,
        "properties": {field.name: field_schema(field) for field in record.fields},
        "additionalProperties": False,
    }
    needed = [field.name for field in record.fields if field.required]
    if required and needed:
        schema["required"] = needed
    return schema


def document_schema(record: Record, title: str) -> dict:
    schema = {"$schema": SCHEMA_DIALECT, "title": title, **record_schema(record)}
    if record is spec.EVENTS_FILE:
        # An event may take its required fields from the file's [defaults]; only its id is its own.
        schema["properties"]["event"]["items"]["required"] = ["id"]
        schema["properties"]["defaults"] = {
            **record_schema(spec.EVENT, required=False),
            "description": "Values every event in this file gets unless it sets its own.",
        }
    return schema


SCHEMAS = {
    "motesplats.schema.json": (spec.WORKSPACE, "motesplats.toml: workspace settings"),
    "events.schema.json": (spec.EVENTS_FILE, "motesplats events file"),
    "calendar.schema.json": (spec.CALENDAR, "motesplats calendar (feed) file"),
    "attendance.schema.json": (spec.ATTENDANCE, "motesplats attendance file"),
}


def all_schemas() -> dict[str, bytes]:
    """Every schema file, by file name, as UTF-8 JSON text."""
    return {name: (json.dumps(document_schema(record, title), ensure_ascii=False, indent=2) + "\n").encode()
            for name, (record, title) in SCHEMAS.items()}
