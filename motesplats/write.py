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


def replace_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(content)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
