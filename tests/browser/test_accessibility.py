"""axe-core in real Chromium over every page of the built site, in both palettes; headings; link purpose."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest

from .kit import ARTIFACTS, AXE_JS, GENERATED, Browsing, open_context, site_pages
from chromium import ready, unavailable

pytestmark = pytest.mark.browser

BLOCKING = {"serious", "critical"}
# Link texts that do not say where a link goes, whatever their context.
VAGUE = {"here", "click here", "click", "more", "read more", "link", "this", "this page", "go", "continue"}


def test_the_site_has_the_generated_pages(built_site: Path) -> None:
    assert set(GENERATED) <= set(site_pages(built_site))


def run_axe(page: Any) -> dict[str, Any]:
    if not AXE_JS.is_file():
        unavailable(f"axe-core is missing at {AXE_JS} (run `npm ci`; `make test` does)")
    page.add_script_tag(path=str(AXE_JS))
    result: dict[str, Any] = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    return result


def summary(violation: dict[str, Any]) -> str:
    targets = "; ".join(" ".join(map(str, node["target"])) for node in violation["nodes"][:5])
    more = len(violation["nodes"]) - 5
    return (f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])} element(s)): "
            f"{violation['help']}: {targets}{f' and {more} more' if more > 0 else ''}")


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_nothing_serious_on_any_page(browser: Any, built_site: Path, base_url: str, scheme: str) -> None:
    # bypass_csp: axe-core is injected as an inline script, which the site's policy refuses (test_csp.py).
    context, requests = open_context(browser, base_url, color_scheme=scheme, bypass_csp=True)
    report: dict[str, list[dict[str, Any]]] = {}
    try:
        page = context.new_page()
        for path in site_pages(built_site):
            page.goto(base_url + path, wait_until="load")
            ready(page)
            expected = "slate" if scheme == "dark" else "default"
            assert page.locator("body").get_attribute("data-md-color-scheme") == expected, path
            report[path or "index"] = run_axe(page)["violations"]
    finally:
        context.close()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"axe-{scheme}.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    blocking = [f"{path}: {summary(v)}" for path, violations in report.items()
                for v in violations if v["impact"] in BLOCKING]
    assert blocking == [], "\n".join(blocking)
    assert requests.outside == []


HEADINGS = """() => [...document.querySelectorAll('h1, h2, h3, h4, h5, h6')].map(h => ({
    level: Number(h.tagName[1]), text: h.textContent.trim(), id: h.id}))"""


def test_headings_are_in_order_on_every_page(browsing: Browsing, built_site: Path) -> None:
    problems = []
    for path in site_pages(built_site):
        browsing.open(path)
        headings = browsing.page.evaluate(HEADINGS)
        levels = [h["level"] for h in headings]
        if levels.count(1) != 1 or levels[0] != 1:
            problems.append(f"{path or 'index'}: one h1 and it comes first, not {headings[:2]}")
        problems += [f"{path or 'index'}: {before} is followed by {after}, skipping a level"
                     for before, after in itertools.pairwise(headings)
                     if after["level"] > before["level"] + 1]
    assert problems == [], "\n".join(problems)


LINKS = """() => [...document.querySelectorAll('a[href]')].map(a => ({
    href: a.getAttribute('href'),
    text: (a.getAttribute('aria-label') || a.innerText || a.textContent || '').trim(),
    title: (a.getAttribute('title') || '').trim(),
    label: (a.getAttribute('aria-labelledby') || ''),
    footnote: a.classList.contains('footnote-ref') && /^\\d+$/.test(a.textContent.trim()),
    img: [...a.querySelectorAll('img[alt], svg title')].map(i => i.getAttribute('alt') || i.textContent).join(' ')
}))"""


def test_links_say_where_they_go_on_every_page(browsing: Browsing, built_site: Path) -> None:
    """Every link has a name or a title that says where it goes; a symbol or a number alone needs a title.

    The one convention allowed: a footnote reference (a.footnote-ref) is its note's number, set in
    superscript inside the sentence it supports; its note names the source.
    """
    bad = []
    for path in site_pages(built_site):
        browsing.open(path)
        for link in browsing.page.evaluate(LINKS):
            name = " ".join(link["text"].split()) or link["img"].strip()
            if link["label"] or link["footnote"]:
                continue
            if name.lower().strip(".…:→ ") in VAGUE or (not any(c.isalpha() for c in name) and not link["title"]):
                bad.append(f"{path or 'index'}: {link}")
    assert bad == [], "links that do not say where they go:\n" + "\n".join(bad)
