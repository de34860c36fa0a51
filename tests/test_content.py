"""The account itself: every event cited, every paragraph cited, every key known, no copied sentences."""

from __future__ import annotations

import re
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


# No source gives even the part of the day of these two (see their notes): they sort first in the day. Any other
# event of 4-5 January must say at least its part of day.
UNPLACED = {"2022-01-04-republic-square-closed", "2022-01-04-mamay-calls-for-peaceful-protest"}


def test_every_event_of_the_two_days_states_at_least_its_part_of_day(chronicle: Chronicle) -> None:
    unplaced = {e.id for e in chronicle.events if e.kind is None and e.time is None and e.time_precision == "unknown"}
    assert unplaced == UNPLACED


def test_order_respects_times_and_parts_of_day(chronicle: Chronicle) -> None:
    from chronicle.events import PART_OF_DAY_SPANS

    position = {e.id: i for i, e in enumerate(chronicle.events)}
    for event in chronicle.events:
        if event.time is not None or event.time_precision not in PART_OF_DAY_SPANS:
            continue
        first, last = PART_OF_DAY_SPANS[event.time_precision]
        for timed in chronicle.events:
            if timed.date != event.date or timed.time is None:
                continue
            minute = timed.time.hour * 60 + timed.time.minute
            if minute < first:
                assert position[timed.id] < position[event.id], (timed.id, event.id)
            elif minute >= last:
                assert position[event.id] < position[timed.id], (event.id, timed.id)
    for event in chronicle.events:
        if event.after is not None:
            assert position[event.after] < position[event.id], (event.after, event.id)


def test_no_event_time_is_an_unsourced_clock_time(chronicle: Chronicle) -> None:
    """Where the text gives clock times, the front matter agrees with one of them (or the note explains)."""
    noted = {n.path.stem for n in chronicle.notices if "the text gives" in n.message}
    # These give other events' times or report times, not their own (each says so in its text or notes).
    assert noted <= {"2022-01-05-protesters-seize-almaty-airport", "2022-01-05-attacks-on-police-tv-and-knb",
                     "2022-01-06-troops-retake-square-and-airport"}, noted


def test_most_citations_show_the_passage_they_rest_on(chronicle: Chronicle) -> None:
    """At least 60% of all citations, and most of those of 4–5 January, give the source's own words."""
    pairs = [(event, key) for event in chronicle.events for key in chronicle.cites(event)]
    covered = [(event, key) for event, key in pairs if any(p.source == key for p in event.passages)]
    core = [pair for pair in pairs if pair[0].kind is None]
    assert len(covered) >= 0.6 * len(pairs), f"{len(covered)} of {len(pairs)} citations have a passage"
    assert len([pair for pair in covered if pair[0].kind is None]) >= 0.8 * len(core)


WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")
QUOTED = re.compile(r"“[^”]*”|\"[^\"\n]*\"|«[^»]*»")  # (what overlap.py leaves out: short attributed quotes)


def test_the_narrative_does_not_reuse_its_passages_words(chronicle: Chronicle) -> None:
    """The passages are quotations, kept apart from the text; the text itself stays in our own words: no run of
    eight words of a passage appears in it outside quotation marks."""
    n = 8
    for event in chronicle.events:
        prose = [w.lower() for w in WORD.findall(QUOTED.sub(" | ", REFERENCE.sub(" ", event.body.text)))]
        runs = {tuple(prose[i:i + n]) for i in range(len(prose) - n + 1)}
        for passage in event.passages:
            words = [w.lower() for w in WORD.findall(passage.quote)]
            shared = [" ".join(words[i:i + n]) for i in range(len(words) - n + 1) if tuple(words[i:i + n]) in runs]
            assert not shared, f"{event.path.name}: the text repeats the words of its {passage.source} passage: " \
                               f"{shared[0]!r}"
