"""The editions' words, dates and links, without a site build: every edition says everything the English says,
dates follow each language's rules, and translated titles and names reach the edition they are for."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from chronicle import ChronicleError, load_chronicle
from chronicle.editions import LANGUAGES, WORDS, Words, day_short, edition_docs, long_date, short_date
from chronicle.render import Pages, english_href, render_pages, source_note

from conftest import SOURCES, Writer, event

DAY = dt.date(2022, 1, 4)


@pytest.mark.parametrize("language", LANGUAGES[1:])
def test_each_edition_names_what_the_english_names(language: str) -> None:
    english, other = WORDS["en"], WORDS[language]
    for field in dataclasses.fields(Words):
        mine, theirs = getattr(english, field.name), getattr(other, field.name)
        if isinstance(mine, dict):
            assert set(theirs) == set(mine), field.name
        elif isinstance(mine, str) and "{" in mine:  # the same places to fill in
            assert sorted(part.split("}")[0] for part in theirs.split("{")[1:]) == sorted(
                part.split("}")[0] for part in mine.split("{")[1:]), field.name


def test_dates_in_each_language() -> None:
    assert long_date(DAY, "en") == "Tuesday, 4 January 2022"
    assert long_date(DAY, "ru") == "вторник, 4 января 2022 г."
    assert long_date(DAY, "kk") == "2022 жылғы 4 қаңтар, сейсенбі"
    assert short_date(DAY, "ru") == "4 января 2022 г."
    assert day_short(DAY, "en") == "Tue 4 Jan" and day_short(DAY, "kk") == "4 қаң., сс"


def test_the_english_version_link_leaves_the_edition_in_the_sites_url_style() -> None:
    chronicle_event = type("E", (), {"id": "2022-01-05-x", "date": DAY})()
    pages = Pages(language="ru")
    assert english_href(pages, "account.md", chronicle_event) == "../../account/#2022-01-05-x"  # type: ignore[arg-type]
    files = Pages(language="ru", directory_urls=False)
    assert english_href(files, "account.md", chronicle_event) == "../account.html#2022-01-05-x"  # type: ignore[arg-type]
    split = Pages(language="kk", by_day=True)
    assert english_href(split, "account/2022-01-04.md", chronicle_event) == (  # type: ignore[arg-type]
        "../../../account/2022-01-04/#2022-01-05-x")


def test_a_translated_title_shows_beside_the_original_in_its_edition(events_dir: Writer) -> None:
    sources = SOURCES.replace("  title: First report\n", "  title: First report\n  title_ru: Первое сообщение\n")
    chronicle = load_chronicle(events_dir({"2022-01-04-1800-a.md": event()}, sources=sources))
    source = chronicle.sources["alpha-2022-01-05"]
    assert "\\[“Первое сообщение”\\]" in source_note(source, "sources.md#alpha-2022-01-05", "ru")
    assert "Первое" not in source_note(source, "sources.md#alpha-2022-01-05", "en")
    page = render_pages(chronicle, Pages(language="ru"))["sources.md"]
    assert "*Первое сообщение*" in page


def test_a_title_in_the_sources_own_language_is_refused(events_dir: Writer) -> None:
    sources = SOURCES.replace("  title: First report\n", "  title: First report\n  title_en: Again\n")
    with pytest.raises(ChronicleError) as raised:
        load_chronicle(events_dir({"2022-01-04-1800-a.md": event()}, sources=sources))
    assert any("remove 'title_en'" in p.message for p in raised.value.problems)


def test_an_editions_pages_come_from_its_folder_and_the_folders_are_never_pages(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for name in ("index.md", "methodology.md", "ru/index.md", "kk/methodology.md", "ru/extra.md", "style.css"):
        (docs / name).parent.mkdir(parents=True, exist_ok=True)
        (docs / name).write_text("# x\n", encoding="utf-8")
    files = sorted(p for p in docs.rglob("*") if p.is_file())
    russian = edition_docs(docs, files, "ru")
    assert russian.translated == {"index.md": docs / "ru" / "index.md"}
    assert russian.untranslated == ("methodology.md",)
    assert russian.hidden == ("kk/methodology.md", "ru/extra.md", "ru/index.md")
    english = edition_docs(docs, files, "en")
    assert english.translated == {} and english.untranslated == () and english.hidden == russian.hidden


def test_a_translated_page_with_no_english_page_is_refused(tmp_path: Path) -> None:
    from chronicle.editions import orphan_problems

    docs = tmp_path / "docs"
    (docs / "ru").mkdir(parents=True)
    (docs / "index.md").write_text("# x\n", encoding="utf-8")
    (docs / "ru" / "index.md").write_text("# x\n", encoding="utf-8")
    (docs / "ru" / "about.md").write_text("# x\n", encoding="utf-8")
    files = sorted(p for p in docs.rglob("*") if p.is_file())
    problems = orphan_problems(edition_docs(docs, files, "en"), docs)
    assert [(p.path, p.code) for p in problems] == [(docs / "ru" / "about.md", "translation")]
    assert "no English page 'about.md'" in problems[0].message
