"""Attendance files and check-in logs -> Attendance records, and the checks of a meeting's life
after its notice: who may send apologies or serve, whether the adjusters were there, what is
still missing from the minutes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from motesplats import fields as spec
from motesplats.load.toml_files import TomlDocument
from motesplats.meetings import (
    Meeting, chair_of, in_time_order, is_present, meetings_by_key, roll, summoned_members,
)
from motesplats.identifiers import uid_host
from motesplats.model import Attendance, CheckIn, Event, Guest, Member, Partial, Person, Serving, Settings, Source
from motesplats.problems import Problem, Severity
from motesplats.records import notice_dates
from motesplats.suggest import unknown_hint
from motesplats.validate.resolve import Registry
from motesplats.validate.shape import At, conform
from motesplats.workspace import CHECKIN_LOG_SUFFIX


def build_attendance(docs: list[TomlDocument], logs: dict[str, tuple[str, tuple[CheckIn, ...]]],
                     events: list[Event], registry: Registry, all_events_read: bool = True) -> tuple[Attendance, ...]:
    """Every meeting's attendance, from its file in attendance/ and its check-in log (by meeting stem:
    (file shown, entries)); problems go to the registry."""
    by_key = meetings_by_key(events)
    by_stem = {meeting.stem: meeting for meeting in by_key.values()}
    found: dict[str, Attendance] = {}
    for doc in docs:
        at = At(doc, ())
        data = conform(doc.data, spec.ATTENDANCE, at, registry.problems)
        if data is None:
            continue
        meeting = by_key.get(data["meeting"])
        if meeting is None:
            if all_events_read:
                registry.report(at, ("meeting",), f"unknown meeting '{data['meeting']}'",
                                unknown_hint(data["meeting"], by_key, "meeting"))
            continue
        if meeting.key in found:
            registry.report(at, ("meeting",), f"the attendance of '{meeting.key}' is also recorded at "
                            f"{found[meeting.key].source}", "keep one attendance file per meeting")
            continue
        found[meeting.key] = _attendance(data, at, meeting, registry)
    for stem, (shown, entries) in logs.items():
        meeting = by_stem.get(stem)
        if meeting is None:
            if all_events_read:
                registry.problems.append(Problem(shown, 1, f"check-in log for unknown meeting '{stem}'",
                                                 unknown_hint(stem, by_stem, "meeting")))
            continue
        attendance = found.get(meeting.key, Attendance(meeting.key))
        found[meeting.key] = _with_checkins(attendance, entries, meeting, registry)
    return tuple(found[key] for key in sorted(found))


def _attendance(data: dict, at: At, meeting: Meeting, registry: Registry) -> Attendance:
    summoned = summoned_members(meeting)
    items = len(meeting.agenda)

    def summoned_person(person_id: str, where: At, key: tuple) -> Person | None:
        person = registry.resolve(registry.people, person_id, where, key, "person")
        if person is not None and person.id not in summoned:
            registry.report(where, key, f"{person.name} is not summoned to {meeting.key}",
                            "only members and deputies of the rosters summoned send apologies or serve")
            return None
        return person

    def item_number(value: int, where: At, key: str) -> int:
        if not 1 <= value <= max(items, 1):
            registry.report(where, (key,), f"item {value} is not on the agenda of {meeting.key}",
                            f"the agenda has items 1 to {items}")
        return value

    def people(key: str) -> tuple[Person, ...]:
        found = (summoned_person(pid, at, (key,)) for pid in data.get(key, []))
        return tuple(p for p in found if p is not None)

    _report_listed_twice(data, at, registry)
    apologies, absent = people("apologies"), people("absent")
    late = _partials(data, "late", "from_item", at, summoned_person, item_number)
    left = _partials(data, "left", "after_item", at, summoned_person, item_number)
    away = {p.id for p in (*apologies, *absent)}
    for partial in (*late, *left):
        if partial.person.id in away:
            registry.problems.append(Problem(partial.source.file, partial.source.line,
                                             f"{partial.person.name} is listed as away and as there for part of "
                                             "the meeting", "remove them from apologies or absent, or remove "
                                             "this record"))
    came = {p.person.id: p for p in late}
    for partial in left:
        arrived = came.get(partial.person.id)
        if arrived is not None and arrived.item > partial.item:
            registry.problems.append(Problem(partial.source.file, partial.source.line,
                                             f"{partial.person.name} left after item {partial.item} but came at "
                                             f"item {arrived.item}", "check the two item numbers"))
    others = registry.resolve_all(registry.people, data.get("others", []), at, "others", "person")
    attendance = Attendance(meeting.key, apologies, absent, (), late, left, others,
                            tuple(Guest(g["name"], g.get("organisation", ""), g.get("role", ""))
                                  for g in data.get("guest", [])), source=Source(at.doc.path, 1))
    serving = []
    for index, entry in enumerate(data.get("deputy", [])):
        here = at.child("deputy", index)
        deputy = summoned_person(entry["person"], here, ("person",))
        member = summoned_person(entry["for"], here, ("for",))
        first = item_number(entry.get("from_item", 1), here, "from_item")
        last = item_number(entry["to_item"], here, "to_item") if "to_item" in entry else None
        if deputy is None or member is None:
            continue
        candidate = Serving(deputy, member, first, last, Source(here.doc.path, here.line()))
        if _serving_problem(candidate, summoned, attendance, serving, items, here, registry):
            continue
        serving.append(candidate)
    return Attendance(meeting.key, apologies, absent, tuple(serving), late, left, others, attendance.guests,
                      source=attendance.source)


def _report_listed_twice(data: dict, at: At, registry: Registry) -> None:
    """Someone is away with apologies, away without, or among the others present: in one list, once."""
    first_in: dict[str, str] = {}
    for key in ("apologies", "absent", "others"):
        for person_id in data.get(key, []):
            if person_id not in first_in:
                first_in[person_id] = key
                continue
            where = f"twice in {key}" if first_in[person_id] == key else f"in both {first_in[person_id]} and {key}"
            registry.report(at, (key,), f"'{person_id}' is listed {where}", "keep them in one list, once")


def _partials(data: dict, key: str, item_key: str, at: At, summoned_person, item_number) -> tuple[Partial, ...]:
    found = []
    for index, entry in enumerate(data.get(key, [])):
        here = at.child(key, index)
        person = summoned_person(entry["person"], here, ("person",))
        item = item_number(entry[item_key], here, item_key)
        if person is not None:
            found.append(Partial(person, item, Source(here.doc.path, here.line())))
    return tuple(found)


def _serving_problem(candidate: Serving, summoned: dict[str, Member], attendance: Attendance,
                     earlier: list[Serving], items: int, at: At, registry: Registry) -> bool:
    """Report (and return True) when `candidate` cannot serve as written."""
    deputy, member = candidate.deputy, candidate.member
    last = _last_item(candidate, items)
    if not summoned[deputy.id].is_deputy:
        registry.report(at, ("person",), f"{deputy.name} is a member ({summoned[deputy.id].role}), not a deputy",
                        "only a deputy (ersättare) serves for a member")
    elif summoned[member.id].is_deputy:
        registry.report(at, ("for",), f"{member.name} is a deputy; a deputy serves for a member",
                        "name the member (ledamot) who is away")
    elif candidate.to_item is not None and candidate.from_item > candidate.to_item:
        registry.report(at, ("to_item",), f"to_item ({candidate.to_item}) comes before from_item "
                        f"({candidate.from_item})", "swap the two item numbers")
    elif not is_present(deputy.id, attendance):
        registry.report(at, ("person",), f"{deputy.name} sent apologies or is absent, and cannot serve",
                        "call in another deputy: motesplats attendance proposes one")
    else:
        present_at = [item for item in range(candidate.from_item, last + 1)
                      if is_present(member.id, attendance, item)]
        def overlaps(other: Serving) -> bool:
            return other.from_item <= last and candidate.from_item <= _last_item(other, items)

        same_deputy = next((s for s in earlier if s.deputy.id == deputy.id and overlaps(s)), None)
        same_member = next((s for s in earlier if s.member.id == member.id and overlaps(s)), None)
        if present_at:
            registry.report(at, ("for",), f"{member.name} is present at item {present_at[0]}, so no deputy "
                            "serves for them there",
                            "add them to apologies or absent, or record when they came (late) or left")
        elif same_deputy is not None:
            registry.report(at, ("person",), f"{deputy.name} already serves for {same_deputy.member.name} at "
                            f"{same_deputy.source}", "a deputy serves for one member at a time")
        elif same_member is not None:
            registry.report(at, ("for",), f"{same_member.deputy.name} already serves for {member.name} at "
                            f"{same_member.source}", "one deputy serves for a member at a time")
        else:
            return False
    return True


def _last_item(serving: Serving, items: int) -> int:
    """The last item a deputy serves at: without to_item, to the end of the agenda (a from_item
    past its end is reported on its own)."""
    return serving.to_item or max(items, serving.from_item)


def _with_checkins(attendance: Attendance, entries: tuple[CheckIn, ...], meeting: Meeting,
                   registry: Registry) -> Attendance:
    admitted = set(summoned_members(meeting)) | {p.id for p in attendance.others}
    kept = []
    for entry in entries:
        if entry.person_id not in registry.people:
            registry.problems.append(Problem(entry.source.file, entry.source.line,
                                             f"check-in of unknown person '{entry.person_id}'",
                                             unknown_hint(entry.person_id, registry.people, "person")))
        elif entry.person_id not in admitted:
            registry.problems.append(Problem(entry.source.file, entry.source.line,
                                             f"{registry.people[entry.person_id].name} is checked in but not "
                                             f"summoned to {meeting.key}, so not counted",
                                             "add them to others in the attendance file, or delete the line",
                                             Severity.WARNING))
        else:
            kept.append(entry)
    return Attendance(attendance.meeting, attendance.apologies, attendance.absent, attendance.serving,
                      attendance.late, attendance.left, attendance.others, attendance.guests, tuple(kept),
                      checked_in=True, source=attendance.source)


def lifecycle_problems(events: list[Event], attendance: tuple[Attendance, ...], today: date) -> list[Problem]:
    """Adjusters who were not there (errors); minutes with items undecided, meetings not quorate and
    past meetings without minutes (warnings)."""
    recorded = {a.meeting: a for a in attendance}
    problems = []
    for meeting in meetings_by_key(events).values():
        if meeting.status == "cancelled":
            continue
        record = recorded.get(meeting.key, Attendance(meeting.key))
        minutes = meeting.minutes
        where = minutes.source if minutes else (meeting.session or meeting.event).source
        if minutes is not None:
            problems += _minutes_problems(meeting, record)
            undecided = [item.number for item in meeting.agenda if minutes.decision(item.number) is None]
            if undecided:
                problems.append(Problem(where.file, where.line, f"the minutes of {meeting.key} record no "
                                        f"decision for item {', '.join(map(str, undecided))}",
                                        "add the items to as_proposed, or write a [[…decision]] for each",
                                        Severity.WARNING))
        if (minutes is not None or meeting.key in recorded) and meeting.summoned:
            counted = roll(meeting, record)
            if not counted.quorate:
                problems.append(Problem(where.file, where.line, f"{meeting.key} is not quorate: "
                                        f"{len(counted.voting)} of {counted.member_count} members present or "
                                        f"replaced, {counted.quorum} needed",
                                        "call in deputies for members with apologies, or check the attendance",
                                        Severity.WARNING))
        if minutes is None and meeting.end.date() < today:
            problems.append(Problem(where.file, where.line, f"{meeting.key} was held on {meeting.start.date()} "
                                    "but has no minutes", "record them in a [event.session.minutes] table under the session"
                                    if meeting.session else "record them in a [event.minutes] table under the event",
                                    Severity.WARNING))
    return problems


def _minutes_problems(meeting: Meeting, record: Attendance) -> list[Problem]:
    """What the minutes say that cannot be so: an adjuster, the chair or someone reserving who was
    not there, an adjustment before the meeting; and, as a warning, adjusted minutes nobody adjusted,
    and someone the minutes have there who did not check in at the door (the log is the door's, the
    minutes the secretary's: a build never fails on a check-in)."""
    minutes, problems = meeting.minutes, []
    at = minutes.source
    written = replace(record, checkins=(), checked_in=False)  # the attendance file without the log

    def not_there(source: Source, what: str, hint: str, there: Callable[[Attendance], bool]) -> None:
        if not there(written):
            problems.append(Problem(source.file, source.line, what, hint))
            return
        log = f"attendance/{meeting.stem}{CHECKIN_LOG_SUFFIX}"
        problems.append(Problem(source.file, source.line, f"{what}: they did not check in at the door",
                                f"if they were there, add their check-in to {log}; if not, correct the "
                                "minutes", Severity.WARNING))

    for decision in minutes.decisions:
        for person in decision.adjusters:
            if not is_present(person.id, record):
                not_there(decision.source, f"adjuster {person.name} was not at the meeting",
                          "choose adjusters among those present",
                          lambda attendance, person=person: is_present(person.id, attendance))
        voters = {p.id for p in roll(meeting, record, decision.item).voting}
        for person in decision.reservations:
            if person.id not in voters:
                not_there(decision.source, f"{person.name} entered a reservation but was not taking part in the "
                          f"decision on item {decision.item}",
                          "only members present and deputies serving can reserve themselves",
                          lambda attendance, person=person, item=decision.item:
                          person.id in {p.id for p in roll(meeting, attendance, item).voting})
    chair = chair_of(meeting)
    if chair is not None and not is_present(chair.id, record) and chair.id not in {p.id for p in record.others}:
        not_there(at, f"the chair, {chair.name}, was not at the meeting",
                  "name who chaired it: chair = \"…\" under the minutes",
                  lambda attendance: is_present(chair.id, attendance))
    held = meeting.start.date()
    for name, day in (("adjusted", minutes.adjusted), ("posted", minutes.posted)):
        if day is not None and day < held:
            problems.append(Problem(at.file, at.line, f"the minutes are {name} on {day}, before the meeting on {held}",
                                    "check the year and the month"))
    if minutes.adjusted and not minutes.adjusters:
        problems.append(Problem(at.file, at.line, f"the minutes of {meeting.key} are adjusted, but no adjusters "
                                "were chosen", "write adjusters = [\"…\"] on the decision of 'Val av justerare'",
                                Severity.WARNING))
    return problems + _late_adjustment(meeting)


def _late_adjustment(meeting: Meeting) -> list[Problem]:
    """Warnings for minutes adjusted after the organ's limit, or whose adjustment was posted after
    the second day: each last day moved past a closed day, as lag 1930:173 allows."""
    minutes, problems = meeting.minutes, []
    at, held, adjusted, posted = minutes.source, meeting.end.date(), minutes.adjusted, minutes.posted
    limit = meeting.organ.adjustment_limit if meeting.organ else notice_dates.ADJUSTMENT_LIMIT
    if adjusted and adjusted > (last := notice_dates.latest_adjustment(held, limit)):
        problems.append(Problem(at.file, at.line, f"the minutes of {meeting.key} were adjusted "
                                f"{(adjusted - held).days} days after the meeting; the organ's limit is "
                                f"{limit.days} days, so the last day was {last}",
                                "check the date; if it is right, the minutes were adjusted late",
                                Severity.WARNING))
    if adjusted and posted and posted > (last := notice_dates.latest_posting(adjusted)):
        problems.append(Problem(at.file, at.line, f"the notice of adjustment was posted "
                                f"{(posted - adjusted).days} days after the adjustment; KL 8 kap. 12 § wants "
                                f"it by the second day after, here {last}",
                                "check the date; if it is right, the notice was posted late (the appeal "
                                "period runs from the posting all the same)", Severity.WARNING))
    return problems


def paragraph_overlaps(events: list[Event], sealed: frozenset[str] = frozenset()) -> list[Problem]:
    """A meeting whose § numbers fall among those an earlier meeting of the same organ that year
    uses, reported at the later one; not the `sealed` meetings, whose numbers are their records'
    (a meeting overlapping a record is `records.compare.numbers_held`'s to report)."""
    problems, following, taken = [], {}, {}
    for meeting in in_time_order(events):
        if meeting.status == "cancelled" or meeting.organ is None:
            continue
        year_of_organ = (meeting.organ.id, meeting.start.year)
        written = meeting.minutes.first_paragraph if meeting.minutes else None
        start = written or following.get(year_of_organ, 1)
        last = start + len(meeting.agenda) - 1
        earlier = taken.setdefault(year_of_organ, [])
        clash = next(((first, end, key) for first, end, key in earlier if first <= last and start <= end), None)
        if clash and meeting.key not in sealed and clash[2] not in sealed:
            at = meeting.minutes.source if written else (meeting.session or meeting.event).source
            first, end, key = clash
            problems.append(Problem(at.file, at.line, f"§ {max(start, first)} is already used by {key}, which takes "
                                    f"§ {first}–{end}", f"give one of them other numbers: first_paragraph = "
                                    f"{max(e for _, e, _ in earlier) + 1} or more under its minutes, or leave it out"))
        if meeting.agenda:
            earlier.append((start, last, meeting.key))
        following[year_of_organ] = start + len(meeting.agenda)
    return problems


def invitations_due(settings: Settings, events: list[Event], invited: dict[str, frozenset[str]],
                    today: date) -> list[Problem]:
    """Warnings for meetings still to come whose notice was due by their organ's deadline and
    has not been sent to everyone summoned (by the ledger `motesplats invite` keeps)."""
    rules = {rule.organ: rule for rule in settings.deadlines}
    host = uid_host(settings.base_url)
    problems = []
    for meeting in meetings_by_key(events).values():
        rule = rules.get(meeting.organ.id) if meeting.organ else None
        if rule is None or rule.notice is None or meeting.status == "cancelled":
            continue
        due = (meeting.start - rule.notice).date()
        if not due <= today < meeting.start.date():
            continue
        sent = invited.get(f"{meeting.uid_key}@{host}", frozenset())
        addressed = [m.person for m in summoned_members(meeting).values() if m.person.email]
        missing = [person for person in addressed if person.id not in sent]
        if missing:
            where = (meeting.session or meeting.event).source
            problems.append(Problem(where.file, where.line, f"the notice of {meeting.key} was due on {due}, but "
                                    f"{len(missing)} of {len(addressed)} summoned have no invitation",
                                    f"run motesplats invite {meeting.key}", Severity.WARNING))
    return problems
