"""Problems found in content files, and the one error type that carries them.

Contributors fix content from these messages, so each names a file, a line and what to do, and a run
collects every problem before failing instead of stopping at the first.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
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
    """One thing wrong (or worth a warning) at one place in one file, and its kind (`code`, one of `CODES`): what
    tools and tests match, where the message is for people and may be reworded."""

    path: Path
    line: int
    message: str
    warning: bool = False
    code: str = field(default="", compare=False)

    def __str__(self) -> str:
        return plain_line(f"{_display(self.path)}:{self.line}: {'warning: ' if self.warning else ''}{self.message}")



# Every kind of problem, and what it is about. GitHub annotations carry the code in their title.
CODES = {
    "encoding": "a file is not UTF-8",
    "file-name": "a file's name (its characters, or its date and time against the front matter)",
    "front-matter": "an event file's front matter is missing, unterminated or not a mapping",
    "field": "a front-matter or registry field is unknown, missing or has a wrong value",
    "time": "an event's time and time_precision disagree",
    "reference": "a footnote reference or note is malformed, unknown, unused or defined twice",
    "citation": "a paragraph cites no source, or the event has no text or still has the placeholder",
    "variant": "a variant's source is unknown or not cited",
    "passage": "a supporting passage's source is unknown or not cited",
    "place": "a place is unknown, or its coordinates and scope disagree",
    "archive": "a source's archive status and captures disagree, or a capture could not be made",
    "capture": "a cited source has no archived copy (an error only where captures are required)",
    "new-source": "a source new since the base ref has no capture and does not say pending",
    "base-ref": "the base ref's sources could not be read",
    "dead-link": "a source's live or archived address does not answer",
    "registry": "a registry file is missing, not a mapping, or has a bad key",
    "yaml": "YAML that is invalid, too deep, too large, or uses anchors, tags or odd keys",
    "tree": "a symbolic link, a file too large, a kind of file not allowed, or one that cannot be read",
    "period": "an event outside the account's period without its kind, or with the wrong one",
    "order": "an 'after' that names no event, another day's or a circle; a part of day that ends too early",
    "lead": "a day's lead in days.yml",
    "duplicate": "an event id used twice, or events that look like one another",
    "uncited-source": "a source no event cites",
    "clock-time": "a clock time in the text that the front matter contradicts",
    "account": "the rendered account lost, added or altered an event",
    "published": "a rendered page holds what the allow-list or the renderer's guard refuses",
    "generated-page": "a hand-written page where the plugin writes a generated one",
    "config": "mkdocs.yml cannot be staged",
    "translation": "a translation of an event: no such event, other citations, or made from an older English text",
}


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
