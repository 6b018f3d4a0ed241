"""What a correction (rättelse) of adjusted minutes says, before it is laid out: the meeting, the day
the correction was adjusted, its text, and for each § it concerns what the minutes said (from the
facts sealed before it) and what they say now; then who adjusts it.

The minutes themselves are never rewritten: the correction is an addendum published beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from motesplats.meetings import Meeting, chair_of
from motesplats.model import Correction, Person, Plan
from motesplats.render.attendance_list import short_name
from motesplats.render.minutes import MinutesDocument, build_minutes, minutes_stem

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
class CorrectionDocument:
    minutes: MinutesDocument  # the heading's facts: organ, meeting, date, place
    adjusted: date
    text: str
    paragraphs: tuple[CorrectedParagraph, ...]
    signers: tuple[tuple[Person, str], ...]  # who adjusts it, with the role shown under the line

    @property
    def span(self) -> str:
        return ", ".join(f"§ {p.number}" for p in self.paragraphs)


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
    return CorrectionDocument(minutes, correction.adjusted, minutes.text(correction.text), paragraphs, signers)


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
