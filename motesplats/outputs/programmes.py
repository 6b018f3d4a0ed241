"""Programmes and agendas: a PDF to print and an HTML page for the web, per event and language."""

from __future__ import annotations

from motesplats.outputs import Context, Job, Output
from motesplats.render import programme_html, programme_pdf
from motesplats.render.programme import build_programme

FOLDER = "programmes"
# Files programmes never read: the subscription page's template (which they cannot load) and
# the badges' layouts and roles.
NOT_READ = (*programme_html.OTHER_OUTPUTS_TEMPLATES, "badges/")


class Programmes(Output):
    name = "programmes"
    description = "programmes (PDF and HTML) of every event in its languages"
    folder = FOLDER

    def jobs(self, context: Context) -> list[Job]:
        templates = context.template_files(excluding=NOT_READ)
        paper = context.request.paper
        jobs = []
        for event in context.events():
            for language in context.languages(event):
                stem = f"{FOLDER}/{event.id}.{language}"
                jobs.append(Job(self.name, (event.id, language), (f"{stem}.pdf", f"{stem}.html"),
                                context.fingerprint(event, language, paper, templates),
                                f"programme {event.id} ({language})"))
        return jobs

    def render(self, context: Context, job: Job) -> dict[str, bytes]:
        event_id, language = job.subject
        event = context.event(event_id)
        programme = build_programme(context.plan, event, language)
        signed_by = event.organiser.name if event.organiser else context.plan.settings.organisation
        pdf, html = job.paths
        return {pdf: programme_pdf.render(programme, context.request.paper, signed_by),
                html: programme_html.render(programme, context.templates, signed_by)}
