"""The EPUB of `chronicle export`: valid for EPUBCheck, the whole account in order with pop-up notes beside each
event, a contents that resolves, rendered Markdown, an embedded font that covers the text, the same bytes twice,
and real Chromium following a note and its source offline.

The books are written here from the real site (`build_offline_site`, then `write_epub`) rather than taken from
the `exported` fixture, so that these tests do not wait for the rest of the export.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import unicodedata
import xml.etree.ElementTree as etree
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chronicle.chronicle import Chronicle, load_chronicle, settings_from
from chronicle.editions import words
from chronicle.epub import FONTS, write_epub
from chronicle.export import SHIM_PACKAGE, SHIM_SOURCE, build_offline_site, manuscript
from chronicle.render import section_id

from .conftest import EPOCH, ROOT, Offline
from chromium import ready, unavailable

XHTML = "{http://www.w3.org/1999/xhtml}"
OPS = "{http://www.idpf.org/2007/ops}"
OPF = "{http://www.idpf.org/2007/opf}"
DC = "{http://purl.org/dc/elements/1.1/}"
EPUB_TYPE = OPS + "type"


@dataclass
class Book:
    """One EPUB as written (and written again, from the same config), and what it was written from: read when it
    was written, since MkDocs keeps one plugin instance per process, which the next build configures anew."""

    path: Path
    again: Path
    config: Any
    language: str
    chronicle: Chronicle
    pages: list[str]  # the single file's pages, in order

    def files(self) -> dict[str, bytes]:
        with zipfile.ZipFile(self.path) as archive:
            return {name: archive.read(name) for name in archive.namelist()}

    def spine(self) -> list[str]:
        """The documents in reading order, as names in the zip."""
        opf = etree.fromstring(self.files()["EPUB/package.opf"])
        hrefs = {item.get("id"): item.get("href") for item in opf.iter(OPF + "item")}
        return [f"EPUB/{hrefs[ref.get('idref')]}" for ref in opf.iter(OPF + "itemref")]

    def documents(self) -> dict[str, etree.Element]:
        files = self.files()
        return {name: etree.fromstring(files[name]) for name in self.spine()}



def write_book(folder: Path, config_file: str, language: str) -> Book:
    """The real site built for file://, and its EPUB written twice."""
    shim = ROOT / "node_modules" / SHIM_PACKAGE / SHIM_SOURCE
    if not shim.is_file():
        unavailable(f"node_modules/{SHIM_PACKAGE} is missing (npm ci)")
    config = build_offline_site(ROOT / config_file, folder / "site", shim, EPOCH)
    chronicle = load_chronicle(ROOT / "events", settings_from(config.plugins.get("chronicle").config))
    book = Book(folder / "qantar.epub", folder / "again.epub", config, language, chronicle,
                list(manuscript(config).texts))
    for path in (book.path, book.again):
        write_epub(config, path, epoch=EPOCH, commit=None)
    return book


@pytest.fixture(scope="module")
def english(tmp_path_factory: pytest.TempPathFactory) -> Book:
    return write_book(tmp_path_factory.mktemp("epub-en"), "mkdocs.yml", "en")


@pytest.fixture(scope="module")
def kazakh(tmp_path_factory: pytest.TempPathFactory) -> Book:
    return write_book(tmp_path_factory.mktemp("epub-kk"), "mkdocs.kk.yml", "kk")


@pytest.fixture(params=["english", "kazakh"])
def book(request: pytest.FixtureRequest) -> Book:
    found: Book = request.getfixturevalue(request.param)
    return found


def epubcheck_command() -> list[str]:
    """Debian's EPUBCheck: /usr/bin/epubcheck is its jar, run with java (binfmt is not there in a container)."""
    found = shutil.which("epubcheck")
    java = shutil.which("java")
    if found is None or java is None:
        unavailable("EPUBCheck is not installed (apt-get install epubcheck default-jre-headless)")
    program = Path(found).resolve()
    with program.open("rb") as handle:
        is_jar = handle.read(2) == b"PK"
    return [java, "-jar", str(program)] if is_jar else [str(program)]


def local(href: str, current: str) -> tuple[str, str]:
    """(zip name, id) of a link in `current` (a zip name)."""
    path, _, fragment = href.partition("#")
    return (f"EPUB/{path}" if path else current), fragment


def ids(root: etree.Element) -> set[str]:
    return {found for element in root.iter() if (found := element.get("id"))}


def text(element: etree.Element) -> str:
    return " ".join("".join(element.itertext()).split())


# --- 1. EPUBCheck --------------------------------------------------------------------------------------------


def test_epubcheck_accepts_it_with_no_error_and_no_warning(book: Book) -> None:
    result = subprocess.run([*epubcheck_command(), str(book.path)], capture_output=True, text=True, timeout=600,
                            check=False, env={**os.environ, "LC_ALL": "C.UTF-8"})
    output = result.stdout + result.stderr
    problems = [line for line in output.splitlines() if re.match(r"(FATAL|ERROR|WARNING)\b", line)]
    assert result.returncode == 0 and problems == [], output
    assert "No errors or warnings detected" in output, output


def test_the_package_says_what_the_book_is(book: Book) -> None:
    opf = etree.fromstring(book.files()["EPUB/package.opf"])
    meta = {element.tag.removeprefix(DC): text(element) for element in opf.iter() if element.tag.startswith(DC)}
    assert meta["language"] == book.language == book.config.theme["language"]
    assert meta["title"] == book.config.site_name
    assert re.fullmatch(r"urn:uuid:[0-9a-f-]{36}", meta["identifier"])
    assert meta["creator"] == meta["publisher"] == "Qantar"
    assert "CC BY 4.0" in meta["rights"]
    assert meta["date"] == "2022-01-05"
    modified = [text(m) for m in opf.iter(OPF + "meta") if m.get("property") == "dcterms:modified"]
    assert modified == ["2022-01-05T00:00:00Z"]


# --- 2. The account ------------------------------------------------------------------------------------------


def test_every_event_is_there_in_order_with_its_notes_right_after_it(english: Book) -> None:
    chronicle = english.chronicle
    documents = english.documents()
    sources = documents["EPUB/sources.xhtml"]
    account = [name for name in english.spine() if name.startswith("EPUB/account-")]
    assert len(account) > len({e.date for e in chronicle.events}) / 2, account  # the account is cut, by day
    found: list[str] = []
    for name in account:
        section = documents[name].find(f"{XHTML}body/{XHTML}section")
        assert section is not None
        own = ids(documents[name])
        event: str | None = None
        marks: dict[str, list[str]] = {}  # event -> the notes its marks point to
        notes: dict[str, list[str]] = {}  # event -> the notes after it, before the next heading
        for child in section:
            if child.tag == XHTML + "h3" and "chronicle-event" in (child.get("class") or ""):
                event = str(child.get("id"))
                found.append(event)
                marks[event], notes[event] = [], []
            elif child.tag in (XHTML + "h2", XHTML + "h1"):
                event = None
            elif event is not None and child.tag == XHTML + "aside":
                assert child.get(EPUB_TYPE) == "footnote"
                notes[event].append(str(child.get("id")))
            elif event is not None:
                marks[event] += [str(a.get("href")) for a in child.iter(XHTML + "a") if a.get(EPUB_TYPE) == "noteref"]
        for event_id, hrefs in marks.items():
            assert hrefs, f"{event_id} has no note"
            assert all(href.startswith("#") and href[1:] in own for href in hrefs), (name, hrefs)
            assert {href[1:] for href in hrefs} <= set(notes[event_id]), f"{event_id}: a note is not after it"
        for aside in (a for a in section if a.tag == XHTML + "aside"):
            key = str(aside.get("id")).partition("--")[2]
            if key in chronicle.sources:
                links = [str(a.get("href")) for a in aside.iter(XHTML + "a")]
                assert f"sources.xhtml#sources-{key}" in links, (name, aside.get("id"), links)
                assert f"sources-{key}" in ids(sources)
    assert found == [e.id for e in chronicle.events]


# --- 3. The contents -----------------------------------------------------------------------------------------


def test_the_contents_list_the_pages_days_and_events_and_every_link_resolves(english: Book) -> None:
    files = english.files()
    nav = etree.fromstring(files["EPUB/nav.xhtml"])
    toc = next(n for n in nav.iter(XHTML + "nav") if n.get(EPUB_TYPE) == "toc")
    top = toc.find(XHTML + "ol")
    assert top is not None
    pages = [str(li.find(XHTML + "a").get("href")) for li in top]  # type: ignore[union-attr]
    # every page of the single file, in its order (the home page, the generated pages, the methodology, ...)
    expected = [f"{section_id(page)}.xhtml" for page in english.pages]
    assert pages == expected
    assert {"introduction.xhtml", "account.xhtml", "timeline.xhtml", "places.xhtml", "sources.xhtml",
            "corrections.xhtml", "methodology.xhtml"} <= set(pages)
    account = top[1]
    chronicle = english.chronicle
    days = [str(a.get("href")).partition("#")[2] for a in account.findall(f"{XHTML}ol/{XHTML}li/{XHTML}a")]
    assert days == list(dict.fromkeys(f"day-{e.date.isoformat()}" for e in chronicle.events))
    events = [str(a.get("href")).partition("#")[2]
              for a in account.findall(f"{XHTML}ol/{XHTML}li/{XHTML}ol/{XHTML}li/{XHTML}a")]
    assert events == [e.id for e in chronicle.events]
    landmarks = next(n for n in nav.iter(XHTML + "nav") if n.get(EPUB_TYPE) == "landmarks")
    assert {a.get(EPUB_TYPE) for a in landmarks.iter(XHTML + "a")} >= {"toc", "bodymatter"}
    ncx = etree.fromstring(files["EPUB/toc.ncx"])
    targets = [str(a.get("href")) for a in nav.iter(XHTML + "a")]
    targets += [str(c.get("src")) for c in ncx.iter("{http://www.daisy.org/z3986/2005/ncx/}content")]
    parsed: dict[str, set[str]] = {}
    for href in targets:
        name, fragment = local(href, "EPUB/nav.xhtml")
        assert name in files, href
        if fragment:
            found = parsed.setdefault(name, ids(etree.fromstring(files[name])))
            assert fragment in found, href


def test_every_link_between_documents_resolves(english: Book) -> None:
    documents = english.documents()
    known = {name: ids(root) for name, root in documents.items()}
    for name, root in documents.items():
        for link in root.iter(XHTML + "a"):
            target, fragment = local(str(link.get("href")), name)
            assert target in known, (name, link.get("href"))
            assert not fragment or fragment in known[target], (name, link.get("href"))


# --- 4. Rendered ---------------------------------------------------------------------------------------------

UNRENDERED = re.compile(r"!!!|\?\?\?|\[\^|\]\(|\{:|\*\*|^#{1,6} ", re.MULTILINE)


def test_no_markdown_is_left_admonitions_are_elements_and_badges_read_as_text(english: Book) -> None:
    documents = english.documents()
    w = words("en")
    for name, root in documents.items():
        for element in root.iter():
            for piece in (element.text, element.tail):
                assert not (piece and UNRENDERED.search(piece)), (name, piece)
    admonitions = [d for root in documents.values() for d in root.iter(XHTML + "div")
                   if "admonition" in (d.get("class") or "").split()]
    assert admonitions
    for admonition in admonitions:
        assert "admonition-title" in (admonition[0].get("class") or ""), text(admonition)
    badges = 0
    for root in documents.values():
        for meta in root.iter(XHTML + "p"):
            if meta.get("class") != "chronicle-meta":
                continue
            badge = next(a for a in meta.iter(XHTML + "a") if "chronicle-status" in (a.get("class") or ""))
            assert text(badge) in w.status_labels.values()
            assert f"{w.status}: {text(badge)}" in text(meta)
            badges += 1
    assert badges == len(english.chronicle.events)


def test_passages_are_open(english: Book) -> None:
    details = [d for root in english.documents().values() for d in root.iter(XHTML + "details")]
    assert details and all(d.get("open") == "open" for d in details)


# --- 5. The font ---------------------------------------------------------------------------------------------


def test_the_embedded_font_covers_every_character_and_is_subset(book: Book) -> None:
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    files = book.files()
    shown: set[str] = set()
    for root in book.documents().values():
        shown |= {c for piece in root.itertext() for c in piece if unicodedata.category(c)[0] not in "CZ"}
    if book.language == "kk":
        assert set("әғқңөұүһіӘҒҚҢӨҰҮҺІ") & shown >= set("әғқңөұүһі")
    fonts = sorted(name for name in files if name.endswith(".ttf"))
    assert [Path(n).name for n in fonts] == ["DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf", "DejaVuSans.ttf"]
    for name in fonts:
        cmap = TTFont(io.BytesIO(files[name])).getBestCmap()
        missing = sorted(c for c in shown if ord(c) not in cmap)
        assert missing == [], (name, missing)
        assert len(files[name]) < (FONTS / Path(name).name).stat().st_size / 5
    assert files["EPUB/fonts/LICENSE"] == (FONTS / "LICENSE").read_bytes()
    css = files["EPUB/style.css"].decode("utf-8")
    opf = files["EPUB/package.opf"].decode("utf-8")
    for name in fonts:
        href = name.removeprefix("EPUB/")
        assert f"url({href})" in css
        assert f'href="{href}" media-type="font/ttf"' in opf


# --- 6. The same bytes ---------------------------------------------------------------------------------------


def test_a_second_write_gives_the_same_bytes(english: Book) -> None:
    assert english.again.read_bytes() == english.path.read_bytes()
    with zipfile.ZipFile(english.again) as archive:
        entries = archive.infolist()
    first = entries[0]
    assert (first.filename, first.compress_type, first.extra) == ("mimetype", zipfile.ZIP_STORED, b"")
    assert {e.date_time for e in entries} == {(2022, 1, 5, 0, 0, 0)}
    assert [e.filename for e in entries[2:]] == sorted(e.filename for e in entries[2:])


# --- 7. In a browser -----------------------------------------------------------------------------------------


def test_chromium_follows_a_note_and_its_source_offline(english: Book, offline: Offline, tmp_path: Path) -> None:
    with zipfile.ZipFile(english.path) as archive:
        archive.extractall(tmp_path)
    day = next(name for name in english.spine() if name.startswith("EPUB/account-"))
    page = offline.page
    page.goto((tmp_path / day).as_uri(), wait_until="load")
    ready(page, theme=False)
    mark = page.locator("a.footnote-ref").first
    note = str(mark.get_attribute("href")).removeprefix("#")
    mark.click()
    page.wait_for_function("id => decodeURIComponent(location.hash.slice(1)) === id", arg=note)
    aside = page.locator(f'[id="{note}"]')
    assert aside.is_visible()
    assert aside.evaluate("e => [e.localName, e.getAttributeNS('http://www.idpf.org/2007/ops', 'type')]") == [
        "aside", "footnote"]
    source = aside.locator('a[href^="sources.xhtml#"]')
    entry = str(source.get_attribute("href")).partition("#")[2]
    source.click()
    page.wait_for_url(re.compile(r"/sources\.xhtml#"))
    assert page.locator(f'[id="{entry}"]').is_visible()
    assert page.evaluate("document.fonts.check('16px \"DejaVu Sans\"')")
