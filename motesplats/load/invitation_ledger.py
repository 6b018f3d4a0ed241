"""The invitation ledger, calendars/invitations.jsonl: one line per message a server accepted.

Each line says who (a person id, never an address), which entry (UID), SEQUENCE, REQUEST or
CANCEL, a fingerprint of what it said, when, and the server's answer.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from motesplats.load.files import decode_utf8
from motesplats.problems import Problem, ProblemsFound

LEDGER_FIELDS = ("person", "uid", "sequence", "method", "fingerprint", "at", "answer")


@dataclass(frozen=True)
class Sent:
    """One message a server accepted."""

    person: str
    uid: str
    sequence: int
    method: str
    fingerprint: str
    at: str
    answer: str


Ledger = dict[tuple[str, str], Sent]  # (person id, UID) -> the last message sent


def read_ledger(raw: bytes | None, shown_as: str) -> Ledger:
    """The last message sent to each person for each entry; a line that cannot be read stops
    everything (ProblemsFound at its line): a guess could send someone a second copy."""
    if raw is None:
        return {}
    text = decode_utf8(raw, shown_as)
    if isinstance(text, Problem):
        raise ProblemsFound([text])
    ledger: Ledger = {}
    problems = []
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
            sent = Sent(**{key: record[key] for key in LEDGER_FIELDS})
            if set(record) != set(LEDGER_FIELDS) or sent.method not in ("REQUEST", "CANCEL"):
                raise ValueError
        except (ValueError, TypeError, KeyError):
            torn = number == len(text.split("\n")) and not text.endswith("\n")
            hint = ("the line was cut short as a run was killed: delete it and run again (that one person may "
                    "get the message twice); never restore an older ledger, which would send everyone's again"
                    if torn else "motesplats writes every line; undo the edit (git diff shows it)")
            problems.append(Problem(shown_as, number, "a line of the invitation ledger cannot be read", hint))
            continue
        ledger[(sent.person, sent.uid)] = sent
    if problems:
        raise ProblemsFound(problems)
    return ledger


def invited(ledger: Ledger) -> dict[str, frozenset[str]]:
    """For each UID, the people whose last message was an invitation (not a cancellation)."""
    found: dict[str, set[str]] = {}
    for (person, uid), sent in ledger.items():
        if sent.method == "REQUEST":
            found.setdefault(uid, set()).add(person)
    return {uid: frozenset(people) for uid, people in found.items()}
