"""Shared fixtures: small workspaces written into temporary folders, and a CLI runner."""

from __future__ import annotations

import shutil
import socket
import textwrap
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from motesplats.cli import app
from motesplats.validate import Checked, check_workspace
from motesplats.workspace import open_workspace

REPOSITORY = Path(__file__).resolve().parent.parent


def raw_exchange(port: int, data: bytes, wait: float = 2.0) -> bytes:
    """Send `data` on a fresh connection to 127.0.0.1:`port` and read all the server sends until it
    closes the connection, which it must do within `wait` seconds."""
    with socket.create_connection(("127.0.0.1", port), timeout=wait) as connection:
        connection.sendall(data)
        received = b""
        try:
            while chunk := connection.recv(65536):
                received += chunk
        except TimeoutError:
            raise AssertionError(f"the connection is still open after {wait} s; received {received[:200]!r}") from None
    return received

SETTINGS = """\
organisation = "Testrådet"
time_zone = "Europe/Stockholm"
languages = ["sv", "en", "fr"]
base_url = "https://calendar.example.org"
audiences = ["public", "board"]

[[organiser]]
id = "testradet"
name = "Testrådet"
email = "info@example.org"
"""

VENUES = """\
[[venue]]
id = "ukk"
name = "Uppsala Konsert & Kongress"
city = "Uppsala"
geo = [59.8597, 17.6452]

[[venue.room]]
id = "sal-a"
name = "Sal A"

[[venue.room]]
id = "sal-b"
name = "Sal B"

[[venue]]
id = "tegel"
name = "Flughafen Tegel"
city = "Berlin"
time_zone = "Europe/Berlin"

[[venue]]
id = "arlanda"
name = "Stockholm Arlanda"
city = "Stockholm"
"""

BOARD_CSV = "id;namn;roll;organisation;e-post;parti\n" \
            "asa-oberg;Åsa Öberg;ledamot;Uppsala kommun;asa@example.org;S\n" \
            "bo-ek;Bo Ek;ersättare;Region Uppsala;bo@example.org;M\n"

EVENT = """\
[[event]]
id = "konferens"
kind = "conference"
title = { sv = "Konferensen", en = "The conference" }
start = 2018-05-17T09:00:00
end = 2018-05-18T16:00:00
venue = "ukk"
audiences = ["public"]
organiser = "testradet"
participants = ["board"]

[[event.session]]
id = "opening"
title = "Öppning"
start = 2018-05-17T09:00:00
end = 2018-05-17T10:00:00
room = "sal-a"
speakers = ["asa-oberg"]
"""

CALENDAR = """\
name = { sv = "Öppet", en = "Open" }
audiences = ["public"]
alarms = ["1 day"]
refresh = "12 hours"
"""


BEFORE_ITS_MEETINGS = date(2018, 1, 1)


@dataclass
class TinyWorkspace:
    """A valid workspace in a temporary folder; tests write broken variants of its files."""

    root: Path

    def write(self, relative: str, text: str) -> Path:
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def append(self, relative: str, text: str) -> None:
        path = self.root / relative
        path.write_text(path.read_text(encoding="utf-8") + "\n" + textwrap.dedent(text), encoding="utf-8")

    def check(self, today: date = BEFORE_ITS_MEETINGS) -> Checked:
        """Check as on `today`: by default before its meetings, which then need no minutes yet."""
        return check_workspace(open_workspace(self.root), today=today)

    def line_of(self, relative: str, fragment: str, occurrence: int = 1) -> int:
        """The line number of the `occurrence`-th line containing `fragment`."""
        found = [n for n, line in enumerate((self.root / relative).read_text().split("\n"), 1)
                 if fragment in line]
        return found[occurrence - 1]


@pytest.fixture
def tiny(tmp_path: Path) -> TinyWorkspace:
    workspace = TinyWorkspace(tmp_path / "ws")
    workspace.write("motesplats.toml", SETTINGS)
    workspace.write("events/venues.toml", VENUES)
    workspace.write("events/board.csv", BOARD_CSV)
    workspace.write("events/konferens.toml", EVENT)
    workspace.write("calendars/public.toml", CALENDAR)
    return workspace


EXAMPLE_INPUTS = ("motesplats.toml", "events", "calendars", "attendance", "templates", "records", "signing")


def copy_example(root: Path) -> Path:
    """The example workspace's input files (no build, no secret) copied into `root` (made here)."""
    root.mkdir(parents=True)
    for name in EXAMPLE_INPUTS:
        source = REPOSITORY / name
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, root / name)
    return root


def before_sealing(root: Path) -> Path:
    """`root` without its sealed records: the example as it was before any minutes were adjusted,
    for tests of what leads up to a record (attendance, deputies, minutes, edits of past meetings).
    With the records in place such edits are errors by design (tests/test_records.py)."""
    shutil.rmtree(root / "records", ignore_errors=True)
    return root


@pytest.fixture
def example_files(tmp_path: Path) -> Path:
    """A copy of the example workspace's input files, to edit."""
    return copy_example(tmp_path / "example")


@pytest.fixture
def cli():
    """Run the CLI in-process: cli(args..., cwd=None) -> click Result."""
    runner = CliRunner()

    def invoke(*args: str, cwd: Path | None = None):
        if cwd is None:
            return runner.invoke(app, list(args))
        with pytest.MonkeyPatch.context() as patch:
            patch.chdir(cwd)
            return runner.invoke(app, list(args))

    return invoke
