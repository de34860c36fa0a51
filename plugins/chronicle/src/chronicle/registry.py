"""The two registries beside the events: `sources.yml` and `places.yml`.

Both are mappings from a key (used in event files) to an entry; they are read the same way and checked
against their schema tables.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import Problem
from .schema import DAY_FIELDS, PLACE_FIELDS, SLUG, SOURCE_FIELDS, Capture, Field, check_mapping
from .tree import link_problem, size_problem
from .yamldata import load_yaml


@dataclass(frozen=True)
class Source:
    """A published source that events cite by key."""

    key: str
    title: str
    publisher: str
    url: str
    language: str
    authors: tuple[str, ...] = ()
    published: dt.date | None = None
    captures: tuple[Capture, ...] = ()
    archive_status: str | None = None  # None: captured if there are captures, else pending (see `status`)
    archive_note: str | None = None
    accessed: dt.date | None = None
    kind: str | None = None
    state_owned: str | None = None
    line: int = 1
    title_en: str | None = None
    title_ru: str | None = None
    title_kk: str | None = None

    def title_in(self, language: str) -> str | None:
        """The title translated for an edition, where there is one (None for a source in that language)."""
        return None if language == self.language else getattr(self, f"title_{language}", None)

    @property
    def status(self) -> str:
        """Whether the source is archived: captured, pending or unavailable."""
        return self.archive_status or ("captured" if self.captures else "pending")


@dataclass(frozen=True)
class Place:
    """A place where events happened."""

    key: str
    name: str
    coordinates: tuple[float, float] | None = None
    description: str | None = None
    line: int = 1
    scope: str = "city"
    coordinates_source: str | None = None
    name_ru: str | None = None
    name_kk: str | None = None
    description_ru: str | None = None
    description_kk: str | None = None

    def name_in(self, language: str) -> str:
        """The name an edition prints: its own, or the English where it has none."""
        return str(getattr(self, f"name_{language}", None) or self.name)

    def description_in(self, language: str) -> str | None:
        """The description an edition prints: its own, or the English where it has none."""
        return getattr(self, f"description_{language}", None) or self.description


def load_sources(path: Path) -> tuple[dict[str, Source], list[Problem]]:
    """Read `sources.yml`."""
    entries, problems = _load_registry(path, SOURCE_FIELDS, "source")
    sources = {key: Source(key=key, line=line, **values) for key, (line, values) in entries.items()}
    for source in sources.values():
        problems += _archive_problems(path, source)
        if getattr(source, f"title_{source.language}", None):
            problems.append(Problem(path, source.line, f"source '{source.key}' is in {source.language}: its title "
                                    f"is already in {source.language}, remove 'title_{source.language}'",
                                    code="field"))
    return sources, problems


def _archive_problems(path: Path, source: Source) -> list[Problem]:
    """The archive status agrees with the captures: captured has some; unavailable says why and has none."""
    status, key = source.archive_status, source.key
    if status == "captured" and not source.captures:
        return [Problem(path, source.line, f"source '{key}' says archive_status: captured but has no captures: add "
                                           "them, or say pending", code="archive")]
    if status in ("pending", "unavailable") and source.captures:
        return [Problem(path, source.line, f"source '{key}' has captures but says archive_status: {status}: remove "
                                           "the status (captured is the default with captures)", code="archive")]
    if status == "unavailable" and not source.archive_note:
        return [Problem(path, source.line, f"source '{key}' cannot be archived: say why in archive_note",
                        code="archive")]
    if source.archive_note and status != "unavailable":
        return [Problem(path, source.line, f"source '{key}' has an archive_note but is not unavailable: the note "
                                           "says why a source cannot be archived", code="archive")]
    return []


def load_places(path: Path) -> tuple[dict[str, Place], list[Problem]]:
    """Read `places.yml`."""
    entries, problems = _load_registry(path, PLACE_FIELDS, "place")
    places = {key: Place(key=key, line=line, **values) for key, (line, values) in entries.items()}
    for place in places.values():
        problems += _place_problems(path, place)
    return places, problems


def _place_problems(path: Path, place: Place) -> list[Problem]:
    """Checks across a place's fields: coordinates come with where they were read, and only where there is a point.
    A spot with no coordinates is a warning, not an error: it can be published before someone has found it."""
    if place.scope == "area" and place.coordinates:
        return [Problem(path, place.line, f"place '{place.key}' has scope 'area' and coordinates: an area has no "
                                          "single point, remove the coordinates or change the scope", code="place")]
    if place.coordinates and not place.coordinates_source:
        return [Problem(path, place.line, f"place '{place.key}' has coordinates but no 'coordinates_source': add "
                                          "the address of the map object or gazetteer entry they come from",
                        code="place")]
    if place.coordinates_source and not place.coordinates:
        return [Problem(path, place.line, f"place '{place.key}' has a 'coordinates_source' but no coordinates: "
                                          "add them or remove the source", code="place")]
    if place.scope != "area" and not place.coordinates:
        return [Problem(path, place.line, f"place '{place.key}' has no coordinates: add them with their "
                                          "'coordinates_source', or mark it 'scope: area' if it has no single point",
                        warning=True, code="place")]
    return []


@dataclass(frozen=True)
class DayLead:
    """The paragraph that opens a day of the account (`days.yml`, keyed by the day's anchor, `day-YYYY-MM-DD`)."""

    key: str
    lead: str
    line: int = 1


def load_days(path: Path) -> tuple[dict[str, DayLead], list[Problem]]:
    """Read `days.yml`, if there is one (a day needs no lead)."""
    if not path.exists() and not path.is_symlink():
        return {}, []
    entries, problems = _load_registry(path, DAY_FIELDS, "day")
    return {key: DayLead(key=key, line=line, **values) for key, (line, values) in entries.items()}, problems


def _load_registry(
    path: Path, fields: tuple[Field, ...], what: str
) -> tuple[dict[str, tuple[int, dict[str, Any]]], list[Problem]]:
    refused = link_problem(path) or size_problem(path)
    if refused:
        return {}, [refused]
    if not path.is_file():
        return {}, [Problem(path, 1, f"missing {path.name}: create it, with one entry per {what}", code="registry")]
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        line = path.read_bytes().count(b"\n", 0, exc.start) + 1
        return {}, [Problem(path, line, "file is not UTF-8: save it with UTF-8 encoding", code="encoding")]
    doc, problems = load_yaml(text, path)
    if doc is None or doc.data is None:
        return {}, problems
    if not isinstance(doc.data, dict):
        return {}, [*problems, Problem(path, 1, f"{path.name} must map each {what} key to its entry", code="registry")]
    entries: dict[str, tuple[int, dict[str, Any]]] = {}
    for key, data in doc.data.items():
        line = doc.line(key)
        if not SLUG.fullmatch(key):
            problems.append(Problem(path, line, f"{what} key {key!r} must be lower-case letters, digits and hyphens",
                                    code="registry"))
            continue
        values, field_problems = check_mapping(fields, data, f"{what} '{key}'")
        for field_key, message in field_problems:
            problems.append(Problem(path, doc.line(key, field_key) if field_key else line, message, code="field"))
        if isinstance(data, dict):
            # An entry with a bad field is already a problem; placeholders keep its key known, so events
            # that cite it are not also told the key does not exist.
            placeholders = {f.name: f"<{f.name}>" for f in fields if f.required and f.name not in values}
            entries[key] = (line, {**placeholders, **values})
    return entries, problems
