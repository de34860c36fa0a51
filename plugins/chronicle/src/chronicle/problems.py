"""Problems found in content files, and the one error type that carries them.

Contributors fix content from these messages, so each names a file, a line and what to do, and a run
collects every problem before failing instead of stopping at the first.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a warning) at one place in one file."""

    path: Path
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{_display(self.path)}:{self.line}: {'warning: ' if self.warning else ''}{self.message}"


class ChronicleError(Exception):
    """Raised when content has errors; carries all of them, sorted by file and line."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def _display(path: Path) -> str:
    """Show paths relative to the working directory when they are below it, as editors expect."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
