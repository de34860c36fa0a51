"""The offline site's Content-Security-Policy: the pure helpers, and every page opened from file://.

The offline pages carry the site's policy plus one hash in script-src, for the inline script the vendored
iframe-worker shim writes into its worker frame (chronicle.csp); search must still work from file://.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from csp_check import Watch, directives

from chronicle.csp import PolicyError, allow_worker_frame, source_hash, with_script_source, worker_frame_script
from chronicle.export import SHIM_PACKAGE, SHIM_SOURCE, SHIM_TARGET

from .conftest import Offline
from conftest import ROOT

WORKER = "assets/javascripts/workers/search.a7633da7.min.js"
POLICY = "default-src 'none'; script-src 'self'; object-src 'none'"
PAGE = (f'<head><meta http-equiv="Content-Security-Policy" content="{POLICY}"></head><body>'
        f'<script id="__config" type="application/json">{{"base": ".", "search": "{WORKER}"}}</script></body>')
SHIM = ('(()=>{function c(s,n){parent.postMessage(s,n||"*")}function d(...s){return s}'
        'class o{constructor(e){w.document.write(`<script>postMessage=${c};importScripts=${d};f("${e}")<\\/script>'
        '<script src=${e}><\\/script>`)}}})();')


def test_source_hash_is_the_csp_hash_of_the_text() -> None:
    # The CSP specification's own example: alert('Hello, world.');
    assert source_hash("alert('Hello, world.');") == "'sha256-qznLcsROx4GACP2dm0UCKCzCG+HiZ1guq6ZZDob/Tng='"


def test_worker_frame_script_fills_the_functions_and_the_url() -> None:
    assert worker_frame_script(SHIM, WORKER) == (
        'postMessage=function c(s,n){parent.postMessage(s,n||"*")};importScripts=function d(...s){return s};'
        f'f("{WORKER}")')
    with pytest.raises(PolicyError):
        worker_frame_script("no frame here", WORKER)


def test_with_script_source_adds_once_and_refuses_a_policy_without_script_src() -> None:
    added = with_script_source(POLICY, "'sha256-x'")
    assert added == "default-src 'none'; script-src 'self' 'sha256-x'; object-src 'none'"
    assert with_script_source(added, "'sha256-x'") == added
    with pytest.raises(PolicyError):
        with_script_source("default-src 'none'", "'sha256-x'")


def test_allow_worker_frame_rewrites_only_pages_with_policy_and_search() -> None:
    page = allow_worker_frame(PAGE, SHIM)
    content = re.search(r'content="([^"]*)"', page)
    assert content is not None
    assert directives(content.group(1))["script-src"] == ["'self'", source_hash(worker_frame_script(SHIM, WORKER))]
    assert page.replace(content.group(1), POLICY) == PAGE
    assert allow_worker_frame("<p>no policy</p>", SHIM) == "<p>no policy</p>"
    no_search = PAGE.replace(f'"search": "{WORKER}"', '"search": null')
    assert allow_worker_frame(no_search, SHIM) == no_search


@pytest.mark.build
def test_hash_in_the_offline_pages_is_the_vendored_shims(unzipped: Path) -> None:
    shim = (ROOT / "node_modules" / SHIM_PACKAGE / SHIM_SOURCE).read_text(encoding="utf-8")
    assert (unzipped / SHIM_TARGET).read_text(encoding="utf-8") == shim
    for page in sorted(unzipped.glob("*.html")):
        content = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', page.read_text())
        assert content is not None, page.name
        worker = re.search(r'"search": "([^"]*)"', page.read_text())
        assert worker is not None, page.name
        hashes = [s for s in directives(content.group(1))["script-src"] if s.startswith("'sha256-")]
        assert hashes == [source_hash(worker_frame_script(shim, worker.group(1)))], page.name


@pytest.mark.build
@pytest.mark.browser
def test_every_offline_page_keeps_the_policy_searches_and_refuses_injected_code(unzipped: Path,
                                                                                offline: Offline) -> None:
    watch = Watch(offline.page)
    pages = sorted(unzipped.glob("*.html"))
    assert len(pages) >= 8, pages
    for page in pages:
        offline.open(page)
        watch.check_loaded(page.name, offline=True)
        assert watch.search(page.name, "Kcell") > 0
        assert watch.inject(page.name) >= 4
