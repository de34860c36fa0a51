"""Problems found in content files, and the one error type that carries them.

Contributors fix content from these messages, so each names a file, a line and what to do, and a run
collects every problem before failing instead of stopping at the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Characters that could end a line or change how one reads: C0 and C1 controls (CR, LF, NEL, ESC...) and DEL,
# the Unicode line and paragraph separators, bidirectional controls, and lone surrogates (undecodable file names).
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069\ud800-\udfff]")
_SHORT = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
# GitHub Actions runs a line as a workflow command when, after leading white space, it starts with "::", or
# anywhere it contains "##[" (the older syntax). A ':' that starts a word and is followed by ':' is escaped, so no
# line, nor any piece of one that a formatter wraps onto its own line at white space, starts with "::".
_COMMAND = re.compile(r"(?<!\S):(?=:)|(?<=##)\[")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong (or worth a warning) at one place in one file."""

    path: Path
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return plain_line(f"{_display(self.path)}:{self.line}: {'warning: ' if self.warning else ''}{self.message}")


class ChronicleError(Exception):
    """Raised when content has errors; carries all of them, sorted by file and line."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems = sorted(set(problems))
        super().__init__("\n".join(str(p) for p in self.problems))


def plain_line(text: str) -> str:
    """`text` made safe to print as (part of) one line, also in GitHub Actions' log.

    Line breaks and other control characters become visible escapes as in repr (`\\n`, `\\x1b`, `\\u2028`), so
    text from a contributor (a file name, a YAML key) cannot start a line of its own; and it cannot be read as a
    workflow command (`::error::`, `::add-mask::`, `##[...]`). Backslashes are kept as they are, so applying it
    twice changes nothing.
    """
    return _COMMAND.sub(_escape, visible(text))


def visible(text: str) -> str:
    """The first half of `plain_line`: only control characters, line breaks and the like become escapes."""
    return _INVISIBLE.sub(_escape, text)


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _SHORT:
        return _SHORT[char]
    return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"


def _display(path: Path) -> str:
    """Show paths relative to the working directory when they are below it, as editors expect."""
    try:
        shown = str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        shown = str(path)
    # A name that starts with ':' would start the line; './' keeps it a path that editors and shells still open.
    return "./" + shown if shown.lstrip().startswith(":") else shown
