"""The ZIM file of `chronicle export`: the offline site as one file for Kiwix.

ZIM (https://wiki.openzim.org/wiki/ZIM_file_format) is the format Kiwix reads: one file holding every page
and asset with a full-text and a title index, which Kiwix apps on phones and desktops and `kiwix-serve` on a
school's or a newsroom's network open, search and pass on without a connection. The file is written with
libzim (the reference library, through its Python binding) from the site built for `file://`: every file of
the site an entry with its MIME type, the HTML pages front articles under their own titles, `index.html` the
main page, both indexes in the edition's language, and the metadata Kiwix's library shows (`Book`).

Determinism: two writes of the same site by libzim differ in exactly 64 bytes. The file's UUID (header bytes
8-23) is random and the binding cannot set it (libzim's `Creator::setUuid` is left out of it); each of the two
Xapian indexes inside (`X/fulltext/xapian`, `X/title/xapian`: glass databases, stored uncompressed) draws a
random UUID of its own (bytes 16-31 of the database, after its magic and version); and the MD5 checksum (the
last 16 bytes) covers all three. With more than one worker the full-text index would also take its documents
in the order the threads finish them, so one worker writes it. Everything else follows from the site: items
are added in sorted order and MIME types come from the table here, not the system's. `settle` then overwrites
the three UUIDs with ones derived from a hash of the rest of the file and writes the checksum again, so the
same site and date give the same bytes (with the same libzim wheel: the zstd and Xapian it bundles).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import math
import os
import re
import struct
import sys
import uuid
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from libzim.writer import Creator, Hint, Item, StringProvider  # type: ignore[import-untyped]

from . import __version__
from .export import ExportError

MAIN_PAGE = "index.html"
CREATOR = PUBLISHER = "Qantar"
LICENSE = "Text: CC BY 4.0 (https://creativecommons.org/licenses/by/4.0/); code: MIT"
# Kiwix's own tags: a full-text index, the site's images, no videos, whole pages. Without them libkiwix's catalog
# (kiwix-serve 3.3) says "_ftindex:no;_videos:yes".
TAGS = "_ftindex:yes;_pictures:yes;_videos:no;_details:yes"
# The editions' languages (`theme.language`) as ISO 639-3, which ZIM metadata and libzim's indexer take.
LANGUAGES = {"en": "eng", "ru": "rus", "kk": "kaz"}
# Limits of Kiwix's metadata (zimcheck's and libzim's checks count UTF-16 code units, as ICU does).
TITLE_LIMIT = 30
DESCRIPTION_LIMIT = 80
LONG_DESCRIPTION_LIMIT = 4000
# MIME types by file extension: a fixed table, not the system's (which differs between machines).
MIME_TYPES = {
    "html": "text/html", "css": "text/css", "js": "text/javascript", "json": "application/json",
    "map": "application/json", "csv": "text/csv;charset=utf-8", "txt": "text/plain;charset=utf-8",
    "": "text/plain;charset=utf-8", "xml": "application/xml", "svg": "image/svg+xml", "png": "image/png",
    "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "webp": "image/webp", "avif": "image/avif",
    "ico": "image/vnd.microsoft.icon", "woff": "font/woff", "woff2": "font/woff2", "ttf": "font/ttf",
    "pdf": "application/pdf", "gz": "application/gzip",
}
UNCOMPRESSED = ("image/png", "image/jpeg", "image/gif", "image/webp", "image/avif", "font/woff", "font/woff2",
                "application/gzip", "application/pdf")  # compressed already
MARK_COLOUR = (0x3F, 0x51, 0xB5)  # Material's indigo, the site's primary colour


@dataclass(frozen=True)
class Book:
    """What Kiwix's library says about one edition's ZIM file: its metadata."""

    name: str  # Kiwix's naming convention: project_language_selection, e.g. "qantar_en_all"
    title: str
    language: str  # ISO 639-3
    date: str  # YYYY-MM-DD
    description: str
    long_description: str
    source: str
    site_name: str  # what Material appends to each page's <title>, taken off again for the ZIM's titles

    def metadata(self) -> dict[str, str]:
        """The text metadata, by name (the illustration is added apart)."""
        entries = {"Name": self.name, "Title": self.title, "Language": self.language, "Creator": CREATOR,
                   "Publisher": PUBLISHER, "Date": self.date, "Description": self.description,
                   "LongDescription": self.long_description, "License": LICENSE, "Tags": TAGS,
                   "Source": self.source, "Scraper": f"chronicle {__version__} (chronicle export)"}
        return {key: value for key, value in entries.items() if value}


def zim_book(config: Any, name: str, epoch: int) -> Book:
    """The metadata of the ZIM of the site of `config` (a loaded MkDocs config); `name`: the export's base name
    (e.g. "qantar-ru"); `epoch`: SOURCE_DATE_EPOCH, whose day is the ZIM's date."""
    code = str(config.theme.get("language") or "en").lower().split("-")[0]
    if code not in LANGUAGES:
        raise ExportError(f"no ISO 639-3 code for the language {code!r}: add it to LANGUAGES in chronicle/zim.py")
    site_name = " ".join(str(config.site_name).split())
    description = " ".join(str(config.site_description or site_name).split())
    short = shorten(description, DESCRIPTION_LIMIT)
    notice = " ".join(str(config.copyright or "").split())
    long = shorten(" ".join(p for p in (description, notice) if p), LONG_DESCRIPTION_LIMIT)
    return Book(name=book_name(name, code), title=zim_title(site_name), language=LANGUAGES[code],
                date=dt.datetime.fromtimestamp(epoch, dt.UTC).strftime("%Y-%m-%d"), description=short,
                long_description=long if long != short and len(long.encode()) >= len(short.encode()) else "",
                source=str(config.repo_url or ""), site_name=site_name)


def book_name(name: str, code: str) -> str:
    """Kiwix's name of the book: "qantar" or "qantar-ru" in Russian → "qantar_ru_all"."""
    base = name.lower().removesuffix(f"-{code}").removesuffix(f"_{code}")
    base = re.sub(r"[^a-z0-9.-]+", "-", base).strip("-.") or "qantar"
    return f"{base}_{code}_all"


def text_length(text: str) -> int:
    """The length zimcheck measures: UTF-16 code units (ICU's), never fewer than characters or graphemes."""
    return len(text.encode("utf-16-le")) // 2


def zim_title(site_name: str) -> str:
    """The site's name if it fits Kiwix's limit; else what follows its "Project: " (the project is the book's
    creator and publisher); else the name shortened."""
    if text_length(site_name) <= TITLE_LIMIT:
        return site_name
    _project, colon, rest = site_name.partition(": ")
    if colon and rest and text_length(rest) <= TITLE_LIMIT:
        return rest
    return shorten(site_name, TITLE_LIMIT)


CLAUSE_END = re.compile(r"[,;:]\s|\s[–—]\s")


def shorten(text: str, limit: int) -> str:
    """`text` in at most `limit` UTF-16 units: whole if it fits, else cut after its last clause that leaves at
    least half the room used, else after its last whole word, and an ellipsis added."""
    if text_length(text) <= limit:
        return text
    room = limit - 1  # the ellipsis
    clauses = [m.start() for m in CLAUSE_END.finditer(text) if limit // 2 <= text_length(text[:m.start()]) <= room]
    if clauses:
        cut = text[:clauses[-1]]
    else:
        words = [m.start() for m in re.finditer(r"\s", text) if text_length(text[:m.start()]) <= room]
        cut = text[:words[-1]] if words else _prefix(text, room)
    return cut.rstrip(" ,;:–—-") + "…"


def _prefix(text: str, room: int) -> str:
    out = ""
    for char in text:
        if text_length(out + char) > room:
            break
        out += char
    return out


# --- The site's files as entries -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One file of the site as an entry of the ZIM."""

    path: str  # the file's path in the site, e.g. "assets/stylesheets/main.css": the entry's path in the ZIM
    title: str  # a page's title; "" for everything else
    mimetype: str
    content: bytes

    @property
    def front(self) -> bool:
        return self.mimetype == "text/html"


def site_entries(site: Path, site_name: str) -> list[Entry]:
    """Every file under `site` as an entry, sorted by path."""
    files = sorted((p.relative_to(site).as_posix(), p) for p in site.rglob("*") if p.is_file())
    entries = []
    for path, file in files:
        mimetype = mime_type(path)
        content = file.read_bytes()
        title = page_title(content.decode("utf-8", errors="replace"), site_name) if mimetype == "text/html" else ""
        entries.append(Entry(path, title or (path if mimetype == "text/html" else ""), mimetype, content))
    return entries


def mime_type(path: str) -> str:
    name = path.rsplit("/", 1)[-1]
    extension = name.rpartition(".")[2].lower() if "." in name else ""
    try:
        return MIME_TYPES[extension]
    except KeyError:
        raise ExportError(f"the site has a file of a type the ZIM does not know, {path}: add its extension to "
                          "MIME_TYPES in chronicle/zim.py") from None


class _TitleReader(HTMLParser):
    """The text of the <title> in a page's <head> (an SVG's <title> in the body is a tooltip, not the page's)."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.inside = False
        self.done = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title" and not self.done:
            self.inside = True
        elif tag in ("body", "svg"):
            self.done = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "title" and self.inside:
            self.inside, self.done = False, True

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.parts.append(data)


def page_title(page: str, site_name: str) -> str:
    """A page's <title>, less the " - <site name>" Material appends (every title in the book would end so)."""
    head = page.split("</head>", 1)[0]
    reader = _TitleReader()
    reader.feed(head)
    reader.close()
    title = " ".join("".join(reader.parts).split())
    for suffix in (f" - {site_name}", f" – {site_name}"):
        if title.endswith(suffix) and len(title) > len(suffix):
            return title[: -len(suffix)]
    return title


class _SiteItem(Item):  # type: ignore[misc]  # libzim ships stubs but no py.typed marker
    def __init__(self, entry: Entry) -> None:
        super().__init__()
        self.entry = entry

    def get_path(self) -> str:
        return self.entry.path

    def get_title(self) -> str:
        return self.entry.title

    def get_mimetype(self) -> str:
        return self.entry.mimetype

    def get_contentprovider(self) -> Any:
        return StringProvider(self.entry.content)

    def get_hints(self) -> dict[Any, int]:
        return {Hint.FRONT_ARTICLE: self.entry.front, Hint.COMPRESS: self.entry.mimetype not in UNCOMPRESSED}


# --- Writing -------------------------------------------------------------------------------------------------


def write_zim(site: Path, target: Path, book: Book) -> None:
    """Write every file of the built site `site` into the ZIM file `target`, with `book`'s metadata."""
    entries = site_entries(site, book.site_name)
    if not any(e.path == MAIN_PAGE for e in entries):
        raise ExportError(f"the site has no {MAIN_PAGE} to be the ZIM's main page")
    # One worker: with more, the indexes' documents are added in the order the threads finish.
    creator = Creator(target).config_indexing(True, book.language).config_nbworkers(1).config_verbose(False)
    with _quiet_stdout(), creator:
        creator.set_mainpath(MAIN_PAGE)
        for key, value in book.metadata().items():
            creator.add_metadata(key, value)
        creator.add_illustration(48, mark_png(48))
        for entry in entries:
            creator.add_item(_SiteItem(entry))
    settle(target)


@contextlib.contextmanager
def _quiet_stdout() -> Iterator[None]:
    """libzim prints its steps ("Index titles", "ZIM file is ready!") on the process's standard output whatever
    `config_verbose` says; the export's own output lists the files it wrote. Errors still raise, with their
    message, and standard error is left alone."""
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        with open(os.devnull, "wb") as null:
            os.dup2(null.fileno(), 1)
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


# --- Determinism: the UUIDs libzim and Xapian draw at random -------------------------------------------------

# The ZIM header (https://wiki.openzim.org/wiki/ZIM_file_format#Header): magic, versions, UUID, entry and
# cluster counts, the positions of the path, title and cluster pointer lists and of the MIME type list, main and
# layout page, and the position of the MD5 checksum (the file's last 16 bytes).
HEADER = struct.Struct("<IHH16sIIQQQQIIQ")
ZIM_MAGIC = 72173914
UUID_AT = 8  # the header's UUID: bytes 8-23
XAPIAN_ENTRIES = ("X/fulltext/xapian", "X/title/xapian")
# A glass database's version file (the start of the database libzim stores): the magic, the format's version in
# two bytes, then the database's UUID.
GLASS_MAGIC = b"\x0f\x0dXapian Glass"
GLASS_UUID_AT = len(GLASS_MAGIC) + 2


def settle(path: Path) -> None:
    """Replace the random UUIDs of the ZIM at `path`, its own and its Xapian indexes', with ones derived from
    a hash of the rest of its bytes, and write its MD5 checksum again."""
    data = bytearray(path.read_bytes())
    spans = uuid_spans(bytes(data))
    checksum_at = len(data) - 16
    for start in spans:
        data[start:start + 16] = bytes(16)
    digest = hashlib.sha256(data[:checksum_at]).hexdigest()
    for number, start in enumerate(spans):
        data[start:start + 16] = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:sha256:{digest}#{number}").bytes
    data[checksum_at:] = hashlib.md5(data[:checksum_at]).digest()
    path.write_bytes(bytes(data))


def uuid_spans(data: bytes) -> list[int]:
    """Where the 16-byte UUIDs of a ZIM file start: its header's, then each Xapian index's."""
    header = HEADER.unpack_from(data)
    if header[0] != ZIM_MAGIC or header[12] != len(data) - 16:
        raise ExportError("libzim wrote a file that is not a ZIM file with its checksum at its end")
    return [UUID_AT] + [blob + GLASS_UUID_AT for blob in xapian_blobs(data)]


def xapian_blobs(data: bytes) -> list[int]:
    """Where the Xapian databases stored in a ZIM file start (read from its directory entries)."""
    entry_count, cluster_count, path_pointers, cluster_pointers = (HEADER.unpack_from(data)[i] for i in (4, 5, 6, 8))
    found = {}
    for index in range(entry_count):
        (at,) = struct.unpack_from("<Q", data, path_pointers + 8 * index)
        mimetype, _, namespace = struct.unpack_from("<HBc", data, at)
        if mimetype >= 0xFFFD:  # a redirect, link target or deleted entry: no content
            continue
        cluster, blob = struct.unpack_from("<II", data, at + 8)
        path_end = data.index(b"\0", at + 16)
        path = namespace.decode("latin-1") + "/" + data[at + 16:path_end].decode("utf-8")
        if path in XAPIAN_ENTRIES and cluster < cluster_count:
            found[path] = _blob_start(data, cluster_pointers, cluster, blob)
    starts = [found[p] for p in XAPIAN_ENTRIES if p in found]
    if len(starts) != len(XAPIAN_ENTRIES) or any(data[s:s + len(GLASS_MAGIC)] != GLASS_MAGIC for s in starts):
        raise ExportError("libzim's Xapian indexes are not where or what they were expected to be: see "
                          "chronicle/zim.py on determinism")
    return starts


def _blob_start(data: bytes, cluster_pointers: int, cluster: int, blob: int) -> int:
    (start,) = struct.unpack_from("<Q", data, cluster_pointers + 8 * cluster)
    info = data[start]
    if info & 0x0F not in (0, 1):  # compressed: its bytes are not the database's
        raise ExportError("libzim compressed a Xapian index: see chronicle/zim.py on determinism")
    fmt = "<Q" if info & 0x10 else "<I"  # extended clusters have 8-byte offsets
    (offset,) = struct.unpack_from(fmt, data, start + 1 + struct.calcsize(fmt) * blob)
    return int(start + 1 + offset)


# --- The illustration: a 48×48 PNG drawn here ----------------------------------------------------------------


def mark_png(size: int = 48) -> bytes:
    """The book's mark: a white "Q" on the site's indigo, in a square with rounded corners, anti-aliased."""
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # filter: none
        for x in range(size):
            rows.extend(_pixel(x, y, size))
    return _png(size, size, bytes(rows))


SAMPLES = 4  # per pixel and axis, for anti-aliasing


def _pixel(x: int, y: int, size: int) -> bytes:
    inside = ink = 0
    for i in range(SAMPLES):
        for j in range(SAMPLES):
            u, v = (x + (i + 0.5) / SAMPLES) / size, (y + (j + 0.5) / SAMPLES) / size  # 0..1
            if _in_square(u, v):
                inside += 1
                ink += _in_q(u, v)
    total = SAMPLES * SAMPLES
    if not inside:
        return bytes(4)
    share = ink / inside
    red, green, blue = (round(c + (255 - c) * share) for c in MARK_COLOUR)
    return bytes((red, green, blue, round(255 * inside / total)))


def _in_square(u: float, v: float, radius: float = 0.2) -> bool:
    dx, dy = max(radius - u, 0.0, u - 1 + radius), max(radius - v, 0.0, v - 1 + radius)
    return dx * dx + dy * dy <= radius * radius


def _in_q(u: float, v: float) -> bool:
    """The letter: a ring, and a tail across its lower right, from inside it to out past it."""
    if 0.2 <= math.hypot(u - 0.5, v - 0.46) <= 0.32:
        return True
    du, dv = u - 0.6, v - 0.56  # the tail starts inside the ring
    along, across = (du + dv) / math.sqrt(2), abs(du - dv) / math.sqrt(2)
    return 0.0 <= along <= 0.3 and across <= 0.06


def _png(width: int, height: int, rows: bytes) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9))
            + chunk(b"IEND", b""))
