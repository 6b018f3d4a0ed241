"""TOML text -> data, with the line each key and table was written on.

`tomllib` parses but forgets positions, so a small scanner walks the same text and records the
line of every table header and key, addressed by the same path the parsed data uses
(e.g. ("event", 0, "session", 2, "room")).
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from motesplats.load.files import decode_utf8, read_bytes
from motesplats.problems import Problem

Key = tuple[str | int, ...]


@dataclass(frozen=True)
class TomlDocument:
    """A parsed TOML file and where each of its keys is."""

    path: str  # as shown to the organiser, relative to the workspace
    data: dict
    lines: dict[Key, int] = field(default_factory=dict)

    def line(self, key: Key) -> int:
        """The line of `key`, or of the nearest enclosing table or key that has one."""
        while key:
            found = self.lines.get(tuple(key))
            if found is not None:
                return found
            key = key[:-1]
        return 1


_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
_SYNTAX_LINE = re.compile(r"\(at line (\d+), column \d+\)|\(at end of document\)")


def parse_toml(text: str, path: str) -> TomlDocument | Problem:
    """Parse TOML text; a syntax error comes back as a Problem at its line."""
    try:
        data = tomllib.loads(text)
    except RecursionError:
        return Problem(path, 1, "the file nests lists or tables too deeply to be read",
                       "an events file needs a few levels at most; look for runs of [ or {")
    except tomllib.TOMLDecodeError as error:
        message = str(error)
        match = _SYNTAX_LINE.search(message)
        # "at end of document": the last line (a list or string left open at the end)
        line = (int(match.group(1)) if match.group(1) else len(text.rstrip("\n").splitlines()) or 1) if match else 1
        reason = _SYNTAX_LINE.sub("", message).strip()
        return Problem(path, line, f"TOML syntax error: {reason}", _syntax_hint(reason))
    return TomlDocument(path, data, index_lines(text))


def read_toml(file: Path, shown_as: str) -> TomlDocument | Problem:
    """Read and parse a TOML file, reporting unreadable or non-UTF-8 files as Problems."""
    raw = read_bytes(file, shown_as)
    return raw if isinstance(raw, Problem) else toml_from_bytes(raw, shown_as)


def toml_from_bytes(raw: bytes, shown_as: str) -> TomlDocument | Problem:
    """Parse a TOML file's bytes; text that is not UTF-8 is a Problem at its line."""
    text = decode_utf8(raw, shown_as)
    return text if isinstance(text, Problem) else parse_toml(text, shown_as)


def _syntax_hint(reason: str) -> str:
    lowered = reason.lower()
    if "overwrite" in lowered or "duplicate" in lowered:
        return "a key or table is written twice; remove or rename one"
    if "date" in lowered or "time" in lowered:
        return "write dates as 2018-05-17 and times as 2018-05-17T09:30:00, with real days and hours"
    if "invalid value" in lowered or "invalid statement" in lowered:
        return 'put text in double quotes: title = "Mälartinget"'
    return "compare with the examples in the workspace, or see https://toml.io"


def index_lines(text: str) -> dict[Key, int]:
    """Map each table header and key to its line number (1-based)."""
    lines: dict[Key, int] = {}
    array_counts: dict[Key, int] = {}
    table: Key = ()
    scanner = _Scanner()
    # TOML ends lines only with LF (or CRLF); str.splitlines would also split at U+2028 and friends.
    for number, raw in enumerate(text.split("\n"), start=1):
        if scanner.continues_value:
            scanner.feed(raw)
            continue
        stripped = raw.strip()
        if stripped.startswith("[["):
            names = _split_key(stripped[2: stripped.find("]]")])
            parent = _resolve(names[:-1], array_counts)
            array_key = parent + (names[-1],)
            index = array_counts.get(array_key, -1) + 1
            array_counts[array_key] = index
            table = array_key + (index,)
            lines.setdefault(array_key, number)
            lines[table] = number
        elif stripped.startswith("["):
            table = _resolve(_split_key(stripped[1: stripped.find("]")]), array_counts)
            lines[table] = number
        elif stripped and not stripped.startswith("#"):
            names, rest = _read_key(stripped)
            if names and rest.startswith("="):
                lines.setdefault(table + tuple(names), number)
                scanner.feed(rest[1:])
    return lines


def _resolve(names: list[str], array_counts: dict[Key, int]) -> Key:
    """Turn header names into a data path, entering the latest entry of each array of tables."""
    path: Key = ()
    for name in names:
        path = path + (name,)
        if path in array_counts:
            path = path + (array_counts[path],)
    return path


def _split_key(text: str) -> list[str]:
    """Split a dotted TOML key into its parts, unquoting quoted parts."""
    return _read_key(text)[0]


def _read_key(text: str) -> tuple[list[str], str]:
    """Read a dotted key at the start of `text`: (its parts, the text after it)."""
    parts, text = [], text.strip()
    while text:
        if text[0] in "\"'":
            end = text.find(text[0], 1)
            if end < 0:
                break
            parts.append(text[1:end])
            text = text[end + 1:]
        else:
            match = _BARE_KEY.match(text)
            if not match:
                break
            parts.append(match.group(0))
            text = text[match.end():]
        text = text.strip()
        if not text.startswith("."):
            break
        text = text[1:].strip()
    return parts, text


class _Scanner:
    """Follows strings, brackets and comments across lines, to know when a value has ended."""

    def __init__(self) -> None:
        self.depth = 0
        self.multiline: str | None = None

    @property
    def continues_value(self) -> bool:
        return self.depth > 0 or self.multiline is not None

    def feed(self, line: str) -> None:
        i = 0
        while i < len(line):
            if self.multiline:
                end = line.find(self.multiline, i)
                if end < 0:
                    return
                self.multiline, i = None, end + 3
                continue
            char = line[i]
            if line.startswith('"""', i) or line.startswith("'''", i):
                self.multiline, i = line[i: i + 3], i + 3
            elif char in "\"'":
                i = _end_of_string(line, i)
            elif char == "#":
                return
            elif char in "[{":
                self.depth, i = self.depth + 1, i + 1
            elif char in "]}":
                self.depth, i = max(0, self.depth - 1), i + 1
            else:
                i += 1


def _end_of_string(line: str, start: int) -> int:
    quote, i = line[start], start + 1
    while i < len(line):
        if quote == '"' and line[i] == "\\":
            i += 2
            continue
        if line[i] == quote:
            return i + 1
        i += 1
    return i
