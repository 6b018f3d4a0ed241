"""Files a careless organiser (or an attacker) leaves in a workspace: each is reported as
file:line with exit status 1 and nothing written, never a traceback."""

from __future__ import annotations

import os
import time

import pytest

from tests.validate.test_rules import edit


def _fails_cleanly(cli, tiny, *command: str) -> str:
    before = sorted(path.relative_to(tiny.root) for path in tiny.root.rglob("*") if path.is_file())
    result = cli("--workspace", str(tiny.root), *command)
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    after = sorted(path.relative_to(tiny.root) for path in tiny.root.rglob("*") if path.is_file()
                   and ".motesplats-cache" not in path.parts)
    assert not (tiny.root / "build").exists() or not any((tiny.root / "build").rglob("*.ics"))
    assert set(after) <= set(before) | {path for path in after if path.name == ".motesplats-secret"}
    return result.output


@pytest.mark.parametrize("secret", ["", "\n", "kort\n", "ab" * 15 + "\n"])
def test_an_empty_or_short_secret_is_refused(cli, tiny, secret):
    (tiny.root / ".motesplats-secret").write_text(secret, encoding="ascii")
    output = _fails_cleanly(cli, tiny, "build")
    assert ".motesplats-secret:1: error: " in output and "rotate-secret" in output


def test_an_unreadable_secret_is_a_problem(cli, tiny):
    (tiny.root / ".motesplats-secret").mkdir()
    output = _fails_cleanly(cli, tiny, "build")
    assert ".motesplats-secret:1: error: " in output


@pytest.mark.parametrize("content", [b"{ not json", b"\x00\x01\x02binary", b'{"version": 1, "entries": []}', b"[]"])
def test_a_broken_sequence_state_is_a_problem(cli, tiny, content):
    (tiny.root / "calendars" / "sequence.json").write_bytes(content)
    output = _fails_cleanly(cli, tiny, "build")
    assert "calendars/sequence.json:1: error: " in output and "git" in output


TORN_STATES = [b"", b"\n", b'<<<<<<< HEAD\n{"version": 1, "entries": {}}\n=======\n{}\n>>>>>>> theirs\n',
               b'{"version": 1, "entries": {\n "a@x": {"sequence": 2,\n']


@pytest.mark.parametrize("content", TORN_STATES)
def test_an_empty_or_torn_sequence_state_stops_build_and_check(cli, tiny, content):
    """Only a missing state means a new workspace: an emptied one would publish every SEQUENCE at 0 again."""
    (tiny.root / "calendars" / "sequence.json").write_bytes(content)
    for command in ("check", "build"):
        output = _fails_cleanly(cli, tiny, command)
        assert "calendars/sequence.json:" in output and ": error: " in output, output
        assert "git checkout -- calendars/sequence.json" in output


def test_a_state_emptied_after_a_build_leaves_the_published_feeds_alone(cli, tiny):
    assert cli("--workspace", str(tiny.root), "build").exit_code == 0
    feed = next((tiny.root / "build" / "calendars").glob("*.ics"))
    published = feed.read_bytes()
    state = tiny.root / "calendars" / "sequence.json"
    state.write_bytes(b"")
    edit(tiny, "events/konferens.toml", "end = 2018-05-18T16:00:00", "end = 2018-05-18T17:00:00")
    result = cli("--workspace", str(tiny.root), "build")
    assert result.exit_code == 1 and "calendars/sequence.json:1: error: " in result.output
    assert feed.read_bytes() == published and state.read_bytes() == b""


@pytest.mark.parametrize("start, end", [("9999-12-31T09:00:00", "9999-12-31T10:00:00"),
                                        ("0001-01-01T09:00:00", "0001-01-01T10:00:00"),
                                        ("9999-12-31", "9999-12-31")])
def test_dates_at_the_ends_of_the_calendar_are_problems(cli, tiny, start, end):
    edit(tiny, "events/konferens.toml", "start = 2018-05-17T09:00:00\nend = 2018-05-18T16:00:00",
         f"start = {start}\nend = {end}")
    output = _fails_cleanly(cli, tiny, "check")
    assert "events/konferens.toml:" in output and ": error: " in output


def test_an_enormous_keep_removed_is_a_problem(cli, tiny):
    (tiny.root / "motesplats.toml").write_text((tiny.root / "motesplats.toml").read_text(encoding="utf-8")
                                               .replace('audiences = ["public", "board"]',
                                                        'audiences = ["public", "board"]\nkeep_removed = "99999999999 days"'),
                                               encoding="utf-8")
    output = _fails_cleanly(cli, tiny, "check")
    assert "motesplats.toml:" in output and "keep_removed" in output


def test_toml_nested_thousands_deep_is_a_problem(cli, tiny):
    (tiny.root / "events" / "djup.toml").write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    output = _fails_cleanly(cli, tiny, "check")
    assert "events/djup.toml:1: error: " in output


def test_a_badge_layout_that_is_not_utf8_is_a_problem(cli, tiny):
    folder = tiny.root / "templates" / "badges" / "layouts"
    folder.mkdir(parents=True)
    (folder / "egen.toml").write_bytes("description = \"Bädge\"\n".encode("cp1252"))
    output = _fails_cleanly(cli, tiny, "check")
    assert "templates/badges/layouts/egen.toml:1: error: " in output


@pytest.mark.parametrize("template, line", [
    ("<p>\n{% if %}\n</p>\n", 2),                                  # a syntax error
    ("{{ p.__class__.__mro__[1].__subclasses__() }}", 1),          # Python's internals: the sandbox stops it
])
def test_a_template_that_cannot_be_used_is_reported_at_its_line(cli, tiny, template, line):
    folder = tiny.root / "templates" / "programme"
    folder.mkdir(parents=True)
    (folder / "conference.html").write_text(template, encoding="utf-8")
    output = _fails_cleanly(cli, tiny, "build")
    assert f"templates/programme/conference.html:{line}: error: " in output


def test_temporary_files_left_by_a_killed_run_are_removed(cli, tiny):
    left = [tiny.root / "events" / ".board.csv.k2j4h1ab.tmp", tiny.root / "calendars" / ".sequence.json.x9y8z7w6.tmp"]
    for path in left:
        path.write_text("half", encoding="utf-8")
        os.utime(path, (time.time() - 3600, time.time() - 3600))  # left an hour ago
    result = cli("--workspace", str(tiny.root), "build")
    assert result.exit_code == 0, result.output
    assert not any(path.exists() for path in left)


def test_personal_links_refuse_a_short_secret_too(cli, tiny):
    (tiny.root / ".motesplats-secret").write_text("kort\n", encoding="ascii")
    result = cli("--workspace", str(tiny.root), "personal-links")
    assert result.exit_code == 1 and result.exception is None or isinstance(result.exception, SystemExit)
    assert "webcal://" not in result.output


def test_control_characters_in_titles_and_names_are_reported_and_never_printed_raw(cli, tiny):
    edit(tiny, "events/konferens.toml", 'sv = "Konferensen"', 'sv = "Konferensen\\u001b[2J"')
    (tiny.root / "events" / "board.csv").write_text((tiny.root / "events" / "board.csv").read_text(encoding="utf-8")
                                                    .replace("Bo Ek", "Bo\x00 Ek"), encoding="utf-8")
    result = cli("--workspace", str(tiny.root), "check")
    assert result.exit_code == 1
    assert "\x1b" not in result.output and "\x00" not in result.output
    assert "events/konferens.toml:4: error: 'title' in event 'konferens' holds the control character U+001B" \
        in result.output
    assert "events/board.csv:3: error: the name holds the control character U+0000" in result.output


def test_the_subscription_page_prints_on_a4(cli, tiny):
    assert cli("--workspace", str(tiny.root), "build", "--only", "page").exit_code == 0
    assert "@page { size: A4" in (tiny.root / "build" / "index.html").read_text(encoding="utf-8")


def test_a_pipe_in_events_is_reported_without_waiting_for_it(cli, tiny):
    os.mkfifo(tiny.root / "events" / "rör.toml")
    output = _fails_cleanly(cli, tiny, "check")
    assert "events/rör.toml:1: error: cannot read the file: it is not a regular file" in output
