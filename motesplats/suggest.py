"""Suggestions for misspelt names, shared by every check that meets an unknown name."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


PLURALS = {"person": "people"}


def did_you_mean(name: str, known: Iterable[str]) -> str:
    """A 'did you mean ...?' hint for the closest known name, or '' when none is close."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""


def unknown_hint(name: str, known: Iterable[str], what: str) -> str:
    """A hint naming the closest match, or else listing a few of the known names."""
    known = sorted(set(known))
    suggestion = did_you_mean(name, known)
    if suggestion:
        return suggestion
    if not known:
        return f"no {what} is defined yet"
    listed = ", ".join(known[:8]) + (", …" if len(known) > 8 else "")
    return f"known {PLURALS.get(what, what + 's')}: {listed}"
