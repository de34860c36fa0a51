"""Broken and hostile input: each case gets its exact errors (file, line, message) and fails the build.

The cases are files under events/, sources/, places/ and docs/ beside this module; their expected problems are
in expected.yml (`inert` instead of a list: the case must build, and what it tried is shown as text). Events are
added beside one valid event; a sources or places case replaces that registry; a docs case is a hand-written page.
The project uses the site's own Markdown extensions, so every construct a contributor could reach is reachable.
"""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from chronicle import ChronicleError, load_chronicle
from chronicle.problems import CODES, Problem
from chronicle.render import Pages
from chronicle.verify import check_bodies, check_published, markdown_settings

from conftest import ROOT, write_project

HERE = Path(__file__).parent
EXPECTED: dict[str, Any] = yaml.safe_load((HERE / "expected.yml").read_text(encoding="utf-8"))
KINDS = ("events", "sources", "places", "docs")
CASES = sorted(str(p.relative_to(HERE)) for kind in KINDS for p in (HERE / kind).iterdir())
SITE = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
MKDOCS_YML = yaml.safe_dump({"site_name": "t", "plugins": ["chronicle"],
                             "markdown_extensions": SITE["markdown_extensions"]})


def _project(tmp_path: Path, case: str) -> Path:
    write_project(tmp_path, mkdocs_yml=MKDOCS_YML)
    kind, name = case.split("/")
    target = {"events": "events/" + name, "docs": "docs/" + name}.get(kind, f"events/{kind}.yml")
    shutil.copy(HERE / case, tmp_path / target)
    return tmp_path


def found_in(project: Path) -> list[Problem]:
    """What `chronicle check` finds: the content as loaded, then the pages as they would be published."""
    extensions, configs = markdown_settings(SITE["markdown_extensions"])
    try:
        chronicle = load_chronicle(project / "events")
    except ChronicleError as exc:
        return sorted({*exc.problems, *check_bodies(getattr(exc, "events", []), extensions, configs)})
    return check_published(chronicle, Pages(), project / "events", project / "docs", extensions, configs)


def problems_of(project: Path) -> list[list[object]]:
    return [[p.path.name, p.line, p.message] for p in found_in(project)]


def test_corpus_is_large_and_every_case_has_expectations() -> None:
    assert len(CASES) >= 80
    assert sorted(EXPECTED) == CASES


@pytest.mark.parametrize("case", CASES)
def test_case_reports_exact_errors(tmp_path: Path, case: str) -> None:
    expected = EXPECTED[case]
    assert problems_of(_project(tmp_path, case)) == ([] if expected == "inert" else expected)


@pytest.mark.parametrize("case", [c for c in CASES if EXPECTED.get(c) != "inert"])
def test_each_problem_has_a_code_of_its_kind(tmp_path: Path, case: str) -> None:
    """Tools and tests match a problem's code, not its wording (which is for people, and may change)."""
    codes = [p.code for p in found_in(_project(tmp_path, case))]
    assert codes and all(code in CODES for code in codes), codes


@pytest.mark.build
@pytest.mark.parametrize("case", [c for c in CASES if EXPECTED.get(c) != "inert"])
def test_case_fails_the_build(tmp_path: Path, case: str, caplog: pytest.LogCaptureFixture) -> None:
    project = _project(tmp_path, case)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(config)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    for name, line, message in EXPECTED[case]:
        assert f"{name}:{line}: {message}" in logged
    assert not (tmp_path / "site" / "account" / "index.html").exists()
    assert not list((tmp_path / "site").rglob("*.html")), "nothing is published"


@pytest.mark.build
@pytest.mark.parametrize("case", [c for c in CASES if EXPECTED.get(c) == "inert"])
def test_inert_case_builds_and_shows_its_markup_as_text(tmp_path: Path, case: str) -> None:
    project = _project(tmp_path, case)
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    for page in ("account", "sources", "places", "timeline"):
        soup = BeautifulSoup((tmp_path / "site" / page / "index.html").read_text(encoding="utf-8"), "html.parser")
        content = soup.select_one('[role="main"]')
        assert content is not None
        handlers = [(tag.name, name) for tag in content.find_all(True) for name in tag.attrs if name.startswith("on")]
        assert not handlers, page
        assert not content.select('a[href^="javascript"], .md-button, img[src="x"]'), page
    if "<img src=x onerror=alert(1)>" in (HERE / case).read_text(encoding="utf-8"):
        pages = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "site").rglob("*.html"))
        assert "&lt;img src=x onerror=alert(1)&gt;" in pages, "the markup is shown as text"
