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
from motesplats.records.facts import canonical_json, meeting_facts, notice_facts, sealing_day
from motesplats.records.folder import (
    FACTS, LEFT_OUT_OF_WEB, MANIFEST, Record, digest, extract_name, minutes_name, notice_name, read_records,
    record_folder,
)
from motesplats.workspace import Workspace
from motesplats.write import sync_folder


def unsealed(plan: Plan, records: dict[str, Record]) -> list[Meeting]:
    """Meetings whose minutes are adjusted but not yet sealed, in time order."""
    return [m for m in meetings(plan) if m.status != "cancelled" and m.minutes is not None
            and m.minutes.adjusted is not None and m.key not in records]


def record_contents(plan: Plan, meeting: Meeting, templates: Path, now: datetime) -> dict[str, bytes]:
    """Every file of `meeting`'s record: minutes (PDF, web page), extracts and the notice of
    adjustment in its language, the web copy of the minutes where it leaves something out, the facts
    (with the notice's dates), and the manifest of their digests."""
    from motesplats.render import adjustment_notice_pdf, minutes_html, minutes_pdf  # reportlab only when sealing
    from motesplats.render.minutes import build_minutes, left_out_of_web, web_copy, web_copy_differs
    from motesplats.render.notices import adjustment_notice
    language = meeting.language
    document = build_minutes(plan, meeting, language)
    files = {minutes_name(language, "pdf"): minutes_pdf.render_minutes(document),
             minutes_name(language, "html"): minutes_html.render(document, templates)}
    web = {}
    if web_copy_differs(document):
        on_the_web = web_copy(document)
        files[minutes_name(language, "pdf", web=True)] = minutes_pdf.render_minutes(on_the_web)
        files[minutes_name(language, "html", web=True)] = minutes_html.render(on_the_web, templates)
        web = {LEFT_OUT_OF_WEB: sorted(left_out_of_web(document))}
    for paragraph in document.paragraphs:
        if paragraph.decision is not None:
            files[extract_name(paragraph.number, language)] = minutes_pdf.render_extract(document, paragraph)
    first = first_paragraphs(plan).get(meeting.key, 1)
    facts = meeting_facts(meeting, plan.attendance_of(meeting.key), first)
    # The notice goes up the day the minutes say, or when they say none, today: the build publishes it.
    posted = meeting.minutes.posted or sealing_day(now, plan.settings.time_zone)
    facts["notice"] = notice_facts(posted, meeting.organ)
    notice = adjustment_notice(plan, facts, facts["notice"], language)
    files[notice_name(language)] = adjustment_notice_pdf.render(notice, document.organisation, language)
    files[FACTS] = canonical_json(facts)
    files[MANIFEST] = canonical_json({
        "meeting": meeting.key, "sealed_at": now.isoformat(), "motesplats": __version__,
        "files": {name: digest(content) for name, content in sorted(files.items())}, **web})
    return files


def seal(workspace: Workspace, plan: Plan, meeting: Meeting, now: datetime) -> str:
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
    write_folder(target, record_contents(plan, meeting, workspace.root / "templates", now))
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

