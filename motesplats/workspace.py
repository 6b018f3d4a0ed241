"""A workspace on disk: find its root, and list the files each part of the pipeline reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

SETTINGS_FILE = "motesplats.toml"
SEQUENCE_FILE = "calendars/sequence.json"  # the feeds' sequence state, committed with the workspace
OUTBOX = "outbox"  # under build/: invitations written by --dry-run, for review; never served
INVITATION_LEDGER = "calendars/invitations.jsonl"  # what was sent to whom: committed like the sequence state
RECORDS = "records"  # sealed minutes, one folder per meeting: committed, never rewritten
CHECKIN_LOG_SUFFIX = ".checkin.log"  # attendance/<meeting>.checkin.log: one JSON object per line


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

    @property
    def attendance_dir(self) -> Path:
        return self.root / "attendance"

    def attendance_files(self) -> list[Path]:
        """Who came to each meeting: one TOML file per meeting."""
        return sorted(self.attendance_dir.glob("*.toml"))

    def checkin_logs(self) -> list[Path]:
        """The check-in logs the door's check-in page appends to, one per meeting."""
        return sorted(self.attendance_dir.glob(f"*{CHECKIN_LOG_SUFFIX}"))

    def checkin_log(self, meeting_stem: str) -> Path:
        return self.attendance_dir / f"{meeting_stem}{CHECKIN_LOG_SUFFIX}"

    def template_files(self) -> list[Path]:
        folder = self.root / "templates"
        return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else []

    def record_files(self) -> list[Path]:
        """The files of the sealed records (records/): published byte for byte, held to by check."""
        folder = self.root / RECORDS
        return sorted(path for path in folder.rglob("*") if path.is_file()) if folder.is_dir() else []

    def input_files(self) -> list[Path]:
        """Every file organisers write that a build reads: settings, events, rosters, calendars,
        attendance, check-in logs, the invitation ledger, templates and sealed records (not the
        sequence state, which builds write)."""
        files = [self.settings_file, *self.event_files(), *self.roster_files(), *self.calendar_files(),
                 *self.attendance_files(), *self.checkin_logs(), self.root / INVITATION_LEDGER,
                 *self.template_files(), *self.record_files()]
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
