"""What is planned, by date, as plain text for the terminal (`motesplats list`)."""

from __future__ import annotations

from datetime import date

from motesplats.model import Event, Plan, Session
from motesplats.render.dates import clock, day_span, short_day
from motesplats.render.labels import label


def render(plan: Plan, language: str, since: date | None = None, sessions: bool = False) -> str:
    """Events from `since` on (default: all), oldest first, each with its days, time and place."""
    events = [event for event in plan.events if since is None or event.days[-1] >= since]
    if not events:
        return label("nothing planned", language) + "\n"
    lines: list[str] = []
    year = None
    for event in events:
        if event.start.year != year:
            year = event.start.year
            lines += [""] * bool(lines) + [str(year), "=" * 4]
        lines.append(day_span(event.days[0], event.days[-1], language))
        lines.append("  " + _summary(event, language, plan.settings.time_zone))
        if sessions:
            lines += ["    " + _session_line(event, session, language) for session in event.sessions]
    return "\n".join(lines) + "\n"


def _summary(event: Event, language: str, home_zone: str) -> str:
    parts = [event.title.get(language, *event.languages), label(event.kind, language)]
    if event.status != "confirmed":
        parts[0] += f" [{label(event.status, language).upper()}]"
    parts.append(label("whole day", language) if event.all_day
                 else f"{clock(event.start)}–{clock(event.end)}" + _zone_note(event, home_zone))
    if event.venue:
        parts.append(f"{event.venue.name}, {event.venue.city}")
    counts = [(len(event.sessions), "sessions"), (len(event.agenda), "agenda items"), (len(event.legs), "legs")]
    parts += [f"{count} {label(key, language)}" for count, key in counts if count]
    return " · ".join(parts)


def _zone_note(event: Event, home_zone: str) -> str:
    """The zone's name where it is not the workspace's, so '10:00' in Paris is read as Paris time."""
    return f" ({event.time_zone})" if event.time_zone != home_zone else ""


def _session_line(event: Event, session: Session, language: str) -> str:
    title = session.title.get(language, *event.languages)
    if session.status != "confirmed":
        title += f" [{label(session.status, language).upper()}]"
    place = session.room.name if session.room else (session.venue.name if session.venue else "")
    when = f"{short_day(session.start, language)} {clock(session.start)}–{clock(session.end)}"
    return f"{when}  {title}" + (f"  ({place})" if place else "")
