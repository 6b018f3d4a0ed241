"""One editing session over a workspace: its files' state, and edits tried or saved against it.

A save writes one file, atomically, and only when the whole workspace checks without errors with
that file as it would be; otherwise it returns every problem (at its field where it is in the
edited file) and writes nothing. A file that changed on disk since the page read it is never
overwritten. After a save the outputs are rebuilt incrementally, so the preview shows the edit.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import threading
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from motesplats.build import build
from motesplats.cache import EDIT_LOCK, holding
from motesplats.editor import overview
from motesplats.editor.edits import EditRefused, Edit, apply_edits
from motesplats.editor.forms import editable_files, file_record
from motesplats.load.toml_files import Key, index_lines
from motesplats.problems import Problem, ProblemsFound, is_error
from motesplats.validate import check_workspace
from motesplats.workspace import Workspace
from motesplats.write import replace_atomically

_PREVIEWED = ("programmes", "badges")


class Conflict(Exception):
    """The file changed on disk since the page read it."""


@dataclass(frozen=True)
class Outcome:
    """What trying or saving edits gave: the file's new data, the problems, and what changed."""

    saved: bool
    version: str
    data: dict | None
    problems: list[dict]
    diff: str
    built: list[str]


def version_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:20]


def replace_unless_changed(workspace_root: Path, shown: str, version: str, content: bytes) -> None:
    """Replace the file shown as `shown` with `content` only if it is still at `version`; raise
    Conflict if not.

    A check takes seconds, and another program may save the file meanwhile: its version is
    compared once more just before the replace, both under the workspace's edit lock, so two
    editors (in any processes) cannot both pass the comparison and one overwrite the other.
    """
    path = workspace_root / shown
    with holding(workspace_root, EDIT_LOCK):
        if version_of(path.read_bytes()) != version:
            raise Conflict(shown)
        replace_atomically(path, content, mode=path.stat().st_mode & 0o777)


class EditorSession:
    """The editor's view of one workspace; safe to use from several request threads."""

    def __init__(self, workspace: Workspace, today: date | None = None):
        self.workspace = workspace
        self.today = today
        self._lock = threading.Lock()
        self._plan = None
        self._first_language = "sv"

    def state(self) -> dict:
        """Every editable file (text version, data, problems), the year's events and the choices."""
        checked = check_workspace(self.workspace, today=self.today)
        if checked.plan is not None:
            self._plan = checked.plan
            self._first_language = checked.plan.settings.languages[0]
        files, datas = {}, {}
        for shown, record in editable_files(self.workspace).items():
            raw = (self.workspace.root / shown).read_bytes()
            data = overview.parse_or_none(raw.decode("utf-8-sig", errors="replace"))
            datas[shown] = data or {}
            files[shown] = {"record": record.name, "version": version_of(raw),
                            "data": overview.as_json(data) if data is not None else None}
        settings = datas.get("motesplats.toml", {})
        return {
            "languages": list(settings.get("languages", [])) or ["sv"],
            "files": files,
            "events": overview.year_events(datas),
            "choices": overview.choices(self._plan, settings),
            "problems": [_problem_record(p, None) for p in checked.problems],
        }

    def attempt(self, shown: str, version: str, edits: list[Edit], save: bool) -> Outcome:
        """Apply `edits` to the file shown as `shown` (read at `version`): check, and with `save`
        write and rebuild when nothing is wrong. Raises Conflict, or EditRefused for an edit that
        does not fit the file."""
        record = file_record(self.workspace, shown)
        if record is None:
            raise EditRefused(f"{shown} is not a file the editor edits")
        path = self.workspace.root / shown
        with self._lock:
            raw = path.read_bytes()
            if version_of(raw) != version:
                raise Conflict(shown)
            old_text = raw.decode("utf-8-sig")
            new_text = apply_edits(old_text, record, edits, self._first_language)
            new_raw = new_text.encode("utf-8")
            checked = check_workspace(self.workspace, today=self.today, pending={path: new_raw})
            lines = _deepest_keys(new_text)
            problems = [_problem_record(p, lines if p.file == shown else None) for p in checked.problems]
            diff = "".join(difflib.unified_diff(old_text.splitlines(True), new_text.splitlines(True),
                                                f"a/{shown}", f"b/{shown}", n=1))
            data = overview.as_json(overview.parse_or_none(new_text))
            if not save or checked.plan is None or new_raw == raw:
                return Outcome(False, version, data, problems, diff, [])
            replace_unless_changed(self.workspace.root, shown, version, new_raw)
            self._plan = checked.plan
            try:
                report = build(self.workspace, jobs=1)
            except ProblemsFound as found:
                problems += [_problem_record(p, None) for p in found.problems]
                return Outcome(True, version_of(new_raw), data, problems, diff, [])
            return Outcome(True, version_of(new_raw), data, problems, diff, list(report.written))

    def preview(self, event_id: str) -> dict:
        """The built files showing an event (programme, notice, badges) and its feed entries."""
        build_dir = self.workspace.build_dir
        shows = re.compile(rf"(?:{'|'.join(_PREVIEWED)})/{re.escape(event_id)}(?:-[0-9a-f]{{32}})?\.")
        files = sorted(path.relative_to(build_dir).as_posix() for folder in _PREVIEWED
                       if (build_dir / folder).is_dir() for path in (build_dir / folder).iterdir()
                       if shows.match(path.relative_to(build_dir).as_posix()))
        return {"files": files, "feed": _feed_entries(build_dir / "calendars", event_id)}


def _feed_entries(folder: Path, event_id: str) -> dict | None:
    """The event's entries as the first shared feed that has them carries them (public first)."""
    import icalendar

    feeds = sorted(folder.glob("*.ics"), key=lambda p: (p.name != "public.ics", p.name))
    for feed in feeds:
        calendar = icalendar.Calendar.from_ical(feed.read_bytes())
        entries = []
        for component in calendar.walk("VEVENT"):
            uid = str(component.get("UID", ""))
            local = uid.partition("@")[0]
            if local == event_id or local.startswith(f"{event_id}."):
                entries.append({
                    "summary": str(component.get("SUMMARY", "")),
                    "start": _moment(component.get("DTSTART")), "end": _moment(component.get("DTEND")),
                    "location": str(component.get("LOCATION", "")),
                    "description": str(component.get("DESCRIPTION", "")),
                    "status": str(component.get("STATUS", "")), "sequence": int(component.get("SEQUENCE", 0)),
                    "uid": uid})
        if entries:
            name = str(calendar.get("NAME", calendar.get("X-WR-CALNAME", feed.stem)))
            entries.sort(key=lambda e: e["start"])
            return {"feed": name, "entries": entries[:40], "more": max(0, len(entries) - 40)}
    return None


def _moment(prop) -> str:
    if prop is None:
        return ""
    value = prop.dt
    if isinstance(value, datetime):
        zone = value.tzinfo
        name = getattr(zone, "key", None) or str(zone or "")
        return f"{value:%Y-%m-%d %H:%M} ({name})" if name else f"{value:%Y-%m-%d %H:%M}"
    return value.isoformat()


def _deepest_keys(text: str) -> dict[int, Key]:
    """Each line's key path in `text`: the deepest key or table written on it."""
    lines: dict[int, Key] = {}
    for key, number in index_lines(text).items():
        if len(key) >= len(lines.get(number, ())):
            lines[number] = key
    return lines


def _problem_record(problem: Problem, lines: dict[int, Key] | None) -> dict:
    path = lines.get(problem.line) if lines else None
    return {"text": str(problem), "file": problem.file, "line": problem.line, "message": problem.message,
            "hint": problem.hint, "error": is_error(problem), "path": list(path) if path else None}
