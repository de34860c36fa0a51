"""The offline site's Content-Security-Policy: the pure helpers, and every page opened from file://.

The offline pages carry the site's policy plus one hash in script-src, for the inline script the vendored
iframe-worker shim writes into its worker frame (chronicle.csp); search must still work from file://.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from csp_check import Watch, directives

from chronicle.csp import PolicyError, source_hash, worker_frame_script, worker_frame_sources
from chronicle.export import SHIM_PACKAGE, SHIM_SOURCE, SHIM_TARGET

from .conftest import Offline
from conftest import ROOT

WORKER = "assets/javascripts/workers/search.a7633da7.min.js"
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


def test_the_frame_scripts_hash_is_given_for_each_depth_as_the_page_addresses_the_worker() -> None:
    sources = worker_frame_sources(SHIM, WORKER, depth=2)
    assert sources == {".": source_hash(worker_frame_script(SHIM, WORKER)),
                       "..": source_hash(worker_frame_script(SHIM, "../" + WORKER)),
                       "../..": source_hash(worker_frame_script(SHIM, "../../" + WORKER))}


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
