"""A meeting's check-in log: one JSON object per line, appended by the check-in page.

Each line is {"person": id, "at": ISO time with offset, "how": "scan" | "search"}. A line that
cannot be read is an error at its line, never dropped in silence; one cut short by a crash before
the page confirmed it is a warning (it was never confirmed, and the door must be able to start
again after a power cut).
"""

from __future__ import annotations

import json
from datetime import datetime, timezone

from motesplats.load.files import decode_utf8
from motesplats.model import CheckIn, Source
from motesplats.problems import Problem, Severity

HOW = ("scan", "search")


def checkin_line(person_id: str, at: datetime, how: str) -> bytes:
    """The log line for one check-in, ending in a newline."""
    record = {"person": person_id, "at": at.isoformat(timespec="seconds"), "how": how}
    return (json.dumps(record, ensure_ascii=False) + "\n").encode("utf-8")


def parse_checkin_log(raw: bytes, shown_as: str) -> tuple[tuple[CheckIn, ...], list[Problem]]:
    text = decode_utf8(raw, shown_as)
    if isinstance(text, Problem):
        return (), [text]
    entries, problems = [], []
    lines = text.split("\n")
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        entry = _entry(line, shown_as, number)
        if not isinstance(entry, str):
            entries.append(entry)
        elif _cut_short(line):
            # A crash while the page wrote it: never confirmed, so not counted; reported, so that the
            # person is checked in again. A warning: after a power cut the door must start again.
            problems.append(Problem(shown_as, number, "check-in log line was cut short while it was being "
                                    "written, so the page never confirmed it, and it is not counted",
                                    "check the person in again, and delete the line", Severity.WARNING))
        else:
            problems.append(Problem(shown_as, number, f"check-in log line cannot be read: {entry}",
                                    'each line is {"person": "id", "at": "2018-05-18T09:31:02+02:00", '
                                    '"how": "scan"}'))
    return tuple(entries), problems


def _cut_short(line: str) -> bool:
    """A line the page began but did not finish: an object opened and never closed."""
    return line.startswith('{"person"') and not line.rstrip().endswith("}")


def _entry(line: str, shown_as: str, number: int) -> CheckIn | str:
    try:
        record = json.loads(line)
    except ValueError:
        return "it is not a JSON object"
    if not isinstance(record, dict) or set(record) != {"person", "at", "how"}:
        return "it should hold exactly person, at and how"
    person, at, how = record["person"], record["at"], record["how"]
    if not isinstance(person, str) or not person or not isinstance(at, str) or how not in HOW:
        return "person and at should be text, and how 'scan' or 'search'"
    try:
        moment = datetime.fromisoformat(at)
    except ValueError:
        return f"'{at}' is not a date and time"
    if moment.tzinfo is None:
        return f"'{at}' has no UTC offset"
    try:
        moment.astimezone(timezone.utc)  # compared with meeting times in UTC: 0001-01-01T00:00+01:00 is not one
    except OverflowError:
        return f"'{at}' is not a date and time the check-in page writes"
    return CheckIn(person, moment, how, Source(shown_as, number))
