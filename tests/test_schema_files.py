"""The published JSON Schema files match the validator and accept the real content."""

from __future__ import annotations

from pathlib import Path

import jsonschema
import pytest

from chronicle.jsonschema import dump, schemas
from chronicle.yamldata import load_yaml

from conftest import ROOT, event


@pytest.mark.parametrize("name", sorted(schemas()))
def test_committed_schema_is_current(name: str) -> None:
    assert (ROOT / "schemas" / name).read_text(encoding="utf-8") == dump(schemas()[name]), \
        "run '.venv/bin/chronicle schema' and commit schemas/"


def _front_matter(path: Path) -> object:
    text = path.read_text(encoding="utf-8")
    doc, problems = load_yaml(text.split("---\n")[1], path)
    assert doc is not None and not problems
    return doc.data


def test_real_content_validates_against_the_schemas() -> None:
    found = schemas()
    for path in sorted((ROOT / "events").glob("*.md")):
        jsonschema.validate(_front_matter(path), found["event.schema.json"])
    for registry in ("sources", "places"):
        path = ROOT / "events" / f"{registry}.yml"
        doc, _ = load_yaml(path.read_text(encoding="utf-8"), path)
        assert doc is not None
        jsonschema.validate(doc.data, found[f"{registry}.schema.json"])


@pytest.mark.parametrize("fields", [{"status": "rumour"}, {"mood": "x"}, {"time": "25:00"}, {"title": None}])
def test_schema_rejects_what_the_validator_rejects(tmp_path: Path, fields: dict[str, str]) -> None:
    path = tmp_path / "e.md"
    path.write_text(event(**fields), encoding="utf-8")
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(_front_matter(path), schemas()["event.schema.json"])
