"""What a reader sees, at desktop (1280 px) and phone (390 px) widths: notes beside their marks, marks apart,
status badges, a legible map, a timeline that fits, search that lands where the words are."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from chronicle import Settings, load_chronicle
from chronicle.schema import STATUS_LABELS

from .kit import ARTIFACTS, ROOT, Browsing, open_context

pytestmark = pytest.mark.browser

WIDTHS = {"desktop": (1280, 900), "phone": (390, 844)}


@pytest.fixture(params=list(WIDTHS))
def reader(request: pytest.FixtureRequest, browser: Any, base_url: str) -> Iterator[Browsing]:
    """A page at one of the two widths; at the end no request may have left the local server."""
    width, height = WIDTHS[request.param]
    context, requests = open_context(browser, base_url)
    page = context.new_page()
    page.set_viewport_size({"width": width, "height": height})
    try:
        yield Browsing(page, base_url, requests)
    finally:
        context.close()
    assert requests.outside == [], f"requests left the local server: {requests.outside}"


def test_every_note_is_within_one_screen_of_its_mark(reader: Browsing) -> None:
    reader.open("account/")
    distances = reader.page.evaluate("""() => [...document.querySelectorAll('article a.footnote-ref')].map(a => {
        const note = document.getElementById(decodeURIComponent(a.hash.slice(1)));
        const mark = a.getBoundingClientRect().top + scrollY, text = note.getBoundingClientRect().top + scrollY;
        return [a.hash, text - mark];
    })""")
    screen = reader.page.viewport_size["height"]
    assert len(distances) > 100
    # The note follows its mark within one screen (the event's own list, given out part way in a long event); a
    # source cited again further on points back up, as far, to the note it already has in that event.
    far = [(note, round(d)) for note, d in distances if not abs(d) <= screen]
    assert far == [], f"{len(far)} of {len(distances)} notes are more than a screen from their mark: {far[:5]}"


def test_marks_that_touch_are_set_apart(reader: Browsing) -> None:
    reader.open("account/")
    pairs = reader.page.evaluate("""() => {
        const out = [];
        for (const sup of document.querySelectorAll('article sup[id^="fnref"]')) {
            const next = sup.nextSibling;
            if (next && next.nodeType === 1 && next.matches('sup[id^="fnref"]'))
                out.push([sup.textContent, next.textContent,
                          next.getBoundingClientRect().left - sup.querySelector('a').getBoundingClientRect().right]);
        }
        return out;
    }""")
    assert pairs, "the account has marks side by side (several sources for one sentence)"
    for first, second, gap in pairs:
        assert first.endswith(",") and second[0].isdigit(), (first, second)
        assert gap >= 2, (first, second, gap)  # the comma stands between them on screen


def test_every_event_shows_its_status_as_a_named_badge(reader: Browsing) -> None:
    reader.open("account/")
    badges = reader.page.evaluate("""() => [...document.querySelectorAll('h3.chronicle-event')].map(h => {
        let meta = h.nextElementSibling;
        const badge = meta && meta.querySelector('a.chronicle-status');
        if (!badge) return [h.id, null];
        const box = badge.getBoundingClientRect(), style = getComputedStyle(badge);
        return [h.id, badge.textContent.trim(), box.width > 20 && box.height > 10 && style.visibility === 'visible',
                badge.hash, style.borderLeftColor];
    })""")
    chronicle = load_chronicle(ROOT / "events", Settings())
    expected = {e.id: STATUS_LABELS[e.status] for e in chronicle.events}
    assert {b[0]: b[1] for b in badges} == expected
    assert all(b[2] for b in badges), [b for b in badges if not b[2]][:3]
    assert {b[3] for b in badges} == {"#status-legend"}
    # Different statuses look different, and the word says which: not a colour alone.
    colours = {b[1]: b[4] for b in badges}
    assert len(set(colours.values())) == len(colours)
    legend = reader.page.locator("#status-legend")
    assert legend.count() == 1
    reader.page.locator("a.chronicle-status").first.click()
    reader.page.wait_for_function("() => location.hash === '#status-legend'")


def test_the_map_shows_every_place_with_coordinates_in_legible_type(reader: Browsing) -> None:
    reader.open("places/")
    chronicle = load_chronicle(ROOT / "events", Settings())
    found = reader.page.evaluate("""() => {
        const view = document.getElementById('map-all');
        const shown = getComputedStyle(view).display !== 'none';
        const listed = [...view.querySelectorAll('ol.chronicle-map-legend a')]
            .map(a => a.getAttribute('href').slice(1));
        const country = [...document.querySelectorAll('.chronicle-maps > figure:not(.chronicle-map-view) ol a')]
            .map(a => a.getAttribute('href').slice(1));
        const sizes = [...document.querySelectorAll(
                '#map-all svg text, .chronicle-maps > figure:not(.chronicle-map-view) svg text')]
            .map(t => t.getBoundingClientRect().height);
        return {shown, listed, country, sizes};
    }""")
    located = {p.key for p in chronicle.places.values() if p.coordinates}
    assert found["shown"]
    assert set(found["listed"]) | set(found["country"]) == located
    # A label's box is its font's full height: 12 px type gives a box of about 14 px.
    assert found["sizes"] and min(found["sizes"]) >= 12, sorted(found["sizes"])[:3]


def test_a_day_chosen_on_the_map_shows_that_days_places_and_events(reader: Browsing) -> None:
    reader.open("places/")
    page = reader.page
    link = page.locator(".chronicle-map-days a[href='#map-2022-01-05']")
    link.click()
    page.wait_for_function("() => location.hash === '#map-2022-01-05'")
    shown = page.evaluate("""() => [...document.querySelectorAll('.chronicle-map-view')]
        .filter(v => getComputedStyle(v).display !== 'none').map(v => v.id)""")
    assert shown == ["map-2022-01-05"]
    chronicle = load_chronicle(ROOT / "events", Settings())
    titles = [e.title for e in chronicle.events
              if e.date.isoformat() == "2022-01-05" and chronicle.places[e.place].coordinates
              and chronicle.places[e.place].scope == "city"]
    listed = page.locator("#map-2022-01-05 ol.chronicle-map-legend").inner_text()
    assert titles and all(title in listed for title in titles)


def test_the_timeline_fits_the_screen_with_the_same_columns_every_day(reader: Browsing) -> None:
    reader.open("timeline/")
    found = reader.page.evaluate("""() => {
        const tables = [...document.querySelectorAll('article table')];
        const rightmost = Math.max(...tables.flatMap(t => [...t.querySelectorAll('td')].map(
            td => td.getBoundingClientRect().right)));
        const columns = tables.map(t => [...t.querySelectorAll('tbody tr:first-child td')].map(
            td => Math.round(td.getBoundingClientRect().left)));
        const statuses = [...document.querySelectorAll('article td a.chronicle-status')].map(a => {
            const box = a.getBoundingClientRect(); return box.right;});
        return {rightmost, columns, statuses, width: document.documentElement.clientWidth,
                scroll: document.documentElement.scrollWidth};
    }""")
    assert found["scroll"] <= found["width"], "the page scrolls sideways"
    assert max(found["statuses"]) <= found["width"], "a status is cut off"
    assert found["rightmost"] <= found["width"] + 1
    if reader.page.viewport_size["width"] >= 960:  # (on a phone each row is a block: there are no columns)
        assert len({tuple(c) for c in found["columns"]}) == 1, "columns shift from one day to the next"


def test_a_search_lands_on_the_matching_event_and_highlights_it(reader: Browsing, artifacts: Path) -> None:
    page = reader.page
    reader.open("")
    if page.viewport_size["width"] < 960:
        page.locator("label[for='__search']").first.click()
    page.locator(".md-search__input").press_sequentially("Taldykorgan", delay=20)
    first = page.locator(".md-search-result__item a.md-search-result__link").first
    first.wait_for()
    first.click()
    page.wait_for_url("**/account/**#2022-01-05-nazarbayev-statue-pulled-down-taldykorgan")
    page.wait_for_function("() => document.querySelectorAll('article mark').length > 0")
    marked = page.evaluate("""() => [...document.querySelectorAll('article mark')].map(m => {
        const box = m.getBoundingClientRect(); return [m.textContent, box.top >= 0 && box.top < innerHeight];})""")
    assert any(text.lower().startswith("taldykorgan") and visible for text, visible in marked), marked
    page.screenshot(path=str(artifacts / f"search-landing-{page.viewport_size['width']}.png"))


def test_screenshots_at_both_widths(reader: Browsing, artifacts: Path) -> None:
    width = reader.page.viewport_size["width"]
    for path, name in (("account/#2022-01-05-crowd-storms-akimat", "account-event"), ("places/", "places"),
                       ("timeline/", "timeline")):
        reader.open(path)
        reader.page.screenshot(path=str(ARTIFACTS / f"reading-{name}-{width}.png"))
        assert (ARTIFACTS / f"reading-{name}-{width}.png").stat().st_size > 5000


def test_a_notes_tooltip_still_shows_its_text(browsing: Browsing) -> None:
    """Material's footnote tooltips find the note by id, wherever its list stands."""
    page = browsing.page
    browsing.open("account/#2022-01-05-crowd-storms-akimat")
    mark = page.locator("[id='2022-01-05-crowd-storms-akimat'] ~ p a.footnote-ref").first
    note_id = mark.get_attribute("href")[1:]
    note_text = page.locator(f"[id='{note_id}']").inner_text().strip()[:30]
    mark.hover()
    tooltip = page.locator(".md-tooltip2--active, .md-tooltip2")
    tooltip.first.wait_for(state="visible", timeout=5000)
    assert note_text[:20] in tooltip.first.inner_text()


def test_a_notes_supporting_passage_is_folded_until_the_reader_opens_it(reader: Browsing) -> None:
    """One line under the note, "The source's words (Russian)"; opened, the quotation in its language, then the
    English and where it stands in the source."""
    reader.open("account/#2022-01-05-crowd-storms-akimat")
    page = reader.page
    passage = page.locator("[id^='fn:2022-01-05-crowd-storms-akimat--'] details.chronicle-passage").first
    words = passage.locator("blockquote p[lang]")
    assert passage.locator("summary").inner_text().startswith("The source's words (")
    assert not words.is_visible(), "folded until opened"
    passage.locator("summary").click()
    words.wait_for(state="visible", timeout=5000)
    assert words.get_attribute("lang") in ("en", "ru", "kk")
    assert passage.get_by_text("Where in the source:").is_visible()
