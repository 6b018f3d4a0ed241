"""Reading the workspace's files: regular files only, with a Problem instead of an exception."""

from __future__ import annotations

import stat
from pathlib import Path

from motesplats.problems import Problem


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
