"""The three editions (English, Russian, Kazakh), built as `make build` builds them and read back as a reader sees
them: every event in its language, the interface and dates in that language, the language switch linking each
page to the same page in the other editions (on the site and in the file:// layout), and the notices that say a
translation is missing or older than the English."""

from __future__ import annotations

import posixpath
import re
import shutil
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from chronicle import load_chronicle
from chronicle.editions import LANGUAGES, WORDS, long_date
from chronicle.translations import english_hash

from conftest import ROOT

pytestmark = pytest.mark.build

EDITIONS = {"en": "mkdocs.yml", "ru": "mkdocs.ru.yml", "kk": "mkdocs.kk.yml"}


def copy_project(target: Path) -> Path:
    """The real project in a folder of its own, to edit and build."""
    for name in ("events", "docs", "overrides"):
        shutil.copytree(ROOT / name, target / name)
    for config in EDITIONS.values():
        shutil.copy(ROOT / config, target / config)
    return target


def build_editions(project: Path, site: Path, languages: tuple[str, ...] = LANGUAGES, **overrides: object) -> Path:
    """`make build`: the English into `site`, then each other edition into `site/<language>`."""
    for language in languages:
        out = site if language == "en" else site / language
        build(load_config(str(project / EDITIONS[language]), site_dir=str(out), strict=True, **overrides))
    return site


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def resolve(page: Path, href: str, directory_urls: bool = True) -> Path:
    """The file a relative link on `page` opens (a folder's index.html on the site)."""
    target = Path(posixpath.normpath((page.parent / href.split("#")[0]).as_posix()))
    return target / "index.html" if directory_urls and (href.split("#")[0].endswith("/") or target.is_dir()) else target


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_editions(ROOT, tmp_path_factory.mktemp("editions"))


def test_every_edition_has_every_event_in_order_in_its_language(site: Path) -> None:
    chronicle = load_chronicle(ROOT / "events")
    english = [e.id for e in chronicle.events]
    for language in ("ru", "kk"):
        soup = soup_of(site / language / "account" / "index.html")
        assert soup.html["lang"] == language
        headings = soup.select("h3.chronicle-event")
        assert [h["id"] for h in headings] == english
        for heading, event in zip(headings, chronicle.events, strict=True):
            translated = chronicle.translations[language][event.id]
            assert translated.translates == english_hash(event), f"{translated.path} is out of date"
            assert heading.get_text(" ", strip=True).removesuffix("¶").strip().endswith(translated.title)
        # Each event's notes stay beside it, numbered as in the English.
        assert len(soup.select("a.footnote-ref")) == len(soup_of(site / "account" / "index.html")
                                                        .select("a.footnote-ref"))
        assert not soup.select(".chronicle-outdated, .chronicle-untranslated")


def test_the_interface_dates_and_labels_are_in_each_language(site: Path) -> None:
    chronicle = load_chronicle(ROOT / "events")
    first_day = chronicle.events[0].date
    for language in LANGUAGES:
        words = WORDS[language]
        root = site if language == "en" else site / language
        account = soup_of(root / "account" / "index.html")
        assert account.select_one(".md-search__input")["placeholder"] == {"en": "Search", "ru": "Поиск",
                                                                          "kk": "Іздеу"}[language]
        day = account.find(id=f"day-{first_day.isoformat()}")
        assert day.get_text(" ", strip=True).removesuffix("¶").strip() == long_date(first_day, language)
        badges = {a.get_text(strip=True) for a in account.select("a.chronicle-status")}
        assert badges == set(words.status_labels.values())
        assert account.find(id="status-legend").get_text(" ", strip=True).startswith(words.legend_heading)
        timeline = soup_of(root / "timeline" / "index.html")
        assert timeline.h1.get_text(" ", strip=True).removesuffix("¶").strip() == words.timeline_title
    assert soup_of(site / "kk" / "index.html").html["lang"] == "kk"


def test_hand_written_pages_are_read_from_their_translation_with_the_same_anchors(site: Path) -> None:
    for language in ("ru", "kk"):
        page = soup_of(site / language / "methodology" / "index.html")
        source = (ROOT / "docs" / language / "methodology.md").read_text(encoding="utf-8")
        title = re.match(r"# (.+?) \{#methodology\}", source)
        assert title is not None
        assert page.h1["id"] == "methodology"
        assert page.h1.get_text(" ", strip=True).removesuffix("¶").strip() == title[1]
        english_ids = [h["id"] for h in soup_of(site / "methodology" / "index.html").select("h2")]
        assert [h["id"] for h in page.select("h2")] == english_ids
        edit = page.select_one("a.md-content__button[href*='edit']")
        assert edit is not None and edit["href"].endswith(f"docs/{language}/methodology.md")
    # The language folders are never pages of their own.
    assert not (site / "ru" / "ru").exists() and not (site / "kk").joinpath("kk").exists()
    assert not (site / "ru" / "kk").exists()


def _switch_links(site: Path, directory_urls: bool) -> int:
    """Follow every language-switch link of every page of every edition; return how many were followed."""
    followed = 0
    for language in LANGUAGES:
        root = site if language == "en" else site / language
        pages = [p for p in root.rglob("*.html") if p.relative_to(root).parts[0] not in ("ru", "kk", "assets")
                 and p.name != "404.html"]  # (served at any address: its links are absolute, see the 404 test)
        assert pages
        for page in pages:
            links = soup_of(page).select("a.md-select__link")
            assert [a["hreflang"] for a in links] == list(LANGUAGES), page
            for link in links:
                target = resolve(page, link["href"], directory_urls)
                assert target.is_file(), f"{page}: {link['href']}"
                assert soup_of(target).html["lang"] == link["hreflang"]
                other = site if link["hreflang"] == "en" else site / link["hreflang"]
                assert target.relative_to(other) == page.relative_to(root), f"{page}: {link['href']}"
                followed += 1
    return followed


# Every page of the site: the English nav's (every edition has the same pages).
NAV = [next(iter(entry.values())) for entry in
       yaml.load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"), Loader=yaml.BaseLoader)["nav"]]


def test_the_language_switch_opens_the_same_page_in_each_edition(site: Path) -> None:
    pages = len([p for p in site.glob("*/index.html") if p.parent.name not in LANGUAGES]) + 1  # (and the home)
    assert pages == len(NAV)
    assert _switch_links(site, directory_urls=True) == len(LANGUAGES) ** 2 * pages


def test_the_not_found_page_links_each_edition_home(site: Path) -> None:
    links = soup_of(site / "404.html").select("a.md-select__link")
    assert [a["href"] for a in links] == ["/", "/ru/", "/kk/"]
    # (the server answers every missing address with the root's 404.html, the English one: the others' are unused)


def test_the_language_switch_works_in_the_file_layout(tmp_path: Path) -> None:
    """Offline (file://), pages are `page.html` files: the same relative links must open them."""
    site = build_editions(ROOT, tmp_path / "site", use_directory_urls=False)
    assert _switch_links(site, directory_urls=False) == len(LANGUAGES) ** 2 * len(NAV)


def test_an_english_edit_marks_both_translations_out_of_date(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    chronicle = load_chronicle(project / "events")
    event = chronicle.events[len(chronicle.events) // 2]
    text = event.path.read_text(encoding="utf-8")
    edited = project / "events" / event.path.name
    edited.write_text(text.replace(event.body.text.strip().split("\n")[0],
                                   event.body.text.strip().split("\n")[0] + " One more clause.", 1), encoding="utf-8")
    again = load_chronicle(project / "events")
    stale = [n for n in again.notices if n.code == "translation"]
    assert {n.path.parent.name for n in stale} == {"ru", "kk"} and all(n.path.name == edited.name for n in stale)
    site = build_editions(project, tmp_path / "site")
    for language in ("ru", "kk"):
        page = site / language / "account" / "index.html"
        soup = soup_of(page)
        notices = soup.select("div.chronicle-outdated")
        assert len(notices) == 1
        section = notices[0].find_previous("h3")
        assert section["id"] == event.id
        link = notices[0].find("a")
        target = resolve(page, link["href"])
        assert target == site / "account" / "index.html" and link["href"].endswith(f"#{event.id}")
        assert soup_of(target).find(id=event.id) is not None
        assert WORDS[language].outdated_title in notices[0].get_text()


def test_a_missing_translation_shows_the_english_with_a_notice(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    chronicle = load_chronicle(project / "events")
    event = chronicle.events[3]
    (project / "events" / "kk" / event.path.name).unlink()
    (project / "docs" / "kk" / "reuse.md").unlink()
    site = build_editions(project, tmp_path / "site", languages=("en", "kk"))
    soup = soup_of(site / "kk" / "account" / "index.html")
    assert [h["id"] for h in soup.select("h3.chronicle-event")] == [e.id for e in chronicle.events]
    heading = soup.find(id=event.id)
    assert event.title in heading.get_text()
    notice = heading.find_next("div", class_="admonition")
    assert "chronicle-untranslated" in notice["class"]
    assert len(soup.select("div.chronicle-untranslated")) == 1
    reuse = soup_of(site / "kk" / "reuse" / "index.html")
    assert reuse.html["lang"] == "kk"
    assert reuse.select_one("div.chronicle-untranslated") is not None
    assert reuse.h1.get_text(" ", strip=True).startswith("Reuse the data")


def test_a_translation_is_read_against_the_allow_list_and_blamed_on_its_file(tmp_path: Path) -> None:
    from mkdocs.utils.yaml import yaml_load

    from chronicle.render import pages_from
    from chronicle.verify import check_published, markdown_settings

    project = copy_project(tmp_path / "project")
    chronicle = load_chronicle(project / "events")
    event = chronicle.events[5]
    translation = project / "events" / "ru" / event.path.name
    text = translation.read_text(encoding="utf-8")
    cited = chronicle.cites(event)[0]  # (a paragraph of its own, cited: the text's checks pass, the page's do not)
    translation.write_text(text + f'\nТекст.[^{cited}] <img src="https://example.org/x.png" onerror="alert(1)">\n',
                           encoding="utf-8")
    chronicle = load_chronicle(project / "events")
    with (project / "mkdocs.yml").open(encoding="utf-8") as handle:
        config = yaml_load(handle)
    extensions, configs = markdown_settings(config["markdown_extensions"])
    problems = check_published(chronicle, pages_from(config["plugins"]["chronicle"]), project / "events",
                               project / "docs", extensions, configs)
    assert problems and {p.path for p in problems} == {translation}
