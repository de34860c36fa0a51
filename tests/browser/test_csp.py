"""The Content-Security-Policy in real Chromium, on every page of the site served on 127.0.0.1.

Each page: exactly one policy, as the first element of <head>, with what the issue asks (scripts from the site
only, no 'unsafe-inline' for them, nothing beyond the site, object-src, base-uri and form-action 'none');
no violation while it loads or while its search runs (and search finds something); then an injected inline
script, two inline event handlers and a javascript: URL do not run and are reported as violations.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from csp_check import Watch

from .kit import Browsing, site_pages

pytestmark = pytest.mark.browser

QUERY = "airport"
_SCRIPT = re.compile(r"<script\b([^>]*)>", re.IGNORECASE)


def test_no_page_has_an_inline_script_to_run(built_site: Path) -> None:
    """Material's inline scripts live in files now (overrides/partials/javascripts/); only data stays inline."""
    inline = {}
    for page in sorted(built_site.rglob("*.html")):
        found = [attrs for attrs in _SCRIPT.findall(page.read_text(encoding="utf-8"))
                 if "src=" not in attrs and 'type="application/json"' not in attrs]
        if found:
            inline[page.relative_to(built_site).as_posix()] = found
    assert inline == {}


def test_every_page_keeps_the_policy_and_refuses_injected_code(browsing: Browsing, built_site: Path) -> None:
    watch = Watch(browsing.page)
    pages = site_pages(built_site)
    assert len(pages) >= 9, pages
    refused = 0
    for path in pages:
        browsing.open(path)
        watch.check_loaded(path or "home", offline=False)
        assert watch.search(path or "home", QUERY) > 0
        refused += watch.inject(path or "home")
    assert refused >= 4 * len(pages)
