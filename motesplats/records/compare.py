"""Holding the data to the records: § numbers frozen, later check-ins set aside, and every fact the
data now states otherwise reported where it was edited.

`check` (and so the editor's save, `build` and every command) runs these over the events and the
attendance it has just resolved. An edit that contradicts a record is an error at its own line,
naming the record and the two ways out; a check-in logged after the seal is only a warning.
"""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime

from motesplats.meetings import Meeting, first_paragraphs_of, in_time_order, meetings_by_key
from motesplats.model import Attendance, Correction, Event, Source
from motesplats.problems import Problem, Severity
from motesplats.records.facts import COVERED_FACTS, canonical_json, meeting_facts, summoned_ids
from motesplats.records.folder import Record

WAYS_OUT = ("undo the edit: the record stands as adjusted; a correction (rättelse), sealed beside it, "
            "corrects what a § of the minutes says, the attendance, the time or the place "
            "([[…minutes.correction]] naming the § or covering the rest)")

# What a correction covering the attendance, time or place says, in the lines a hint proposes.
_COVERED_TEXT = {"attendance": "Närvarolistan ska lyda …", "time": "Sammanträdet hölls …",
                 "place": "Sammanträdet hölls i …"}


def correction_way_out(meeting: Meeting, corrected: int | str) -> str:
    """The two ways out of an edit of § `corrected` (a number) or of the attendance, time or place
    (one of fields.CORRECTION_COVERS), the second as the lines to add to the data."""
    table = "event.minutes" if meeting.session is None else "event.session.minutes"
    names = (f"paragraphs = [{corrected}]", 'text = "Beslutet under § %d ska lyda …"' % corrected) \
        if isinstance(corrected, int) else (f'covers = ["{corrected}"]', f'text = "{_COVERED_TEXT[corrected]}"')
    lines = (f"[[{table}.correction]]", "adjusted = YYYY-MM-DD", *names)
    return ("undo the edit; or, if the minutes were wrong, record a correction (rättelse), sealed beside the record "
            "by the next build: add under the meeting's minutes the lines " + ", ".join(f"'{line}'" for line in lines))


def with_frozen_numbers(events: tuple[Event, ...],
                        records: dict[str, Record]) -> tuple[tuple[Event, ...], list[Problem]]:
    """`events` with each sealed meeting's first § as its record has it, so that later meetings
    continue from the record's numbers whatever earlier meetings do; and an error where the data
    writes another first_paragraph for a sealed meeting."""
    changed, problems = [], []
    for event in events:
        for meeting in meetings_by_key((event,)).values():
            record = records.get(meeting.key)
            minutes = meeting.minutes
            if record is None or minutes is None:
                continue
            written = minutes.first_paragraph
            if written is not None and written != record.first_paragraph:
                where = minutes.source or _source(meeting)
                problems.append(Problem(where.file, where.line, f"the § numbers of {meeting.key} start at § {written}, "
                                        f"but its sealed record {record.shown} starts at § {record.first_paragraph}",
                                        WAYS_OUT))
            frozen = dataclasses.replace(minutes, first_paragraph=record.first_paragraph)
            if meeting.session is None:
                event = dataclasses.replace(event, minutes=frozen)
            else:
                sessions = tuple(dataclasses.replace(s, minutes=frozen) if s.id == meeting.session.id else s
                                 for s in event.sessions)
                event = dataclasses.replace(event, sessions=sessions)
        changed.append(event)
    return tuple(changed), problems


def numbers_held(events: tuple[Event, ...], records: dict[str, Record]) -> list[Problem]:
    """An error at each meeting not sealed whose § numbers, as they run on through its organ's year
    (`events` with the records' numbers frozen), are numbers a sealed record of that organ and year
    holds: a meeting added or moved before a sealed one, or one between two whose agenda outgrows the gap.
    The record's numbers never move, so the ways out are the meeting's."""
    firsts = first_paragraphs_of(events)
    held: dict[tuple[str, int], list[tuple[int, int, str, Record]]] = {}  # (organ, year) -> § spans
    for key, record in records.items():
        numbers = [paragraph["number"] for paragraph in record.facts["paragraphs"]]
        organ, year = record.folder.parent.parent.name, int(record.folder.parent.name)
        held.setdefault((organ, year), []).append((numbers[0], numbers[-1], key, record))
    ordered = [m for m in in_time_order(events) if m.key in firsts and m.agenda]
    problems = []
    for meeting in ordered:
        year_of_organ = (meeting.organ.id, meeting.start.year)
        first = firsts[meeting.key]
        last = first + len(meeting.agenda) - 1
        taken = [(low, high, record) for low, high, key, record in sorted(held.get(year_of_organ, []))
                 if low <= last and first <= high]
        if meeting.key in records or not taken:
            continue
        same_year = [m for m in ordered if (m.organ.id, m.start.year) == year_of_organ]
        free = max([high + 1 for _, high, _, _ in held[year_of_organ]]
                   + [firsts[m.key] + len(m.agenda) for m in same_year if m.key != meeting.key])
        last_sealed = max(held[year_of_organ], key=lambda span: span[:2])[2]
        written = meeting.minutes is not None and meeting.minutes.first_paragraph is not None
        where = meeting.minutes.source if written and meeting.minutes.source else _source(meeting)
        table = "[event.minutes]" if meeting.session is None else "[event.session.minutes]"
        problems.append(Problem(where.file, where.line,
                                f"{meeting.key} would take {_span(first, last)}, numbers sealed minutes already "
                                "hold: " + "; ".join(f"{_span(max(first, low), min(last, high))} in the record "
                                                     f"{record.shown} (its {_span(low, high)})"
                                                     for low, high, record in taken),
                                f"the § numbers of sealed minutes never move: give {meeting.key} numbers no other "
                                f"meeting of {meeting.organ.id} in {meeting.start.year} takes, with "
                                f"'first_paragraph = {free}' under its minutes ({table}, with its secretary); "
                                f"or move it after {last_sealed}, the last sealed, so that it continues from its "
                                f"record; or, if it belongs to another year or organ, correct its date or "
                                f"whom it summons"))
    return problems


def _span(first: int, last: int) -> str:
    return f"§ {first}" if first == last else f"§ {first}–{last}"


def as_sealed(attendance: tuple[Attendance, ...], records: dict[str, Record],
              events: tuple[Event, ...]) -> tuple[tuple[Attendance, ...], list[Problem]]:
    """The attendance with check-ins logged after a meeting was sealed set aside (they change nothing
    in its record), and a warning for each that says otherwise than the record: someone checked in
    whom the record has as away."""
    by_key = meetings_by_key(events)
    kept, problems = [], []
    for entry in attendance:
        record = records.get(entry.meeting)
        if record is None or not entry.checkins:
            kept.append(entry)
            continue
        sealed_at = datetime.fromisoformat(record.manifest["sealed_at"])
        before = tuple(c for c in entry.checkins if c.at <= sealed_at)
        away = {row[0] for row in record.newest_facts["attendance"]["absent"]}
        if by_key.get(entry.meeting) is not None:
            for later in entry.checkins:
                if later.at > sealed_at and later.person_id in away:
                    problems.append(Problem(later.source.file, later.source.line,
                                            f"{later.person_id} checked in after the minutes of {entry.meeting} "
                                            f"were sealed ({record.shown}), which record them as away",
                                            "the record stands as adjusted and a check-in logged since changes "
                                            "nothing in it; if they were there, write so in the attendance file "
                                            "and record a correction (rättelse) covering the attendance "
                                            "(covers = [\"attendance\"])", Severity.WARNING))
        kept.append(dataclasses.replace(entry, checkins=before, checked_in=bool(before)))
    return tuple(kept), problems


def differences(records: dict[str, Record], events: tuple[Event, ...], attendance: tuple[Attendance, ...],
                all_events_read: bool = True) -> list[Problem]:
    """Every fact a sealed record states that the data now states otherwise, at the line edited.
    Without `all_events_read` (an events file could not be read), a meeting not found is not reported."""
    by_key = meetings_by_key(events)
    recorded = {a.meeting: a for a in attendance}
    problems: list[Problem] = []
    for key, record in sorted(records.items()):
        meeting = by_key.get(key)
        if meeting is None and not all_events_read:
            continue
        if meeting is None or meeting.status == "cancelled" or meeting.minutes is None:
            what = "is no longer in the events" if meeting is None else \
                "is cancelled" if meeting.status == "cancelled" else "has no minutes"
            where = _source(meeting) if meeting is not None else Source(f"{record.shown}/facts.json", 1)
            problems.append(Problem(where.file, where.line, f"{key} {what}, but its minutes are sealed in "
                                    f"{record.shown}", WAYS_OUT))
            continue
        now = json.loads(canonical_json(meeting_facts(meeting, recorded.get(key, Attendance(key)),
                                                      record.first_paragraph)))
        pending = record.not_sealed(meeting.minutes.corrections)
        covered = {part for correction in pending for part in (*correction.paragraphs, *correction.covers)}
        problems += _compared(record, meeting, record.newest_facts, now, recorded.get(key), frozenset(covered))
        problems += _correction_problems(record, meeting, now, pending)
    for key, meeting in sorted(by_key.items()):
        if key not in records and meeting.minutes is not None:
            problems += [Problem(c.source.file, c.source.line, f"a correction (rättelse) of the minutes of {key}, "
                                 "which have no sealed record to correct", "remove it and edit the minutes: "
                                 "they are sealed as the data says them by the next build")
                         for c in meeting.minutes.corrections if c.source is not None]
    return problems


def _correction_problems(record: Record, meeting: Meeting, now: dict,
                         pending: tuple[Correction, ...]) -> list[Problem]:
    """The data's corrections held to the record: each names § of the meeting; one not yet sealed
    comes after those sealed and changes what it names; one sealed says what was sealed."""
    problems = []
    numbers = [p["number"] for p in record.facts["paragraphs"]]
    newest = record.newest_facts
    was = {p["number"]: p for p in newest["paragraphs"]}
    changed: set[int | str] = {p["number"] for p in now["paragraphs"] if was.get(p["number"]) not in (None, p)}
    changed |= {part for part, key in COVERED_FACTS.items()
                if (_people_change(newest[key], now[key]) if part == "attendance" else newest[key] != now[key])}
    sealed = {c.corrects["adjusted"]: c for c in record.corrections}
    for correction in meeting.minutes.corrections:
        where = correction.source or meeting.minutes.source or _source(meeting)
        problems += [Problem(where.file, where.line, message, hint)
                     for message, hint in _correction_mistakes(meeting.key, correction, numbers, changed, sealed, correction in pending)]
    return problems


def _correction_mistakes(key: str, correction: Correction, numbers: list[int], changed: set[int | str],
                         sealed: dict[str, Record], pending: bool) -> list[tuple[str, str]]:
    """What is wrong with one correction of the data (message, hint): § outside the meeting `key`
    (whose § are `numbers`); if `pending`, dated before one `sealed` or naming a § or covering an
    attendance, time or place the data has not `changed`; else saying otherwise than its sealed folder."""
    day = correction.adjusted.isoformat()
    outside = [n for n in correction.paragraphs if n not in numbers]
    if outside:
        return [(f"the correction of {day} names § {', '.join(map(str, outside))}, not a § of {key} "
                 f"(§ {numbers[0]}–{numbers[-1]})", "name the § numbers of the minutes it corrects")]
    if not pending:
        entry = sealed[day].corrects
        if (list(correction.paragraphs), list(correction.covers), dict(sorted(correction.text.translations)),
                [p.id for p in correction.adjusters]) != (entry["paragraphs"], entry.get("covers", []), entry["text"],
                                                          entry["adjusters"]):
            return [(f"the correction of {day} differs from the one sealed in {sealed[day].shown}",
                     "undo the edit: a sealed correction stands; record a new one beside it")]
        return []
    last = max(sealed, default="")
    found = [(f"the correction of {day} is dated before the one sealed in {sealed[last].shown}",
              f"a new correction is adjusted on {last} or later")] if day < last else []
    found += [(f"the correction of {day} names § {number}, which says what its record says",
               f"write the corrected § {number} in the data, or leave § {number} out of the correction")
              for number in correction.paragraphs if number not in changed]
    return found + [(f"the correction of {day} covers the {part}, which the data states as its record does",
                     f"write the corrected {part} in the data" + (" (the meeting's attendance file)" if part == "attendance"
                                                                 else "") + f', or leave "{part}" out of covers')
                    for part in correction.covers if part not in changed]


def _compared(record: Record, meeting: Meeting, was: dict, now: dict, attendance: Attendance | None,
              covered: frozenset[int | str]) -> list[Problem]:
    """Every fact the facts `was` state otherwise than `now`, save in § and the attendance, time or
    place a pending correction `covered`."""
    found: list[tuple[Source, str, int | str | None]] = []
    at_meeting, minutes_at = _source(meeting), meeting.minutes.source or _source(meeting)
    for part, what, corrected in (("title", "the title", None), ("when", "the time", "time")):
        if was[part] != now[part]:
            found.append((at_meeting, f"{what} ({_shown(was[part])} → {_shown(now[part])})", corrected))
    if was["place"] != now["place"]:
        venue = meeting.venue
        where = venue.source if venue and venue.source and was["place"]["venue"] == venue.id else at_meeting
        found.append((where, f"the place ({was['place']['text']!r} → {now['place']['text']!r})", "place"))
    found += _paragraphs(meeting, was["paragraphs"], now["paragraphs"], at_meeting, minutes_at)
    changed = _people_change(was["attendance"], now["attendance"])
    if changed:
        where = attendance.source if attendance is not None and attendance.source else minutes_at
        found.append((where, f"the attendance ({changed})", "attendance"))
    for name, value in sorted(was["minutes"].items()):
        if name == "chair" and meeting.minutes.chair is None:
            continue  # the organ's chair then, whoever chairs it now
        if name == "posted" and value is None and now["minutes"][name] == record.facts.get("notice", {}).get("posted"):
            continue  # the notice went up the day it was sealed; the data now says so too
        if value != now["minutes"][name]:
            found.append((minutes_at, f"{name.replace('_', ' ')} ({_shown(value)} → {_shown(now['minutes'][name])})",
                          None))
    return [Problem(where.file, where.line, f"{what} of {meeting.key} differs from its sealed {_sealed_as(record)}",
                    WAYS_OUT if corrected is None else correction_way_out(meeting, corrected))
            for where, what, corrected in found if corrected not in covered]


def _sealed_as(record: Record) -> str:
    """'record records/…', or with corrections sealed 'record records/… as corrected in records/….rattelse-…'."""
    return f"record {record.shown}" + (f" as corrected in {record.corrections[-1].shown}" if record.corrections else "")


def _paragraphs(meeting: Meeting, was: list, now: list, at_meeting: Source, minutes_at: Source):
    found = []
    decisions = {d.item: d for d in meeting.minutes.decisions}
    for index in range(max(len(was), len(now))):
        old = was[index] if index < len(was) else None
        new = now[index] if index < len(now) else None
        item = meeting.agenda[index] if index < len(meeting.agenda) else None
        if old == new:
            continue
        if old is None:
            found.append((item.source or at_meeting, f"item {new['item']} ({_title(new)}), not in the record,", None))
        elif new is None:
            found.append((at_meeting, f"§ {old['number']} ({_title(old)}), no longer on the agenda,", None))
        elif {k: v for k, v in old.items() if k != "decision"} != {k: v for k, v in new.items() if k != "decision"}:
            label = f"§ {old['number']} ({_title(old)})" + ("" if _title(old) == _title(new) else f" → ({_title(new)})")
            found.append((item.source or at_meeting, label, old["number"]))
        else:
            decision = decisions.get(new["item"])
            found.append(((decision.source if decision and decision.source else minutes_at),
                          f"the decision under § {old['number']} ({_title(old)})", old["number"]))
    return found


def _people_change(was: dict, now: dict) -> str:
    """How who was there differs, for the people summoned then and now (a roster that has changed
    since is today's roster, not a new fact about the meeting): '' when it does not."""
    old, new = _statuses(was), _statuses(now)
    both = summoned_ids(was) & summoned_ids(now)
    changes = [f"{person}: {old[person]} → {new[person]}"
               for person in sorted(both) if old[person] != new[person]]
    for key in ("others", "guests"):
        if was[key] != now[key]:
            changes.append(f"{key} {len(was[key])} → {len(now[key])}")
    return "; ".join(changes)


def _statuses(attendance: dict) -> dict[str, str]:
    """Each person summoned, in words: present (with the items they came and left at), serving
    for whom (from and to which item), or away (with or without apologies)."""
    def present(came, left) -> str:
        return "present" + (f" from item {came}" if came else "") + (f" until item {left}" if left else "")

    found = {row[0]: present(*row[1:]) for key in ("members", "deputies") for row in attendance[key]}
    found |= {deputy: f"serving for {member}" + (f" from item {start}" if start and start > 1 else "")
              + (f" until item {end}" if end else "") for deputy, member, start, end in attendance["serving"]}
    found |= {person: "away " + ("with" if apologies else "without") + " apologies"
              for person, apologies in attendance["absent"]}
    return found


def _title(paragraph: dict) -> str:
    titles = paragraph["title"]
    return repr(next(iter(titles.values()), "")) if titles else "''"


def _shown(value) -> str:
    if isinstance(value, dict):
        return ", ".join(str(v) for v in value.values())
    return repr(value) if isinstance(value, str) else str(value) if value is not None else "none"


def _source(meeting: Meeting) -> Source:
    owner = meeting.session or meeting.event
    return owner.source or Source("events", 1)
