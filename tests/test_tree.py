"""Nothing from outside the tree: symbolic links in events/ and docs/, unprintable file names and oversized files
are refused with the file named, by `chronicle check` and by the build."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from chronicle import ChronicleError, load_chronicle
from chronicle.tree import SIZE_LIMITS, walk

from conftest import SOURCES, Writer, event, write_project


def _messages(folder: Path) -> list[tuple[str, str]]:
    with pytest.raises(ChronicleError) as caught:
        load_chronicle(folder)
    return [(p.path.name, p.message) for p in caught.value.problems]


def test_symlinked_event_file_is_refused(events_dir: Writer, tmp_path: Path) -> None:
    folder = events_dir({"2022-01-04-1800-ok.md": event()})
    (tmp_path / "secret.md").write_text(event(title="Outside"), encoding="utf-8")
    (folder / "2022-01-04-1900-link.md").symlink_to(tmp_path / "secret.md")
    assert ("2022-01-04-1900-link.md", "symbolic links are not allowed: the site reads only files inside the "
            "repository; replace the link with the file itself") in _messages(folder)


def test_symlinked_folder_and_registry_are_refused(events_dir: Writer, tmp_path: Path) -> None:
    folder = events_dir({"2022-01-04-1800-ok.md": event()})
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "sources.yml").write_text(SOURCES, encoding="utf-8")
    (folder / "more").symlink_to(outside)
    (folder / "sources.yml").unlink()
    (folder / "sources.yml").symlink_to(outside / "sources.yml")
    names = [name for name, message in _messages(folder) if "symbolic links" in message]
    assert sorted(names) == ["more", "sources.yml"]


def test_file_name_with_a_line_break_is_refused(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-ok.md": event()})
    (folder / "2022-01-04-x\n::error::owned.md").write_text(event(), encoding="utf-8")
    found = _messages(folder)
    assert any("file name holds a line break" in message for _, message in found)
    assert all("\n" not in name for name, _ in found)


def test_oversized_event_is_refused_before_it_is_parsed(events_dir: Writer) -> None:
    big = event(body="It happened.[^alpha-2022-01-05] " + "word " * (SIZE_LIMITS[".md"] // 5))
    folder = events_dir({"2022-01-04-1800-big.md": big})
    (message,) = [m for name, m in _messages(folder) if name == "2022-01-04-1800-big.md"]
    assert message.startswith("file is ") and "over the limit of 32,768" in message


def test_walk_lists_regular_files_only(tmp_path: Path) -> None:
    (tmp_path / "a.md").write_text("x", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text("x", encoding="utf-8")
    listing = walk(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in listing.files] == ["a.md", "sub/b.md"]
    assert listing.problems == []


@pytest.mark.parametrize("link", ["docs/leak.md", "docs/assets"])
def test_symlink_in_docs_fails_the_build(tmp_path: Path, link: str, caplog: pytest.LogCaptureFixture) -> None:
    write_project(tmp_path)
    (tmp_path / "private").mkdir()
    (tmp_path / "private" / "config").write_text("token=hunter2\n", encoding="utf-8")
    (tmp_path / link).symlink_to(tmp_path / "private" / ("config" if link.endswith(".md") else ""))
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    assert "symbolic links are not allowed" in caplog.text
    assert "hunter2" not in "".join(p.read_text(errors="replace") for p in (tmp_path / "site").rglob("*")
                                    if p.is_file()) if (tmp_path / "site").exists() else True


@pytest.mark.parametrize("name", ["x<img src=x onerror=alert(1)>.md", 'a"b.md', "it's.md", "a b.md"])
def test_file_name_with_markup_characters_is_refused(tmp_path: Path, name: str) -> None:
    (tmp_path / name).write_text("# Page\n", encoding="utf-8")
    (problem,) = walk(tmp_path).problems
    assert problem.path.name == name
    assert problem.message == "file name may use only letters, digits, '.', '_' and '-': rename it"


def test_event_file_names_are_refused_with_the_event_naming_rule(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-ok.md": event(), "x<img src=x>.md": event()})
    assert any(name == "x<img src=x>.md" and message.startswith("file name must be")
               for name, message in _messages(folder))


@pytest.mark.parametrize("name", ["login.html", "x.js", "logo.svg", "page.xhtml"])
def test_html_scripts_and_svg_in_docs_fail_the_build(tmp_path: Path, name: str,
                                                     caplog: pytest.LogCaptureFixture) -> None:
    write_project(tmp_path)
    (tmp_path / "docs" / name).write_text("<script>alert(document.domain)</script>", encoding="utf-8")
    with caplog.at_level(logging.ERROR), pytest.raises(Abort):
        build(load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    assert f"docs/{name}:1: a '" in caplog.text and "may not be published from here" in caplog.text
    assert not (tmp_path / "site" / name).exists()
