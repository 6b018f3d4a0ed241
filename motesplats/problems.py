"""Problems found in a workspace: values with a location, collected and reported together."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


# Characters that could rewrite or forge what a terminal shows: C0 and C1 controls (line breaks,
# ESC, CSI), the Unicode line and paragraph separators, and the bidirectional overrides.
_VISIBLE = {code: f"\\x{code:02x}" for code in (*range(32), *range(127, 160))} | {
    ord("\n"): "\\n", ord("\r"): "\\r", ord("\t"): "\\t"} | {
    code: f"\\u{code:04x}" for code in (0x2028, 0x2029, *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def visible(text: str) -> str:
    """`text` as it may be printed on a terminal: text from outside (a file, a mail) shows its
    control characters as escapes (\\n, \\x1b, \\u2028), never sends them raw."""
    return text.translate(_VISIBLE)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the organisers' files, with where it is and how to fix it."""

    file: str
    line: int
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}: {self.severity.value}: {self.message}"
        text = f"{text}; {self.hint}" if self.hint else text
        # Quoted values come from the files: their control characters are shown, never sent raw
        # to the terminal (ESC could rewrite what it shows).
        return visible(text)

    def as_record(self) -> list:
        """The problem as a compact JSON list, for the build cache (`from_record` reads it back)."""
        return [self.file, self.line, self.message, self.hint, self.severity.value]

    @classmethod
    def from_record(cls, record: list) -> "Problem":
        file, line, message, hint, severity = record
        return cls(file, line, message, hint, Severity(severity))

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "severity": self.severity.value,
            "message": self.message,
            "hint": self.hint,
        }


def is_error(problem: Problem) -> bool:
    return problem.severity is Severity.ERROR


class ProblemsFound(Exception):
    """Raised by entry points that cannot go on: carries every problem found."""

    def __init__(self, problems: list[Problem]):
        super().__init__(f"{len(problems)} problem(s)")
        self.problems = problems

    def __reduce__(self):
        return ProblemsFound, (self.problems,)  # so a worker process can hand them back
