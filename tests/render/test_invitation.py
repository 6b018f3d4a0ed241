"""The headers of an invitation: addresses built as structures, one line per header, whatever the
names and titles hold; read back with the `email` parser."""

from __future__ import annotations

import email
import email.policy
from dataclasses import replace
from datetime import datetime, timezone
from pathlib import Path

from motesplats.meetings import meetings
from motesplats.render.invitation import REQUEST, Invitee, REQUIRED, Target, email_message, invitation_entry
from motesplats.validate import check_workspace
from motesplats.workspace import open_workspace

BOARD_MARCH = "styrelsemote-2018-03-16"
HOSTILE_NAME = 'Helena "Åsa", <evil@attacker.example> Forsberg'


def _parsed(message) -> email.message.EmailMessage:
    return email.message_from_bytes(message.as_bytes(policy=message.policy.clone(linesep="\r\n")),
                                    policy=email.policy.default)


def test_a_name_with_quotes_a_comma_and_an_address_stays_one_name_in_the_written_to(example_files, cli):
    for roster in ("board", "council", "berlin-delegation"):
        path = example_files / "events" / f"{roster}.csv"
        path.write_text(path.read_text(encoding="utf-8-sig").replace("Helena Forsberg", HOSTILE_NAME),
                        encoding="utf-8")
    result = cli("--workspace", str(example_files), "invite", BOARD_MARCH, "--dry-run", "--to", "helena-forsberg")
    assert result.exit_code == 0, result.output
    written = example_files / "build" / "outbox" / BOARD_MARCH / "helena-forsberg.request.eml"
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    (to,) = message["To"].addresses
    assert (to.display_name, to.addr_spec) == (HOSTILE_NAME, "helena.forsberg@example.se")
    assert [a.addr_spec for a in message["From"].addresses] == ["kansliet@example.se"]


def _board_march(workspace: Path):
    plan = check_workspace(open_workspace(workspace)).plan
    (meeting,) = [m for m in meetings(plan) if m.key == BOARD_MARCH]
    return plan, Target(meeting.event, meeting)


def test_line_separators_and_control_characters_in_a_title_or_name_become_a_space_in_the_headers(example_files):
    plan, target = _board_march(example_files)
    person = next(p for p in plan.people if p.id == "helena-forsberg")
    item = invitation_entry(plan, target, Invitee(person, REQUIRED), "sv", REQUEST)
    item = replace(item, summary="Styrelsemöte\u2028Bcc: evil@attacker.example\u2029\x1b[2J\x85slut",
                   attendees=(replace(item.attendees[0], name="Helena\u2028Forsberg\r\nCc: evil@attacker.example"),))
    message = _parsed(email_message(plan, target, item, REQUEST, 0, datetime(2018, 3, 1, tzinfo=timezone.utc), "sv",
                                    None, ""))
    assert message["Subject"] == "Kallelse: Styrelsemöte Bcc: evil@attacker.example [2J slut"
    assert message["Bcc"] is None and message["Cc"] is None
    (to,) = message["To"].addresses
    assert (to.display_name, to.addr_spec) == ("Helena Forsberg Cc: evil@attacker.example", "helena.forsberg@example.se")
