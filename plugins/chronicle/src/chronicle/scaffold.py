"""`chronicle new`: start a correctly named event file from a few answers or flags.

The file it writes holds two placeholders that say so, the text (`PLACEHOLDER_TEXT`) and its citation
(`PLACEHOLDER_KEY`, a source key that does not exist): `chronicle check` fails on the file, naming the
placeholder, until the contributor has written the text and cited a real source, so a half-finished event
cannot be merged by accident.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Callable, Collection
from dataclasses import dataclass

from .events import PART_OF_DAY_SPANS, PLACEHOLDER_KEY, PLACEHOLDER_TEXT
from .problems import plain_line
from .schema import EVENT_FIELDS, PRECISIONS, SLUG, STATUSES, TIME, check_value

Ask = Callable[[str], str]

# With a time, how precise it is; without one, the part of day, if a source gives it.
TIMED = ("exact", "approximate")
UNTIMED = tuple(p for p in PRECISIONS if p not in TIMED)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `chronicle new`; any required one left out is asked for."""
    from .cli import add_config_argument  # here, so that the core can import this module's placeholders

    add_config_argument(parser)
    parser.add_argument("--title", help="short headline")
    parser.add_argument("--date", help="local date, YYYY-MM-DD")
    parser.add_argument("--time", help="local time, HH:MM (leave out if not known)")
    parser.add_argument("--time-precision", choices=PRECISIONS,
                        help="how precise the time is (default: exact with a time, unknown without)")
    parser.add_argument("--place", help="a key of places.yml")
    parser.add_argument("--status", choices=STATUSES, help="how sure we are")
    parser.add_argument("--slug", help="file name part after the date/time (default: from the title)")


@dataclass(frozen=True)
class _Question:
    """One question: its prompt, what to say to an empty answer (None: it may be left empty), the answer an empty
    one stands for, and the value taken when the flag is left out and there is no one to ask."""

    name: str
    prompt: str
    needed: str | None = None
    default: str | None = None
    unasked: str | None = None


def run(args: argparse.Namespace, ask: Ask = input) -> int:
    """Write the new event file and say where it is.

    A value given as a flag is checked and, when wrong, ends the command (exit 2); one left out is asked for when
    there is someone to ask, and an empty or wrong answer to a required question says what is wrong and asks again.
    """
    from .cli import events_folder
    from .registry import load_places

    events_dir = events_folder(args.config_file)
    places, _ = load_places(events_dir / "places.yml")
    interactive = sys.stdin.isatty() or ask is not input
    answers: dict[str, str] = {}
    for name in ("title", "date", "time", "time_precision", "place", "status"):
        question = _question(name, answers, sorted(places))
        given = getattr(args, name, None)
        if given is not None:
            message = _problem(name, given, answers, places)
            if message:
                print(plain_line(f"chronicle new: {message}"), file=sys.stderr)
                return 2
            answers[name] = given
            continue
        if not interactive:
            value = question.default or question.unasked
            if value is None and question.needed:
                print(plain_line(f"chronicle new: --{name.replace('_', '-')} is required"), file=sys.stderr)
                return 2
            if value is not None:
                answers[name] = value
            continue
        try:
            value = _ask(question, answers, places, ask)
        except EOFError:
            print(plain_line(f"chronicle new: no answer for {name.replace('_', ' ')}: nothing written"),
                  file=sys.stderr)
            return 2
        if value is not None:
            answers[name] = value
    slug = args.slug or slugify(answers["title"])
    if not SLUG.fullmatch(slug):
        print(plain_line(f"chronicle new: --slug must be lower-case letters, digits and hyphens, got {slug!r}"),
              file=sys.stderr)
        return 2
    stem = answers["date"] + (f"-{answers['time'].replace(':', '')}" if "time" in answers else "") + f"-{slug}"
    path = events_dir / f"{stem}.md"
    if path.exists():
        print(plain_line(f"chronicle new: {path} exists already: choose another --slug"), file=sys.stderr)
        return 1
    path.write_text(event_template(answers), encoding="utf-8")
    print(plain_line(f"wrote {path}: replace its placeholder text with what happened and [^{PLACEHOLDER_KEY}] "
                     "with the key of a source in sources.yml, then run 'chronicle check'"))
    return 0


def _question(name: str, answers: dict[str, str], places: list[str]) -> _Question:
    """What to ask for `name`, given the answers so far."""
    if name == "time":
        return _Question(name, "Time, HH:MM local (empty if no source gives it)")
    if name == "time_precision":
        if "time" in answers:
            return _Question(name, f"How precise is that time ({' or '.join(TIMED)})", default="exact")
        return _Question(name, f"Part of the day ({', '.join(UNTIMED)})",
                         needed=f"the part of the day is needed: {', '.join(UNTIMED[:-1])}, or unknown when no "
                                "source says", unasked="unknown")
    if name == "title":
        return _Question(name, "Title", needed="a title is needed: a short headline, in sentence case")
    if name == "date":
        return _Question(name, "Date, YYYY-MM-DD local", needed="a date is needed, written YYYY-MM-DD")
    if name == "place":
        known = ", ".join(places)
        return _Question(name, f"Place ({known})", needed=f"a place is needed: a key of places.yml ({known})")
    return _Question(name, f"Status ({', '.join(STATUSES)})", needed=f"a status is needed: {', '.join(STATUSES)}")


def _ask(question: _Question, answers: dict[str, str], places: Collection[str], ask: Ask) -> str | None:
    """Ask until the answer is right (or, for a question that may be left empty, empty)."""
    shown = f"{question.prompt} [{question.default}]: " if question.default else f"{question.prompt}: "
    while True:
        value = ask(plain_line(shown)).strip()
        if not value:
            if question.default is not None or question.needed is None:
                return question.default
            print(plain_line(question.needed), file=sys.stderr)
            continue
        message = _problem(question.name, value, answers, places)
        if not message:
            return value
        print(plain_line(f"{message}: try again"), file=sys.stderr)


_FIELDS = {f.name: f for f in EVENT_FIELDS}


def _problem(name: str, value: str, answers: dict[str, str], places: Collection[str]) -> str | None:
    """What is wrong with `value` for `name`, the answers so far given (None when it is right)."""
    message = check_value(_FIELDS[name], value)[1]
    if message:
        return message
    if name == "place" and value not in places:
        known = ", ".join(sorted(places)) or "none yet"
        return f"unknown place {value!r}: use a key of places.yml ({known}) or add the place there first"
    if name == "time_precision":
        return precision_problem(value, answers.get("time"))
    return None


def precision_problem(precision: str, time: str | None) -> str | None:
    """Why `time_precision: precision` does not go with `time` (None when it does), as the check says it."""
    if time is None:
        if precision in TIMED:
            return f"'{precision}' needs a time: without one, use {', '.join(UNTIMED)}"
        return None
    if precision == "unknown":
        return f"'unknown' contradicts the time {time}: use {', '.join(TIMED)}"
    if precision in PART_OF_DAY_SPANS:
        match = TIME.fullmatch(time)
        first, last = PART_OF_DAY_SPANS[precision]
        minute = int(match[1]) * 60 + int(match[2]) if match else first
        if not (first <= minute < last or first <= minute + 24 * 60 < last):
            return f"{time} is not in the {precision}: use {', '.join(TIMED)}"
    return None


def event_template(answers: dict[str, str]) -> str:
    """The text of a new event file: the answers, then the placeholder text and citation to replace."""
    lines = ["---", f"title: {_quote(answers['title'])}", f"date: {answers['date']}"]
    if "time" in answers:
        lines.append(f'time: "{answers["time"]}"')
    if "time_precision" in answers:
        lines.append(f"time_precision: {answers['time_precision']}")
    lines += [f"place: {answers['place']}", f"status: {answers['status']}", "actors: []", "tags: []", "---",
              f"{PLACEHOLDER_TEXT}[^{PLACEHOLDER_KEY}]", ""]
    return "\n".join(lines)


def slugify(title: str) -> str:
    """A short ASCII file-name part from a title."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    return "-".join(words[:8]) or "event"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
