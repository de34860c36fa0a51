"""Following the site's own links in real Chromium: timeline to account, footnotes, sources, keyboard, palette."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from .kit import ARTIFACTS, Browsing, open_context, site_pages
from chromium import ready

pytestmark = pytest.mark.browser


def by_id(page: Any, element_id: str) -> Any:
    return page.locator(f'[id="{element_id}"]')


def in_view(page: Any, element_id: str) -> bool:
    """The element is on screen, below the theme's fixed header rather than hidden under it."""
    return bool(page.evaluate("""id => {
        const box = document.getElementById(id).getBoundingClientRect();
        return box.height > 0 && box.top >= 0 && box.top < window.innerHeight;
    }""", element_id))


def fragment(page: Any) -> str:
    return unquote(urlsplit(page.url).fragment)


def test_timeline_entry_leads_to_its_event(browsing: Browsing) -> None:
    page = browsing.page
    browsing.open("timeline/")
    entries = page.locator("article td a[href*='account/#']:not(.chronicle-status)")
    count = entries.count()
    assert count > 10
    for index in (0, count // 2, count - 1):
        browsing.open("timeline/")
        entry = entries.nth(index)
        title = entry.inner_text().strip()
        target = entry.get_attribute("href").split("#", 1)[1]
        entry.click()
        page.wait_for_url(f"**/account/#{target}")
        heading = by_id(page, target)
        assert heading.evaluate("h => h.tagName") == "H3" and "chronicle-event" in heading.get_attribute("class")
        assert title in heading.inner_text(), (title, heading.inner_text())
        assert in_view(page, target), target


def test_footnote_reference_leads_to_its_note_and_back(browsing: Browsing) -> None:
    page = browsing.page
    browsing.open("account/")
    refs = page.locator("article a.footnote-ref")
    for index in (0, refs.count() // 2):
        ref = refs.nth(index)
        note_id = ref.get_attribute("href").removeprefix("#")
        ref_id = ref.evaluate("a => a.parentElement.id")  # the <sup> that holds the reference
        ref.click()
        page.wait_for_function("id => decodeURIComponent(location.hash.slice(1)) === id", arg=note_id)
        assert in_view(page, note_id)
        note = by_id(page, note_id)
        assert note.evaluate("n => n.tagName") == "LI" and note.locator("a[href^='http']").count() >= 1
        back = note.locator(f'a.footnote-backref[href="#{ref_id}"]')
        assert back.count() == 1, f"note {note_id} has no way back to {ref_id}"
        back.click()
        page.wait_for_function("id => decodeURIComponent(location.hash.slice(1)) === id", arg=ref_id)
        assert in_view(page, ref_id)


SOURCES = """() => [...document.querySelectorAll('article h3[id]')].map(h => {
    let el = h.nextElementSibling, links = [];
    while (el && el.tagName !== 'H3' && el.tagName !== 'H2') {
        if (el.tagName === 'UL') links.push(...[...el.querySelectorAll('a')].map(a => a.getAttribute('href')));
        el = el.nextElementSibling;
    }
    return {key: h.id, links};
})"""

CITES = """([event, key]) => {
    const heading = document.getElementById(event);
    if (!heading || !heading.classList.contains('chronicle-event')) return false;
    return document.getElementById(`fn:${event}--${key}`) !== null;
}"""


def test_sources_back_links_land_on_the_events_that_cite_them(browsing: Browsing) -> None:
    page = browsing.page
    browsing.open("sources/")
    entries = [e for e in page.evaluate(SOURCES) if e["links"]]
    assert len(entries) > 5
    pairs = [(link, e["key"]) for e in entries for link in e["links"]]
    assert all(link.startswith("../account/#") for link, _ in pairs), pairs
    browsing.open("account/")
    wrong = [(link, key) for link, key in pairs if not page.evaluate(CITES, [link.split("#", 1)[1], key])]
    assert wrong == [], f"back-links to events that do not cite the source: {wrong}"
    # Click through a spread of them, as a reader would.
    for link, key in pairs[:: max(1, len(pairs) // 4)]:
        browsing.open("sources/")
        event_id = link.split("#", 1)[1]
        page.locator(f'article ul a[href="{link}"]').first.click()
        page.wait_for_url(f"**/account/#{event_id}")
        assert in_view(page, event_id), (key, event_id)


FOCUSED = """() => {
    const el = document.activeElement;
    return el ? {tag: el.tagName, href: el.getAttribute('href'), id: el.id, name: el.getAttribute('name'),
                 inArticle: !!el.closest('article'), visible: el.getClientRects().length > 0} : null;
}"""


@pytest.mark.parametrize("path", ["timeline/", "places/", "", "methodology/"])
def test_keyboard_reaches_every_link_in_the_content(browsing: Browsing, path: str) -> None:
    page = browsing.page
    browsing.open(path)
    wanted = set(page.evaluate("() => [...document.querySelectorAll('article a[href]')]"
                               ".filter(a => a.getClientRects().length > 0).map(a => a.getAttribute('href'))"))
    page.keyboard.press("Tab")
    first = page.evaluate(FOCUSED)
    assert first["href"] is not None and first["href"].startswith("#"), f"the first Tab stop skips to content: {first}"
    reached, controls = set(), set()
    for _ in range(len(wanted) * 3 + 60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused is None or focused["tag"] == "BODY":
            break
        if focused["inArticle"] and focused["href"] is not None:
            reached.add(focused["href"])
        controls.add(focused["name"] or focused["id"])
        if wanted <= reached and "__palette" in controls and "query" in controls:
            break
    assert wanted - reached == set(), f"{path}: links never reached with Tab"
    assert "__palette" in controls, "the palette toggle is reachable with Tab"
    assert "query" in controls, "the search box is reachable with Tab"


def test_keyboard_follows_a_timeline_entry(browsing: Browsing) -> None:
    page = browsing.page
    browsing.open("timeline/")
    first = page.locator("article td a[href*='account/#']:not(.chronicle-status)").first
    target = first.get_attribute("href").split("#", 1)[1]
    for _ in range(200):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.getAttribute('href')") == first.get_attribute("href"):
            break
    else:
        pytest.fail("Tab never reached the first timeline entry")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/account/#{target}")
    assert in_view(page, target)


def scheme(page: Any) -> str:
    return str(page.locator("body").get_attribute("data-md-color-scheme"))


def background(page: Any) -> str:
    return str(page.evaluate("() => getComputedStyle(document.body).backgroundColor"))


def test_palette_toggle_switches_light_and_dark_and_remembers(browsing: Browsing) -> None:
    page = browsing.page
    browsing.open("account/")
    assert scheme(page) == "default"
    light = background(page)
    page.get_by_title("Switch to dark mode").click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")
    dark = background(page)
    assert dark != light
    browsing.open("timeline/")  # the choice is kept from page to page
    assert scheme(page) == "slate" and background(page) == dark
    page.get_by_title("Switch to light mode").click()
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'default'")
    assert background(page) == light
    # And with the keyboard: focus the toggle, then Enter.
    page.locator("input[name='__palette']:checked").focus()
    page.keyboard.press("Enter")
    page.wait_for_function("() => document.body.dataset.mdColorScheme === 'slate'")


def test_dark_preference_opens_in_dark_mode(browser: Any, base_url: str) -> None:
    context, requests = open_context(browser, base_url, color_scheme="dark")
    try:
        page = context.new_page()
        page.goto(base_url + "account/")
        assert scheme(page) == "slate"
    finally:
        context.close()
    assert requests.outside == []


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_screenshots_of_account_and_timeline(browser: Any, base_url: str, color_scheme: str) -> None:
    context, requests = open_context(browser, base_url, color_scheme=color_scheme)
    ARTIFACTS.mkdir(exist_ok=True)
    try:
        page = context.new_page()
        for name in ("account", "timeline"):
            page.goto(f"{base_url}{name}/", wait_until="load")
            ready(page)
            assert scheme(page) == ("slate" if color_scheme == "dark" else "default")
            out = ARTIFACTS / f"{name}-{color_scheme}.png"
            page.screenshot(path=str(out))
            assert out.stat().st_size > 10_000, out
    finally:
        context.close()
    assert requests.outside == []


@pytest.mark.parametrize("color_scheme", ["light", "dark"])
def test_no_request_leaves_the_local_server(browser: Any, built_site: Path, base_url: str, color_scheme: str) -> None:
    context, requests = open_context(browser, base_url, color_scheme=color_scheme)
    try:
        page = context.new_page()
        for path in site_pages(built_site):
            page.goto(base_url + path, wait_until="load")
            ready(page)
        page.goto(base_url + "account/", wait_until="load")
        page.keyboard.press("/")  # open the search, which loads its worker and the index
        page.locator("input[name='query']").press_sequentially("airport", delay=20)
        page.locator(".md-search-result__item").first.wait_for()
        ready(page)
    finally:
        context.close()
    assert requests.outside == [], f"requests left the local server: {requests.outside}"
    paths = {urlsplit(url).path for url in requests.local}
    assert any(p.endswith(".css") for p in paths) and any(p.endswith(".js") for p in paths)
    assert "/search/search_index.json" in paths, sorted(paths)
