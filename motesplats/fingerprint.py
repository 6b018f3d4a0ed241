"""Fingerprints: short digests of what an output is made from, so a build renders only what changed.

A fingerprint covers everything a renderer reads: the model values (an event with its resolved
venue, people and rosters), the files (templates, layouts, roles) and the code itself. Model
values are digested structurally, each frozen object once per build (the plan is immutable, so
an object's digest cannot change while the build runs).
"""

from __future__ import annotations

import dataclasses
import hashlib
import sys
import zoneinfo
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from importlib import metadata, resources
from pathlib import Path

from motesplats import __version__
from motesplats.model import Member, Milestone, Organiser, Person, Room, Settings, Source, Text


def digest_text(*parts: object) -> str:
    """A digest of `parts` written out as text: for short values that are already strings or numbers."""
    return hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def digest_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()[:32]


class ModelDigests:
    """Digests of model values; each dataclass object is digested once, however often it is shared.

    Ten thousand people appear in hundreds of rosters and thousands of events: memoising by object
    keeps digesting the whole plan to one visit per object.
    """

    def __init__(self) -> None:
        self._memo: dict[int, tuple[object, str]] = {}

    def of(self, value: object) -> str:
        """The digest of one model value (an Event, a Venue, a tuple of them, a string...)."""
        kind = type(value)
        if kind is str or kind in _PLAIN:
            return repr(value)
        if kind is Source:
            # Where a record was written is for messages; no output shows it, and a line added
            # above an event must not make its programme render again.
            return ""
        if kind is tuple or kind is list:
            if all(type(item) is str for item in value):
                return repr(value)
            return "[" + ",".join([self.of(item) for item in value]) + "]"
        names = _FIELDS.get(kind)
        if names is None:
            names = _FIELDS[kind] = _field_names(kind)
        if not names:
            return self._scalar(value)
        known = self._memo.get(id(value))
        if known is not None and known[0] is value:
            return known[1]
        text = kind.__name__ + "(" + ",".join([self.of(getattr(value, name)) for name in names]) + ")"
        found = digest_text(text)
        self._memo[id(value)] = (value, found)  # the object is kept, so its id is not reused
        return found

    def _scalar(self, value: object) -> str:
        if isinstance(value, dict):
            return "{" + ",".join([f"{self.of(k)}:{self.of(v)}" for k, v in sorted(value.items(), key=repr)]) + "}"
        if isinstance(value, datetime):
            zone = getattr(value.tzinfo, "key", None) or str(value.tzinfo)
            return f"dt:{value.isoformat()}@{zone}"
        return repr(value)


# Values whose repr says all there is (frozen dataclasses of plain values among them): no need to
# walk their fields one by one. A person's repr holds their roster row's line: a row added above
# re-renders the events of that roster, which the new row changes anyway.
_PLAIN = {int, float, bool, type(None), date, time, timedelta, Text, Milestone, Room, Organiser, Settings, Person,
          Member}
_FIELDS: dict[type, tuple[str, ...]] = {}


def _field_names(kind: type) -> tuple[str, ...]:
    """The fields of a dataclass type; () for any other type."""
    return tuple(f.name for f in dataclasses.fields(kind)) if dataclasses.is_dataclass(kind) else ()


def files_digest(paths: list[Path], root: Path) -> str:
    """The digest of some files' names (relative to `root`) and bytes; missing files count as absent."""
    parts = []
    for path in sorted(paths):
        if path.is_file():
            parts.append(f"{path.relative_to(root).as_posix()}={digest_bytes(path.read_bytes())}")
    return digest_text(*parts)


def folder_files(folder: Path) -> list[Path]:
    """Every regular file under `folder` (none when it does not exist)."""
    return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else []


# Libraries whose output ends up in the files: a new version of any of them may write other bytes.
RENDERING_LIBRARIES = ("ics", "arrow", "reportlab", "rl_accel", "jinja2", "markupsafe", "qrcode", "holidays",
                       "tzdata")


@lru_cache(maxsize=None)
def code_digest() -> str:
    """The digest of what makes the bytes besides the workspace: the package (its version, source and
    data: built-in templates, fonts, layouts), Python, the rendering libraries and the time-zone data.

    Part of every fingerprint, so an upgrade, or an edited built-in template, never leaves an
    output made by the old one.
    """
    package = resources.files("motesplats")
    with resources.as_file(package) as folder:
        files = [path for path in folder_files(Path(folder)) if "__pycache__" not in path.parts]
        own = files_digest(files, Path(folder))
    return digest_text(__version__, own, sys.version, *_library_versions(), *_zone_data_versions())


def _library_versions() -> list[str]:
    found = []
    for name in RENDERING_LIBRARIES:
        try:
            found.append(f"{name}={metadata.version(name)}")
        except metadata.PackageNotFoundError:
            found.append(f"{name}=absent")
    return found


def _zone_data_versions() -> list[str]:
    """The version line of each system time-zone database Python may read before the tzdata package."""
    found = []
    for folder in zoneinfo.TZPATH:
        try:
            with open(Path(folder) / "tzdata.zi", encoding="utf-8", errors="replace") as stream:
                found.append(f"{folder}:{stream.readline().strip()}")
        except OSError:
            found.append(f"{folder}:none")
    return found
