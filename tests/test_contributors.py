"""Contributor tooling and reuse: corrections, data exports, `chronicle new`, annotations, duplicates."""

from __future__ import annotations

import argparse
import csv
import io
import json
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup

from chronicle import Problem, load_chronicle
from chronicle.cli import github_annotation, main
from chronicle.data import CSV_FIELDS, render_data
from chronicle.render import Pages, render_account, render_corrections
from chronicle.scaffold import run as new_event

from conftest import ROOT, Writer, event

CORRECTED = event(body="Text.[^alpha-2022-01-05]",
                  corrections="\n  - date: 2026-11-20\n    note: Crowd size now attributed to AFP.\n"
                              "  - date: 2026-11-25\n    note: Time corrected from 18:00.")


def test_correction_shows_on_event_and_in_log_newest_first(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-a.md": CORRECTED, "2022-01-04-1900-b.md": event()})
    chronicle = load_chronicle(folder)
    html = markdown.markdown(render_account(chronicle, Pages()), extensions=["admonition", "attr_list", "footnotes"])
    note = BeautifulSoup(html, "html.parser").select_one("div.admonition.info")
    assert note.find_previous("h3")["id"] == "2022-01-04-1800-a"
    assert "20 November 2026: Crowd size now attributed to AFP." in note.get_text()
    log = BeautifulSoup(markdown.markdown(render_corrections(chronicle, Pages())), "html.parser")
    items = [li.get_text() for li in log.select("li")]
    assert items[0].startswith("25 November 2026") and items[1].startswith("20 November 2026")
    assert log.select_one("a")["href"] == "account.md#2022-01-04-1800-a"


def test_bad_correction_is_reported(events_dir: Writer) -> None:
    from chronicle import ChronicleError
    folder = events_dir({"2022-01-04-a.md": event(corrections="[{date: yesterday, note: x}]")})
    with pytest.raises(ChronicleError) as caught:
        load_chronicle(folder)
    assert [(p.line, p.message) for p in caught.value.problems] == [
        (6, "correction 'date' must be a date written YYYY-MM-DD, got 'yesterday'")]


def test_data_exports_are_complete_and_stable(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1900-b.md": event("B", body="B.[^beta-2022-01-06][^alpha-2022-01-05]"),
                         "2022-01-04-1800-a.md": CORRECTED})
    files = render_data(load_chronicle(folder), "account/")
    events = json.loads(files["events.json"])["events"]
    assert [e["id"] for e in events] == ["2022-01-04-1800-a", "2022-01-04-1900-b"]
    assert events[1]["sources"] == ["beta-2022-01-06", "alpha-2022-01-05"]
    assert events[1]["url"] == "account/#2022-01-04-1900-b" and events[0]["coordinates"] == [43.238, 76.946]
    assert events[0]["corrections"][0] == {"date": "2026-11-20", "note": "Crowd size now attributed to AFP."}
    sources = json.loads(files["sources.json"])["sources"]
    assert [(s["key"], s["cited_by"]) for s in sources] == [("alpha-2022-01-05", ["2022-01-04-1800-a",
                                                                                  "2022-01-04-1900-b"]),
                                                           ("beta-2022-01-06", ["2022-01-04-1900-b"])]
    rows = list(csv.DictReader(io.StringIO(files["events.csv"])))
    assert tuple(rows[0]) == CSV_FIELDS and rows[1]["sources"] == "beta-2022-01-06; alpha-2022-01-05"
    assert render_data(load_chronicle(folder), "account/") == files  # same input, same bytes


def test_every_exported_field_is_documented(events_dir: Writer) -> None:
    files = render_data(load_chronicle(events_dir({"2022-01-04-a.md": event()})), "account/")
    documented = (ROOT / "docs" / "reuse.md").read_text(encoding="utf-8")
    fields = set(json.loads(files["events.json"])["events"][0]) | set(json.loads(files["sources.json"])["sources"][0])
    assert {f for f in fields if f"| `{f}` |" not in documented} == set()


def _new(config: Path, ask: list[str] | None = None, **flags: str | None) -> int:
    args = argparse.Namespace(config_file=config, title=None, date=None, time=None, time_precision=None, place=None,
                              status=None, slug=None)
    vars(args).update(flags)
    answers = iter(ask or [])
    return new_event(args, ask=lambda prompt: next(answers))


def test_chronicle_new_writes_a_named_file_that_check_then_flags(tmp_path: Path, events_dir: Writer) -> None:
    events_dir({})
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\nplugins:\n  - chronicle\n", encoding="utf-8")
    assert _new(config, title="Crowd reaches the akimat", date="2022-01-05", time="13:00", place="square",
                status="reported", time_precision="exact") == 0
    path = tmp_path / "events" / "2022-01-05-1300-crowd-reaches-the-akimat.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Crowd reaches the akimat"' in text and 'time: "13:00"' in text
    assert main(["check", "-f", str(config)]) == 1  # the draft is not publishable until it cites a source
    assert _new(config, title="Crowd reaches the akimat", date="2022-01-05", time="13:00", place="square",
                status="reported", time_precision="exact") == 1  # never overwrites


def test_github_annotation(tmp_path: Path) -> None:
    problem = Problem(Path("events/a.md"), 7, "unknown place 'moon': use a key, or 100% sure")
    expected = "::error file=events/a.md,line=7::unknown place 'moon': use a key, or 100%25 sure"
    assert github_annotation(problem) == expected
    assert github_annotation(Problem(Path("events/a.md"), 2, "x", warning=True)).startswith("::warning ")


def test_check_prints_annotations_under_github_actions(events_dir: Writer, tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    folder = events_dir({"2022-01-04-a.md": event(status="rumour")})
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    assert main(["check", "-f", str(tmp_path / "none.yml"), "--events-dir", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert "::error file=" in out and "2022-01-04-a.md,line=5,title=chronicle field::unknown status 'rumour'" in out
    assert "2022-01-04-a.md:5: unknown status 'rumour'" in err


def test_likely_duplicate_is_a_warning(events_dir: Writer) -> None:
    folder = events_dir({
        "2022-01-04-1800-a.md": event("Police fire tear gas at the akimat", time="18:00"),
        "2022-01-04-1840-b.md": event("Tear gas fired at the akimat by police", time="18:40"),
        "2022-01-04-2000-c.md": event("Police fire tear gas at the akimat", time="20:00"),
        "2022-01-04-1830-d.md": event("Something else", time="18:30", place="park"),
    })
    warnings = [w for w in load_chronicle(folder).warnings if "duplicate" in w.message]
    assert [(w.path.name, w.line) for w in warnings] == [("2022-01-04-1840-b.md", 2)]
    assert "likely duplicate of 2022-01-04-1800-a" in warnings[0].message


def test_many_likely_duplicates_are_summarised(events_dir: Writer) -> None:
    files = {f"2022-01-04-18{m:02d}-e{m}.md": event("Police fire tear gas at the akimat", time=f"18:{m:02d}")
             for m in range(40)}
    warnings = [w for w in load_chronicle(events_dir(files)).warnings if "duplicate" in w.message]
    assert len(warnings) == 21, "twenty events named one by one, then one line for the rest"
    assert all(w.message.count("2022-01-04-18") <= 3 for w in warnings[:20]), "at most three others named"
    assert warnings[20].message.startswith("19 more events look like duplicates")


def test_csv_cells_never_start_a_formula(events_dir: Writer) -> None:
    files = render_data(load_chronicle(events_dir({"2022-01-04-a.md": event('"=HYPERLINK(1)"')})), "account/")
    rows = list(csv.DictReader(io.StringIO(files["events.csv"])))
    assert rows[0]["title"] == "'=HYPERLINK(1)"


def test_check_reads_plugins_written_as_a_mapping(tmp_path: Path, events_dir: Writer,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    events_dir({"2022-01-03-early.md": event(date="2022-01-03")})
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\nplugins: {search: {}, chronicle: {period_start: 2022-01-04}}\n",
                      encoding="utf-8")
    assert main(["check", "-f", str(config)]) == 1
    assert "outside the account's period" in capsys.readouterr().err
