"""The account itself: every event cited, every paragraph cited, every key known, no copied sentences."""

from __future__ import annotations

import subprocess
import sys

import pytest

from chronicle import Chronicle, Settings, load_chronicle
from chronicle.citations import REFERENCE, paragraphs
from chronicle.cli import plugin_options

from conftest import ROOT

SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="module")
def chronicle() -> Chronicle:
    options = plugin_options(ROOT / "mkdocs.yml")
    settings = Settings(options["period_start"], options["period_end"], require_citations=True)
    return load_chronicle(ROOT / "events", settings)


def test_content_is_valid_and_substantial(chronicle: Chronicle) -> None:
    assert len(chronicle.events) >= 40
    days = {e.date.isoformat() for e in chronicle.events if e.kind is None}
    assert days == {"2022-01-04", "2022-01-05"}


def test_every_event_and_paragraph_cites_a_known_source(chronicle: Chronicle) -> None:
    for event in chronicle.events:
        assert chronicle.cites(event), event.id
        for line, block in paragraphs(event.body):
            labels = [m.group(1) for m in REFERENCE.finditer(block)]
            assert any(label in chronicle.sources for label in labels), f"{event.path}:{event.body_line + line}"
        for ref in event.body.references:
            assert ref.label in chronicle.sources or ref.label in event.body.definitions, (event.id, ref.label)


def test_no_source_left_uncited(chronicle: Chronicle) -> None:
    assert chronicle.warnings == []


@pytest.mark.skipif(not (SHARED / "tools" / "overlap.py").exists(), reason="../shared/tools/overlap.py not present")
def test_no_sentence_copied_from_source_texts() -> None:
    texts = sorted(str(p) for p in (SHARED / "research").glob("*.txt"))
    result = subprocess.run([sys.executable, str(SHARED / "tools" / "overlap.py"), "events", "docs", "--sources",
                             *texts], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stdout


def test_docs_pages_exist_with_content_note_and_legend() -> None:
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    assert "Content note" in index
    for status in ("Observed", "Reported", "Official claim", "Disputed"):
        assert f"**{status}**" in index
    assert (ROOT / "docs" / "methodology.md").stat().st_size > 1000
