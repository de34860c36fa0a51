"""Contributor text cannot issue GitHub Actions workflow commands (`::error`, `::add-mask::`, `##[...]`).

The runner reads each output line (split at CR, LF or CRLF) as a command when, after leading white space, it
starts with "::", or when it contains "##[" anywhere. These tests read our output as the runner does.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from chronicle.cli import github_annotation, main
from chronicle.logsafe import FILTER, install
from chronicle.problems import Problem, plain_line

from conftest import Writer, event, write_project

HOSTILE = "\n::error file=x::owned\r\n::add-mask::secret\r::stop-commands::t\n  ::warning::x ##[error]y"
# Python's str.splitlines also breaks at these; a terminal or log viewer might too.
BREAKS = "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"
ANNOTATION = re.compile(r"::(error|warning) file=[^,:\r\n]*,line=\d+(?:,title=chronicle [a-z-]+)?::[^\r\n]*")


def runner_lines(text: str) -> list[str]:
    """Lines as the Actions runner reads them from a step's output."""
    return re.split(r"\r\n|\r|\n", text)


def commands(text: str) -> list[str]:
    """The lines of `text` that the runner would run as workflow commands."""
    return [line for line in runner_lines(text) if line.lstrip().startswith("::") or "##[" in line]


def parse_annotation(line: str) -> tuple[str, dict[str, str], str]:
    """Command, properties and data of a `::command k=v,k=v::data` line, unescaped as the runner does."""
    assert line.startswith("::")
    end = line.index("::", 2)
    info, data = line[2:end], line[end + 2:]
    name, _, props = info.partition(" ")

    def unescape(text: str, mapping: dict[str, str]) -> str:
        for escaped, char in mapping.items():
            text = text.replace(escaped, char)
        return text

    prop_map = {"%0D": "\r", "%0A": "\n", "%3A": ":", "%2C": ",", "%25": "%"}
    properties = dict(p.split("=", 1) for p in props.split(",") if "=" in p)
    return name, {k: unescape(v, prop_map) for k, v in properties.items()}, unescape(data, {
        "%0D": "\r", "%0A": "\n", "%25": "%"})


# --- plain_line and Problem -----------------------------------------------------------------------------------


def test_plain_line_keeps_everything_on_one_line() -> None:
    for text in (HOSTILE, BREAKS, "\x1b[31mred\x1b[0m", "\u202eevil\u2066", "\udcff", "::x", "  ::x", "a\t::x"):
        line = plain_line(text)
        assert len(line.splitlines()) <= 1 and not commands(line), (text, line)
        assert plain_line(line) == line
    assert plain_line("a\nb\r\x1b\u2028\x85") == r"a\nb\r\x1b\u2028\x85"
    assert plain_line("plain text: with colons, a::b and https://x.example.com/") == (
        "plain text: with colons, a::b and https://x.example.com/")


def test_problem_prints_as_one_line_whatever_its_path_and_message() -> None:
    problem = Problem(Path(f"events/2022-01-04-a{HOSTILE}.md"), 3, f"unknown field {HOSTILE} here{BREAKS}")
    text = str(problem)
    assert len(text.splitlines()) == 1 and not commands(text)
    assert text.startswith("events/2022-01-04-a\\n") and ":3: unknown field \\n" in text
    warning = Problem(Path("::x.md"), 2, "::add-mask::secret", warning=True)
    assert str(warning) == "./::x.md:2: warning: \\x3a:add-mask::secret"
    assert not commands(str(Problem(Path("  ::x.md"), 2, "m")))


# --- Annotations ------------------------------------------------------------------------------------------------


def test_github_annotation_names_the_right_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    name = "2022-01-04-a,b:7:c.md"
    problem = Problem(tmp_path / "events" / name, 7, "unknown place 'x:7: y', 100%: use one of a, b")
    line = github_annotation(problem)
    assert len(runner_lines(line)) == 1 and commands(line) == [line]
    command, properties, data = parse_annotation(line)
    assert command == "error"
    assert properties == {"file": f"events/{name}", "line": "7"}
    assert data == problem.message


def test_github_annotation_of_a_hostile_name_and_message(tmp_path: Path) -> None:
    name = f"a{HOSTILE}.md"
    problem = Problem(tmp_path / name, 4, f"bad {HOSTILE}", warning=True)
    line = github_annotation(problem, root=tmp_path)
    assert len(runner_lines(line)) == 1 and commands(line) == [line]
    command, properties, data = parse_annotation(line)
    assert command == "warning" and properties == {"file": name, "line": "4"}
    assert data == plain_line(problem.message)


def test_github_annotation_outside_the_repository_names_the_absolute_path(tmp_path: Path) -> None:
    problem = Problem(tmp_path / "a.md", 1, "m")
    _, properties, _ = parse_annotation(github_annotation(problem, root=tmp_path / "elsewhere"))
    assert properties["file"] == (tmp_path / "a.md").resolve().as_posix()


# --- chronicle check --------------------------------------------------------------------------------------------


def test_chronicle_check_prints_no_command_but_its_annotations(events_dir: Writer, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    folder = events_dir({
        "2022-01-04-1800-a.md": event('"Night\\n::warning::x"'),
        "2022-01-04-1900-b.md": event(**{'"colour\\n::warning::x\\r::add-mask::secret"': "red"}),
        "2022-01-04-2000-c.md": event(**{'"::error::x"': "red"}),
    })
    (folder / "2022-01-04-2100-\n::error::d.md").write_text(event(status="rumour"), encoding="utf-8")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(tmp_path))
    assert main(["check", "-f", str(tmp_path / "none.yml"), "--events-dir", str(folder)]) == 1
    out, err = capsys.readouterr()
    assert not commands(err)
    assert "2022-01-04-2100-\\n::error::d.md:" in err and "colour\\n::warning::x\\r::add-mask::secret" in err
    annotations = commands(out)
    assert annotations and all(ANNOTATION.fullmatch(line) for line in annotations), annotations
    assert len(annotations) == len([line for line in runner_lines(err) if ": " in line and "problem(s)" not in line])
    files = {parse_annotation(line)[1]["file"] for line in annotations}
    assert {"events/2022-01-04-1800-a.md", "events/2022-01-04-1900-b.md", "events/2022-01-04-2000-c.md"} <= files
    assert any(file.startswith("events/2022-01-04-2100-") for file in files)


# --- The MkDocs log ---------------------------------------------------------------------------------------------


def _project(tmp_path: Path, events: dict[str, str], docs: dict[str, str]) -> Path:
    return write_project(tmp_path, events, docs)


# MkDocs itself warns, before any plugin sees the files, "Excluding 'x/README.md' from the site because it
# conflicts with 'x/index.md'.", quoting the folder's name as it is.
HOSTILE_DOCS = {f"part{HOSTILE}/README.md": "# Read me\n", f"part{HOSTILE}/index.md": "# Part\n"}
MKDOCS_MESSAGE = "Excluding 'part\\n::error file=x::owned\\r\\n::add-mask::secret"
HOSTILE_EVENT = {"2022-01-04-1900-bad.md": event(**{'"colour\\n::error::owned\\r\\n::add-mask::secret"': "red"})}
OUR_MESSAGE = "unknown field 'colour\\n::error::owned\\r\\n::add-mask::secret'"


@pytest.mark.build
@pytest.mark.parametrize(("events", "docs", "expected"), [
    ({}, HOSTILE_DOCS, MKDOCS_MESSAGE),
    (HOSTILE_EVENT, {}, OUR_MESSAGE),
])
def test_mkdocs_build_log_has_no_command(tmp_path: Path, events: dict[str, str], docs: dict[str, str],
                                         expected: str) -> None:
    """The `mkdocs` command's own handler, as CI runs it: MkDocs' messages and ours stay one plain line each."""
    project = _project(tmp_path, events, docs)
    env = {**os.environ, "GITHUB_ACTIONS": "true", "COLUMNS": "60"}  # a terminal width makes MkDocs wrap lines
    result = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml")],
                            cwd=project, env=env, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr
    assert result.returncode in (0, 1), output  # a build that fails on the content still reports it, no crash
    assert expected in output.replace("\n" + " " * 11, " "), output
    assert not commands(result.stdout) and not commands(result.stderr), output


@pytest.mark.build
@pytest.mark.parametrize(("events", "docs", "expected"), [
    ({}, HOSTILE_DOCS, MKDOCS_MESSAGE),
    (HOSTILE_EVENT, {}, OUR_MESSAGE),
])
def test_mkdocs_build_in_process_logs_plain_lines(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                  events: dict[str, str], docs: dict[str, str], expected: str) -> None:
    """Under pytest the records reach caplog's handler on the root logger: what it prints is plain too."""
    project = _project(tmp_path, events, docs)
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(tmp_path / "site"))
    with caplog.at_level(logging.INFO), contextlib.suppress(Abort):
        build(config)
    assert expected in caplog.text
    assert not commands(caplog.text)
    assert all(len(record.getMessage().splitlines()) == 1 for record in caplog.records)


def test_filter_makes_messages_and_tracebacks_plain() -> None:
    logger = logging.getLogger("mkdocs.test_workflow_commands")
    records: list[logging.LogRecord] = []

    class Keep(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(record)
            self.format(record)

    handler = Keep()
    mkdocs_logger = logging.getLogger("mkdocs")
    mkdocs_logger.addHandler(handler)
    try:
        install()
        install()
        assert handler.filters.count(FILTER) == 1
        logger.warning("Doc file '%s' is odd", f"a{HOSTILE}.md")
        try:
            raise ValueError(f"bad{HOSTILE}")
        except ValueError:
            logger.exception("failed on %r", "x")
    finally:
        mkdocs_logger.removeHandler(handler)
    assert records[0].getMessage() == plain_line(f"Doc file 'a{HOSTILE}.md' is odd")
    formatted = handler.format(records[1])
    # A traceback keeps its lines (its own and those of the exception's message), each made plain.
    assert "ValueError: bad" in formatted and "\\x3a:error file=x::owned" in formatted and not commands(formatted)
