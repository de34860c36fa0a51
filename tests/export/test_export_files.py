"""The real export of the project: three files, self-contained, and the same bytes on a second run."""

from __future__ import annotations

import hashlib
import re
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from chronicle import load_chronicle

from .conftest import Export, export_into
from chromium import chromium_path
from conftest import ROOT

pytestmark = pytest.mark.build

# Every attribute through which HTML can load or link to something.
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href", "background")


def event_ids() -> list[str]:
    return [event.id for event in load_chronicle(ROOT / "events").events]


def test_single_file_refers_to_nothing_but_itself(exported: Export) -> None:
    size = exported.html.stat().st_size
    print(f"\nsingle file: {size:,} bytes; zip: {exported.zip.stat().st_size:,} bytes; "
          f"PDF: {exported.pdf.stat().st_size:,} bytes; export took {exported.seconds:.1f} s")
    soup = BeautifulSoup(exported.html.read_text(encoding="utf-8"), "html.parser")
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    outside, dangling = [], []
    for tag in soup.find_all(True):
        for attribute in URL_ATTRIBUTES:
            value = tag.get(attribute)
            if value is None:
                continue
            if value.startswith("#"):
                if value[1:] not in ids:
                    dangling.append(value)
            elif urlsplit(value).scheme != "data":
                outside.append(f"<{tag.name} {attribute}={value}>")
        style = tag.get("style") or ""
        if "url(" in style and "url(data:" not in style:
            outside.append(f"<{tag.name} style={style}>")
    for style in soup.find_all("style"):
        assert not re.search(r"url\((?!\s*['\"]?data:)|@import", style.get_text()), "the stylesheet loads a file"
    assert outside == []
    assert dangling == []
    assert soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"}) is not None


def test_single_file_holds_every_event_the_timeline_and_the_sources(exported: Export) -> None:
    soup = BeautifulSoup(exported.html.read_text(encoding="utf-8"), "html.parser")
    account = soup.find("section", id="account")
    assert account is not None
    assert [h["id"] for h in account.select("h3.chronicle-event")] == event_ids()
    timeline = soup.find("section", id="timeline")
    assert timeline is not None
    assert [a["href"][1:] for a in timeline.select("td a[href]:not(.chronicle-status)")
            if not a["href"].startswith("#places-")] == (
        event_ids())
    sources = soup.find("section", id="sources")
    assert sources is not None
    places = soup.find("section", id="places")
    assert places is not None and places.find(id="map-all") is not None  # the map's view that shows by default
    assert all(a["href"].startswith("#places-") for a in places.select("svg a[href]"))
    assert account.select('.footnote a[href^="#sources-"]'), "footnotes link to the sources section"
    assert soup.select_one('meta[name="viewport"]') is not None


def test_zip_holds_the_file_site_with_the_vendored_shim(exported: Export) -> None:
    with zipfile.ZipFile(exported.zip) as archive:
        names = archive.namelist()
        assert names == sorted(names)
        assert {info.date_time for info in archive.infolist()} == {(2022, 1, 5, 0, 0, 0)}
        assert "qantar-site/index.html" in names and "qantar-site/account.html" in names
        assert "qantar-site/search/search_index.js" in names
        assert "qantar-site/assets/javascripts/iframe-worker/shim.js" in names
        page = archive.read("qantar-site/account.html").decode("utf-8")
        pages = {name: archive.read(name).decode("utf-8") for name in names if name.endswith(".html")}
    assert "unpkg.com" not in page and 'src="assets/javascripts/iframe-worker/shim.js"' in page
    assert "fonts.googleapis.com" not in page
    assert "qantar-site/404.html" not in names
    # The repository button keeps its link, without the hook that would fetch stars from GitHub (the theme
    # override partials/source.html: nothing is removed from the built pages afterwards).
    assert 'class="md-source"' in page
    assert [name for name, text in pages.items() if 'data-md-component="source"' in text] == []


def test_pdf_has_pages_and_fixed_dates(exported: Export) -> None:
    data = exported.pdf.read_bytes()
    assert data.startswith(b"%PDF-")
    pages = len(re.findall(rb"/Type\s*/Page\b", data))
    print(f"\nPDF: {pages} pages")
    assert pages > 10
    assert re.findall(rb"/CreationDate \(([^)]*)\)", data) == [b"D:20220105000000+00'00'"]


def test_pdf_contents_give_the_page_each_part_is_printed_on(exported: Export) -> None:
    from pypdf import PdfReader

    from chronicle.export import destination_pages

    pages = destination_pages(exported.pdf.read_bytes())
    reader = PdfReader(exported.pdf)
    contents = reader.pages[0].extract_text()
    days = [key for key in pages if key.startswith("day-")]
    assert len(days) >= 2 and "account" in pages and "sources" in pages
    # Each part is on the page its entry says, and the entries follow the document's order.
    numbers = [int(line) for line in contents.split("\n") if line.strip().isdigit()]
    wanted = [pages[key] for key in ("introduction", "account", "status-legend", *sorted(days))]
    assert numbers[: len(wanted)] == wanted, (numbers, wanted)
    assert numbers == sorted(numbers) and len(set(numbers)) > 5
    # The account's first day is printed on the page the contents give it.
    first_day = sorted(days)[0]
    assert first_day.removeprefix("day-") and pages[first_day] <= pages["timeline"]


def test_a_second_export_gives_the_same_bytes(exported: Export, tmp_path: Path) -> None:
    again = export_into(tmp_path, chromium_path())
    for first, second in ((exported.zip, again.zip), (exported.html, again.html), (exported.pdf, again.pdf),
                          (exported.phone, again.phone), (exported.zim, again.zim), (exported.epub, again.epub)):
        assert hashlib.sha256(first.read_bytes()).hexdigest() == hashlib.sha256(second.read_bytes()).hexdigest(), (
            f"{first.name} differs between two runs")


def test_single_file_has_a_row_of_days_and_a_way_back_from_each_day(exported: Export) -> None:
    soup = BeautifulSoup(exported.html.read_text(encoding="utf-8"), "html.parser")
    row = soup.find(id="chronicle-days")
    assert row is not None
    days = [a["href"][1:] for a in row.select("a")]
    assert len(days) >= 2 and all(soup.find(id=day) is not None for day in days)
    for day in days:
        steps = soup.find(id=day).find_next_sibling("p")
        assert "chronicle-days" in steps.get("class", []) and steps.select_one("a[href='#chronicle-days']")


def test_the_single_file_and_the_pdf_print_every_passage_open(exported: Export) -> None:
    """On paper and without scripts a note's supporting passage is shown, not folded away."""
    from pypdf import PdfReader

    passages = [p for e in load_chronicle(ROOT / "events").events for p in e.passages]
    account = BeautifulSoup(exported.html.read_text(encoding="utf-8"), "html.parser").find("section", id="account")
    shown = account.select("details.chronicle-passage")
    assert len(shown) >= len(passages) > 100
    assert all(d.has_attr("open") for d in shown)
    # Compared as words: a glossary term is an <abbr> inside the quotation, and HTML folds a double space.
    assert {" ".join(p.quote.split()) for p in passages} <= {" ".join(d.blockquote.get_text().split()) for d in shown}
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in PdfReader(exported.pdf).pages)
    assert text.count("The source's words") + text.count("The source’s words") >= len(passages) * 0.9


def test_phone_file_is_under_a_megabyte_and_holds_every_event_each_note_naming_its_source(exported: Export) -> None:
    size = exported.phone.stat().st_size
    print(f"\nphone file: {size:,} bytes")
    assert size < 1_000_000
    soup = BeautifulSoup(exported.phone.read_text(encoding="utf-8"), "html.parser")
    account = soup.find("section", id="account")
    assert [h["id"] for h in account.select("h3.chronicle-event")] == event_ids()
    ids = {tag["id"] for tag in soup.find_all(id=True)}
    assert all(a["href"][1:] in ids for a in soup.select("a[href^='#']")), "an in-file link goes nowhere"
    assert not [a for a in soup.select("a[href]") if not a["href"].startswith("#")], "a link leaves the file"
    notes = account.select(".footnote li[id^='fn:']")
    assert len(notes) > 300
    cited = [li.select_one("a[href^='#sources-']") for li in notes]
    # Every note of a source names it by a link to its entry, which gives its title and address.
    assert sum(a is not None for a in cited) >= len(notes) * 0.9
    assert all(soup.find(id=a["href"][1:]).name == "h3" for a in cited if a is not None)
    assert not account.select("details.chronicle-passage"), "the phone file leaves passages to the full file"
    assert exported.html.name in soup.select("p.export-about")[-1].get_text()
    assert soup.find(id="chronicle-days") is not None
