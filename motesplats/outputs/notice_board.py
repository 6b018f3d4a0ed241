"""The notice board (anslagstavla): its page, Atom and iCalendar feeds, and each sealed notice of
adjustment published byte for byte from its record. What is on it depends on the day: a notice
goes up and, once its last day has passed, into the archive; so the build's day is part of what
its files are made from."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from motesplats.fingerprint import digest_text, files_digest
from motesplats.outputs import Context, Job, Output
from motesplats.outputs.minutes import sealed_records
from motesplats.render import notice_board_atom, notice_board_html, notice_board_ics
from motesplats.render.feed_entries import uid_domain
from motesplats.render.notices import ATOM, CALENDAR, FOLDER, PAGE, board, notice_pdf_path, sealed_notice_language
from motesplats.records.folder import notice_name


class NoticeBoard(Output):
    name = "notice-board"
    folder = FOLDER
    owned_folders = (FOLDER,)

    def jobs(self, context: Context) -> list[Job]:
        if context.request.event_ids:
            return []  # the board is made whole: one event's command leaves it alone
        records = sealed_records(context)
        shown = board(context.plan, records, today(context))
        jobs = [Job(self.name, ("board",), (PAGE, ATOM, CALENDAR),
                    context.fingerprint(shown, str(today(context)), _template_digest(context)), "notice board")]
        for key, record in sorted(records.items()):
            language = sealed_notice_language(record)
            if language is not None:
                name = notice_name(language)
                jobs.append(Job(self.name, ("notice", key, name), (notice_pdf_path(record, language),),
                                digest_text("record", record.shown, name, record.files[name]),
                                f"notice of adjustment {key} (sealed)"))
        return jobs

    def render(self, context: Context, job: Job) -> dict[str, bytes]:
        if job.subject[0] == "notice":
            _, key, name = job.subject
            return {job.paths[0]: (sealed_records(context)[key].folder / name).read_bytes()}
        plan, day = context.plan, today(context)
        shown = board(plan, sealed_records(context), day)
        settings = plan.settings
        return {PAGE: notice_board_html.render(shown, context.templates),
                ATOM: notice_board_atom.render(shown, settings.base_url, settings.time_zone, day),
                CALENDAR: notice_board_ics.render(shown, settings.base_url, settings.time_zone, uid_domain(plan),
                                                   day)}


def _template_digest(context: Context) -> str:
    used = notice_board_html.templates_read(context.templates)
    return context.template_files() if used is None else \
        files_digest([context.templates / name for name in sorted(used)], context.templates)


def today(context: Context) -> date:
    """The build's day where the workspace is: what is up and what is archived."""
    return context.now.astimezone(ZoneInfo(context.plan.settings.time_zone)).date()
