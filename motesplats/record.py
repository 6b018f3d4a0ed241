"""Recording a meeting's attendance into its file in attendance/, as an organiser would by hand.

The file is edited with a round-trip TOML library, so the organiser's comments, order and layout
stay as they were; only the lists and tables recorded change.
"""

from __future__ import annotations

import tomlkit
from tomlkit.items import Array

from motesplats.meetings import Meeting

SCHEMA_LINE = "#:schema ../schema/attendance.schema.json"


def attendance_file_name(meeting: Meeting) -> str:
    return f"{meeting.stem}.toml"


def new_attendance_text(meeting: Meeting, language: str) -> str:
    """A new attendance file for `meeting`, holding only which meeting it is."""
    title = " ".join(meeting.title.get(language).split())
    return (f"{SCHEMA_LINE}\n# Who came to {title} ({meeting.start.date().isoformat()}): apologies, deputies "
            f"serving,\n# late arrivals and early leavers, others present.\nmeeting = {_quoted(meeting.key)}\n")


def _quoted(value: str) -> str:
    return tomlkit.string(value).as_string()


def with_apologies(text: str, person_ids: list[str]) -> str:
    """`text` with `person_ids` added to its apologies (each once, in the order given)."""
    document = tomlkit.parse(text)
    current = document.get("apologies")
    if current is None:
        current = tomlkit.array()
        document["apologies"] = current
    for person_id in person_ids:
        if person_id not in current:
            current.append(person_id)
    _multiline_when_long(current)
    return tomlkit.dumps(document)


def with_deputies(text: str, serving: list[tuple[str, str]]) -> str:
    """`text` with a [[deputy]] table added at its end for each (deputy id, member id) pair.

    Appended as text: TOML adds a [[deputy]] written anywhere to the same list, and everything
    above stays byte for byte as it was."""
    tables = "".join(f"\n[[deputy]]\nperson = {_quoted(deputy)}\nfor = {_quoted(member)}\n"
                     for deputy, member in serving)
    return (text if text.endswith("\n") or not text else text + "\n") + tables


def _multiline_when_long(array: Array) -> None:
    if len(array) > 4:
        array.multiline(True)
