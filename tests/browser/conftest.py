"""Fixtures for the browser layer: the real site built once, served on 127.0.0.1, opened in real Chromium.

Chromium is Debian's (`/usr/bin/chromium`, or the path in QANTAR_CHROMIUM). Where it is missing the browser
tests skip with the reason; when the CI environment variable is set they fail instead, so CI cannot pass
without running them. axe-core and the Nu HTML Checker come from node_modules (`npm ci`, run by `make test`).
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from .kit import ARTIFACTS, ROOT, Browsing, open_context
from chromium import launched_chromium


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The project's own site, built once per session with --strict as `make build` builds it: the English at the
    root, the Russian and Kazakh editions in ru/ and kk/ (every page test reads all three)."""
    site = tmp_path_factory.mktemp("browser-site")
    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=True))
    for language in ("ru", "kk"):
        build(load_config(str(ROOT / f"mkdocs.{language}.yml"), site_dir=str(site / language), strict=True))
    return site


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(built_site: Path) -> Iterator[str]:
    """The built site served by http.server on 127.0.0.1 at a free port, in a thread, for the session."""
    handler = functools.partial(QuietHandler, directory=str(built_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, name="site-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


@pytest.fixture(scope="package")
def browser() -> Iterator[Any]:
    """Chromium through Playwright, for this package only."""
    yield from launched_chromium()


@pytest.fixture
def browsing(browser: Any, base_url: str) -> Iterator[Browsing]:
    """A page in a fresh light-mode context; at the end, no request may have left the local server."""
    context, requests = open_context(browser, base_url)
    try:
        yield Browsing(context.new_page(), base_url, requests)
    finally:
        context.close()
    assert requests.outside == [], f"requests left the local server: {requests.outside}"


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS

