"""Machine-readable exports of the account, so researchers can reuse it.

Field names and order are part of the public interface (documented in docs/data.md): add fields at the end,
never rename. Events are in reading order, sources in key order, so diffs between builds stay small.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
from collections.abc import Callable, Iterable
from typing import Any

from .chronicle import Chronicle
from .editions import LANGUAGES
from .events import Event
from .schema import Passage

CSV_FIELDS = ("id", "date", "time", "time_precision", "title", "place", "place_name", "status", "kind", "actors",
              "tags", "sources", "url")


def event_record(event: Event, chronicle: Chronicle, account_url: str | Callable[[Event], str]) -> dict[str, Any]:
    """One event as plain data."""
    place = chronicle.places[event.place]
    return {
        "id": event.id,
        "title": event.title,
        "date": event.date.isoformat(),
        "time": event.time.strftime("%H:%M") if event.time else None,
        "time_precision": event.time_precision,
        "timezone": "Asia/Almaty",
        "place": event.place,
        "place_name": place.name,
        "place_names": {language: place.name_in(language) for language in LANGUAGES[1:]
                        if getattr(place, f"name_{language}", None)},
        "coordinates": list(place.coordinates) if place.coordinates else None,
        "actors": list(event.actors),
        "status": event.status,
        "kind": event.kind,
        "tags": list(event.tags),
        "order": event.order,
        "sources": chronicle.cites(event),
        "corrections": plain(event.corrections),
        "variants": plain(event.variants),
        "text": event.body.text.strip(),
        "url": account_url(event) if callable(account_url) else f"{account_url}#{event.id}",
        "citations": citations(event, chronicle),
        "after": event.after,
        "translations": translations_of(event, chronicle),
    }


def translations_of(event: Event, chronicle: Chronicle) -> dict[str, dict[str, Any]]:
    """The event's translations by language: title, text, who made and reviewed them, and whether the English
    has changed since (`outdated`)."""

    out: dict[str, dict[str, Any]] = {}
    for language, translated in sorted(chronicle.translations.items()):
        translation = translated.get(event.id)
        if translation is not None:
            out[language] = {"title": translation.title, "text": translation.body.text.strip(),
                             "translated_by": list(translation.translated_by),
                             "reviewed_by": list(translation.reviewed_by),
                             "outdated": not translation.is_current(event)}
    return out


def plain(entries: tuple[Any, ...]) -> list[dict[str, Any]]:
    """The entries of a list field (captures, corrections, variants) as data: their keys in the order their table
    declares them (`schema.py`), dates written YYYY-MM-DD."""
    return [{f.name: _value(getattr(entry, f.name)) for f in dataclasses.fields(entry)} for entry in entries]


def _value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def citations(event: Event, chronicle: Chronicle) -> list[dict[str, Any]]:
    """Every (event, source) citation in order of first citation, each with the passage it rests on (or nulls):
    a source given several passages has one entry for each."""
    passages: dict[str, list[Passage]] = {}
    for passage in event.passages:
        passages.setdefault(passage.source, []).append(passage)
    records: list[dict[str, Any]] = []
    for key in chronicle.cites(event):
        found: list[Passage | None] = [*passages.get(key, [])] or [None]
        for entry in found:
            records.append({"source": key, "quote": entry.quote if entry else None,
                            "quote_lang": entry.quote_lang if entry else None,
                            "translation": entry.translation if entry else None,
                            "locator": entry.locator if entry else None})
    return records


def sources_json(chronicle: Chronicle) -> str:
    """`sources.json`: every source with the ids of the events that cite it."""
    records = []
    for key in sorted(chronicle.sources):
        source = chronicle.sources[key]
        records.append({
            "key": key,
            "title": source.title,
            "publisher": source.publisher,
            "authors": list(source.authors),
            "published": source.published.isoformat() if source.published else None,
            "url": source.url,
            "captures": plain(source.captures),
            "archive_status": source.status,
            "accessed": source.accessed.isoformat() if source.accessed else None,
            "language": source.language,
            "kind": source.kind,
            "state_owned": source.state_owned,
            "cited_by": [e.id for e in chronicle.citing.get(key, [])],
            "archive_note": source.archive_note,
            "title_en": source.title_en,
            "title_ru": source.title_ru,
            "title_kk": source.title_kk,
        })
    return _json_list("sources", records)


def _json_list(name: str, records: Iterable[dict[str, Any]]) -> str:
    """`{"name": [...]}` with one record per line: readable diffs, and Python's fast (C) JSON encoder, which
    `indent` would turn off."""
    lines = ",\n".join(json.dumps(record, ensure_ascii=False) for record in records)
    return f'{{"{name}": [\n{lines}\n]}}\n'


def _csv(records: list[dict[str, Any]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for record in records:
        writer.writerow([_cell("; ".join(value) if isinstance(value := record[name], list) else
                               "" if value is None else value) for name in CSV_FIELDS])
    return out.getvalue()


def _cell(value: Any) -> Any:
    """A CSV cell that a spreadsheet shows as text, never runs as a formula."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def render_data(chronicle: Chronicle, account_url: str | Callable[[Event], str]) -> dict[str, str]:
    """The three export files by name; `account_url`: the account's address (each event's is it and #id), or
    the address of each event's section (a split account)."""
    records = [event_record(e, chronicle, account_url) for e in chronicle.events]
    return {
        "events.json": _json_list("events", records),
        "sources.json": sources_json(chronicle),
        "events.csv": _csv(records),
    }
