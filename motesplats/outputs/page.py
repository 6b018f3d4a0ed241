"""build/index.html: the subscription page, with every public feed and the public programmes."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from motesplats.outputs import Context, Job, Output
from motesplats.render import subscription_page, year_wheel

PATH = "index.html"
NOT_READ = ("badges/",)  # layouts and roles; any template may be included by the page's override


class SubscriptionPage(Output):
    name = "page"

    def jobs(self, context: Context) -> list[Job]:
        if context.request.event_ids:
            return []  # a single event's command never touches the page
        plan = context.plan
        # What the page shows of events: the links to the public ones' programmes and minutes, and
        # the public årshjul of every year, this year's (or the next with public events) open.
        language = plan.settings.language
        wheels = subscription_page.public_wheels(plan, language)
        open_year = year_wheel.year_to_show(tuple(wheel.year for wheel in wheels), _today(context))
        shown = (tuple(subscription_page.programme_links(plan, language)),
                 tuple(subscription_page.minutes_links(plan, language)),
                 str(open_year) if open_year is not None else "",
                 tuple((str(wheel.year), wheel.entries) for wheel in wheels))
        public_feeds = tuple(feed for feed in plan.feeds if feed.public)
        templates = context.template_files(excluding=NOT_READ)
        return [Job(self.name, (), (PATH,), context.fingerprint(shown, public_feeds, templates), "subscription page")]

    def render(self, context: Context, job: Job) -> dict[str, bytes]:
        return {PATH: subscription_page.render(context.plan, context.templates, today=_today(context))}


def _today(context: Context) -> date:
    """The build's day where the workspace is."""
    return context.now.astimezone(ZoneInfo(context.plan.settings.time_zone)).date()
