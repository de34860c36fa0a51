"""Event files: front matter and body, read and checked one file at a time."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Generic, TypeVar

from .citations import Body, scan
from .problems import Problem
from .schema import EVENT_FIELDS, SLUG, Correction, Passage, Variant, check_mapping
from .yamldata import YamlDoc, load_yaml

R = TypeVar("R")
C = TypeVar("C")

FILENAME = re.compile(r"(?P<date>[0-9]{4}-[0-9]{2}-[0-9]{2})(?:-(?P<time>[0-9]{4}))?-(?P<slug>[a-z0-9-]+)")
_FENCE = re.compile(r"(?:---|\.\.\.)[ \t]*")

NO_DATE = dt.date.min
# What `chronicle new` writes for the contributor to replace; the check refuses either while it is still there.
PLACEHOLDER_KEY = "replace-with-a-source-key"
PLACEHOLDER_TEXT = ("Replace this text: write what happened, in your own words, and after each fact the key of "
                    "its source in sources.yml, in place of this one.")
PLACEHOLDERS = {"title": "", "date": NO_DATE, "place": "", "status": "reported"}

# What each part of day covers, in minutes after midnight (start inclusive, end exclusive; the night runs into
# the early hours of the next date, which an event dated by its evening keeps). An event given only a part of
# day sorts at the start of its span, among the timed events of the day: before those inside the span, after
# those before it; `after:` places it later where its order is known. The methodology page states the spans.
PART_OF_DAY_SPANS = {"morning": (5 * 60, 12 * 60), "afternoon": (12 * 60, 17 * 60),
                     "evening": (17 * 60, 21 * 60), "night": (21 * 60, 29 * 60)}


@dataclass
class Event:
    """One event: its metadata, its body, and the lines where each key stands."""

    id: str
    path: Path
    title: str
    date: dt.date
    place: str
    status: str
    time: dt.time | None = None
    time_precision: str = "unknown"
    actors: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    kind: str | None = None
    order: int = 0
    after: str | None = None
    corrections: tuple[Correction, ...] = ()
    variants: tuple[Variant, ...] = ()
    passages: tuple[Passage, ...] = ()
    body: Body = field(default_factory=lambda: scan(""))
    body_line: int = 1
    lines: dict[str, int] = field(default_factory=dict)
    renderable: bool = True  # False when the text would make the renderer itself slow (see `unclosed_reference`)

    @cached_property
    def sort_key(self) -> tuple[dt.date, int, int, str]:
        """Date, then time (or the start of its part of day; no time at all first), `order`, id."""
        if self.time is not None:
            minutes = self.time.hour * 60 + self.time.minute
        else:
            minutes = PART_OF_DAY_SPANS.get(self.time_precision, (-1, -1))[0]
        return (self.date, minutes, self.order, self.id)

    @cached_property
    def time_label(self) -> str:
        """The time as precisely as it is known: "18:30", "about 18:30", "evening", or ""."""
        if self.time_precision in PART_OF_DAY_SPANS:
            return self.time_precision
        if self.time is None:
            return ""
        hhmm = f"{self.time.hour:02d}:{self.time.minute:02d}"
        return f"about {hhmm}" if self.time_precision == "approximate" else hhmm

    def line_of(self, key: str) -> int:
        """The line of front-matter key `key` (or of the opening `---` when it is absent)."""
        return self.lines.get(key, 1)


def load_event(path: Path) -> tuple[Event | None, list[Problem]]:
    """Read and check one event file on its own; cross-references are checked by the caller."""
    return parse_event(path, path.read_bytes())


def front_matter(path: Path, text: str) -> tuple[list[str], int, YamlDoc | None, list[Problem]]:
    """A markdown file's lines, the index of the line that closes its front matter, the front matter read as
    YAML (None when it cannot be), and the problems: for event files and their translations alike."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return lines, 0, None, [Problem(path, 1, "missing front matter: start the file with a line '---'",
                                        code="front-matter")]
    close = next((i for i in range(1, len(lines)) if _FENCE.fullmatch(lines[i])), None)
    if close is None:
        return lines, 0, None, [Problem(path, 1, "unterminated front matter: add a line '---' after the last key",
                                        code="front-matter")]
    doc, problems = load_yaml("\n".join(lines[1:close]), path, first_line=2)
    return lines, close, doc, problems


def parse_event(path: Path, raw: bytes) -> tuple[Event | None, list[Problem]]:
    """Check the bytes `raw` of the event file at `path` on their own (the file itself is not read)."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        return None, [Problem(path, line, "file is not UTF-8: save it with UTF-8 encoding", code="encoding")]
    text = text.removeprefix("\ufeff").replace("\r\n", "\n")
    problems: list[Problem] = []
    match = FILENAME.fullmatch(path.stem)
    if not match or not SLUG.fullmatch(path.stem):
        problems.append(
            Problem(path, 1, "file name must be YYYY-MM-DD-HHMM-slug.md or YYYY-MM-DD-slug.md in lower-case ASCII",
                    code="file-name")
        )
    lines, close, doc, found = front_matter(path, text)
    problems += found
    if doc is None:
        return None, problems
    values, field_problems = check_mapping(EVENT_FIELDS, doc.data if doc.data is not None else {}, "front matter")
    for key, message in field_problems:
        problems.append(Problem(path, doc.line(key) if key else 1, message, code="field"))
    key_lines = {str(k[0]): v for k, v in doc.lines.items() if len(k) == 1}
    # A required field that is missing or invalid is already a problem; a placeholder keeps the event so
    # that its other problems (place, citations, ...) are reported in the same run.
    values = {**PLACEHOLDERS, **values}
    event = Event(id=path.stem, path=path, body=scan("\n".join(lines[close + 1 :])), body_line=close + 2,
                  lines=key_lines, **values)
    if "time_precision" not in values:
        event.time_precision = "exact" if event.time else "unknown"
    if event.time_precision in ("exact", "approximate") and event.time is None:
        problems.append(Problem(path, event.line_of("time_precision"),
                                f"time_precision '{event.time_precision}' needs a 'time: HH:MM'", code="time"))
    if event.time is not None and event.time_precision in PART_OF_DAY_SPANS:
        first, last = PART_OF_DAY_SPANS[event.time_precision]
        minute = event.time.hour * 60 + event.time.minute
        if not (first <= minute < last or first <= minute + 24 * 60 < last):
            problems.append(Problem(path, event.line_of("time_precision"),
                                    f"time {event.time.hour:02d}:{event.time.minute:02d} is not in the "
                                    f"{event.time_precision} ({_span(event.time_precision)}): use 'approximate', "
                                    "or the part of day it falls in", code="time"))
    if event.time_precision == "unknown" and event.time is not None:
        problems.append(Problem(path, event.line_of("time_precision"),
                                "time_precision 'unknown' contradicts the given time: drop one of them", code="time"))
    unclosed = unclosed_reference(event.body.masked)
    if unclosed is not None:
        event.renderable = False
        problems.append(Problem(path, event.body_line + event.body.masked.count("\n", 0, unclosed),
                                "'[^' starts a footnote reference that is not closed: write [^source-key], with the "
                                "key's lower-case letters, digits and hyphens and a ']' on the same line",
                                code="reference"))
    if match and event.date != NO_DATE:
        problems += _check_filename(event, match)
    return event, problems


def _span(part: str) -> str:
    first, last = PART_OF_DAY_SPANS[part]
    return f"{first // 60 % 24:02d}:00 to {last // 60 % 24:02d}:00"


# A footnote reference as a label can be written: no brackets, no line break inside. Python-Markdown's own
# pattern lets a label run over '[' and lines, and retries it from every '[^': quadratic in the length of a text
# full of unclosed or nested '[^' (seconds at a few kilobytes). Such text is refused before it is ever rendered.
_WELL_FORMED_REFERENCE = re.compile(r"\[\^[^\[\]\n]*\]")


def unclosed_reference(masked: str) -> int | None:
    """The offset of the first '[^' (outside code) that does not end as `[^label]` on its line, if any."""
    if "[^" not in masked:
        return None
    closed = {match.start() for match in _WELL_FORMED_REFERENCE.finditer(masked)}
    position = masked.find("[^")
    while position != -1:
        if position not in closed:
            return position
        position = masked.find("[^", position + 2)
    return None


def _check_filename(event: Event, match: re.Match[str]) -> list[Problem]:
    """The file name repeats the date (and time) so that a listing of events/ reads in order."""
    problems = []
    if match["date"] != event.date.isoformat():
        problems.append(Problem(event.path, event.line_of("date"),
                                f"date {event.date} does not match the file name: rename the file to start "
                                f"with {event.date}", code="file-name"))
    if match["time"] and event.time and match["time"] != event.time.strftime("%H%M"):
        problems.append(Problem(event.path, event.line_of("time"),
                                f"time {event.time:%H:%M} does not match the file name's {match['time']}",
                                code="file-name"))
    return problems


# A file modified less than this long before it was read may be modified again within the file system's timestamp
# granularity without its modification time changing: such a file is hashed again next time (git's "racily clean").
_RACY_NS = 2_000_000_000


@dataclass
class _Cached(Generic[C]):
    mtime_ns: int
    size: int
    digest: bytes
    read_ns: int
    result: C

    def unchanged(self, stat: os.stat_result) -> bool:
        same = (self.mtime_ns, self.size) == (stat.st_mtime_ns, stat.st_size)
        return same and self.read_ns - self.mtime_ns > _RACY_NS


class EventCache:
    """Loaded event files kept between builds (`mkdocs serve`), keyed by path, modification time and content hash.

    A file whose modification time and size are unchanged is not read again; a file that was touched but whose
    bytes are the same (same SHA-256) is not parsed again. Only the file an author edited is re-read and re-parsed
    (and files modified within two seconds of being read are hashed again, in case a second write kept the time).
    Cross-checks against the registries are not cached: they are redone on every build, since they depend on
    `sources.yml`, `places.yml` and the settings.
    """

    def __init__(self) -> None:
        self._entries: dict[Path, _Cached[tuple[Event | None, list[Problem]]]] = {}
        self._registries: dict[Path, _Cached[tuple[dict[str, Any], list[Problem]]]] = {}
        self.parsed = 0  # files read and parsed by the last `load_chronicle` (for logs and the benchmark)
        self.hashed = 0  # files read, found unchanged by their hash
        self.reused = 0  # files not read at all

    def load(self, path: Path) -> tuple[Event | None, list[Problem]]:
        """`load_event(path)`, from the cache when the file has not changed."""
        stat = path.stat()
        cached = self._entries.get(path)
        if cached and cached.unchanged(stat):
            self.reused += 1
            return cached.result
        read_ns = time.time_ns()
        raw = path.read_bytes()
        digest = hashlib.sha256(raw).digest()
        if cached and cached.digest == digest:
            cached.mtime_ns, cached.size, cached.read_ns = stat.st_mtime_ns, stat.st_size, read_ns
            self.hashed += 1
            return cached.result
        result = parse_event(path, raw)
        self._entries[path] = _Cached(stat.st_mtime_ns, stat.st_size, digest, read_ns, result)
        self.parsed += 1
        return result

    def registry(self, path: Path, load: Callable[[Path], tuple[dict[str, R], list[Problem]]]
                 ) -> tuple[dict[str, R], list[Problem]]:
        """`load(path)` for a registry, from the cache when its bytes have not changed: `sources.yml` is the largest
        YAML file we read, and PyYAML composing it again was the largest part of a preview's reload."""
        if path.is_symlink() or not path.is_file():
            return load(path)  # (the loader says why it refuses it)
        digest = hashlib.sha256(path.read_bytes()).digest()
        cached = self._registries.get(path)
        if cached is None or cached.digest != digest:
            result = load(path)
            if hashlib.sha256(path.read_bytes()).digest() != digest:
                return result  # (written again while we read it: not kept under a digest it may not have)
            cached = self._registries[path] = _Cached(0, 0, digest, 0, result)
        entries, problems = cached.result
        return dict(entries), list(problems)

    def start(self) -> None:
        """Reset the per-run counters."""
        self.parsed = self.hashed = self.reused = 0

    def keep_only(self, paths: set[Path]) -> None:
        """Forget files that no longer exist (deleted or renamed events)."""
        for path in self._entries.keys() - paths:
            del self._entries[path]
