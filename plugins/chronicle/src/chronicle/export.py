"""`chronicle export`: the account for readers without a network, or on a watched one.

Writes three files into `dist/`:

1. `qantar-site.zip`: the whole site built for `file://` (Material's `offline` plugin, no directory URLs),
   in a folder to unzip and open by double-clicking `index.html`. Two things the stock offline build gets
   wrong are fixed here: Material loads its Web Worker shim (`iframe-worker`, needed by search on
   `file://`) from unpkg.com, so we copy it from `node_modules/` (pinned in package.json) into the site's
   own assets; and the repository button would ask api.github.com for stars and releases (the theme override
   `overrides/partials/source.html` keeps its link without the hook that does). Together: zero requests leave
   the machine.
2. `qantar.html`: one self-contained HTML file of the account, timeline, places and sources (plus the home
   and methodology pages), with its stylesheet inline, images as `data:` URIs, a Content-Security-Policy
   that forbids any load, and links to other hosts printed as text rather than clickable.
3. `qantar.pdf`: that file printed by headless Chromium (its command line, so Playwright is not needed),
   with page numbers (CSS `@page` margin boxes) and the notes at the end of the account.

Why the single file is made from the generated Markdown and not from the built pages: a built page is
Material's layout (about 400 kB of JavaScript and CSS per page, navigation, search, palette toggles) that
does nothing in a single file or on paper, and stitching five built pages together would mean undoing their
layout. So the single file is the pages' Markdown rendered again, for the file, the way Material's blog renders a
post's excerpt for another page: the site's own Markdown extensions, and one more of its own. Nothing rendered
is rewritten afterwards:

- the generator writes the single file's Markdown (`render.Pages.single_file`): links between pages are
  fragments of the file and every page's ids but the account's carry their section's prefix (the timeline and
  the account both have `#day-2022-01-04`), the places map included;
- each page is rendered with toc making its headings' ids with that prefix, and with `offline.SingleFile`, the
  one tree processor for what must be another element in the file (a link to another host printed as text, an
  image inlined, a passage's <details> open; see offline.py);
- `single_html` puts the sections into the document, a plain template with the stylesheet inline and a
  Content-Security-Policy that forbids any load; `external_references` and `id_problems` then read the finished
  file (read only) and stop the export if anything would leave it or an in-file link goes nowhere.

Determinism: every time written (zip entries, the export date, PDF dates) comes from SOURCE_DATE_EPOCH,
else the last commit, else the newest input file; zip entries are sorted with fixed attributes; the PDF's
creation and modification dates are overwritten in place, and the PDF is printed until two prints agree.
The same tree gives the same bytes.

The pure steps (`render_sections`, `single_html`, `external_references`, `write_zip`, `fix_pdf_dates`) take and
return plain values and are unit-tested; `run` drives MkDocs and Chromium around them.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import html
import importlib
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser  # read only: `_Reader` checks the finished file, nothing is written back
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from .chronicle import Chronicle, load_chronicle, settings_from
from .cli import add_config_argument
from .editions import edition_docs
from .export_style import STYLESHEET
from .offline import SingleFile, SingleFileError
from .problems import ChronicleError, plain_line
from .render import Pages, id_prefix, render_pages, section_id
from .tree import DOCS_FILES, walk
from .verify import require_extensions

NAME = "qantar"
SHIM_PACKAGE = "iframe-worker"
SHIM_SOURCE = Path("shim") / "index.js"  # what https://unpkg.com/iframe-worker/shim resolves to
SHIM_TARGET = "assets/javascripts/iframe-worker/shim.js"
HAND_WRITTEN_FIRST = ("index.md",)  # hand-written pages put before the generated ones, if present
# and after them (how to check a copy: a file passed on should say how to tell it was not altered)
HAND_WRITTEN_LAST = ("methodology.md", "verify.md")
# Files for a web server or a crawler that mean nothing from file:// (404.html links its assets from "/").
SERVER_ONLY = ("404.html", "sitemap.xml", "sitemap.xml.gz")
EARLIEST_ZIP_TIME = 315532800  # 1980-01-01: zip dates cannot be earlier
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'"
URL_ATTRIBUTES = ("href", "src", "srcset", "action", "formaction", "poster", "data", "xlink:href", "background",
                  "longdesc", "manifest", "ping", "cite", "codebase", "archive", "profile", "usemap", "icon")


class ExportError(Exception):
    """Something in the content or the environment stops the export; the message says what to do."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `chronicle export`."""
    add_config_argument(parser)
    parser.add_argument("-o", "--output-dir", type=Path, default=Path("dist"),
                        help="folder to write the zip, HTML and PDF into (default: %(default)s)")
    parser.add_argument("--name", default=NAME, help="base name of the three files (default: %(default)s)")
    parser.add_argument("--node-modules", type=Path,
                        help=f"node_modules folder holding {SHIM_PACKAGE} (default: next to the config file)")
    parser.add_argument("--chromium", type=Path,
                        help="Chromium to print the PDF with (default: $QANTAR_CHROMIUM, else chromium on PATH)")
    parser.add_argument("--no-pdf", action="store_true", help="write no PDF")
    parser.add_argument("--no-zim", action="store_true", help="write no ZIM file (for Kiwix)")
    parser.add_argument("--no-epub", action="store_true", help="write no EPUB")


def run(args: argparse.Namespace) -> int:
    """`chronicle export`."""
    started = time.monotonic()
    config_file: Path = args.config_file.resolve()
    out: Path = args.output_dir.resolve()
    try:
        if not config_file.is_file():
            raise ExportError(f"no config file at {config_file}")
        root = config_file.parent
        chromium = None if args.no_pdf else find_chromium(args.chromium)
        shim = (args.node_modules or root / "node_modules").resolve() / SHIM_PACKAGE / SHIM_SOURCE
        if not shim.is_file():
            raise ExportError(f"no {shim}: run `npm ci` (package.json pins {SHIM_PACKAGE}) or pass --node-modules")
        epoch = source_date_epoch(root)
        out.mkdir(parents=True, exist_ok=True)
        written = []
        with tempfile.TemporaryDirectory(prefix="chronicle-export-") as tmp:
            site = Path(tmp) / f"{args.name}-site"
            config = build_offline_site(config_file, site, shim, epoch)
            written.append(_replace(out / f"{args.name}-site.zip",
                                    lambda path: write_zip(site, path, folder=site.name, epoch=epoch)))
            make = single_document(config, epoch, _commit(root))
            document = make(None)
            _self_contained(document, "the single file")
            html_path = _replace(out / f"{args.name}.html", lambda path: path.write_text(document, encoding="utf-8"))
            written.append(html_path)
            phone = phone_file(config, epoch, _commit(root), full=html_path.name)
            written.append(_replace(out / f"{args.name}-phone.html",
                                    lambda path: path.write_text(phone, encoding="utf-8")))
            if not args.no_zim:
                from .zim import write_zim, zim_book

                book = zim_book(config, args.name, epoch)
                written.append(_replace(out / f"{args.name}.zim", lambda path: write_zim(site, path, book)))
            if not args.no_epub:
                from .epub import write_epub

                written.append(_replace(out / f"{args.name}.epub",
                                        lambda path: write_epub(config, path, epoch=epoch, commit=_commit(root))))
            if chromium is not None:
                written.append(_replace(out / f"{args.name}.pdf",
                                        lambda path: print_numbered(make, path, chromium, epoch, Path(tmp))))
    except ChronicleError as exc:
        for problem in exc.problems:
            print(f"chronicle export: {problem}", file=sys.stderr)
        return 1
    except ExportError as exc:
        print(plain_line(f"chronicle export: {exc}"), file=sys.stderr)
        return 1
    for path in written:
        print(f"{_display(path)}: {path.stat().st_size:,} bytes")
    stamp = dt.datetime.fromtimestamp(epoch, dt.UTC).isoformat()
    print(f"export dated {stamp} (SOURCE_DATE_EPOCH={epoch}), {time.monotonic() - started:.1f} s")
    return 0


# --- Dates ---------------------------------------------------------------------------------------------------


def source_date_epoch(root: Path) -> int:
    """SOURCE_DATE_EPOCH if set, else the time of the last commit, else the newest file of the tree's inputs."""
    value = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if value:
        if not value.isdigit():
            raise ExportError(f"SOURCE_DATE_EPOCH must be a number of seconds, not {value!r}")
        return int(value)
    with contextlib.suppress(OSError, subprocess.SubprocessError, ValueError):
        result = subprocess.run(["git", "-C", str(root), "log", "-1", "--format=%ct"], capture_output=True,
                                text=True, timeout=30, check=True)
        return int(result.stdout.strip())
    # A tarball without history: its files carry the commit's time as their modification time.
    inputs = [root / "mkdocs.yml", *(p for d in ("docs", "events") for p in (root / d).rglob("*") if p.is_file())]
    return max(int(p.stat().st_mtime) for p in inputs if p.exists())


def _commit(root: Path) -> str | None:
    with contextlib.suppress(OSError, subprocess.SubprocessError):
        result = subprocess.run(["git", "-C", str(root), "rev-parse", "--short=12", "HEAD"], capture_output=True,
                                text=True, timeout=30, check=True)
        return result.stdout.strip() or None
    return None


@contextlib.contextmanager
def _environment(**values: str) -> Iterator[None]:
    """Set environment variables (and the working folder, with `cwd`) for the duration of a build."""
    cwd = values.pop("cwd", None)
    saved = {key: os.environ.get(key) for key in values}
    before = os.getcwd()
    os.environ.update(values)
    if cwd:
        os.chdir(cwd)
    try:
        yield
    finally:
        os.chdir(before)
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


# --- The site for file:// ------------------------------------------------------------------------------------


def build_offline_site(config_file: Path, site_dir: Path, shim: Path, epoch: int) -> Any:
    """Build the site from `config_file` with overrides for `file://`; return the loaded MkDocs config.

    The overrides: no directory URLs, Material's `offline` plugin added, the iframe-worker shim served from
    the site itself (the offline plugin adds unpkg.com's copy only when no polyfill names iframe-worker).
    Afterwards the server-only files are removed.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.utils.yaml import yaml_load

    with config_file.open(encoding="utf-8") as handle:
        raw = yaml_load(handle) or {}
    given = raw.get("plugins") or ["search"]
    # (MkDocs also takes `plugins:` as a mapping of name to options: the form an edition's config inherits from)
    plugins = [{name: options} for name, options in given.items()] if isinstance(given, dict) else list(given)
    if not any(_plugin_name(p) in ("offline", "material/offline") for p in plugins):
        plugins.append("offline")
    extra = dict(raw.get("extra") or {})
    # One edition per zip: its language switch would lead to editions the zip does not hold (and Material would
    # ask for their sitemaps, which file:// cannot give).
    extra["alternate"] = []
    extra["polyfills"] = [p for p in extra.get("polyfills") or [] if SHIM_PACKAGE not in str(p)] + [SHIM_TARGET]
    # Each page's Content-Security-Policy also allows, by its hash, the one inline script the shim writes into its
    # worker frame on file:// (see csp.py): the template writes it in as it writes the page.
    from .csp import worker_frame_sources

    extra["chronicle_worker_frame"] = worker_frame_sources(shim.read_text(encoding="utf-8"), _search_worker())
    with _environment(SOURCE_DATE_EPOCH=str(epoch), NO_MKDOCS_2_WARNING="1", cwd=str(config_file.parent)):
        config = load_config(str(config_file), site_dir=str(site_dir), use_directory_urls=False, plugins=plugins,
                             extra=extra, strict=True)
        build(config)
    for name in SERVER_ONLY:
        (site_dir / name).unlink(missing_ok=True)
    target = site_dir / SHIM_TARGET
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(shim, target)
    licence = shim.parent.parent / "LICENSE"
    if licence.is_file():
        shutil.copyfile(licence, target.parent / "LICENSE")
    return config


def _search_worker() -> str:
    """The path, from the site's root, of the theme's search worker (its name carries a hash of its content)."""
    import material  # type: ignore[import-untyped]

    workers = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"
    found = sorted(workers.glob("search.*.min.js"))
    if len(found) != 1:
        raise ExportError(f"expected one search worker in {workers}, found {len(found)}")
    return f"assets/javascripts/workers/{found[0].name}"


def _plugin_name(entry: object) -> str:
    if isinstance(entry, dict):
        return str(next(iter(entry), ""))
    return str(entry)


def write_zip(source: Path, target: Path, *, folder: str = "", epoch: int = EARLIEST_ZIP_TIME) -> None:
    """Zip every file under `source` into `folder/` of `target`, the same bytes for the same files.

    Entries are sorted by path and carry one fixed time (`epoch`, no earlier than 1980), fixed permissions
    and a fixed system, with no directory entries and no extra fields.
    """
    files = sorted((p.relative_to(source).as_posix(), p) for p in source.rglob("*") if p.is_file())
    with zipfile.ZipFile(target, "w") as archive:
        for name, path in files:
            archive.writestr(zip_entry(f"{folder}/{name}" if folder else name, epoch), path.read_bytes(),
                             compresslevel=9)


def zip_entry(name: str, epoch: int, *, stored: bool = False) -> zipfile.ZipInfo:
    """A zip entry with the fixed attributes of every zip the export writes: one time (`epoch`, no earlier than
    1980), a fixed system and permissions, no extra fields; deflated, or `stored` (an EPUB's mimetype)."""
    info = zipfile.ZipInfo(name, date_time=time.gmtime(max(epoch, EARLIEST_ZIP_TIME))[:6])
    info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, so the permissions below are read
    info.external_attr = 0o100644 << 16
    return info


# --- The single file -----------------------------------------------------------------------------------------


@dataclass
class Section:
    """One page of the site as a part of the single file."""

    path: str  # the page's path in the docs, e.g. "timeline.md"
    id: str  # the id of its <section>
    title: str  # its first heading, as HTML
    body: str  # its HTML, rendered for the file (render_sections)
    contents: list[tuple[str, str]] = field(default_factory=list)  # (id, HTML) of the headings to list


def single_file(config: Any, epoch: int, commit: str | None) -> str:
    """The single HTML file from a loaded MkDocs config: generated pages plus the home and methodology pages."""
    return single_document(config, epoch, commit)(None)


PHONE_LIMIT = 1_000_000  # bytes: the phone file passes through messengers and slow, costly connections


def phone_file(config: Any, epoch: int, commit: str | None, full: str) -> str:
    """The phone-first single file (`render.Pages.phone`), refused when it would not stay under `PHONE_LIMIT`;
    `full`: the name of the full file, which it names for the sources' own words."""
    document = single_document(config, epoch, commit, phone=full)(None)
    _self_contained(document, "the phone file")
    size = len(document.encode("utf-8"))
    if size >= PHONE_LIMIT:
        raise ExportError(f"the phone file is {size:,} bytes, over its limit of {PHONE_LIMIT:,}: shorten the "
                          "account's notes or raise PHONE_LIMIT in chronicle/export.py, and say why")
    return document


def _self_contained(document: str, name: str) -> None:
    leaks = external_references(document)
    if leaks:
        raise ExportError(f"{name} refers to other files or hosts: " + ", ".join(leaks[:5]))


@dataclass
class Manuscript:
    """What the single file (and the EPUB) is rendered from: every page's Markdown written for one document, in
    order, and the site's Markdown extensions and their options."""

    chronicle: Chronicle
    pages: Pages
    texts: dict[str, str]  # page path -> Markdown: the generated pages (`Pages.single_file`) and hand-written ones
    extensions: list[Any]
    configs: dict[str, dict[str, Any]]
    docs: Path  # the docs folder, where images are read from


def manuscript(config: Any, *, phone: bool = False) -> Manuscript:
    """The pages of the single file from a loaded MkDocs config: the generated pages written for one document
    (`phone`: for the phone-first file) and the home and methodology pages, in the edition's language."""
    from mkdocs.utils.meta import get_data

    from .render import pages_from

    plugin = config.plugins.get("chronicle")
    if plugin is None:
        raise ExportError("the config file has no 'chronicle' plugin")
    options = plugin.config
    settings = settings_from(options)
    chronicle = load_chronicle(Path(options.events_dir), settings)
    pages = pages_from(options, single_file=True, phone=phone)
    generated = render_pages(chronicle, pages)
    docs = Path(config.docs_dir)
    # An edition's hand-written pages come from their translations (docs/<language>/) where there is one.
    translated = edition_docs(docs, walk(docs, DOCS_FILES).files, pages.language).translated
    main = [pages.account, pages.timeline, pages.places, pages.sources]
    order = [p for p in HAND_WRITTEN_FIRST if (docs / p).is_file() and p not in generated]
    order += [p for p in main if p in generated] + [p for p in generated if p not in main]
    order += [p for p in HAND_WRITTEN_LAST if (docs / p).is_file() and p not in generated]
    texts = {path: generated[path] if path in generated else
             get_data(translated.get(path, docs / path).read_text(encoding="utf-8"))[0] for path in order}
    configs = {name: dict(value or {}) for name, value in dict(config.mdx_configs).items()}
    configs["toc"] = {**configs.get("toc", {}), "permalink": False}
    extensions = list(dict.fromkeys(config.markdown_extensions))
    require_extensions(extensions, configs)  # the site's own footnotes (notes beside each event, marks apart)
    return Manuscript(chronicle, pages, texts, extensions, configs, docs)


def single_document(config: Any, epoch: int, commit: str | None, *, phone: str = ""
                    ) -> Callable[[Mapping[str, int] | None], str]:
    """The single file, rendered once, as a function of the page numbers its contents show (for the PDF; none
    on screen). See `single_file`. `phone`: for the phone-first file (`render.Pages.phone`), the full file's name."""
    written = manuscript(config, phone=bool(phone))
    pages = written.pages
    sections = render_sections(written.texts, pages=pages, extensions=written.extensions, configs=written.configs,
                               base=written.docs)

    def document(page_numbers: Mapping[str, int] | None) -> str:
        return single_html(sections, title=str(config.site_name), description=str(config.site_description or ""),
                           language=str(config.theme.get("language") or "en"), epoch=epoch, commit=commit,
                           notice=str(config.copyright or ""), page_numbers=page_numbers,
                           about=pages.words.phone_about.format(full=html.escape(phone)) if phone else "")

    return document


def render_sections(texts: dict[str, str], *, pages: Pages, extensions: list[Any],
                    configs: dict[str, dict[str, Any]], base: Path | None = None) -> list[Section]:
    """Render each page's Markdown for the file: the site's extensions, toc making heading ids with the page's
    prefix (`render.id_prefix`: none for the account, so `#<event-id>` is the same fragment as on the site), and
    `offline.SingleFile`. `texts` is every page of the file, in order; the generated ones written for the file
    (`Pages.single_file`). Images are read from `base`, the docs folder."""
    return [render_section(path, text, pages=pages, in_file=set(texts), extensions=extensions, configs=configs,
                           base=base) for path, text in texts.items()]


def render_section(path: str, text: str, *, pages: Pages, in_file: set[str], extensions: list[Any],
                   configs: dict[str, dict[str, Any]], base: Path | None = None, output_format: str = "html",
                   more: tuple[Any, ...] = ()) -> Section:
    """One page of `render_sections` (`in_file`: every page of the document). HTML by default, not MkDocs'
    XHTML-style output: the file is HTML5 (`<details open>`, `<br>`), a few kB smaller; the EPUB asks for
    "xhtml", and adds its own extensions (`more`), which run with `offline.SingleFile`."""
    markdown: Any = importlib.import_module("markdown")  # untyped; imported this way to need no stubs
    toc: Any = importlib.import_module("markdown.extensions.toc")
    slugify = configs.get("toc", {}).get("slugify") or toc.slugify
    prefix = id_prefix(pages, path)

    def prefixed(value: str, separator: str) -> str:
        return prefix + str(slugify(value, separator))

    page_configs = {**configs, "toc": {**configs.get("toc", {}), "slugify": prefixed}}
    single = SingleFile(pages=pages, page=path, in_file=in_file, docs_dir=base)
    md = markdown.Markdown(extensions=[*extensions, single, *more], extension_configs=page_configs,
                           output_format=output_format)
    try:
        body = md.convert(text)
    except SingleFileError as exc:
        raise ExportError(str(exc)) from exc
    tokens: list[dict[str, Any]] = getattr(md, "toc_tokens", [])
    top = next((t for t in tokens if t["level"] == 1), None)
    title = _heading(top) if top else html.escape(section_id(path))
    contents = []
    if path == pages.account and top:
        contents = [(t["id"], _heading(t)) for t in top["children"] if t["level"] == 2]
    return Section(path, section_id(path), title, body, contents)


def _heading(token: dict[str, Any]) -> str:
    return html.escape(html.unescape(str(token["name"])), quote=False)


def single_html(sections: list[Section], *, title: str, description: str = "", language: str = "en",
                epoch: int = 0, commit: str | None = None, notice: str = "",
                page_numbers: Mapping[str, int] | None = None, about: str = "") -> str:
    """The whole document: header with contents, one <section> per page, a footer; checked for broken ids.
    `about`: one more paragraph (HTML) under the edition's date, saying what this file is.

    With `page_numbers` (for print: an empty mapping holds the places without showing numbers), each entry of
    the contents ends in a box for the page its target is printed on, the same width either way, so filling
    the numbers in does not move anything (see `print_pdf`).
    """
    from .editions import SOURCE_LANGUAGE, WORDS, short_date

    words = WORDS.get(language, WORDS[SOURCE_LANGUAGE])
    day = dt.datetime.fromtimestamp(epoch, dt.UTC).date()
    origin = words.from_commit.format(commit=html.escape(commit)) if commit else ""

    def entry(target: str, text: str) -> str:
        box = ""
        if page_numbers is not None:
            number = page_numbers.get(target)
            box = (f'<span class="export-page">{number}</span>' if number is not None else
                   '<span class="export-page export-page-unknown">000</span>')
        return f'<a href="#{html.escape(target)}">{text}</a>{box}'

    items = []
    for section in sections:
        sub = "".join(f"<li>{entry(i, text)}</li>" for i, text in section.contents)
        items.append(f"<li>{entry(section.id, section.title)}" + (f"<ol>{sub}</ol>" if sub else "") + "</li>")
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{html.escape(language)}">',
        "<head>",
        '<meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">',
        '<meta name="referrer" content="no-referrer">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="color-scheme" content="light dark">',
        f"<title>{html.escape(title)}</title>",
        f'<meta name="description" content="{html.escape(description)}">' if description else "",
        f"<style>{STYLESHEET}</style>",
        "</head>",
        "<body>",
        '<header class="export-header" id="top">',
        f'<p class="export-title">{html.escape(title)}</p>',
        f"<p>{html.escape(description)}</p>" if description else "",
        f'<p class="export-about">{words.offline_about.format(date=short_date(day, words.code), origin=origin)}</p>',
        f'<p class="export-about">{about}</p>' if about else "",
        '<nav class="export-contents" aria-labelledby="export-contents-title">',
        f'<h2 id="export-contents-title">{words.contents}</h2><ol>{"".join(items)}</ol></nav>',
        "</header>",
        "<main>",
    ]
    for section in sections:
        parts.append(f'<section class="export-section" id="{html.escape(section.id)}">\n{section.body}\n</section>')
    parts += ["</main>", f'<footer class="export-footer"><p>{html.escape(notice)}</p></footer>' if notice else "",
              "</body>", "</html>", ""]
    document = "\n".join(p for p in parts if p != "")
    problems = id_problems(document)
    if problems:
        raise ExportError("the single file's in-file links are broken: " + "; ".join(problems[:5]))
    return document


# --- Checking the file (read only) ---------------------------------------------------------------------------


class _Reader(HTMLParser):
    """Reads the finished file and notes its ids, its in-file links and every reference to anything else."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.ids: list[str] = []
        self.fragments: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.in_style = tag == "style"
        for key, value in attrs:
            if value is None:
                continue
            if key == "id":
                self.ids.append(value)
            if key in URL_ATTRIBUTES:
                if value.startswith("#"):
                    self.fragments.append(unquote(value[1:]))
                elif not value.startswith("data:"):
                    self.found.append(f"<{tag} {key}={value!r}>")
            if key == "style" and _CSS_URL.search(value):
                self.found.append(f"<{tag} style={value!r}>")
            if tag == "meta" and key == "http-equiv" and value.lower() == "refresh":
                self.found.append("<meta http-equiv=refresh>")
        if tag == "base":
            self.found.append("<base>")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self.in_style = False

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style and _CSS_URL.search(data):
            self.found.append("<style> with url() or @import")


def _read(document: str) -> _Reader:
    reader = _Reader()
    reader.feed(document)
    reader.close()
    return reader


_CSS_URL = re.compile(r"url\(\s*['\"]?(?!data:|#)|@import", re.IGNORECASE)


def external_references(document: str) -> list[str]:
    """Every reference in `document` to anything but itself (other files, hosts, CSS urls); empty is good."""
    return _read(document).found


def id_problems(document: str) -> list[str]:
    """Duplicate ids and in-file links to ids that do not exist."""
    parser = _read(document)
    seen: set[str] = set()
    problems = []
    for found in parser.ids:
        if found in seen:
            problems.append(f"duplicate id {found!r}")
        seen.add(found)
    problems += [f"link to missing #{f}" for f in dict.fromkeys(parser.fragments) if f and f not in seen]
    return problems


# --- The PDF -------------------------------------------------------------------------------------------------

CHROMIUM_FLAGS = (
    # The page is our own file, with a Content-Security-Policy that allows no script and no load; the sandbox
    # cannot start as root or in most containers.
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-extensions", "--disable-default-apps",
    "--host-resolver-rules=MAP * ~NOTFOUND",
)


def find_chromium(explicit: Path | None = None) -> Path:
    """The Chromium to print with: --chromium, else $QANTAR_CHROMIUM, else chromium (or Chrome) on PATH."""
    configured = explicit or (Path(os.environ["QANTAR_CHROMIUM"]) if os.environ.get("QANTAR_CHROMIUM") else None)
    candidates = [configured] if configured else [
        Path(found) for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
        if (found := shutil.which(name))]
    for path in candidates:
        if path.is_file() and os.access(path, os.X_OK):
            return path
    where = configured or "PATH"
    raise ExportError(f"no Chromium at {where} to print the PDF: install it (apt-get install chromium), "
                      "set QANTAR_CHROMIUM, or pass --no-pdf")


def print_numbered(document: Callable[[Mapping[str, int] | None], str], target: Path, chromium: Path, epoch: int,
                   scratch: Path, *, rounds: int = 3) -> None:
    """Print the single file with the page of each contents entry beside it.

    Chromium cannot print a link's target page (no `target-counter()`), but it writes a named destination for
    every link target: print once with empty boxes, read where each target landed (pypdf), print again with the
    numbers in the same boxes, and check that the targets stayed put.
    """
    numbers: dict[str, int] = {}
    source = scratch / "print.html"
    for _ in range(rounds):
        source.write_text(document(numbers), encoding="utf-8")
        print_pdf(source, target, chromium, epoch, scratch)
        found = destination_pages(target.read_bytes())
        wanted = {key: found[key] for key in found if key in numbers or not numbers}
        if numbers and wanted == numbers:
            return
        numbers = found
    raise ExportError("the PDF's page numbers did not settle: the contents moved between prints")


def destination_pages(pdf: bytes) -> dict[str, int]:
    """The 1-based page of each named destination (an element id a link points to) of a PDF Chromium printed."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    pages = {}
    for name, destination in reader.named_destinations.items():
        index = reader.get_destination_page_number(destination)
        if index is not None:
            pages[str(name).lstrip("/")] = index + 1
    return pages


def print_pdf(source: Path, target: Path, chromium: Path, epoch: int, scratch: Path, *, tries: int = 5) -> None:
    """Print `source` to `target` with headless Chromium: A4, page numbers from the stylesheet, fixed dates.

    Chromium's layout is very rarely off by a fraction of a point between runs, so we print until two prints
    agree (at most `tries` times) and keep that one: the export stays the same bytes for the same tree.
    """
    prints: list[bytes] = []
    for attempt in range(tries):
        prints.append(fix_pdf_dates(_print_once(source, scratch / f"print-{attempt}.pdf", chromium, scratch), epoch))
        if prints.count(prints[-1]) >= 2:
            target.write_bytes(prints[-1])
            return
    raise ExportError(f"Chromium printed {tries} different PDFs of the same file: the PDF would not be reproducible")


def _print_once(source: Path, target: Path, chromium: Path, scratch: Path) -> bytes:
    profile = Path(tempfile.mkdtemp(prefix="chromium-profile-", dir=scratch))
    command = [str(chromium), "--headless", *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--no-pdf-header-footer",
               "--generate-pdf-document-outline", f"--print-to-pdf={target}", source.resolve().as_uri()]
    env = {**os.environ, "TZ": "UTC"}
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ExportError(f"Chromium could not print the PDF: {exc}") from exc
    if result.returncode != 0 or not target.is_file() or target.stat().st_size == 0:
        tail = "\n".join((result.stderr or result.stdout).strip().splitlines()[-5:])
        raise ExportError(f"Chromium could not print the PDF (exit {result.returncode}):\n{tail}")
    data = target.read_bytes()
    target.unlink()
    shutil.rmtree(profile, ignore_errors=True)
    return data


_PDF_DATE = re.compile(rb"/(CreationDate|ModDate)\s*\((D:[^)]*)\)")


def fix_pdf_dates(data: bytes, epoch: int) -> bytes:
    """The PDF with its creation and modification dates set to `epoch`, every byte offset unchanged.

    The new date is written in the same place; a shorter one is padded with spaces after the string, which
    PDF reads as whitespace, so the cross-reference table stays valid.
    """
    date = time.strftime("D:%Y%m%d%H%M%S+00'00'", time.gmtime(epoch)).encode("ascii")

    def replace(match: re.Match[bytes]) -> bytes:
        old = match.group(0)
        new = b"/" + match.group(1) + b" (" + date + b")"
        if len(new) > len(old):
            raise ExportError(f"unexpected PDF date format {match.group(2)!r}")
        return new + b" " * (len(old) - len(new))

    return _PDF_DATE.sub(replace, data)


# --- Files ---------------------------------------------------------------------------------------------------


def _replace(target: Path, write: Callable[[Path], object]) -> Path:
    """Write through a temporary file next to `target`, so a failed export leaves no half-written file."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        write(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return target


def _display(path: Path) -> str:
    with contextlib.suppress(ValueError):
        return str(path.relative_to(Path.cwd()))
    return str(path)


