"""Replies to invitations (iTIP REPLY, RFC 5546) read from a mailbox: an mbox file, a Maildir, a
folder of .eml files or one .eml, as Outlook, Gmail and Apple Mail send them.

A reply's calendar is a text/calendar part (method=REPLY), an .ics attachment, or both; it is
read with the icalendar package, which is forgiving of what clients write.
"""

from __future__ import annotations

import email
import email.policy
import mailbox
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import icalendar

PARTSTATS = ("ACCEPTED", "TENTATIVE", "DECLINED")


@dataclass(frozen=True)
class Reply:
    """One attendee's answer to one entry, and where it was found."""

    uid: str
    sequence: int
    address: str      # the attendee's address, lower case, without mailto:
    partstat: str     # ACCEPTED, TENTATIVE, DECLINED (or what the client wrote)
    comment: str
    found_in: str     # 'replies.mbox, message 3'


def read_replies(path: Path) -> tuple[list[Reply], list[str]]:
    """Every reply in the mailbox at `path`, and a note for each message that holds none."""
    replies, notes = [], []
    for where, message in _messages(path):
        found = list(_replies_in(message, where))
        if found:
            replies += found
        else:
            subject = message.get("Subject", "")
            notes.append(f"{where}: no calendar reply in it (subject '{subject}')")
    return _distinct(replies), notes


def _messages(path: Path) -> Iterator[tuple[str, EmailMessage]]:
    def parse(raw: bytes) -> EmailMessage:
        return email.message_from_bytes(raw, policy=email.policy.default)

    if path.is_dir() and all((path / part).is_dir() for part in ("cur", "new")):
        for n, key in enumerate(sorted(mailbox.Maildir(path, create=False).keys()), start=1):
            yield f"{path.name}, message {n}", parse(mailbox.Maildir(path, create=False).get_bytes(key))
    elif path.is_dir():
        for file in sorted(path.glob("*.eml")):
            yield file.name, parse(file.read_bytes())
    elif path.suffix.lower() == ".eml":
        yield path.name, parse(path.read_bytes())
    else:
        box = mailbox.mbox(path, create=False)
        for n, key in enumerate(box.keys(), start=1):
            yield f"{path.name}, message {n}", parse(box.get_bytes(key))


def _replies_in(message: EmailMessage, where: str) -> Iterator[Reply]:
    for part in message.walk():
        filename = (part.get_filename() or "").lower()
        if part.get_content_type() not in ("text/calendar", "application/ics") and not filename.endswith(".ics"):
            continue
        payload = part.get_payload(decode=True) or b""
        try:
            calendar = icalendar.Calendar.from_ical(payload)
        except ValueError:
            continue
        if str(calendar.get("METHOD", "")).upper() != "REPLY":
            continue
        for event in calendar.walk("VEVENT"):
            attendees = event.get("ATTENDEE", [])
            for attendee in attendees if isinstance(attendees, list) else [attendees]:
                address = str(attendee)
                address = address[7:] if address.lower().startswith("mailto:") else address
                try:
                    sequence = int(event.get("SEQUENCE", 0))
                except (TypeError, ValueError):
                    continue  # not a SEQUENCE: the message is reported as holding no usable reply
                yield Reply(str(event.get("UID", "")), sequence, address.strip().lower(),
                            str(attendee.params.get("PARTSTAT", "NEEDS-ACTION")).upper(),
                            str(event.get("COMMENT", "") or event.get("X-RESPONSE-COMMENT", "")), where)


def _distinct(replies: list[Reply]) -> list[Reply]:
    """A reply sent as both a calendar part and an .ics attachment (Gmail) counts once."""
    seen, found = set(), []
    for reply in replies:
        key = (reply.uid, reply.sequence, reply.address, reply.partstat, reply.found_in)
        if key not in seen:
            seen.add(key)
            found.append(reply)
    return found
