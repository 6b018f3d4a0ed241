"""The årshjul as PDFs to print, per year with entries, in the workspace's first language: the
public wheel (events open to the public) under its plain name, and the secretariat's full wheel
(every meeting and deadline) under a name only the secret gives."""

from __future__ import annotations

from motesplats.outputs import Context, Job, Output
from motesplats.render import year_wheel, year_wheel_pdf

FOLDER = year_wheel.FOLDER


class YearWheel(Output):
    name = "year-wheel"
    folder = FOLDER
    owned_folders = (FOLDER,)

    def jobs(self, context: Context) -> list[Job]:
        if context.request.event_ids:
            return []  # a wheel shows every event: a single event's command leaves it alone
        language = context.plan.settings.language
        jobs = []
        for public in (True, False):
            entries = year_wheel.all_entries(context.plan, language, public)
            for year in year_wheel.years(entries):
                wheel = year_wheel.wheel_of(context.plan, entries, year, language, public)
                path = year_wheel.public_pdf_path(year, language) if public else \
                    year_wheel.secretariat_pdf_path(year, language, context.secret)
                kind = "public" if public else "secretariat"
                jobs.append(Job(self.name, (str(year), kind), (path,),
                                context.fingerprint(wheel.entries, str(year), language, kind),
                                f"year wheel {year} ({kind})"))
        return jobs

    def render(self, context: Context, job: Job) -> dict[str, bytes]:
        year, kind = job.subject
        wheel = year_wheel.wheel(context.plan, int(year), context.plan.settings.language, kind == "public")
        return {job.paths[0]: year_wheel_pdf.render(wheel)}
