"""The content schema, declared once.

Each table below declares the keys of one kind of record: its type, whether it is required, its limits (a
minimum, a length, a pattern) and, for a list of entries, the table of the entries' own keys and the dataclass
each becomes. Validation (`check_mapping`), the JSON Schema for editors (`jsonschema.py`) and the data exports
(`data.py`) are driven by these tables; tests/test_schema_declared.py fails when a dataclass, an export or the
JSON Schema leaves a declared field out. A new field is a line here, its use where it is shown, and a test.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
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
    """One key of a YAML mapping: its type, whether it is required, what it means, and the limits on its value.

    The one declaration of a field: validation (`check_value`), the JSON Schema (`jsonschema.py`) and the exports
    (`data.py`) all read it. A list of entries (`entries`) declares its entries' keys as a table of their own
    (`items`), the dataclass each entry becomes (`entry`, whose fields the table's names must be: `declared`) and
    the rules between entries or keys (`rule`)."""

    name: str
    type: str  # text | label | date | time | integer | text-list | choice | coordinates | url | slug | entries
    description: str
    required: bool = False
    choices: tuple[str, ...] = ()
    minimum: int | None = None  # integer: the smallest value allowed
    max_length: int | None = None  # text: the most characters allowed
    pattern: str = ""  # text: a regular expression the whole value must match (anchored, linear)
    pattern_hint: str = ""  # what the pattern asks for, in words
    items: tuple[Field, ...] = ()  # entries: the keys of each entry
    entry: Callable[..., Any] | None = None  # entries: the dataclass each entry becomes
    min_items: int = 1  # entries: the fewest entries
    label: str = ""  # entries: how a message names one entry ("a passage's")
    example: str = ""  # entries: the message for a list that is not one of such entries
    rule: Callable[[tuple[Any, ...]], str | None] | None = None  # entries: checks between entries and keys



# The entries of the list fields: each a dataclass, declared by a table of its keys below.


@dataclass(frozen=True)
class Correction:
    """A change of substance to an event after it was published."""

    date: dt.date
    note: str


@dataclass(frozen=True)
class Variant:
    """One source's version of one thing: what, the value it gives, and when it said so."""

    what: str
    value: str
    source: str
    said_on: dt.date | None = None


@dataclass(frozen=True, kw_only=True)
class Passage:
    """The words of a source that one citation rests on, where they stand in it, and their English."""

    source: str
    quote: str
    quote_lang: str
    translation: str | None = None
    locator: str


@dataclass(frozen=True)
class Capture:
    """An archived copy of a source: where, by which service, when, and the hash of what was captured."""

    url: str
    service: str
    captured_at: dt.date
    sha256: str | None = None


QUOTE_CHARS = 500  # one or two sentences: a passage is evidence for a citation, not a copy of the article
LOCATOR_CHARS = 120
LANGUAGE = r"[a-z]{2,3}"


def _variants_rule(variants: tuple[Variant, ...]) -> str | None:
    return None if len(variants) >= 2 else VARIANTS_EXAMPLE + " (at least two: a variant is one of several versions)"


def _passages_rule(passages: tuple[Passage, ...]) -> str | None:
    for passage in passages:
        if passage.quote_lang == "en" and passage.translation is not None:
            return "a passage in English takes no 'translation': remove it, or correct 'quote_lang'"
        if passage.quote_lang != "en" and passage.translation is None:
            return (f"a passage in {passage.quote_lang!r} needs a 'translation': the words in English, as precise "
                    "as the original")
    return None


def _captures_rule(captures: tuple[Capture, ...]) -> str | None:
    for earlier, later in itertools.pairwise(captures):
        if later.captured_at < earlier.captured_at:
            return f"list the 'captures' oldest first ({later.captured_at} comes after {earlier.captured_at})"
    return None


VARIANTS_EXAMPLE = ("'variants' must be a list of entries like '- what: crowd on the square' with 'value: about "
                    "1,000', 'source: <a key this event cites>' and optionally 'said_on: YYYY-MM-DD'")
CORRECTION_FIELDS = (
    Field("date", "date", "When the change was made, YYYY-MM-DD.", required=True),
    Field("note", "text", "What changed, in one line.", required=True),
)
VARIANT_FIELDS = (
    Field("what", "text", "What the versions differ on (time, crowd on the square, death toll).", required=True),
    Field("value", "label", "This source's version of it (a time, a number, a few words).", required=True),
    Field("source", "slug", "The source that gives it: a key the event's text cites.", required=True),
    Field("said_on", "date", "When that source said so, YYYY-MM-DD."),
)
PASSAGE_FIELDS = (
    Field("source", "slug", "The source the words are from: a key the event's text cites.", required=True),
    Field("quote", "text", "The source's own words, copied exactly: one or two sentences.", required=True,
          max_length=QUOTE_CHARS, pattern_hint="the one or two sentences the citation rests on"),
    Field("quote_lang", "text", "Their language code (en, ru, kk).", required=True, pattern=LANGUAGE,
          pattern_hint="a language code such as en, ru or kk"),
    Field("translation", "text", "The words in English, as precise as the original: required unless quote_lang "
          "is en."),
    Field("locator", "text", "Where they stand in the source: paragraph 3, the 16:37 entry, video 1:23.",
          required=True, max_length=LOCATOR_CHARS, pattern_hint="a short pointer"),
)
CAPTURE_FIELDS = (
    Field("url", "url", "The archived copy's address.", required=True),
    Field("service", "text", "The archive that made it (Internet Archive).", required=True),
    Field("captured_at", "date", "When it was captured, YYYY-MM-DD.", required=True),
    Field("sha256", "text", "The SHA-256 of the captured body, where known.", pattern=r"[0-9a-f]{64}",
          pattern_hint="64 lower-case hexadecimal digits"),
)


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
    Field("corrections", "entries", "Changes of substance after publication: a list of {date, note}, oldest "
          "first.", items=CORRECTION_FIELDS, entry=Correction, label="correction", min_items=0,
          example="'corrections' must be a list of entries like '- date: 2026-11-26' with 'note: what changed'"),
    Field("variants", "entries", "Where sources give different times, counts or versions of one thing: a list of "
          "{what, value, source, said_on} (source: a key the text cites; said_on: when that source said it).",
          items=VARIANT_FIELDS, entry=Variant, label="a variant's", example=VARIANTS_EXAMPLE, rule=_variants_rule),
    Field("passages", "entries", "The passage each citation rests on: a list of {source, quote, quote_lang, "
          "translation, locator}: the source's own words (one or two sentences, copied exactly), their language "
          "code, an English translation unless they are English, and where in the source they stand "
          "(\"paragraph 3\", \"the 16:37 entry\", \"video, 1:23\").", items=PASSAGE_FIELDS, entry=Passage,
          label="a passage's", rule=_passages_rule,
          example="'passages' must be a list of entries like '- source: <a key this event cites>' with 'quote: "
                  "\"the source's own words\"', 'quote_lang: ru', 'translation: \"the words in English\"' (unless "
                  "quote_lang is en) and 'locator: paragraph 3'"),
)
SOURCE_FIELDS = (
    Field("title", "text", "The source's own title.", required=True),
    Field("publisher", "text", "The outlet or body that published it.", required=True),
    Field("authors", "text-list", "Authors, as bylined."),
    Field("published", "date", "Publication date, YYYY-MM-DD."),
    Field("url", "url", "Where to read it (http or https).", required=True),
    Field("captures", "entries", "Archived copies, oldest first: a list of {url, service, captured_at, sha256} "
          "(sha256: of the captured body, where known).", items=CAPTURE_FIELDS, entry=Capture,
          label="a capture's", rule=_captures_rule,
          example="'captures' must be a list of entries like '- url: https://web.archive.org/web/2022.../...' with "
                  "'service: Internet Archive', 'captured_at: YYYY-MM-DD' and optionally 'sha256: <64 hex digits>'"),
    Field("archive_status", "choice", "captured (it has captures; the default when it does), pending (not archived "
          "yet; the default otherwise) or unavailable (it cannot be archived: say why in archive_note).",
          choices=ARCHIVE_STATUSES),
    Field("archive_note", "text", "Why the source cannot be archived (with archive_status: unavailable)."),
    Field("accessed", "date", "When we last read it, YYYY-MM-DD."),
    Field("language", "text", "Language code, e.g. en, ru, kk.", required=True),
    Field("kind", "choice", "What sort of source it is.", choices=SOURCE_KINDS),
    Field("state_owned", "choice", "The state that owns or controls the outlet, if one does (ISO 3166 code): "
          "shown to readers beside every citation.", choices=tuple(STATES)),
    # A translated title, shown beside the original in that edition (editions.LANGUAGES); never in the source's
    # own language: the title itself is.
    Field("title_en", "text", "The title in English, for a source in another language."),
    Field("title_ru", "text", "The title in Russian, for a source in another language."),
    Field("title_kk", "text", "The title in Kazakh, for a source in another language."),
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
    # What readers of the other editions see (editions.LANGUAGES): the English where one is missing.
    Field("name_ru", "text", "The name in Russian, as the Russian edition prints it."),
    Field("name_kk", "text", "The name in Kazakh, as the Kazakh edition prints it."),
    Field("description_ru", "text", "The description in Russian."),
    Field("description_kk", "text", "The description in Kazakh."),
)


def check_value(field: Field, value: Any) -> tuple[Any, str | None]:
    """Convert `value` to the field's type, or return the message that says how to fix it."""
    kind = field.type
    if kind == "label" and isinstance(value, (int, float)) and not isinstance(value, bool):
        value, kind = str(value), "text"  # a number given as the value: kept as it is written
    if kind in ("text", "label", "slug", "url", "choice") and not isinstance(value, str):
        return None, f"'{field.name}' must be text, not {_describe(value)}"
    if kind in ("text", "label"):
        if not value.strip():
            return None, f"'{field.name}' must not be empty"
        if _CONTROL.search(value.strip()):
            return None, f"'{field.name}' must be one line of text, with no line breaks or control characters"
        text = value.strip()
        if field.max_length is not None and len(text) > field.max_length:
            hint = f" ({field.pattern_hint})" if field.pattern_hint else ""
            return None, f"'{field.name}' has {len(text)} characters: keep it to at most {field.max_length}{hint}"
        if field.pattern and not _pattern(field.pattern).fullmatch(text):
            return None, f"'{field.name}' must be {field.pattern_hint}, got {text!r}"
        return text, None
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
        if field.minimum is not None and value < field.minimum:
            return None, f"'{field.name}' must be {field.minimum} or more, got {value}"
        return value, None
    if kind == "text-list":
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            return None, f"'{field.name}' must be a list of words or names, e.g. [a, b]"
        if any(_CONTROL.search(v.strip()) for v in value):
            return None, f"each of '{field.name}' must be one line of text, with no line breaks or control characters"
        return tuple(v.strip() for v in value), None
    if kind == "entries":
        return _check_entries(field, value)
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


def _check_entries(field: Field, value: Any) -> tuple[Any, str | None]:
    """A list of mappings, each with the keys of `field.items`, each made the dataclass `field.entry`."""
    if field.entry is None:  # pragma: no cover (a table without its dataclass: test_schema_is_one_declaration)
        raise TypeError(f"field {field.name!r} declares no entry dataclass")
    if not isinstance(value, list) or len(value) < field.min_items:
        return None, field.example
    names = {f.name for f in field.items}
    required = {f.name for f in field.items if f.required}
    entries = []
    for item in value:
        if not isinstance(item, dict) or not required <= set(item) <= names:
            return None, field.example
        values = {}
        for sub in field.items:
            if item.get(sub.name) is None:
                if sub.name in item and sub.required:
                    return None, field.example
                continue
            converted, message = check_value(sub, item[sub.name])
            if message:
                return None, f"{field.label} {message}"
            values[sub.name] = converted
        entries.append(field.entry(**values))
    found = tuple(entries)
    message = field.rule(found) if field.rule else None
    return (None, message) if message else (found, None)


@lru_cache(maxsize=64)
def _pattern(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def declared(fields: tuple[Field, ...], cls: type, *, extra: frozenset[str] = frozenset()) -> list[str]:
    """How the dataclass `cls` differs from the table `fields` (names the table has that it lacks, and the
    reverse, `extra` aside): empty when they agree. Tested for every table and its dataclass."""
    have = {f.name for f in dataclasses.fields(cls)} - extra
    want = {f.name for f in fields}
    return sorted(f"{cls.__name__} lacks '{n}'" for n in want - have) + sorted(
        f"{cls.__name__} has '{n}', which the table does not declare" for n in have - want)


def _describe(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"{type(value).__name__} {value!r}"
