"""Which calendar entries a feed holds, and what each says: plan -> entries, before any iCalendar text.

An entry is one VEVENT: an event, a session, one day of a multi-day event, a travel leg or a
milestone. Its UID is derived from ids alone, so it never changes between builds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property
from datetime import date, datetime, timedelta

from motesplats.identifiers import uid_host
from motesplats.meetings import Deadline, Meeting, deadlines
from motesplats.model import Event, Feed, Leg, Milestone, Organiser, Person, Plan, Session, Venue
from motesplats.render.dates import clock
from motesplats.render.labels import label
from motesplats.render.minutes import public_minutes_path, published

STATUS = {"confirmed": "CONFIRMED", "tentative": "TENTATIVE", "cancelled": "CANCELLED"}


@dataclass(frozen=True)
class Entry:
    """One calendar entry in one language, everything a VEVENT says except its bookkeeping."""

    uid: str
    summary: str
    start: datetime | date  # a date for whole days
    end: datetime | date    # for whole days: the day after the last (exclusive, as RFC 5545 wants)
    status: str
    description: str = ""
    location: str = ""
    geo: tuple[float, float] | None = None
    url: str = ""
    categories: tuple[str, ...] = ()
    organiser: Organiser | None = None
    attachments: tuple[str, ...] = ()  # addresses of PDFs: the meeting's adjusted minutes
    attendees: tuple["Attendee", ...] = ()  # an invitation's addressee; feeds name nobody


@dataclass(frozen=True)
class Attendee:
    """Who an invitation is for: RFC 5545 ATTENDEE with its role (REQ- or OPT-PARTICIPANT)."""

    name: str
    email: str
    role: str
    rsvp: bool = True


@dataclass(frozen=True)
class Part:
    """Something that can become an entry, with the event it belongs to."""

    event: Event
    item: Event | Session | Leg | Milestone | Deadline | date  # a date: one day of a multi-day event

    @cached_property  # asked for hundreds of thousands of times at Almedalen scale
    def uid_key(self) -> str:
        item = self.item
        if isinstance(item, Event):
            return item.id
        if isinstance(item, Session):
            return f"{self.event.id}.{item.id}"
        if isinstance(item, Leg):
            return f"{self.event.id}.leg.{item.id}"
        if isinstance(item, Milestone):
            return f"{self.event.id}.milestone.{item.id}"
        if isinstance(item, Deadline):
            return f"{item.meeting.uid_key}.deadline.{item.kind}"
        return f"{self.event.id}.{item:%Y-%m-%d}"


def uid_domain(plan: Plan) -> str:
    """The host of the workspace's public address: UIDs are globally unique under it."""
    return uid_host(plan.settings.base_url)


# --- selection ------------------------------------------------------------------------------

def feed_parts(plan: Plan, feed: Feed) -> list[Part]:
    """The parts a named feed holds: events for its audiences or ids, in its session mode."""
    parts: list[Part] = []
    audiences = set(feed.audiences)
    for event in plan.events:
        if not (audiences & set(event.audiences) or event.id in feed.event_ids):
            continue
        if event.status == "tentative" and not feed.include_tentative:
            continue
        if feed.sessions == "all":
            parts += _detailed_parts(event, audiences, explicitly=event.id in feed.event_ids)
        elif feed.sessions == "days":
            parts += _day_parts(event)
        else:
            parts.append(Part(event, event))
        parts += [Part(event, milestone) for milestone in event.milestones if not _on_signing_day(event, milestone)]
    if feed.deadlines:
        parts += [Part(deadline.meeting.event, deadline) for deadline in deadlines(plan)]
    return parts


def _detailed_parts(event: Event, audiences: set[str], explicitly: bool) -> list[Part]:
    sessions = [session for session in event.sessions
                if explicitly or not session.audiences or audiences & set(session.audiences)]
    parts = [Part(event, session) for session in sessions] + [Part(event, leg) for leg in event.legs]
    return parts or [Part(event, event)]


def _day_parts(event: Event) -> list[Part]:
    return [Part(event, event)] if len(event.days) == 1 or event.all_day else \
        [Part(event, day) for day in event.days]


def _on_signing_day(event: Event, milestone: Milestone) -> bool:
    """Entry into force on the day of signing is said by the ceremony's own entry."""
    return milestone.derived and milestone.date == event.start.date()


def personal_parts(plan: Plan) -> dict[str, list[Part]]:
    """For every person, what they attend or have a role in: their events (by day), sessions, journeys.

    Built in one pass over the plan, so ten thousand personal feeds cost one walk, not ten thousand.
    """
    members = {roster.id: [member.person.id for member in roster.members] for roster in plan.rosters}
    parts: dict[str, list[Part]] = {person.id: [] for person in plan.people}
    for event in plan.events:
        attendees = {person_id for roster in (*event.participants, *event.summoned)
                     for person_id in members[roster.id]} | {person.id for person in event.signatories}
        own = _day_parts(event) + [Part(event, leg) for leg in event.legs] + \
            [Part(event, m) for m in event.milestones if not _on_signing_day(event, m)]
        for person_id in attendees:
            parts[person_id] += own
        for session in event.sessions:
            for person_id in _people_with_a_role(session, members):
                parts[person_id].append(Part(event, session))
    return parts


def _people_with_a_role(session: Session, members: dict[str, list[str]]) -> set[str]:
    people = {person.id for person in (*session.speakers, *session.moderators)}
    people |= {item.presenter.id for item in session.agenda if item.presenter}
    return people | {person_id for roster in session.summoned for person_id in members[roster.id]}


# --- content --------------------------------------------------------------------------------

def entry(part: Part, language: str, domain: str, private: bool = False, base_url: str = "") -> Entry:
    """The entry for `part` in `language`; `private` adds what only its attendee may see. Under
    `base_url`, a meeting's entry links its minutes once they are adjusted and public."""
    made = _entry(part, language, domain, private)
    minutes = _minutes_link(part, base_url)
    if not minutes:
        return made
    line = f"{label('minutes', language)}: {minutes}"
    return replace(made, description=f"{made.description}\n\n{line}".strip(), attachments=(minutes,))


def _minutes_link(part: Part, base_url: str) -> str:
    event, item = part.event, part.item
    meeting = None
    if isinstance(item, Session) and item.agenda:
        meeting = Meeting(event, item)
    elif event.kind == "formal_meeting" and (not isinstance(item, Session) or item.kind == "meeting"):
        meeting = Meeting(event)
    if meeting is None or not isinstance(item, (Event, Session, date)) or not published(meeting):
        return ""
    return f"{base_url}/{public_minutes_path(meeting)}"


def _entry(part: Part, language: str, domain: str, private: bool) -> Entry:
    event, item = part.event, part.item
    languages = (language, *event.languages)
    uid = f"{part.uid_key}@{domain}"
    if isinstance(item, Event):
        return Entry(uid, item.title.get(*languages), *_span(item), STATUS[item.status],
                     _event_description(item, languages), _location(item.venue, item.room),
                     _geo(item.venue), item.url, (label(item.kind, language),), item.organiser)
    if isinstance(item, Session):
        status = _status(event.status, item.status)
        categories = tuple(dict.fromkeys((label(event.kind, language), label(item.kind, language))))
        return Entry(uid, item.title.get(*languages), item.start, item.end, status,
                     _session_description(event, item, languages), _location(item.venue, item.room),
                     _geo(item.venue), event.url, categories, event.organiser)
    if isinstance(item, Leg):
        return Entry(uid, _leg_summary(item, language), item.depart, item.arrive, STATUS[event.status],
                     _leg_description(event, item, languages, private), _location(item.origin, None),
                     _geo(item.origin), event.url, (label(event.kind, language), label(item.mode, language)),
                     event.organiser)
    if isinstance(item, Deadline):
        meeting_title = item.meeting.title.get(*languages)
        return Entry(uid, label(f"deadline {item.kind}", language).format(meeting=meeting_title), item.day,
                     item.day + timedelta(days=1), "CONFIRMED", _deadline_description(item, languages),
                     categories=(label("deadlines", language),), organiser=event.organiser)
    if isinstance(item, Milestone):
        title = f"{item.title.get(*languages)}: {event.title.get(*languages)}"
        return Entry(uid, title, item.date, item.date + timedelta(days=1), "CONFIRMED",
                     event.title.get(*languages), url=event.url, organiser=event.organiser)
    return _day_entry(part, item, languages, uid)


def _deadline_description(deadline: Deadline, languages: tuple[str, ...]) -> str:
    meeting = deadline.meeting
    start = meeting.start
    return f"{meeting.title.get(*languages)}: {start:%Y-%m-%d} {clock(start)} ({meeting.key})"


def _status(*statuses: str) -> str:
    """A session of a tentative event is tentative; of a cancelled event, cancelled."""
    for status in ("cancelled", "tentative"):
        if status in statuses:
            return STATUS[status]
    return STATUS["confirmed"]


def _day_entry(part: Part, day: date, languages: tuple[str, ...], uid: str) -> Entry:
    event = part.event
    sessions = [session for session in event.sessions if session.start.date() == day]
    first_day, last_day = event.days[0], event.days[-1]
    start = min([s.start for s in sessions] + ([event.start] if day == first_day else []), default=None)
    end = max([s.end for s in sessions] + ([event.end] if day == last_day else []), default=None)
    if start is None or end is None or end <= start:  # a day with no sessions: the event's hours
        start = datetime.combine(day, event.start.timetz())
        end = datetime.combine(day, event.end.timetz())
    number = event.days.index(day) + 1
    suffix = label("day of", languages[0]).format(n=number, total=len(event.days))
    return Entry(uid, f"{event.title.get(*languages)} ({suffix})", start, end, STATUS[event.status],
                 _event_description(event, languages, day), _location(event.venue, event.room),
                 _geo(event.venue), event.url, (label(event.kind, languages[0]),), event.organiser)


def _span(event: Event) -> tuple[datetime | date, datetime | date]:
    if event.all_day:
        return event.start.date(), event.end.date()
    return event.start, event.end


def _location(venue: Venue | None, room) -> str:
    if venue is None:
        return ""
    parts = [room.name if room else "", venue.name, venue.address, f"{venue.postcode} {venue.city}".strip()]
    return ", ".join(part for part in parts if part)


def _geo(venue: Venue | None) -> tuple[float, float] | None:
    return venue.geo if venue else None


def _names(people: tuple[Person, ...]) -> str:
    return ", ".join(f"{p.name} ({p.organisation})" if p.organisation else p.name for p in people)


def _event_description(event: Event, languages: tuple[str, ...], day: date | None = None) -> str:
    language = languages[0]
    lines = [text for text in (event.subtitle.get(*languages), event.description.get(*languages)) if text]
    if event.partners:
        lines.append(f"{label('partners', language)}: {', '.join(event.partners)}")
    if event.parties:
        lines.append(f"{label('parties', language)}: {', '.join(event.parties)}")
    if event.signatories:
        lines.append(f"{label('signatories', language)}: {_names(event.signatories)}")
    if event.hotel:
        lines.append(f"{label('hotel', language)}: {_location(event.hotel, None)}")
    sessions = [s for s in event.sessions if day is None or s.start.date() == day]
    if sessions and event.kind != "formal_meeting":
        lines.append("")
        lines += [f"{clock(s.start)}–{clock(s.end)} {s.title.get(*languages)}" for s in sessions]
    lines += _agenda_lines(event.agenda, languages)
    return "\n".join(lines).strip()


def _session_description(event: Event, session: Session, languages: tuple[str, ...]) -> str:
    language = languages[0]
    lines = [event.title.get(*languages)]
    if session.description:
        lines.append(session.description.get(*languages))
    if session.speakers:
        lines.append(f"{label('speakers', language)}: {_names(session.speakers)}")
    if session.moderators:
        lines.append(f"{label('moderators', language)}: {_names(session.moderators)}")
    # The meeting itself carries the agenda when it is written on the event (board meetings).
    agenda = session.agenda or (event.agenda if session.kind == "meeting" else ())
    lines += _agenda_lines(agenda, languages)
    return "\n".join(lines)


def _agenda_lines(agenda, languages: tuple[str, ...]) -> list[str]:
    if not agenda:
        return []
    language = languages[0]
    lines = ["", label("agenda", language) + ":"]
    for item in agenda:
        lines.append(f"{item.number}. {item.title.get(*languages)}")
        if item.presenter:
            lines.append(f"   {label('presenter', language)}: {item.presenter.name}")
        if item.proposal:
            lines.append(f"   {label('proposal', language)}: {item.proposal.get(*languages)}")
        if item.documents:
            lines.append(f"   {label('documents', language)}: {'; '.join(item.documents)}")
    return lines


def _leg_summary(leg: Leg, language: str) -> str:
    number = f" {leg.number}" if leg.number else ""
    return f"{label(leg.mode, language)}{number}: {leg.origin.name} → {leg.destination.name}"


def _leg_description(event: Event, leg: Leg, languages: tuple[str, ...], private: bool) -> str:
    language = languages[0]
    lines = [event.title.get(*languages)]
    if leg.carrier:
        lines.append(leg.carrier + (f" {leg.number}" if leg.number else ""))
    lines.append(f"{label('departs', language)}: {clock(leg.depart)} {leg.origin.name} ({leg.depart.tzinfo.key})")
    lines.append(f"{label('arrives', language)}: {clock(leg.arrive)} {leg.destination.name} "
                 f"({leg.arrive.tzinfo.key})")
    if leg.notes:
        lines.append(leg.notes.get(*languages))
    if private and leg.booking:
        lines.append(f"{label('booking', language)}: {leg.booking}")
    return "\n".join(lines)
