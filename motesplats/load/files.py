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


def read_bytes(file: Path, shown_as: str) -> bytes | Problem:
    """The bytes of `file`, or a Problem saying why it cannot be read.

    Only regular files are read: a FIFO or a device in the workspace would block or never end.
    """
    try:
        status = file.stat()
        if not stat.S_ISREG(status.st_mode):
            kind = "a folder" if stat.S_ISDIR(status.st_mode) else "not a regular file (a pipe or a device)"
            return Problem(shown_as, 1, f"cannot read the file: it is {kind}",
                           "move it out of the workspace; only plain files are read")
        return file.read_bytes()
    except OSError as error:
        return Problem(shown_as, 1, f"cannot read the file: {error.strerror}",
                       "check that it is a file you may read, or move it out of the workspace")
