"""Calendar feeds: the named feeds of calendars/ and one personal feed per person, as .ics files.

Subscribers' apps only show a change when the entry's SEQUENCE rises and its DTSTAMP moves, and
only drop an entry when they see it cancelled. So each entry's state (content fingerprint,
sequence, stamp, the feeds it was in) is kept in a small committed file between builds: unchanged
entries keep their sequence and stamp, so unchanged feeds come out byte for byte the same.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

import ics
from ics.grammar.parse import Container, ContentLine

from motesplats import __version__
from motesplats.model import Feed, Leg, Person, Plan
from motesplats.render import icalendar_text as ical
from motesplats.render.feed_entries import Entry, Part, entry, feed_parts, personal_parts, uid_domain
from motesplats.render.labels import label

STATE_FILE = "calendars/sequence.json"
STATE_VERSION = 1
PERSONAL_FOLDER = "calendars/personal"
PRODID = f"-//motesplats//motesplats {__version__}//EN"
PERSONAL_REFRESH = timedelta(hours=6)


@dataclass(frozen=True)
class FeedOutput:
    files: dict[str, bytes]  # path under build/ -> bytes
    state: dict              # the new sequence state, to be saved as STATE_FILE


def feed_path(feed: Feed) -> str:
    return f"calendars/{feed.id}.ics"


def webcal(url: str) -> str:
    """The webcal:// form of a feed's address, which calendar apps open as a subscription."""
    return "webcal://" + url.split("://", 1)[1]


def personal_token(secret: bytes, person_id: str) -> str:
    """An unguessable, stable name for a person's feed; a new secret revokes every old link."""
    return hmac.new(secret, person_id.encode("utf-8"), hashlib.sha256).hexdigest()[:32]


def personal_path(secret: bytes, person_id: str) -> str:
    return f"{PERSONAL_FOLDER}/{personal_token(secret, person_id)}.ics"


def render(plan: Plan, state: dict, now: datetime, secret: bytes) -> FeedOutput:
    """Every feed's .ics bytes, and the updated sequence state."""
    domain = uid_domain(plan)
    named = {feed.id: feed_parts(plan, feed) for feed in plan.feeds}
    personal = personal_parts(plan)
    members = {f"feed:{key}": parts for key, parts in named.items()}
    members |= {f"person:{key}": parts for key, parts in personal.items()}
    shown = {feed.language for feed in plan.feeds} | {_language_of(person, plan) for person in plan.people}
    ledger = _Ledger(state, plan, domain, now, tuple(code for code in plan.settings.languages if code in shown))
    ledger.record(members)

    files: dict[str, bytes] = {}
    writer = _Writer(plan, ledger)
    for feed in plan.feeds:
        files[feed_path(feed)] = writer.calendar(
            key=f"feed:{feed.id}", parts=named[feed.id], language=feed.language,
            name=feed.name.get(feed.language, plan.settings.language),
            description=feed.description.get(feed.language, plan.settings.language),
            refresh=feed.refresh, alarms=feed.alarms, private=False,
            source=f"{plan.settings.base_url}/{feed_path(feed)}")
    for person in plan.people:
        language = _language_of(person, plan)
        path = personal_path(secret, person.id)
        files[path] = writer.calendar(
            key=f"person:{person.id}", parts=personal[person.id], language=language,
            name=f"{label('my schedule', language)}: {plan.settings.organisation}",
            description=label("my schedule for", language).format(name=person.name,
                                                                   organisation=plan.settings.organisation),
            refresh=PERSONAL_REFRESH, alarms=(), private=True, source=f"{plan.settings.base_url}/{path}")
    return FeedOutput(files, ledger.state)


def _language_of(person: Person, plan: Plan) -> str:
    return next((code for code in person.languages if code in plan.settings.languages), plan.settings.language)


# --- sequence state -------------------------------------------------------------------------

class _Ledger:
    """What each entry was last time: fingerprint, sequence, stamp, and the feeds it was in."""

    def __init__(self, state: dict, plan: Plan, domain: str, now: datetime, languages: tuple[str, ...]):
        self.entries: dict[str, dict] = dict(state.get("entries", {})) if state.get("version") == STATE_VERSION else {}
        self.plan, self.domain = plan, domain
        # An entry's fingerprint covers the languages some feed shows it in: a change nobody can
        # see does not make every subscriber's app fetch it again.
        self.languages = languages or (plan.settings.language,)
        self.stamp = ical.utc_stamp(now)
        self.today = now.astimezone(timezone.utc).date()
        self.keep = plan.settings.keep_removed
        self._gone: dict[str, list[tuple[str, dict]]] | None = None

    @property
    def state(self) -> dict:
        return {"version": STATE_VERSION, "entries": dict(sorted(self.entries.items()))}

    def uid(self, part: Part) -> str:
        return f"{part.uid_key}@{self.domain}"

    def record(self, members: dict[str, list[Part]]) -> None:
        """Update every entry's state from what each feed holds now."""
        present: dict[str, set[str]] = {}
        parts: dict[str, Part] = {}
        for key, feed_parts_now in members.items():
            for part in feed_parts_now:
                uid = self.uid(part)
                parts[uid] = part
                present.setdefault(uid, set()).add(key)
        for uid, part in parts.items():
            self._update(uid, part, present[uid])
        for uid in [uid for uid in self.entries if uid not in parts]:
            self._retire(uid)

    def _update(self, uid: str, part: Part, keys: set[str]) -> None:
        variants = {language: entry(part, language, self.domain, private=True) for language in self.languages}
        fingerprint = hashlib.sha256(repr(sorted(variants.items())).encode()).hexdigest()[:20]
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
        some = next(iter(variants.values()))
        snapshot = {"summary": {language: e.summary for language, e in variants.items()},
                    "start": _moment_text(some.start), "end": _moment_text(some.end)}
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

class _Writer:
    """Turns entries into calendars, writing each VEVENT's text once however many feeds hold it."""

    def __init__(self, plan: Plan, ledger: _Ledger):
        self.plan, self.ledger = plan, ledger
        self.cache: dict[tuple, tuple[str, tuple]] = {}

    def calendar(self, key: str, parts: list[Part], language: str, name: str, description: str,
                 refresh: timedelta, alarms: tuple[timedelta, ...], private: bool, source: str) -> bytes:
        events: list[str] = []
        moments: list[datetime] = []
        seen: set[str] = set()
        for part in parts:
            uid = self.ledger.uid(part)
            if uid in seen:
                continue
            seen.add(uid)
            text, times = self._vevent(part, uid, language, alarms, private)
            events.append(text)
            moments += times
        for uid, known in self.ledger.gone_from(key):
            if uid not in seen:
                text, times = self._cancelled(uid, known, language)
                events.append(text)
                moments += times
        # The workspace's own zone is always there: X-WR-TIMEZONE names it, and a calendar needs
        # at least one component even when a person has nothing planned yet.
        years = _years_by_zone(moments)
        years.setdefault(self.plan.settings.time_zone, {self.ledger.today.year})
        zones = [_vtimezone_text(zone_name, min(found), max(found)) for zone_name, found in sorted(years.items())]
        return ical.serialize(self._header(name, description, refresh, source), zones + events).encode()

    def _header(self, name: str, description: str, refresh: timedelta, source: str) -> Container:
        refresh_text = ical.duration_value(refresh)
        lines = [
            ContentLine("VERSION", {}, "2.0"),
            ContentLine("PRODID", {}, ical.text_value(PRODID)),
            ContentLine("CALSCALE", {}, "GREGORIAN"),
            ContentLine("NAME", {}, ical.text_value(name)),
            ContentLine("X-WR-CALNAME", {}, ical.text_value(name)),
            ContentLine("DESCRIPTION", {}, ical.text_value(description)),
            ContentLine("X-WR-CALDESC", {}, ical.text_value(description)),
            ContentLine("X-WR-TIMEZONE", {}, self.plan.settings.time_zone),
            ContentLine("REFRESH-INTERVAL", {"VALUE": ["DURATION"]}, refresh_text),
            ContentLine("X-PUBLISHED-TTL", {}, refresh_text),
            ContentLine("SOURCE", {"VALUE": ["URI"]}, source),
            ContentLine("URL", {"VALUE": ["URI"]}, f"{self.plan.settings.base_url}/"),
        ]
        return Container("VCALENDAR", *lines)

    def _vevent(self, part: Part, uid: str, language: str, alarms: tuple[timedelta, ...],
                private: bool) -> tuple[str, tuple]:
        # Only a journey's booking reference differs between a personal and a shared copy.
        private = private and isinstance(part.item, Leg) and bool(part.item.booking)
        cache_key = (uid, language, alarms, private)
        if cache_key not in self.cache:
            item = entry(part, language, self.ledger.domain, private)
            known = self.ledger.entries[uid]
            self.cache[cache_key] = (vevent_text(item, known["sequence"], known["stamp"], alarms),
                                     _zoned(item.start, item.end))
        return self.cache[cache_key]

    def _cancelled(self, uid: str, known: dict, language: str) -> tuple[str, tuple]:
        summaries = known["snapshot"]["summary"]
        summary = summaries.get(language) or next(iter(summaries.values()))
        start, end = (_moment_from_text(known["snapshot"][key]) for key in ("start", "end"))
        moved_out = known["fingerprint"] != "removed"  # still in the data, no longer in this feed
        sequence = known["sequence"] + (1 if moved_out else 0)
        item = Entry(uid, summary, start, end, "CANCELLED")
        return vevent_text(item, sequence, known["stamp"], ()), _zoned(start, end)


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
    if item.categories:
        extra.append(ContentLine("CATEGORIES", {}, ",".join(ical.text_value(c) for c in item.categories)))
    if item.organiser and item.organiser.email:
        extra.append(ContentLine("ORGANIZER", {"CN": [item.organiser.name]}, f"mailto:{item.organiser.email}"))
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


def _zoned(*moments: datetime | date) -> tuple[datetime, ...]:
    return tuple(moment for moment in moments if isinstance(moment, datetime))


def _years_by_zone(moments: list[datetime]) -> dict[str, set[int]]:
    years: dict[str, set[int]] = {}
    for moment in moments:
        years.setdefault(moment.tzinfo.key, set()).add(moment.year)
    return years


def load_state(text: str | None) -> dict:
    """The sequence state saved by the last build (empty on the first)."""
    return json.loads(text) if text else {}


def dump_state(state: dict) -> bytes:
    return (json.dumps(state, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode()
