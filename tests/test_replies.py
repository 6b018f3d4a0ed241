"""`motesplats import replies`: only an attendee's own reply is recorded, mailboxes from outside
are read with care, what is printed cannot forge a line, and nothing is written unasked.

Invitations go to a real SMTP server on 127.0.0.1 first (tests/test_invitations.py), so the
replies answer invitations the ledger records; the replies are real mbox, Maildir and .eml files.
"""

from __future__ import annotations

import json
import mailbox
import os
import resource
import subprocess
import sys
import tomllib
from pathlib import Path

from typer.testing import CliRunner

from motesplats.cli import app
from motesplats.schema import all_schemas
# example_files: the example before its minutes were sealed, as the replies record apologies to a past meeting
from tests.test_invitations import (  # noqa: F401
    _reply_message, edit, example_files, inbox, invite, ledger_lines, workspace)

SEPTEMBER = "styrelsemote-2018-09-21"
UID = f"{SEPTEMBER}@kalender.malardalsradet.example"
BOARD = {"helena-forsberg": ("helena.forsberg@example.se", "Helena Forsberg"),
         "jonas-ek": ("jonas.ek@example.se", "Jonas Ek"),
         "olof-hallin": ("olof.hallin@example.se", "Olof Hallin"),
         "mats-ekstrom": ("mats.ekstrom@example.se", "Mats Ekström")}


def _sent(cli, workspace: Path) -> dict[str, int]:
    """Invite the September board meeting; the SEQUENCE each person was sent."""
    assert invite(cli, workspace, SEPTEMBER).exit_code == 0
    return {line["person"]: line["sequence"] for line in ledger_lines(workspace)}


def _decline(person: str, sequence: int, client: str = "outlook"):
    address, name = BOARD[person]
    return _reply_message(UID, sequence, address, name, "DECLINED", client)


def _with_headers(message, *headers: str) -> bytes:
    """The message as received: `headers` added on top, as each server on the way adds its own."""
    return "".join(f"{header}\r\n" for header in headers).encode() + message.as_bytes(
        policy=message.policy.clone(linesep="\r\n"))


def _apologies(workspace: Path) -> list[str] | None:
    path = workspace / "attendance" / f"{SEPTEMBER}.toml"
    return tomllib.loads(path.read_text(encoding="utf-8")).get("apologies") if path.exists() else None


def _import(cli, workspace: Path, path: Path, *options: str):
    return cli("--workspace", str(workspace), "import", "replies", str(path), *options)


# --- 1. who may answer for whom --------------------------------------------------------------

def test_one_forged_reply_declining_for_three_board_members_records_nothing(workspace, inbox, cli, tmp_path):
    sent = _sent(cli, workspace)
    message = _decline("helena-forsberg", sent["helena-forsberg"])
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    calendar = part.get_content().replace(
        "ATTENDEE;", "ATTENDEE;PARTSTAT=DECLINED:mailto:jonas.ek@example.se\r\n"
                     "ATTENDEE;PARTSTAT=DECLINED:mailto:olof.hallin@example.se\r\nATTENDEE;", 1)
    part.set_content(calendar.encode(), maintype="text", subtype="calendar", params={"method": "REPLY"})
    message.replace_header("From", "Styrelsen <attacker@evil.example>")
    (tmp_path / "svar.eml").write_bytes(message.as_bytes())
    result = _import(cli, workspace, tmp_path / "svar.eml", "--yes")
    assert result.exit_code == 1, result.output
    assert ("not used: svar.eml: a reply answers for one attendee, this one names 3 (jonas.ek@example.se, "
            "olof.hallin@example.se, helena.forsberg@example.se)") in result.output
    assert _apologies(workspace) is None


def test_a_reply_is_used_only_from_the_attendees_own_address_whatever_sender_and_reply_to_say(
        workspace, inbox, cli, tmp_path):
    sent = _sent(cli, workspace)
    box = mailbox.mbox(tmp_path / "svar.mbox")
    forged = _decline("helena-forsberg", sent["helena-forsberg"])
    forged.replace_header("From", "Helena Forsberg <attacker@evil.example>")
    forged["Sender"] = "helena.forsberg@example.se"
    forged["Reply-To"] = "helena.forsberg@example.se"
    box.add(forged)
    named = _decline("jonas-ek", sent["jonas-ek"])  # the attendee's address as the display name only
    named.replace_header("From", '"jonas.ek@example.se" <attacker@evil.example>')
    box.add(named)
    box.add(_decline("olof-hallin", sent["olof-hallin"]))
    box.flush()
    result = _import(cli, workspace, tmp_path / "svar.mbox", "--yes")
    assert result.exit_code == 1, result.output
    assert ("not used: svar.mbox, message 1: sent from attacker@evil.example, answers for "
            "helena.forsberg@example.se") in result.output
    assert "not used: svar.mbox, message 2: sent from attacker@evil.example, answers for jonas.ek@example.se" \
        in result.output
    assert "declined: Olof Hallin (olof-hallin)" in result.output
    assert _apologies(workspace) == ["olof-hallin"]


def test_with_replies_authenticated_by_only_what_the_organisations_server_found_genuine_is_used(
        workspace, inbox, cli, tmp_path):
    edit(workspace / "motesplats.toml", "rate = 6000", 'rate = 6000\nreplies_authenticated_by = "MX.region.se"')
    sent = _sent(cli, workspace)
    folder = tmp_path / "eml"
    folder.mkdir()
    ours = "Authentication-Results: mx.region.se;"

    def write(name: str, person: str, *headers: str) -> None:
        (folder / name).write_bytes(_with_headers(_decline(person, sent[person]), *headers))

    write("1-dmarc.eml", "olof-hallin", f"{ours} spf=pass smtp.mailfrom=example.se;\r\n dkim=pass header.d=example.se"
                                        " header.s=sel1;\r\n dmarc=pass action=none header.from=example.se")
    write("2-dkim.eml", "mats-ekstrom", f"{ours} dkim=pass (signature was verified) header.d=example.se; dmarc=none")
    write("3-unchecked.eml", "helena-forsberg")
    write("4-forged-below.eml", "jonas-ek", "Authentication-Results: mx.region.se; dmarc=fail header.from=example.se",
          "Received: from evil.example by mx.region.se", f"{ours} dmarc=pass header.from=example.se")
    (folder / "5-other-signer.eml").write_bytes(_with_headers(
        _decline("helena-forsberg", sent["helena-forsberg"]),
        f"{ours} dkim=pass header.d=evil.example; dmarc=fail header.from=example.se"))
    (folder / "6-quoted.eml").write_bytes(_with_headers(
        _decline("jonas-ek", sent["jonas-ek"]), f'{ours} dkim=fail reason="bad; dmarc=pass"; dmarc=none'))
    (folder / "7-someone-else-vouches.eml").write_bytes(_with_headers(
        _decline("helena-forsberg", sent["helena-forsberg"]), "Authentication-Results: mx.evil.example; dmarc=pass"))
    result = _import(cli, workspace, folder, "--yes")
    assert result.exit_code == 1, result.output
    assert "declined: Olof Hallin (olof-hallin)" in result.output
    assert "declined: Mats Ekström (mats-ekstrom)" in result.output
    for name, verdict in [("3-unchecked", "did not check it"), ("4-forged-below", "did not find it genuine"),
                          ("5-other-signer", "did not find it genuine"), ("6-quoted", "did not find it genuine"),
                          ("7-someone-else-vouches", "did not check it")]:
        assert f"not used: {name}.eml: sent from " in result.output
        line = next(line for line in result.output.splitlines() if line.startswith(f"not used: {name}.eml"))
        assert f"but mx.region.se {verdict}" in line and line.endswith("it may be forged"), line
    assert _apologies(workspace) == ["olof-hallin", "mats-ekstrom"]


def test_check_and_the_schema_know_replies_authenticated_by(example_files, cli):
    schema = json.loads(all_schemas()["motesplats.schema.json"])
    assert "replies_authenticated_by" in json.dumps(schema)
    edit(example_files / "motesplats.toml", "rate = 30", 'rate = 30\nreplies_authenticated_by = "mx.region.se; x"')
    result = cli("--workspace", str(example_files), "check")
    assert result.exit_code == 1
    line = next(line for line in result.output.splitlines() if "replies_authenticated_by" in line)
    assert line.startswith("motesplats.toml:72: error: 'mx.region.se; x' is not a mail server's authserv-id"), line
    edit(example_files / "motesplats.toml", "mx.region.se; x", "mx.region.se")
    assert cli("--workspace", str(example_files), "check").exit_code == 0


# --- what is written, and when -------------------------------------------------------------

def test_dry_run_shows_what_would_be_recorded_and_without_yes_the_organiser_is_asked(workspace, inbox, cli, tmp_path):
    sent = _sent(cli, workspace)
    (tmp_path / "svar.eml").write_bytes(_decline("olof-hallin", sent["olof-hallin"]).as_bytes())
    arguments = ["--workspace", str(workspace), "import", "replies", str(tmp_path / "svar.eml")]
    dry = cli(*arguments, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert f"to record: apologies of Olof Hallin (olof-hallin), {SEPTEMBER}" in dry.output
    assert "1 decline(s) to record as apologies" in dry.output and "nothing was recorded" in dry.output
    assert _apologies(workspace) is None
    unasked = CliRunner().invoke(app, arguments)  # stdin at its end: nobody to say yes
    assert unasked.exit_code == 1 and "Nothing was recorded" in unasked.output
    assert _apologies(workspace) is None
    declined = CliRunner().invoke(app, arguments, input="n\n")
    assert declined.exit_code == 1 and _apologies(workspace) is None
    confirmed = CliRunner().invoke(app, arguments, input="y\n")
    assert confirmed.exit_code == 0, confirmed.output
    assert "Record 1 apolog(ies) in 1 attendance file(s)? [y/N]" in confirmed.output
    assert _apologies(workspace) == ["olof-hallin"]


def test_importing_the_same_replies_again_says_they_are_already_recorded_and_writes_nothing(
        workspace, inbox, cli, tmp_path):
    sent = _sent(cli, workspace)
    box = mailbox.mbox(tmp_path / "svar.mbox")
    box.add(_decline("olof-hallin", sent["olof-hallin"]))
    box.add(_decline("jonas-ek", sent["jonas-ek"], "gmail"))
    box.flush()
    first = _import(cli, workspace, tmp_path / "svar.mbox", "--yes")
    assert first.exit_code == 0 and "2 decline(s) to record as apologies, 0 already recorded" in first.output
    attendance = workspace / "attendance" / f"{SEPTEMBER}.toml"
    written = attendance.read_bytes()
    again = _import(cli, workspace, tmp_path / "svar.mbox")  # no --yes: nothing to ask about
    assert again.exit_code == 0, again.output
    assert f"already recorded: apologies of Olof Hallin (olof-hallin), {SEPTEMBER}" in again.output
    assert "0 decline(s) to record as apologies, 2 already recorded" in again.output
    assert "Recorded in" not in again.output and "to record:" not in again.output
    assert attendance.read_bytes() == written


# --- 3. text from the mail on the organiser's terminal ----------------------------------------

def test_a_comment_with_line_breaks_and_escapes_cannot_forge_a_line_on_the_terminal(workspace, inbox, cli, tmp_path):
    sent = _sent(cli, workspace)
    message = _decline("olof-hallin", sent["olof-hallin"])
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    forged_line = f"declined: Helena Forsberg (helena-forsberg), {SEPTEMBER}"
    calendar = part.get_content().replace(
        "Jag har förhinder.", f"Förhinder.\\n{forged_line}\x1b[2K\u2028accepted: Jonas Ek\x9b1A", 1)
    part.set_content(calendar.encode(), maintype="text", subtype="calendar", params={"method": "REPLY"})
    (tmp_path / "svar.eml").write_bytes(message.as_bytes())
    result = _import(cli, workspace, tmp_path / "svar.eml", "--dry-run")
    assert result.exit_code == 0, result.output
    assert not any(character in result.output for character in "\x1b\x9b\u2028")
    lines = result.output.split("\n")
    assert not any(line.startswith(("declined: Helena", "accepted: Jonas")) for line in lines), result.output
    assert (f"declined: Olof Hallin (olof-hallin), {SEPTEMBER}: Förhinder.\\n{forged_line}\\x1b[2K\\u2028"
            "accepted: Jonas Ek\\x9b1A") in lines


# --- 2. files from outside ---------------------------------------------------------------------

def _run(workspace: Path, path: Path) -> subprocess.CompletedProcess:
    """The command in its own process, bounded in memory and time: before these checks it read a
    FIFO for ever and /dev/zero until the machine ran out."""
    def bounded() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    return subprocess.run([sys.executable, "-m", "motesplats", "--workspace", str(workspace), "import", "replies",
                           str(path), "--yes"], capture_output=True, text=True, timeout=60, preexec_fn=bounded,
                          stdin=subprocess.DEVNULL, env=os.environ.copy())


def test_an_mbox_that_is_a_fifo_or_a_device_is_refused(workspace, tmp_path):
    os.mkfifo(tmp_path / "svar.mbox")
    (tmp_path / "zero.eml").symlink_to("/dev/zero")
    for path in (tmp_path / "svar.mbox", tmp_path / "zero.eml"):
        result = _run(workspace, path)
        assert result.returncode == 1, result.stderr
        assert f"motesplats: {path} is not a regular file or a folder" in result.stderr


def test_a_folder_reads_only_its_own_regular_files_each_within_the_size_limit(workspace, inbox, cli, tmp_path):
    sent = _sent(cli, workspace)
    folder, elsewhere = tmp_path / "eml", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    (folder / "1-olof.eml").write_bytes(_decline("olof-hallin", sent["olof-hallin"]).as_bytes())
    (elsewhere / "jonas.eml").write_bytes(_decline("jonas-ek", sent["jonas-ek"]).as_bytes())
    (folder / "2-out.eml").symlink_to(elsewhere / "jonas.eml")
    os.mkfifo(folder / "3-pipe.eml")
    (folder / "4-zero.eml").symlink_to("/dev/zero")
    with open(folder / "5-big.eml", "wb") as big:
        big.write(_decline("mats-ekstrom", sent["mats-ekstrom"]).as_bytes())
        big.truncate(26 * 1024 * 1024)
    (folder / "6-inside.eml").symlink_to(folder / "1-olof.eml")  # a link within the folder is read
    result = _run(workspace, folder)
    assert result.returncode == 0, result.stderr
    assert "skipped: 2-out.eml: not read: a link that leads out of the folder" in result.stderr
    assert "skipped: 3-pipe.eml: not read: not a regular file" in result.stderr
    assert "skipped: 4-zero.eml: not read: a link that leads out of the folder" in result.stderr
    assert "skipped: 5-big.eml: not read: larger than 25 MB" in result.stderr
    assert result.stdout.count("declined: Olof Hallin") == 2
    assert _apologies(workspace) == ["olof-hallin"]
    maildir = mailbox.Maildir(tmp_path / "Svar", create=True)
    maildir.add(_decline("mats-ekstrom", sent["mats-ekstrom"]))
    (tmp_path / "Svar" / "new" / "2000000000.out.host").symlink_to(elsewhere / "jonas.eml")
    os.mkfifo(tmp_path / "Svar" / "cur" / "2000000001.pipe.host:2,S")
    result = _run(workspace, tmp_path / "Svar")
    assert result.returncode == 0, result.stderr
    assert "skipped: Svar, message 2: not read: a link that leads out of the folder" in result.stderr
    assert "skipped: Svar, message 3: not read: not a regular file" in result.stderr
    assert _apologies(workspace) == ["olof-hallin", "mats-ekstrom"]


def test_a_message_in_an_mbox_larger_than_the_limit_is_not_read(workspace, inbox, cli, tmp_path):
    sent = _sent(cli, workspace)
    box = mailbox.mbox(tmp_path / "svar.mbox")
    huge = _decline("jonas-ek", sent["jonas-ek"])
    huge.add_attachment(b"x" * (26 * 1024 * 1024), maintype="application", subtype="octet-stream", filename="x.bin")
    box.add(huge)
    box.add(_decline("olof-hallin", sent["olof-hallin"]))
    box.flush()
    result = _import(cli, workspace, tmp_path / "svar.mbox", "--yes")
    assert result.exit_code == 0, result.output
    assert "skipped: svar.mbox, message 1: not read: larger than 25 MB" in result.output
    assert _apologies(workspace) == ["olof-hallin"]
