"""Calendar feeds: the named feeds of calendars/ and one personal feed per person, as .ics files.

Subscribers' apps only show a change when the entry's SEQUENCE rises and its DTSTAMP moves, and
only drop an entry when they see it cancelled. So each entry's state (content fingerprint,
sequence, stamp, the feeds it was in) is kept in a small committed file between builds: unchanged
entries keep their sequence and stamp, so unchanged feeds come out byte for byte the same.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

import ics
from ics.grammar.parse import Container, ContentLine

from motesplats import __version__
from motesplats.identifiers import unguessable
from motesplats.model import Feed, Leg, Person, Plan
from motesplats.render import icalendar_text as ical
from motesplats.render.feed_entries import Entry, Part, entry, feed_parts, personal_parts, uid_domain
from motesplats.render.labels import label

STATE_VERSION = 1
PERSONAL_FOLDER = "calendars/personal"
PRODID = f"-//motesplats//motesplats {__version__}//EN"
PERSONAL_REFRESH = timedelta(hours=6)


@dataclass(frozen=True)
class FeedOutput:
    files: dict[str, bytes]  # path under build/ -> bytes
    state: dict              # the new sequence state, to be saved as the workspace's SEQUENCE_FILE


@dataclass(frozen=True)
class FeedFile:
    """One .ics file to write: a named feed or a person's own, with what it holds."""

    path: str                    # under build/
    key: str                     # in the sequence state: feed:ID or person:ID
    parts: tuple[Part, ...]
    language: str
    name: str
    description: str
    refresh: timedelta
    alarms: tuple[timedelta, ...]
    private: bool                # a personal feed: it may show a journey's booking reference
    source: str                  # its public address
    handed_over: tuple[Part, ...] = ()  # left out: the person has the meeting as an invitation


def feed_path(feed: Feed, secret: bytes) -> str:
    """Where a feed is published: by its id when public, else under a name only the secret gives."""
    if feed.public:
        return public_feed_path(feed)
    return f"calendars/{feed.id}-{unguessable(secret, 'feed:' + feed.id)}.ics"


def public_feed_path(feed: Feed) -> str:
    return f"calendars/{feed.id}.ics"


def webcal(url: str) -> str:
    """The webcal:// form of a feed's address, which calendar apps open as a subscription."""
    return "webcal://" + url.split("://", 1)[1]


def personal_token(secret: bytes, person_id: str) -> str:
    """An unguessable, stable name for a person's feed; a new secret revokes every old link."""
    return unguessable(secret, person_id)


def personal_path(secret: bytes, person_id: str) -> str:
    return f"{PERSONAL_FOLDER}/{personal_token(secret, person_id)}.ics"


def feed_files(plan: Plan, secret: bytes) -> list[FeedFile]:
    """Every feed file of the plan: the named feeds of calendars/, then one per person."""
    files = []
    base = plan.settings.base_url
    for feed in plan.feeds:
        path = feed_path(feed, secret)
        files.append(FeedFile(
            path, f"feed:{feed.id}", tuple(feed_parts(plan, feed)), feed.language,
            feed.name.get(feed.language, plan.settings.language),
            feed.description.get(feed.language, plan.settings.language),
            feed.refresh, feed.alarms, False, f"{base}/{path}"))
    personal = personal_parts(plan)
    domain = uid_domain(plan)
    for person in plan.people:
        language = language_of(person, plan)
        path = personal_path(secret, person.id)
        own, invited = [], []
        for part in personal[person.id]:
            (invited if person.id in plan.invited.get(f"{part.uid_key}@{domain}", ()) else own).append(part)
        files.append(FeedFile(
            path, f"person:{person.id}", tuple(own), language,
            f"{label('my schedule', language)}: {plan.settings.organisation}",
            label("my schedule for", language).format(name=person.name, organisation=plan.settings.organisation),
            PERSONAL_REFRESH, (), True, f"{base}/{path}", tuple(invited)))
    return files


def shown_languages(plan: Plan) -> tuple[str, ...]:
    """The workspace's languages that some feed shows: only changes in these raise a SEQUENCE."""
    shown = {feed.language for feed in plan.feeds} | {language_of(person, plan) for person in plan.people}
    return tuple(code for code in plan.settings.languages if code in shown) or (plan.settings.language,)


def render(plan: Plan, state: dict, now: datetime, secret: bytes) -> FeedOutput:
    """Every feed's .ics bytes, and the updated sequence state, all at once and without a cache."""
    files = feed_files(plan, secret)
    ledger = Ledger(state, plan, now, EntryMemory(plan))
    ledger.record(files)
    return FeedOutput({file.path: calendar(plan, ledger, file) for file in files}, ledger.state)


def language_of(person: Person, plan: Plan) -> str:
    """The language of a person's own feed: their first that the workspace has."""
    return next((code for code in person.languages if code in plan.settings.languages), plan.settings.language)


# --- what each entry says, worked out once ------------------------------------------------

class EntryStore(Protocol):
    """Where an EntryMemory keeps its records, grouped by event (a build keeps them on disk)."""

    def get(self, event_id: str, key: str) -> list | None: ...

    def keep(self, event_id: str, key: str) -> None:
        """Note that `key` is still wanted, without reading it."""

    def put(self, event_id: str, key: str, record: list) -> None: ...


class _Records:
    """An EntryStore in memory, for one build."""

    def __init__(self) -> None:
        self.records: dict[tuple[str, str], list] = {}

    def get(self, event_id: str, key: str) -> list | None:
        return self.records.get((event_id, key))

    def keep(self, event_id: str, key: str) -> None:
        pass

    def put(self, event_id: str, key: str, record: list) -> None:
        self.records[(event_id, key)] = record


class EntryMemory:
    """Each entry's fingerprint and VEVENT text, computed once however many feeds hold it.

    Records are keyed by `part_key(part)`; when that is a digest of the part's content and the
    store outlives the build, an unchanged entry is never rendered again, and one changed
    entry costs one VEVENT, not four thousand.
    """

    def __init__(self, plan: Plan, store: EntryStore | None = None, part_key: Callable[[Part], str] | None = None):
        self.domain = uid_domain(plan)
        self.base_url = plan.settings.base_url
        self.store = store or _Records()
        self._part_key = part_key or (lambda part: part.uid_key)
        self._part_keys: dict[int, tuple[Part, str]] = {}

    def part_key(self, part: Part) -> str:
        """The key of `part`'s records, worked out once per part however many feeds hold it."""
        known = self._part_keys.get(id(part))
        if known is not None and known[0] is part:
            return known[1]
        key = self._part_key(part)
        self._part_keys[id(part)] = (part, key)
        return key

    def describe(self, part: Part, languages: tuple[str, ...]) -> tuple[str, dict]:
        """The fingerprint of what the entry says in `languages`, and the snapshot kept for a cancellation."""
        key = f"d|{self.part_key(part)}|{','.join(languages)}"
        found = self.store.get(part.event.id, key)
        if found is None:
            variants = {language: entry(part, language, self.domain, True, self.base_url) for language in languages}
            fingerprint = hashlib.sha256(repr(sorted(variants.items())).encode()).hexdigest()[:20]
            some = next(iter(variants.values()))
            snapshot = {"summary": {language: e.summary for language, e in variants.items()},
                        "start": _moment_text(some.start), "end": _moment_text(some.end)}
            found = [fingerprint, snapshot]
            self.store.put(part.event.id, key, found)
        return found[0], found[1]

    def text_key(self, part: Part, language: str, alarms: tuple[timedelta, ...], private: bool,
                 known: dict) -> str:
        """What one VEVENT's text depends on, as a string (also part of a feed file's fingerprint)."""
        private = _shows_booking(part, private)
        minutes = ",".join([str(int(before.total_seconds())) for before in alarms]) if alarms else ""
        key = f"t|{self.part_key(part)}|{language}|{minutes}|{int(private)}|{known['sequence']}|{known['stamp']}"
        self.store.keep(part.event.id, key)
        return key

    def text(self, part: Part, uid: str, language: str, alarms: tuple[timedelta, ...], private: bool,
             known: dict) -> tuple[str, list]:
        """The VEVENT of `part` and the [zone, year] pairs its times fall in."""
        key = self.text_key(part, language, alarms, private, known)
        found = self.store.get(part.event.id, key)
        if found is None:
            item = entry(part, language, self.domain, _shows_booking(part, private), self.base_url)
            found = [vevent_text(item, known["sequence"], known["stamp"], alarms), _zone_years(item.start, item.end)]
            self.store.put(part.event.id, key, found)
        return found[0], found[1]


def _shows_booking(part: Part, private: bool) -> bool:
    """Only a journey's booking reference differs between a personal and a shared copy."""
    return private and isinstance(part.item, Leg) and bool(part.item.booking)


# --- sequence state -------------------------------------------------------------------------

class Ledger:
    """What each entry was last time: fingerprint, sequence, stamp, and the feeds it was in."""

    def __init__(self, state: dict, plan: Plan, now: datetime, memory: EntryMemory):
        self.entries: dict[str, dict] = dict(state.get("entries", {})) if state.get("version") == STATE_VERSION else {}
        self.plan, self.memory, self.domain = plan, memory, memory.domain
        # An entry's fingerprint covers the languages some feed shows it in: a change nobody can
        # see does not make every subscriber's app fetch it again.
        self.languages = shown_languages(plan)
        self.stamp = ical.utc_stamp(now)
        self.today = now.astimezone(timezone.utc).date()
        self.keep = plan.settings.keep_removed
        self._gone: dict[str, list[tuple[str, dict]]] | None = None
        self._text_keys: dict[tuple, str] = {}

    @property
    def state(self) -> dict:
        return {"version": STATE_VERSION, "entries": dict(sorted(self.entries.items()))}

    def uid(self, part: Part) -> str:
        return f"{part.uid_key}@{self.domain}"

    def record(self, files: list[FeedFile]) -> None:
        """Update every entry's state from what each feed file holds now."""
        present: dict[str, set[str]] = {}
        handed: dict[str, set[str]] = {}
        parts: dict[str, Part] = {}
        for file in files:
            for part in file.parts:
                uid = self.uid(part)
                parts[uid] = part
                present.setdefault(uid, set()).add(file.key)
            for part in file.handed_over:
                uid = self.uid(part)
                parts.setdefault(uid, part)
                handed.setdefault(uid, set()).add(file.key)
        for uid, part in parts.items():
            self._update(uid, part, present.get(uid, set()), handed.get(uid, set()))
        for uid in [uid for uid in self.entries if uid not in parts]:
            self._retire(uid)

    def _update(self, uid: str, part: Part, keys: set[str], handed: set[str]) -> None:
        """`keys`: the feeds holding the entry; `handed`: personal feeds it left for an invitation
        (gone from them without a cancellation, which could cancel the invitation's copy)."""
        fingerprint, snapshot = self.memory.describe(part, self.languages)
        known = self.entries.get(uid)
        if known is None:
            known = {"sequence": 0, "stamp": self.stamp, "fingerprint": fingerprint, "feeds": {}}
        elif known["fingerprint"] != fingerprint:
            known = {**known, "sequence": known["sequence"] + 1, "stamp": self.stamp, "fingerprint": fingerprint}
        if any(known["feeds"].get(key) for key in keys):
            # Back in a feed that shows it cancelled (at sequence + 1): only a higher sequence
            # makes subscribers' apps take the live entry over the cancellation.
            known = {**known, "sequence": known["sequence"] + 2, "stamp": self.stamp}
        feeds = {key: since for key, since in known["feeds"].items() if since and not self._expired(since)}
        for key, since in known["feeds"].items():
            if not since and key not in keys:
                feeds[key] = self.today.isoformat()  # left this feed today: kept there as cancelled
        feeds |= {key: "" for key in keys}
        for key in handed:
            feeds.pop(key, None)
        self.entries[uid] = {**known, "feeds": dict(sorted(feeds.items())), "snapshot": snapshot}

    def _retire(self, uid: str) -> None:
        """An entry no longer in the data: cancelled everywhere it was, until the keeping period ends."""
        known = self.entries[uid]
        if known["fingerprint"] != "removed":
            known = {**known, "sequence": known["sequence"] + 1, "stamp": self.stamp, "fingerprint": "removed"}
        feeds = {key: since or self.today.isoformat() for key, since in known["feeds"].items()}
        feeds = {key: since for key, since in feeds.items() if not self._expired(since)}
        if feeds:
            self.entries[uid] = {**known, "feeds": feeds}
        else:
            del self.entries[uid]

    def _expired(self, since: str) -> bool:
        return self.today - date.fromisoformat(since) > self.keep

    def text_key(self, uid: str, part: Part, file: FeedFile) -> str:
        """The text key of `part`'s VEVENT in `file`, worked out once per entry and kind of feed."""
        memo = (uid, file.language, file.alarms, file.private)
        found = self._text_keys.get(memo)
        if found is None:
            found = self._text_keys[memo] = self.memory.text_key(part, file.language, file.alarms, file.private,
                                                                 self.entries[uid])
        return found

    def gone_from(self, key: str) -> list[tuple[str, dict]]:
        """Entries shown in feed `key` as cancelled: removed from the data, or moved out of the feed."""
        if self._gone is None:  # one pass over the ledger for all feeds, not one per feed
            self._gone = {}
            for uid, known in self.entries.items():
                for feed_key, since in known["feeds"].items():
                    if since:
                        self._gone.setdefault(feed_key, []).append((uid, known))
        return self._gone.get(key, [])


def _moment_text(moment: datetime | date) -> str:
    if isinstance(moment, datetime):
        return f"{moment:%Y-%m-%dT%H:%M:%S} {moment.tzinfo.key}"
    return moment.isoformat()


def _moment_from_text(text: str) -> datetime | date:
    if " " in text:
        wall, zone_name = text.split(" ", 1)
        return datetime.fromisoformat(wall).replace(tzinfo=ZoneInfo(zone_name))
    return date.fromisoformat(text)


# --- iCalendar ------------------------------------------------------------------------------

def file_fingerprint(plan: Plan, ledger: Ledger, file: FeedFile) -> str:
    """Everything the bytes of `file` depend on, digested: when it is unchanged, so is the file."""
    keys = [ledger.text_key(uid, part, file) for uid, part in _distinct(ledger, file.parts)]
    gone = [f"{uid}:{json.dumps(known, sort_keys=True)}" for uid, known in ledger.gone_from(file.key)]
    header = (file.path, file.language, file.name, file.description, file.refresh, file.source,
              plan.settings.base_url, plan.settings.time_zone, ledger.today.year, ",".join(map(str, file.alarms)))
    return hashlib.sha256("\n".join(map(str, (*header, *keys, *gone))).encode("utf-8", "surrogatepass")).hexdigest()[:32]


def calendar(plan: Plan, ledger: Ledger, file: FeedFile) -> bytes:
    """The .ics bytes of one feed file, after `ledger.record` has seen every file."""
    events: list[str] = []
    zone_years: list = []
    seen: set[str] = set()
    for uid, part in _distinct(ledger, file.parts):
        seen.add(uid)
        text, found = ledger.memory.text(part, uid, file.language, file.alarms, file.private, ledger.entries[uid])
        events.append(text)
        zone_years += found
    for uid, known in ledger.gone_from(file.key):
        if uid not in seen:
            text, found = _cancelled(uid, known, file.language)
            events.append(text)
            zone_years += found
    # The workspace's own zone is always there: X-WR-TIMEZONE names it, and a calendar needs
    # at least one component even when a person has nothing planned yet.
    years: dict[str, set[int]] = {}
    for zone_name, year in zone_years:
        years.setdefault(zone_name, set()).add(year)
    years.setdefault(plan.settings.time_zone, {ledger.today.year})
    zones = [_vtimezone_text(zone_name, min(found), max(found)) for zone_name, found in sorted(years.items())]
    return ical.serialize(_header(plan, file), zones + events).encode()


def _distinct(ledger: Ledger, parts: tuple[Part, ...]):
    seen: set[str] = set()
    for part in parts:
        uid = ledger.uid(part)
        if uid not in seen:
            seen.add(uid)
            yield uid, part


def _header(plan: Plan, file: FeedFile) -> Container:
    refresh_text = ical.duration_value(file.refresh)
    lines = [
        ContentLine("VERSION", {}, "2.0"),
        ContentLine("PRODID", {}, ical.text_value(PRODID)),
        ContentLine("CALSCALE", {}, "GREGORIAN"),
        ContentLine("NAME", {}, ical.text_value(file.name)),
        ContentLine("X-WR-CALNAME", {}, ical.text_value(file.name)),
        ContentLine("DESCRIPTION", {}, ical.text_value(file.description)),
        ContentLine("X-WR-CALDESC", {}, ical.text_value(file.description)),
        ContentLine("X-WR-TIMEZONE", {}, plan.settings.time_zone),
        ContentLine("REFRESH-INTERVAL", {"VALUE": ["DURATION"]}, refresh_text),
        ContentLine("X-PUBLISHED-TTL", {}, refresh_text),
        ContentLine("SOURCE", {"VALUE": ["URI"]}, file.source),
        ContentLine("URL", {"VALUE": ["URI"]}, f"{plan.settings.base_url}/"),
    ]
    return Container("VCALENDAR", *lines)


def _cancelled(uid: str, known: dict, language: str) -> tuple[str, list]:
    summaries = known["snapshot"]["summary"]
    summary = summaries.get(language) or next(iter(summaries.values()))
    start, end = (_moment_from_text(known["snapshot"][key]) for key in ("start", "end"))
    moved_out = known["fingerprint"] != "removed"  # still in the data, no longer in this feed
    sequence = known["sequence"] + (1 if moved_out else 0)
    item = Entry(uid, summary, start, end, "CANCELLED")
    return vevent_text(item, sequence, known["stamp"], ()), _zone_years(start, end)


def vevent_text(item: Entry, sequence: int, stamp: str, alarms: tuple[timedelta, ...]) -> str:
    """One VEVENT: text properties from the `ics` package, the rest added where it falls short."""
    event = ics.Event(name=ical.clean_text(item.summary), uid=item.uid,
                      description=ical.clean_text(item.description) or None,
                      location=ical.clean_text(item.location) or None)
    event.status = item.status
    if item.geo:
        event.geo = item.geo
    extra = [ContentLine("DTSTAMP", {}, stamp), ContentLine("SEQUENCE", {}, str(sequence))]
    for name, moment in (("DTSTART", item.start), ("DTEND", item.end)):
        value, params = ical.local_time(moment) if isinstance(moment, datetime) else ical.date_value(moment)
        extra.append(ContentLine(name, params, value))
    if item.url:
        extra.append(ContentLine("URL", {"VALUE": ["URI"]}, item.url))
    for address in item.attachments:
        extra.append(ContentLine("ATTACH", {"FMTTYPE": ["application/pdf"]}, address))
    if item.categories:
        extra.append(ContentLine("CATEGORIES", {}, ",".join(ical.text_value(c) for c in item.categories)))
    if item.organiser and item.organiser.email:
        extra.append(ContentLine("ORGANIZER", {"CN": [item.organiser.name]}, f"mailto:{item.organiser.email}"))
    for attendee in item.attendees:
        params = {"CN": [attendee.name], "ROLE": [attendee.role], "PARTSTAT": ["NEEDS-ACTION"],
                  "RSVP": ["TRUE" if attendee.rsvp else "FALSE"]}
        extra.append(ContentLine("ATTENDEE", params, f"mailto:{attendee.email}"))
    if item.status == "CANCELLED":
        extra.append(ContentLine("TRANSP", {}, "TRANSPARENT"))
    for before in alarms:
        extra.append(Container("VALARM", ContentLine("ACTION", {}, "DISPLAY"),
                               ContentLine("TRIGGER", {}, ical.duration_value(-before)),
                               ContentLine("DESCRIPTION", {}, ical.text_value(item.summary))))
    event.extra.extend(extra)
    container = event.extra.clone()
    for add in _EVENT_SERIALIZERS:
        add(event, container)
    return ical.serialize(container)


# ics looks its serializers up with dir() on every call; the list never changes, so look once.
_EVENT_SERIALIZERS = tuple(ics.Event.Meta.serializer.get_serializers())


@lru_cache(maxsize=None)
def _vtimezone_text(zone_name: str, first_year: int, last_year: int) -> str:
    return ical.serialize(ical.vtimezone(zone_name, first_year, last_year))


def _zone_years(*moments: datetime | date) -> list[list]:
    """[zone, year] of each zoned moment: which VTIMEZONEs a calendar needs, and for which years."""
    return [[moment.tzinfo.key, moment.year] for moment in moments if isinstance(moment, datetime)]


def dump_state(state: dict) -> bytes:
    """The state as JSON with one entry per line: a diff shows which entries changed, and writing
    ten thousand of them stays fast (json's indenting writer is much slower than its compact one)."""
    lines = [f" {json.dumps(uid, ensure_ascii=False)}: {json.dumps(known, ensure_ascii=False, sort_keys=True)}"
             for uid, known in sorted(state["entries"].items())]
    return (f'{{"version": {state["version"]}, "entries": {{\n' + ",\n".join(lines) + "\n}}\n").encode()
