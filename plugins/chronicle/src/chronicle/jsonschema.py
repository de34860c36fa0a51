"""The content schema as JSON Schema files, for editors that check YAML while typing.

Generated from the tables in `schema.py`, so the published files cannot drift from the validator;
`chronicle schema --check` (run by the tests) fails when the committed files are stale.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from .schema import EVENT_FIELDS, PLACE_FIELDS, SOURCE_FIELDS, Field

BASE = "https://qantar.example/schemas/"
_DATE = {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}


def _field_schema(field: Field) -> dict[str, Any]:
    """The JSON Schema of one field, from its declaration alone (nested entries from their own table)."""
    kind = field.type
    if kind == "entries":
        items = _object(field.items)
        return {"description": field.description, "type": "array", "minItems": field.min_items, "items": items}
    types: dict[str, dict[str, Any]] = {
        "text": {"type": "string", "minLength": 1},
        "label": {"type": ["string", "number"]},
        "slug": {"type": "string", "pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"},
        "url": {"type": "string", "pattern": r"^https?://"},
        "date": {"anyOf": [_DATE, {"type": "string", "format": "date"}]},
        "time": {"type": "string", "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]$"},
        "integer": {"type": "integer"},
        "text-list": {"type": "array", "items": {"type": "string", "minLength": 1}},
        "choice": {"enum": list(field.choices)},
        "coordinates": {"type": "array", "minItems": 2, "maxItems": 2, "prefixItems": [
            {"type": "number", "minimum": -90, "maximum": 90}, {"type": "number", "minimum": -180, "maximum": 180}]},
    }
    schema = dict(types[kind])
    if field.max_length is not None:
        schema["maxLength"] = field.max_length
    if field.pattern:
        schema["pattern"] = f"^{field.pattern}$"
    if field.minimum is not None:
        schema["minimum"] = field.minimum
    return {"description": field.description, **schema}


def _object(fields: tuple[Field, ...]) -> dict[str, Any]:
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [f.name for f in fields if f.required],
        "properties": {f.name: _field_schema(f) for f in fields},
    }


def schemas() -> dict[str, dict[str, Any]]:
    """The three schema documents by file name."""
    registry = {"type": "object", "propertyNames": {"pattern": r"^[a-z0-9]+(-[a-z0-9]+)*$"}}
    return {
        "event.schema.json": {"$schema": "https://json-schema.org/draft/2020-12/schema",
                              "$id": BASE + "event.schema.json", "title": "Qantar event front matter",
                              **_object(EVENT_FIELDS)},
        "sources.schema.json": {"$schema": "https://json-schema.org/draft/2020-12/schema",
                                "$id": BASE + "sources.schema.json", "title": "Qantar sources.yml", **registry,
                                "additionalProperties": _object(SOURCE_FIELDS)},
        "places.schema.json": {"$schema": "https://json-schema.org/draft/2020-12/schema",
                               "$id": BASE + "places.schema.json", "title": "Qantar places.yml", **registry,
                               "additionalProperties": _object(PLACE_FIELDS)},
    }


def dump(document: dict[str, Any]) -> str:
    """Stable text for a schema document."""
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `chronicle schema`."""
    parser.add_argument("--dir", type=Path, default=Path("schemas"), help="where the files go (default: %(default)s)")
    parser.add_argument("--check", action="store_true", help="exit 1 if the files there are missing or stale")


def run(args: argparse.Namespace) -> int:
    """`chronicle schema`: write (or check) the JSON Schema files."""
    stale = []
    for name, document in schemas().items():
        path = args.dir / name
        text = dump(document)
        if args.check:
            if not path.is_file() or path.read_text(encoding="utf-8") != text:
                stale.append(str(path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
    for path in stale:
        print(f"{path} is stale: run 'chronicle schema' and commit the result")
    return 1 if stale else 0
