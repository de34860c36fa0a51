"""The schema tables are the one declaration of every field: the dataclasses, the exports and the JSON Schema
agree with them, so a field is added in one place (and this fails when something was left out)."""

from __future__ import annotations

import dataclasses
import json

import pytest

from chronicle import load_chronicle
from chronicle.data import render_data
from chronicle.events import Event
from chronicle.jsonschema import schemas
from chronicle.registry import DayLead, Place, Source
from chronicle.schema import DAY_FIELDS, EVENT_FIELDS, PLACE_FIELDS, SOURCE_FIELDS, Field, check_value, declared

from conftest import Writer, event

TABLES = [(EVENT_FIELDS, Event, {"id", "path", "body", "body_line", "lines", "renderable"}),
          (SOURCE_FIELDS, Source, {"key", "line"}), (PLACE_FIELDS, Place, {"key", "line"}),
          (DAY_FIELDS, DayLead, {"key", "line"})]
NESTED = [f for fields, _, _ in TABLES for f in fields if f.type == "entries"]


@pytest.mark.parametrize("fields, cls, extra", TABLES, ids=lambda t: getattr(t, "__name__", ""))
def test_each_record_has_exactly_the_fields_its_table_declares(fields: tuple[Field, ...], cls: type,
                                                              extra: set[str]) -> None:
    assert declared(fields, cls, extra=frozenset(extra)) == []


@pytest.mark.parametrize("field", NESTED, ids=lambda f: f.name)
def test_each_list_of_entries_is_declared_by_its_own_table_in_order(field: Field) -> None:
    assert field.entry is not None and field.example and field.label
    assert declared(field.items, field.entry) == []  # type: ignore[arg-type]
    assert [f.name for f in dataclasses.fields(field.entry)] == [f.name for f in field.items]  # type: ignore[arg-type]
    document = schemas()["sources.schema.json" if field.name == "captures" else "event.schema.json"]
    owner = (document["additionalProperties"] if field.name == "captures" else document)["properties"][field.name]
    assert list(owner["items"]["properties"]) == [f.name for f in field.items]
    assert owner["items"]["required"] == [f.name for f in field.items if f.required]


def test_every_declared_field_is_in_the_exports(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-x.md": event()})
    data = render_data(load_chronicle(folder), "account/")
    record = json.loads(data["events.json"])["events"][0]
    exported = {"passages": "citations"}  # each citation with its passage, or none
    assert [f.name for f in EVENT_FIELDS if exported.get(f.name, f.name) not in record] == []
    source = json.loads(data["sources.json"])["sources"][0]
    assert [f.name for f in SOURCE_FIELDS if f.name not in source] == []


def test_limits_are_declared_with_the_field() -> None:
    count = Field("count", "integer", "How many.", minimum=1)
    assert check_value(count, 1) == (1, None)
    assert check_value(count, 0) == (None, "'count' must be 1 or more, got 0")
    code = Field("code", "text", "A code.", pattern="[a-z]{2}", pattern_hint="two letters", max_length=2)
    assert check_value(code, "ru") == ("ru", None)
    assert check_value(code, "RU")[1] == "'code' must be two letters, got 'RU'"
    assert check_value(code, "rus")[1] == "'code' has 3 characters: keep it to at most 2 (two letters)"
    schema = schemas()["event.schema.json"]["properties"]["passages"]["items"]["properties"]
    assert schema["quote_lang"]["pattern"] == "^[a-z]{2,3}$" and schema["quote"]["maxLength"] == 500
