"""The EPUB 3 of `chronicle export`: the single file's pages as a book for e-readers, whose notes pop up.

An e-reader is slow on one document of a megabyte and has no network, so the EPUB holds the same pages as the single
file (`export.manuscript`: the same Markdown, the same extensions, `offline.SingleFile`), each page a document of
its own and the account a document per day (a long day in parts, cut before an event). Nothing rendered is
rewritten: the account's Markdown is cut before rendering, each part rendered as XHTML (`export.render_section`),
and what must be another element in a book is changed on the element tree by one more tree processor (`_BookTree`):

- a link to an id of another document goes to that document (`file.xhtml#id`): the generated pages' ids follow
  the single file's rules (`render.id_prefix`), and the account's days and events are where it was cut;
- each note list becomes the notes themselves, one `<aside epub:type="footnote">` each, where the site puts them
  (after each event), and each mark a `noteref`: readers show the note in a pop-up, and its ↩ leads back;
- the headings are noted for the contents (nav.xhtml, and an NCX for readers of EPUB 2).

The places page comes without its map (see `without_map`).

The font is embedded (DejaVu Sans, `fonts/`, with its licence) and subset to the characters the book uses, so
Kazakh reads the same on every reader. The same tree and epoch give the same bytes: zip entries sorted, fixed
times and attributes (`export.zip_entry`), the mimetype first and stored; the identifier is a hash of the content.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html
import io
import itertools
import posixpath
import re
import unicodedata
import uuid
import xml.etree.ElementTree as etree
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote

# Python-Markdown ships no type information (and the package's stubs are not a dependency of ours).
from markdown import Markdown  # type: ignore[import-untyped]
from markdown.extensions import Extension  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]

from .editions import Words, short_date, words
from .export import ExportError, Manuscript, manuscript, render_section, zip_entry
from .render import id_prefix, map_block, section_id

PUBLISHER = "Qantar"
FONTS = Path(__file__).parent / "fonts"
# (file, weight, style): DejaVu Sans covers Latin and Cyrillic with the Kazakh letters; the account uses bold and
# italic (emphasis), never both at once.
FACES = (("DejaVuSans.ttf", "normal", "normal"), ("DejaVuSans-Bold.ttf", "bold", "normal"),
         ("DejaVuSans-Oblique.ttf", "normal", "italic"))
FONT_LICENCE = "LICENSE"
PRIORITY = -7  # after offline.SingleFile (-5), so links are final; before the guard's address check (-10)
# The headings of render_account_pages: a day's, an event's.
_DAY_HEADING = re.compile(r"^## .*\{: #(day-\d{4}-\d{2}-\d{2})[ }]", re.MULTILINE)
_EVENT_HEADING = re.compile(r"^### .*\{: #(\S+) \.chronicle-event[ }]", re.MULTILINE)
# A day's Markdown longer than this is cut before an event into several documents (its XHTML is about twice as
# long): an e-reader lays out a whole document at once, and older ones are slow past about 100 kB.
PART_CHARS = 50_000
_HEADINGS = {"h1": 1, "h2": 2, "h3": 3}
XHTML_NS = 'xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops"'


@dataclass
class Heading:
    level: int
    id: str
    text: str


@dataclass
class Document:
    """One XHTML document of the book: a page, or a part of the account."""

    name: str  # its file name, e.g. "account-2022-01-04.xhtml"
    page: str  # the page it comes from, e.g. "account.md"
    text: str  # its Markdown
    body: str = ""  # its XHTML, once rendered
    ids: set[str] = field(default_factory=set)
    headings: list[Heading] = field(default_factory=list)
    links: list[tuple[str, str]] = field(default_factory=list)  # (file, id) of each link to another document
    holds: list[str] = field(default_factory=list)  # the ids of the account's days and events it holds

    @property
    def title(self) -> str:
        return self.headings[0].text if self.headings else posixpath.splitext(self.name)[0]


def write_epub(config: Any, target: Path, *, epoch: int, commit: str | None) -> None:
    """Write the EPUB of the edition that `config` (a loaded MkDocs config with the chronicle plugin) builds."""
    written = manuscript(config)
    documents = book_documents(written)
    render_documents(documents, written)
    check_links(documents)
    write_container(target, book_files(config, written, documents, epoch=epoch, commit=commit), epoch)


def book_files(config: Any, written: Manuscript, documents: list[Document], *, epoch: int, commit: str | None
               ) -> dict[str, bytes]:
    """Every file of the book, by its path under EPUB/: the title page, the contents, the documents, the fonts and
    the stylesheet, the NCX and the package."""
    language = str(config.theme.get("language") or "en")
    title, description, notice = str(config.site_name), str(config.site_description or ""), str(config.copyright or "")
    w = words(language)
    pages = {"title.xhtml": title_page(title, description, notice, language, w, epoch=epoch, commit=commit),
             "nav.xhtml": nav_document(documents, written, title, language, w), **document_pages(documents, language)}
    files = {name: page.encode("utf-8") for name, page in pages.items()}
    for name, data in files.items():
        well_formed(name, data)
    files |= fonts(files)
    files["style.css"] = STYLESHEET.encode("utf-8")
    identifier = book_identifier(files)
    files["toc.ncx"] = ncx(documents, written, title, identifier).encode("utf-8")
    files["package.opf"] = package(files, documents, identifier=identifier, title=title, language=language,
                                   rights=notice or "Text under CC BY 4.0", description=description,
                                   epoch=epoch).encode("utf-8")
    return files


def document_pages(documents: list[Document], language: str) -> dict[str, str]:
    """Each rendered document as a page of the book; a page's first document carries its section's id."""
    firsts = {d.page: d.name for d in reversed(documents)}
    return {d.name: xhtml(d.title, d.body, language, section=section_id(d.page) if firsts[d.page] == d.name else "")
            for d in documents}


# --- The documents -------------------------------------------------------------------------------------------


def book_documents(written: Manuscript) -> list[Document]:
    """Every page of the single file as a document, in its order; the account cut at its days, the places page
    without its map (`without_map`)."""
    documents = []
    for page, text in written.texts.items():
        if page == written.pages.account:
            documents += account_documents(page, text)
        elif page == written.pages.places:
            documents.append(Document(f"{section_id(page)}.xhtml", page, without_map(text, written)))
        else:
            documents.append(Document(f"{section_id(page)}.xhtml", page, text))
    return documents


def without_map(text: str, written: Manuscript) -> str:
    """The places page's Markdown without the maps block (`render.map_block`, the one block of raw HTML the site
    writes). EPUBCheck 4.2 refuses the map's `<svg role="group">` (its schema allows no role but application,
    document or img on an SVG, where HTML now allows any), and a map's views need `:target`, which readers lack;
    the page's list of places, each with its coordinates and events, stays."""
    block = map_block(written.chronicle, written.pages)
    if block and block not in text:
        raise ExportError("the places page's map is not where the EPUB expects it (render.map_block)")
    return text.replace(block, "") if block else text


def account_documents(page: str, text: str) -> list[Document]:
    """The account's Markdown cut before each day's heading: its opening (title, introduction, legend), then the
    days' documents (`day_documents`)."""
    stem = section_id(page)
    days = list(_DAY_HEADING.finditer(text))
    documents = [Document(f"{stem}.xhtml", page, text[:days[0].start()] if days else text)]
    for day, following in zip(days, [*days[1:], None], strict=True):
        end = following.start() if following else len(text)
        documents += day_documents(page, f"{stem}-{day[1].removeprefix('day-')}", day[1], text[day.start():end])
    return documents


def day_documents(page: str, stem: str, day: str, text: str) -> list[Document]:
    """A day's Markdown as one document, or, past `PART_CHARS`, several, each cut before an event's heading: an
    event's notes follow it in the Markdown, so they stay in its document."""
    events = list(_EVENT_HEADING.finditer(text))
    cuts = [0]
    for event in events:
        if event.start() - cuts[-1] >= PART_CHARS:
            cuts.append(event.start())
    documents = []
    for number, (start, end) in enumerate(itertools.pairwise([*cuts, len(text)]), start=1):
        held = [e[1] for e in events if start <= e.start() < end]
        documents.append(Document(f"{stem}.xhtml" if number == 1 else f"{stem}-{number}.xhtml", page,
                                  text[start:end], holds=[day, *held] if number == 1 else held))
    return documents


@dataclass
class Locator:
    """Which document holds an id of the single file, known before any is rendered: a page's section id and the
    ids with its prefix (`render.id_prefix`) are in its (first) document; the account's day and event ids in the
    document cut for them; the account's other ids (the legend, the row of days) in its opening."""

    sections: dict[str, str]
    prefixes: list[tuple[str, str]]
    account: dict[str, str]
    opening: str

    def file_of(self, fragment: str) -> str:
        if fragment in self.sections:
            return self.sections[fragment]
        for prefix, name in self.prefixes:
            if fragment.startswith(prefix):
                return name
        return self.account.get(fragment, self.opening)

    def href(self, fragment: str) -> str:
        name = self.file_of(fragment)
        return name if fragment in self.sections else f"{name}#{fragment}"


def locator(documents: list[Document], written: Manuscript) -> Locator:
    pages = written.pages
    first: dict[str, str] = {}
    for document in documents:
        first.setdefault(document.page, document.name)
    prefixes = sorted(((id_prefix(pages, page), name) for page, name in first.items() if page != pages.account),
                      key=lambda item: -len(item[0]))
    account = {held: document.name for document in documents for held in document.holds}
    return Locator({section_id(page): name for page, name in first.items()}, prefixes, account,
                   first.get(pages.account, ""))


def render_documents(documents: list[Document], written: Manuscript) -> None:
    """Render each document's Markdown as XHTML, with the site's extensions, `offline.SingleFile` and `_BookTree`."""
    where = locator(documents, written)
    in_file = set(written.texts)
    for document in documents:
        section = render_section(document.page, document.text, pages=written.pages, in_file=in_file,
                                 extensions=written.extensions, configs=written.configs, base=written.docs,
                                 output_format="xhtml", more=(BookDocument(document, where),))
        document.body = section.body


def check_links(documents: list[Document]) -> None:
    """Every link to another document goes to an id it has."""
    ids = {d.name: d.ids for d in documents}
    broken = [f"{d.name} → {name}#{target}" for d in documents for name, target in d.links
              if name not in ids or target not in ids[name]]
    if broken:
        raise ExportError("the EPUB's links between documents are broken: " + "; ".join(broken[:5]))


class BookDocument(Extension):  # type: ignore[misc]
    """What a page needs to be a document of the book (see the module's docstring)."""

    def __init__(self, document: Document, where: Locator, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.document, self.where = document, where

    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown names these in camelCase
        md.registerExtension(self)
        md.treeprocessors.register(_BookTree(md, self), "chronicle_epub", PRIORITY)


class _BookTree(Treeprocessor):  # type: ignore[misc]
    def __init__(self, md: Markdown, extension: BookDocument):
        super().__init__(md)
        self.document, self.where = extension.document, extension.where

    def run(self, root: etree.Element) -> None:
        document = self.document
        document.ids = {found for element in root.iter() if (found := element.get("id"))}
        for parent in list(root.iter()):
            for index, child in reversed(list(enumerate(parent))):
                if child.tag == "div" and child.get("class") == "footnote":
                    parent[index:index + 1] = notes_as_asides(child)
        for element in root.iter():
            if element.tag == "a":
                self._link(element)
            elif element.tag in _HEADINGS and element.get("id"):
                text = " ".join("".join(element.itertext()).split())
                document.headings.append(Heading(_HEADINGS[element.tag], str(element.get("id")), text))

    def _link(self, link: etree.Element) -> None:
        kind = link.get("class")
        if kind == "footnote-ref":
            link.set("epub:type", "noteref")
            link.set("role", "doc-noteref")
        elif kind == "footnote-backref":
            link.set("role", "doc-backlink")
        href = str(link.get("href") or "")
        fragment = unquote(href[1:])
        if href.startswith("#") and fragment not in self.document.ids:
            link.set("href", self.where.href(fragment))
            if fragment not in self.where.sections:
                self.document.links.append((self.where.file_of(fragment), fragment))


def notes_as_asides(div: etree.Element) -> list[etree.Element]:
    """A note list (`div.footnote > ol > li`) as the notes themselves: an `<aside epub:type="footnote">` each, with
    its number before its text (the list's numbers are gone with the list)."""
    ol = div.find("ol")
    items = ol.findall("li") if ol is not None else []
    first = int(ol.get("start", "1")) if ol is not None else 1
    asides = []
    for number, item in enumerate(items, start=first):
        aside = etree.Element("aside", {"epub:type": "footnote", "role": "doc-footnote", "class": "footnote",
                                        "id": str(item.get("id"))})
        aside.text = item.text
        aside.extend(list(item))
        mark = etree.Element("span", {"class": "footnote-number"})
        mark.text = f"{number}."
        paragraph = aside.find("p")
        if paragraph is not None:
            mark.tail = " " + (paragraph.text or "")
            paragraph.text = None
            paragraph.insert(0, mark)
        asides.append(aside)
    if asides:
        asides[-1].tail = div.tail
    return asides


# --- The files around the documents --------------------------------------------------------------------------


def xhtml(title: str, body: str, language: str, *, section: str = "", kind: str = "chapter") -> str:
    """An XHTML document of the book around `body` (rendered XHTML, put in as it is)."""
    lang = html.escape(language)
    where = f' id="{html.escape(section)}"' if section else ""
    return "\n".join([
        '<?xml version="1.0" encoding="utf-8"?>', "<!DOCTYPE html>",
        f'<html {XHTML_NS} lang="{lang}" xml:lang="{lang}">',
        "<head>", '<meta charset="utf-8" />', f"<title>{html.escape(title)}</title>",
        '<link rel="stylesheet" type="text/css" href="style.css" />', "</head>",
        "<body>", f'<section epub:type="{kind}"{where}>', body, "</section>", "</body>", "</html>", ""])


def title_page(title: str, description: str, notice: str, language: str, w: Words, *, epoch: int,
               commit: str | None) -> str:
    """The first page: the title, what the book is, its date (and commit), and its licence."""
    day = dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    origin = w.from_commit.format(commit=html.escape(commit)) if commit else ""
    parts = [f'<h1 class="book-title">{html.escape(title)}</h1>',
             f"<p>{html.escape(description)}</p>" if description else "",
             f'<p class="book-about">{w.offline_about.format(date=short_date(day, w.code), origin=origin)}</p>',
             f'<p class="book-about">{html.escape(notice)}</p>' if notice else ""]
    return xhtml(title, "\n".join(p for p in parts if p), language, kind="titlepage")


@dataclass
class Entry:
    """An entry of the contents: its text, its target, and the entries under it."""

    text: str
    href: str
    children: list[Entry] = field(default_factory=list)


def contents(documents: list[Document], written: Manuscript) -> list[Entry]:
    """Each page's entry; under the account, its days, and under each day its events."""
    entries: dict[str, Entry] = {}
    for document in documents:
        if document.page not in entries:
            entries[document.page] = Entry(document.title, document.name)
        elif document.page == written.pages.account:
            days = entries[document.page].children
            for heading in document.headings:
                entry = Entry(heading.text, f"{document.name}#{heading.id}")
                if heading.level == 2:
                    days.append(entry)
                elif heading.level == 3 and days:
                    days[-1].children.append(entry)
    return list(entries.values())


def nav_document(documents: list[Document], written: Manuscript, title: str, language: str, w: Words) -> str:
    """nav.xhtml: the contents (pages, the account's days and events) and the landmarks."""

    def listed(entries: list[Entry]) -> str:
        return "<ol>" + "".join(f'<li><a href="{html.escape(e.href)}">{html.escape(e.text)}</a>'
                                + (listed(e.children) if e.children else "") + "</li>" for e in entries) + "</ol>"

    pages = written.pages
    names = {d.page: d.name for d in reversed(documents)}
    marks = [("toc", "nav.xhtml#toc", w.contents), ("titlepage", "title.xhtml", title)]
    marks += [(kind, names[page], text) for kind, page, text in
              (("bodymatter", pages.account, pages.account_title), ("bibliography", pages.sources, w.sources_title))
              if page in names]
    landmarks = "".join(f'<li><a epub:type="{kind}" href="{href}">{html.escape(text)}</a></li>'
                        for kind, href, text in marks)
    body = (f'<nav epub:type="toc" id="toc" role="doc-toc"><h1>{html.escape(w.contents)}</h1>'
            f"{listed(contents(documents, written))}</nav>\n"
            f'<nav epub:type="landmarks" hidden="hidden"><ol>{landmarks}</ol></nav>')
    return xhtml(w.contents, body, language, kind="frontmatter")


def ncx(documents: list[Document], written: Manuscript, title: str, identifier: str) -> str:
    """toc.ncx: the same contents for readers of EPUB 2."""
    order = [0]

    def points(entries: list[Entry]) -> str:
        out = []
        for entry in entries:
            order[0] += 1
            out.append(f'<navPoint id="nav-{order[0]}" playOrder="{order[0]}"><navLabel><text>'
                       f'{html.escape(entry.text)}</text></navLabel><content src="{html.escape(entry.href)}"/>'
                       f"{points(entry.children)}</navPoint>")
        return "".join(out)

    navmap = points(contents(documents, written))
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<ncx xmlns="http://www.daisy.org/z3986/2005/ncx/" version="2005-1"><head>'
            f'<meta name="dtb:uid" content="{html.escape(identifier)}"/><meta name="dtb:depth" content="3"/>'
            '<meta name="dtb:totalPageCount" content="0"/><meta name="dtb:maxPageNumber" content="0"/></head>'
            f"<docTitle><text>{html.escape(title)}</text></docTitle><navMap>{navmap}</navMap></ncx>\n")


def well_formed(name: str, data: bytes) -> None:
    """Stop the export on a document a reader's XML parser would refuse (read only: nothing is written back)."""
    try:
        etree.fromstring(data)
    except etree.ParseError as exc:
        raise ExportError(f"the EPUB's {name} is not well-formed XML: {exc}") from exc


def fonts(files: dict[str, bytes]) -> dict[str, bytes]:
    """The font's faces subset to the characters of `files` (the book's documents), and its licence."""
    used = set(html.unescape("".join(data.decode("utf-8") for data in files.values())))
    out = {f"fonts/{name}": subset_font(FONTS / name, used) for name, _, _ in FACES}
    out[f"fonts/{FONT_LICENCE}"] = (FONTS / FONT_LICENCE).read_bytes()
    return out


def subset_font(path: Path, characters: set[str]) -> bytes:
    """The font at `path` with only the glyphs of `characters` (and what they need: accents, kerning), the same
    bytes each time (no new timestamp); refused when it lacks a character the book shows."""
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    font = TTFont(path, recalcTimestamp=False)
    covered = set(font.getBestCmap())
    missing = sorted(c for c in characters if ord(c) not in covered and unicodedata.category(c)[0] not in "CZ")
    if missing:
        shown = " ".join(f"{c} (U+{ord(c):04X})" for c in missing[:10])
        raise ExportError(f"the EPUB's font {path.name} has no glyph for {shown}: add a font that has them to "
                          f"{FONTS}")
    options = subset.Options()
    options.recalc_timestamp = False
    options.name_IDs = ["*"]  # its copyright, licence and names stay in the font
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.drop_tables += ["FFTM"]  # FontForge's own timestamps, which fontTools cannot subset
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted({ord(c) for c in characters} & covered))
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out, reorderTables=True)
    return out.getvalue()


def book_identifier(files: dict[str, bytes]) -> str:
    """urn:uuid: derived from every file of the book, so the same book has the same identifier."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0" + hashlib.sha256(files[name]).digest())
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'urn:sha256:' + digest.hexdigest())}"


MEDIA_TYPES = {".xhtml": "application/xhtml+xml", ".css": "text/css", ".ttf": "font/ttf",
               ".ncx": "application/x-dtbncx+xml", "": "text/plain"}


def package(files: dict[str, bytes], documents: list[Document], *, identifier: str, title: str, language: str,
            rights: str, description: str, epoch: int) -> str:
    """package.opf: the metadata, every file, and the reading order."""
    when = dt.datetime.fromtimestamp(epoch, dt.UTC)
    spine = ["title.xhtml", "nav.xhtml", *(d.name for d in documents)]
    names = spine + sorted(n for n in files if n not in spine)

    def item(name: str) -> str:
        properties = ["nav"] if name == "nav.xhtml" else []
        properties += ["svg"] if name.endswith(".xhtml") and b"<svg" in files[name] else []
        listed = f' properties="{" ".join(properties)}"' if properties else ""
        kind = MEDIA_TYPES[posixpath.splitext(name)[1]]
        return f'<item id="{_item_id(name)}" href="{html.escape(name)}" media-type="{kind}"{listed}/>'

    metadata = [f'<dc:identifier id="book-id">{identifier}</dc:identifier>',
                f"<dc:title>{html.escape(title)}</dc:title>", f"<dc:language>{html.escape(language)}</dc:language>",
                f"<dc:creator>{PUBLISHER}</dc:creator>", f"<dc:publisher>{PUBLISHER}</dc:publisher>",
                f"<dc:rights>{html.escape(rights)}</dc:rights>", f"<dc:date>{when.date().isoformat()}</dc:date>",
                f"<dc:description>{html.escape(description)}</dc:description>" if description else "",
                f'<meta property="dcterms:modified">{when.strftime("%Y-%m-%dT%H:%M:%SZ")}</meta>']
    return "\n".join([
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="book-id" '
        f'xml:lang="{html.escape(language)}">',
        '<metadata xmlns:dc="http://purl.org/dc/elements/1.1/">', *(m for m in metadata if m), "</metadata>",
        "<manifest>", *(item(n) for n in names), "</manifest>",
        f'<spine toc="{_item_id("toc.ncx")}">', *(f'<itemref idref="{_item_id(n)}"/>' for n in spine), "</spine>",
        "</package>", ""])


def _item_id(name: str) -> str:
    return "item-" + re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-")


CONTAINER = ('<?xml version="1.0" encoding="utf-8"?>\n'
             '<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles>'
             '<rootfile full-path="EPUB/package.opf" media-type="application/oebps-package+xml"/>'
             "</rootfiles></container>\n")


def write_container(target: Path, files: dict[str, bytes], epoch: int) -> None:
    """The EPUB's zip: the mimetype first and stored, then META-INF/container.xml and the book's files under EPUB/,
    sorted, each with the export's fixed time and attributes."""
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(zip_entry("mimetype", epoch, stored=True), b"application/epub+zip")
        archive.writestr(zip_entry("META-INF/container.xml", epoch), CONTAINER.encode("utf-8"), compresslevel=9)
        for name in sorted(files):
            archive.writestr(zip_entry(f"EPUB/{name}", epoch), files[name], compresslevel=9)


# The book's stylesheet: few rules, the reader's own colours and margins; no variables, no media queries (many
# readers know neither).
STYLESHEET = """
@font-face { font-family: "DejaVu Sans"; font-weight: normal; font-style: normal; src: url(fonts/DejaVuSans.ttf); }
@font-face { font-family: "DejaVu Sans"; font-weight: bold; font-style: normal; src: url(fonts/DejaVuSans-Bold.ttf); }
@font-face { font-family: "DejaVu Sans"; font-weight: normal; font-style: italic;
             src: url(fonts/DejaVuSans-Oblique.ttf); }
body { font-family: "DejaVu Sans", sans-serif; line-height: 1.45; }
h1 { font-size: 1.5em; margin: 0.8em 0 0.5em; }
h2 { font-size: 1.3em; margin: 1.2em 0 0.4em; }
h3 { font-size: 1.1em; margin: 1.2em 0 0.3em; }
h1, h2, h3 { page-break-after: avoid; }
.book-title { font-size: 1.8em; margin-top: 2em; }
.book-about, .chronicle-meta, .chronicle-days { font-size: 0.9em; }
.chronicle-event { border-left: 0.25em solid #8a8a8a; padding-left: 0.4em; }
.chronicle-observed { border-left-color: #2e7d32; }
.chronicle-reported { border-left-color: #1565c0; }
.chronicle-official-claim { border-left-color: #8d6e00; }
.chronicle-disputed { border-left-color: #c62828; }
a.chronicle-status { color: inherit; font-weight: bold; text-decoration: none; border: 1px solid #8a8a8a;
                     border-left-width: 0.3em; padding: 0 0.3em; }
a.chronicle-status-observed { border-color: #2e7d32; }
a.chronicle-status-reported { border-color: #1565c0; }
a.chronicle-status-official-claim { border-color: #8d6e00; }
a.chronicle-status-disputed { border-color: #c62828; }
.admonition { border: 1px solid #8a8a8a; border-left: 0.3em solid #c62828; margin: 0.8em 0; padding: 0 0.7em; }
.admonition.note, .admonition.info { border-left-color: #1565c0; }
.admonition-title, summary { font-weight: bold; margin: 0.4em 0; }
details { border-left: 2px solid #8a8a8a; margin: 0.4em 0; padding-left: 0.6em; }
summary { display: block; }
blockquote { margin: 0.4em 0 0.4em 0.8em; }
aside.footnote { font-size: 0.85em; margin: 0.3em 0 0.3em 0.8em; }
.footnote-number { font-weight: bold; }
sup { font-size: 0.75em; line-height: 0; }
table { border-collapse: collapse; font-size: 0.9em; margin: 0.6em 0; }
th, td { border-bottom: 1px solid #8a8a8a; padding: 0.2em 0.4em; text-align: left; vertical-align: top; }
.export-link-url { font-size: 0.85em; word-wrap: break-word; }
figure { margin: 0.8em 0; }
svg { max-width: 100%; height: auto; }
nav ol { list-style: none; padding-left: 1em; }
"""
