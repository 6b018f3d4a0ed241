"""Staging and committing a build: all of it reaches build/, or none of it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from motesplats.write import JOURNAL, Staging, finish


def _staged(tmp_path: Path) -> tuple[Path, Path, Staging]:
    root, area = tmp_path / "build", tmp_path / "staging"
    (root / "calendars").mkdir(parents=True)
    (root / "calendars" / "public.ics").write_bytes(b"old feed")
    (root / "calendars" / "gone.ics").write_bytes(b"removed event")
    staging = Staging(root, area, tmp_path)
    return root, area, staging


def test_unchanged_bytes_are_not_staged(tmp_path):
    root, area, staging = _staged(tmp_path)
    assert not staging.write("calendars/public.ics", b"old feed")
    assert staging.write("calendars/public.ics", b"new feed")
    assert staging.write("index.html", b"<!doctype html>")


def test_an_uncommitted_staging_area_is_thrown_away(tmp_path):
    root, area, staging = _staged(tmp_path)
    staging.write("calendars/public.ics", b"new feed")
    finish(area, tmp_path)  # as the next build does after a build killed while rendering
    assert (root / "calendars" / "public.ics").read_bytes() == b"old feed"
    assert not area.exists()


def test_a_commit_interrupted_half_way_is_completed_by_the_next_run(tmp_path):
    root, area, staging = _staged(tmp_path)
    state = tmp_path / "sequence.json"
    state.write_bytes(b'{"old": 1}')
    staging.write("calendars/public.ics", b"new feed")
    staging.write("index.html", b"page")
    # What commit() writes before moving anything; then pretend the process died after the state move.
    moves = [["staging/first-state", "sequence.json"],
             ["staging/files/calendars/public.ics", "build/calendars/public.ics"],
             ["staging/files/index.html", "build/index.html"]]
    (area / "first-state").write_bytes(b'{"new": 2}')
    (area / JOURNAL).write_text(json.dumps({"moves": moves, "removed": ["build/calendars/gone.ics"]}))
    (tmp_path / moves[0][0]).replace(tmp_path / moves[0][1])  # only the state had been moved
    finish(area, tmp_path)

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


def test_a_committed_build_is_completed_after_the_workspace_was_moved(tmp_path):
    workspace = tmp_path / "ws"
    workspace.mkdir()
    root, area, staging = _staged(workspace)
    staging.write("index.html", b"page")
    journal = {"moves": [["staging/files/index.html", "build/index.html"]], "removed": []}
    (area / JOURNAL).write_text(json.dumps(journal))
    moved = tmp_path / "elsewhere"
    shutil.move(str(workspace), str(moved))
    finish(moved / "staging", moved)
    assert (moved / "build" / "index.html").read_bytes() == b"page"
