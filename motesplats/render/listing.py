"""What is planned, by date, as plain text for the terminal (`motesplats list`)."""

from __future__ import annotations

from datetime import date

from motesplats.identifiers import uid_host
from motesplats.meetings import Deadline, deadlines, summoned_members
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


def render_deadlines(plan: Plan, language: str, since: date | None = None) -> str:
    """The secretariat's deadlines from `since` on, each with whether it has been met: how many
    have the invitation (by the ledger), and when the minutes were adjusted and posted."""
    found = [deadline for deadline in deadlines(plan) if since is None or deadline.day >= since]
    if not found:
        return label("nothing planned", language) + "\n"
    lines: list[str] = []
    year = None
    for deadline in found:
        if deadline.day.year != year:
            year = deadline.day.year
            lines += [""] * bool(lines) + [str(year), "=" * 4]
        title = label(f"deadline {deadline.kind}", language).format(
            meeting=deadline.meeting.title.get(language, *deadline.meeting.event.languages))
        state = _deadline_state(plan, deadline, language)
        lines.append(f"{short_day(deadline.day, language):<11} {title}" + (f" · {state}" if state else ""))
    return "\n".join(lines) + "\n"


def _deadline_state(plan: Plan, deadline: Deadline, language: str) -> str:
    meeting, minutes = deadline.meeting, deadline.meeting.minutes
    if deadline.kind == "notice":
        addressed = [m.person.id for m in summoned_members(meeting).values() if m.person.email]
        sent = plan.invited.get(f"{meeting.uid_key}@{uid_host(plan.settings.base_url)}", frozenset())
        return label("invited count", language).format(n=sum(p in sent for p in addressed), total=len(addressed))
    done = {"adjusted": minutes.adjusted if minutes else None, "posted": minutes.posted if minutes else None}
    if deadline.kind not in done:
        return ""
    day = done[deadline.kind]
    return label("done on", language).format(day=short_day(day, language)) if day else label("not done", language)
