"""Live preview: `mkdocs serve` rebuilds when an event, sources.yml or places.yml changes, and content problems
show as a page listing them (every `path:line: message`) instead of a server that stops answering.

MkDocs 1.6 makes every request wait until the build that was asked for has succeeded; these tests fetch with a
timeout, so a preview that hangs fails them instead of stalling them.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort

from chronicle.plugin import ERROR_POLICY
from chronicle.render import Pages
from chronicle.sanitize import check_html
from chronicle.verify import glossary_titles, markdown_settings, page_kind

from conftest import ROOT, Writer, event, served, write_project

pytestmark = pytest.mark.build

MKDOCS = Path(sys.executable).parent / "mkdocs"
# Places without coordinates: these tests are about the preview, not about the map's rules.
PLACES = "square:\n  name: Republic Square\npark:\n  name: The park\n"
BROKEN = event("Broken headline", place="nowhere", body="A paragraph that cites nothing.")
# What the check says about BROKEN, as `path:line: message` (the path relative to the project).
BROKEN_PROBLEMS = ["events/2022-01-04-1800-ok.md:4: unknown place 'nowhere'",
                   "events/2022-01-04-1800-ok.md:7: paragraph has no source citation"]
ERROR_PAGE_START = f'<!doctype html>\n<html lang="en">\n<head>\n<meta http-equiv="Content-Security-Policy" ' \
                   f'content="{ERROR_POLICY}">'


def _get(url: str) -> tuple[int, str]:
    """Status and text of `url`; a server that does not answer within 2 s raises (TimeoutError)."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8")


def _fetch_until(url: str, *wanted: str, seconds: float = 30) -> str:
    """The text of `url` once it holds every one of `wanted` (polling; each request with a 2 s timeout)."""
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        try:
            _, text = _get(url)
            if all(w in text for w in wanted):
                return text
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{wanted!r} did not appear at {url} within {seconds} s; last text: {text[-2000:]!r}")


@contextmanager
def serving(root: Path) -> Iterator[str]:
    """`mkdocs serve` of the project at `root`, up; its base URL. The log goes to root/serve.log."""
    with served(root, root / "serve.log") as (_, base):
        yield base


def _served_log(root: Path) -> str:
    return (root / "serve.log").read_text(encoding="utf-8", errors="replace")


def test_editing_events_and_registries_rebuilds_the_preview(tmp_path: Path, events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-ok.md": event("First headline")}, places=PLACES)
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - chronicle\n", encoding="utf-8")
    with serving(tmp_path) as base:
        account = base + "account/"
        _fetch_until(account, "First headline")
        (folder / "2022-01-04-1800-ok.md").write_text(event("Second headline"), encoding="utf-8")
        _fetch_until(account, "Second headline")
        places = (folder / "places.yml").read_text(encoding="utf-8").replace("Republic Square", "Renamed Square")
        (folder / "places.yml").write_text(places, encoding="utf-8")
        _fetch_until(account, "Renamed Square")
        sources = (folder / "sources.yml").read_text(encoding="utf-8").replace("First report", "Retitled report")
        (folder / "sources.yml").write_text(sources, encoding="utf-8")
        _fetch_until(account, "Retitled report")


def _epoch(page: str) -> int:
    """The version of the site a served page was built from, from the live-reload script MkDocs adds to it."""
    found = re.search(r"livereload\(([0-9]+), [0-9]+\)", page)
    assert found, "the page carries MkDocs' live-reload script"
    return int(found.group(1))


def test_a_broken_event_shows_its_problems_within_seconds_and_reloads_when_fixed(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"2022-01-04-1800-ok.md": event("First headline")}, places=PLACES,
                         docs={"about.md": "# About us\n\nHand-written text.\n"})
    path = root / "events" / "2022-01-04-1800-ok.md"
    with serving(root) as base:
        first = _fetch_until(base + "account/", "First headline")
        path.write_text(BROKEN, encoding="utf-8")
        broken_at = time.monotonic()
        # The account, which cannot be made, lists every problem, with its file and line, and what to do.
        account = _fetch_until(base + "account/", *BROKEN_PROBLEMS, seconds=20)
        seconds = time.monotonic() - broken_at
        assert "Fix these and save: this page reloads" in account
        assert "First headline" not in account and "Broken headline" not in account
        assert _epoch(account) > _epoch(first), "a new version of the site: browsers on the old one reload"
        # Every other page answers at once, the hand-written ones with the same list above their own text.
        start = time.monotonic()
        status, about = _get(base + "about/")
        assert status == 200 and time.monotonic() - start < 2
        assert all(p in about for p in BROKEN_PROBLEMS) and "Hand-written text." in about
        assert about.index(BROKEN_PROBLEMS[0]) < about.index("Hand-written text.")
        for page in ("", "timeline/", "sources/", "places/", "corrections/"):
            status, text = _get(base + page)
            assert status == 200 and BROKEN_PROBLEMS[1] in text, page
        # Fixed: the page is the account again, and a browser still showing the error page is told to reload.
        path.write_text(event("Second headline"), encoding="utf-8")
        fixed = _fetch_until(base + "account/", "Second headline", seconds=20)
        assert "problem(s)" not in fixed
        status, newer = _get(base + f"livereload/{_epoch(account)}/1")
        assert status == 200 and int(newer) > _epoch(account)
    logged = _served_log(root)
    assert all(p in logged for p in BROKEN_PROBLEMS), logged
    assert "appear stuck" not in logged
    print(f"\nthe error page appeared {seconds:.1f} s after the broken file was saved")
    assert seconds < 15


def test_broken_content_at_startup_serves_the_error_page(tmp_path: Path) -> None:
    # The first build fails too: MkDocs would end `serve` with "Aborted with a BuildError!" and serve nothing.
    root = write_project(tmp_path, {"2022-01-04-1800-ok.md": BROKEN}, places=PLACES)
    with serving(root) as base:
        account = _fetch_until(base + "account/", *BROKEN_PROBLEMS, seconds=30)
        assert "Fix these and save: this page reloads" in account
        (root / "events" / "2022-01-04-1800-ok.md").write_text(event("Now fixed"), encoding="utf-8")
        _fetch_until(base + "account/", "Now fixed", seconds=20)


def test_mkdocs_build_still_fails_on_the_same_content(tmp_path: Path) -> None:
    root = write_project(tmp_path, {"2022-01-04-1800-ok.md": BROKEN}, places=PLACES)
    done = subprocess.run([str(MKDOCS), "build", "--site-dir", str(tmp_path / "site")], cwd=root,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, capture_output=True, text=True, timeout=120)
    output = done.stdout + done.stderr
    assert done.returncode == 1
    assert all(p in output for p in BROKEN_PROBLEMS), output
    assert "2 problem(s) in" in output and "Aborted with a BuildError!" in output
    assert not list((tmp_path / "site").rglob("*.html"))


def _preview(root: Path) -> Path:
    """Build `root` as `mkdocs serve` does (the plugins started for "serve"), in this process; the site folder."""
    site = root / "site"
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site))
    config.plugins.on_startup(command="serve", dirty=False)
    try:
        build(config, serve_url="http://127.0.0.1:8000/")
    finally:
        config.plugins.on_shutdown()  # MkDocs keeps the plugin object for the process: the next build is no preview
    return site


ADMONITIONS = "site_name: t\nplugins:\n  - chronicle\nmarkdown_extensions:\n  - admonition\n"


def test_a_page_outside_the_allow_list_is_never_served(tmp_path: Path) -> None:
    # Found only once rendered: in the preview, every page (the theme's 404 too) becomes the plugin's own page.
    unsafe = "---\ntitle: About\n---\n# About\n\n<img src=x onerror=alert(1)> Text.\n"
    root = write_project(tmp_path, docs={"about.md": unsafe}, places=PLACES, mkdocs_yml=ADMONITIONS)
    site = _preview(root)
    pages = sorted(site.rglob("*.html"))
    assert {p.relative_to(site).as_posix() for p in pages} >= {"index.html", "404.html", "about/index.html",
                                                              "account/index.html"}
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert text.startswith(ERROR_PAGE_START), page
        assert "docs/about.md:6: raw HTML &#x27;&lt;img src=x onerror=alert(1)&gt;&#x27; is not allowed" in text
        assert "<img" not in text and "<script" not in text and "style" not in text
    with pytest.raises(Abort):  # and `mkdocs build` still fails on it
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "built")))


def test_problems_on_the_preview_pages_are_escaped(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    # A problem quotes what the contributor wrote: on the page, it is text, never markup.
    hostile = event("T", body="<script>alert(1)</script> *x* [^a-b<i>]")
    root = write_project(tmp_path, {"2022-01-04-1900-hostile.md": hostile}, docs={"about.md": "# About\n\nText.\n"},
                         places=PLACES, mkdocs_yml=ADMONITIONS)
    with caplog.at_level(logging.ERROR):
        site = _preview(root)
    logged = [r.getMessage().removeprefix("chronicle: ") for r in caplog.records if "hostile.md:" in r.getMessage()]
    assert logged, "the problems are logged as errors, as in a build"
    about = (site / "about" / "index.html").read_text(encoding="utf-8")
    assert "<script>alert" not in about and "<i>]" not in about
    listed = re.findall(r"<li>(.*?)</li>", about.split('class="admonition failure"', 1)[1].split("</div>", 1)[0])
    shown = [html.unescape(item) for item in listed]
    assert [line.split("events/", 1)[1] for line in shown] == [line.split("events/", 1)[1] for line in logged]
    account = (site / "account" / "index.html").read_text(encoding="utf-8")
    assert account.count('class="admonition failure"') == 1 and "<h1" in account


def test_a_rebuild_that_crashes_does_not_hang_the_preview(tmp_path: Path) -> None:
    # Not a content problem (a bug, say): the failed rebuild leaves a page saying so, and the server answers.
    hook = ("from pathlib import Path\n\n\ndef on_files(files, config):\n"
            "    if Path(config.docs_dir, 'crash.txt').exists():\n        raise RuntimeError('boom')\n")
    root = write_project(tmp_path, places=PLACES,
                         mkdocs_yml="site_name: t\nplugins:\n  - chronicle\nhooks:\n  - crash.py\n")
    (root / "crash.py").write_text(hook, encoding="utf-8")
    with serving(root) as base:
        _fetch_until(base, "Home")
        (root / "docs" / "crash.txt").write_text("now\n", encoding="utf-8")
        text = _fetch_until(base, "The rebuild failed", "RuntimeError: boom", seconds=20)
        assert text.startswith(ERROR_PAGE_START)
        status, missing = _get(base + "account/")
        assert status == 404 and "RuntimeError: boom" in missing
        (root / "docs" / "crash.txt").unlink()
        _fetch_until(base + "account/", "Something happened", seconds=20)
    assert "appear stuck" not in _served_log(root)


HOSTILE = Path(__file__).parent / "hostile"
HOSTILE_CASES = sorted(f"{kind}/{p.name}" for kind in ("events", "sources", "places", "docs")
                       for p in sorted((HOSTILE / kind).iterdir()))
GLOSSARY = glossary_titles(markdown_settings(
    yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))["markdown_extensions"])[1])
# The only markup of the plugin's own error page.
ERROR_PAGE_TAGS = {"html", "head", "meta", "title", "body", "main", "h1", "p", "ul", "li"}


def _hostile_project(root: Path, case: str) -> Path:
    """A case of tests/hostile in a project with the site's Markdown extensions, as tests/hostile builds it."""
    site = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    write_project(root, places=PLACES, mkdocs_yml=yaml.safe_dump(
        {"site_name": "t", "plugins": ["chronicle"], "markdown_extensions": site["markdown_extensions"]}))
    kind, name = case.split("/")
    target = {"events": "events/" + name, "docs": "docs/" + name}.get(kind, f"events/{kind}.yml")
    shutil.copy(HOSTILE / case, root / target)
    return root


def _logged_problems(records: list[logging.LogRecord]) -> list[str]:
    """The `path:line: message` lines a build logged as errors (without the summaries that count them)."""
    lines = [r.getMessage().removeprefix("chronicle: ") for r in records if r.levelno >= logging.ERROR]
    return [line for line in lines if re.match(r"[^ ]+:[0-9]+: ", line)]


@pytest.mark.parametrize("case", HOSTILE_CASES)
def test_the_preview_of_hostile_content_lists_what_the_build_refuses_and_serves_none_of_it(
        tmp_path: Path, case: str, caplog: pytest.LogCaptureFixture) -> None:
    root = _hostile_project(tmp_path, case)
    with caplog.at_level(logging.ERROR), suppress(Abort):  # or it builds (an inert case)
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "built")))
    refused = _logged_problems(caplog.records)
    caplog.clear()
    site = _preview(root)
    pages = {p.relative_to(site).as_posix(): p.read_text(encoding="utf-8") for p in site.rglob("*.html")}
    assert "account/index.html" in pages
    shown = BeautifulSoup(pages["account/index.html"], "html.parser").get_text()
    missing = [line for line in refused if line not in shown]
    assert missing == [], "every problem the build refuses is listed in the preview"
    if not refused:
        assert "problem(s)" not in shown
    for uri, text in pages.items():
        soup = BeautifulSoup(text, "html.parser")
        if text.startswith(ERROR_PAGE_START):
            assert {tag.name for tag in soup.find_all(True)} <= ERROR_PAGE_TAGS, uri
            assert all(set(tag.attrs) <= {"lang", "http-equiv", "content", "charset", "name"}
                       for tag in soup.find_all(True)), uri
            continue
        if uri == "404.html":
            continue  # the theme's own text
        # A page of the theme: what the plugin put in it passes the allow-list (the problem list included).
        main = soup.find("div", attrs={"role": "main"})
        assert main is not None, uri
        source = uri.removesuffix("index.html").rstrip("/") or "index"
        kind = page_kind(source + ".md", Pages())
        # (the site's glossary marks its terms wherever they stand, a hostile passage's text included)
        assert check_html(main.decode_contents(), kind, GLOSSARY) == [], uri
