"""`chronicle new`: start a correctly named event file from a few answers or flags.

The file it writes deliberately fails `chronicle check` until the contributor writes the text and cites a
source, so a half-finished event cannot be merged by accident.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Callable
from pathlib import Path

from .cli import add_config_argument, plugin_options
from .problems import plain_line
from .registry import load_places
from .schema import EVENT_FIELDS, PRECISIONS, SLUG, STATUSES, Field, check_value

Ask = Callable[[str], str]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `chronicle new`; any required one left out is asked for."""
    add_config_argument(parser)
    parser.add_argument("--title", help="short headline")
    parser.add_argument("--date", help="local date, YYYY-MM-DD")
    parser.add_argument("--time", help="local time, HH:MM (leave out if not known)")
    parser.add_argument("--time-precision", choices=PRECISIONS, help="how precise the time is")
    parser.add_argument("--place", help="a key of places.yml")
    parser.add_argument("--status", choices=STATUSES, help="how sure we are")
    parser.add_argument("--slug", help="file name part after the date/time (default: from the title)")


def run(args: argparse.Namespace, ask: Ask = input) -> int:
    """Write the new event file and say where it is."""
    options = plugin_options(args.config_file)
    base = args.config_file.parent if args.config_file.is_file() else Path(".")
    events_dir = base / str(options.get("events_dir", "events"))
    places, _ = load_places(events_dir / "places.yml")
    fields = {f.name: f for f in EVENT_FIELDS}
    interactive = sys.stdin.isatty() or ask is not input
    answers: dict[str, str] = {}
    prompts = {"title": "Title", "date": "Date (YYYY-MM-DD)", "time": "Time HH:MM (empty if unknown)",
               "place": f"Place ({', '.join(sorted(places))})", "status": f"Status ({', '.join(STATUSES)})"}
    for name, hint in prompts.items():
        value = getattr(args, name)
        if value is None and interactive:
            value = ask(plain_line(f"{hint}: ")).strip() or None
        if value is None and fields[name].required:
            print(plain_line(f"chronicle new: --{name} is required"), file=sys.stderr)
            return 2
        if value is not None:
            message = _invalid(fields[name], value)
            if name == "place" and value not in places:
                message = f"unknown place {value!r}: use one of {', '.join(sorted(places))} or add it to places.yml"
            if message:
                print(plain_line(f"chronicle new: {message}"), file=sys.stderr)
                return 2
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
    path.write_text(event_template(answers, args.time_precision), encoding="utf-8")
    print(plain_line(f"wrote {path}: write what happened, cite a source key from sources.yml after each fact, then "
                     "run 'chronicle check'"))
    return 0


def event_template(answers: dict[str, str], precision: str | None) -> str:
    """The text of a new event file."""
    lines = ["---", f"title: {_quote(answers['title'])}", f"date: {answers['date']}"]
    if "time" in answers:
        lines.append(f'time: "{answers["time"]}"')
    if precision:
        lines.append(f"time_precision: {precision}")
    lines += [f"place: {answers['place']}", f"status: {answers['status']}", "actors: []", "tags: []", "---",
              "What happened, in your own words, with the source of each fact after it.[^REPLACE-WITH-SOURCE-KEY]", ""]
    return "\n".join(lines)


def slugify(title: str) -> str:
    """A short ASCII file-name part from a title."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_title.lower())
    return "-".join(words[:8]) or "event"


def _invalid(field: Field, value: str) -> str | None:
    return check_value(field, value)[1]


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
