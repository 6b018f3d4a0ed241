"""Staging and committing a build: all of it reaches build/, or none of it."""

from __future__ import annotations

import json
from pathlib import Path

from motesplats.write import JOURNAL, Staging, finish


def _staged(tmp_path: Path) -> tuple[Path, Path, Staging]:
    root, area = tmp_path / "build", tmp_path / "staging"
    (root / "calendars").mkdir(parents=True)
    (root / "calendars" / "public.ics").write_bytes(b"old feed")
    (root / "calendars" / "gone.ics").write_bytes(b"removed event")
    staging = Staging(root, area)
    return root, area, staging


def test_unchanged_bytes_are_not_staged(tmp_path):
    root, area, staging = _staged(tmp_path)
    assert not staging.write("calendars/public.ics", b"old feed")
    assert staging.write("calendars/public.ics", b"new feed")
    assert staging.write("index.html", b"<!doctype html>")


def test_an_uncommitted_staging_area_is_thrown_away(tmp_path):
    root, area, staging = _staged(tmp_path)
    staging.write("calendars/public.ics", b"new feed")
    finish(area)  # as the next build does after a build killed while rendering
    assert (root / "calendars" / "public.ics").read_bytes() == b"old feed"
    assert not area.exists()


def test_a_commit_interrupted_half_way_is_completed_by_the_next_run(tmp_path):
    root, area, staging = _staged(tmp_path)
    state = tmp_path / "sequence.json"
    state.write_bytes(b'{"old": 1}')
    staging.write("calendars/public.ics", b"new feed")
    staging.write("index.html", b"page")
    # What commit() writes before moving anything; then pretend the process died after the state move.
    moves = [[str(area / "first-state"), str(state)],
             [str(area / "files" / "calendars" / "public.ics"), str(root / "calendars" / "public.ics")],
             [str(area / "files" / "index.html"), str(root / "index.html")]]
    (area / "first-state").write_bytes(b'{"new": 2}')
    (area / JOURNAL).write_text(json.dumps({"moves": moves, "removed": [str(root / "calendars" / "gone.ics")]}))
    Path(moves[0][0]).replace(moves[0][1])  # only the state had been moved

    finish(area)

    assert state.read_bytes() == b'{"new": 2}'
    assert (root / "calendars" / "public.ics").read_bytes() == b"new feed"
    assert (root / "index.html").read_bytes() == b"page"
    assert not (root / "calendars" / "gone.ics").exists()
    assert not area.exists()


def test_commit_moves_the_state_first_and_everything_in(tmp_path):
    root, area, staging = _staged(tmp_path)
    state = tmp_path / "sequence.json"
    staging.write("calendars/public.ics", b"new feed")
    staging.commit(["calendars/public.ics"], ["calendars/gone.ics"], [(state, b"{}")])
    assert state.read_bytes() == b"{}"
    assert (root / "calendars" / "public.ics").read_bytes() == b"new feed"
    assert not (root / "calendars" / "gone.ics").exists()
    assert not area.exists()
