"""A source new since the base branch must come with a capture or say `archive_status: pending`."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from chronicle import load_chronicle
from chronicle.chronicle import Settings, settings_from
from chronicle.problems import ChronicleError

from conftest import SOURCES, Writer, event

GAMMA = """\
gamma-2022-01-07:
  title: Third report
  publisher: Gamma Daily
  url: https://gamma.example.com/third
  language: en
"""


def _git(folder: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(folder), "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   check=True, capture_output=True)


@pytest.fixture
def repository(events_dir: Writer, tmp_path: Path) -> Path:
    """A git repository whose last commit has the fixture's sources; the work tree adds gamma."""
    folder = events_dir({"2022-01-04-1800-x.md": event()})
    _git(tmp_path, "init", "-q", "-b", "main")
    _git(tmp_path, "add", "-A")
    _git(tmp_path, "commit", "-q", "-m", "base")
    return folder


def _problems(folder: Path, settings: Settings) -> list[str]:
    try:
        load_chronicle(folder, settings)
    except ChronicleError as exc:
        return [str(p) for p in exc.problems]
    return []


def test_a_new_source_without_a_capture_fails_against_the_base(repository: Path) -> None:
    (repository / "sources.yml").write_text(SOURCES + GAMMA, encoding="utf-8")
    line = (SOURCES + GAMMA).splitlines().index("gamma-2022-01-07:") + 1
    problems = _problems(repository, Settings(base_ref="main"))
    assert len(problems) == 1, problems
    assert problems[0].endswith(f"sources.yml:{line}: source 'gamma-2022-01-07' is new and has no archived copy: add "
                                "its capture (chronicle archive), or write 'archive_status: pending' so the "
                                "scheduled archive run captures it")
    assert _problems(repository, Settings()) == [], "without a base ref, it is only counted among the notices"


def test_a_new_source_that_says_pending_or_has_a_capture_passes(repository: Path) -> None:
    pending = GAMMA + "  archive_status: pending\n"
    (repository / "sources.yml").write_text(SOURCES + pending, encoding="utf-8")
    assert _problems(repository, Settings(base_ref="main")) == []
    captured = GAMMA + ("  captures:\n    - url: https://web.archive.org/web/2022/https://gamma.example.com/third\n"
                        "      service: Internet Archive\n      captured_at: 2022-01-07\n")
    (repository / "sources.yml").write_text(SOURCES + captured, encoding="utf-8")
    assert _problems(repository, Settings(base_ref="main")) == []


def test_sources_already_on_the_base_are_not_new(repository: Path) -> None:
    """alpha has no capture, but the base branch has it: only new sources must say so."""
    assert _problems(repository, Settings(base_ref="main")) == []


@pytest.mark.parametrize("ref, message", [
    ("--output=/tmp/x", "is not a branch, tag or commit name"),
    ("main..other", "is not a branch, tag or commit name"),
    ("no-such-branch", "cannot read sources.yml at 'no-such-branch' with git"),
])
def test_a_base_ref_that_cannot_be_read_fails_closed(repository: Path, ref: str, message: str) -> None:
    problems = _problems(repository, Settings(base_ref=ref))
    assert len(problems) == 1 and message in problems[0] and "sources.yml:1:" in problems[0], problems


def test_the_environment_sets_the_base_ref_for_a_run(monkeypatch: pytest.MonkeyPatch) -> None:
    assert settings_from({"base_ref": "origin/main"}).base_ref == "origin/main"
    monkeypatch.setenv("CHRONICLE_BASE_REF", "origin/release")
    assert settings_from({}).base_ref == "origin/release"
