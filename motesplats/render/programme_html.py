"""The programme as a web page: one self-contained HTML file per event, for phones, screens and A4 paper.

`render` lays out a `Programme` (see programme.py) with the template `programme/<kind>.html`, which
extends `programme/base.html`; an organiser overrides either by saving a file of the same name
under the workspace's templates/ folder. The page loads nothing from elsewhere (inline CSS, no
scripts, no fonts or images), so it can be mailed, put on a USB stick or printed as it is.

What the templates need beyond the Programme is prepared here, in the reader's language: ISO
values for `<time datetime>`, each leg's times with their zones, the words of both languages of a
bilingual ceremony. The built-in templates never print an e-mail address or a booking reference
(those stay in personal calendar feeds); an organiser's own template should not either.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from jinja2 import Environment

from motesplats.model import Event, Leg, Milestone, Person, Session, Venue
from motesplats.render.dates import clock, day_span, long_day
from motesplats.render.labels import label
from motesplats.render.programme import PROGRAMME_WORDS, Day, Programme, Slot
from motesplats.render.templates import environment, overrides_signature, templates_used

KINDS = ("conference", "formal_meeting", "festival_week", "study_trip", "ceremony")

PAGE_WORDS = (
    "name", "role", "organisation", "party", "date", "theme", "address", "directions", "website", "background",
    "skip to content", "on this page", "member count", "deputy count", "local times",
    "tentative", "cancelled", "whole day", "nothing planned", "agenda items",
    *KINDS,
    # session kinds and travel modes, for the small labels beside titles
    "session", "keynote", "panel", "seminar", "workshop", "break", "meal", "reception", "registration", "meeting",
    "party_group", "visit", "signing", "speech", "press",
    "flight", "train", "bus", "boat", "car", "walk",
)


def template_name(kind: str) -> str:
    return f"programme/{kind}.html"


def render(programme: Programme, templates: Path | None, organisation: str = "") -> bytes:
    """The programme as UTF-8 HTML; `templates` is the workspace's templates/ folder (or None)."""
    has_overrides = templates is not None and templates.is_dir()
    folder = templates if has_overrides else None
    template = _environment(folder, overrides_signature(folder)).get_template(template_name(programme.event.kind))
    page = template.render(
        p=programme, event=programme.event, page=Page(programme), organisation=organisation,
        words=words(programme.language, programme.words))
    return page.encode("utf-8")


def templates_read(kind: str, templates: Path | None) -> frozenset[str] | None:
    """The templates the web programme of an event of `kind` is made from (None: it cannot be told)."""
    folder = templates if templates is not None and templates.is_dir() else None
    return templates_used(_environment(folder, overrides_signature(folder)), template_name(kind))


# The subscription page's template belongs to another output: programmes cannot load it, so
# editing it never makes 4,000 programmes render again.
OTHER_OUTPUTS_TEMPLATES = ("subscribe.html", "minutes.html")


@lru_cache(maxsize=8)
def _environment(templates: Path | None, signature: tuple) -> Environment:
    """One compiled environment per templates folder and set of override files."""
    env = environment(templates, hidden=OTHER_OUTPUTS_TEMPLATES)
    env.filters["iso"] = iso
    env.filters["clock"] = clock
    return env


def words(language: str, given: dict[str, str] | None = None) -> dict[str, str]:
    """The toolkit's words the page prints, in `language`."""
    return {**{key: label(key, language) for key in (*PROGRAMME_WORDS, *PAGE_WORDS)}, **(given or {})}


def iso(moment: date | datetime) -> str:
    """A `<time datetime>` value: '2018-05-17' or '2018-05-17T09:30+02:00' (with the local offset)."""
    if isinstance(moment, datetime):
        return moment.isoformat(timespec="minutes")
    return moment.isoformat()


@dataclass(frozen=True)
class DatePart:
    """One end of the event's dates as the header prints it: the ISO date and the words."""

    iso: str
    text: str


@dataclass(frozen=True)
class LegTimes:
    """A leg's local times as printed: '07:05 (CEST, Stockholm)', and apart: '07:05' and 'CEST, Stockholm'."""

    depart: str
    arrive: str

    @property
    def depart_clock(self) -> str:
        return self.depart.partition(" (")[0]

    @property
    def depart_zone(self) -> str:
        return self.depart.partition(" (")[2].rstrip(")")


@dataclass(frozen=True)
class Column:
    """One language of a bilingual page (a ceremony): every text in that language, side by side with the other."""

    language: str
    title: str
    subtitle: str
    description: str
    dates: tuple[DatePart, ...]
    words: dict[str, str]


class Page:
    """What the templates ask of a programme beyond its fields; never exposes e-mails or bookings."""

    def __init__(self, programme: Programme):
        self.programme = programme
        self.event: Event = programme.event

    # -- dates and times ---------------------------------------------------------------------------

    def dates(self, language: str | None = None) -> tuple[DatePart, ...]:
        """The event's first and last day ('torsdag 17 maj', 'fredag 18 maj 2018'), each with its ISO date."""
        language = language or self.programme.language
        first, last = self.event.days[0], self.event.days[-1]
        text = self.programme.dates if language == self.programme.language else day_span(first, last, language)
        if first == last:
            return (DatePart(first.isoformat(), text),)
        start, _, end = text.partition(" – ")
        return DatePart(first.isoformat(), start), DatePart(last.isoformat(), end)

    def long_day(self, day: date, language: str | None = None) -> str:
        return long_day(day, language or self.programme.language)

    def same_times(self, session: Session, slot: Slot) -> bool:
        return session.start == slot.start and session.end == slot.end

    def leg_times(self, leg: Leg) -> LegTimes:
        """Departure and arrival, each in its own place's local time; both with their zone when a leg crosses zones."""
        depart, arrive = self.programme.time(leg.depart), self.programme.time(leg.arrive)
        if leg.origin.time_zone != leg.destination.time_zone or getattr(leg.depart.tzinfo, "key", None) != \
                getattr(leg.arrive.tzinfo, "key", None):
            depart, arrive = _zoned(leg.depart, depart), _zoned(leg.arrive, arrive)
        return LegTimes(depart, arrive)

    def zone_city(self) -> str:
        return _city(self.event.time_zone)

    def crosses_zones(self) -> bool:
        """Whether any time on the page is in another zone than the event's (a study trip from Stockholm)."""
        zones = {getattr(m.tzinfo, "key", self.event.time_zone) for leg in self.event.legs for m in (leg.depart, leg.arrive)}
        return bool(zones - {self.event.time_zone})

    # -- sessions, places and people -----------------------------------------------------------------

    def sessions(self, day: Day) -> tuple[Session, ...]:
        """A day's sessions one after another by start, then end and place (a festival is not laid out as rows)."""
        return tuple(sorted((session for slot in day.slots for session in slot.sessions),
                            key=lambda s: (s.start.timestamp(), s.end.timestamp(), self.place(s))))

    def room(self, session: Session) -> str:
        """Where in the event's venue: 'Stora salen', or 'Rikssalen, Uppsala slott' elsewhere."""
        parts = [session.room.name] if session.room else []
        if session.venue is not None and session.venue != self.event.venue:
            parts.append(session.venue.name)
        return ", ".join(parts)

    def place(self, session: Session) -> str:
        """Full place of an activity: 'Sal Gotland, Wisby Strand Congress & Event, Donnersgatan 2, Visby'."""
        parts = [session.room.name] if session.room else []
        venue = session.venue or self.event.venue
        if venue is not None:
            parts += [venue.name, venue.address, venue.city]
        return ", ".join(part for part in parts if part)

    def address(self, venue: Venue) -> str:
        postal = f"{venue.postcode} {venue.city}".strip()
        return ", ".join(part for part in (venue.address, postal, venue.country) if part)

    def about(self, person: Person) -> str:
        """'Landstingsråd, Stockholms läns landsting': what a reader needs to place someone (never their e-mail)."""
        return ", ".join(part for part in (person.title, person.organisation) if part)

    def names(self, people: tuple[Person, ...]) -> str:
        return ", ".join(person.name for person in people)

    def count(self, key: str, n: int, language: str | None = None) -> str:
        return label(key, language or self.programme.language).format(n=n)

    def local_times_note(self) -> str:
        return label("local times", self.programme.language).format(city=self.zone_city())

    def leg_mode(self, leg: Leg, language: str | None = None) -> str:
        """'Flyg', 'Buss', 'Promenad'."""
        return label(leg.mode, language or self.programme.language) if leg.mode in _LEG_MODES else leg.mode

    def leg_carrier(self, leg: Leg) -> str:
        """'SAS SK 2677', 'Spree-Reisen Busvermietung', or ''."""
        return " ".join(part for part in (leg.carrier, leg.number) if part)

    # -- a ceremony in two languages -----------------------------------------------------------------

    def columns(self) -> tuple[Column, ...]:
        """The event's two (or more) languages, each as a column; the reader's own words are not favoured."""
        languages = self.event.languages or self.programme.languages[:1]
        return tuple(Column(
            language=language,
            title=self.event.title.get(language, *self.programme.languages),
            subtitle=self.event.subtitle.get(language, *self.programme.languages) if self.event.subtitle else "",
            description=self.event.description.get(language, *self.programme.languages)
            if self.event.description else "",
            dates=self.dates(language),
            words=words(language)) for language in languages)

    def text(self, value, language: str) -> str:
        """Organisers' text in one column's language."""
        return value.get(language, *self.programme.languages) if value else ""

    def milestones(self) -> tuple[Milestone, ...]:
        """The agreement's milestones by date; a derived one gives way to one an organiser wrote for the same day."""
        written = {m.date for m in self.event.milestones if not m.derived}
        kept = [m for m in self.event.milestones if not m.derived or m.date not in written]
        return tuple(sorted(kept, key=lambda m: m.date))

    def sections(self) -> tuple[tuple[str, str], ...]:
        """(id, title) of the page's main sections, for the table of contents."""
        w, p, kind = self.programme.words, self.programme, self.event.kind
        found: list[tuple[str, str]] = []
        has_sessions = any(day.slots or day.stops for day in p.days)
        if kind == "study_trip":
            found.append(("itinerary", w["itinerary"]))
        elif kind == "festival_week":
            found.append(("programme", w["own activities"]))
        elif has_sessions:
            found.append(("programme", w["programme"]))
        if kind == "formal_meeting" and p.agenda:
            found.append(("agenda", w["agenda"]))
        found += [(f"meeting-{m.id}", p.text(m.title)) for m in p.meetings]
        if kind == "formal_meeting" and p.summoned:
            found.append(("summoned", w["summoned"]))
        if p.speakers and kind != "formal_meeting":
            found.append(("speakers", w["speakers and moderators"]))
        if kind == "study_trip" and self.event.hotel:
            found.append(("hotel", w["hotel"]))
        found.append(("practical", w["practical information"]))
        return tuple(found)


_LEG_MODES = ("flight", "train", "bus", "boat", "car", "walk")


def _city(zone_name: str) -> str:
    return zone_name.rsplit("/", 1)[-1].replace("_", " ")


def _zoned(moment: datetime, text: str) -> str:
    """Add the zone to a time Programme.time() printed bare because it is in the event's own zone."""
    if "(" in text or moment.tzinfo is None:
        return text
    return f"{text} ({moment.tzname()}, {_city(getattr(moment.tzinfo, 'key', ''))})"
