"""`chronicle new`: the questions it asks (and asks again), its flags, and the placeholders of the file it writes,
which fail the check, naming themselves, until they are replaced."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from chronicle import ChronicleError
from chronicle.chronicle import load_chronicle
from chronicle.scaffold import PLACEHOLDER_KEY, PLACEHOLDER_TEXT, run

from conftest import write_project


def _args(root: Path, **flags: str | None) -> argparse.Namespace:
    args = argparse.Namespace(config_file=root / "mkdocs.yml", title=None, date=None, time=None, time_precision=None,
                              place=None, status=None, slug=None)
    vars(args).update(flags)
    return args


class Asker:
    """Answers questions in order, and remembers what was asked."""

    def __init__(self, *answers: str):
        self.answers = list(answers)
        self.prompts: list[str] = []

    def __call__(self, prompt: str) -> str:
        self.prompts.append(prompt)
        assert self.answers, f"asked once more than expected: {prompt!r}"
        return self.answers.pop(0)


def test_every_question_is_asked_again_until_the_answer_is_right(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    root = write_project(tmp_path)
    ask = Asker("", "Crowd reaches the square",  # empty title
                "5 January", "2022-02-30", "2022-01-05",  # not YYYY-MM-DD, not a real date
                "1pm", "13:00",  # not HH:MM
                "roughly", "",  # not a precision; empty is exact
                "", "moon", "square",  # empty, unknown place
                "sure", "reported")  # not a status
    assert run(_args(root), ask=ask) == 0
    said = capsys.readouterr().err
    assert "a title is needed" in said
    assert "'date' must be a date written YYYY-MM-DD, got '5 January'" in said
    assert "'date' is not a real date: '2022-02-30'" in said
    assert "'time' must be a 24-hour time written HH:MM, got '1pm'" in said
    assert "unknown time_precision 'roughly'" in said
    assert "a place is needed" in said and "unknown place 'moon'" in said
    assert "unknown status 'sure'" in said
    assert said.count("try again") == 6
    assert ask.answers == []
    assert any("How precise is that time (exact or approximate) [exact]" in p for p in ask.prompts)
    text = (root / "events" / "2022-01-05-1300-crowd-reaches-the-square.md").read_text(encoding="utf-8")
    assert 'time: "13:00"\ntime_precision: exact\nplace: square\nstatus: reported\n' in text


def test_without_a_time_it_asks_for_the_part_of_the_day(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    root = write_project(tmp_path)
    ask = Asker("Night on the square", "2022-01-04", "", "", "exact", "evening", "square", "observed")
    assert run(_args(root), ask=ask) == 0
    said = capsys.readouterr().err
    assert "the part of the day is needed: morning, afternoon, evening, night, or unknown" in said
    assert "'exact' needs a time" in said
    assert any("Part of the day (morning, afternoon, evening, night, unknown)" in p for p in ask.prompts)
    text = (root / "events" / "2022-01-04-night-on-the-square.md").read_text(encoding="utf-8")
    assert "time:" not in text and "time_precision: evening\n" in text


@pytest.mark.parametrize(("time", "precision", "message"), [
    ("19:00", "morning", "19:00 is not in the morning"),
    ("19:00", "unknown", "'unknown' contradicts the time 19:00"),
    (None, "approximate", "'approximate' needs a time"),
])
def test_a_precision_that_does_not_go_with_the_time_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                               time: str | None, precision: str,
                                                               message: str) -> None:
    root = write_project(tmp_path)
    args = _args(root, title="T", date="2022-01-04", time=time, time_precision=precision, place="square",
                 status="reported")
    assert run(args, ask=Asker(*([""] if time is None else []))) == 2  # no time: asked, left empty
    assert message in capsys.readouterr().err
    assert sorted(p.name for p in (root / "events").glob("*.md")) == ["2022-01-04-1800-ok.md"]


def test_flags_need_no_questions(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    root = write_project(tmp_path)
    monkeypatch.setattr("sys.stdin.isatty", lambda: False)  # nobody to ask: `ask` is the default, input
    flags = {"title": "Crowd reaches the akimat", "date": "2022-01-05", "place": "square", "status": "reported"}
    assert run(_args(root, **flags, time="13:00")) == 0
    text = (root / "events" / "2022-01-05-1300-crowd-reaches-the-akimat.md").read_text(encoding="utf-8")
    assert "time_precision: exact\n" in text
    assert run(_args(root, **flags, slug="untimed")) == 0
    assert "time_precision: unknown\n" in (root / "events" / "2022-01-05-untimed.md").read_text(encoding="utf-8")
    assert run(_args(root, **{**flags, "place": None}, slug="other")) == 2
    assert "--place is required" in capsys.readouterr().err
    assert run(_args(root, **{**flags, "place": "moon"}, slug="other")) == 2
    assert "unknown place 'moon'" in capsys.readouterr().err
    assert run(_args(root, **flags, slug="untimed")) == 1  # never overwrites


def _new_event(root: Path) -> Path:
    ask = Asker("Crowd reaches the square", "2022-01-05", "13:00", "", "square", "reported")
    assert run(_args(root), ask=ask) == 0
    return root / "events" / "2022-01-05-1300-crowd-reaches-the-square.md"


def _messages(root: Path) -> list[str]:
    try:
        load_chronicle(root / "events")
    except ChronicleError as exc:
        return [f"{p.path.name}:{p.line}: {p.message}" for p in exc.problems]
    return []


def test_the_new_file_fails_the_check_naming_its_placeholder(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    path = _new_event(root)
    text = path.read_text(encoding="utf-8")
    assert text.endswith(f"---\n{PLACEHOLDER_TEXT}[^{PLACEHOLDER_KEY}]\n")
    assert "Replace this text" in text and "[^replace-with-a-source-key]" in text
    line = text.split("\n").index(f"{PLACEHOLDER_TEXT}[^{PLACEHOLDER_KEY}]") + 1
    messages = _messages(root)
    assert messages, "the placeholder fails the check"
    assert all(m.startswith(f"{path.name}:{line}: ") for m in messages), messages
    assert any("[^replace-with-a-source-key]" in m for m in messages), messages


def test_the_new_file_passes_once_text_and_citation_are_written(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    path = _new_event(root)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"{PLACEHOLDER_TEXT}[^{PLACEHOLDER_KEY}]",
                                 "A crowd reached the square.[^alpha-2022-01-05]"), encoding="utf-8")
    assert _messages(root) == []
    chronicle = load_chronicle(root / "events")
    assert [e.title for e in chronicle.events] == ["Something happened", "Crowd reaches the square"]


def test_the_placeholder_text_fails_the_check_even_with_a_real_citation(tmp_path: Path) -> None:
    root = write_project(tmp_path)
    path = _new_event(root)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"[^{PLACEHOLDER_KEY}]", "[^alpha-2022-01-05]"), encoding="utf-8")
    assert any("Replace this text" in m or "placeholder" in m for m in _messages(root))
