"""The plan after validation: immutable, references resolved, datetimes aware of their time zone.

Renderers take these objects and never see TOML or CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class Source:
    """Where a record was written, for messages and for tools that point back at the data."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Text:
    """Text in one or more languages; asking for a missing language falls back sensibly."""

    translations: tuple[tuple[str, str], ...]

    def get(self, language: str, *fallbacks: str) -> str:
        """The text in `language`, else in the first fallback present, else in any language."""
        by_language = dict(self.translations)
        for candidate in (language, *fallbacks):
            if candidate in by_language:
                return by_language[candidate]
        return self.translations[0][1] if self.translations else ""

    @property
    def languages(self) -> tuple[str, ...]:
        return tuple(language for language, _ in self.translations)

    def __bool__(self) -> bool:
        return bool(self.translations)


NO_TEXT = Text(())


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    organisation: str = ""
    title: str = ""
    email: str = ""  # private: never in public outputs
    party: str = ""
    languages: tuple[str, ...] = ()
    source: Source | None = None

    @property
    def surname(self) -> str:
        return self.name.split()[-1] if self.name.split() else self.name


DEPUTY_ROLES = ("ersättare", "deputy", "suppléant")
CHAIR_ROLES = ("ordförande", "vice ordförande", "chair", "vice chair", "président", "vice-président")


@dataclass(frozen=True)
class Member:
    """A person's place on a roster."""

    person: Person
    role: str
    deputy_for: str = ""  # a personal deputy's member (a person id)

    @property
    def is_deputy(self) -> bool:
        return self.role.lower() in DEPUTY_ROLES


@dataclass(frozen=True)
class Roster:
    """A named list of people; for an organ (a board, a council) also how its meetings are run."""

    id: str
    title: Text
    description: Text
    members: tuple[Member, ...]
    source: Source
    deputy_rule: str = "party"  # personal | party | order: how a deputy is called in
    quorum: int | None = None  # members needed to decide; None: more than half
    posting: timedelta = timedelta(weeks=3)  # how long adjusted minutes stay posted
    public_minutes: bool = False
    minutes_kept_at: str = ""  # förvaringsplats, on the notice of adjustment
    adjustment_limit: timedelta = timedelta(days=14)  # KL 5 kap. 69 §
    web_minutes_for: timedelta | None = None  # how long after adjustment the minutes stay on the web
    announce: timedelta | None = None  # its meetings are announced on the notice board this long before


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    capacity: int | None = None
    floor: str = ""


@dataclass(frozen=True)
class Venue:
    id: str
    name: str
    city: str
    time_zone: str
    address: str = ""
    postcode: str = ""
    country: str = ""
    geo: tuple[float, float] | None = None
    url: str = ""
    directions: Text = NO_TEXT
    rooms: tuple[Room, ...] = ()
    source: Source | None = None

    def room(self, room_id: str) -> Room | None:
        return next((room for room in self.rooms if room.id == room_id), None)


@dataclass(frozen=True)
class Organiser:
    id: str
    name: str
    email: str = ""
    url: str = ""


@dataclass(frozen=True)
class AgendaItem:
    number: int
    title: Text
    presenter: Person | None = None
    proposal: Text = NO_TEXT
    documents: tuple[str, ...] = ()
    notes: Text = NO_TEXT
    source: Source | None = None
    web: bool = True  # False: its § is left out of the minutes' web copy, for `web_reason`
    web_reason: str = ""


@dataclass(frozen=True)
class Decision:
    """What a meeting decided on one agenda item."""

    item: int
    text: Text = NO_TEXT  # empty: decided as proposed
    adjusters: tuple[Person, ...] = ()
    reservations: tuple[Person, ...] = ()
    reservation_reason: Text = NO_TEXT
    dispatch: tuple[str, ...] = ()
    notes: Text = NO_TEXT
    source: Source | None = None

    @property
    def as_proposed(self) -> bool:
        return not self.text


@dataclass(frozen=True)
class Correction:
    """A correction (rättelse) of adjusted minutes: a dated, adjusted addendum beside their record,
    saying in prose what it corrects in which § (and of the attendance, time or place it `covers`);
    the corrected values are the data as it now stands."""

    adjusted: date
    paragraphs: tuple[int, ...]  # the § numbers it concerns
    text: Text
    adjusters: tuple[Person, ...] = ()  # empty: the minutes' chair and adjusters
    source: Source | None = None
    covers: tuple[str, ...] = ()  # of fields.CORRECTION_COVERS, in that order


@dataclass(frozen=True)
class Minutes:
    """The minutes (protokoll) of a meeting, as its secretary recorded them."""

    secretary: Person
    chair: Person | None
    decisions: tuple[Decision, ...]  # by item number
    first_paragraph: int | None = None
    adjusted: date | None = None
    adjusted_place: str = ""
    posted: date | None = None
    source: Source | None = None
    corrections: tuple[Correction, ...] = ()  # by the day each was adjusted

    def decision(self, item: int) -> Decision | None:
        return next((d for d in self.decisions if d.item == item), None)

    @property
    def adjusters(self) -> tuple[Person, ...]:
        return tuple(dict.fromkeys(person for d in self.decisions for person in d.adjusters))


@dataclass(frozen=True)
class Session:
    id: str
    kind: str
    title: Text
    start: datetime
    end: datetime
    venue: Venue | None
    room: Room | None = None
    description: Text = NO_TEXT
    speakers: tuple[Person, ...] = ()
    moderators: tuple[Person, ...] = ()
    audiences: tuple[str, ...] = ()
    status: str = "confirmed"
    summoned: tuple[Roster, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()
    minutes: Minutes | None = None
    source: Source | None = None


@dataclass(frozen=True)
class Leg:
    id: str
    mode: str
    origin: Venue
    destination: Venue
    depart: datetime  # in the origin's time zone
    arrive: datetime  # in the destination's time zone
    carrier: str = ""
    number: str = ""
    booking: str = ""  # private to the delegation
    notes: Text = NO_TEXT
    source: Source | None = None


@dataclass(frozen=True)
class Milestone:
    id: str
    date: date
    title: Text
    derived: bool = False  # computed from the agreement's term, not written by an organiser


@dataclass(frozen=True)
class Event:
    id: str
    kind: str
    title: Text
    start: datetime
    end: datetime
    all_day: bool
    time_zone: str
    audiences: tuple[str, ...]
    status: str = "confirmed"
    subtitle: Text = NO_TEXT
    description: Text = NO_TEXT
    venue: Venue | None = None
    room: Room | None = None
    organiser: Organiser | None = None
    partners: tuple[str, ...] = ()
    url: str = ""
    languages: tuple[str, ...] = ()
    participants: tuple[Roster, ...] = ()
    contacts: tuple[Person, ...] = ()
    summoned: tuple[Roster, ...] = ()
    agenda: tuple[AgendaItem, ...] = ()
    minutes: Minutes | None = None
    sessions: tuple[Session, ...] = ()
    legs: tuple[Leg, ...] = ()
    hotel: Venue | None = None
    parties: tuple[str, ...] = ()
    signatories: tuple[Person, ...] = ()
    term_years: int | None = None
    milestones: tuple[Milestone, ...] = ()
    badges: bool = False  # name badges (and a ceremony's table cards) are printed for it
    source: Source | None = None

    @property
    def days(self) -> tuple[date, ...]:
        """Every calendar day the event touches, in its own time zone."""
        first = self.start.date()
        last = (self.end - timedelta(microseconds=1)).date()  # an end at midnight belongs to the day before
        return tuple(first + timedelta(days=n) for n in range((last - first).days + 1))


@dataclass(frozen=True)
class Serving:
    """A deputy serving for a member, at the items from `from_item` to `to_item` (None: the end)."""

    deputy: Person
    member: Person
    from_item: int = 1
    to_item: int | None = None
    source: Source | None = None


@dataclass(frozen=True)
class Partial:
    """Someone present at part of a meeting: from an item on (late), or up to one (left)."""

    person: Person
    item: int
    source: Source | None = None


@dataclass(frozen=True)
class Guest:
    name: str
    organisation: str = ""
    role: str = ""


@dataclass(frozen=True)
class CheckIn:
    """One line of a meeting's check-in log: who was let in, when, and how (scan or search)."""

    person_id: str
    at: datetime
    how: str
    source: Source | None = None


@dataclass(frozen=True)
class Attendance:
    """Who came to one meeting: apologies, deputies serving, comings and goings, the check-in log."""

    meeting: str  # "event-id" or "event-id/session-id"
    apologies: tuple[Person, ...] = ()
    absent: tuple[Person, ...] = ()
    serving: tuple[Serving, ...] = ()
    late: tuple[Partial, ...] = ()
    left: tuple[Partial, ...] = ()
    others: tuple[Person, ...] = ()
    guests: tuple[Guest, ...] = ()
    checkins: tuple[CheckIn, ...] = ()
    checked_in: bool = False  # a check-in log exists: presence is who checked in
    source: Source | None = None


@dataclass(frozen=True)
class Feed:
    """A calendar that members subscribe to: a filter over events and sessions."""

    id: str
    name: Text
    description: Text
    language: str
    audiences: tuple[str, ...]
    event_ids: tuple[str, ...]
    sessions: str  # none | all | days
    include_tentative: bool
    alarms: tuple[timedelta, ...]
    refresh: timedelta
    public: bool
    source: Source
    deadlines: bool = False  # the secretariat's deadlines as entries


@dataclass(frozen=True)
class DeadlineRule:
    """When an organ's meetings need their notice and documents (before) and minutes (after)."""

    organ: str  # a roster id
    notice: timedelta | None = None
    documents: timedelta | None = None
    adjusted: timedelta | None = None
    posted: timedelta | None = None
    source: Source | None = None


@dataclass(frozen=True)
class MailSettings:
    """The SMTP server and account invitations go through. With auth "password" the password comes
    from `password_env`; with "oauth2" a token from `authority` for the application `client_id`,
    whose secret comes from `client_secret_env` (secrets are never in the files)."""

    host: str
    port: int
    security: str = "starttls"  # starttls | tls | none
    user: str = ""
    password_env: str = "MOTESPLATS_SMTP_PASSWORD"
    rate: int = 30  # messages a minute
    source: Source | None = None
    auth: str = "password"  # password | oauth2
    client_id: str = ""
    authority: str = ""  # e.g. https://login.microsoftonline.com/TENANT
    scope: str = "https://outlook.office365.com/.default"
    client_secret_env: str = "MOTESPLATS_OAUTH_CLIENT_SECRET"
    replies_authenticated_by: str = ""  # authserv-id of the organisation's own Authentication-Results, lower case


@dataclass(frozen=True)
class SigningSettings:
    """Signed adjustment: the certificate authorities signers' certificates must chain to, and the
    organisation's seal (a PKCS#12 file whose password comes only from MOTESPLATS_SEAL_PASSWORD).
    Paths are relative to the workspace."""

    trust_roots: tuple[str, ...] = ()
    organisation_seal: str = ""
    source: Source | None = None


@dataclass(frozen=True)
class Settings:
    organisation: str
    time_zone: str
    languages: tuple[str, ...]
    base_url: str
    audiences: tuple[str, ...]
    keep_removed: timedelta = timedelta(days=90)
    deadlines: tuple[DeadlineRule, ...] = ()
    mail: MailSettings | None = None
    signing: SigningSettings | None = None

    @property
    def language(self) -> str:
        return self.languages[0]


@dataclass(frozen=True)
class Plan:
    """Everything a workspace says, validated: what renderers render."""

    settings: Settings
    people: tuple[Person, ...]
    rosters: tuple[Roster, ...]
    venues: tuple[Venue, ...]
    organisers: tuple[Organiser, ...]
    events: tuple[Event, ...]
    feeds: tuple[Feed, ...] = field(default_factory=tuple)
    attendance: tuple[Attendance, ...] = field(default_factory=tuple)
    invited: dict[str, frozenset[str]] = field(default_factory=dict)  # UID -> people sent an invitation

    def event(self, event_id: str) -> Event | None:
        return next((event for event in self.events if event.id == event_id), None)

    def attendance_of(self, meeting: str) -> Attendance:
        """What is recorded of who came to `meeting` (nothing yet: an empty record)."""
        return next((a for a in self.attendance if a.meeting == meeting), Attendance(meeting))
