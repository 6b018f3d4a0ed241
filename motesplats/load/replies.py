"""Replies to invitations (iTIP REPLY, RFC 5546) read from a mailbox: an mbox file, a Maildir, a
folder of .eml files or one .eml, as Outlook, Gmail and Apple Mail send them.

A reply's calendar is a text/calendar part (method=REPLY), an .ics attachment, or both; it is
read with the icalendar package, which is forgiving of what clients write. Who sent it (the From
header) and what the receiving servers found of its origin (Authentication-Results, RFC 8601)
are kept with it, for invitations.match_replies to decide whether it is the attendee's own.

Mailboxes come from outside: only regular files are read, each message at most MESSAGE_LIMIT
bytes, and a folder's entries only where they stay inside the folder.
"""

from __future__ import annotations

import email
import email.policy
import email.utils
import mailbox
import os
import re
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from email.message import EmailMessage
from pathlib import Path

import icalendar

PARTSTATS = ("ACCEPTED", "TENTATIVE", "DECLINED")
MESSAGE_LIMIT = 25 * 1024 * 1024  # bytes of one message: more than any mail server delivers


class Unreadable(Exception):
    """The path given is not a mailbox that can be read (a FIFO, a device, ...)."""


@dataclass(frozen=True)
class Verdict:
    """One result of an Authentication-Results header: dkim=pass header.d=example.se."""

    method: str                              # dkim, dmarc, spf, ... lower case, without a version
    result: str                              # pass, fail, none, ... lower case
    properties: tuple[tuple[str, str], ...]  # ("header.d", "example.se"), names lower case


@dataclass(frozen=True)
class Authentication:
    """One Authentication-Results header: the server that wrote it (its authserv-id) and its verdicts."""

    authserv_id: str  # lower case
    verdicts: tuple[Verdict, ...]


@dataclass(frozen=True)
class Reply:
    """One attendee's answer to one entry, where it was found, and who sent it.

    A calendar reply that cannot be one attendee's answer (a VEVENT naming several attendees, or
    none) is a Reply too, with `refused` saying why, so that it is reported with the others."""

    uid: str
    sequence: int
    address: str      # the attendee's address, lower case, without mailto:
    partstat: str     # ACCEPTED, TENTATIVE, DECLINED (or what the client wrote)
    comment: str
    found_in: str     # 'replies.mbox, message 3'
    sender: str = ""  # the From header's one address, lower case; "" when it names none or several
    authentication: tuple[Authentication, ...] = ()  # the message's Authentication-Results, topmost first
    refused: str = ""


def read_replies(path: Path) -> tuple[list[Reply], list[str]]:
    """Every reply in the mailbox at `path`, and a note for each message or file not read or
    holding none. Raises Unreadable when `path` is neither a folder nor a regular file."""
    replies, notes = [], []
    for where, raw in _messages(path):
        if isinstance(raw, str):
            notes.append(f"{where}: {raw}")
            continue
        message = email.message_from_bytes(raw, policy=email.policy.default)
        found = list(_replies_in(message, where))
        if found:
            replies += found
        else:
            subject = message.get("Subject", "")
            notes.append(f"{where}: no calendar reply in it (subject '{subject}')")
    return _distinct(replies), notes


def _messages(path: Path) -> Iterator[tuple[str, bytes | str]]:
    """Each message's bytes, or why it was not read, with where it is."""
    try:
        mode = os.stat(path).st_mode  # follows a link: what would be read
    except OSError as error:
        raise Unreadable(f"{path}: {error.strerror}") from error
    if stat.S_ISDIR(mode) and all((path / part).is_dir() for part in ("cur", "new")):
        entries = [file for part in ("cur", "new") for file in (path / part).iterdir() if not file.name.startswith(".")]
        for n, file in enumerate(sorted(entries, key=lambda file: file.name.split(":")[0]), start=1):
            yield f"{path.name}, message {n}", _inside(path, file) or _read_message_file(file)
    elif stat.S_ISDIR(mode):
        for file in sorted(path.glob("*.eml")):
            yield file.name, _inside(path, file) or _read_message_file(file)
    elif not stat.S_ISREG(mode):
        raise Unreadable(f"{path} is not a regular file or a folder (a pipe or a device?), so it is not read; "
                         "give an mbox file, a Maildir, a folder of .eml files or one .eml file")
    elif path.suffix.lower() == ".eml":
        yield path.name, _read_message_file(path)
    else:
        box = mailbox.mbox(path, create=False)
        try:
            for n, key in enumerate(box.keys(), start=1):
                with box.get_file(key) as file:  # without the 'From ' line, and only this message's bytes
                    raw = file.read(MESSAGE_LIMIT + 1)
                yield f"{path.name}, message {n}", raw if len(raw) <= MESSAGE_LIMIT else _too_large()
        finally:
            box.close()


def _inside(folder: Path, file: Path) -> str:
    """Why `file`, listed in `folder`, is not read as one of its messages; "" when it may be."""
    if not file.resolve().is_relative_to(folder.resolve()):
        return "not read: a link that leads out of the folder"
    return ""


def _read_message_file(file: Path) -> bytes | str:
    """The bytes of one message file, or why they were not read: only a regular file is opened
    (a FIFO would block, a device never end), and only up to MESSAGE_LIMIT bytes."""
    try:
        if not stat.S_ISREG(os.stat(file).st_mode):
            return "not read: not a regular file (a pipe, a device or a folder?)"
        # O_NONBLOCK: should the file be swapped for a FIFO after the check, opening it does not hang
        with open(os.open(file, os.O_RDONLY | os.O_NONBLOCK), "rb") as opened:
            if not stat.S_ISREG(os.fstat(opened.fileno()).st_mode):
                return "not read: not a regular file (a pipe, a device or a folder?)"
            raw = opened.read(MESSAGE_LIMIT + 1)
    except OSError as error:
        return f"not read: {error.strerror}"
    return raw if len(raw) <= MESSAGE_LIMIT else _too_large()


def _too_large() -> str:
    return f"not read: larger than {MESSAGE_LIMIT // (1024 * 1024)} MB, more than a reply ever is"


def _replies_in(message: EmailMessage, where: str) -> Iterator[Reply]:
    sender = _sender(message)
    authentication = tuple(found for header in message.get_all("Authentication-Results") or ()
                           if (found := authentication_results(str(header))) is not None)
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
            attendees = attendees if isinstance(attendees, list) else [attendees]
            try:
                sequence = int(event.get("SEQUENCE", 0))
            except (TypeError, ValueError):
                continue  # not a SEQUENCE: the message is reported as holding no usable reply
            addresses = [_address(attendee) for attendee in attendees]
            # RFC 5546 3.2.3: a REPLY has exactly one ATTENDEE, the one answering.
            refused = "" if len(addresses) == 1 else (
                f"a reply answers for one attendee, this one names {len(addresses)}"
                + (f" ({', '.join(addresses)})" if addresses else ""))
            partstat = str(attendees[0].params.get("PARTSTAT", "NEEDS-ACTION")).upper() if attendees else ""
            yield Reply(str(event.get("UID", "")), sequence, addresses[0] if len(addresses) == 1 else "", partstat,
                        str(event.get("COMMENT", "") or event.get("X-RESPONSE-COMMENT", "")), where,
                        sender, authentication, refused)


def _address(attendee) -> str:
    address = str(attendee)
    return (address[7:] if address.lower().startswith("mailto:") else address).strip().lower()


def _sender(message: EmailMessage) -> str:
    """The From header's address, lower case; "" unless there is exactly one (Sender and
    Reply-To are not read: they never make a reply more trusted)."""
    headers = message.get_all("From") or []
    found = email.utils.getaddresses([str(header) for header in headers])
    if len(headers) != 1 or len(found) != 1 or "@" not in found[0][1]:
        return ""
    return found[0][1].strip().lower()


_AR_TOKEN = re.compile(r'"(?:[^"\\]|\\.)*"|[();=]|[^\s"();=]+|\s+')


def authentication_results(value: str) -> Authentication | None:
    """An Authentication-Results header's value (RFC 8601) as data; None when it names no server.

    Comments are dropped and quoted strings kept whole, so a ';' inside a quoted reason does not
    start a verdict of its own."""
    segments, depth = [[]], 0
    for token in _AR_TOKEN.findall(value):
        if token == "(":
            depth += 1
        elif token == ")":
            depth = max(depth - 1, 0)
        elif depth or token.isspace():
            continue
        elif token == ";":
            segments.append([])
        else:
            segments[-1].append(token[1:-1].replace('\\"', '"') if token.startswith('"') else token)
    if not segments[0] or segments[0][0] == "=":
        return None
    verdicts = []
    for segment in segments[1:]:
        pairs = [(segment[i].lower(), segment[i + 2]) for i in range(len(segment) - 2) if segment[i + 1] == "="]
        if pairs:
            (method, result), properties = pairs[0], tuple(pairs[1:])
            verdicts.append(Verdict(method.split("/")[0], result.lower(), properties))
    return Authentication(segments[0][0].lower(), tuple(verdicts))


def _distinct(replies: list[Reply]) -> list[Reply]:
    """A reply sent as both a calendar part and an .ics attachment (Gmail) counts once."""
    seen, found = set(), []
    for reply in replies:
        key = (reply.uid, reply.sequence, reply.address, reply.partstat, reply.found_in, reply.refused)
        if key not in seen:
            seen.add(key)
            found.append(reply)
    return found
