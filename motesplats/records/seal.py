"""Sealing: render a meeting's adjusted minutes once, with their facts, into its record folder.

The folder is written whole or not at all: every file into a hidden folder beside it, each
flushed to disk, then the folder renamed into place. An existing record is never overwritten.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from datetime import datetime
from pathlib import Path

from motesplats import __version__
from motesplats.meetings import Meeting, first_paragraphs, meetings
from motesplats.model import Correction, Plan
from motesplats.problems import Problem, ProblemsFound
from motesplats.records.facts import canonical_json, corrected_facts, meeting_facts, notice_facts, sealing_day
from motesplats.records.folder import (
    FACTS, LEFT_OUT_OF_WEB, MANIFEST, Record, correction_folder, correction_name, digest, extract_name, minutes_name,
    notice_name, read_records, record_folder,
)
from motesplats.workspace import Workspace
from motesplats.write import sync_folder


def unsealed(plan: Plan, records: dict[str, Record]) -> list[Meeting]:
    """Meetings whose minutes are adjusted but not yet sealed, in time order."""
    return [m for m in meetings(plan) if m.status != "cancelled" and m.minutes is not None
            and m.minutes.adjusted is not None and m.key not in records]


def record_contents(plan: Plan, meeting: Meeting, templates: Path, now: datetime,
                    signed: dict[str, bytes] | None = None) -> dict[str, bytes]:
    """Every file of `meeting`'s record: minutes (PDF, web page), extracts and the notice of
    adjustment in its language, the web copy of the minutes where it leaves something out, the facts
    (with the notice's dates), and the manifest of their digests. `signed` (from a signed adjustment)
    holds the minutes PDF as signed and the signatures' files, taken as they are instead of rendered."""
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
    web_pdf = minutes_name(language, "pdf", web=True)
    files |= {name: content for name, content in (signed or {}).items()
              if not (name == web_pdf and name in files)}  # a web copy that leaves something out stands
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


def unsealed_corrections(plan: Plan, records: dict[str, Record]) -> list[tuple[Meeting, Correction]]:
    """Corrections (rättelser) adjusted but not yet sealed beside their meeting's record, oldest first."""
    return [(m, correction) for m in meetings(plan) if m.minutes is not None and m.key in records
            for correction in records[m.key].not_sealed(m.minutes.corrections)]


def correction_contents(plan: Plan, meeting: Meeting, correction: Correction, record: Record,
                        now: datetime) -> dict[str, bytes]:
    """Every file of a correction's folder: the correction document in the meeting's language, the
    facts as corrected (the newest facts with the § it names, and the attendance, time or place it
    covers, as the data now has them), and the manifest of their digests saying what it corrects."""
    from motesplats.render.correction import build_correction  # reportlab only when sealing
    from motesplats.render.correction_pdf import render_correction
    was = record.newest_facts
    current = json.loads(canonical_json(meeting_facts(meeting, plan.attendance_of(meeting.key),
                                                      record.first_paragraph)))
    facts = corrected_facts(was, current, correction.paragraphs, correction.covers)
    language = meeting.language
    files = {correction_name(language): render_correction(
                 build_correction(plan, meeting, correction, was, facts, language)),
             FACTS: canonical_json(facts)}
    corrects = {"meeting": meeting.key, "record": digest((record.folder / MANIFEST).read_bytes()),
                "adjusted": correction.adjusted.isoformat(), "paragraphs": list(correction.paragraphs),
                "covers": list(correction.covers),
                "text": dict(sorted(correction.text.translations)),
                "adjusters": [p.id for p in correction.adjusters]}
    files[MANIFEST] = canonical_json({
        "meeting": meeting.key, "sealed_at": now.isoformat(), "motesplats": __version__, "corrects": corrects,
        "files": {name: digest(content) for name, content in sorted(files.items())}})
    return files


def seal_correction(workspace: Workspace, plan: Plan, meeting: Meeting, correction: Correction,
                    now: datetime) -> str:
    """Write a correction of `meeting`'s sealed minutes as its own folder beside their record (which
    stays as it is, byte for byte); return the folder as shown. Raises ProblemsFound when the
    minutes have no record or the correction is sealed already."""
    where = correction.source or meeting.minutes.source
    record = read_records(workspace)[0].get(meeting.key)
    if record is None:
        raise ProblemsFound([Problem(where.file, where.line, f"the minutes of {meeting.key} have no sealed record "
                                     "to correct", "seal the minutes first (motesplats seal); a correction "
                                     "comes after")])
    shown = correction_folder(meeting, correction.adjusted)
    if not record.not_sealed((correction,)) or (workspace.root / shown).exists():
        raise ProblemsFound([Problem(f"{shown}/{MANIFEST}", 1, f"the correction of {meeting.key} adjusted on "
                                     f"{correction.adjusted} is already sealed",
                                     "a sealed correction is never written again: record a new one")])
    write_folder(workspace.root / shown, correction_contents(plan, meeting, correction, record, now))
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

