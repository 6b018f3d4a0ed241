"""The feeds' sequence state, calendars/sequence.json: what each published entry's SEQUENCE is.

Only a missing file means a new workspace. An empty or damaged one (an editor that crashed,
`> file`, a merge's conflict markers) stops everything: starting again from nothing would give
every entry SEQUENCE 0 again, and subscribers' apps ignore an update with a lower SEQUENCE than
they have, so the feeds would silently stop changing.
"""

from __future__ import annotations

import json
from pathlib import Path

from motesplats.load.files import decode_utf8, read_bytes
from motesplats.problems import Problem, ProblemsFound
from motesplats.workspace import SEQUENCE_FILE

# Written by builds, not by hand: at 4,000 events in 10,000 feeds it is tens of MB, so the limit on
# organisers' files does not apply; a bound stays, against a link to a device or a runaway file.
LARGEST_STATE = 512 * 1024 * 1024

RESTORE_HINT = (f"restore the last committed one with `git checkout -- {SEQUENCE_FILE}` (`git log -p {SEQUENCE_FILE}` "
                "shows earlier ones); never delete it or start it again: a published SEQUENCE must never go back")


def read_sequence_state(root: Path) -> dict:
    """The state the last build left in the workspace at `root` ({} when there is none yet);
    ProblemsFound at the file's line when it is empty or cannot be read."""
    file = root / SEQUENCE_FILE
    if not file.exists() and not file.is_symlink():
        return {}
    raw = read_bytes(file, SEQUENCE_FILE, LARGEST_STATE)
    text = raw if isinstance(raw, Problem) else decode_utf8(raw, SEQUENCE_FILE, RESTORE_HINT)
    if isinstance(text, Problem):
        raise ProblemsFound([Problem(text.file, text.line, text.message, RESTORE_HINT)])
    try:
        return load_state(text)
    except ValueError as error:
        line = error.lineno if isinstance(error, json.JSONDecodeError) else 1
        raise ProblemsFound([Problem(SEQUENCE_FILE, line, f"the feeds' sequence state cannot be read ({error})",
                                     RESTORE_HINT)]) from None


def load_state(text: str) -> dict:
    """The sequence state in `text`; ValueError if it is empty or not one motesplats wrote."""
    if not text.strip():
        raise ValueError("the file is empty")
    state = json.loads(text)
    entries = state.get("entries") if isinstance(state, dict) else None
    if not isinstance(entries, dict) or not all(_usable_entry(known) for known in entries.values()):
        raise ValueError("it is not a sequence state written by motesplats")
    return state


def _usable_entry(known: object) -> bool:
    return (isinstance(known, dict) and isinstance(known.get("sequence"), int) and known["sequence"] >= 0
            and isinstance(known.get("stamp"), str) and isinstance(known.get("fingerprint"), str)
            and isinstance(known.get("feeds"), dict) and isinstance(known.get("snapshot", {}), dict))
