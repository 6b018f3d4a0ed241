"""How a long build shows its progress: a bar on a terminal, plain lines in a log, nothing when quiet.

The bar appears only once a build has run for a second, so the everyday rebuild of a few files
prints nothing but its summary. Colours follow rich, which honours NO_COLOR.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress as Bar, TextColumn, TimeRemainingColumn

from motesplats.build import Progress

SHOW_AFTER = 1.0      # seconds before anything is shown
LINE_EVERY = 5.0      # seconds between plain lines when the output is not a terminal


class ShownProgress(Progress):
    """The build's progress on `stream` (standard error by default)."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stderr
        self.console = Console(file=self.stream)
        self.total = 0
        self.done = 0
        self.began = time.monotonic()
        self.last_line = self.began
        self.bar: Bar | None = None
        self.task = None

    def start(self, total: int) -> None:
        self.total, self.done = total, 0

    def step(self, label: str) -> None:
        self.done += 1
        now = time.monotonic()
        if now - self.began < SHOW_AFTER:
            return
        if self.console.is_terminal:
            self._bar().update(self.task, completed=self.done, description=label)
        elif now - self.last_line >= LINE_EVERY or self.done == self.total:
            self.last_line = now
            print(f"rendered {self.done}/{self.total}: {label}", file=self.stream, flush=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.stop()

    def _bar(self) -> Bar:
        if self.bar is None:
            self.bar = Bar(TextColumn("{task.description:<40.40}"), BarColumn(), MofNCompleteColumn(),
                           TimeRemainingColumn(), console=self.console, transient=True)
            self.task = self.bar.add_task("", total=self.total, completed=self.done)
            self.bar.start()
        return self.bar
