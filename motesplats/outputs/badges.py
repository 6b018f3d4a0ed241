"""Name badges, and the table cards of a ceremony's dinner: PDFs for printing, never published.

Which events get them is the organiser's choice (`badges` in the event file, with a default per
kind of event). The single-output command asks for an event by name and gets its badges whatever
the file says.
"""

from __future__ import annotations

from motesplats.badge_styles import Layout, RoleStyles, load_layout, load_roles
from motesplats.fingerprint import files_digest, folder_files
from motesplats.model import Event
from motesplats.outputs import Context, Job, Output
from motesplats.render import badges_pdf, table_cards_pdf

FOLDER = "badges"  # names of everyone attending: never published (serve refuses it)


def _wanted(context: Context, event: Event) -> bool:
    return bool(context.request.event_ids) or event.badges


def _styles(context: Context) -> tuple[Layout, RoleStyles]:
    """The layout and roles, read once per build (not once per event)."""
    if "badge styles" not in context.shared:
        context.shared["badge styles"] = (load_layout(context.request.badge_layout, context.templates),
                                          load_roles(context.templates))
    return context.shared["badge styles"]


def _styles_digest(context: Context) -> str:
    """The workspace's badge layouts and roles.toml (the built-in ones are part of the code)."""
    return files_digest(folder_files(context.templates / "badges"), context.templates)


def _printed_for(context: Context) -> list[tuple[Event, str]]:
    """The events whose badges are wanted and that someone attends, each with the badges' language."""
    _, roles = _styles(context)
    return [(event, context.request.language or event.languages[0]) for event in context.events()
            if _wanted(context, event) and badges_pdf.attendees(context.plan, event, roles)]


class Badges(Output):
    name = "badges"
    folder = FOLDER
    owned_folders = (FOLDER,)
    published = False

    def jobs(self, context: Context) -> list[Job]:
        request = context.request
        styles = _styles_digest(context)
        return [Job(self.name, (event.id, language), (f"{FOLDER}/{event.id}.pdf",),
                    context.fingerprint(event, language, request.badge_layout, styles, request.qr),
                    f"badges {event.id}")
                for event, language in _printed_for(context)]

    def render(self, context: Context, job: Job) -> dict[str, bytes]:
        event_id, language = job.subject
        layout, roles = _styles(context)
        return {job.paths[0]: badges_pdf.render_badges(context.plan, context.event(event_id), layout, roles,
                                                       context.request.qr, language)}


class TableCards(Output):
    name = "table-cards"
    folder = FOLDER
    owned_folders = (FOLDER,)
    published = False

    def jobs(self, context: Context) -> list[Job]:
        styles = _styles_digest(context)
        return [Job(self.name, (event.id, language), (f"{FOLDER}/{event.id}.table-cards.pdf",),
                    context.fingerprint(event, language, styles), f"table cards {event.id}")
                for event, language in _printed_for(context) if event.kind == "ceremony"]

    def render(self, context: Context, job: Job) -> dict[str, bytes]:
        event_id, language = job.subject
        _, roles = _styles(context)
        return {job.paths[0]: table_cards_pdf.render_table_cards(context.plan, context.event(event_id), "A4",
                                                                 language, roles)}
