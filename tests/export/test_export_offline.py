"""Both exports opened from file:// in real Chromium with every network request blocked and recorded."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chronicle import load_chronicle

from .conftest import Export, Offline
from conftest import ROOT

pytestmark = [pytest.mark.build, pytest.mark.browser]


def event_count() -> int:
    return len(load_chronicle(ROOT / "events").events)


def test_zipped_site_shows_every_event_offline(unzipped: Path, offline: Offline) -> None:
    offline.open(unzipped / "account.html")
    assert offline.page.locator("article h3.chronicle-event").count() == event_count()
    assert offline.page.locator("link[rel=stylesheet]").count() > 0
    assert offline.page.evaluate("getComputedStyle(document.body).fontFamily")  # the theme's CSS loaded


def test_zipped_site_every_page_and_image_loads(unzipped: Path, offline: Offline) -> None:
    failed: list[str] = []
    offline.page.on("requestfailed", lambda request: failed.append(request.url))
    for page in sorted(unzipped.glob("*.html")):
        offline.open(page)
        broken = offline.page.evaluate("[...document.images].filter(i => !i.complete || !i.naturalWidth)"
                                       ".map(i => i.src)")
        assert broken == [], (page.name, broken)
    assert failed == []


def test_zipped_site_footnote_and_timeline_links_work(unzipped: Path, offline: Offline) -> None:
    page = offline.page
    offline.open(unzipped / "account.html")
    reference = page.locator("a.footnote-ref").first
    note = reference.get_attribute("href")
    reference.click()
    assert page.url.endswith(note)
    assert page.locator(f"[id='{note[1:]}']").is_visible()
    offline.open(unzipped / "timeline.html")
    link = page.locator("td a[href*='account.html#']").first
    target = link.get_attribute("href").split("#")[1]
    link.click()
    page.wait_for_load_state("load")
    assert page.url.startswith(unzipped.as_uri()) and page.url.endswith(f"account.html#{target}")
    assert page.locator(f"[id='{target}']").is_visible()


def test_zipped_site_search_works_offline(unzipped: Path, offline: Offline) -> None:
    page = offline.page
    offline.open(unzipped / "index.html")
    page.keyboard.press("/")
    page.locator("input[data-md-component=search-query]").press_sequentially("Kcell")
    result = page.locator(".md-search-result__item a[href*='account']").first  # among the pages it is found on
    result.wait_for(state="visible", timeout=15_000)
    assert "account" in (result.get_attribute("href") or "")


def test_single_file_offline_shows_every_event_and_follows_links(exported: Export, offline: Offline) -> None:
    page = offline.page
    offline.open(exported.html)
    assert page.locator("#account h3.chronicle-event").count() == event_count()
    reference = page.locator("#account a.footnote-ref").first
    note = reference.get_attribute("href")
    reference.click()
    assert page.url.endswith(note) and page.locator(f"[id='{note[1:]}']").is_visible()
    details = page.locator(f"[id='{note[1:]}'] a[href^='#sources-']").first
    source = details.get_attribute("href")
    details.click()
    assert page.url.endswith(source) and page.locator(f"[id='{source[1:]}']").is_visible()
    link = page.locator("#timeline td a[href]:not([href^='#places-'])").first
    target = link.get_attribute("href")
    link.click()
    assert page.url.endswith(target)
    assert page.locator(f"#account [id='{target[1:]}']").is_visible()


def test_single_file_reads_on_a_phone(exported: Export, browser: Any) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True,
                                  device_scale_factor=2, service_workers="block")
    try:
        page = context.new_page()
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
                   else route.abort())
        page.goto(exported.html.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways"
        size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('#account p')).fontSize)")
        assert size >= 15
    finally:
        context.close()


def test_phone_file_keeps_its_row_of_days_in_view_and_jumps_to_each_day(exported: Export, browser: Any) -> None:
    """On a phone the row of days stays at the top as the account scrolls, on one line, and a day it jumps to is
    not hidden under it; the page reads without scripts (its policy allows none)."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, is_mobile=True, device_scale_factor=2,
                                  service_workers="block", java_script_enabled=True)
    left: list[str] = []
    try:
        page = context.new_page()
        page.on("request", lambda r: None if r.url.startswith(("file:", "data:")) else left.append(r.url))
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(("file:", "data:"))
                   else route.abort())
        page.goto(exported.phone.as_uri())
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, "the page scrolls sideways"
        bar = page.locator("#chronicle-days")
        links = bar.locator("a")
        assert links.count() >= 3
        height = bar.bounding_box()["height"]
        assert height < 60, f"the row of days takes {height:.0f} px: it should be one line"
        last = links.nth(links.count() - 1)
        target = (last.get_attribute("href") or "")[1:]
        last.scroll_into_view_if_needed()
        last.click()
        page.wait_for_function("([id]) => location.hash === '#' + id", arg=[target])
        heading = page.locator(f"[id='{target}']").bounding_box()
        top = bar.bounding_box()
        assert top["y"] == 0, "the row of days left the top of the screen"
        assert heading["y"] >= top["y"] + top["height"] - 1, "the day's heading is hidden under the row of days"
        first = links.first
        first.click()
        page.wait_for_function("([id]) => location.hash === '#' + id", arg=[(first.get_attribute("href") or "")[1:]])
        assert page.evaluate("scrollY") > 0
    finally:
        context.close()
    assert left == []
