"""The ZIM file of `chronicle export`, for Kiwix: zimcheck's verdict, its metadata and indexes read back with
libzim, the same bytes twice, and the real `kiwix-serve` searched and read in real Chromium.

The English site is built for file:// once for the module and written into a ZIM here (the `zim` fixture);
to test the exported file itself, make the fixture return `Zim(exported.zim, unzipped)`.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import struct
import subprocess
import time
import urllib.request
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from libzim.reader import Archive
from libzim.search import Query, Searcher
from libzim.suggestion import SuggestionSearcher

from chronicle import load_chronicle
from chronicle.export import SHIM_PACKAGE, SHIM_SOURCE, build_offline_site
from chronicle.zim import (
    DESCRIPTION_LIMIT,
    TITLE_LIMIT,
    Book,
    shorten,
    text_length,
    uuid_spans,
    write_zim,
    zim_book,
)

from .conftest import EPOCH
from chromium import unavailable
from conftest import ROOT

pytestmark = pytest.mark.build


@dataclass(frozen=True)
class Zim:
    path: Path  # the ZIM file
    site: Path  # the site it was made from


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Book]:
    """The English site built for file:// as `chronicle export` builds it, and its book."""
    shim = ROOT / "node_modules" / SHIM_PACKAGE / SHIM_SOURCE
    if not shim.is_file():
        unavailable(f"node_modules/{SHIM_PACKAGE} is missing (npm ci)")
    site = tmp_path_factory.mktemp("zim") / "qantar-site"
    config = build_offline_site(ROOT / "mkdocs.yml", site, shim, EPOCH)
    return site, zim_book(config, "qantar", EPOCH)


@pytest.fixture(scope="module")
def zim(built: tuple[Path, Book]) -> Zim:
    site, book = built
    path = site.parent / "qantar.zim"
    write_zim(site, path, book)
    return Zim(path, site)


def tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        unavailable(f"no {name} (apt-get install {'zim-tools' if name.startswith('zim') else 'kiwix-tools'})")
    return found


def searched_event() -> tuple[str, str, str]:
    """An event, and a word of its title found in no other event's title: (id, title, word)."""
    events = load_chronicle(ROOT / "events").events
    words = [{w.lower() for w in re.findall(r"[A-Za-z]{8,}", e.title)} for e in events]
    for event, own in zip(events, words, strict=True):
        unique = sorted(w for w in own if not any(w in other for other in words if other is not own))
        if unique:
            return event.id, event.title, unique[0]
    raise AssertionError("no event has a word of its own in its title")


# --- zimcheck ----------------------------------------------------------------------------------------------


def zimcheck_checks(zimcheck: str) -> list[str]:
    """All of zimcheck's checks (-A), except where its libzim is older than 9: such a zimcheck (Debian 12's
    zim-tools 3.1.3 has libzim 8.1.1) calls a ZIM of format 6.3, which libzim 9 writes without the old title
    pointer list, of invalid structure ("Full Title index table outside ZIM file"). There every check but the
    integrity one runs, and libzim 9's own integrity check (`Archive.check`) runs in its stead."""
    version = subprocess.run([zimcheck, "--version"], capture_output=True, text=True, timeout=60).stdout
    found = re.search(r"libzim (\d+)\.", version)
    if found and int(found.group(1)) >= 9:
        return ["-A"]
    return ["-C", "-0", "-M", "-F", "-P", "-R", "-U", "-X", "-L"]


def test_zimcheck_passes_every_check(zim: Zim) -> None:
    zimcheck = tool("zimcheck")
    checks = zimcheck_checks(zimcheck)
    result = subprocess.run([zimcheck, *checks, "-D", str(zim.path)], capture_output=True, text=True, timeout=300)
    output = result.stdout + result.stderr
    print(f"\nzimcheck {' '.join(checks)} -D:\n{output}")
    assert result.returncode == 0, output
    assert "Overall Test Status: Pass" in output
    assert not [line for line in output.splitlines() if re.search(r"error|warning|fail", line, re.IGNORECASE)
                and "Overall Test Status" not in line], output
    if checks != ["-A"]:
        assert Archive(zim.path).check(), "libzim's integrity check"


# --- Metadata and entries ----------------------------------------------------------------------------------


def edition_config(name: str, monkeypatch: pytest.MonkeyPatch) -> Any:
    from mkdocs.config import load_config

    monkeypatch.setenv("NO_MKDOCS_2_WARNING", "1")
    return load_config(str(ROOT / name))


def test_metadata_main_page_and_entries(zim: Zim, monkeypatch: pytest.MonkeyPatch) -> None:
    config = edition_config("mkdocs.yml", monkeypatch)
    archive = Archive(zim.path)
    meta = {key: bytes(archive.get_metadata(key)) for key in archive.metadata_keys}
    text = {key: value.decode("utf-8") for key, value in meta.items() if not key.startswith("Illustration")}
    print(f"\nZIM: {zim.path.stat().st_size:,} bytes; metadata: {text}")
    assert text["Name"] == "qantar_en_all"
    assert text["Language"] == "eng"
    assert text["Date"] == "2022-01-05"
    assert text["Creator"] == text["Publisher"] == "Qantar"
    assert "CC BY 4.0" in text["License"] and "MIT" in text["License"]
    description = " ".join(str(config.site_description).split())
    site_name = str(config.site_name)
    assert 0 < text_length(text["Description"]) <= DESCRIPTION_LIMIT
    assert description.startswith(text["Description"].removesuffix("…"))
    assert text["LongDescription"].startswith(description)
    assert 0 < text_length(text["Title"]) <= TITLE_LIMIT and text["Title"] in site_name
    assert "_ftindex:yes" in text["Tags"]
    png = bytes(archive.get_illustration_item(48).content)
    assert meta["Illustration_48x48@1"] == png
    assert png.startswith(b"\x89PNG\r\n\x1a\n") and png[12:16] == b"IHDR"
    assert struct.unpack(">II", png[16:24]) == (48, 48)
    assert len(zlib.decompress(png[png.index(b"IDAT") + 4:png.index(b"IEND") - 8])) == 48 * (1 + 48 * 4)
    assert archive.has_fulltext_index and archive.has_title_index

    assert archive.main_entry.get_item().path == "index.html"
    files = sorted(p.relative_to(zim.site).as_posix() for p in zim.site.rglob("*") if p.is_file())
    pages = [f for f in files if f.endswith(".html")]
    assert archive.entry_count == len(files)
    assert archive.article_count == len(pages) > 5
    for page in pages:
        soup = BeautifulSoup((zim.site / page).read_text(encoding="utf-8"), "html.parser")
        assert soup.head is not None and soup.head.title is not None
        title = soup.head.title.get_text().removesuffix(f" - {site_name}")
        entry = archive.get_entry_by_path(page)
        assert entry.title == title, page
        assert entry.get_item().mimetype == "text/html"
    account = archive.get_entry_by_path("account.html").title
    assert account and account != "account.html" and site_name not in account  # "The account"
    types = {"css": "text/css", "js": "text/javascript", "png": "image/png", "json": "application/json"}
    for path in files:
        item = archive.get_entry_by_path(path).get_item()
        assert bytes(item.content) == (zim.site / path).read_bytes(), path
        extension = path.rpartition(".")[2]
        if extension in types:
            assert item.mimetype == types[extension], path


def test_metadata_of_the_russian_and_kazakh_editions_are_theirs(monkeypatch: pytest.MonkeyPatch) -> None:
    for edition, language in (("ru", "rus"), ("kk", "kaz")):
        config = edition_config(f"mkdocs.{edition}.yml", monkeypatch)
        book = zim_book(config, f"qantar-{edition}", EPOCH)
        description = " ".join(str(config.site_description).split())
        assert (book.name, book.language, book.date) == (f"qantar_{edition}_all", language, "2022-01-05")
        assert text_length(book.title) <= TITLE_LIMIT and book.title in config.site_name
        assert text_length(book.description) <= DESCRIPTION_LIMIT
        assert description.startswith(book.description.removesuffix("…")), edition
        assert re.search(r"[а-яәіңғүұқөһ]{4}", book.description), edition  # in the edition's own script
        assert book.long_description.startswith(description)


def test_shorten_cuts_at_a_clause_or_a_word_and_says_so() -> None:
    assert shorten("Short enough.", 80) == "Short enough."
    assert shorten("One clause here, and another one that does not fit", 30) == "One clause here…"
    assert shorten("Words only and no clauses at all in this text", 20) == "Words only and no…"
    assert shorten("Антидисэстаблишментарианство", 10) == "Антидисэс…"
    assert text_length(shorten("😀" * 50, 30)) <= 30  # astral characters count twice, as zimcheck counts them


# --- Search ------------------------------------------------------------------------------------------------


def test_full_text_and_title_search_find_an_event(zim: Zim) -> None:
    archive = Archive(zim.path)
    searcher = Searcher(archive)
    _, title, word = searched_event()
    found = searcher.search(Query().set_query(word))
    assert "account.html" in list(found.getResults(0, 20)), (word, title)
    assert searcher.search(Query().set_query("qzxjvwkpyq")).getEstimatedMatches() == 0
    suggested = SuggestionSearcher(archive).suggest("account")
    assert "account.html" in list(suggested.getResults(0, 10))


# --- Determinism -------------------------------------------------------------------------------------------


def test_the_same_site_gives_the_same_bytes(zim: Zim, built: tuple[Path, Book]) -> None:
    site, book = built
    again = zim.path.with_name("again.zim")
    write_zim(site, again, book)
    first, second = zim.path.read_bytes(), again.read_bytes()
    assert first == second, f"{sum(a != b for a, b in zip(first, second, strict=False))} bytes differ"
    spans = uuid_spans(first)
    assert len(spans) == 3 and len({first[s:s + 16] for s in spans}) == 3  # no UUID left zero or shared


def test_another_site_gets_another_uuid(tmp_path: Path) -> None:
    site = tmp_path / "site"
    site.mkdir()
    book = Book(name="test_en_all", title="Test", language="eng", date="2022-01-05", description="A test.",
                long_description="", source="", site_name="Test")
    uuids = []
    for text in ("first", "second"):
        (site / "index.html").write_text(f"<html><head><title>{text}</title></head><body>{text}</body></html>")
        write_zim(site, tmp_path / f"{text}.zim", book)
        uuids.append(Archive(tmp_path / f"{text}.zim").uuid)
    assert uuids[0] != uuids[1]
    assert Archive(tmp_path / "first.zim").check()  # the checksum was written again


# --- kiwix-serve in Chromium -------------------------------------------------------------------------------


def answers(base: str) -> bool:
    try:
        with urllib.request.urlopen(base, timeout=5) as response:
            return bool(response.status == 200)
    except OSError:
        return False


@contextlib.contextmanager
def kiwix_serve(path: Path, log: Path, tries: int = 5, seconds: float = 60) -> Iterator[str]:
    """`kiwix-serve` of the ZIM at `path` on 127.0.0.1 at a free port: its base address. A port found free can
    be taken before the server binds it; the server then exits, and another port is tried."""
    executable = tool("kiwix-serve")
    for _ in range(tries):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        with log.open("wb") as out:
            # --attachToProcess: it exits with this process, should the test run be killed.
            server = subprocess.Popen([executable, "--address", "127.0.0.1", "--port", str(port),
                                       "--attachToProcess", str(os.getpid()), str(path)],
                                      stdout=out, stderr=subprocess.STDOUT)
        base = f"http://127.0.0.1:{port}/"
        try:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and server.poll() is None and not answers(base):
                time.sleep(0.1)
            if server.poll() is None:
                if not answers(base):
                    raise AssertionError(f"kiwix-serve did not answer: {log.read_text(errors='replace')[-2000:]}")
                yield base
                return
        finally:
            server.terminate()
            server.wait(timeout=10)
    raise AssertionError(f"kiwix-serve found no free port in {tries} tries: {log.read_text(errors='replace')}")


@pytest.mark.browser
def test_kiwix_serve_finds_and_shows_an_event_in_chromium(zim: Zim, browser: Any, tmp_path: Path) -> None:
    event_id, title, word = searched_event()
    with kiwix_serve(zim.path, tmp_path / "kiwix-serve.log") as base:
        context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        # Nothing may leave the machine: a request elsewhere is aborted (and recorded above).
        context.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                      else route.abort("internetdisconnected"))
        try:
            page = context.new_page()
            book = zim.path.stem  # kiwix-serve names a book after its file
            page.goto(f"{base}search?content={quote(book)}&pattern={quote(word)}", wait_until="load")
            result = page.locator(".results a[href$='account.html']")
            result.first.wait_for(state="visible")
            result.first.click()
            page.wait_for_url(re.compile(r"/account\.html$"))
            page.wait_for_load_state("load")
            heading = page.locator(f"h3[id='{event_id}']")
            heading.wait_for(state="visible")
            assert word in heading.inner_text().lower(), (word, title)
            page.wait_for_function("() => 'document$' in window")  # the theme's script ran from the ZIM
        finally:
            context.close()
    outside = [url for url in requests if not url.startswith((base, "data:", "blob:", "about:"))]
    assert requests and outside == [], outside
