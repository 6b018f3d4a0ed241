"""First check of a record: known fields, right types, allowed choices, required fields present.

`conform` returns a copy holding only the values that passed, so later checks can trust types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time

from motesplats.fields import Field, Record
from motesplats.identifiers import control_character_problem, length_problem, url_problem
from motesplats.load.toml_files import Key, TomlDocument
from motesplats.problems import Problem, Severity
from motesplats.suggest import did_you_mean

LANGUAGE_CODE = re.compile(r"[a-z]{2,3}")  # patterns here are used with fullmatch, never match
# Dates outside these years are typing mistakes (0018 for 2018), and at the ends of the calendar
# the day after a date, or a time zone's rules, cannot be worked out.
FIRST_YEAR, LAST_YEAR = 1900, 2999
LONGEST_DURATION = 3653 * 86400
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2})?)?", re.ASCII)
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[./-](\d{1,2})[./-](\d{2,4})")
_DURATION = re.compile(
    r"\s*(\d{1,9})\s*(minutes?|min|m|hours?|h|timmar|timme|days?|d|dagar|dag|weeks?|w|veckor|vecka|years?|år)\s*",
    re.IGNORECASE | re.ASCII)
_DURATION_UNITS = {"m": 60, "min": 60, "minute": 60, "minutes": 60,
                   "h": 3600, "hour": 3600, "hours": 3600, "timme": 3600, "timmar": 3600,
                   "d": 86400, "day": 86400, "days": 86400, "dag": 86400, "dagar": 86400,
                   "w": 604800, "week": 604800, "weeks": 604800, "vecka": 604800, "veckor": 604800,
                   "year": 31536000, "years": 31536000, "år": 31536000}  # a year: 365 days


@dataclass(frozen=True)
class At:
    """A record's place in a document, to report problems at the right line.

    Keys in `inherited` came from the file's [defaults] table and are reported there.
    """

    doc: TomlDocument
    path: Key
    inherited: frozenset[str] = frozenset()

    def line(self, *key: str | int) -> int:
        if key and key[0] in self.inherited:
            return self.doc.line(("defaults",) + key)
        return self.doc.line(self.path + key)

    def child(self, *key: str | int) -> "At":
        return At(self.doc, self.path + key)

    def problem(self, key: tuple, message: str, hint: str = "",
                severity: Severity = Severity.ERROR) -> Problem:
        return Problem(self.doc.path, self.line(*key), message, hint, severity)


def describe(record: Record, data: dict) -> str:
    """How a record is named in messages: "session 'opening'" or just "session"."""
    identifier = data.get("id") if isinstance(data, dict) else None
    return f"{record.name} '{identifier}'" if isinstance(identifier, str) else record.name


def conform(data: object, record: Record, at: At, problems: list[Problem],
            optional: frozenset[str] = frozenset()) -> dict | None:
    """Check `data` against `record`; return the values that passed, or None if unusable."""
    if not isinstance(data, dict):
        problems.append(at.problem((), f"{record.name} should be a table",
                                   f"write it as [[{'.'.join(str(k) for k in at.path[:-1])}]]"))
        return None
    name = describe(record, data)
    clean: dict = {}
    usable = True
    for key, value in data.items():
        spec = record.field_named(key)
        if spec is None:
            hint = did_you_mean(key, record.names) or "known fields: " + ", ".join(record.names)
            problems.append(at.problem((key,), f"unknown field '{key}' in {name}", hint))
            continue
        converted = _convert(value, spec, at, name, problems)
        if converted is not None:
            clean[key] = converted
        elif spec.required:
            usable = False
    for spec in record.fields:
        if spec.required and spec.name not in data and spec.name not in optional:
            problems.append(at.problem((), f"{name} has no '{spec.name}'",
                                       f"add {spec.name} = … ({spec.doc})"))
            usable = False
    return clean if usable else None


def _convert(value: object, spec: Field, at: At, name: str, problems: list[Problem]) -> object:
    """The value in the shape later checks expect, or None after reporting why not."""
    def wrong(expected: str, hint: str) -> None:
        problems.append(at.problem((spec.name,), f"'{spec.name}' in {name} should be {expected}", hint))

    kind = spec.kind
    texts = _texts(value) if kind in ("string", "text", "strings", "url", "duration", "durations") else ()
    for text in texts:
        why = length_problem(text, spec.max_length)
        if why:
            problems.append(at.problem((spec.name,), f"'{spec.name}' in {name} {why}", _shorten_hint(spec)))
            return None
    for text in texts if kind in ("string", "text", "strings") else ():
        why = control_character_problem(text, one_line=not spec.multiline)
        if why:
            problems.append(at.problem((spec.name,), f"'{spec.name}' in {name} {why}",
                                       "retype the text" + ("" if spec.multiline else " on one line")
                                       + ", or paste it as plain text"))
            return None
    if kind == "string":
        if not isinstance(value, str):
            return wrong("text in quotes", f'write {spec.name} = "…"')
        if spec.choices and value not in spec.choices:
            hint = did_you_mean(value, spec.choices) or "choose one of: " + ", ".join(spec.choices)
            problems.append(at.problem((spec.name,), f"'{value}' is not a known {spec.name} for {name}", hint))
            return None
        return value
    if kind == "url":
        if not isinstance(value, str):
            return wrong("an address in quotes", f'write {spec.name} = "https://…"')
        why = url_problem(value, web_only=spec.name == "base_url")
        if why:
            problems.append(at.problem((spec.name,), f"'{spec.name}' in {name} {why}",
                                       "write a whole address such as https://www.example.se/page, on one line"))
            return None
        return value
    if kind == "text":
        return _text(value, spec, at, name, problems)
    if kind in ("strings", "durations"):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return wrong("a list of texts", f'write {spec.name} = ["…", "…"]')
        if kind == "durations":
            seconds = [_duration(item, spec, at, problems) for item in value]
            return None if None in seconds else seconds
        unknown = [item for item in value if spec.choices and item not in spec.choices]
        if unknown:
            hint = did_you_mean(unknown[0], spec.choices) or "choose from: " + ", ".join(spec.choices)
            problems.append(at.problem((spec.name,), f"'{unknown[0]}' is not a known {spec.name} for {name}", hint))
            return None
        return value
    if kind == "integers":
        if isinstance(value, int) and not isinstance(value, bool):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(item, int) and not isinstance(item, bool)
                                                   and item >= 0 for item in value):
            return wrong("a list of whole numbers", f"write {spec.name} = [2, 3, 5], without quotes")
        return value
    if kind == "duration":
        return _duration(value, spec, at, problems) if isinstance(value, str) else wrong(
            "a duration in quotes", f'write {spec.name} = "12 hours"')
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return wrong("a whole number", f"write {spec.name} = 5, without quotes")
        if value < spec.minimum:
            problems.append(at.problem((spec.name,), f"'{spec.name}' in {name} is {value}; it must be "
                                       f"{spec.minimum} or more", f"{spec.doc[:1].lower()}{spec.doc[1:].rstrip('.')}: a number from "
                                       f"{spec.minimum} up, without quotes"))
            return None
        return value
    if kind == "boolean":
        return value if isinstance(value, bool) else wrong("true or false", "without quotes")
    if kind == "geo":
        if (isinstance(value, list) and len(value) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
                and -90 <= value[0] <= 90 and -180 <= value[1] <= 180):
            return (float(value[0]), float(value[1]))
        return wrong("[latitude, longitude]", "e.g. geo = [59.8586, 17.6389], latitude first")
    if kind in ("datetime", "date"):
        return _when(value, spec, at, name, problems)
    if kind == "records":
        if isinstance(value, dict):
            value = [value]
        if not isinstance(value, list):
            return wrong("a list of tables", f"write each as [[…{spec.name}]]")
        entries = [conform(item, spec.record, at.child(spec.name, i), problems)
                   for i, item in enumerate(value)]
        return [entry for entry in entries if entry is not None]
    if kind == "table":
        if not isinstance(value, dict):
            return wrong("a table", f"write it as [{spec.name}]")
        return conform(value, spec.record, at.child(spec.name), problems) if spec.record else value
    raise AssertionError(f"field kind {kind!r} has no check")


def _shorten_hint(spec: Field) -> str:
    if spec.multiline:
        return "shorten it, or put the full text on a web page and link to it"
    if spec.name == "id":
        return "choose a shorter id"
    return "shorten it; a description or notes can hold the rest"


def _texts(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [item for item in value.values() if isinstance(item, str)]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def _text(value: object, spec: Field, at: At, name: str, problems: list[Problem]) -> object:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
        bad = [code for code in value if not LANGUAGE_CODE.fullmatch(code)]
        if bad:
            problems.append(at.problem((spec.name,), f"'{bad[0]}' in '{spec.name}' of {name} is not a "
                                       "language code", "use two-letter codes such as sv, en, fr"))
            return None
        return value
    problems.append(at.problem((spec.name,), f"'{spec.name}' in {name} should be text",
                               f'write {spec.name} = "…" or {spec.name} = {{ sv = "…", en = "…" }}'))
    return None


def _when(value: object, spec: Field, at: At, name: str, problems: list[Problem]) -> object:
    """A datetime or date (naive or with offset); strings in ISO form are accepted."""
    example = "2018-05-17" if spec.kind == "date" else "2018-05-17T09:30:00"
    if isinstance(value, str):
        text = value.strip()
        if _ISO_DATETIME.fullmatch(text):
            try:
                value = datetime.fromisoformat(text) if len(text) > 10 else date.fromisoformat(text)
            except ValueError:
                problems.append(at.problem((spec.name,), f"'{value}' in {name} is not a real date or time",
                                           "check the day of the month and the hour"))
                return None
        else:
            problems.append(at.problem((spec.name,), _unreadable(text, spec.name, name),
                                       f"write it as {example} (year-month-day, 24-hour time)"))
            return None
    if isinstance(value, time):
        problems.append(at.problem((spec.name,), f"'{spec.name}' in {name} has a time but no date",
                                   f"write the date too: {example}"))
        return None
    if spec.kind == "date" and isinstance(value, datetime):
        problems.append(at.problem((spec.name,), f"'{spec.name}' in {name} should be a date without a time",
                                   f"write {example}"))
        return None
    if not isinstance(value, (date, datetime)):
        problems.append(at.problem((spec.name,), f"'{spec.name}' in {name} should be a date or time",
                                   f"write it without quotes as {example}"))
        return None
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        problems.append(at.problem((spec.name,), f"'{spec.name}' in {name} is in the year {value.year}",
                                   f"write a year from {FIRST_YEAR} to {LAST_YEAR}, e.g. {example}"))
        return None
    return value


def _unreadable(text: str, field_name: str, name: str) -> str:
    match = _DAY_MONTH_YEAR.match(text)
    if match and int(match.group(1)) <= 12 and int(match.group(2)) <= 12:
        return f"'{text}' in '{field_name}' of {name} is ambiguous: day and month could be either way round"
    return f"cannot read '{text}' in '{field_name}' of {name} as a date and time"


def _duration(text: str, spec: Field, at: At, problems: list[Problem]) -> int | None:
    """Seconds in a duration such as '1 hour', '2 days' or '90 minutes'."""
    match = _DURATION.fullmatch(text)
    if not match:
        problems.append(at.problem((spec.name,), f"cannot read '{text}' as a duration in '{spec.name}'",
                                   "write e.g. '90 minutes', '1 hour', '2 days' or '1 week'"))
        return None
    seconds = int(match.group(1)) * _DURATION_UNITS[match.group(2).lower()]
    if seconds > LONGEST_DURATION:
        problems.append(at.problem((spec.name,), f"'{text}' in '{spec.name}' is longer than ten years",
                                   "write a shorter duration, e.g. '90 days'"))
        return None
    return seconds
