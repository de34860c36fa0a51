"""The MkDocs adapter: load and check events, then hand the generated pages to MkDocs as Markdown.

All the work is in the core modules; this file only maps MkDocs events onto them.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urljoin

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.livereload import LiveReloadServer
from mkdocs.plugins import BasePlugin, get_plugin_logger
from mkdocs.structure.files import File, Files

from .chronicle import PLACES_FILE, SOURCES_FILE, Settings, load_chronicle
from .config import ChronicleConfig
from .data import render_data
from .events import EventCache
from .guard import Guard
from .problems import ChronicleError, Problem
from .render import map_block, pages_from, render_pages
from .tree import DOCS_FILES, walk
from .verify import Checker, check_bodies, require_extensions

log = get_plugin_logger(__name__)


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

    def on_startup(self, *, command: Literal["build", "gh-deploy", "serve"], dirty: bool) -> None:
        self.cache = EventCache()
        self.serving = command == "serve"

    def on_config(self, config: MkDocsConfig) -> MkDocsConfig:
        from . import logsafe  # from here on, every message MkDocs logs prints as one plain line (see logsafe.py)

        logsafe.install()
        require_extensions(config.markdown_extensions, config.mdx_configs)
        # Last, so that it sees attr_list and every tree processor: it records what the renderer was asked to make
        # that contributors may not (raw HTML, foreign attribute lists, refused addresses). A new token per build.
        self.guard = Guard()
        config.markdown_extensions.append(self.guard)
        # `mkdocs serve` adds an inline script of its own to every page (live reload), different on every request:
        # the theme's Content-Security-Policy lets inline scripts run in the local preview only (the content has
        # passed the same checks before anything is served).
        config.extra["chronicle_preview"] = self.serving
        return config

    def on_files(self, files: Files, /, *, config: MkDocsConfig) -> Files:
        self.timings = {}
        self.published = []
        start = time.perf_counter()
        events_dir = Path(self.config.events_dir)
        docs = walk(Path(config.docs_dir), DOCS_FILES)  # no links out of the tree, printable names, bounded sizes
        if docs.problems:
            for problem in docs.problems:
                log.error(str(problem))
            raise PluginError(f"{len(docs.problems)} problem(s) in {config.docs_dir}: fix them and build again")
        settings = Settings(self.config.period_start, self.config.period_end, self.config.require_citations)
        try:
            chronicle = load_chronicle(events_dir, settings, cache=self.cache)
        except ChronicleError as exc:
            # The pages cannot be made; each event's text is still rendered alone and checked, for one full report.
            events = getattr(exc, "events", [])
            bodies = check_bodies(events, list(config.markdown_extensions), dict(config.mdx_configs))
            problems = sorted({*exc.problems, *bodies})
            for problem in problems:
                log.error(str(problem))
            raise PluginError(f"{len(problems)} problem(s) in {events_dir}: fix them and build again") from exc
        loaded = time.perf_counter()
        self.timings["load"] = loaded - start
        log.debug(f"loaded {len(chronicle.events)} events in {loaded - start:.3f} s "
                  f"({self.cache.parsed} file(s) parsed, {self.cache.hashed + self.cache.reused} unchanged)")
        for warning in chronicle.warnings:
            log.warning(str(warning).replace(": warning: ", ": ", 1))
        pages = pages_from(self.config, edit_url=_edit_urls(config), attr_token=self.guard.token)
        self.guard.own_html = {map_block(chronicle)}
        self.checker = Checker(chronicle, pages, events_dir, Path(config.docs_dir))
        registries = {pages.sources: events_dir / SOURCES_FILE, pages.places: events_dir / PLACES_FILE}
        for uri, content in render_pages(chronicle, pages).items():
            if files.get_file_from_path(uri) is not None:
                raise PluginError(f"{uri} is generated by the chronicle plugin: remove docs/{uri} or change the "
                                  "plugin's page setting")
            file = File.generated(config, uri, content=content)
            file.edit_uri = _edit_uri(config, registries[uri]) if uri in registries else None
            files.append(file)
        account = files.get_file_from_path(pages.account)
        account_path = account.url if account else pages.account
        # Without a site_url, links in the data files are relative to the data folder itself.
        depth = len([part for part in self.config.data_dir.split("/") if part])
        account_url = config.site_url + account_path if config.site_url else "../" * depth + account_path
        for name, content in render_data(chronicle, account_url).items():
            files.append(File.generated(config, f"{self.config.data_dir}/{name}", content=content))
        self.timings["assemble"] = time.perf_counter() - loaded
        log.debug(f"assembled the generated pages in {self.timings['assemble']:.3f} s")
        return files

    def on_page_content(self, html: str, /, *, page: Any, config: MkDocsConfig, files: Files) -> str:
        # Every page, generated or hand-written, is read against the allow-list as rendered; nothing is changed.
        start = time.perf_counter()
        if self.checker is not None:
            self.published += self.checker.check(page.file.src_uri, html, self.guard.findings)
        self.timings["allow-list"] = self.timings.get("allow-list", 0.0) + time.perf_counter() - start
        return html

    def on_env(self, env: Any, /, *, config: MkDocsConfig, files: Files) -> Any:
        # MkDocs renders every page before it writes any: failing here reports all pages' problems at once and
        # publishes none of them.
        if self.published:
            for problem in sorted(set(self.published)):
                log.error(str(problem))
            raise PluginError(f"{len(set(self.published))} problem(s) in what would be published: fix them and "
                              "build again")
        return env

    def on_serve(self, server: LiveReloadServer, /, *, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
        # Events live outside docs_dir: watch them so any edit (events, sources.yml, places.yml) rebuilds.
        server.watch(self.config.events_dir)
        return server


def _edit_uri(config: MkDocsConfig, path: Path) -> str | None:
    """The path of a repository file relative to the docs folder, as MkDocs' `edit_uri` expects."""
    if not config.edit_uri:
        return None
    return Path(os.path.relpath(path.resolve(), Path(config.docs_dir).resolve())).as_posix()


def _edit_urls(config: MkDocsConfig) -> Callable[[Path], str | None]:
    """`_edit_url` for many files: each folder is resolved once (resolving a path costs a system call per part)."""
    folders: dict[Path, str | None] = {}

    def edit_url(path: Path) -> str | None:
        if path.parent not in folders:
            folders[path.parent] = _edit_url(config, path.parent / "_")
        folder = folders[path.parent]
        return None if folder is None else folder[:-1] + path.name

    return edit_url


def _edit_url(config: MkDocsConfig, path: Path) -> str | None:
    """The URL that edits `path` in the repository, from `repo_url` and `edit_uri`."""
    relative = _edit_uri(config, path)
    repo_url: str | None = config.repo_url
    edit_uri: str = config.edit_uri or ""
    if relative is None or not repo_url:
        return None
    return urljoin(repo_url.rstrip("/") + "/", edit_uri.lstrip("/") + relative)
