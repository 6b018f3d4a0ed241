"""Writing outputs: each file replaced atomically, and only when its bytes changed."""

from __future__ import annotations

import os
import tempfile
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


def replace_atomically(target: Path, content: bytes, mode: int = 0o644) -> None:
    """Replace `target` with `content` so that readers see the old or the new file, never a mix."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        # No fsync: the rename alone makes readers see the old file or the new one, never a mix.
        # Syncing every one of ten thousand personal feeds took seconds, and a build interrupted
        # by a power cut is simply run again.
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def prune(root: Path, folder: str, keep: set[str]) -> list[str]:
    """Delete files under root/folder that are not in `keep` (paths relative to root); return them.

    Used for outputs whose names come and go, such as personal feeds after the secret changes.
    """
    target = root / folder
    if not target.is_dir():
        return []
    removed = []
    for path in sorted(target.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if path.is_file() and relative not in keep:
            path.unlink()
            removed.append(relative)
    return removed
