"""What a printed programme says, before it is laid out: shared by the PDF and the HTML renderers.

One function per kind of event turns the plan into a `Programme`: days with their time slots
(parallel sessions grouped side by side), the agenda and the roster summoned, the itinerary,
the speaker list. Dates, times and the toolkit's own words are already in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from motesplats.identifiers import unguessable
from motesplats.meetings import meeting_keys
from motesplats.model import CHAIR_ROLES, AgendaItem, Event, Leg, Person, Plan, Roster, Session, Text, Venue
from motesplats.render.dates import clock, day_span, long_day
from motesplats.render.labels import label



@dataclass(frozen=True)
class Slot:
    """Sessions that overlap in time: one row of the timetable, side by side when more than one."""

    start: datetime
    end: datetime
    sessions: tuple[Session, ...]

    @property
    def parallel(self) -> bool:
        return len(self.sessions) > 1


@dataclass(frozen=True)
class Stop:
    """One line of an itinerary: a leg or a visit, in the order they happen."""

    start: datetime
    leg: Leg | None = None
    session: Session | None = None


@dataclass(frozen=True)
class Day:
    date: date
    heading: str           # 'torsdag 17 maj 2018'
    slots: tuple[Slot, ...] = ()
    stops: tuple[Stop, ...] = ()


@dataclass(frozen=True)
class Summons:
    """A roster called to a meeting, split as a kallelse lists it."""

    roster: Roster
    members: tuple[tuple[Person, str], ...]   # (person, role)
    deputies: tuple[tuple[Person, str], ...]
    notes: dict[str, str] = field(default_factory=dict)  # person id -> 'förhinder', 'tjänstgör för …'


@dataclass(frozen=True)
class Programme:
    event: Event
    language: str
    languages: tuple[str, ...]   # the reader's language first, then the event's own
    title: str
    subtitle: str
    description: str
    dates: str                   # 'torsdag 17 maj – fredag 18 maj 2018'
    hours: str                   # '09:00–15:30' or '' for whole days
    place: str
    days: tuple[Day, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()
    summoned: tuple[Summons, ...] = ()
    speakers: tuple[tuple[Person, tuple[str, ...]], ...] = ()   # person, titles of their sessions
    venues: tuple[Venue, ...] = ()
    contacts: tuple[Person, ...] = ()
    meetings: tuple[Session, ...] = ()   # sessions with their own agenda (the council meeting)
    words: dict[str, str] = field(default_factory=dict)

    def text(self, value: Text) -> str:
        """Organisers' text in the reader's language, falling back to the event's languages."""
        return value.get(*self.languages)

    def time(self, moment: datetime) -> str:
        """'09:30', with the zone added where it is not the event's own."""
        if moment.tzinfo is not None and getattr(moment.tzinfo, "key", None) != self.event.time_zone:
            return f"{clock(moment)} ({moment.tzname()}, {_city(moment.tzinfo.key)})"
        return clock(moment)


def _city(zone_name: str) -> str:
    return zone_name.rsplit("/", 1)[-1].replace("_", " ")


PUBLIC = "public"  # the audience whose events' programmes are published under their plain names


def programme_stem(event: Event, language: str, secret: bytes) -> str:
    """Where an event's programme goes (add .pdf or .html): by id when the event is public, else
    under a name only the secret gives, since a board agenda or an itinerary with its hotel is
    not for everyone who can guess an event's id."""
    if PUBLIC in event.audiences:
        return public_programme_stem(event, language)
    return f"programmes/{event.id}-{unguessable(secret, 'programme:' + event.id)}.{language}"


def public_programme_stem(event: Event, language: str) -> str:
    return f"programmes/{event.id}.{language}"


def build_programme(plan: Plan, event: Event, language: str) -> Programme:
    """The programme of `event` in `language`, whatever its kind."""
    languages = tuple(dict.fromkeys((language, *event.languages, plan.settings.language)))
    sessions = listed_sessions(event)
    days = tuple(_day(event, sessions, day, language) for day in event.days)
    meetings = tuple(s for s in sessions if s.agenda)
    summoned_rosters = tuple(dict.fromkeys((*event.summoned, *(r for s in meetings for r in s.summoned))))
    notes = attendance_notes(plan, event, language)
    return Programme(
        event=event, language=language, languages=languages,
        title=event.title.get(*languages), subtitle=event.subtitle.get(*languages),
        description=event.description.get(*languages),
        dates=day_span(event.days[0], event.days[-1], language),
        hours="" if event.all_day else f"{clock(event.start)}–{clock(event.end)}",
        place=_place(event.venue),
        days=tuple(day for day in days if day.slots or day.stops) or days[:1],
        agenda=event.agenda,
        summoned=tuple(_summons(roster, notes) for roster in summoned_rosters),
        speakers=_speakers(sessions, languages),
        venues=_venues(event, sessions),
        contacts=event.contacts,
        meetings=meetings,
        words=_words(language),
    )


def _place(venue: Venue | None) -> str:
    if venue is None:
        return ""
    return ", ".join(part for part in (venue.name, venue.address, f"{venue.postcode} {venue.city}".strip()) if part)


def listed_sessions(event: Event) -> tuple[Session, ...]:
    """The sessions a programme shows: those for the event's own audiences.

    A session only for an audience the event is not for (the staff's planning meeting during
    Almedalen) is internal, and stays out of a programme handed to the public.
    """
    audiences = set(event.audiences)
    return tuple(s for s in event.sessions if not s.audiences or audiences & set(s.audiences))


def _day(event: Event, all_sessions: tuple[Session, ...], day: date, language: str) -> Day:
    sessions = [s for s in all_sessions if s.start.date() == day]
    legs = [leg for leg in event.legs if leg.depart.date() == day]
    stops = ()
    if event.kind == "study_trip":
        stops = tuple(sorted([Stop(leg.depart, leg=leg) for leg in legs] +
                             [Stop(s.start, session=s) for s in sessions],
                             key=lambda stop: stop.start.timestamp()))
    return Day(day, long_day(day, language), slots=_slots(sessions), stops=stops)


def _slots(sessions: list[Session]) -> tuple[Slot, ...]:
    """Group sessions into rows: each row the sessions that overlap one another in time."""
    rows: list[list[Session]] = []
    end = None
    for session in sorted(sessions, key=lambda s: (s.start.timestamp(), s.end.timestamp())):
        if rows and end is not None and session.start.timestamp() < end:
            rows[-1].append(session)
            end = max(end, session.end.timestamp())
        else:
            rows.append([session])
            end = session.end.timestamp()
    return tuple(Slot(min(s.start for s in row), max(s.end for s in row),
                      tuple(sorted(row, key=lambda s: (s.room.name if s.room else "", s.start.timestamp()))))
                 for row in rows)


def attendance_notes(plan: Plan, event: Event, language: str) -> dict[str, str]:
    """What the kallelse's roster says beside a name once attendance is recorded: who sent
    apologies, and which deputy serves for whom ('tjänstgör för Jonas Ek')."""
    notes: dict[str, str] = {}
    for key in meeting_keys(event):
        attendance = plan.attendance_of(key)
        for person in attendance.apologies:
            notes[person.id] = label("apologies", language)
        for serving in attendance.serving:
            notes[serving.deputy.id] = label("serving for", language).format(member=serving.member.name)
    return notes


def _summons(roster: Roster, notes: dict[str, str]) -> Summons:
    members, deputies = [], []
    for member in roster.members:
        entry = (member.person, member.role)
        (deputies if member.is_deputy else members).append(entry)
    chairs_first = sorted(members, key=lambda m: (_chair_rank(m[1]), m[0].surname, m[0].name))
    listed = {member.person.id for member in roster.members}
    return Summons(roster, tuple(chairs_first), tuple(sorted(deputies, key=lambda m: (m[0].surname, m[0].name))),
                   {person_id: note for person_id, note in notes.items() if person_id in listed})


def _chair_rank(role: str) -> int:
    role = role.lower()
    return CHAIR_ROLES.index(role) if role in CHAIR_ROLES else len(CHAIR_ROLES)


def _speakers(sessions: tuple[Session, ...], languages: tuple[str, ...]) -> tuple[tuple[Person, tuple[str, ...]], ...]:
    """Everyone who speaks or moderates, by surname, with the sessions they appear in."""
    appearances: dict[str, tuple[Person, list[str]]] = {}
    for session in sessions:
        for person in (*session.speakers, *session.moderators):
            appearances.setdefault(person.id, (person, []))[1].append(session.title.get(*languages))
    ordered = sorted(appearances.values(), key=lambda entry: (entry[0].surname, entry[0].name))
    return tuple((person, tuple(dict.fromkeys(titles))) for person, titles in ordered)


def _venues(event: Event, sessions: tuple[Session, ...]) -> tuple[Venue, ...]:
    venues = [event.venue, event.hotel, *(s.venue for s in sessions)]
    venues += [place for leg in event.legs for place in (leg.origin, leg.destination)]
    return tuple(dict.fromkeys(venue for venue in venues if venue is not None))


PROGRAMME_WORDS = (
    "programme", "speakers and moderators", "practical information", "venue", "venues", "notice", "agenda",
    "members", "deputies", "time", "place", "room", "speakers", "moderators", "presenter", "proposal",
    "documents", "itinerary", "hotel", "contacts", "partners", "parties", "signatories", "milestones",
    "departs", "arrives", "page", "parallel sessions", "summoned", "organiser", "own activities",
)


def _words(language: str) -> dict[str, str]:
    return {key: label(key, language) for key in PROGRAMME_WORDS}
