"""Real builds with MkDocs into a temporary folder, read back with an HTML parser."""

from __future__ import annotations

import logging
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from chronicle import Settings, load_chronicle

from conftest import ROOT, Writer, event, write_project

pytestmark = pytest.mark.build


def build_site(config_file: Path, site_dir: Path, **overrides: object) -> None:
    config = load_config(str(config_file), site_dir=str(site_dir), **overrides)
    build(config)


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own site, built once for this module."""
    site = tmp_path_factory.mktemp("site")
    build_site(ROOT / "mkdocs.yml", site, strict=True)
    return site


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_every_event_appears_once_in_order(real_site: Path) -> None:
    chronicle = load_chronicle(ROOT / "events", Settings())
    soup = soup_of(real_site / "account" / "index.html")
    sections = [h["id"] for h in soup.select("h3.chronicle-event")]
    assert sections == [e.id for e in chronicle.events]
    assert len(set(sections)) == len(sections) == len(list((ROOT / "events").glob("*.md")))
    timeline = soup_of(real_site / "timeline" / "index.html")
    rows = timeline.select("td a[href*='account/#']:not(.chronicle-status)")
    assert [a["href"].split("#")[1] for a in rows] == sections


def test_each_footnote_names_the_source_it_cites(real_site: Path) -> None:
    chronicle = load_chronicle(ROOT / "events", Settings())
    soup = soup_of(real_site / "account" / "index.html")
    refs = soup.select("a.footnote-ref")
    assert refs, "the account has footnotes"
    numbers = []
    for ref in refs:
        note = soup.find(id=ref["href"][1:])
        assert note is not None, ref
        label = ref["href"].removeprefix("#fn:")
        event_id, _, key = label.partition("--")
        key = key.split("---", 1)[0]  # a note repeated further down a long event
        holder = ref.find_parent("li", id=re.compile("^fn:"))  # a citation inside an explanatory note
        heading = ("h2", None) if event_id.startswith("day-") else ("h3", "chronicle-event")  # a day's lead
        owner = holder["id"].removeprefix("fn:") if holder else ref.find_previous(heading[0], class_=heading[1])["id"]
        assert owner.partition("--")[0] == event_id
        if key in chronicle.sources:
            source = chronicle.sources[key]
            assert note.select_one(f'a[href="{source.url}"]') is not None, label
            assert note.select_one(f'a[href="../sources/#{key}"]') is not None, label
        numbers.append(int(ref.get_text()))
    firsts = list(dict.fromkeys(numbers))
    assert firsts == list(range(1, len(firsts) + 1)), "notes are numbered in reading order"


def test_no_paragraph_is_made_only_of_note_marks(real_site: Path) -> None:
    """A note citing a source once left its mark, alone, after the event's text (issue 11)."""
    soup = soup_of(real_site / "account" / "index.html")
    lone = [p for p in soup.select("article p") if p.select("sup") and not p.get_text(strip=True).strip("0123456789,")]
    assert lone == []
    # Each event's notes stand in its own section: after its heading, before the next event's.
    for heading in soup.select("h3.chronicle-event"):
        refs = {a["href"][1:] for a in _section(heading).select("a.footnote-ref")}
        notes = {li["id"] for li in _section(heading).select("div.footnote li")}
        assert refs <= notes, heading["id"]


def _section(heading: Any) -> BeautifulSoup:
    """The elements from an event's heading to the next heading, as one tree."""
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name in ("h2", "h3"):
            break
        parts.append(str(sibling))
    return BeautifulSoup("".join(parts), "html.parser")


def test_element_ids_are_unique_on_every_page(real_site: Path) -> None:
    for page in real_site.rglob("*.html"):
        ids = Counter(el["id"] for el in soup_of(page).select("[id]"))
        assert [i for i, n in ids.items() if n > 1] == [], page


def test_sources_page_links_back_to_citing_events(real_site: Path) -> None:
    chronicle = load_chronicle(ROOT / "events", Settings())
    soup = soup_of(real_site / "sources" / "index.html")
    account_ids = {h["id"] for h in soup_of(real_site / "account" / "index.html").select("h3.chronicle-event")}
    for key, events in chronicle.citing.items():
        entry = soup.find(id=key)
        assert entry is not None, key
        if events:
            links = [a["href"] for a in entry.find_next("ul").select("a")]
            assert links == [f"../account/#{e.id}" for e in events]
            assert {link.split("#")[1] for link in links} <= account_ids


def test_edit_links_point_at_event_files(real_site: Path) -> None:
    soup = soup_of(real_site / "account" / "index.html")
    for heading in soup.select("h3.chronicle-event"):
        edit = heading.find_next_sibling("p").find("a", string="Edit this event")
        assert edit["href"].endswith(f"/edit/main/events/{heading['id']}.md")


@pytest.fixture
def tiny_project(tmp_path: Path, events_dir: Writer) -> Path:
    """A minimal MkDocs project around a fixture events folder."""
    events_dir({"2022-01-04-1800-ok.md": event()})
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\nplugins:\n  - chronicle:\n      period_start: 2022-01-04\n"
                      "      period_end: 2022-01-05\n", encoding="utf-8")
    return config


@pytest.mark.parametrize("strict", [False, True])
def test_bad_event_fails_the_build_with_path_line_message(
    tiny_project: Path, strict: bool, caplog: pytest.LogCaptureFixture
) -> None:
    (tiny_project.parent / "events" / "2022-01-04-1900-bad.md").write_text(event(status="rumour", place="moon"),
                                                                            encoding="utf-8")
    with caplog.at_level(logging.ERROR), pytest.raises((PluginError, Abort)):
        build_site(tiny_project, tiny_project.parent / "site", strict=strict)
    messages = [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR]
    assert any(re.search(r"events/2022-01-04-1900-bad\.md:4: unknown place 'moon'", m) for m in messages), messages
    assert any(re.search(r"events/2022-01-04-1900-bad\.md:5: unknown status 'rumour'", m) for m in messages)
    assert not (tiny_project.parent / "site" / "account" / "index.html").exists()


def test_uncited_source_warns_and_fails_strict(tiny_project: Path, caplog: pytest.LogCaptureFixture) -> None:
    build_site(tiny_project, tiny_project.parent / "site")
    assert any("source 'beta-2022-01-06' is never cited" in r.getMessage() for r in caplog.records)
    with pytest.raises(Abort):
        build_site(tiny_project, tiny_project.parent / "site2", strict=True)


def test_generated_page_may_not_shadow_a_docs_page(tiny_project: Path, caplog: pytest.LogCaptureFixture) -> None:
    shutil.copy(tiny_project.parent / "docs" / "index.md", tiny_project.parent / "docs" / "account.md")
    with pytest.raises(Abort):
        build_site(tiny_project, tiny_project.parent / "site")
    assert any("account.md is generated by the chronicle plugin" in r.getMessage() for r in caplog.records)


def test_data_exports_and_corrections_page_are_published(real_site: Path) -> None:
    import json

    chronicle = load_chronicle(ROOT / "events", Settings())
    events = json.loads((real_site / "data" / "events.json").read_text(encoding="utf-8"))["events"]
    assert [e["id"] for e in events] == [e.id for e in chronicle.events]
    assert all(e["url"].startswith("../account/#") for e in events)  # relative to data/, where the file is
    assert (real_site / "data" / "events.csv").read_text(encoding="utf-8").count("\n") == len(events) + 1
    assert soup_of(real_site / "corrections" / "index.html").select_one("h1").get_text(strip=True).startswith(
        "Corrections")


def test_a_large_account_is_one_page_per_day_and_every_link_finds_its_event(tmp_path: Path) -> None:
    """Above `account_split` events the account is an index and a page per day (Material's search is quadratic
    in a page's sections); the timeline, the sources, the day steps and the data all link each event's page, and
    MkDocs, validating every link and anchor in strict mode, finds each."""
    import json

    events = {"2022-01-04-1800-ok.md": event(body="First.[^alpha-2022-01-05]"),
              "2022-01-05-0900-next.md": event("Next day", date="2022-01-05", time="09:00",
                                               body="Second.[^beta-2022-01-06]")}
    yml = ("site_name: t\nstrict: true\nvalidation:\n  links:\n    not_found: warn\n    anchors: warn\n"
           "plugins:\n  - chronicle:\n      account_split: 1\n")
    project = write_project(tmp_path / "p", events, mkdocs_yml=yml)  # (its own 2022-01-04-1800-ok.md replaced)
    site = tmp_path / "site"
    build_site(project / "mkdocs.yml", site)
    index = soup_of(site / "account" / "index.html")
    assert index.select("h3.chronicle-event") == [], "the account page is the days' index"
    assert [a["href"] for a in index.select("p.chronicle-days a")] == ["2022-01-04/#day-2022-01-04",
                                                                        "2022-01-05/#day-2022-01-05"]
    first = soup_of(site / "account" / "2022-01-04" / "index.html")
    assert [h["id"] for h in first.select("h3.chronicle-event")] == ["2022-01-04-1800-ok"]
    assert first.select_one("li[id^='fn:2022-01-04-1800-ok--alpha'] a[href='../../sources/#alpha-2022-01-05']")
    timeline = soup_of(site / "timeline" / "index.html")
    assert [a["href"] for a in timeline.select("td a:not(.chronicle-status)") if "account" in a["href"]] == [
        "../account/2022-01-04/#2022-01-04-1800-ok", "../account/2022-01-05/#2022-01-05-0900-next"]
    records = json.loads((site / "data" / "events.json").read_text(encoding="utf-8"))["events"]
    assert [r["url"] for r in records] == ["../account/2022-01-04/#2022-01-04-1800-ok",
                                           "../account/2022-01-05/#2022-01-05-0900-next"]
