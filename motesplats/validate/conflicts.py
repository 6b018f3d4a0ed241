"""Checks across the whole plan: rooms and people booked twice at once, events on public holidays."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from motesplats.fonts import missing_characters
from motesplats.model import Event, Person, Session, Source
from motesplats.problems import Problem, Severity
from motesplats.records.notice_dates import swedish_holidays
from motesplats.validate.times import instant


@dataclass(frozen=True)
class Booking:
    """Something that holds a room or a person from start to end."""

    start: datetime
    end: datetime
    label: str
    event_id: str
    session_id: str | None
    source: Source


def _session_booking(event: Event, session: Session) -> Booking:
    return Booking(session.start, session.end, f"session '{session.id}' of '{event.id}'",
                   event.id, session.id, session.source or event.source)


def _live_sessions(event: Event) -> list[Session]:
    return [s for s in event.sessions if s.status != "cancelled"] if event.status != "cancelled" else []


def room_conflicts(events: tuple[Event, ...]) -> list[Problem]:
    """Two sessions in one room at overlapping times, across all events."""
    by_room: dict[tuple[str, str], list[Booking]] = defaultdict(list)
    for event in events:
        for session in _live_sessions(event):
            if session.venue and session.room:
                by_room[(session.venue.id, session.room.id)].append(_session_booking(event, session))
    problems = []
    for (venue_id, room_id), bookings in by_room.items():
        for earlier, later in _overlaps(bookings):
            problems.append(Problem(
                later.source.file, later.source.line,
                f"room '{room_id}' at '{venue_id}' is double-booked: {later.label} "
                f"({later.start:%Y-%m-%d %H:%M}–{later.end:%H:%M}) overlaps {earlier.label} "
                f"({earlier.start:%H:%M}–{earlier.end:%H:%M}, {earlier.source})",
                "move one session to another room or time"))
    return problems


def person_conflicts(events: tuple[Event, ...]) -> list[Problem]:
    """A person speaking, moderating or presenting in two places at once."""
    by_person: dict[str, list[Booking]] = defaultdict(list)
    names: dict[str, str] = {}
    for event in events:
        for session in _live_sessions(event):
            for person in _active_people(session.speakers, session.moderators,
                                         [item.presenter for item in session.agenda]):
                by_person[person.id].append(_session_booking(event, session))
                names[person.id] = person.name
        if event.status != "cancelled":
            for person in _active_people(event.signatories, [item.presenter for item in event.agenda]):
                by_person[person.id].append(Booking(event.start, event.end, f"event '{event.id}'",
                                                    event.id, None, event.source))
                names[person.id] = person.name
    problems = []
    for person_id, bookings in by_person.items():
        for earlier, later in _overlaps(bookings):
            if earlier.event_id == later.event_id and None in (earlier.session_id, later.session_id):
                continue  # a presenter at a meeting may also speak in one of its sessions
            problems.append(Problem(
                later.source.file, later.source.line,
                f"{names[person_id]} ('{person_id}') is booked twice at once: {later.label} "
                f"({later.start:%Y-%m-%d %H:%M}–{later.end:%H:%M}) overlaps {earlier.label} "
                f"({earlier.start:%H:%M}–{earlier.end:%H:%M}, {earlier.source})",
                "change one of the times, or give the role to someone else"))
    return problems


def _active_people(*groups) -> list[Person]:
    unique: dict[str, Person] = {}
    for group in groups:
        for person in group:
            if person is not None:
                unique.setdefault(person.id, person)
    return list(unique.values())


def _overlaps(bookings: list[Booking]) -> list[tuple[Booking, Booking]]:
    """Pairs (earlier, later) that overlap in time, each later booking reported once."""
    pairs = []
    ordered = sorted(bookings, key=lambda b: (instant(b.start), instant(b.end)))
    latest: Booking | None = None
    for booking in ordered:
        if latest is not None and instant(booking.start) < instant(latest.end):
            pairs.append((latest, booking))
        if latest is None or instant(booking.end) > instant(latest.end):
            latest = booking
    return pairs


def unprintable_names(people: tuple[Person, ...]) -> list[Problem]:
    """Names the shipped font cannot draw: badges and programmes would show empty boxes."""
    texts = [(person, f"{person.name} {person.organisation} {person.title}") for person in people if person.source]
    # 10,000 names share a few hundred characters: ask the font about each of them once, and
    # look at the names one by one only when some character cannot be drawn.
    unprintable = missing_characters("".join(set("".join(text for _, text in texts))))
    if not unprintable:
        return []
    problems = []
    for person, text in texts:
        missing = unprintable.intersection(text)
        if missing:
            shown = " ".join(sorted(missing))
            problems.append(Problem(
                person.source.file, person.source.line,
                f"{person.name}: the font cannot print {shown} (badges and programmes would show empty boxes)",
                "check the spelling, or add a transliteration the person prefers", Severity.WARNING))
    return problems


def holiday_warnings(events: tuple[Event, ...]) -> list[Problem]:
    """Events touching a Swedish public (or de facto) holiday: allowed, but rarely meant."""
    problems = []
    for event in events:
        if event.status == "cancelled":
            continue
        for day in event.days:
            calendar = swedish_holidays(day.year)
            if day in calendar:
                source = event.source
                problems.append(Problem(
                    source.file, source.line,
                    f"event '{event.id}' is on {day:%Y-%m-%d}, {calendar[day]}, a Swedish public holiday",
                    "check the date; many members will be away", Severity.WARNING))
    return problems
