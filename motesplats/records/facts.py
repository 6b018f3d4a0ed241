"""The facts a meeting's minutes are made from, as plain data: what a record keeps in facts.json and
what `check` compares the current data with.

People are kept by id (a name's spelling fixed in a roster is not a new fact); texts in every
language written. The JSON form is canonical (sorted keys, no spaces to vary), so the same facts
are always the same bytes.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from zoneinfo import ZoneInfo

from motesplats.meetings import Meeting, presence
from motesplats.model import Attendance, Roster, Text
from motesplats.records import notice_dates


def meeting_facts(meeting: Meeting, attendance: Attendance, first: int) -> dict:
    """The facts of `meeting` (which has minutes) whose first item is § `first`."""
    minutes = meeting.minutes
    assert minutes is not None, f"{meeting.key} has no minutes"
    return {
        "meeting": meeting.key,
        "organ": meeting.organ.id if meeting.organ else None,
        "title": _text(meeting.title),
        "when": {"start": meeting.start.isoformat(), "end": meeting.end.isoformat(),
                 "time_zone": getattr(meeting.start.tzinfo, "key", str(meeting.start.tzinfo))},
        "place": {"venue": meeting.venue.id if meeting.venue else None, "text": meeting.place},
        "paragraphs": [_paragraph(first + item.number - 1, item, minutes.decision(item.number))
                       for item in meeting.agenda],
        "attendance": attendance_facts(meeting, attendance),
        "minutes": {"chair": _id(minutes.chair), "secretary": minutes.secretary.id,
                    "adjusters": [p.id for p in minutes.adjusters],
                    "adjusted": minutes.adjusted.isoformat() if minutes.adjusted else None,
                    "adjusted_place": minutes.adjusted_place,
                    "posted": minutes.posted.isoformat() if minutes.posted else None},
    }


def attendance_facts(meeting: Meeting, attendance: Attendance) -> dict:
    """Who was there, as the minutes' present list and voting roll say it."""
    found = presence(meeting, attendance)
    return {
        "members": [[m.person.id, came, left] for m, came, left in found.members],
        "serving": [[s.deputy.id, s.member.id, s.from_item, s.to_item] for s in found.serving],
        "deputies": [[m.person.id, came, left] for m, came, left in found.deputies],
        "others": [p.id for p in found.others],
        "guests": [[g.name, g.organisation, g.role] for g in found.guests],
        "absent": [[m.person.id, apologies] for m, apologies in found.absent],
        "voting": [p.id for p in found.roll.voting],
        "quorum": found.roll.quorum,
        "member_count": found.roll.member_count,
    }


def notice_facts(posted: date, organ: Roster | None) -> dict:
    """What the notice of adjustment states, for a posting on `posted`: the last day to appeal, the
    day the notice comes down (not before the appeal period has run out, nor before the organ's
    posting period has) and where the minutes are kept."""
    last_appeal_day = notice_dates.appeal_period(posted)[1]
    posting = organ.posting if organ else notice_dates.APPEAL_PERIOD
    return {"posted": posted.isoformat(), "last_appeal_day": last_appeal_day.isoformat(),
            "taken_down": notice_dates.notice_comes_down(posted, posting).isoformat(),
            "kept_at": organ.minutes_kept_at if organ else ""}


def recorded_notice(facts: dict, manifest: dict, organ: Roster | None, time_zone: str) -> dict:
    """The notice facts of a record: as sealed, or for a record sealed before notices were, worked
    out from its posting date (the day it was sealed when the minutes gave none) and the organ."""
    if "notice" in facts:
        return facts["notice"]
    posted = facts["minutes"]["posted"]
    day = date.fromisoformat(posted) if posted else sealing_day(datetime.fromisoformat(manifest["sealed_at"]), time_zone)
    return notice_facts(day, organ)


def sealing_day(moment: datetime, time_zone: str) -> date:
    """The day a record sealed at `moment` was sealed, where the workspace is."""
    return moment.astimezone(ZoneInfo(time_zone)).date()


# What a correction may cover beyond its § (fields.CORRECTION_COVERS), by the facts' key it takes.
COVERED_FACTS = {"attendance": "attendance", "time": "when", "place": "place"}


def corrected_facts(was: dict, now: dict, paragraphs: tuple[int, ...], covers: tuple[str, ...] = ()) -> dict:
    """The facts `was` with the § numbered `paragraphs`, and the attendance, time or place it
    `covers`, as `now` has them: what a correction of those makes of the record, and nothing else."""
    corrected = {p["number"]: p for p in now["paragraphs"] if p["number"] in paragraphs}
    return {**was, **{COVERED_FACTS[part]: now[COVERED_FACTS[part]] for part in covers},
            "paragraphs": [corrected.get(p["number"], p) for p in was["paragraphs"]]}


def summoned_ids(attendance: dict) -> set[str]:
    """Everyone the facts' present list names as summoned: present, serving, deputies or away."""
    return {row[0] for key in ("members", "serving", "deputies", "absent") for row in attendance[key]}


def canonical_json(value: object) -> bytes:
    """`value` as JSON that is the same bytes whenever the value is the same."""
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _paragraph(number: int, item, decision) -> dict:
    return {
        "number": number, "item": item.number, "title": _text(item.title), "proposal": _text(item.proposal),
        "presenter": _id(item.presenter), "documents": list(item.documents), "notes": _text(item.notes),
        "decision": None if decision is None else {
            "text": _text(decision.text), "adjusters": [p.id for p in decision.adjusters],
            "reservations": [p.id for p in decision.reservations],
            "reservation_reason": _text(decision.reservation_reason), "dispatch": list(decision.dispatch),
            "notes": _text(decision.notes)},
    }


def _text(text: Text) -> dict[str, str]:
    return dict(sorted(text.translations))


def _id(person) -> str | None:
    return person.id if person else None
