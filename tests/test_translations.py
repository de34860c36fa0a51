"""Translations beside each event (events/ru/, events/kk/): same citations, and out of date when the English
changes."""

from __future__ import annotations

from pathlib import Path

import pytest

from chronicle import load_chronicle
from chronicle.problems import ChronicleError
from chronicle.translations import english_hash

from conftest import Writer, event

ENGLISH = event("Police use tear gas", body="Police used tear gas.[^alpha-2022-01-05]")


def _translation(translates: str, body: str = "Полиция применила слезоточивый газ.[^alpha-2022-01-05]",
                 title: str = "Полиция применяет слезоточивый газ") -> str:
    return (f"---\ntitle: {title}\ntranslates: \"{translates}\"\ntranslated_by: [A. Translator]\n---\n{body}\n")


def _english(folder: Path) -> str:
    return english_hash(next(e for e in load_chronicle(folder).events if e.id == "2022-01-04-1800-x"))


def test_a_translation_of_the_current_english_is_loaded_beside_its_event(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-x.md": ENGLISH})
    digest = _english(folder)
    (folder / "ru").mkdir()
    (folder / "ru" / "2022-01-04-1800-x.md").write_text(_translation(digest), encoding="utf-8")
    chronicle = load_chronicle(folder)
    assert [e.id for e in chronicle.events] == ["2022-01-04-1800-x"], "a translation is not an event of its own"
    translation = chronicle.translations["ru"]["2022-01-04-1800-x"]
    assert translation.title == "Полиция применяет слезоточивый газ" and translation.translated_by == ("A. Translator",)
    assert not [n for n in chronicle.notices if n.code == "translation"]


def test_an_english_edit_makes_the_translation_out_of_date(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-x.md": ENGLISH})
    old = _english(folder)
    (folder / "kk").mkdir()
    (folder / "kk" / "2022-01-04-1800-x.md").write_text(_translation(old), encoding="utf-8")
    (folder / "2022-01-04-1800-x.md").write_text(ENGLISH.replace("used tear gas", "fired tear gas"), encoding="utf-8")
    chronicle = load_chronicle(folder)
    stale = [n for n in chronicle.notices if n.code == "translation"]
    assert len(stale) == 1 and stale[0].warning and str(stale[0]).endswith(
        f"kk/2022-01-04-1800-x.md:3: warning: the English of '2022-01-04-1800-x' has changed since this was "
        f"translated: update the translation, then set 'translates: \"{_english(folder)}\"'")
    assert _english(folder) != old


@pytest.mark.parametrize("name, text, message", [
    ("2022-01-04-1800-x.md", _translation("a" * 64, body="Полиция.[^alpha-2022-01-05] Ещё.[^beta-2022-01-06]"),
     "cites what the English does not: beta-2022-01-06"),
    ("2022-01-04-1800-x.md", _translation("a" * 64, body="Полиция применила газ."),
     "leaves out citations the English has: alpha-2022-01-05"),
    ("2022-01-04-1900-nothing.md", _translation("a" * 64), "no English event '2022-01-04-1900-nothing'"),
    ("2022-01-04-1800-x.md", _translation("abc"), "'translates' must be 64 lower-case hexadecimal digits"),
])
def test_a_translation_that_does_not_hold_is_refused(events_dir: Writer, name: str, text: str, message: str) -> None:
    folder = events_dir({"2022-01-04-1800-x.md": ENGLISH})
    (folder / "ru").mkdir()
    (folder / "ru" / name).write_text(text, encoding="utf-8")
    with pytest.raises(ChronicleError) as raised:
        load_chronicle(folder)
    problems = [str(p) for p in raised.value.problems]
    assert len(problems) == 1 and message in problems[0] and f"ru/{name}:" in problems[0], problems


def test_the_data_carry_each_translation_and_whether_it_is_out_of_date(events_dir: Writer) -> None:
    import json

    from chronicle.data import render_data

    folder = events_dir({"2022-01-04-1800-x.md": ENGLISH})
    (folder / "ru").mkdir()
    (folder / "ru" / "2022-01-04-1800-x.md").write_text(_translation(_english(folder)), encoding="utf-8")
    record = json.loads(render_data(load_chronicle(folder), "account/")["events.json"])["events"][0]
    assert record["translations"] == {"ru": {
        "title": "Полиция применяет слезоточивый газ", "text": "Полиция применила слезоточивый газ.[^alpha-2022-01-05]",
        "translated_by": ["A. Translator"], "reviewed_by": [], "outdated": False}}


PASSAGES = ('passages:\n  - source: alpha-2022-01-05\n    quote: "Police fired tear gas."\n    quote_lang: en\n'
            '    locator: paragraph 2')


def test_a_passage_shows_its_translation_in_the_edition_beside_the_original(events_dir: Writer) -> None:
    from chronicle.render import Pages, render_pages

    folder = events_dir({"2022-01-04-1800-x.md": ENGLISH.replace("status: reported\n", "status: reported\n"
                                                                   + PASSAGES + "\n")})
    (folder / "ru").mkdir()
    text = _translation(_english(folder)).replace("translated_by:", "passages: [\"Полиция применила газ.\"]\n"
                                                                     "translated_by:")
    (folder / "ru" / "2022-01-04-1800-x.md").write_text(text, encoding="utf-8")
    chronicle = load_chronicle(folder)
    russian = render_pages(chronicle, Pages(language="ru"))["account.md"]
    assert "> Police fired tear gas." in russian and "Перевод: Полиция применила газ." in russian
    assert "Перевод:" not in render_pages(chronicle, Pages(language="kk"))["account.md"]  # (no Kazakh one)
    # One more English passage than translations: the English translation stands in, and the check says so.
    (folder / "2022-01-04-1800-x.md").write_text(ENGLISH.replace("status: reported\n", "status: reported\n" + PASSAGES
                                                 + '\n  - source: alpha-2022-01-05\n    quote: "Again."\n'
                                                   "    quote_lang: en\n    locator: paragraph 3\n"),
                                                 encoding="utf-8")
    chronicle = load_chronicle(folder)
    notices = [n.message for n in chronicle.notices if n.code == "translation"]
    assert any("has 1 passage translation(s), but the English has 2" in m for m in notices)
    assert "Перевод:" not in render_pages(chronicle, Pages(language="ru"))["account.md"]


@pytest.mark.parametrize(("body", "message"), [
    ("Протестующие были вооружены.[^beta-2022-01-06]\n\n[^beta-2022-01-06]: ignored",
     "[^beta-2022-01-06] is a source key"),  # a note defined under a source key, to slip a citation in
    ("Полиция применила газ.[^alpha-2022-01-05]\n\nВсе это подтвердили.", "paragraph has no source citation"),
    ("    Английская версия ошибочна.[^alpha-2022-01-05]", "the text starts indented"),
])
def test_a_translations_text_is_checked_as_the_english_is(events_dir: Writer, body: str, message: str) -> None:
    folder = events_dir({"2022-01-04-1800-x.md": ENGLISH})
    (folder / "ru").mkdir()
    path = folder / "ru" / "2022-01-04-1800-x.md"
    path.write_text(_translation(_english(folder), body=body), encoding="utf-8")
    with pytest.raises(ChronicleError) as raised:
        load_chronicle(folder)
    found = [p for p in raised.value.problems if message in p.message]
    assert found and all(p.path == path for p in found), raised.value.problems


def test_a_translation_in_a_subfolder_or_with_another_suffix_is_refused(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-x.md": ENGLISH})
    digest = _english(folder)
    (folder / "ru" / "sub").mkdir(parents=True)
    (folder / "ru" / "sub" / "2022-01-04-1800-x.md").write_text(_translation(digest), encoding="utf-8")
    (folder / "ru" / "2022-01-04-1800-x.MD").write_text(_translation(digest), encoding="utf-8")
    with pytest.raises(ChronicleError) as raised:
        load_chronicle(folder)
    assert sorted(p.path.relative_to(folder).as_posix() for p in raised.value.problems) == [
        "ru/2022-01-04-1800-x.MD", "ru/sub/2022-01-04-1800-x.md"]


def test_a_changed_quote_marks_the_translation_out_of_date_and_hides_its_passages(events_dir: Writer) -> None:
    from chronicle.render import Pages, render_pages

    english = ENGLISH.replace("status: reported\n", "status: reported\n" + PASSAGES + "\n")
    folder = events_dir({"2022-01-04-1800-x.md": english})
    (folder / "ru").mkdir()
    text = _translation(_english(folder)).replace("translated_by:", "passages: [\"Полиция применила газ.\"]\n"
                                                                     "translated_by:")
    (folder / "ru" / "2022-01-04-1800-x.md").write_text(text, encoding="utf-8")
    (folder / "2022-01-04-1800-x.md").write_text(english.replace("Police fired tear gas.", "Police opened fire."),
                                                 encoding="utf-8")
    chronicle = load_chronicle(folder)
    assert any(n.code == "translation" and "has changed since" in n.message for n in chronicle.notices)
    russian = render_pages(chronicle, Pages(language="ru"))["account.md"]
    assert "> Police opened fire." in russian and "Перевод:" not in russian and "chronicle-outdated" in russian
