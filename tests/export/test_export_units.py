"""The pure parts of `chronicle export`: the single file written and rendered for itself (ids and links from the
generator, one tree processor for what must change), the self-containment check, the zip, PDF dates."""

from __future__ import annotations

import ast
import hashlib
import io
import zipfile
from pathlib import Path
from typing import Any

import markdown
import pytest

import chronicle
from chronicle import load_chronicle
from chronicle.export import (
    ExportError,
    Section,
    external_references,
    fix_pdf_dates,
    id_problems,
    render_sections,
    single_html,
    write_zip,
)
from chronicle.offline import SingleFile, SingleFileError
from chronicle.render import Pages, map_block, render_pages

from conftest import Writer, event

SINGLE = Pages(single_file=True)
IN_FILE = {"index.md", "account.md", "sources.md", "places.md"}
EXTENSIONS: list[Any] = ["attr_list", "footnotes", "md_in_html", "pymdownx.details", "tables", "toc"]


def render(text: str, page: str = "index.md", base: Path | None = None, *, single: bool = True) -> str:
    """`text` rendered as a page of the single file (or, with single=False, as the site renders it)."""
    extensions = [*EXTENSIONS, SingleFile(pages=SINGLE, page=page, in_file=IN_FILE, docs_dir=base)] if single else (
        EXTENSIONS)
    return markdown.Markdown(extensions=extensions, output_format="html").convert(text)


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


# --- The one tree processor: what must be another element in the file ----------------------------------------


def test_links_of_a_hand_written_page_to_pages_of_the_file_go_to_their_sections() -> None:
    out = render("[details](sources.md#alpha) [places](places.md) [legend](account.md#status-legend) "
                 "[note](#fn:x) [reuse](reuse.md)")
    assert ('<a href="#sources-alpha">details</a> <a href="#places">places</a> '
            '<a href="#status-legend">legend</a> <a href="#fn:x">note</a> <span class="export-link">reuse</span>'
            ) in out


def test_a_fragment_naming_a_heading_of_the_page_gets_the_pages_prefix() -> None:
    out = render("## What {: #introduction-what }\n\n[up](#what) [legend](#status-legend)")
    assert '<a href="#introduction-what">up</a>' in out
    assert '<a href="#status-legend">legend</a>' in out  # not a heading of this page: left as written


def test_links_to_other_hosts_become_text_with_the_address() -> None:
    out = render('See [the *report*](https://example.org/a?b=1&c=2 "x"), <https://example.org/>, '
                 "[mail](mailto:a@b.c) and [the method](methodology.md).")
    assert "href" not in out
    assert ('<span class="export-link">the <em>report</em></span> '
            '<span class="export-link-url">&lt;https://example.org/a?b=1&amp;c=2&gt;</span>,') in out
    assert '<span class="export-link">https://example.org/</span>,' in out  # the address is not repeated
    assert "&lt;a@b.c&gt;" in out and '<span class="export-link">the method</span>.' in out


def test_images_are_inlined_details_open_and_tables_wrapped(tmp_path: Path) -> None:
    (tmp_path / "img").mkdir()
    (tmp_path / "img" / "dot.png").write_bytes(b"\x89PNG fake")
    out = render('![dot](img/dot.png)\n\n??? note "More"\n    x\n\n| a |\n| - |\n| 1 |\n', base=tmp_path)
    assert 'src="data:image/png;base64,iVBORyBmYWtl"' in out
    assert '<details class="note" open>' in out
    assert out.count('<div class="table-wrap">') == 1 and "</table></div>" in out
    with pytest.raises(SingleFileError, match="not a file in the docs folder"):
        render("![x](https://example.org/x.png)", base=tmp_path)


@pytest.mark.parametrize("src", ["/proc/self/environ", "../secret.txt", "../../etc/passwd", "img/../../secret.txt",
                                 "img/link.png", "%2E%2E/secret.txt", "linked/dot.png"])
def test_images_from_outside_the_docs_folder_are_refused(tmp_path: Path, src: str) -> None:
    docs = tmp_path / "docs"
    (docs / "img").mkdir(parents=True)
    (tmp_path / "secret.txt").write_text("TOKEN=hunter2", encoding="utf-8")
    (docs / "img" / "link.png").symlink_to(tmp_path / "secret.txt")
    (docs / "linked").symlink_to(tmp_path)
    with pytest.raises(SingleFileError, match="outside the docs folder"):
        render(f"![x]({src})", base=docs)


def test_everything_else_renders_as_on_the_site() -> None:
    text = ("A &amp; B &#8617; <!-- note --> `<x>` **bold**[^n]\n\n"
            "## Heading\n\n[^n]: A [note](#fnref:n).\n")
    assert render(text) == render(text, single=False)


def test_render_sections_prefixes_heading_ids_of_every_page_but_the_account() -> None:
    texts = {"index.md": "# Home\n\n## What happened\n\nSee [below](#what-happened), [the legend]"
                         "(account.md#status-legend), [sources](sources.md) and [reuse](reuse.md).\n",
             "account.md": "# The account\n\n## How sure {: #status-legend }\n\n## A day\n",
             "sources.md": "# Sources\n"}
    sections = render_sections(texts, pages=SINGLE, extensions=list(EXTENSIONS), configs={})
    home, account, sources = sections
    assert (home.id, account.id, sources.id) == ("introduction", "account", "sources")
    assert '<h2 id="introduction-what-happened">' in home.body and 'href="#introduction-what-happened"' in home.body
    assert 'href="#status-legend"' in home.body and 'href="#sources"' in home.body
    assert '<span class="export-link">reuse</span>' in home.body
    assert '<h2 id="a-day">' in account.body and account.contents == [("status-legend", "How sure"),
                                                                      ("a-day", "A day")]
    assert '<h1 id="sources-sources">' in sources.body
    assert id_problems(single_html(sections, title="T")) == []


# --- No rendered HTML is rewritten ----------------------------------------------------------------------------

# The package's HTML parsers: they read, and write nothing. export's reads the finished single file; zim's reads a
# built page's <title> for the ZIM's entry.
READERS = {("export", "_Reader"), ("zim", "_TitleReader")}


def test_the_package_rewrites_no_rendered_html() -> None:
    """Every HTMLParser in the package is a named reader whose handlers return nothing and keep no output; no
    module but export.py (its reader) imports html.parser, or another HTML parser or serialiser."""
    package = Path(chronicle.__file__).parent
    parsers, importers = set(), set()
    for path in sorted(package.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom | ast.Import):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                if any(n == "html.parser" or n.split(".")[0] in ("bs4", "lxml", "html5lib") for n in names):
                    importers.add(path.stem)
            if isinstance(node, ast.ClassDef) and any(ast.unparse(b).endswith("HTMLParser") for b in node.bases):
                parsers.add((path.stem, node.name))
                for method in (n for n in node.body if isinstance(n, ast.FunctionDef)):
                    assert method.name == "__init__" or method.name.startswith("handle_"), (path.stem, method.name)
                    returns = [r for r in ast.walk(method) if isinstance(r, ast.Return) and r.value is not None]
                    assert returns == [], f"{path.stem}.{node.name}.{method.name} returns markup"
                assert "self.out" not in ast.unparse(node), f"{path.stem}.{node.name} keeps an output"
    assert parsers == READERS
    assert importers == {stem for stem, _ in READERS}


def test_the_old_rewriters_are_gone() -> None:
    import chronicle.export as export

    for name in ("rewrite_page", "_PageRewriter", "_Passthrough", "_serialise", "without_repository_facts"):
        assert not hasattr(export, name), name


# --- Checking the finished file ------------------------------------------------------------------------------


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
    texts = render_pages(load_chronicle(folder), SINGLE)
    sections = render_sections(texts, pages=SINGLE, extensions=["footnotes", "attr_list", "toc", "tables",
                                                                "md_in_html"], configs={})
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


# --- The phone file --------------------------------------------------------------------------------------------

PHONE = Pages(single_file=True, phone=True)
PASSAGE = '\n  - source: alpha-2022-01-05\n    quote: "It did happen."\n    quote_lang: en\n    locator: "p. 1"'


def test_the_phone_file_cites_a_source_by_its_linked_name_and_leaves_passages_and_lists_out(
        events_dir: Writer) -> None:
    folder = events_dir({
        "2022-01-04-one.md": event("First thing", body="It happened.[^alpha-2022-01-05]", passages=PASSAGE),
        "2022-01-05-two.md": event("Second thing", date="2022-01-05", body="Then.[^alpha-2022-01-05][^n1]\n\n"
                                   "[^n1]: Our own remark."),
    })
    story = load_chronicle(folder)
    full, phone = render_pages(story, SINGLE), render_pages(story, PHONE)
    source = story.sources["alpha-2022-01-05"]
    assert f"[{source.publisher}](#sources-alpha-2022-01-05)" in phone["account.md"]
    assert source.url not in phone["account.md"] and source.url in full["account.md"]
    assert source.url in phone["sources.md"]  # the full entry keeps the address
    assert "It did happen." in full["account.md"] and "It did happen." not in phone["account.md"]
    # Notes are numbered by event and note, in the account's order; a note of our own keeps its text.
    assert "[^n1-1]" in phone["account.md"] and "[^n2-1]" in phone["account.md"] and "[^n2-2]: Our own remark." in (
        phone["account.md"])
    assert "](#2022-01-04-one)" in full["sources.md"]  # which events cite a source: only the full file lists them
    assert "](#2022-01-04-one)" not in phone["sources.md"] and "Events that cite it (2)" in phone["sources.md"]


def test_the_phone_file_says_what_it_leaves_to_the_full_file(events_dir: Writer) -> None:
    texts = render_pages(load_chronicle(events_dir({})), PHONE)
    sections = render_sections(texts, pages=PHONE, extensions=["footnotes", "attr_list", "toc", "tables",
                                                               "md_in_html"], configs={})
    document = single_html(sections, title="T", epoch=1641340800, about="Full: <code>x.html</code>")
    assert '<p class="export-about">Full: <code>x.html</code></p>' in document
    assert id_problems(document) == [] and external_references(document) == []
