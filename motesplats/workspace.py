"""A workspace on disk: find its root, and list the files each part of the pipeline reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SETTINGS_FILE = "motesplats.toml"
SEQUENCE_FILE = "calendars/sequence.json"  # the feeds' sequence state, committed with the workspace


class NotAWorkspace(Exception):
    """Raised when no motesplats.toml is found; the message says where we looked."""


@dataclass(frozen=True)
class Workspace:
    root: Path

    @property
    def settings_file(self) -> Path:
        return self.root / SETTINGS_FILE

    @property
    def build_dir(self) -> Path:
        return self.root / "build"

    def event_files(self) -> list[Path]:
        return sorted((self.root / "events").rglob("*.toml"))

    def roster_files(self) -> list[Path]:
        return sorted((self.root / "events").rglob("*.csv"))

    def calendar_files(self) -> list[Path]:
        return sorted((self.root / "calendars").glob("*.toml"))

    def template_files(self) -> list[Path]:
        folder = self.root / "templates"
        return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else []

    def input_files(self) -> list[Path]:
        """Every file organisers write that a build reads: settings, events, rosters, calendars and
        templates (not the sequence state, which builds write themselves)."""
        files = [self.settings_file, *self.event_files(), *self.roster_files(), *self.calendar_files(),
                 *self.template_files()]
        return [path for path in files if path.is_file()]

    def shown(self, file: Path) -> str:
        """A path as the organiser sees it: relative to the workspace, with forward slashes."""
        try:
            return file.relative_to(self.root).as_posix()
        except ValueError:
            return str(file)


def find_workspace(start: Path | None = None) -> Workspace:
    """The workspace containing `start` (default: the current folder), looking upwards."""
    start = (start or Path.cwd()).resolve()
    for folder in (start, *start.parents):
        if (folder / SETTINGS_FILE).is_file():
            return Workspace(folder)
    raise NotAWorkspace(f"no {SETTINGS_FILE} in {start} or any folder above it")


def open_workspace(root: Path) -> Workspace:
    """The workspace at exactly `root`."""
    root = root.resolve()
    if not (root / SETTINGS_FILE).is_file():
        raise NotAWorkspace(f"{root} has no {SETTINGS_FILE}")
    return Workspace(root)
