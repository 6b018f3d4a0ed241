"""The JSON Schemas editors use are generated from the same field descriptions the validator uses."""

from __future__ import annotations

import json
import tomllib
from datetime import date, datetime, time

import jsonschema
import pytest

from motesplats.schema import all_schemas
from tests.conftest import REPOSITORY


def _as_json_values(value):
    """TOML dates and times as the strings a TOML language server hands to JSON Schema."""
    if isinstance(value, dict):
        return {key: _as_json_values(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_as_json_values(item) for item in value]
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    return value


def _validator(name: str):
    schema = json.loads(all_schemas()[name])
    jsonschema.Draft7Validator.check_schema(schema)
    return jsonschema.Draft7Validator(schema)


def test_committed_schemas_are_up_to_date():
    for name, content in all_schemas().items():
        committed = REPOSITORY / "schema" / name
        assert committed.read_bytes() == content, f"run 'motesplats schema' to update {committed}"


@pytest.mark.parametrize("relative", sorted(str(p.relative_to(REPOSITORY))
                                            for p in (REPOSITORY / "events").glob("*.toml")))
def test_example_event_files_satisfy_the_schema(relative):
    data = _as_json_values(tomllib.loads((REPOSITORY / relative).read_text(encoding="utf-8")))
    errors = [error.message for error in _validator("events.schema.json").iter_errors(data)]
    assert errors == []


@pytest.mark.parametrize("relative", sorted(str(p.relative_to(REPOSITORY))
                                            for p in (REPOSITORY / "calendars").glob("*.toml")))
def test_example_calendar_files_satisfy_the_schema(relative):
    data = tomllib.loads((REPOSITORY / relative).read_text(encoding="utf-8"))
    assert list(_validator("calendar.schema.json").iter_errors(data)) == []


def test_schema_rejects_what_the_validator_rejects():
    validator = _validator("events.schema.json")
    misspelt = {"event": [{"id": "x", "kind": "conference", "title": "X", "start": "2018-05-17",
                           "end": "2018-05-18", "audiences": ["public"], "romm": "a"}]}
    assert any("romm" in error.message for error in validator.iter_errors(misspelt))
    wrong_kind = {"event": [{"id": "x", "kind": "party", "title": "X", "start": "2018-05-17",
                             "end": "2018-05-18", "audiences": ["public"]}]}
    assert any("party" in error.message for error in validator.iter_errors(wrong_kind))
    settings = _validator("motesplats.schema.json")
    assert list(settings.iter_errors(tomllib.loads((REPOSITORY / "motesplats.toml").read_text()))) == []
