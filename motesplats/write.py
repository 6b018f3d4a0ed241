"""Writing outputs: each file replaced atomically, only when its bytes changed, a build all at once.

A build writes what it renders into a staging area as it goes (so memory does not grow with the
size of build/), and moves it into place only when every renderer has succeeded. The moves are
listed in a journal first: a build killed while moving is finished by the next run, and one
killed before leaves build/ exactly as it was."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path


def write_files(root: Path, files: Mapping[str, bytes]) -> list[str]:
    """Write `files` (relative path -> bytes) under `root`; return the paths that changed.

    Each file is written to a temporary file beside it, flushed, then renamed over the old one,
    so a reader sees the old file or the new one, never half of either.
    """
    changed = []
    for relative, content in sorted(files.items()):
        target = root / relative
        if target.is_file() and target.read_bytes() == content:
            continue
        replace_atomically(target, content)
        changed.append(relative)
    return changed


def replace_atomically(target: Path, content: bytes, mode: int = 0o644, sync: bool = False) -> None:
    """Replace `target` with `content` so that readers see the old or the new file, never a mix.

    `sync` flushes it to disk first, for the few files whose loss would matter after a power cut.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        # No fsync unless asked: the rename alone makes readers see the old file or the new one,
        # never a mix. A build syncs once, before its journal, rather than ten thousand times.
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            if sync:
                stream.flush()
                os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


JOURNAL = "COMMIT.json"


class Staging:
    """The files of one build, written under `area` as they are rendered, moved into place together.

    Paths are relative to `root` (build/); a file whose bytes equal the one in place is not
    staged at all, so unchanged files keep their dates and ETags. The journal names every path
    relative to `base` (the workspace), so a workspace moved after a crash still recovers.
    """

    def __init__(self, root: Path, area: Path, base: Path):
        self.root, self.area, self.base = root, area, base
        self.committed = False
        shutil.rmtree(area, ignore_errors=True)
        (area / "files").mkdir(parents=True)

    def write(self, relative: str, content: bytes) -> bool:
        """Stage `content` for root/relative; False (and nothing staged) when it is already there."""
        return stage_file(self.root, self.area, relative, content)

    def commit(self, staged: list[str], removed: list[str], first: list[tuple[Path, bytes]] = ()) -> None:
        """Move the staged files into place and delete `removed`; files in `first` are replaced before all.

        `first` holds what must never lag behind the outputs (the feeds' sequence state): if
        the moves stop half way, the state already knows the newer sequences. Once the journal
        is on disk the build counts as done: should the moves fail, the next run makes them.
        """
        moves = []
        for target, content in first:
            temporary = self.area / "first" / target.name
            temporary.parent.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(content)
            moves.append((temporary, target))
        moves += [(self.area / "files" / relative, self.root / relative) for relative in staged]
        journal = {"moves": [[self._relative(source), self._relative(target)] for source, target in moves],
                   "removed": [self._relative(self.root / relative) for relative in removed]}
        if hasattr(os, "sync"):
            os.sync()  # what the journal names must be on disk before the journal is
        replace_atomically(self.area / JOURNAL, json.dumps(journal).encode("utf-8"), sync=True)
        sync_folder(self.area)
        self.committed = True
        finish(self.area, self.base)

    def discard(self) -> None:
        shutil.rmtree(self.area, ignore_errors=True)

    def _relative(self, path: Path) -> str:
        return path.relative_to(self.base).as_posix()


_LEFTOVER = re.compile(r"^\..+\.[A-Za-z0-9_]{8}\.tmp$")  # what replace_atomically names its temporary files
LEFTOVER_AGE = 60  # seconds: younger ones may belong to a run that is still writing


def remove_leftovers(folder: Path) -> None:
    """Delete temporary files that a killed run left under `folder` (before replacing its target)."""
    if not folder.is_dir():
        return
    now = time.time()
    for path in folder.rglob(".*.tmp"):
        if _LEFTOVER.match(path.name) and path.is_file() and now - path.stat().st_mtime > LEFTOVER_AGE:
            path.unlink(missing_ok=True)


def stage_file(root: Path, area: Path, relative: str, content: bytes) -> bool:
    """Write `content` into the staging `area` unless root/relative already holds exactly it.

    A plain function, so the build's worker processes can stage what they render themselves.
    """
    target = root / relative
    try:
        if target.stat().st_size == len(content) and target.read_bytes() == content:
            return False
    except FileNotFoundError:
        pass
    staged = area / "files" / relative
    staged.parent.mkdir(parents=True, exist_ok=True)
    staged.write_bytes(content)
    return True


def finish(area: Path, base: Path) -> None:
    """Complete a committed build left in `area`, or throw away an uncommitted one; then remove `area`.

    Called at the start of every build, so a build killed at any moment is either undone or
    completed before anything else happens. Paths in the journal are relative to `base`.
    """
    journal_file = area / JOURNAL
    try:
        journal = json.loads(journal_file.read_bytes())
    except (OSError, ValueError):
        journal = None  # never committed (or not there): nothing of it reaches build/
    if journal is not None:
        for source, target in journal["moves"]:
            if (base / source).exists():
                _move(base / source, base / target)
        for target in journal["removed"]:
            (base / target).unlink(missing_ok=True)
    shutil.rmtree(area, ignore_errors=True)


def replaced_so_far(area: Path, base: Path) -> list[str] | None:
    """The targets (relative to `base`) that a committed build in `area` has already moved into
    place; None when it never committed (then nothing of it was published)."""
    try:
        journal = json.loads((area / JOURNAL).read_bytes())
    except (OSError, ValueError):
        return None
    return [target for source, target in journal["moves"] if not (base / source).exists()]


def sync_folder(folder: Path) -> None:
    """Flush a folder's entries (a new journal's name) where the system allows it."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass  # not every system can sync a folder
    finally:
        os.close(handle)


def _move(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.replace(source, target)
    except OSError as error:
        if error.errno != errno.EXDEV:
            raise
        replace_atomically(target, source.read_bytes())  # build/ on another file system
        source.unlink()


def append_line(log: Path, line: bytes) -> None:
    """Append `line` to `log` and return only once it is on disk. A last line torn by a crash (never
    confirmed) is ended first, so the new line stands whole on a line of its own."""
    if not log.parent.is_dir():
        log.parent.mkdir(parents=True)
        sync_folder(log.parent.parent)
    try:
        descriptor = os.open(log, os.O_RDWR | os.O_APPEND | os.O_CREAT | os.O_EXCL, 0o644)
        created = True
    except FileExistsError:
        descriptor = os.open(log, os.O_RDWR | os.O_APPEND)
        created = False
    try:
        size = os.fstat(descriptor).st_size
        torn = size > 0 and os.pread(descriptor, 1, size - 1) != b"\n"
        pending = memoryview((b"\n" if torn else b"") + line)
        while pending:
            pending = pending[os.write(descriptor, pending):]
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    if created:
        sync_folder(log.parent)  # the new file's name is on disk too
