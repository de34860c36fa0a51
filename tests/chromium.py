"""Real Chromium for the browser and export tests: finding it, launching it, and skipping (or, in CI, failing)
when a tool is missing."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NoReturn

import pytest

# As root, headless, with nothing that reaches for the network on its own.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def unavailable(reason: str) -> NoReturn:
    """Skip for lack of a tool, or fail when running in CI, where every tool must be there."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping; .ci/run installs it)")
    pytest.skip(reason)


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")  # Debian's, then others


def chromium_path() -> Path:
    """The one named by QANTAR_CHROMIUM, else Debian's Chromium, else a Chrome found on the PATH (GitHub's Ubuntu
    runners have Google Chrome, and Ubuntu's chromium package is only a stub for a snap)."""
    configured = os.environ.get("QANTAR_CHROMIUM")
    found = next((shutil.which(name) for name in BROWSERS if shutil.which(name)), None)
    path = Path(configured) if configured else Path(found or "/usr/bin/chromium")
    if not (path.is_file() and os.access(path, os.X_OK)):
        unavailable(f"no Chromium at {path} (apt-get install chromium, or set QANTAR_CHROMIUM)")
    return path


def launched_chromium() -> Iterator[Any]:
    """Chromium through Playwright, for one package-scoped fixture: Playwright's sync API runs an event loop
    while it is started, so it must be stopped before another package's tests start their own."""
    executable = chromium_path()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("Playwright for Python is not installed (requirements-test.txt)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), headless=True, args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()


def ready(page: Any, *, theme: bool = True) -> None:
    """The page loaded, the theme's script started (Material publishes `document$` once it has), and every
    resource asked for so far answered: a condition to wait for, not the network's silence (`networkidle`, which
    waits a fixed half second and passes on a page that keeps polling)."""
    page.wait_for_load_state("load")
    if theme:
        page.wait_for_function("() => 'document$' in window")
    page.wait_for_function("() => performance.getEntriesByType('resource').every(e => e.responseEnd > 0)")
