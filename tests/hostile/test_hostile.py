"""Broken and hostile input: each case gets its exact errors (file, line, message) and fails the build.

The cases are files under events/, sources/ and places/ beside this module; their expected problems are in
expected.yml. Events are added beside one valid event; a sources or places case replaces that registry.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from chronicle import ChronicleError, load_chronicle

from conftest import PLACES, SOURCES, event

HERE = Path(__file__).parent
EXPECTED: dict[str, list[list[object]]] = yaml.safe_load((HERE / "expected.yml").read_text(encoding="utf-8"))
CASES = sorted(str(p.relative_to(HERE)) for kind in ("events", "sources", "places") for p in (HERE / kind).iterdir())


def _project(tmp_path: Path, case: str) -> Path:
    events = tmp_path / "events"
    events.mkdir()
    (events / "sources.yml").write_text(SOURCES, encoding="utf-8")
    (events / "places.yml").write_text(PLACES, encoding="utf-8")
    (events / "2022-01-04-1800-ok.md").write_text(event(), encoding="utf-8")
    kind, name = case.split("/")
    shutil.copy(HERE / case, events / (name if kind == "events" else f"{kind}.yml"))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - chronicle\n", encoding="utf-8")
    return tmp_path


def test_corpus_is_large_and_every_case_has_expectations() -> None:
    assert len(CASES) >= 30
    assert sorted(EXPECTED) == CASES


@pytest.mark.parametrize("case", CASES)
def test_case_reports_exact_errors(tmp_path: Path, case: str) -> None:
    project = _project(tmp_path, case)
    with pytest.raises(ChronicleError) as caught:
        load_chronicle(project / "events")
    found = [[p.path.name, p.line, p.message] for p in caught.value.problems]
    assert found == EXPECTED[case]


@pytest.mark.parametrize("case", CASES)
def test_case_fails_the_build(tmp_path: Path, case: str, caplog: pytest.LogCaptureFixture) -> None:
    project = _project(tmp_path, case)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(config)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for name, line, message in EXPECTED[case]:
        assert f"{name}:{line}: {message}" in logged
    assert not (tmp_path / "site" / "account" / "index.html").exists()
