"""The build cache in `.motesplats-cache/`: what earlier builds learned, so the next one can skip it.

It holds parse results per input file (by content hash), the fingerprint of every output
written, and the text of feed entries. It is an optimisation only: a build with an empty cache
writes the same bytes. The folder is ignored by git; it is thrown away whole when it was written
by another version of motesplats or cannot be read, and any entry that does not read back is
treated as absent. It is stored as JSON, never pickle, so a workspace received from someone
else cannot run code through its cache.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None

from motesplats.fingerprint import code_digest, digest_bytes
from motesplats.load.rosters_csv import RosterFile, RosterRow
from motesplats.load.toml_files import TomlDocument
from motesplats.problems import Problem
from motesplats.write import replace_atomically

CACHE_FOLDER = ".motesplats-cache"
FORMAT = 1
LOCK = "lock"  # held by the build that is running; never removed with the rest
EDIT_LOCK = "edit.lock"  # held by an editor while it compares a file and replaces it; kept too
_LOCKS = (LOCK, EDIT_LOCK)


@contextmanager
def holding(workspace_root: Path, lock: str) -> Iterator[None]:
    """Hold the workspace's lock `lock` (LOCK or EDIT_LOCK) while the block runs; another process,
    or thread, asking for it waits. Windows has no such advisory locks: nothing is held there."""
    if fcntl is None:
        yield
        return
    lock_file = workspace_root / CACHE_FOLDER / lock
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_file, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


class BuildCache:
    """One workspace's cache folder, opened (and emptied if stale) for one run."""

    def __init__(self, workspace_root: Path):
        self.folder = workspace_root / CACHE_FOLDER
        stamp = f"{FORMAT} {code_digest()}\n"
        stamp_file = self.folder / "VERSION"
        try:
            current = stamp_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            current = None
        if current != stamp:
            self._empty()
            replace_atomically(stamp_file, stamp.encode("utf-8"))
        self._parsed_used: set[str] = set()

    def _empty(self) -> None:
        if not self.folder.is_dir():
            return
        for entry in self.folder.iterdir():
            if entry.name in _LOCKS:
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry, ignore_errors=True)
            else:
                entry.unlink(missing_ok=True)

    # --- parse results ------------------------------------------------------------------

    def parsed_toml(self, raw: bytes, shown: str) -> TomlDocument | Problem | None:
        """A cached parse of TOML bytes shown as `shown`, or None when not cached."""
        found = self._read_parsed("toml", raw, shown)
        if found is None:
            return None
        if "problem" in found:
            return Problem.from_record(found["problem"])
        return TomlDocument(shown, _decode(found["data"]), {tuple(key): line for key, line in found["lines"]})

    def keep_toml(self, raw: bytes, shown: str, parsed: TomlDocument | Problem) -> None:
        if isinstance(parsed, Problem):
            record = {"problem": parsed.as_record()}
        else:
            record = {"data": _encode(parsed.data), "lines": [[list(key), line] for key, line in parsed.lines.items()]}
        self._write_parsed("toml", raw, shown, record)

    def parsed_roster(self, raw: bytes, shown: str) -> tuple[RosterFile, list[Problem]] | None:
        found = self._read_parsed("csv", raw, shown)
        if found is None:
            return None
        rows = tuple(RosterRow(shown, line, values) for line, values in found["rows"])
        return RosterFile(found["roster_id"], shown, rows), [Problem.from_record(p) for p in found["problems"]]

    def keep_roster(self, raw: bytes, shown: str, parsed: tuple[RosterFile, list[Problem]]) -> None:
        roster, problems = parsed
        self._write_parsed("csv", raw, shown, {
            "roster_id": roster.roster_id, "rows": [[row.line, row.values] for row in roster.rows],
            "problems": [p.as_record() for p in problems]})

    def forget_unused_parses(self) -> None:
        """Delete parse results of file contents this run did not read (old versions of files)."""
        folder = self.folder / "parsed"
        if folder.is_dir():
            for path in folder.iterdir():
                if path.name not in self._parsed_used:
                    path.unlink(missing_ok=True)

    def _parsed_path(self, kind: str, raw: bytes, shown: str) -> Path:
        name = f"{kind}-{digest_bytes(shown.encode('utf-8') + bytes(1) + raw)}.json"
        self._parsed_used.add(name)
        return self.folder / "parsed" / name

    def _read_parsed(self, kind: str, raw: bytes, shown: str) -> dict | None:
        return self.read_json(self._parsed_path(kind, raw, shown))

    def _write_parsed(self, kind: str, raw: bytes, shown: str, record: dict) -> None:
        self.write_json(self._parsed_path(kind, raw, shown), record)

    # --- plain records ------------------------------------------------------------------

    def read_json(self, path: Path) -> dict | None:
        """A JSON object from the cache, or None when it is missing or unreadable."""
        try:
            found = json.loads(path.read_bytes())
        except (OSError, ValueError):
            return None
        return found if isinstance(found, dict) else None

    def write_json(self, path: Path, record: dict) -> None:
        replace_atomically(path, json.dumps(record, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))

    def path(self, *parts: str) -> Path:
        return self.folder.joinpath(*parts)


# --- JSON for TOML values: dates and times are tagged, keys beginning with $ escaped ---------

_TAGS = {"datetime": datetime.fromisoformat, "date": date.fromisoformat, "time": time.fromisoformat}


def _encode(value: object) -> object:
    if isinstance(value, dict):
        return {("$" + key if key.startswith("$") else key): _encode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_encode(item) for item in value]
    if isinstance(value, datetime):
        return {"$": ["datetime", value.isoformat()]}
    if isinstance(value, (date, time)):
        return {"$": [type(value).__name__, value.isoformat()]}
    return value


def _decode(value: object) -> object:
    if isinstance(value, dict):
        tagged = value.get("$")
        if tagged is not None and len(value) == 1:
            return _TAGS[tagged[0]](tagged[1])
        return {(key[1:] if key.startswith("$") else key): _decode(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_decode(item) for item in value]
    return value
