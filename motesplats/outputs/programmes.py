"""Programmes and agendas: a PDF to print and an HTML page for the web, per event and language."""

from __future__ import annotations

from motesplats.fingerprint import files_digest
from motesplats.meetings import meeting_keys
from motesplats.outputs import Context, Job, Output
from motesplats.render import programme_html, programme_pdf
from motesplats.render.programme import build_programme, programme_stem

FOLDER = "programmes"
# Files programmes never read: the subscription page's template (which they cannot load) and
# the badges' layouts and roles.
NOT_READ = (*programme_html.OTHER_OUTPUTS_TEMPLATES, "badges/")


def _templates_of(context: Context, kind: str) -> str:
    """The digest of the workspace's overrides of the templates a kind's web programme is made from."""
    key = ("programme templates", kind)
    if key not in context.shared:
        used = programme_html.templates_read(kind, context.templates)
        if used is None:  # a template chosen at run time: any override may matter
            context.shared[key] = context.template_files(excluding=NOT_READ)
        else:
            files = [context.templates / name for name in sorted(used)]
            context.shared[key] = files_digest(files, context.templates)
    return context.shared[key]


def _attendance_shown(context: Context, event) -> tuple:
    """What a kallelse shows of attendance: apologies and deputies serving (not the check-ins)."""
    records = (context.plan.attendance_of(key) for key in meeting_keys(event))
    return tuple((a.apologies, a.serving) for a in records)


class Programmes(Output):
    name = "programmes"
    folder = FOLDER
    owned_folders = (FOLDER,)

    def jobs(self, context: Context) -> list[Job]:
        # The PDF and the web page are separate jobs: a template edit renders only web pages.
        paper = context.request.paper
        jobs = []
        for event in context.events():
            for language in context.languages(event):
                stem = programme_stem(event, language, context.secret)
                jobs.append(Job(self.name, (event.id, language, "pdf"), (f"{stem}.pdf",),
                                context.fingerprint(event, language, paper, _attendance_shown(context, event)), f"programme {event.id} ({language}, PDF)"))
                jobs.append(Job(self.name, (event.id, language, "html"), (f"{stem}.html",),
                                context.fingerprint(event, language, _templates_of(context, event.kind),
                                                    _attendance_shown(context, event)),
                                f"programme {event.id} ({language})"))
        return jobs

    def render(self, context: Context, job: Job) -> dict[str, bytes]:
        event_id, language, form = job.subject
        event = context.event(event_id)
        programme = build_programme(context.plan, event, language)
        signed_by = event.organiser.name if event.organiser else context.plan.settings.organisation
        if form == "pdf":
            return {job.paths[0]: programme_pdf.render(programme, context.request.paper, signed_by)}
        return {job.paths[0]: programme_html.render(programme, context.templates, signed_by)}
