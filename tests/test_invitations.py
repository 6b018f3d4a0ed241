"""Invitations over real SMTP: a server on 127.0.0.1 (aiosmtpd) receives what `motesplats invite`
sends, and every message is read back with `email` and `icalendar` (and Outlook's zone model)."""

from __future__ import annotations

import email
import email.policy
import json
import os
import signal
import socket
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import icalendar
import ics
import pytest

from tests.conftest import before_sealing
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

from tests.outlook_model import outlook_offset

BOARD_MARCH, BOARD_JUNE = "styrelsemote-2018-03-16", "styrelsemote-2018-06-08"
PASSWORD = "correct horse battery staple"
LEDGER = "calendars/invitations.jsonl"


class Inbox:
    """What the server received; it refuses the addresses in `refused` as a real server would."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.refused: set[str] = set()
        self.logins: list[tuple[str, str]] = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return f"250 2.0.0 Ok: queued as Q{len(self.messages)}"

    def authenticate(self, server, session, envelope, mechanism, auth_data):
        self.logins.append((auth_data.login.decode(), auth_data.password.decode()))
        return AuthResult(success=auth_data.password.decode() == PASSWORD, handled=False)

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [m for m in self.messages if address in m["To"]]

@pytest.fixture
def example_files(example_files: Path) -> Path:
    """The example before its minutes were sealed: these tests record what comes before."""
    return before_sealing(example_files)



def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def inbox():
    found = Inbox()
    controller = Controller(found, hostname="127.0.0.1", port=_free_port(), authenticator=found.authenticate,
                            auth_require_tls=False)
    controller.start()
    yield found, controller.port
    controller.stop()


@pytest.fixture
def workspace(example_files: Path, inbox, monkeypatch) -> Path:
    _, port = inbox
    settings = example_files / "motesplats.toml"
    text = settings.read_text(encoding="utf-8")
    example_server = text[text.index("[mail]"):]  # the example's invented server: this test's instead
    settings.write_text(text.replace(example_server, f"""[mail]
host = "127.0.0.1"
port = {port}
security = "none"
user = "kansliet"
rate = 6000
"""), encoding="utf-8")
    monkeypatch.setenv("MOTESPLATS_SMTP_PASSWORD", PASSWORD)
    return example_files


def invite(cli, workspace: Path, *args: str):
    return cli("--workspace", str(workspace), "invite", *args)


def calendar_of(message) -> tuple[object, icalendar.Event]:
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    calendar = icalendar.Calendar.from_ical(part.get_content())
    (event,) = calendar.walk("VEVENT")
    return part, calendar, event


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def ledger_lines(workspace: Path) -> list[dict]:
    path = workspace / LEDGER
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def test_the_board_is_invited_one_imip_message_each(workspace, inbox, cli):
    received, _ = inbox
    result = invite(cli, workspace, BOARD_MARCH)
    assert result.exit_code == 0, result.output
    assert len(received.messages) == 38 and received.logins == [("kansliet", PASSWORD)]
    assert {rcpts[0] for _, rcpts in received.envelopes} == {
        m["To"].addresses[0].addr_spec for m in received.messages}  # each to its own addressee
    roles = {}
    for message in received.messages:
        assert message.get_content_type() == "multipart/mixed"
        alternative, attachment = message.iter_parts()
        assert [p.get_content_type() for p in alternative.iter_parts()] == ["text/plain", "text/html", "text/calendar"]
        assert attachment.get_content_type() == "application/pdf" and attachment.get_content().startswith(b"%PDF")
        part, calendar, event = calendar_of(message)
        assert part.get_param("method") == calendar["METHOD"] == "REQUEST"
        assert part.get_content_charset() == "utf-8"
        assert str(event["UID"]) == f"{BOARD_MARCH}@kalender.malardalsradet.example"
        assert str(event["ORGANIZER"]) == "mailto:kansliet@example.se"
        attendee = event["ATTENDEE"]
        assert not isinstance(attendee, list), "one ATTENDEE: the addressee"
        assert str(attendee).lower() == f"mailto:{message['To'].addresses[0].addr_spec}".lower()
        assert attendee.params["RSVP"] == "TRUE" and attendee.params["CN"] == message["To"].addresses[0].display_name
        roles[attendee.params["CN"]] = attendee.params["ROLE"]
        assert event["DTSTART"].dt == datetime(2018, 3, 16, 9, 30, tzinfo=ZoneInfo("Europe/Stockholm"))
        assert event["DTSTAMP"].dt.utcoffset() == timedelta(0)
        assert "1. Mötets öppnande" in str(event["DESCRIPTION"])
        html = alternative.get_payload()[1].get_content()
        assert "<br>" in html and "&lt;br&gt;" not in html and "1. Mötets öppnande" in html
        (vtimezone,) = calendar.walk("VTIMEZONE")
        assert outlook_offset(vtimezone, datetime(2018, 3, 16, 9, 30)) == timedelta(hours=1)
        (by_ics,) = ics.Calendar(part.get_content()).events  # a second parser reads the same
        assert by_ics.uid == str(event["UID"]) and by_ics.begin.datetime == event["DTSTART"].dt
        assert [a.email for a in by_ics.attendees] == [message["To"].addresses[0].addr_spec]
    assert roles["Anna-Karin Lindqvist"] == "REQ-PARTICIPANT" and roles["Emma Forslund"] == "OPT-PARTICIPANT"
    assert sum(role == "REQ-PARTICIPANT" for role in roles.values()) == 19
    lines = ledger_lines(workspace)
    assert len(lines) == 38 and all(line["answer"].startswith("250 2.0.0 Ok: queued as Q") for line in lines)
    assert "@" not in (workspace / LEDGER).read_text(encoding="utf-8").replace("@kalender.malardalsradet.example", "")


def test_running_again_sends_nothing_then_an_edit_sends_updates_with_a_higher_sequence(workspace, inbox, cli):
    received, _ = inbox
    assert invite(cli, workspace, BOARD_MARCH).exit_code == 0
    first = {m["To"].addresses[0].addr_spec: int(calendar_of(m)[2]["SEQUENCE"]) for m in received.messages}
    result = invite(cli, workspace, BOARD_MARCH)
    assert result.exit_code == 0 and "Nothing to send" in result.output and len(received.messages) == 38
    events = workspace / "events" / "styrelsemoten-2018.toml"
    edit(events, "start = 2018-03-16T09:30:00\nend = 2018-03-16T12:30:00",
         "start = 2018-03-16T13:00:00\nend = 2018-03-16T16:00:00")
    edit(events, 'start = 2018-03-16T09:30:00\nend = 2018-03-16T10:15:00', 'start = 2018-03-16T13:00:00\nend = 2018-03-16T13:45:00')
    edit(events, 'start = 2018-03-16T10:30:00\nend = 2018-03-16T12:30:00', 'start = 2018-03-16T14:00:00\nend = 2018-03-16T16:00:00')
    result = invite(cli, workspace, BOARD_MARCH)
    assert result.exit_code == 0, result.output
    updates = received.messages[38:]
    assert len(updates) == 38
    for message in updates:
        _, calendar, event = calendar_of(message)
        assert calendar["METHOD"] == "REQUEST" and message["Subject"].startswith("Ändrad kallelse")
        assert int(event["SEQUENCE"]) == first[message["To"].addresses[0].addr_spec] + 1
        assert event["DTSTART"].dt == datetime(2018, 3, 16, 13, 0, tzinfo=ZoneInfo("Europe/Stockholm"))


def test_a_cancelled_meeting_and_a_member_no_longer_summoned_get_a_cancel_with_the_same_uid(workspace, inbox, cli):
    received, _ = inbox
    assert invite(cli, workspace, "styrelsemote-2018-06-08").exit_code == 0
    board = workspace / "events" / "board.csv"
    text = board.read_text(encoding="utf-8-sig")
    board.write_text("\ufeff" + "".join(line for line in text.splitlines(keepends=True)
                                        if not line.startswith("niklas-backman;")), encoding="utf-8")
    assert invite(cli, workspace, "styrelsemote-2018-06-08").exit_code == 0
    (cancel,) = received.messages[38:]
    part, calendar, event = calendar_of(cancel)
    assert cancel["To"].addresses[0].addr_spec == "niklas.backman@example.se"
    assert part.get_param("method") == calendar["METHOD"] == "CANCEL" and event["STATUS"] == "CANCELLED"
    assert str(event["UID"]) == "styrelsemote-2018-06-08@kalender.malardalsradet.example"
    assert not [p for p in cancel.walk() if p.get_content_type() == "application/pdf"]
    assert cancel["Subject"].startswith("Inte längre kallad:")  # the meeting itself goes ahead
    edit(workspace / "events" / "styrelsemoten-2018.toml", 'id = "styrelsemote-2018-06-08"',
         'id = "styrelsemote-2018-06-08"\nstatus = "cancelled"')
    result = invite(cli, workspace, "styrelsemote-2018-06-08")
    assert result.exit_code == 0, result.output
    cancels = received.messages[39:]
    assert len(cancels) == 37  # everyone still summoned; Niklas Bäckman has had his
    sequences = {int(calendar_of(m)[2]["SEQUENCE"]) for m in cancels}
    assert {calendar_of(m)[1]["METHOD"] for m in cancels} == {"CANCEL"} and len(sequences) == 1
    assert all(m["Subject"].startswith("Inställt:") for m in cancels)
    assert invite(cli, workspace, "styrelsemote-2018-06-08").output.startswith("Nothing to send")


def test_times_of_a_meeting_in_paris_are_in_paris(workspace, inbox, cli):
    received, _ = inbox
    result = invite(cli, workspace, "signering-ile-de-france-2020")
    assert result.exit_code == 0, result.output
    assert received.messages
    for message in received.messages:
        _, calendar, event = calendar_of(message)
        assert event["DTSTART"].params["TZID"] == "Europe/Paris"
        assert event["DTSTART"].dt == datetime(2020, 2, 13, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
        (vtimezone,) = calendar.walk("VTIMEZONE")
        assert outlook_offset(vtimezone, datetime(2020, 2, 13, 10, 0)) == timedelta(hours=1)
    french = next(m for m in received.messages if "pecresse" in m["To"].addresses[0].addr_spec)
    assert french["Content-Language"] == "fr" and french["Subject"].startswith("Convocation")


def test_a_refused_address_is_reported_with_the_servers_reply_and_the_others_go(workspace, inbox, cli):
    received, _ = inbox
    received.refused.add("jonas.ek@example.se")
    result = invite(cli, workspace, BOARD_MARCH)
    assert result.exit_code == 1
    assert ("not sent: Jonas Ek (jonas-ek): the server answered 550 5.1.1 <jonas.ek@example.se>: Recipient address "
            "rejected: User unknown in virtual mailbox table") in result.output
    assert len(received.messages) == 37 and len(ledger_lines(workspace)) == 37
    received.refused.clear()
    result = invite(cli, workspace, BOARD_MARCH)
    assert result.exit_code == 0 and len(received.messages) == 38
    assert received.messages[-1]["To"].addresses[0].addr_spec == "jonas.ek@example.se"


def test_a_wrong_password_or_none_sends_nothing(workspace, inbox, cli, monkeypatch):
    received, _ = inbox
    monkeypatch.setenv("MOTESPLATS_SMTP_PASSWORD", "wrong")
    result = invite(cli, workspace, BOARD_MARCH)
    assert result.exit_code == 1 and "refused the login of kansliet: 535" in result.output
    monkeypatch.delenv("MOTESPLATS_SMTP_PASSWORD")
    result = invite(cli, workspace, BOARD_MARCH)
    assert result.exit_code == 1 and "MOTESPLATS_SMTP_PASSWORD" in result.output
    assert received.messages == [] and ledger_lines(workspace) == []


def test_a_password_written_in_the_settings_is_refused(workspace, cli):
    edit(workspace / "motesplats.toml", 'user = "kansliet"', 'user = "kansliet"\npassword = "hunter2"')
    result = cli("--workspace", str(workspace), "check")
    assert result.exit_code == 1 and "unknown field 'password' in mail" in result.output


def test_dry_run_writes_the_messages_for_review_and_sends_nothing(workspace, inbox, cli):
    received, _ = inbox
    result = invite(cli, workspace, BOARD_MARCH, "--dry-run", "--to", "helena-forsberg")
    assert result.exit_code == 0, result.output
    (written,) = (workspace / "build" / "outbox" / BOARD_MARCH).iterdir()
    assert written.name == "helena-forsberg.request.eml"
    assert b"\r\n" in written.read_bytes() and b"\n" not in written.read_bytes().replace(b"\r\n", b"")  # as sent
    message = email.message_from_bytes(written.read_bytes(), policy=email.policy.default)
    assert calendar_of(message)[2]["ATTENDEE"].params["CN"] == "Helena Forsberg"
    assert received.messages == [] and ledger_lines(workspace) == []
    result = invite(cli, workspace, BOARD_MARCH, "--to", "helena-forsberg")
    assert result.exit_code == 0 and len(received.messages) == 1


def test_a_run_killed_after_the_third_message_sends_the_rest_exactly_once(workspace, inbox):
    received, _ = inbox
    edit(workspace / "motesplats.toml", "rate = 6000", "rate = 120")  # half a second apart
    command = [sys.executable, "-m", "motesplats", "--workspace", str(workspace), "invite", BOARD_MARCH]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=os.environ.copy())
    deadline = time.monotonic() + 60
    while len(ledger_lines(workspace)) < 3:
        assert run.poll() is None and time.monotonic() < deadline, run.stderr.read() if run.poll() else "too slow"
        time.sleep(0.02)
    os.kill(run.pid, signal.SIGKILL)
    run.wait()
    sent_before = len(received.messages)
    assert 3 <= sent_before <= 4  # the third is recorded; the fourth may be on its way
    edit(workspace / "motesplats.toml", "rate = 120", "rate = 6000")
    again = subprocess.run(command, capture_output=True, text=True, env=os.environ.copy())
    assert again.returncode == 0, again.stderr
    recipients = [m["To"].addresses[0].addr_spec for m in received.messages]
    recorded = len(ledger_lines(workspace))
    assert recorded == 38 or recorded == 39  # a message accepted as the kill came is recorded again, not lost
    assert len(set(recipients)) == 38
    assert len(recipients) - len(set(recipients)) == sent_before - 3, "only a message in flight at the kill twice"


def test_an_invited_member_has_the_meeting_once_not_also_in_their_personal_feed(workspace, inbox, cli):
    from motesplats.build import SECRET_FILE
    from motesplats.render.feeds import personal_path
    (workspace / SECRET_FILE).write_text("6d6f7465" * 16 + "\n", encoding="ascii")
    assert cli("--workspace", str(workspace), "build", "--only", "feeds", "--jobs", "1").exit_code == 0
    uid = f"{BOARD_MARCH}@kalender.malardalsradet.example"
    secret = (workspace / SECRET_FILE).read_text(encoding="ascii").strip().encode()

    def personal_entries(person_id: str) -> dict[str, str]:
        feed = workspace / "build" / personal_path(secret, person_id)
        calendar = icalendar.Calendar.from_ical(feed.read_bytes())
        return {str(e["UID"]): str(e.get("STATUS")) for e in calendar.walk("VEVENT")}

    assert personal_entries("helena-forsberg")[uid] == "CONFIRMED"
    assert invite(cli, workspace, BOARD_MARCH, "--to", "helena-forsberg").exit_code == 0
    assert cli("--workspace", str(workspace), "build", "--only", "feeds", "--jobs", "1").exit_code == 0
    assert uid not in personal_entries("helena-forsberg"), "her copy is the invitation, with no cancelled ghost"
    assert personal_entries("mats-ekstrom")[uid] == "CONFIRMED"  # not invited yet: still in his feed
    (board,) = (workspace / "build" / "calendars").glob("board-*.ics")
    assert uid in board.read_text(encoding="utf-8").replace("\r\n ", "")


def test_check_warns_when_the_notice_is_due_and_invitations_have_not_gone(workspace, inbox, cli):
    from datetime import date

    from motesplats.validate import check_workspace
    from motesplats.workspace import open_workspace
    between = date(2018, 3, 10)  # the board's notice is due 7 days before 16 March
    (warning,) = [p for p in check_workspace(open_workspace(workspace), today=between).warnings
                  if "notice of" in p.message]
    assert warning.message == ("the notice of styrelsemote-2018-03-16 was due on 2018-03-09, but 38 of 38 summoned "
                               "have no invitation")
    assert warning.hint == "run motesplats invite styrelsemote-2018-03-16"
    assert warning.file == "events/styrelsemoten-2018.toml"
    assert invite(cli, workspace, BOARD_MARCH).exit_code == 0
    assert not [p for p in check_workspace(open_workspace(workspace), today=between).warnings if "notice of" in p.message]
    assert not [p for p in check_workspace(open_workspace(workspace), today=date(2018, 3, 8)).warnings
                if "notice of" in p.message]  # not due yet


# --- replies, in the shapes Outlook and Gmail send them ----------------------------------------

def _reply_calendar(uid: str, sequence: int, address: str, name: str, partstat: str, client: str) -> str:
    attendee = (f"ATTENDEE;PARTSTAT={partstat};CN={name}:mailto:{address}" if client == "outlook" else
                f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT={partstat};CN={name};X-NUM-GUESTS=0:"
                f"mailto:{address}")
    prodid = "Microsoft Exchange Server 2010" if client == "outlook" else "-//Google Inc//Google Calendar 70.9054//EN"
    lines = ["BEGIN:VCALENDAR", "METHOD:REPLY", f"PRODID:{prodid}", "VERSION:2.0", "BEGIN:VEVENT", attendee,
             "COMMENT;LANGUAGE=sv-SE:Jag har förhinder." if partstat == "DECLINED" else "",
             "DTSTART;TZID=W. Europe Standard Time:20180316T093000", f"UID:{uid}", f"SEQUENCE:{sequence}",
             "DTSTAMP:20180305T081500Z", "STATUS:CONFIRMED", f"X-MICROSOFT-CDO-APPT-SEQUENCE:{sequence}",
             "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(line for line in lines if line) + "\r\n"


def _reply_message(uid: str, sequence: int, address: str, name: str, partstat: str, client: str):
    from email.message import EmailMessage
    calendar = _reply_calendar(uid, sequence, address, name, partstat, client)
    message = EmailMessage()
    message["From"] = f"{name} <{address}>"
    message["To"] = "Mälardalsrådet <kansliet@example.se>"
    message["Subject"] = {"DECLINED": "Avböjt", "ACCEPTED": "Accepterat", "TENTATIVE": "Preliminärt"}[partstat] + \
        ": Styrelsemöte"
    message.set_content(f"{name} har svarat.\n")
    message.add_alternative(calendar.encode(), maintype="text", subtype="calendar",
                            params={"method": "REPLY", "charset": "utf-8"}, cte="base64")
    if client == "gmail":  # Gmail attaches the same calendar as invite.ics too
        message.add_attachment(calendar.encode(), maintype="application", subtype="ics", filename="invite.ics")
    return message


def test_replies_from_outlook_and_gmail_are_matched_and_declines_become_apologies(workspace, inbox, cli, tmp_path):
    import mailbox
    assert invite(cli, workspace, BOARD_JUNE).exit_code == 0
    first = {line["person"]: line["sequence"] for line in ledger_lines(workspace)}
    edit(workspace / "events" / "styrelsemoten-2018.toml", 'sv = "Styrelsemöte 8 juni 2018"',
         'sv = "Styrelsemöte 8 juni 2018 (ny lokal)"')
    assert invite(cli, workspace, BOARD_JUNE).exit_code == 0
    now = {line["person"]: line["sequence"] for line in ledger_lines(workspace)}
    assert now["helena-forsberg"] == first["helena-forsberg"] + 1
    uid = f"{BOARD_JUNE}@kalender.malardalsradet.example"  # its minutes' adjuster is Ahmed Karimi
    box = mailbox.mbox(tmp_path / "svar.mbox")
    box.add(_reply_message(uid, now["helena-forsberg"], "Helena.Forsberg@example.se", "Helena Forsberg", "DECLINED",
                           "outlook"))
    box.add(_reply_message(uid, now["jonas-ek"], "jonas.ek@example.se", "Jonas Ek", "DECLINED", "gmail"))
    box.add(_reply_message(uid, now["mats-ekstrom"], "mats.ekstrom@example.se", "Mats Ekström", "ACCEPTED", "gmail"))
    box.add(_reply_message(uid, first["sofia-lundmark"], "sofia.lundmark@example.se", "Sofia Lundmark", "DECLINED",
                           "outlook"))  # to the version before the update
    box.add(_reply_message(uid, 3, "okand@example.org", "Okänd", "DECLINED", "outlook"))
    box.flush()
    result = cli("--workspace", str(workspace), "import", "replies", str(tmp_path / "svar.mbox"), "--yes")
    assert result.exit_code == 1
    assert f"declined: Helena Forsberg (helena-forsberg), {BOARD_JUNE}: Jag har förhinder." in result.output
    assert "declined: Jonas Ek (jonas-ek)" in result.output and "accepted: Mats Ekström (mats-ekstrom)" in result.output
    assert result.output.count("declined: Jonas Ek (jonas-ek)") == 1  # the calendar part and invite.ics: one reply
    assert (f"not used: svar.mbox, message 4: Sofia Lundmark answered version {first['sofia-lundmark']} of "
            f"{BOARD_JUNE}, but was sent version {now['sofia-lundmark']}") in result.output
    assert "not used: svar.mbox, message 5: nobody in the rosters has the address okand@example.org" in result.output
    import tomllib
    attendance = tomllib.loads((workspace / "attendance" / f"{BOARD_JUNE}.toml").read_text(encoding="utf-8"))
    assert attendance["apologies"] == ["helena-forsberg", "jonas-ek"]  # not Sofia Lundmark: her answer was old
    proposal = cli("--workspace", str(workspace), "attendance", BOARD_JUNE)
    assert "Kalla in Patrik Ljungberg (S), Region Östergötland för Helena Forsberg (M)" in proposal.output


def test_replies_in_a_maildir_and_as_eml_files(workspace, inbox, cli, tmp_path):
    import mailbox
    assert invite(cli, workspace, "styrelsemote-2018-09-21").exit_code == 0
    sent = {line["person"]: line["sequence"] for line in ledger_lines(workspace)}
    uid = "styrelsemote-2018-09-21@kalender.malardalsradet.example"
    maildir = mailbox.Maildir(tmp_path / "Svar", create=True)
    maildir.add(_reply_message(uid, sent["erik-dahlgren"], "erik.dahlgren@example.se", "Erik Dahlgren", "TENTATIVE",
                               "outlook"))
    result = cli("--workspace", str(workspace), "import", "replies", str(tmp_path / "Svar"), "--yes")
    assert result.exit_code == 0 and "tentative: Erik Dahlgren (erik-dahlgren)" in result.output
    (tmp_path / "eml").mkdir()
    (tmp_path / "eml" / "svar.eml").write_bytes(_reply_message(
        uid, sent["olof-hallin"], "olof.hallin@example.se", "Olof Hallin", "DECLINED", "gmail").as_bytes())
    result = cli("--workspace", str(workspace), "import", "replies", str(tmp_path / "eml"), "--yes")
    assert result.exit_code == 0, result.output
    import tomllib
    attendance = tomllib.loads((workspace / "attendance" / "styrelsemote-2018-09-21.toml").read_text(encoding="utf-8"))
    assert attendance == {"meeting": "styrelsemote-2018-09-21", "apologies": ["olof-hallin"]}
    again = cli("--workspace", str(workspace), "import", "replies", str(tmp_path / "eml"), "--yes")
    assert again.exit_code == 0
    assert (workspace / "attendance" / "styrelsemote-2018-09-21.toml").read_text(encoding="utf-8").count("olof") == 1


# --- TLS: STARTTLS and implicit TLS, with a certificate the test makes and trusts --------------

@pytest.fixture(scope="module")
def certificate(tmp_path_factory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("tls")
    key, cert = folder / "key.pem", folder / "cert.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1",
                    "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", str(key), "-out", str(cert)],
                   check=True, capture_output=True)
    return key, cert


@pytest.mark.parametrize("security", ["starttls", "tls"])
def test_mail_goes_over_starttls_or_implicit_tls_to_a_server_whose_certificate_is_checked(
        example_files, certificate, monkeypatch, cli, security):
    import ssl
    key, cert = certificate
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    received = Inbox()
    options = {"tls_context": context, "require_starttls": True} if security == "starttls" else \
        {"ssl_context": context, "auth_require_tls": False}  # aiosmtpd cannot tell the socket is TLS
    controller = Controller(received, hostname="127.0.0.1", port=_free_port(), authenticator=received.authenticate,
                            **options)
    controller.start()
    try:
        settings = example_files / "motesplats.toml"
        text = settings.read_text(encoding="utf-8")
        settings.write_text(text.replace(text[text.index("[mail]"):], f'[mail]\nhost = "127.0.0.1"\n'
                                         f'port = {controller.port}\nsecurity = "{security}"\nuser = "kansliet"\n'
                                         'rate = 6000\n'), encoding="utf-8")
        monkeypatch.setenv("MOTESPLATS_SMTP_PASSWORD", PASSWORD)
        result = invite(cli, example_files, BOARD_MARCH, "--to", "helena-forsberg")
        assert result.exit_code == 1 and "certificate verify failed" in result.output  # not trusted yet
        monkeypatch.setenv("SSL_CERT_FILE", str(cert))  # now the machine trusts it
        result = invite(cli, example_files, BOARD_MARCH, "--to", "helena-forsberg")
        assert result.exit_code == 0, result.output
        assert len(received.messages) == 1 and received.logins == [("kansliet", PASSWORD)]
    finally:
        controller.stop()


def test_someone_on_no_roster_any_more_is_reported_since_their_cancellation_has_no_address(workspace, inbox, cli):
    received, _ = inbox
    assert invite(cli, workspace, "styrelsemote-2018-06-08").exit_code == 0
    for roster in ("board", "council"):
        path = workspace / "events" / f"{roster}.csv"
        text = path.read_text(encoding="utf-8-sig")
        path.write_text("\ufeff" + "".join(line for line in text.splitlines(keepends=True)
                                           if not line.startswith("sara-blom;")), encoding="utf-8")
    result = invite(cli, workspace, "styrelsemote-2018-06-08")
    assert result.exit_code == 1, result.output
    assert "not sent: sara-blom (sara-blom) is on no roster now, so there is no address" in result.output
    assert len(received.messages) == 38


def test_a_decline_to_a_cancelled_meeting_records_nothing(workspace, inbox, cli, tmp_path):
    assert invite(cli, workspace, "styrelsemote-2018-06-08").exit_code == 0
    sequence = {line["person"]: line["sequence"] for line in ledger_lines(workspace)}["olof-hallin"]
    edit(workspace / "events" / "styrelsemoten-2018.toml", 'id = "styrelsemote-2018-06-08"',
         'id = "styrelsemote-2018-06-08"\nstatus = "cancelled"')
    (tmp_path / "svar.eml").write_bytes(_reply_message(
        "styrelsemote-2018-06-08@kalender.malardalsradet.example", sequence, "olof.hallin@example.se", "Olof Hallin",
        "DECLINED", "outlook").as_bytes())
    result = cli("--workspace", str(workspace), "import", "replies", str(tmp_path / "svar.eml"), "--yes")
    assert result.exit_code == 0 and "declined: Olof Hallin" in result.output
    assert not (workspace / "attendance" / "styrelsemote-2018-06-08.toml").exists()
