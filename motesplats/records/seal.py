"""Sealing: render a meeting's adjusted minutes once, with their facts, into its record folder.

The folder is written whole or not at all: every file into a hidden folder beside it, each
flushed to disk, then the folder renamed into place. An existing record is never overwritten.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from motesplats import __version__
from motesplats.meetings import Meeting, first_paragraphs, meetings
from motesplats.model import Plan
from motesplats.problems import Problem, ProblemsFound
from motesplats.records.facts import canonical_json, meeting_facts
from motesplats.records.folder import (
    FACTS, MANIFEST, Record, digest, extract_name, minutes_name, read_records, record_folder,
)
from motesplats.workspace import Workspace
from motesplats.write import sync_folder


def unsealed(plan: Plan, records: dict[str, Record]) -> list[Meeting]:
    """Meetings whose minutes are adjusted but not yet sealed, in time order."""
    return [m for m in meetings(plan) if m.status != "cancelled" and m.minutes is not None
            and m.minutes.adjusted is not None and m.key not in records]


def record_contents(plan: Plan, meeting: Meeting, templates: Path, now: datetime,
                    signed: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Every file of `meeting`'s record: minutes (PDF, web page) and extracts in its language, the
    facts, and the manifest of their digests. `signed` (from a signed adjustment) holds the minutes
    PDF as signed and the signatures' files, taken as they are instead of rendered."""
    from motesplats.render import minutes_html, minutes_pdf  # reportlab only when sealing
    from motesplats.render.minutes import build_minutes
    language = meeting.language
    document = build_minutes(plan, meeting, language)
    files = {minutes_name(language, "pdf"): minutes_pdf.render_minutes(document),
             minutes_name(language, "html"): minutes_html.render(document, templates)}
    for paragraph in document.paragraphs:
        if paragraph.decision is not None:
            files[extract_name(paragraph.number, language)] = minutes_pdf.render_extract(document, paragraph)
    files |= signed or {}
    first = first_paragraphs(plan).get(meeting.key, 1)
    files[FACTS] = canonical_json(meeting_facts(meeting, plan.attendance_of(meeting.key), first))
    files[MANIFEST] = canonical_json({
        "meeting": meeting.key, "sealed_at": now.isoformat(), "motesplats": __version__,
        "files": {name: digest(content) for name, content in sorted(files.items())}})
    return files


def seal(workspace: Workspace, plan: Plan, meeting: Meeting, now: datetime,
         signed: dict[str, bytes] | None = None) -> str:
    """Write `meeting`'s record into the workspace; return its folder as shown. Raises ProblemsFound
    when the meeting is not adjusted or already has a record."""
    shown = record_folder(meeting)
    target = workspace.root / shown
    if meeting.minutes is None or meeting.minutes.adjusted is None:
        where = meeting.minutes.source if meeting.minutes else (meeting.session or meeting.event).source
        raise ProblemsFound([Problem(where.file, where.line, f"the minutes of {meeting.key} are not adjusted",
                                     "write adjusted = YYYY-MM-DD under the minutes once they are signed")])
    existing = read_records(workspace)[0].get(meeting.key)
    if existing is not None or target.exists():
        folder = existing.shown if existing else shown
        raise ProblemsFound([Problem(f"{folder}/{MANIFEST}", 1, f"{meeting.key} is already sealed",
                                     "a record is never written again: record a correction (rättelse) instead")])
    write_folder(target, record_contents(plan, meeting, workspace.root / "templates", now, signed))
    return shown


def write_folder(target: Path, files: dict[str, bytes]) -> None:
    """Create `target` holding `files`, all of them or nothing."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = Path(tempfile.mkdtemp(dir=target.parent, prefix=f".{target.name}.", suffix=".sealing"))
    try:
        for name, content in files.items():
            with open(temporary / name, "xb") as stream:
                stream.write(content)
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temporary / name, 0o644)
        os.chmod(temporary, 0o755)
        sync_folder(temporary)
        if target.exists():  # rename would replace an empty folder: never take another's place
            raise FileExistsError(f"{target} exists")
        os.rename(temporary, target)
    except BaseException:
        shutil.rmtree(temporary, ignore_errors=True)
        raise
    sync_folder(target.parent)

