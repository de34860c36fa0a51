"""The pure parts of `chronicle export`: rewriting HTML for one file, the self-containment check, zip, PDF dates."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest

from chronicle import load_chronicle
from chronicle.export import (
    ExportError,
    Section,
    external_references,
    fix_pdf_dates,
    id_problems,
    render_sections,
    rewrite_page,
    single_html,
    write_zip,
)
from chronicle.render import Pages, map_block, render_pages

from conftest import Writer, event

SINGLE = Pages(single_file=True)
PREFIXES = {"account.md": "", "sources.md": "sources-", "places.md": "places-"}
IDS = {"account.md": "account", "sources.md": "sources", "places.md": "places"}


def rewrite(html: str, page: str = "account.md", base: Path | None = None) -> str:
    return rewrite_page(html, page=page, prefixes=PREFIXES, section_ids=IDS, base=base)


def test_links_between_pages_become_links_within_the_file() -> None:
    out = rewrite('<p><a href="sources.md#alpha">details</a> <a href="places.md">places</a> '
                  '<a href="#fn:x">1</a></p>')
    assert out == '<p><a href="#sources-alpha">details</a> <a href="#places">places</a> <a href="#fn:x">1</a></p>'


def test_ids_and_fragments_of_other_pages_get_the_page_prefix() -> None:
    out = rewrite('<h2 id="day-1">Day</h2><svg aria-labelledby="t" viewBox="0 0 1 1"><title id="t">Map</title>'
                  '<a href="#square"><circle r="1"/></a></svg>', page="places.md")
    assert '<h2 id="places-day-1">' in out
    assert 'aria-labelledby="places-t" viewBox="0 0 1 1"' in out  # attribute case kept for SVG
    assert '<title id="places-t">' in out and '<a href="#places-square"><circle r="1"/></a>' in out


def test_links_to_other_hosts_become_text_with_the_address() -> None:
    out = rewrite('<p>See <a href="https://example.org/a?b=1&amp;c=2" title="x">the <em>report</em></a>, '
                  '<a href="https://example.org/">https://example.org/</a>, <a href="mailto:a@b.c">mail</a> and '
                  '<a href="methodology.md">the method</a>.</p>')
    assert "href" not in out
    assert ('<span class="export-link">the <em>report</em></span> '
            '<span class="export-link-url">&lt;https://example.org/a?b=1&amp;c=2&gt;</span>') in out
    assert '<span class="export-link">https://example.org/</span>,' in out  # the address is not repeated
    assert "&lt;a@b.c&gt;" in out and '<span class="export-link">the method</span>.' in out


def test_images_are_inlined_and_details_open(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "dot.png").write_bytes(b"\x89PNG fake")
    out = rewrite('<img alt="dot" src="img/dot.png"><details><summary>More</summary>x</details><table></table>',
                  base=tmp_path)
    assert 'src="data:image/png;base64,iVBORyBmYWtl"' in out
    assert "<details open>" in out and '<div class="table-wrap"><table></table></div>' in out
    with pytest.raises(ExportError, match="not a file in the docs folder"):
        rewrite('<img src="https://example.org/x.png">', base=tmp_path)


@pytest.mark.parametrize("src", ["/proc/self/environ", "../secret.txt", "../../etc/passwd", "img/../../secret.txt",
                                 "img/link.png", "%2E%2E/secret.txt", "linked/dot.png"])
def test_images_from_outside_the_docs_folder_are_refused(tmp_path: Path, src: str) -> None:
    docs = tmp_path / "docs"
    (docs / "img").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("TOKEN=hunter2", encoding="utf-8")
    (docs / "img" / "link.png").symlink_to(tmp_path / "secret.txt")
    (docs / "linked").symlink_to(tmp_path)
    with pytest.raises(ExportError, match="outside the docs folder"):
        rewrite(f'<img src="{src}">', base=docs)


def test_entities_comments_and_untouched_markup_pass_through_unchanged() -> None:
    html = '<p class="a">A &amp; B &#8617; <!-- note --><br/><code>&lt;x&gt;</code></p>'
    assert rewrite(html) == html


@pytest.mark.parametrize("html", [
    '<img src="pic.png">', '<link rel="stylesheet" href="style.css">', '<script src="https://cdn/x.js"></script>',
    '<a href="https://example.org">x</a>', '<p style="background: url(x.png)">', "<style>@import 'x.css';</style>",
    '<iframe src="about:blank"></iframe>', '<img srcset="a.png 2x">', "<base href='/'>",
])
def test_external_references_finds_every_kind_of_reference(html: str) -> None:
    assert external_references(f"<html><body>{html}</body></html>")


def test_external_references_accepts_fragments_and_data() -> None:
    assert external_references('<a href="#x">x</a><img src="data:image/png;base64,AA" style="color: red">'
                               "<style>a { color: red }</style>") == []


def test_id_problems_reports_duplicates_and_dangling_fragments() -> None:
    assert id_problems('<p id="a"></p><p id="a"></p><a href="#b">b</a><a href="#a">a</a>') == [
        "duplicate id 'a'", "link to missing #b"]


def test_single_html_from_a_small_chronicle(events_dir: Writer) -> None:
    folder = events_dir({
        "2022-01-04-one.md": event("First thing", body="It happened.[^alpha-2022-01-05][^n1]\n\n[^n1]: A note."),
        "2022-01-05-two.md": event("Second thing", date="2022-01-05", place="park",
                                   body="Then this.[^beta-2022-01-06]"),
    })
    texts = render_pages(load_chronicle(folder), Pages())
    sections = render_sections(texts, extensions=["footnotes", "attr_list", "toc", "tables", "md_in_html"],
                               configs={}, account="account.md")
    document = single_html(sections, title="T & co", description="D", epoch=1641340800, commit="abc")
    assert external_references(document) == []
    assert id_problems(document) == []
    assert 'id="2022-01-04-one"' in document and 'id="2022-01-05-two"' in document
    assert 'href="#2022-01-04-one"' in document  # the timeline links to the event in the account
    assert 'href="#sources-alpha-2022-01-05"' in document  # a footnote's source details
    assert 'id="timeline-day-2022-01-04"' in document and 'id="day-2022-01-04"' in document
    assert "Offline edition of 5 January 2022 from commit abc" in document
    assert "<title>T &amp; co</title>" in document


def test_single_html_refuses_broken_in_file_links() -> None:
    with pytest.raises(ExportError, match="link to missing #nowhere"):
        single_html([Section("a.md", "a", "A", '<a href="#nowhere">x</a>')], title="T")


# --- The generator writes the single file's ids and links ----------------------------------------------------


def test_the_generator_writes_in_file_links_and_prefixed_ids_for_the_single_file(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-one.md": event("First thing", body="It happened.[^alpha-2022-01-05]")})
    story = load_chronicle(folder)
    site, single = render_pages(story, Pages()), render_pages(story, SINGLE)
    assert "(timeline.md)" not in single["timeline.md"]
    assert "[First thing](account.md#2022-01-04-one)" in site["timeline.md"]
    assert "[First thing](#2022-01-04-one)" in single["timeline.md"]  # the account keeps its ids
    assert "[Republic Square](#places-square)" in single["timeline.md"]
    assert "{: #timeline-day-2022-01-04 }" in single["timeline.md"]
    assert "{: #day-2022-01-04 }" in single["account.md"] and "{: #day-2022-01-04 }" in site["timeline.md"]
    assert "[Source details](#sources-alpha-2022-01-05)" in single["account.md"]
    assert "[list of sources](#sources)" in single["account.md"]
    assert "[Source details](sources.md#alpha-2022-01-05)" in site["account.md"]
    assert "{: #sources-alpha-2022-01-05 }" in single["sources.md"]
    assert "{: #places-square }" in single["places.md"]
    assert '(#status-legend "What' in single["timeline.md"]


def test_the_places_map_links_places_by_their_ids_in_the_single_file(events_dir: Writer) -> None:
    story = load_chronicle(events_dir({"2022-01-04-one.md": event("First thing")}))
    site, single = map_block(story), map_block(story, SINGLE)
    assert 'href="#square"' in site and 'href="#square"' not in single
    assert 'href="#places-square"' in single
    assert 'id="map-all"' in single  # the map's own ids are unique in the file: the stylesheet selects by them
    assert single.replace("places-square", "square") == site


def _zip(tmp_path: Path, name: str, order: list[str]) -> bytes:
    source = tmp_path / name
    for path in order:
        (source / path).parent.mkdir(parents=True, exist_ok=True)
        (source / path).write_text(path, encoding="utf-8")
    target = tmp_path / f"{name}.zip"
    write_zip(source, target, folder="site", epoch=1641340800)
    return target.read_bytes()


def test_zip_is_the_same_bytes_whatever_the_order_the_files_were_written_in(tmp_path: Path) -> None:
    first = _zip(tmp_path, "a", ["index.html", "b/x.js", "a.html"])
    second = _zip(tmp_path, "b", ["a.html", "b/x.js", "index.html"])
    assert hashlib.sha256(first).digest() == hashlib.sha256(second).digest()
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert archive.namelist() == ["site/a.html", "site/b/x.js", "site/index.html"]
        assert {info.date_time for info in archive.infolist()} == {(2022, 1, 5, 0, 0, 0)}


def test_pdf_dates_are_fixed_without_moving_any_byte() -> None:
    data = b"1 0 obj\n<</Producer (Skia/PDF m156)\n/CreationDate (D:20261126124426+00'00')\n" \
           b"/ModDate (D:20261126124426+00'00')>>\nendobj\n"
    fixed = fix_pdf_dates(data, 1641340800)
    assert len(fixed) == len(data)
    assert fixed.count(b"(D:20220105000000+00'00')") == 2
    short = fix_pdf_dates(b"/CreationDate (D:20261126124426+05'30'Z)", 0)
    assert short == b"/CreationDate (D:19700101000000+00'00') "
