"""A calendar invitation as an e-mail (iMIP, RFC 6047): what Outlook, Gmail and Apple Mail accept.

The message is multipart/mixed: a multipart/alternative of plain text, HTML and
`text/calendar; method=REQUEST` (or CANCEL), then the notice as a PDF. The iCalendar part holds
one VEVENT with the meeting's feed UID, its SEQUENCE, ORGANIZER and the one ATTENDEE addressed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from ics.grammar.parse import Container, ContentLine
from markupsafe import Markup, escape

from motesplats.meetings import Meeting
from motesplats.model import Event, Organiser, Person, Plan
from motesplats.render import icalendar_text as ical
from motesplats.render.dates import clock, long_day
from motesplats.render.feed_entries import Attendee, Entry, Part, entry, uid_domain
from motesplats.render.feeds import PRODID, vevent_text
from motesplats.render.labels import label

REQUEST, CANCEL = "REQUEST", "CANCEL"
REQUIRED, OPTIONAL = "REQ-PARTICIPANT", "OPT-PARTICIPANT"


@dataclass(frozen=True)
class Target:
    """What invitations are for: a meeting (its summoned rosters) or another event (its participants)."""

    event: Event
    meeting: Meeting | None = None

    @property
    def key(self) -> str:
        return self.meeting.key if self.meeting else self.event.id

    @property
    def part(self) -> Part:
        session = self.meeting.session if self.meeting else None
        return Part(self.event, session or self.event)

    @property
    def cancelled(self) -> bool:
        return (self.meeting.status if self.meeting else self.event.status) == "cancelled"


@dataclass(frozen=True)
class Invitee:
    person: Person
    role: str  # REQUIRED or OPTIONAL


def invitees(target: Target) -> tuple[Invitee, ...]:
    """Who is invited: for a meeting its members (required) and deputies (optional); for another
    event everyone on its participating rosters (required). Each person once."""
    found: dict[str, Invitee] = {}
    if target.meeting is not None:
        for roster in target.meeting.summoned:
            for member in roster.members:
                found.setdefault(member.person.id, Invitee(member.person, OPTIONAL if member.is_deputy else REQUIRED))
    else:
        for roster in target.event.participants:
            for member in roster.members:
                found.setdefault(member.person.id, Invitee(member.person, REQUIRED))
    return tuple(found.values())


def uid(plan: Plan, target: Target) -> str:
    """The meeting's UID: the same as its entry in the feeds (see the README on why)."""
    return f"{target.part.uid_key}@{uid_domain(plan)}"


def invitation_entry(plan: Plan, target: Target, invitee: Invitee, language: str, method: str) -> Entry:
    """The VEVENT's content for one addressee."""
    made = entry(target.part, language, uid_domain(plan), False, plan.settings.base_url)
    attendee = Attendee(invitee.person.name, invitee.person.email, invitee.role, rsvp=method == REQUEST)
    status = "CANCELLED" if method == CANCEL else made.status
    return replace(made, attendees=(attendee,), status=status)


def calendar_text(item: Entry, method: str, sequence: int, stamp: datetime) -> str:
    """The iCalendar object of the message: VCALENDAR with METHOD, the VTIMEZONE and one VEVENT."""
    zones = sorted({moment.tzinfo.key for moment in (item.start, item.end) if isinstance(moment, datetime)})
    years = {moment.year for moment in (item.start, item.end)}
    header = Container("VCALENDAR", ContentLine("VERSION", {}, "2.0"),
                       ContentLine("PRODID", {}, ical.text_value(PRODID)),
                       ContentLine("CALSCALE", {}, "GREGORIAN"), ContentLine("METHOD", {}, method))
    timezones = [ical.serialize(ical.vtimezone(zone, min(years), max(years))) for zone in zones]
    return ical.serialize(header, [*timezones, vevent_text(item, sequence, ical.utc_stamp(stamp), ())])


def organiser_of(plan: Plan, target: Target) -> Organiser:
    """Whose mailbox sends the invitation and receives the replies: the event's organiser."""
    organiser = target.event.organiser
    if organiser is None or not organiser.email:
        raise ValueError(f"{target.key} has no organiser with an e-mail address")
    return organiser


def email_message(plan: Plan, target: Target, item: Entry, method: str, sequence: int, stamp: datetime,
                  language: str, notice: bytes | None, notice_name: str, updated: bool = False) -> EmailMessage:
    """The whole message to the entry's one attendee; `updated` when they had an earlier version."""
    organiser, attendee = organiser_of(plan, target), item.attendees[0]
    message = EmailMessage()
    if method == CANCEL:
        word = "invitation cancelled" if target.cancelled else "invitation withdrawn"
    else:
        word = "invitation updated" if updated else "invitation"
    message["Subject"] = header_text(f"{label(word, language)}: {item.summary}")
    message["From"] = mailbox(organiser.name, organiser.email)
    message["To"] = mailbox(attendee.name, attendee.email)
    message["Date"] = format_datetime(stamp)
    message["Message-ID"] = make_msgid(domain=uid_domain(plan))
    message.set_content(_plain(item, method, language))
    message.add_alternative(_html(item, method, language), subtype="html")
    message.add_alternative(calendar_text(item, method, sequence, stamp).encode("utf-8"), maintype="text",
                            subtype="calendar", params={"method": method, "charset": "UTF-8"}, cte="base64")
    if notice is not None and method == REQUEST:
        message.add_attachment(notice, maintype="application", subtype="pdf", filename=notice_name)
    message["Content-Language"] = language  # last: making the message multipart moves Content-* headers in
    return message


_NOT_IN_A_HEADER = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


def header_text(text: str) -> str:
    """`text` on the one line a header holds: line and paragraph separators and control
    characters become a plain space (a header cannot carry them, and they could start a new one)."""
    return _NOT_IN_A_HEADER.sub(" ", text).strip()


def mailbox(name: str, address: str) -> Address:
    """A name and address as the header's structure, never as formatted text: quotes, commas or an
    <address> in the name stay part of the name, whatever the encoding."""
    return Address(display_name=header_text(name), addr_spec=address)


def _when(item: Entry, language: str) -> str:
    start, end = item.start, item.end
    if not isinstance(start, datetime):
        return long_day(start, language)
    return f"{long_day(start, language)} {clock(start)}–{clock(end)}"


def _plain(item: Entry, method: str, language: str) -> str:
    lines = [item.summary, ""]
    if method == CANCEL:
        lines += [label("invitation cancelled text", language), ""]
    lines += [f"{label('time', language)}: {_when(item, language)}"]
    if item.location:
        lines.append(f"{label('place', language)}: {item.location}")
    if item.description:
        lines += ["", item.description]
    return "\n".join(lines) + "\n"


def _html(item: Entry, method: str, language: str) -> str:
    paragraphs = "".join(f"<p>{Markup('<br>').join(escape(line) for line in block.split(chr(10)))}</p>"
                         for block in item.description.split("\n\n") if block.strip())
    cancelled = f"<p><strong>{escape(label('invitation cancelled text', language))}</strong></p>" \
        if method == CANCEL else ""
    place = f"<p><strong>{escape(label('place', language))}:</strong> {escape(item.location)}</p>" if item.location else ""
    return (f'<!DOCTYPE html><html lang="{escape(language)}"><head><meta charset="utf-8">'
            f"<title>{escape(item.summary)}</title></head><body>"
            f"<h1>{escape(item.summary)}</h1>{cancelled}"
            f"<p><strong>{escape(label('time', language))}:</strong> {escape(_when(item, language))}</p>"
            f"{place}{paragraphs}</body></html>\n")
