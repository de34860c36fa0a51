"""The contributor's live preview (`mkdocs serve`) in real Chromium: the page's Content-Security-Policy lets
MkDocs' live-reload script run there, and the published build keeps inline scripts out; a content error shows
as a page listing the problems, which reloads by itself once they are fixed."""

from __future__ import annotations

import time
import urllib.request
from pathlib import Path
from typing import Any

import yaml

from .kit import ROOT, open_context
from conftest import event, mkdocs_serve, served, write_project


def _wait_until_up(base: str, seconds: float = 60) -> None:
    """Until the server answers for the account (the first build is done), at most `seconds`."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(base + "account/", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def test_live_reload_runs_in_the_preview_without_a_csp_violation(browser: Any, built_site: Path,
                                                                  tmp_path: Path) -> None:
    server, base = mkdocs_serve(ROOT, tmp_path / "serve.log")
    try:
        _wait_until_up(base)
        context, _ = open_context(browser, base)
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        page.add_init_script("document.addEventListener('securitypolicyviolation', "
                             "e => console.log('violation ' + e.violatedDirective))")
        page.goto(base + "account/")
        page.wait_for_timeout(1000)
        context.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert "Enabled live reload" in messages
    assert not [m for m in messages if m.startswith("violation")], messages
    published = (built_site / "account" / "index.html").read_text(encoding="utf-8")
    assert "script-src 'self';" in published and "unsafe-inline' ;" not in published
    assert "script-src 'self' 'unsafe-inline'" not in published


PLACES = "square:\n  name: Republic Square\npark:\n  name: The park\n"
BROKEN_PROBLEMS = ["events/2022-01-04-1800-ok.md:4: unknown place 'nowhere'",
                   "events/2022-01-04-1800-ok.md:7: paragraph has no source citation"]


def _site_like(root: Path) -> Path:
    """A small project with the site's theme, templates (and so its Content-Security-Policy) and extensions."""
    site = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
    site["theme"]["custom_dir"] = str(ROOT / "overrides")
    for key in ("nav", "extra_css", "plugins"):
        site.pop(key, None)
    site["plugins"] = ["search", "chronicle"]
    return write_project(root, {"2022-01-04-1800-ok.md": event("First headline")}, places=PLACES,
                         docs={"about.md": "# About us\n\nHand-written text.\n"},
                         mkdocs_yml=yaml.safe_dump(site, allow_unicode=True))


def _wait_for_text(page: Any, *wanted: str, seconds: float = 20) -> str:
    """The page's text once it holds all of `wanted`: the page reloads by itself, nothing here navigates."""
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        try:
            text = page.inner_text("body", timeout=1000)
            if all(w in text for w in wanted):
                page.wait_for_load_state("load")  # its scripts (live reload) have run
                return text
        except Exception:  # the document is being replaced by the reload
            pass
        page.wait_for_timeout(200)
    raise AssertionError(f"{wanted!r} did not appear within {seconds} s; the page says: {text[-1500:]!r}")


def test_a_content_error_shows_in_the_open_page_and_goes_away_when_fixed(browser: Any, tmp_path: Path) -> None:
    root = _site_like(tmp_path)
    event_file = root / "events" / "2022-01-04-1800-ok.md"
    with served(root, root / "serve.log") as (server, base):
        try:
            _wait_until_up(base)
            context, requests = open_context(browser, base)
            page = context.new_page()
            messages: list[str] = []
            page.on("console", lambda message: messages.append(message.text))
            page.add_init_script("document.addEventListener('securitypolicyviolation', "
                                 "e => console.log('violation ' + e.violatedDirective + ' ' + e.blockedURI))")
            page.goto(base + "account/")
            _wait_for_text(page, "First headline")
            page.wait_for_timeout(500)  # the live-reload script starts polling once the page has loaded

            # A broken event: the open account reloads by itself into the list of problems.
            event_file.write_text(event("Broken headline", place="nowhere", body="A paragraph that cites nothing."),
                                  encoding="utf-8")
            broken_at = time.monotonic()
            text = _wait_for_text(page, *BROKEN_PROBLEMS)
            seconds = time.monotonic() - broken_at
            assert "Fix these and save: this page reloads" in text
            page.wait_for_timeout(500)

            # Fixed: it reloads into the account again.
            event_file.write_text(event("Second headline"), encoding="utf-8")
            _wait_for_text(page, "Second headline")
            page.wait_for_timeout(500)

            # A hand-written page that fails the allow-list: the plugin's own page, under its own policy, still
            # reloading by itself; and back once the page is fixed.
            about = root / "docs" / "about.md"
            about.write_text("# About us\n\n<b>Bold</b> text.\n", encoding="utf-8")
            text = _wait_for_text(page, "docs/about.md:3: raw HTML", "Fix these and save: this page reloads")
            assert page.evaluate("document.querySelectorAll('b, script[src], link, style').length") == 0
            page.wait_for_timeout(500)
            about.write_text("# About us\n\nPlain text.\n", encoding="utf-8")
            _wait_for_text(page, "Second headline")
            page.wait_for_timeout(500)
            context.close()
        finally:
            server.terminate()
            server.wait(timeout=10)
    assert not [m for m in messages if m.startswith("violation")], messages
    assert messages.count("Enabled live reload") >= 5, messages  # one for each page shown, the error pages too
    assert requests.outside == []
    print(f"\nthe open page showed the problems {seconds:.1f} s after the broken file was saved")
