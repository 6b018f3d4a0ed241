"""Formal meetings after the notice: who is summoned, who came, which deputy serves, the voting
roll and quorum, and the § numbers the minutes give each item.

Pure functions over the plan; the attendance command, the check-in page, the checks and the
minutes all ask the same questions here.

Presence follows one rule: a person summoned is present unless recorded as having sent apologies
or as absent, except where a check-in log exists, when only those checked in are present; a late
arrival is present from their item, an early leaver up to theirs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from motesplats.model import (
    CHAIR_ROLES, AgendaItem, Attendance, Event, Member, Minutes, Person, Plan, Roster, Serving, Session, Text,
    Venue,
)


@dataclass(frozen=True)
class Meeting:
    """A meeting with an agenda: a formal-meeting event, or a session with its own agenda inside an
    event (the council meeting at Mälartinget), known by its key 'event' or 'event/session'."""

    event: Event
    session: Session | None = None

    @property
    def key(self) -> str:
        return f"{self.event.id}/{self.session.id}" if self.session else self.event.id

    @property
    def uid_key(self) -> str:
        """The part of its calendar UID before the '@': the same in feeds and invitations."""
        return f"{self.event.id}.{self.session.id}" if self.session else self.event.id

    @property
    def stem(self) -> str:
        """The key as a file name: 'malartinget-2018.radsmote'."""
        return self.key.replace("/", ".")

    @property
    def title(self) -> Text:
        return self.session.title if self.session else self.event.title

    @property
    def start(self):
        return self.session.start if self.session else self.event.start

    @property
    def end(self):
        return self.session.end if self.session else self.event.end

    @property
    def agenda(self) -> tuple[AgendaItem, ...]:
        return self.session.agenda if self.session else self.event.agenda

    @property
    def summoned(self) -> tuple[Roster, ...]:
        return self.session.summoned if self.session and self.session.summoned else self.event.summoned

    @property
    def minutes(self) -> Minutes | None:
        return self.session.minutes if self.session else self.event.minutes

    @property
    def venue(self) -> Venue | None:
        return (self.session.venue if self.session else None) or self.event.venue

    @property
    def room_name(self) -> str:
        room = (self.session.room if self.session else None) or self.event.room
        return room.name if room else ""

    @property
    def place(self) -> str:
        """Where it is held, as the minutes say it: 'Sal A, Uppsala Konsert & Kongress, Uppsala'."""
        venue = self.venue
        return ", ".join(part for part in (self.room_name, venue.name if venue else "", venue.city if venue else "")
                         if part)

    @property
    def status(self) -> str:
        return "cancelled" if "cancelled" in (self.event.status, self.session.status if self.session else "") \
            else self.event.status

    @property
    def language(self) -> str:
        return self.event.languages[0]

    @property
    def organ(self) -> Roster | None:
        """The body that meets: the first roster summoned."""
        return self.summoned[0] if self.summoned else None


def meetings(plan: Plan) -> tuple[Meeting, ...]:
    """Every meeting with an agenda, in time order."""
    return in_time_order(plan.events)


def in_time_order(events) -> tuple[Meeting, ...]:
    """The meetings of `events`, in time order."""
    return tuple(sorted(meetings_by_key(events).values(), key=lambda m: (m.start.timestamp(), m.key)))


def meetings_by_key(events) -> dict[str, Meeting]:
    """The meetings of `events` by key: formal-meeting events and sessions with their own agenda."""
    found: dict[str, Meeting] = {}
    for event in events:
        if event.kind == "formal_meeting" and (event.agenda or event.summoned):
            found[event.id] = Meeting(event)
        for session in event.sessions:
            if session.agenda:
                meeting = Meeting(event, session)
                found[meeting.key] = meeting
    return found


def meeting_keys(event: Event) -> tuple[str, ...]:
    """The keys of the meetings `event` holds: itself if a formal meeting, and its sessions with an agenda."""
    return tuple(key for key in meetings_by_key((event,)))


def find_meeting(plan: Plan, key: str) -> Meeting | None:
    return meetings_by_key(plan.events).get(key)


def summoned_members(meeting: Meeting) -> dict[str, Member]:
    """Everyone summoned, by person id: a person on two rosters counts once, with their first place."""
    found: dict[str, Member] = {}
    for roster in meeting.summoned:
        for member in roster.members:
            found.setdefault(member.person.id, member)
    return found


def chair_of(meeting: Meeting) -> Person | None:
    """Who chairs: the minutes say, else the organ's ordförande."""
    if meeting.minutes and meeting.minutes.chair:
        return meeting.minutes.chair
    organ = meeting.organ
    chairs = [m for m in organ.members if m.role.lower() == CHAIR_ROLES[0]] if organ else []
    return chairs[0].person if chairs else None


def is_present(person_id: str, attendance: Attendance, item: int | None = None) -> bool:
    """Whether someone summoned (or listed among others present) was there at `item` (None: at any)."""
    if any(p.id == person_id for p in (*attendance.apologies, *attendance.absent)):
        return False
    if attendance.checked_in and not any(c.person_id == person_id for c in attendance.checkins):
        return False
    if item is None:
        return True
    late = [p.item for p in attendance.late if p.person.id == person_id]
    left = [p.item for p in attendance.left if p.person.id == person_id]
    return not (late and item < late[0]) and not (left and item > left[0])


def serving_at(attendance: Attendance, item: int) -> tuple[Serving, ...]:
    return tuple(s for s in attendance.serving
                 if s.from_item <= item and (s.to_item is None or item <= s.to_item))


@dataclass(frozen=True)
class Roll:
    """Who is there at one item, as the minutes' present list and the voting roll count them."""

    item: int
    members: tuple[Member, ...]          # members present
    serving: tuple[Serving, ...]         # deputies serving, for whom
    deputies: tuple[Member, ...]         # deputies present but not serving
    absent: tuple[tuple[Member, bool], ...]  # members and deputies away, True: they sent apologies
    others: tuple[Person, ...]
    quorum: int
    member_count: int

    @property
    def voting(self) -> tuple[Person, ...]:
        """The voting roll (röstlängd): members present and deputies serving."""
        return (*(m.person for m in self.members), *(s.deputy for s in self.serving))

    @property
    def quorate(self) -> bool:
        return len(self.voting) >= self.quorum


def quorum(organ: Roster | None, member_count: int) -> int:
    """Members needed to decide: the organ's own rule, else more than half."""
    if organ is not None and organ.quorum is not None:
        return organ.quorum
    return member_count // 2 + 1


def roll(meeting: Meeting, attendance: Attendance, item: int = 1) -> Roll:
    everyone = summoned_members(meeting)
    members = [m for m in everyone.values() if not m.is_deputy]
    # A deputy serves once there: with a check-in log, once checked in.
    serving = tuple(s for s in serving_at(attendance, item) if is_present(s.deputy.id, attendance, item))
    serving_ids = {s.deputy.id for s in serving}
    apologies = {p.id for p in attendance.apologies}
    present_members = tuple(m for m in members if is_present(m.person.id, attendance, item))
    deputies = tuple(m for m in everyone.values() if m.is_deputy and m.person.id not in serving_ids
                     and is_present(m.person.id, attendance, item))
    absent = tuple((m, m.person.id in apologies) for m in everyone.values()
                   if m.person.id not in serving_ids and not is_present(m.person.id, attendance, item))
    others = tuple(p for p in attendance.others if is_present(p.id, attendance, item))
    return Roll(item, present_members, serving, deputies, absent, others,
                quorum(meeting.organ, len(members)), len(members))


@dataclass(frozen=True)
class Proposal:
    """A member away at the opening, and the deputy the organ's rule calls in (None: nobody left)."""

    member: Member
    deputy: Member | None


def proposals(meeting: Meeting, attendance: Attendance) -> tuple[Proposal, ...]:
    """For each member of the organ away at item 1 with nobody serving for them, the deputy to call
    in: by the organ's rule, among deputies who have not sent apologies and are not serving."""
    organ = meeting.organ
    if organ is None or not any(m.is_deputy for m in organ.members):
        return ()  # an organ without deputies (the council): nobody to call in
    covered = {s.member.id for s in serving_at(attendance, 1)}
    busy = {s.deputy.id for s in attendance.serving}
    away = {p.id for p in (*attendance.apologies, *attendance.absent)}
    # Before the meeting any deputy without apologies can be called; once check-in has begun,
    # only one who is there.
    free = [m for m in organ.members if m.is_deputy and m.person.id not in busy | away
            and is_present(m.person.id, attendance)]
    found = []
    for member in organ.members:
        if member.is_deputy or member.person.id in covered or member.person.id not in away:
            continue
        deputy = _called_in(organ.deputy_rule, member, free)
        if deputy is not None:
            free.remove(deputy)
        found.append(Proposal(member, deputy))
    return tuple(found)


def _called_in(rule: str, member: Member, free: list[Member]) -> Member | None:
    if rule == "personal":
        own = [d for d in free if d.deputy_for == member.person.id]
        if own:
            return own[0]
    if rule in ("personal", "party"):
        same_party = [d for d in free if member.person.party and d.person.party == member.person.party]
        return same_party[0] if same_party else None
    return free[0] if free else None


def first_paragraphs(plan: Plan) -> dict[str, int]:
    """The § number of each meeting's first item (see first_paragraphs_of)."""
    return first_paragraphs_of(plan.events)


def first_paragraphs_of(events) -> dict[str, int]:
    """The § number of the first item of each meeting of `events`: numbers run on through the
    calendar year per organ, from 1 or from a meeting's own first_paragraph; cancelled meetings take none."""
    numbers: dict[str, int] = {}
    following: dict[tuple[str, int], int] = {}
    for meeting in in_time_order(events):
        if meeting.status == "cancelled" or meeting.organ is None:
            continue
        year_of_organ = (meeting.organ.id, meeting.start.year)
        first = following.get(year_of_organ, 1)
        if meeting.minutes and meeting.minutes.first_paragraph:
            first = meeting.minutes.first_paragraph
        numbers[meeting.key] = first
        following[year_of_organ] = first + len(meeting.agenda)
    return numbers


@dataclass(frozen=True)
class Presence:
    """Who was at a meeting at any point, as a present list shows it: late arrivals and early
    leavers carry the item they came or left at; the roll is counted at the opening item."""

    members: tuple[tuple[Member, int | None, int | None], ...]   # member, came at item, left after item
    serving: tuple[Serving, ...]
    deputies: tuple[tuple[Member, int | None, int | None], ...]  # present, not serving
    others: tuple[Person, ...]
    guests: tuple
    absent: tuple[tuple[Member, bool], ...]  # True: sent apologies
    roll: Roll


def presence(meeting: Meeting, attendance: Attendance) -> Presence:
    everyone = summoned_members(meeting)
    # A deputy recorded as serving serves once there (with a check-in log: once checked in).
    serving = tuple(s for s in attendance.serving if is_present(s.deputy.id, attendance))
    serving_ids = {s.deputy.id for s in serving}
    came = {p.person.id: p.item for p in attendance.late}
    went = {p.person.id: p.item for p in attendance.left}
    apologies = {p.id for p in attendance.apologies}

    def there(member: Member) -> tuple[Member, int | None, int | None]:
        return member, came.get(member.person.id), went.get(member.person.id)

    present = [m for m in everyone.values() if is_present(m.person.id, attendance)]
    return Presence(
        members=tuple(there(m) for m in _chairs_first(present) if not m.is_deputy),
        serving=tuple(sorted(serving, key=lambda s: (s.from_item, s.deputy.surname, s.deputy.name))),
        deputies=tuple(there(m) for m in present if m.is_deputy and m.person.id not in serving_ids),
        others=attendance.others, guests=attendance.guests,
        absent=tuple((m, m.person.id in apologies) for m in everyone.values()
                     if m.person.id not in serving_ids and not is_present(m.person.id, attendance)),
        roll=roll(meeting, attendance))


def _chairs_first(members: list[Member]) -> list[Member]:
    def rank(member: Member) -> int:
        role = member.role.lower()
        return CHAIR_ROLES.index(role) if role in CHAIR_ROLES else len(CHAIR_ROLES)
    return sorted(members, key=lambda m: rank(m))  # stable: the roster's order within each rank


DEADLINE_KINDS = ("documents", "notice", "adjusted", "posted")  # the first two before the meeting
_BEFORE = ("documents", "notice")


@dataclass(frozen=True)
class Deadline:
    """A day by which the secretariat must have done something for a meeting."""

    day: date
    kind: str  # one of DEADLINE_KINDS
    meeting: Meeting


def deadlines(plan: Plan) -> tuple[Deadline, ...]:
    """Every deadline of every meeting not cancelled whose organ has rules, by day."""
    rules = {rule.organ: rule for rule in plan.settings.deadlines}
    found = []
    for meeting in meetings(plan):
        rule = rules.get(meeting.organ.id) if meeting.organ else None
        if rule is None or meeting.status == "cancelled":
            continue
        for kind in DEADLINE_KINDS:
            offset = getattr(rule, kind)
            if offset is not None:
                moment = meeting.start - offset if kind in _BEFORE else meeting.end + offset
                found.append(Deadline(moment.date(), kind, meeting))
    return tuple(sorted(found, key=lambda d: (d.day, DEADLINE_KINDS.index(d.kind), d.meeting.key)))
