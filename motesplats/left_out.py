"""What the web copy of the minutes leaves out of a text: passages marked `[[ej webb]] … [[/ej webb]]`
and personal identity numbers. The archive copy shows the text whole, without the markers.

The markers are plain characters anyone can type, in a text editor and in the browser's editor,
and double square brackets do not occur in minutes otherwise. Pure functions: the renderers and
the validator share them.
"""

from __future__ import annotations

import re

from motesplats.identity_numbers import identity_numbers

OPEN, CLOSE = "[[ej webb]]", "[[/ej webb]]"
_MARKER = re.compile(r"\[\[\s*(/?)\s*ej\s+webb\s*\]\]", re.IGNORECASE)
_BRACKETED = re.compile(r"\[\[([^\[\]\n]{0,40})\]\]")  # anything written like a marker


def marker_problems(text: str) -> list[str]:
    """What is wrong with the markers in `text`, in words ('' for none): an opening marker never
    closed, a closing one never opened, one inside another, or something else in [[ ]]."""
    problems, opened = [], False
    for bracketed in _BRACKETED.finditer(text):
        marker = _MARKER.fullmatch(bracketed.group(0))
        if marker is None:
            problems.append(f"'{bracketed.group(0)}' is not a marker motesplats knows")
        elif marker.group(1) and not opened:
            problems.append(f"'{bracketed.group(0)}' closes a passage that no {OPEN} opened")
        elif not marker.group(1) and opened:
            problems.append(f"'{bracketed.group(0)}' opens a passage inside another: the first is not closed")
        else:
            opened = not marker.group(1)
    if opened:
        problems.append(f"a passage opened with {OPEN} is never closed with {CLOSE}")
    return problems


def has_markers(text: str) -> bool:
    return _MARKER.search(text) is not None


def whole(text: str) -> str:
    """The text as the archive copy shows it: every passage kept, the markers taken away."""
    return _MARKER.sub("", text)


def for_web(text: str, replacement: str) -> str:
    """The text as the web copy shows it: each marked passage and each personal identity number
    replaced by `replacement` ('[utelämnat i webbversionen]')."""
    kept, at, opened = [], 0, False
    for marker in _MARKER.finditer(text):
        if not opened:
            kept.append(text[at:marker.start()])
        if not marker.group(1):
            opened = True
        elif opened:
            kept.append(replacement)
            opened = False
        at = marker.end()
    kept.append(replacement if opened else text[at:])  # never closed (check says so): left out to the end
    shown = "".join(kept)
    return "".join(_without_numbers(shown, replacement))


def _without_numbers(text: str, replacement: str):
    at = 0
    for number in identity_numbers(text):
        yield text[at:number.start()]
        yield replacement
        at = number.end()
    yield text[at:]
