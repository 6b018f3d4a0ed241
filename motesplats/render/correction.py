"""What a correction (rättelse) of adjusted minutes says, before it is laid out: the meeting, the day
the correction was adjusted, its text, and for the time, place or attendance it covers and each §
it concerns what the minutes said (from the facts sealed before it) and what they say now; then who
adjusts it.

The minutes themselves are never rewritten: the correction is an addendum published beside them.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from motesplats.meetings import Meeting, Presence, Roll, chair_of, summoned_members
from motesplats.model import Correction, Guest, Member, Person, Plan, Serving
from motesplats.render.attendance_list import short_name
from motesplats.render.dates import clock, long_day
from motesplats.render.minutes import MinutesDocument, build_minutes, minutes_stem, present_rows

MARK = "rattelse"  # in the published name: 'minutes/styrelsemote-2018-06-08.rattelse-2018-09-03.sv.pdf'


@dataclass(frozen=True)
class Change:
    """One thing a § said and now says otherwise: 'Beslut', before, now."""

    label: str
    before: str
    now: str


@dataclass(frozen=True)
class CorrectedParagraph:
    number: int
    title: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class CorrectedFact:
    """The time, place or attendance of the meeting, as the minutes had it and have it now."""

    title: str  # 'Tid', 'Plats', 'Närvarolista'
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class CorrectionDocument:
    minutes: MinutesDocument  # the heading's facts: organ, meeting, date, place
    adjusted: date
    text: str
    paragraphs: tuple[CorrectedParagraph, ...]
    signers: tuple[tuple[Person, str], ...]  # who adjusts it, with the role shown under the line
    covered: tuple[CorrectedFact, ...] = ()  # in the minutes' order: time, place, attendance

    @property
    def span(self) -> str:
        """The § it corrects: '§ 22, § 23' ('' when it corrects only the time, place or attendance)."""
        return ", ".join(f"§ {p.number}" for p in self.paragraphs)

    @property
    def concerns(self) -> str:
        """All it corrects, for its title: '§ 22', 'Närvarolista', 'Tid, § 22'."""
        return ", ".join([*(fact.title for fact in self.covered), *(f"§ {p.number}" for p in self.paragraphs)])


def correction_path(meeting: Meeting, adjusted: date, language: str, secret: bytes) -> str:
    """Where a correction is published, beside the minutes (under their private name where they
    have one): 'minutes/styrelsemote-2018-06-08.rattelse-2018-09-03.sv.pdf'."""
    stem, _, _ = minutes_stem(meeting, language, secret).rpartition(".")
    return f"{stem}.{MARK}-{adjusted.isoformat()}.{language}.pdf"


def build_correction(plan: Plan, meeting: Meeting, correction: Correction, was: dict, now: dict,
                     language: str) -> CorrectionDocument:
    """The correction of `meeting`'s minutes whose facts were `was` and are `now`."""
    minutes = build_minutes(plan, meeting, language)
    names = {person.id: short_name(person) for person in plan.people}
    covered = tuple(covered_fact(part, minutes, was, now, plan) for part in ("time", "place", "attendance")
                    if part in correction.covers)
    before = {p["number"]: p for p in was["paragraphs"]}
    after = {p["number"]: p for p in now["paragraphs"]}
    paragraphs = tuple(CorrectedParagraph(number, _text(after[number]["title"], language),
                                          changes(before[number], after[number], minutes.word, language, names))
                       for number in correction.paragraphs if number in before and number in after)
    if correction.adjusters:
        signers = tuple((person, minutes.word("adjusters")) for person in correction.adjusters)
    else:
        chair = chair_of(meeting)
        signers = ((((chair, minutes.word("chair")),) if chair else ())
                   + tuple((person, minutes.word("adjusters")) for person in meeting.minutes.adjusters))
    return CorrectionDocument(minutes, correction.adjusted, minutes.text(correction.text), paragraphs, signers, covered)


def covered_fact(part: str, minutes: MinutesDocument, was: dict, now: dict, plan: Plan) -> CorrectedFact:
    """The time, place or attendance (`part`) as the facts `was` and `now` state it, as the minutes show it:
    the day and hours, the place's text, the present list's names."""
    word = minutes.word
    if part == "time":
        return CorrectedFact(word("time"), _changed(word("time"), _hours(was["when"], minutes.language),
                                                    _hours(now["when"], minutes.language)))
    if part == "place":
        return CorrectedFact(word("place"), _changed(word("place"), was["place"]["text"], now["place"]["text"]))
    before, after = (_present_list(minutes, facts["attendance"], plan) for facts in (was, now))
    return CorrectedFact(word("attendance list"), tuple(
        Change(label, before.get(label, word("nothing")), after.get(label, word("nothing")))
        for label in dict.fromkeys([*before, *after]) if before.get(label) != after.get(label)))


def _changed(label: str, before: str, now: str) -> tuple[Change, ...]:
    return (Change(label, before, now),) if before != now else ()


def _hours(when: dict, language: str) -> str:
    """'fredag 8 juni 2018, 09:30–12:30', as the minutes' heading gives the time."""
    start, end = datetime.fromisoformat(when["start"]), datetime.fromisoformat(when["end"])
    return f"{long_day(start.date(), language)}, {clock(start)}–{clock(end)}"


def _present_list(minutes: MinutesDocument, attendance: dict, plan: Plan) -> dict[str, str]:
    """The minutes' present list (members present, deputies serving and not, others, absent, the
    voting roll) for the attendance as facts keep it, by line without its count: label -> names."""
    found = {}
    for row in present_rows(replace(minutes, presence=presence_of(attendance, minutes.meeting, plan))):
        label, _, count = row.label.partition(" (")  # 'Närvarande ledamöter (17)'
        names = ", ".join(row.entries) if row.joined else "; ".join(row.entries)
        found[label] = f"({count} {names}" if count else names
    return found


def presence_of(attendance: dict, meeting: Meeting, plan: Plan) -> Presence:
    """The presence the facts' attendance (people by id) records: each person as the plan's registry
    names them, with their place on the meeting's rosters where they still have one. The roll holds
    only what the present list shows of it: the voting roll, the quorum and the members counted."""
    people = {person.id: person for person in plan.people}
    summoned = summoned_members(meeting)

    def person(id: str) -> Person:
        return people.get(id) or Person(id, id)

    def member(id: str) -> Member:
        return summoned.get(id) or Member(person(id), "")

    def there(rows: list) -> tuple:
        return tuple((member(id), came, left) for id, came, left in rows)

    return Presence(
        members=there(attendance["members"]),
        serving=tuple(Serving(person(deputy), person(member_id), start, end)
                      for deputy, member_id, start, end in attendance["serving"]),
        deputies=there(attendance["deputies"]), others=tuple(map(person, attendance["others"])),
        guests=tuple(Guest(*guest) for guest in attendance["guests"]),
        absent=tuple((member(id), apologies) for id, apologies in attendance["absent"]),
        roll=Roll(1, tuple(map(member, attendance["voting"])), (), (), (), (), attendance["quorum"],
                  attendance["member_count"]))


def changes(was: dict, now: dict, word, language: str, names: dict[str, str]) -> tuple[Change, ...]:
    """What one § (as facts) said and says now, part by part, in the minutes' words."""
    def said(paragraph: dict) -> list[tuple[str, str]]:
        decision = paragraph["decision"]
        parts = [("agenda item", _text(paragraph["title"], language)),
                 ("presenter", names.get(paragraph["presenter"], paragraph["presenter"] or "")),
                 ("proposal", _text(paragraph["proposal"], language)),
                 ("documents", ", ".join(paragraph["documents"])), ("notes", _text(paragraph["notes"], language))]
        if decision is None:
            return parts + [("decision", "")]
        reserved = ", ".join(names.get(p, p) for p in decision["reservations"])
        reason = _text(decision["reservation_reason"], language)
        return parts + [
            ("decision", _text(decision["text"], language) or word("as proposed")),
            ("adjusters", ", ".join(names.get(p, p) for p in decision["adjusters"])),
            ("reservation", (word("reserved").format(names=reserved) + (f" {reason}" if reason else ""))
             if reserved else ""),
            ("dispatch", ", ".join(decision["dispatch"])), ("notes", _text(decision["notes"], language))]

    nothing = word("nothing")
    return tuple(Change(word(key), old or nothing, new or nothing)
                 for (key, old), (_, new) in zip(said(was), said(now)) if old != new)


def _text(translations: dict[str, str], language: str) -> str:
    return translations.get(language) or next(iter(translations.values()), "")
