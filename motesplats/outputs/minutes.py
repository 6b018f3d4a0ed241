"""Minutes and extracts: per meeting with minutes recorded, the minutes as PDF and web page in the
meeting's language, and once adjusted one extract (protokollsutdrag) per § for dispatch.

What is published is the web copy, never the archive copy: a sealed record's web copy where it
has one, else the record's own files; for minutes not sealed, the web copy as rendered now. An
extract of a § the web copy leaves anything out of is not published (the record keeps it whole),
and once the organ's `web_minutes_for` has run out, nothing of the meeting is: the next build
removes its files. Beside sealed minutes, each correction (rättelse)
sealed beside their record."""

from __future__ import annotations

from datetime import date

from motesplats.fingerprint import digest_text, files_digest
from motesplats.meetings import Meeting, first_paragraphs, meetings_by_key
from motesplats.outputs import Context, Job, Output
from motesplats.render import minutes_html, minutes_pdf
from motesplats.records.folder import Record, read_records
from motesplats.render.correction import correction_path
from motesplats.render.minutes import (
    FOLDER, build_minutes, extract_path, left_out_of_web, minutes_stem, off_the_web, web_copy,
)


def recorded(context: Context) -> list[Meeting]:
    """The requested events' meetings that have minutes and were not cancelled."""
    found = meetings_by_key(context.events()).values()
    return [meeting for meeting in found if meeting.minutes is not None and meeting.status != "cancelled"]


def sealed_records(context: Context) -> dict[str, Record]:
    """The workspace's sealed records by meeting key (the build hands over those its check read)."""
    if "records" not in context.shared:
        context.shared["records"] = read_records(context.workspace)[0]
    return context.shared["records"]


def _record_jobs(context: Context, meeting: Meeting, record: Record, language: str) -> list[Job]:
    """A sealed meeting's files are its record's, byte for byte: published under today's names,
    the extracts under the § numbers the record gives them."""
    jobs = []
    for name, form, number in record.documents(language):
        stem = minutes_stem(meeting, language, context.secret)
        path = extract_path(meeting, number, language, context.secret) if form == "extract" else f"{stem}.{form}"
        what = f"extract {meeting.key} § {number}" if form == "extract" else f"minutes {meeting.key}"
        jobs.append(Job("minutes", (meeting.key, language, "record", name), (path,),
                        digest_text("record", record.shown, name, record.files[name]),
                        f"{what} ({language}, sealed)"))
    for correction in record.corrections:
        name, day = correction.correction_file(language), correction.corrects["adjusted"]
        if name is not None:
            jobs.append(Job("minutes", (meeting.key, language, "correction", day, name),
                            (correction_path(meeting, date.fromisoformat(day), language, context.secret),),
                            digest_text("record", correction.shown, name, correction.files[name]),
                            f"correction {meeting.key} {day} ({language}, sealed)"))
    return jobs


def _template_digest(context: Context) -> str:
    if "minutes templates" not in context.shared:
        used = minutes_html.templates_read(context.templates)
        context.shared["minutes templates"] = context.template_files() if used is None else \
            files_digest([context.templates / name for name in sorted(used)], context.templates)
    return context.shared["minutes templates"]


class Minutes(Output):
    name = "minutes"
    folder = FOLDER
    owned_folders = (FOLDER,)

    def jobs(self, context: Context) -> list[Job]:
        numbers = context.shared.get("first paragraphs")
        if numbers is None:
            numbers = context.shared["first paragraphs"] = first_paragraphs(context.plan)
        jobs = []
        records = sealed_records(context)
        for meeting in recorded(context):
            if off_the_web(meeting, context.now.date()):
                continue
            language = context.request.language or meeting.language
            record = records.get(meeting.key)
            if record is not None and language in record.languages:
                jobs += _record_jobs(context, meeting, record, language)
                continue
            parts = (meeting.event, meeting.key, language, numbers.get(meeting.key),
                     context.plan.attendance_of(meeting.key), meeting.organ)
            stem = minutes_stem(meeting, language, context.secret)
            jobs.append(Job(self.name, (meeting.key, language, "pdf"), (f"{stem}.pdf",), context.fingerprint(*parts),
                            f"minutes {meeting.key} ({language}, PDF)"))
            jobs.append(Job(self.name, (meeting.key, language, "html"), (f"{stem}.html",),
                            context.fingerprint(*parts, _template_digest(context)), f"minutes {meeting.key} ({language})"))
            if meeting.minutes.adjusted is None:
                continue  # a draft has nothing to certify
            withheld = left_out_of_web(build_minutes(context.plan, meeting, language))
            for decision in meeting.minutes.decisions:
                number = numbers.get(meeting.key, 1) + decision.item - 1
                if number in withheld:
                    continue
                jobs.append(Job(self.name, (meeting.key, language, "extract", str(decision.item)),
                                (extract_path(meeting, number, language, context.secret),),
                                context.fingerprint(*parts, "extract", decision.item),
                                f"extract {meeting.key} § {number} ({language})"))
        return jobs

    def render(self, context: Context, job: Job) -> dict[str, bytes]:
        key, language, form, *item = job.subject
        if form == "record":
            return {job.paths[0]: (sealed_records(context)[key].folder / item[0]).read_bytes()}
        if form == "correction":
            day, name = item
            correction = next(c for c in sealed_records(context)[key].corrections if c.corrects["adjusted"] == day)
            return {job.paths[0]: (correction.folder / name).read_bytes()}
        meeting = meetings_by_key([context.event(key.split("/")[0])])[key]
        document = build_minutes(context.plan, meeting, language)
        if form == "pdf":
            return {job.paths[0]: minutes_pdf.render_minutes(web_copy(document))}
        if form == "html":
            return {job.paths[0]: minutes_html.render(web_copy(document), context.templates)}
        paragraph = document.paragraphs[int(item[0]) - 1]
        return {job.paths[0]: minutes_pdf.render_extract(document, paragraph)}
