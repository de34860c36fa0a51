"""The content schema, declared once.

Validation of event front matter, sources and places is driven by these tables, and the same tables can
be published as JSON Schema for editors, so the rules cannot drift apart.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass
from typing import Any

from .urls import external_url_problem

STATUSES = ("observed", "reported", "official-claim", "disputed")
STATUS_LABELS = {
    "observed": "Observed",
    "reported": "Reported",
    "official-claim": "Official claim",
    "disputed": "Disputed",
}
STATUS_MEANINGS = {
    "observed": "seen by the reporters or eyewitnesses of a cited source",
    "reported": "reported by a cited source, not seen by its own reporters",
    "official-claim": "stated by an official body or person; not independently confirmed",
    "disputed": "sources contradict each other on the core of it",
}
PRECISIONS = ("exact", "approximate", "morning", "afternoon", "evening", "night", "unknown")
KINDS = ("context", "aftermath")
# The states whose outlets the account cites, with the adjective a note uses ("Kazakh state-owned").
STATES = {"KZ": "Kazakh", "RU": "Russian", "BY": "Belarusian", "CN": "Chinese", "KG": "Kyrgyz", "UZ": "Uzbek",
          "TR": "Turkish", "IR": "Iranian", "QA": "Qatari", "UA": "Ukrainian", "AM": "Armenian"}
ARCHIVE_STATUSES = ("captured", "pending", "unavailable")
SOURCE_KINDS = ("eyewitness", "reportage", "wire", "official", "analysis", "ngo-report")

SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
TIME = re.compile(r"([01][0-9]|2[0-3]):([0-5][0-9])")


@dataclass(frozen=True)
class Field:
    """One key of a YAML mapping: its type, whether it is required, and what it means."""

    name: str
    type: str  # text | date | time | integer | text-list | choice | coordinates | url | slug | corrections | captures
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()


EVENT_FIELDS = (
    Field("title", "text", "A short headline.", required=True),
    Field("date", "date", "Local date, YYYY-MM-DD.", required=True),
    Field("time", "time", "Local time of the place (Asia/Almaty, UTC+6 in 2022), HH:MM."),
    Field("time_precision", "choice", "How precise the time is (default: exact with a time, unknown without).",
          choices=PRECISIONS),
    Field("place", "slug", "A key of events/places.yml.", required=True),
    Field("actors", "text-list", "Who took part."),
    Field("status", "choice", "How sure we are.", required=True, choices=STATUSES),
    Field("kind", "choice", "Marks an event outside the account's period as background or aftermath.",
          choices=KINDS),
    Field("tags", "text-list", "Subject words."),
    Field("order", "integer", "Breaks ties between events that sort at the same minute (lower first)."),
    Field("after", "slug", "The id of an event of the same day that this one came after (its file name without "
          ".md): for a part of day or no time, where the order is known but the clock time is not."),
    Field("corrections", "corrections", "Changes of substance after publication: a list of {date, note}, "
          "oldest first."),
    Field("variants", "variants", "Where sources give different times, counts or versions of one thing: a list of "
          "{what, value, source, said_on} (source: a key the text cites; said_on: when that source said it)."),
    Field("passages", "passages", "The passage each citation rests on: a list of {source, quote, quote_lang, "
          "translation, locator}: the source's own words (one or two sentences, copied exactly), their language "
          "code, an English translation unless they are English, and where in the source they stand "
          "(\"paragraph 3\", \"the 16:37 entry\", \"video, 1:23\")."),
)
SOURCE_FIELDS = (
    Field("title", "text", "The source's own title.", required=True),
    Field("publisher", "text", "The outlet or body that published it.", required=True),
    Field("authors", "text-list", "Authors, as bylined."),
    Field("published", "date", "Publication date, YYYY-MM-DD."),
    Field("url", "url", "Where to read it (http or https).", required=True),
    Field("captures", "captures", "Archived copies, oldest first: a list of {url, service, captured_at, sha256} "
          "(sha256: of the captured body, where known)."),
    Field("archive_status", "choice", "captured (it has captures; the default when it does), pending (not archived "
          "yet; the default otherwise) or unavailable (it cannot be archived: say why in archive_note).",
          choices=ARCHIVE_STATUSES),
    Field("archive_note", "text", "Why the source cannot be archived (with archive_status: unavailable)."),
    Field("accessed", "date", "When we last read it, YYYY-MM-DD."),
    Field("language", "text", "Language code, e.g. en, ru, kk.", required=True),
    Field("kind", "choice", "What sort of source it is.", choices=SOURCE_KINDS),
    Field("state_owned", "choice", "The state that owns or controls the outlet, if one does (ISO 3166 code): "
          "shown to readers beside every citation.", choices=tuple(STATES)),
)
DAY_FIELDS = (
    Field("lead", "text", "One paragraph on what happened that day, in your own words, each fact followed by "
          "its citation [^source-key]; shown under the day's heading in the account.", required=True),
)
PLACE_SCOPES = ("city", "country", "area")
PLACE_FIELDS = (
    Field("name", "text", "The place's name as readers know it.", required=True),
    Field("scope", "choice", "city: a spot in Almaty, on the city map (the default); country: a town elsewhere "
          "or abroad, on the country map; area: no single point (city-wide, nationwide), on no map.",
          choices=PLACE_SCOPES),
    Field("coordinates", "coordinates", "[latitude, longitude], only when checked on a map; required unless "
          "the scope is area."),
    Field("coordinates_source", "url", "Where the coordinates were read (an OpenStreetMap object, a "
          "gazetteer entry): required with coordinates."),
    Field("description", "text", "One line on where or what it is."),
)


def check_value(field: Field, value: Any) -> tuple[Any, str | None]:
    """Convert `value` to the field's type, or return the message that says how to fix it."""
    kind = field.type
    if kind in ("text", "slug", "url", "choice") and not isinstance(value, str):
        return None, f"'{field.name}' must be text, not {_describe(value)}"
    if kind == "text":
        if not value.strip():
            return None, f"'{field.name}' must not be empty"
        if _CONTROL.search(value.strip()):
            return None, f"'{field.name}' must be one line of text, with no line breaks or control characters"
        return value.strip(), None
    if kind == "slug":
        if not SLUG.fullmatch(value):
            return None, f"'{field.name}' must be lower-case letters, digits and hyphens, got {value!r}"
        return value, None
    if kind == "url":
        problem = external_url_problem(value)
        if problem:
            return None, f"'{field.name}' {problem}"
        return value, None
    if kind == "choice":
        if value not in field.choices:
            return None, f"unknown {field.name} {value!r}: use one of {', '.join(field.choices)}"
        return value, None
    if kind == "date":
        text = str(value)
        if not DATE.fullmatch(text):
            return None, f"'{field.name}' must be a date written YYYY-MM-DD, got {text!r}"
        try:
            return dt.date.fromisoformat(text), None
        except ValueError:
            return None, f"'{field.name}' is not a real date: {text!r}"
    if kind == "time":
        match = TIME.fullmatch(str(value))
        if not match:
            return None, f"'{field.name}' must be a 24-hour time written HH:MM, got {value!r}"
        return dt.time(int(match[1]), int(match[2])), None
    if kind == "integer":
        if isinstance(value, bool) or not isinstance(value, int):
            return None, f"'{field.name}' must be a whole number, not {_describe(value)}"
        return value, None
    if kind == "text-list":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return None, f"'{field.name}' must be a list of words or names, e.g. [a, b]"
        if any(_CONTROL.search(v.strip()) for v in value):
            return None, f"each of '{field.name}' must be one line of text, with no line breaks or control characters"
        return tuple(v.strip() for v in value), None
    if kind == "corrections":
        return _check_corrections(field, value)
    if kind == "captures":
        return _check_captures(field, value)
    if kind == "variants":
        return _check_variants(field, value)
    if kind == "passages":
        return _check_passages(field, value)
    if kind == "coordinates":
        ok = (
            isinstance(value, list)
            and len(value) == 2
            and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value)
            and -90 <= value[0] <= 90
            and -180 <= value[1] <= 180
        )
        if not ok:
            return None, f"'{field.name}' must be [latitude, longitude] in degrees, e.g. [43.238, 76.946]"
        return (float(value[0]), float(value[1])), None
    raise AssertionError(kind)  # pragma: no cover


def check_mapping(fields: tuple[Field, ...], data: Any, what: str) -> tuple[dict[str, Any], list[tuple[str, str]]]:
    """Check a mapping against `fields`; return the converted values and (key, message) problems."""
    if not isinstance(data, dict):
        return {}, [("", f"{what} must be a mapping of keys to values, not {_describe(data)}")]
    by_name = {f.name: f for f in fields}
    values: dict[str, Any] = {}
    problems: list[tuple[str, str]] = []
    for key, value in data.items():
        field = by_name.get(key)
        if field is None:
            names = [f.name for f in fields]
            near = difflib.get_close_matches(str(key)[:100], names, n=1, cutoff=0.75)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            problems.append((key, f"unknown field {key!r} in {what}{hint}: allowed fields are {', '.join(names)}"))
            continue
        if value is None:
            if field.required:
                problems.append((key, f"'{key}' is empty: give it a value"))
            continue
        converted, message = check_value(field, value)
        if message:
            problems.append((key, message))
        else:
            values[key] = converted
    for field in fields:
        if field.required and field.name not in data:
            problems.append(("", f"missing required field '{field.name}' in {what}"))
    return values, problems


@dataclass(frozen=True)
class Correction:
    """A change of substance to an event after it was published."""

    date: dt.date
    note: str


def _check_corrections(field: Field, value: Any) -> tuple[Any, str | None]:
    example = f"'{field.name}' must be a list of entries like '- date: 2026-11-26' with 'note: what changed'"
    if not isinstance(value, list):
        return None, example
    corrections = []
    for entry in value:
        if not isinstance(entry, dict) or set(entry) != {"date", "note"}:
            return None, example
        day, message = check_value(Field("date", "date", ""), entry["date"])
        if message:
            return None, f"correction {message}"
        if not isinstance(entry["note"], str) or not entry["note"].strip():
            return None, example
        if _CONTROL.search(entry["note"].strip()):
            return None, "a correction's 'note' must be one line of text, with no line breaks"
        corrections.append(Correction(day, entry["note"].strip()))
    return tuple(corrections), None


@dataclass(frozen=True)
class Variant:
    """One source's version of one thing: what, the value it gives, and when it said so."""

    what: str
    value: str
    source: str
    said_on: dt.date | None = None


def _check_variants(field: Field, value: Any) -> tuple[Any, str | None]:
    example = (f"'{field.name}' must be a list of entries like '- what: crowd on the square' with 'value: about "
               "1,000', 'source: <a key this event cites>' and optionally 'said_on: YYYY-MM-DD'")
    if not isinstance(value, list) or len(value) < 2:
        return None, example + " (at least two: a variant is one of several versions)"
    variants = []
    for entry in value:
        if not isinstance(entry, dict) or not {"what", "value", "source"} <= set(entry) <= {"what", "value", "source",
                                                                                          "said_on"}:
            return None, example
        parts = []
        for name, kind in (("what", "text"), ("value", "text"), ("source", "slug")):
            converted, message = check_value(Field(name, kind, ""), str(entry[name]) if kind == "text" and
                                             isinstance(entry[name], (int, float)) else entry[name])
            if message:
                return None, f"a variant's {message}"
            parts.append(converted)
        day = None
        if entry.get("said_on") is not None:
            day, message = check_value(Field("said_on", "date", ""), entry["said_on"])
            if message:
                return None, f"a variant's {message}"
        variants.append(Variant(parts[0], parts[1], parts[2], day))
    return tuple(variants), None


@dataclass(frozen=True)
class Passage:
    """The words of a source that one citation rests on, where they stand in it, and their English."""

    source: str
    quote: str
    quote_lang: str
    locator: str
    translation: str | None = None


QUOTE_CHARS = 500  # one or two sentences: a passage is evidence for a citation, not a copy of the article
LOCATOR_CHARS = 120
LANGUAGE = re.compile(r"[a-z]{2,3}")
_PASSAGE_KEYS = {"source", "quote", "quote_lang", "translation", "locator"}


def _check_passages(field: Field, value: Any) -> tuple[Any, str | None]:
    example = (f"'{field.name}' must be a list of entries like '- source: <a key this event cites>' with "
               "'quote: \"the source's own words\"', 'quote_lang: ru', 'translation: \"the words in English\"' "
               "(unless quote_lang is en) and 'locator: paragraph 3'")
    if not isinstance(value, list) or not value:
        return None, example
    passages: list[Passage] = []
    for entry in value:
        if not isinstance(entry, dict) or not {"source", "quote", "quote_lang", "locator"} <= set(entry) <= \
                _PASSAGE_KEYS:
            return None, example
        parts = {}
        for name, kind in (("source", "slug"), ("quote", "text"), ("quote_lang", "text"), ("locator", "text"),
                           ("translation", "text")):
            if name not in entry:
                continue
            converted, message = check_value(Field(name, kind, ""), entry[name])
            if message:
                return None, f"a passage's {message}"
            parts[name] = converted
        if len(parts["quote"]) > QUOTE_CHARS:
            return None, (f"a passage's 'quote' has {len(parts['quote'])} characters: keep it to the one or two "
                          f"sentences the citation rests on (at most {QUOTE_CHARS})")
        if len(parts["locator"]) > LOCATOR_CHARS:
            return None, f"a passage's 'locator' must be short (at most {LOCATOR_CHARS} characters)"
        if not LANGUAGE.fullmatch(parts["quote_lang"]):
            return None, f"a passage's 'quote_lang' must be a language code such as en, ru or kk, got " \
                         f"{parts['quote_lang']!r}"
        if parts["quote_lang"] == "en" and "translation" in parts:
            return None, "a passage in English takes no 'translation': remove it, or correct 'quote_lang'"
        if parts["quote_lang"] != "en" and "translation" not in parts:
            return None, (f"a passage in {parts['quote_lang']!r} needs a 'translation': the words in English, "
                          "as precise as the original")
        passages.append(Passage(parts["source"], parts["quote"], parts["quote_lang"], parts["locator"],
                                parts.get("translation")))
    return tuple(passages), None


@dataclass(frozen=True)
class Capture:
    """An archived copy of a source: where, by which service, when, and the hash of what was captured."""

    url: str
    service: str
    captured_at: dt.date
    sha256: str | None = None


_SHA256 = re.compile(r"[0-9a-f]{64}")
_CAPTURE_KEYS = {"url", "service", "captured_at", "sha256"}


def _check_captures(field: Field, value: Any) -> tuple[Any, str | None]:
    example = (f"'{field.name}' must be a list of entries like '- url: https://web.archive.org/web/2022.../...' "
               "with 'service: Internet Archive', 'captured_at: YYYY-MM-DD' and optionally 'sha256: <64 hex digits>'")
    if not isinstance(value, list) or not value:
        return None, example
    captures: list[Capture] = []
    for entry in value:
        if not isinstance(entry, dict) or not {"url", "service", "captured_at"} <= set(entry) <= _CAPTURE_KEYS:
            return None, example
        url, message = check_value(Field("url", "url", ""), entry["url"])
        if message:
            return None, f"a capture's {message}"
        service, message = check_value(Field("service", "text", ""), entry["service"])
        if message:
            return None, f"a capture's {message}"
        day, message = check_value(Field("captured_at", "date", ""), entry["captured_at"])
        if message:
            return None, f"a capture's {message}"
        digest = entry.get("sha256")
        if digest is not None and not (isinstance(digest, str) and _SHA256.fullmatch(digest)):
            return None, "a capture's 'sha256' must be 64 lower-case hexadecimal digits"
        if captures and day < captures[-1].captured_at:
            return None, f"list the '{field.name}' oldest first ({day} comes after {captures[-1].captured_at})"
        captures.append(Capture(url, service, day, digest))
    return tuple(captures), None


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"
