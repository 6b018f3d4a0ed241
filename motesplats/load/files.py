"""Reading the workspace's files: regular files only, UTF-8, with a Problem instead of an exception."""

from __future__ import annotations

import stat
from pathlib import Path

from motesplats.problems import Problem


SAVE_AS_UTF8 = "save it as UTF-8 (in most editors: Save As, encoding UTF-8)"


def decode_utf8(raw: bytes, shown_as: str, hint: str = SAVE_AS_UTF8) -> str | Problem:
    """A file's bytes as text (a BOM is allowed), or the Problem, at its line, that it is not UTF-8."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return Problem(shown_as, raw[: error.start].count(b"\n") + 1, "the file is not UTF-8 text", hint)


# The largest file read from a workspace. The largest real one (a council's roster, a year of
# events) is a few hundred kB; past this is a mistake, such as a paste of a document, that
# would take minutes to check and build.
LARGEST_FILE = 5 * 1024 * 1024


def read_bytes(file: Path, shown_as: str, largest: int = LARGEST_FILE) -> bytes | Problem:
    """The bytes of `file`, or a Problem saying why it cannot be read.

    Only regular files are read: a FIFO or a device in the workspace would block or never end.
    Nor is a file of more than `largest` bytes, not even in part.
    """
    try:
        status = file.stat()
        if not stat.S_ISREG(status.st_mode):
            kind = "a folder" if stat.S_ISDIR(status.st_mode) else "not a regular file (a pipe or a device)"
            return Problem(shown_as, 1, f"cannot read the file: it is {kind}",
                           "move it out of the workspace; only plain files are read")
        with file.open("rb") as handle:
            raw = handle.read(largest + 1)  # not more, should the file grow after stat()
    except OSError as error:
        return Problem(shown_as, 1, f"cannot read the file: {error.strerror}",
                       "check that it is a file you may read, or move it out of the workspace")
    if len(raw) > largest:
        size = max(status.st_size, len(raw))
        return Problem(shown_as, 1, f"the file is {_size(size)}; at most {_size(largest)} is read",
                       "split it into several files, or remove what was pasted into it by mistake")
    return raw


def read_text(file: Path, shown_as: str, largest: int = LARGEST_FILE) -> str | Problem:
    """The text of a UTF-8 `file` (read as `read_bytes` does), or the Problem with it."""
    raw = read_bytes(file, shown_as, largest)
    return raw if isinstance(raw, Problem) else decode_utf8(raw, shown_as)


def _size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} kB" if size >= 1024 else f"{size} bytes"
    return f"{size / (1024 * 1024):.1f} MB".replace(".0 MB", " MB")
