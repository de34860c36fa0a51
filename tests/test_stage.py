"""`chronicle stage`: the site without the plugin, built by plain MkDocs and by Zensical, holds the same account."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from chronicle.stage import CONFIG_NAME, edit_urls, page_url, stage

from conftest import ROOT, event, write_project

pytestmark = pytest.mark.build
ENV = {**os.environ, "SOURCE_DATE_EPOCH": "1641254400", "NO_MKDOCS_2_WARNING": "1"}


def _tool(name: str) -> str:
    executable = Path(sys.executable).parent / name
    if executable.exists():
        return str(executable)
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not installed: run 'make test', which installs requirements-test.txt")
    return found


def _account(site: Path) -> dict[str, Any]:
    """What a reader finds in the account: the events in order, every note mark, every note, every passage."""
    soup = BeautifulSoup((site / "account" / "index.html").read_text(encoding="utf-8"), "html.parser")
    return {"events": [h["id"] for h in soup.select("h3.chronicle-event")],
            "marks": [a["href"] for a in soup.select("a.footnote-ref")],
            "notes": [li["id"] for li in soup.select("li[id^='fn:']")],
            "passages": len(soup.select("details.chronicle-passage")),
            "badges": len(soup.select("a.chronicle-status"))}


def _pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*") if p.suffix in (".html", ".json", ".csv")
            and not p.name.startswith("search")}


@pytest.fixture(scope="module")
def staged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("staged")
    assert stage(ROOT / "mkdocs.yml", out) == []
    return out


@pytest.fixture(scope="module")
def plugin_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    site = tmp_path_factory.mktemp("plugin-site")
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site)))
    return site


def test_plain_mkdocs_builds_the_staged_site_with_the_same_account(staged: Path, plugin_site: Path,
                                                                    tmp_path: Path) -> None:
    site = tmp_path / "site"
    subprocess.run([_tool("mkdocs"), "build", "--quiet", "-f", str(staged / CONFIG_NAME), "-d", str(site)],
                   env=ENV, check=True)
    ours, theirs = _account(plugin_site), _account(site)
    assert len(ours["events"]) >= 70 and len(ours["notes"]) > 500 and ours["passages"] > 300
    assert theirs == ours
    assert _pages(site) == _pages(plugin_site)


def test_zensical_builds_the_staged_site_with_the_same_account(staged: Path, plugin_site: Path) -> None:
    copy = staged.parent / "zensical"
    shutil.copytree(staged, copy)
    result = subprocess.run([_tool("zensical"), "build", "-f", CONFIG_NAME], cwd=copy, env=ENV, capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    site = copy / "site"
    print(f"\nZensical: {_account(site)['events'].__len__()} events, {len(_account(site)['marks'])} marks, "
          f"{len(_account(site)['notes'])} notes")
    assert _account(site) == _account(plugin_site)
    for page in ("timeline", "sources", "places", "corrections"):
        assert (site / page / "index.html").is_file(), page


def test_zensical_on_the_sites_own_config_fails_instead_of_publishing_without_the_account(tmp_path: Path) -> None:
    """Zensical reads mkdocs.yml but runs no plugin: strict mode makes the pages it lost an error, not a gap."""
    for name in ("docs", "overrides"):
        shutil.copytree(ROOT / name, tmp_path / name)
    shutil.copy(ROOT / "mkdocs.yml", tmp_path / "mkdocs.yml")
    result = subprocess.run([_tool("zensical"), "build"], cwd=tmp_path, env=ENV, capture_output=True, text=True)
    assert result.returncode != 0, "a build without the account must fail"
    assert not (tmp_path / "site" / "account" / "index.html").exists()


def test_nothing_is_staged_from_content_that_fails_the_checks(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", {"2022-01-04-1900-bad.md": event(body="Hi <b>x</b>.[^alpha-2022-01-05]")})
    out = tmp_path / "out"
    problems = stage(project / "mkdocs.yml", out)
    assert [p.message for p in problems] and "raw HTML" in problems[0].message
    assert not out.exists() or not any(out.iterdir())


def test_a_config_with_yaml_tags_is_refused(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", mkdocs_yml="site_name: !ENV [NAME, t]\nplugins:\n  - chronicle\n")
    problems = stage(project / "mkdocs.yml", tmp_path / "out")
    assert len(problems) == 1 and "uses the YAML tag !ENV" in problems[0].message


def test_the_staged_config_keeps_everything_but_the_plugin(tmp_path: Path) -> None:
    import yaml

    project = write_project(tmp_path / "p", mkdocs_yml="site_name: t\nrepo_url: https://example.com/r\n"
                                                       "edit_uri: edit/main/docs/\nplugins:\n  - search\n"
                                                       "  - chronicle\nmarkdown_extensions:\n  - footnotes\n")
    out = tmp_path / "out"
    assert stage(project / "mkdocs.yml", out) == []
    config = yaml.safe_load((out / CONFIG_NAME).read_text(encoding="utf-8"))
    assert config["plugins"] == ["search"] and config["strict"] is True and config["docs_dir"] == "docs"
    names = [next(iter(e)) if isinstance(e, dict) else e for e in config["markdown_extensions"]]
    assert names[0] == "chronicle.footnotes" and {"attr_list", "toc", "pymdownx.details"} <= set(names)
    assert sorted(p.name for p in (out / "docs").iterdir()) == [
        "account.md", "corrections.md", "data", "index.md", "places.md", "sources.md", "timeline.md"]
    account = (out / "docs" / "account.md").read_text(encoding="utf-8")
    assert "<https://example.com/r/edit/main/events/2022-01-04-1800-ok.md>" in account


def test_watch_stages_again_when_an_event_changes(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    out = tmp_path / "out"
    account = out / "docs" / "account.md"
    watcher = subprocess.Popen([_tool("chronicle"), "stage", "-f", str(project / "mkdocs.yml"), "--out", str(out),
                                "--watch", "--interval", "0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait_for(lambda: account.is_file() and "Something happened" in account.read_text(encoding="utf-8"))
        (project / "events" / "2022-01-04-1800-ok.md").write_text(event("A new title"), encoding="utf-8")
        _wait_for(lambda: "A new title" in account.read_text(encoding="utf-8"))
    finally:
        watcher.terminate()
        watcher.wait(timeout=10)


def _wait_for(condition: Any, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except FileNotFoundError:  # (between two stagings)
            pass
        time.sleep(0.05)
    raise AssertionError("the staged folder did not change in time")


def test_page_addresses_and_edit_links_follow_mkdocs(tmp_path: Path) -> None:
    assert page_url("account.md") == "account/" and page_url("account.md", False) == "account.html"
    assert page_url("index.md") == "" and page_url("a/index.md") == "a/"
    docs = tmp_path / "docs"
    docs.mkdir()
    event_file = tmp_path / "events" / "x.md"
    plain = edit_urls("https://github.com/o/r", "edit/main/docs/", None, docs)
    assert plain(event_file) == "https://github.com/o/r/edit/main/events/x.md"
    templated = edit_urls("https://github.com/o/r", None, "src/{path_noext}.md?plain=1", docs)
    assert templated(event_file) == "https://github.com/o/r/events/x.md?plain=1"
    assert edit_urls(None, "edit/main/docs/", None, docs)(event_file) is None


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_an_edition_stages_with_the_same_account_in_its_language(language: str, tmp_path: Path) -> None:
    """An edition's config (INHERIT: mkdocs.yml) stages its pages: plain MkDocs builds the same account, in the
    same language, with the hand-written pages from their translations."""
    out = tmp_path / "staged"
    assert stage(ROOT / f"mkdocs.{language}.yml", out) == []
    assert "INHERIT" not in (out / CONFIG_NAME).read_text(encoding="utf-8")
    plugin_site, site = tmp_path / "plugin", tmp_path / "site"
    build(load_config(str(ROOT / f"mkdocs.{language}.yml"), site_dir=str(plugin_site)))
    subprocess.run([_tool("mkdocs"), "build", "--quiet", "-f", str(out / CONFIG_NAME), "-d", str(site)],
                   env=ENV, check=True)
    assert _account(site) == _account(plugin_site)
    assert _pages(site) == _pages(plugin_site)
    for page in ("account", "methodology"):
        ours = BeautifulSoup((plugin_site / page / "index.html").read_text(encoding="utf-8"), "html.parser")
        theirs = BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")
        assert theirs.html["lang"] == ours.html["lang"] == language
        assert theirs.h1.get_text() == ours.h1.get_text() and theirs.h1.get("id") == ours.h1.get("id")


def test_inherit_reads_nothing_outside_the_project(tmp_path: Path) -> None:
    from chronicle.stage import read_config

    (tmp_path / "outside.yml").write_text("site_name: elsewhere\n", encoding="utf-8")
    project = tmp_path / "project"
    project.mkdir()
    (project / "base.yml").write_text("site_name: base\ntheme: {name: material, language: en}\n", encoding="utf-8")
    (project / "child.yml").write_text("INHERIT: base.yml\ntheme: {language: ru}\n", encoding="utf-8")
    (project / "away.yml").write_text("INHERIT: ../outside.yml\n", encoding="utf-8")
    assert read_config(project / "child.yml") == ({"site_name": "base", "theme": {"name": "material",
                                                                                   "language": "ru"}}, [])
    data, problems = read_config(project / "away.yml")
    assert data == {} and "must name a config file in this folder" in problems[0].message
