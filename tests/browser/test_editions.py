"""The Russian and Kazakh editions in Chromium: search finds words in each language, and the language switch
takes the reader to the same event in the other edition."""

from __future__ import annotations

import pytest

from .kit import Browsing

STATUE = "2022-01-05-nazarbayev-statue-pulled-down-taldykorgan"


def _search(reader: Browsing, edition: str, words: str) -> list[str]:
    page = reader.page
    reader.open(edition)
    page.locator(".md-search__input").press_sequentially(words, delay=20)
    page.locator(".md-search-result__item a.md-search-result__link").first.wait_for()
    return page.eval_on_selector_all(".md-search-result__item a.md-search-result__link", "as => as.map(a => a.href)")


@pytest.mark.parametrize(("edition", "words"), [
    ("ru/", "памятника"),  # the text says "памятник": a longer form, which only Russian stemming can match
    ("kk/", "Талдықорған"),  # the text says "Талдықорғанда": the Russian stemmer and a prefix, the nearest there is
])
def test_search_finds_a_word_in_each_edition(browsing: Browsing, edition: str, words: str) -> None:
    found = _search(browsing, edition, words)
    assert any(f"/{edition}account/" in href and href.endswith(f"#{STATUE}") for href in found), found
    browsing.page.locator(f".md-search-result__item a[href$='#{STATUE}']").first.click()
    browsing.page.wait_for_url(f"**/{edition}account/**#{STATUE}")  # (Material adds ?h=, the words to mark)
    heading = browsing.page.locator(f"[id='{STATUE}']")
    assert heading.is_visible()
    assert browsing.page.evaluate("document.documentElement.lang") == edition.strip("/")


def test_the_language_switch_keeps_the_reader_on_the_same_page(browsing: Browsing) -> None:
    page = browsing.page
    browsing.open("ru/timeline/")
    page.locator(".md-header__option .md-select").hover()
    page.locator("a.md-select__link[hreflang='kk']").click()
    page.wait_for_url("**/kk/timeline/")
    assert page.evaluate("document.documentElement.lang") == "kk"
    assert page.locator("h1").first.inner_text().startswith("Хронология")
    page.locator(".md-header__option .md-select").hover()
    page.locator("a.md-select__link[hreflang='en']").click()
    page.wait_for_url(browsing.base_url + "timeline/")
    assert page.evaluate("document.documentElement.lang") == "en"
