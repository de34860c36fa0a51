"""The MkDocs adapter: load and check events, then hand the generated pages to MkDocs as Markdown.

All the work is in the core modules; this file only maps MkDocs events onto them.

Content problems fail `mkdocs build`. Under `mkdocs serve` they make an error site instead (see `on_files`):
MkDocs 1.6 serves a page only once the build that was asked for has finished without an exception, and after a
failed rebuild every request waits for the next successful one, so raising there leaves the browser hanging.
"""

from __future__ import annotations

import html
import logging
import os
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from jinja2.bccache import Bucket, BytecodeCache
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException, PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files
from mkdocs.utils import CountHandler

from .chronicle import PLACES_FILE, SOURCES_FILE, Chronicle, load_chronicle, settings_from
from .config import ChronicleConfig
from .editions import SOURCE_LANGUAGE, EditionDocs, edition_docs, orphan_problems
from .events import EventCache
from .guard import Guard
from .problems import ChronicleError, Problem, plain_line
from .render import UNTRANSLATED_CLASS, admonition, escape, own_html, pages_from
from .stage import edit_urls, generated_files
from .tree import DOCS_FILES, walk
from .verify import Checker, check_bodies, edition_markdown, glossary_titles, require_extensions

log = get_plugin_logger(__name__)


class _Bytecode(BytecodeCache):
    """Compiled theme templates kept in memory between `mkdocs serve` rebuilds: MkDocs makes a new Jinja environment
    for every build, which compiled Material's templates again (a quarter of a rebuild of the real account). Jinja
    keys each entry by the template's name and checks the source's checksum, so an edited template is compiled anew."""

    def __init__(self) -> None:
        self.code: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if bucket.key in self.code:
            bucket.bytecode_from_string(self.code[bucket.key])

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[bucket.key] = bucket.bytecode_to_string()


class ChroniclePlugin(BasePlugin[ChronicleConfig]):  # type: ignore[no-untyped-call]
    """Generates the account, timeline, sources and places pages from `events/`."""

    def __init__(self) -> None:
        # Defining on_startup makes MkDocs keep this object across `mkdocs serve` rebuilds, so the cache lives on;
        # it is keyed by path, modification time and content hash. Everything else is per build.
        self.cache = EventCache()
        self.timings: dict[str, float] = {}
        self.guard = Guard()
        self.serving = False
        self.checker: Checker | None = None
        self.published: list[Problem] = []  # what the pages rendered in this build hold outside the allow-list
        self.pending: list[Future[list[Problem]]] = []  # the pages being read against the allow-list
        # Serving only: the content problems found before rendering, shown on every page of the preview, and the
        # generated pages that hold nothing but them (the content they would show could not be read).
        self.problems: list[Problem] = []
        self.replaced: set[str] = set()
        self.admonitions = False
        self.untranslated: set[str] = set()  # hand-written pages shown in English in this edition
        self.bytecode = _Bytecode()

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.cache = EventCache()
        self.serving = command == "serve"

    def on_shutdown(self) -> None:
        # MkDocs keeps this object for the whole process (a plugin with on_startup is cached by its config option):
        # a build that follows in the same process, started without on_startup, is not a preview.
        self.serving = False

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        from . import logsafe  # from here on, every message MkDocs logs prints as one plain line (see logsafe.py)

        logsafe.install()
        require_extensions(config.markdown_extensions, config.mdx_configs)
        # Last, so that it sees attr_list and every tree processor: it records what the renderer was asked to make
        # that contributors may not (raw HTML, foreign attribute lists, refused addresses). A new token per build.
        self.guard = Guard()
        config.markdown_extensions.append(self.guard)
        language = str(self.config.get("language") or SOURCE_LANGUAGE)  # (unset on a plugin made without a config)
        config.mdx_configs.update(edition_markdown(dict(config.mdx_configs), language))
        names = {name for name in config.markdown_extensions if isinstance(name, str)}
        self.admonitions = bool(names & {"admonition", "markdown.extensions.admonition"})  # for the preview's lists
        # `mkdocs serve` adds an inline script of its own to every page (live reload), different on every request:
        # the theme's Content-Security-Policy lets inline scripts run in the local preview only (the content has
        # passed the same checks before anything is served).
        config.extra["chronicle_preview"] = self.serving
        if self.serving and config.strict:
            # The preview shows problems in its pages (see on_files); a strict config (mkdocs.yml is, so that a
            # generator without plugins fails) would abort each rebuild that logs one and show nothing instead.
            # MkDocs has already started counting (build() attaches its counter before on_config): it counts
            # nothing from here on.
            for handler in logging.getLogger("mkdocs").handlers:
                if isinstance(handler, CountHandler):
                    handler.setLevel(logging.CRITICAL + 1)
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.timings = {}
        self.published = []
        self.pending = []
        self.problems = []
        self.replaced = set()
        start = time.perf_counter()
        events_dir = Path(self.config.events_dir)
        docs = walk(Path(config.docs_dir), DOCS_FILES)  # no links out of the tree, printable names, bounded sizes
        edition = edition_docs(Path(config.docs_dir), docs.files, self.config.language)
        refused = docs.problems + orphan_problems(edition, Path(config.docs_dir))
        if refused:
            self._report(refused)
            if not self.serving:
                raise PluginError(f"{len(refused)} problem(s) in {config.docs_dir}: fix them and build again")
            # The preview publishes none of the files refused (a link out of the tree, a script, an HTML page).
            accepted = set(docs.files)
            for file in list(files):
                if file.src_dir == config.docs_dir and Path(file.abs_src_path or "") not in accepted:
                    files.remove(file)
        self._edition_pages(files, edition, config)
        settings = settings_from(self.config)
        pages = pages_from(self.config, edit_url=_edit_urls(config), attr_token=self.guard.token,
                           directory_urls=config.use_directory_urls)
        chronicle: Chronicle | None
        try:
            chronicle = load_chronicle(events_dir, settings, cache=self.cache)
        except ChronicleError as exc:
            # The pages cannot be made; each event's text is still rendered alone and checked, for one full report.
            events = getattr(exc, "events", [])
            bodies = check_bodies(events, list(config.markdown_extensions), dict(config.mdx_configs))
            problems = sorted({*exc.problems, *bodies})
            self._report(problems)
            if not self.serving:
                raise PluginError(f"{len(problems)} problem(s) in {events_dir}: fix them and build again") from exc
            chronicle = None
        loaded = time.perf_counter()
        self.timings["load"] = loaded - start
        if chronicle is None:
            generated = {uri: "" for uri in (pages.account, pages.timeline, pages.sources, pages.places,
                                             pages.corrections)}
        else:
            log.debug(f"loaded {len(chronicle.events)} events in {loaded - start:.3f} s "
                      f"({self.cache.parsed} file(s) parsed, {self.cache.hashed + self.cache.reused} unchanged)")
            for warning in chronicle.warnings:
                log.warning(str(warning).replace(": warning: ", ": ", 1))
            for notice in chronicle.notices:  # worth a look, not wrong for certain: never fails a strict build
                log.info(str(notice).replace(": warning: ", ": note: ", 1))
            # Without a site_url, links in the data files are relative to the data folder itself.
            generated = generated_files(chronicle, pages, self.config.data_dir, config.site_url or "",
                                        config.use_directory_urls)  # as `chronicle stage` does
        self.guard.own_html = own_html(chronicle, pages) if chronicle is not None else set()
        self.checker = Checker(chronicle or Chronicle([], {}, {}), pages, events_dir, Path(config.docs_dir),
                               glossary_titles(dict(config.mdx_configs)))
        self.checker.docs_files = dict(edition.translated)
        registries = {pages.sources: events_dir / SOURCES_FILE, pages.places: events_dir / PLACES_FILE}
        for uri in list(generated):
            if files.get_file_from_path(uri) is not None:
                message = (f"{uri} is generated by the chronicle plugin: remove docs/{uri} or change the plugin's "
                           "page setting")
                if not self.serving:
                    raise PluginError(message)
                self._report([Problem(Path(config.docs_dir) / uri, 1, message, code="generated-page")])
                del generated[uri]  # the preview shows the hand-written page, checked as any other
        if self.problems and self.serving:
            log.error(f"{len(self.problems)} problem(s): the preview lists them on every page until they are fixed")
        for uri, content in generated.items():
            if chronicle is None:  # the page's heading alone; on_page_markdown adds the problems under it
                self.replaced.add(uri)
                title = pages.account_title if uri == pages.account else Path(uri).stem.replace("-", " ").capitalize()
                content = f"# {escape(title)}\n"
            file = File.generated(config, uri, content=content)
            file.edit_uri = _edit_uri(config, registries[uri]) if uri in registries else None
            files.append(file)
        if chronicle is None:
            return files
        self.timings["assemble"] = time.perf_counter() - loaded
        log.debug(f"assembled the generated pages in {self.timings['assemble']:.3f} s")
        return files

    def _edition_pages(self, files: Files, edition: EditionDocs, config: MkDocsConfig) -> None:
        """This edition's hand-written pages: each read from its translation where it has one (edited there too),
        the others marked to show a notice that they are in English; the language folders never pages of their
        own."""
        self.untranslated = set(edition.untranslated)
        for uri in edition.hidden:
            file = files.get_file_from_path(uri)
            if file is not None:
                files.remove(file)
        for uri, path in edition.translated.items():
            file = files.get_file_from_path(uri)
            if file is not None:
                file.abs_src_path = str(path)
                file.edit_uri = _edit_uri(config, path)

    def _report(self, problems: list[Problem]) -> None:
        """Log every problem; in the preview, keep them to show on its pages."""
        for problem in problems:
            log.error(str(problem))
        if self.serving:
            self.problems += problems

    def on_page_markdown(self, markdown: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        # The preview with content problems: every page, hand-written or generated, starts with the list of them,
        # merged into its Markdown (and so rendered and read against the allow-list like the rest of it).
        if page.file.src_uri in self.untranslated:  # a hand-written page this edition has no translation of
            first = next((line for line in markdown.split("\n") if line.strip()), "")
            if first[:1] in (" ", "\t"):  # it would run into the notice above it
                message = (f"{page.file.abs_src_path}:1: the page starts indented: in the editions that show it in "
                           "English it would run into the notice above it; start it at the margin")
                log.error(plain_line(message))
                if not self.serving:
                    raise PluginError(plain_line(message))
            words = pages_from(self.config).words
            markdown = "\n".join(admonition("note", words.untranslated_title, [words.untranslated_page],
                                             classes=f"{UNTRANSLATED_CLASS} {self.guard.token}")) + "\n\n" + markdown
        if not (self.serving and self.problems):
            return markdown
        listing = _problem_list(sorted(set(self.problems)), admonition=self.admonitions)
        if page.file.src_uri in self.replaced:  # a page that holds only its heading: the list goes under it
            return markdown + "\n" + listing + "\n"
        return listing + "\n\n" + markdown

    def on_page_content(self, html: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        # Every page, generated or hand-written, is read against the allow-list as rendered; nothing is changed.
        # The reading runs beside MkDocs (the parser releases the interpreter), while it renders the next pages;
        # on_env waits for all of them before anything is written.
        if self.checker is not None:
            found = list(self.guard.findings)  # (the guard's record of this page, before the next one resets it)
            self.pending.append(_reader().submit(self.checker.check, page.file.src_uri, html, found))
        return html

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        # MkDocs renders every page before it writes any: failing here reports all pages' problems at once and
        # publishes none of them.
        env.bytecode_cache = self.bytecode  # (a build compiles each template once: this is for the next one)
        start = time.perf_counter()
        pending, self.pending = self.pending, []
        for checked in pending:
            self.published += checked.result()
        self.timings["allow-list"] = time.perf_counter() - start  # what the reading adds to the build's time
        if self.published:
            for problem in sorted(set(self.published)):
                log.error(str(problem))
            if not self.serving:
                raise PluginError(f"{len(set(self.published))} problem(s) in what would be published: fix them and "
                                  "build again")
            log.error(f"{len(set(self.published))} problem(s) in what would be published: the preview shows only "
                      "the list of problems until they are fixed")
            # Each page is replaced once rendered (on_post_page); until then none of its front matter may reach the
            # theme, which reads some of it before any hook (`template:` names the file to render it with).
            for file in files.documentation_pages():
                if file.page is not None:
                    file.page.meta = {}
        return env

    def on_post_template(self, output_content: str, /, *, template_name: str, config: MkDocsConfig) -> str:
        # The theme's own pages (404.html) carry the navigation, and so every page's title: replaced like pages.
        if self.serving and self.published and template_name.endswith(".html"):
            return self._error_page(config)
        return output_content

    def on_post_page(self, output: str, /, *, page: Any, config: MkDocsConfig) -> str:
        # A page that failed the allow-list must not reach the browser, nor any page whose navigation or header
        # shows its title: in the preview, every page becomes the plugin's own page listing the problems.
        if self.serving and self.published:
            return self._error_page(config)
        return output

    def _error_page(self, config: MkDocsConfig) -> str:
        problems = sorted({*self.problems, *self.published})
        return error_page(_headline(problems), str(config.site_name or ""),
                          "The preview cannot show this page: what would be published fails the site's checks. "
                          "Each line names the file and the line to change.", [str(p) for p in problems])

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        # Events live outside docs_dir: watch them so any edit (events, sources.yml, places.yml) rebuilds.
        server.watch(self.config.events_dir)
        # Also under `mkdocs serve --clean`, which starts the plugins as for `mkdocs build`: rebuilds are previews.
        self.serving = True
        server.builder = _never_stuck(server.builder, Path(server.root), str(config.site_name or ""))
        return server


@lru_cache(maxsize=1)
def _reader() -> ThreadPoolExecutor:
    """The one thread that reads rendered pages against the allow-list, in the order they were rendered."""
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="chronicle-allow-list")


def _headline(problems: list[Problem]) -> str:
    return f"{len(set(problems))} problem(s) to fix before this page can be shown"


def _problem_list(problems: list[Problem], *, admonition: bool) -> str:
    """Markdown that lists `problems`, each escaped (`render.escape`): an admonition when the site has them."""
    title = f"{len(problems)} problem(s) in the content. Fix these and save: this page reloads"
    items = [f"- {escape(str(problem))}" for problem in problems]
    if admonition:
        return "\n".join([f'!!! failure "{escape(title)}"', "", *("    " + item for item in items)])
    return "\n".join([f"**{escape(title)}**", "", *items])


# The page the preview shows in place of pages that failed the allow-list, or when a rebuild failed: fixed text and
# the escaped list of problems, nothing else. Its own policy allows no script but the inline live-reload script
# MkDocs adds to every page it serves (it has none of its own), no style, frame or form; the poll for the next
# version of the site goes to the server it came from, and the browser's own request for the site's icon is let be.
ERROR_POLICY = ("default-src 'none'; script-src 'unsafe-inline'; connect-src 'self'; img-src 'self'; "
                "object-src 'none'; base-uri 'none'; form-action 'none'")
_ERROR_PAGE = """\
<!doctype html>
<html lang="en">
<head>
<meta http-equiv="Content-Security-Policy" content="{policy}">
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{head_title}</title>
</head>
<body>
<main>
<h1>{title}</h1>
<p>{lead}</p>
<ul>
{items}
</ul>
<p>{then}</p>
</main>
</body>
</html>
"""


def error_page(title: str, site_name: str, lead: str, lines: list[str],
               then: str = "Fix these and save: this page reloads.") -> str:
    """The preview's own page: a title, a sentence, `lines` (each made one plain line) and what to do, all
    HTML-escaped."""
    items = "\n".join(f"<li>{html.escape(plain_line(line))}</li>" for line in lines)
    return _ERROR_PAGE.format(policy=ERROR_POLICY, title=html.escape(plain_line(title)),
                              head_title=html.escape(plain_line(f"{title} - {site_name}" if site_name else title)),
                              lead=html.escape(lead), items=items, then=html.escape(then))


def _never_stuck(build: Callable[[], None], site_dir: Path, site_name: str) -> Callable[[], None]:
    """`build`, but one that fails leaves a page saying so, and MkDocs goes on serving.

    MkDocs 1.6 makes each request wait until the version of the site that started building is the one built
    (`LiveReloadServer._serve_request`); a rebuild that raises never becomes that version, so every request waits
    for the next rebuild that succeeds. Content problems do not raise in the preview (an error site is built); this
    covers everything else (a bug, `--strict`): the error is logged and the site folder gets a page that says so,
    at its root and as the page for every address the failed build left out (404.html).
    """

    def rebuild() -> None:
        try:
            build()
        except Exception as exc:  # anything: else the preview hangs
            log.error(f"the rebuild failed ({type(exc).__name__}: {exc}): the preview says so until a rebuild "
                      "succeeds", exc_info=not isinstance(exc, MkDocsException))
            page = error_page("The rebuild failed", site_name, "The site could not be built: the terminal that runs "
                              "'mkdocs serve' says why.", [f"{type(exc).__name__}: {exc}"],
                              "Fix it and save, then reload this page.")
            site_dir.mkdir(parents=True, exist_ok=True)
            (site_dir / "404.html").write_text(page, encoding="utf-8")
            if not (site_dir / "index.html").exists():
                (site_dir / "index.html").write_text(page, encoding="utf-8")

    return rebuild


def _edit_uri(config: MkDocsConfig, path: Path) -> str | None:
    """The path of a repository file relative to the docs folder, as MkDocs' `edit_uri` expects."""
    if not config.edit_uri:
        return None
    return Path(os.path.relpath(path.resolve(), Path(config.docs_dir).resolve())).as_posix()


def _edit_urls(config: MkDocsConfig) -> Callable[[Path], str | None]:
    """The URL that edits an event's file in the repository, as MkDocs makes a page's (edit_uri or
    edit_uri_template)."""
    return edit_urls(config.repo_url, config.edit_uri, config.edit_uri_template, Path(config.docs_dir))
