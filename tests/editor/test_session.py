"""A save's last comparison and its replace, against real writers in other threads."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from motesplats.cache import EDIT_LOCK, holding
from motesplats.editor.session import Conflict, replace_unless_changed, version_of

FILE = "events/board.toml"


@pytest.fixture
def board(tmp_path: Path) -> Path:
    path = tmp_path / FILE
    path.parent.mkdir()
    path.write_bytes(b'title = "Styrelsem\xc3\xb6te"\n')
    path.chmod(0o640)
    return path


def save(root: Path, version: str, content: bytes) -> str:
    try:
        replace_unless_changed(root, FILE, version, content)
    except Conflict as conflict:
        return f"conflict: {conflict}"
    return "saved"


def test_a_write_made_while_the_save_waits_for_the_lock_is_kept_and_the_save_refused(tmp_path, board):
    version = version_of(board.read_bytes())
    with ThreadPoolExecutor(max_workers=1) as pool:
        with holding(tmp_path, EDIT_LOCK):  # as another editor holds it while it compares and replaces
            saving = pool.submit(save, tmp_path, version, b'title = "ours"\n')
            board.write_bytes(b'title = "theirs"\n')
            assert not saving.done()
        assert saving.result(timeout=10) == f"conflict: {FILE}"
    assert board.read_bytes() == b'title = "theirs"\n'


def test_of_saves_racing_from_one_version_exactly_one_is_written(tmp_path, board):
    version = version_of(board.read_bytes())
    start = threading.Barrier(8)

    def racer(number: int) -> str:
        start.wait()
        return save(tmp_path, version, b'title = "save %d"\n' % number)

    with ThreadPoolExecutor(max_workers=8) as pool:
        outcomes = list(pool.map(racer, range(8), timeout=30))
    assert sorted(outcomes) == [f"conflict: {FILE}"] * 7 + ["saved"]
    assert board.read_bytes() == b'title = "save %d"\n' % outcomes.index("saved")
    assert board.stat().st_mode & 0o777 == 0o640
