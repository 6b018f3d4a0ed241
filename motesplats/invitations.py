"""Invitations to send: what a run must send so that everyone's calendar agrees with the plan,
and sending it, each message recorded in the ledger (load/invitation_ledger.py) before the next
goes, so a run killed half way sends nobody a second copy when run again, and skips nobody.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import datetime
from email.message import EmailMessage
from pathlib import Path

from motesplats.load.invitation_ledger import Ledger, Sent
from motesplats.load.replies import Reply
from motesplats.mail import Refused
from motesplats.meetings import meetings
from motesplats.model import Person, Plan
from motesplats.render.feeds import language_of
from motesplats.render.invitation import (
    CANCEL, REQUEST, REQUIRED, Invitee, Target, email_message, invitation_entry, invitees, uid,
)
from motesplats.write import append_line

def record_sent(path: Path, sent: Sent) -> None:
    """Append `sent` to the ledger, on disk before this returns."""
    append_line(path, (json.dumps(asdict(sent), ensure_ascii=False) + "\n").encode("utf-8"))


@dataclass(frozen=True)
class Outgoing:
    """One message a run must send."""

    person: Person
    invitee: Invitee
    method: str
    sequence: int
    fingerprint: str
    language: str
    update: bool = False  # the person has had an earlier version


def outgoing(plan: Plan, target: Target, ledger: Ledger, feed_sequence: int = 0) -> list[Outgoing]:
    """What must go out so that everyone's calendar agrees with the plan: an invitation to each
    person invited and not yet sent this version; a cancellation to each person who was sent one
    and is no longer invited, or to everyone when the meeting is cancelled; nothing else."""
    entry_uid = uid(plan, target)
    current = {} if target.cancelled else {invitee.person.id: invitee for invitee in invitees(target)}
    found = []
    for person_id, invitee in current.items():
        language = language_of(invitee.person, plan)
        fingerprint = _fingerprint(invitation_entry(plan, target, invitee, language, REQUEST), language)
        last = ledger.get((person_id, entry_uid))
        if last is not None and last.method == REQUEST and last.fingerprint == fingerprint:
            continue
        sequence = feed_sequence if last is None else max(last.sequence + 1, feed_sequence)
        found.append(Outgoing(invitee.person, invitee, REQUEST, sequence, fingerprint, language,
                              update=last is not None and last.method == REQUEST))
    people = {person.id: person for person in plan.people}
    for (person_id, sent_uid), last in sorted(ledger.items()):
        if sent_uid != entry_uid or person_id in current or last.method != REQUEST:
            continue
        if person_id not in people:  # on no roster now: no address to send the cancellation to
            gone = Person(person_id, person_id)
            found.append(Outgoing(gone, Invitee(gone, REQUIRED), CANCEL, last.sequence + 1, "cancelled",
                                  plan.settings.language))
            continue
        person = people[person_id]
        found.append(Outgoing(person, Invitee(person, REQUIRED), CANCEL, last.sequence + 1, "cancelled",
                              language_of(person, plan)))
    return found


def _fingerprint(item, language: str) -> str:
    return hashlib.sha256(repr((item, language)).encode("utf-8", "surrogatepass")).hexdigest()[:24]


@dataclass(frozen=True)
class Outcome:
    person: Person
    method: str
    sequence: int
    answer: str
    refused: bool = False


def send_all(plan: Plan, target: Target, messages: list[Outgoing], deliver: Callable[[EmailMessage, Outgoing], str],
             keep: Callable[[Sent], None], now: Callable[[], datetime],
             notice: Callable[[str], tuple[bytes | None, str]],
             told: Callable[["Outcome"], None] = lambda outcome: None) -> list[Outcome]:
    """Send each message through `deliver` and `keep` a ledger record of each one accepted, right
    away; `told` hears of each as it happens. A refused message (deliver raises Refused) is
    reported and the others go on."""
    entry_uid, outcomes = uid(plan, target), []
    for message in messages:
        stamp = now()
        item = invitation_entry(plan, target, message.invitee, message.language, message.method)
        pdf, pdf_name = notice(message.language)
        mail = email_message(plan, target, item, message.method, message.sequence, stamp, message.language,
                             pdf, pdf_name, updated=message.update)
        try:
            answer = deliver(mail, message)
        except Refused as refused:
            outcomes.append(Outcome(message.person, message.method, message.sequence, str(refused), refused=True))
            told(outcomes[-1])
            continue
        keep(Sent(message.person.id, entry_uid, message.sequence, message.method, message.fingerprint,
                  stamp.isoformat(timespec="seconds"), answer))
        outcomes.append(Outcome(message.person, message.method, message.sequence, answer))
        told(outcomes[-1])
    return outcomes


def common_refusal(outcomes: list[Outcome]) -> str:
    """The server's one answer when it refused every message (more than one) with the same: a
    setting to fix, not that many addresses; "" otherwise."""
    answers = {outcome.answer for outcome in outcomes}
    if len(outcomes) > 1 and all(outcome.refused for outcome in outcomes) and len(answers) == 1:
        return answers.pop()
    return ""


@dataclass(frozen=True)
class Answer:
    """A reply matched to a person and an invitation, or why it could not be."""

    reply: Reply
    person: Person | None = None
    target: Target | None = None
    problem: str = ""  # empty: matched

    @property
    def declined(self) -> bool:
        return not self.problem and self.reply.partstat == "DECLINED"


def match_replies(plan: Plan, replies: list[Reply], ledger: Ledger) -> list[Answer]:
    """Each reply the attendee sent themselves (`untrusted`) matched by its attendee's address and
    its UID to an invitation the ledger says was sent; one for nobody, for an entry never sent, or
    to an older SEQUENCE, is not guessed."""
    by_address = {person.email.lower(): person for person in plan.people if person.email}
    targets = {uid(plan, target): target for target in all_targets(plan)}
    vouching = plan.settings.mail.replies_authenticated_by if plan.settings.mail else ""
    answers = []
    for reply in replies:
        person, target = by_address.get(reply.address), targets.get(reply.uid)
        last = ledger.get((person.id, reply.uid)) if person else None
        problem = reply.refused or untrusted(reply, vouching)
        if problem:
            person, target = None, None  # nothing of a reply not used is taken as true
        elif person is None:
            problem = f"nobody in the rosters has the address {reply.address}"
        elif target is None:
            problem = f"no meeting or event has the UID {reply.uid}"
        elif last is None:
            problem = f"{person.name} was never sent an invitation to {target.key}"
        elif reply.sequence < last.sequence:
            problem = (f"{person.name} answered version {reply.sequence} of {target.key}, but was sent version "
                       f"{last.sequence} on {last.at[:10]}: wait for the answer to that one")
        answers.append(Answer(reply, person, target, problem))
    return answers


def untrusted(reply: Reply, vouching: str) -> str:
    """Why `reply` is not taken as its attendee's own answer; "" when it is.

    A reply counts only when sent from the attendee's own address (the From header). That header
    is whatever the sender writes, so with `vouching` (the authserv-id of the organisation's own
    mail server) the server must also have found it genuine: the topmost Authentication-Results
    header from that server says dmarc=pass, or dkim=pass signed by the From address's domain.
    Only the topmost one counts: the server adds its header above those already there, so one
    below it, even under the same name, may have been written by the sender."""
    if reply.sender != reply.address:
        return (f"sent from {reply.sender or 'no single From address'}, answers for {reply.address}: only a reply "
                "from the attendee's own address is used")
    if not vouching:
        return ""
    domain = reply.sender.rpartition("@")[2]
    found = next((header for header in reply.authentication if header.authserv_id == vouching), None)
    if found is not None and any(
            verdict.result == "pass" and (
                (verdict.method == "dmarc" and dict(verdict.properties).get("header.from", domain).lower() == domain)
                or (verdict.method == "dkim" and dict(verdict.properties).get("header.d", "").lower() == domain))
            for verdict in found.verdicts):
        return ""
    return (f"sent from {reply.sender}, but {vouching} "
            + ("did not check it" if found is None else f"did not find it genuine (no dmarc=pass, no dkim=pass for "
                                                          f"{domain})")
            + ": it may be forged")


def all_targets(plan: Plan) -> list[Target]:
    """Everything invitations can be sent for: every meeting, and other events with participants."""
    found = [Target(meeting.event, meeting) for meeting in meetings(plan)]
    keys = {target.event.id for target in found if target.meeting and target.meeting.session is None}
    return found + [Target(event) for event in plan.events if event.participants and event.id not in keys]
