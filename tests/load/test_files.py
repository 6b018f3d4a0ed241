"""Files too large, or not files at all, are refused before they are read: `check` stays quick
whatever is left in the workspace, and the secret is only ever read from a plain file."""

from __future__ import annotations

import os
import time

import pytest

from tests.test_hostile_files import _fails_cleanly

MB = 1024 * 1024


@pytest.mark.parametrize("relative, content, limit", [
    ("events/konferens.toml", b'[[event]]\nid = "x"\nsubtitle = "' + b"a" * (6 * MB) + b'"\n', "5 MB"),
    ("events/board.csv", b"id;namn\n" + b"bo-ek;Bo Ek\n" * (MB // 2), "5 MB"),
    ("calendars/public.toml", b"# " + b"x" * (50 * MB) + b"\n", "5 MB"),
    ("attendance/konferens.checkin.log", b'{"person": "bo-ek"}\n' * (MB // 3), "5 MB"),
    ("templates/programme/conference.html", b"<p>{{ '" + b"x" * (2 * MB) + b"' }}</p>\n", "1 MB"),
])
def test_a_file_too_large_is_refused_at_its_first_line_before_it_is_parsed(cli, tiny, relative, content, limit):
    path = tiny.root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    started = time.monotonic()
    output = _fails_cleanly(cli, tiny, "check")
    assert time.monotonic() - started < 5
    problems = [line for line in output.splitlines() if line.startswith(f"{relative}:")]
    size = f"{len(content) / MB:.1f} MB".replace(".0 MB", " MB")
    assert problems == [f"{relative}:1: error: the file is {size}; at most {limit} is read; "
                        "split it into several files, or remove what was pasted into it by mistake"]


@pytest.mark.parametrize("target", ["/dev/zero", "/dev/urandom"])
def test_a_secret_that_is_a_device_is_refused(cli, tiny, target):
    os.symlink(target, tiny.root / ".motesplats-secret")
    output = _fails_cleanly(cli, tiny, "build")
    assert ".motesplats-secret:1: error: cannot read the file: it is not a regular file" in output
    assert "rotate-secret" in output


def test_a_secret_that_is_a_pipe_is_refused_without_waiting_for_a_writer(cli, tiny):
    os.mkfifo(tiny.root / ".motesplats-secret")
    output = _fails_cleanly(cli, tiny, "build")
    assert ".motesplats-secret:1: error: cannot read the file: it is not a regular file" in output


def test_a_secret_file_far_too_long_is_refused(cli, tiny):
    (tiny.root / ".motesplats-secret").write_bytes(b"ab" * MB)
    output = _fails_cleanly(cli, tiny, "build")
    assert ".motesplats-secret:1: error: the file is 2 MB; at most 4 kB is read" in output
