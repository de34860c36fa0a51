"""What is published is checked: every rendered page against the allow-list, and the account for wholeness.

A generator renders the pages (MkDocs through the plugin, or `render_markdown` here for `chronicle check` and
the export) with the `Guard` extension on; each page's HTML and the guard's findings come here, and go back as
problems naming the file and line a contributor has to change. A page that lost an event (an unclosed
construct swallowing the next ones, a heading inside an event) fails too: the account must be whole.
"""

from __future__ import annotations

import importlib
import posixpath
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .chronicle import DAYS_FILE, PLACES_FILE, SOURCES_FILE, Chronicle
from .events import Event
from .footnotes import AGAIN
from .guard import Found, Guard
from .problems import Problem
from .render import STATUS_LEGEND, Pages, day_page, paged
from .sanitize import Finding, check_html
from .yamldata import load_yaml

_DAY_PAGE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}\.md")  # a day's page of a split account (render.day_page)


def page_kind(uri: str, pages: Pages) -> str:
    """Which allow-list a page is read against."""
    if uri == pages.account or _DAY_PAGE.fullmatch(uri.removeprefix(posixpath.splitext(pages.account)[0] + "/")):
        return "account"
    if uri == pages.places:
        return "places"
    if uri in (pages.timeline, pages.sources, pages.corrections):
        return "generated"
    return "docs"


class Checker:
    """Checks rendered pages and says which file and line each problem comes from."""

    def __init__(self, chronicle: Chronicle, pages: Pages, events_dir: Path, docs_dir: Path | None = None,
                 glossary: frozenset[str] = frozenset()):
        self.chronicle, self.pages, self.events_dir, self.docs_dir = chronicle, pages, events_dir, docs_dir
        self.glossary = glossary  # the tooltips the site's glossary may put on generated pages (`abbr` titles)
        self.events = {e.id: e for e in chronicle.events}
        self._lines: dict[Path, list[str]] = {}
        self.fallback: tuple[Path, int] | None = None  # where a problem found nowhere else is reported
        self._by_page: dict[str, list[Event]] | None = None  # the account's pages and the events each holds
        self.docs_files: dict[str, Path] = {}  # hand-written pages read from a translation, by their page

    def check(self, uri: str, html: str, found: Sequence[Found] = (), *, whole: bool = True) -> list[Problem]:
        """Problems of one rendered page (`found`: what the guard recorded while rendering it)."""
        kind = page_kind(uri, self.pages)
        meta = self._front_matter(self.docs_path(uri)) if kind == "docs" and self.docs_dir else []
        # Abbreviations are a hand-written page's own business; planted in an event, they reach every event. So is
        # a heading's own id (a translated page keeps the English page's anchors with it).
        found = [f for f in found if not (kind == "docs" and f.kind in ("abbreviation", "reference", "heading-id"))]
        problems = [self._problem(uri, kind, Finding(f.message, needle=f.needle)) for f in found]
        raw = {(p.path, p.line) for p, f in zip(problems, found, strict=True) if f.kind == "raw-html"}
        abbreviations = any(f.kind == "abbreviation" for f in found)
        own_markup = bool(raw) or any(f.message.startswith("attribute list") for f in found)
        for finding in check_html(html, kind, self.glossary):
            if abbreviations and (finding.needle == "<abbr" or finding.message.startswith("abbreviation ")):
                continue  # follows from the definition, already reported
            if own_markup and "is used twice" in finding.message:
                continue  # follows from the raw HTML or attribute list that set the id, already reported
            problem = self._problem(uri, kind, finding)
            if (problem.path, problem.line) not in raw:  # follows from raw HTML reported on that line
                problems.append(problem)
        problems += meta
        if kind == "account" and whole:
            problems += self._wholeness(html, uri)
        # The same message found by the guard (no position) and in the page (a position): keep the one placed.
        placed = {p.message for p in problems if p.path != self.events_dir}
        return sorted({p for p in problems if p.path != self.events_dir or p.message not in placed})

    def _front_matter(self, path: Path) -> list[Problem]:
        """A hand-written page's front matter: the theme prints its values into the page's head and header as
        they are, outside what the allow-list reads, so only a few keys are allowed, each plain text."""
        try:
            lines = path.read_text(encoding="utf-8").split("\n")
        except (OSError, UnicodeDecodeError):
            return []
        close = front_matter_end(lines)
        if close is None:
            return []
        doc, problems = load_yaml("\n".join(lines[1:close]), path, first_line=2)
        if doc is None or not isinstance(doc.data, dict):
            return problems or [Problem(path, 1, "front matter must be a mapping of keys to values",
                                        code="front-matter")]
        for key, value in doc.data.items():
            message = front_matter_problem(str(key), value)
            if message:
                problems.append(Problem(path, doc.line(key), message, code="field"))
        return problems

    def _wholeness(self, html: str, uri: str) -> list[Problem]:
        """Each event's heading once, in reading order, and no heading the site did not make: on the account's
        one page, or, split, each day's events on its page (and none on the account page, their index)."""
        problems: list[Problem] = []
        position = 0
        pages = paged(self.chronicle, self.pages)
        if self._by_page is None:  # each event's page, once per build (not once per page: quadratic)
            self._by_page = {}
            for event in self.chronicle.events:
                page = day_page(pages, event.date) if pages.by_day else pages.account
                self._by_page.setdefault(page, []).append(event)
        events = self._by_page.get(uri, [])
        for event in events:
            found = html.find(f' id="{event.id}"', position)
            while found != -1 and not html.startswith("<h3", html.rfind("<", 0, found)):
                found = html.find(f' id="{event.id}"', found + 1)
            if found == -1:
                problems.append(Problem(event.path, event.body_line, "this event is missing from the rendered account "
                                        "(text before it left a construct open, e.g. a code fence or an HTML "
                                        "tag): close it", code="account"))
                continue
            position = found
        days = 1 if pages.by_day else len({e.date for e in self.chronicle.events}) + 1  # (and the legend)
        expected = {"<h1": 1, "<h2": days, "<h3": len(events), "<h4": 0, "<h5": 0, "<h6": 0}
        for tag, count in expected.items():
            if html.count(tag) > count:
                problems.append(self._heading_problem(html, tag))
        return problems

    def _heading_problem(self, html: str, tag: str) -> Problem:
        """Blame the event in whose section the first unexpected heading stands."""
        last: Event | None = None
        position = 0
        while (position := html.find(tag, position)) != -1:
            head = html[position:html.find(">", position)]
            event_id = head.split(' id="', 1)[1].split('"', 1)[0] if ' id="' in head else ""
            if tag == "<h3" and event_id in self.events and "chronicle-event" in head:
                last = self.events[event_id]
            elif not (tag == "<h2" and (event_id.startswith("day-") or event_id == STATUS_LEGEND)) and not (
                    tag == "<h1" and position == 0):
                if last is not None:
                    return Problem(last.path, self._line(last.path, "#", last.body_line),
                                   "headings are made by the site: an event's text may not contain one (write a "
                                   "paragraph, or split the event in two)", code="account")
                break
            position += 1
        return Problem(self.events_dir, 1, f"the account holds a {tag[1:]} heading the site did not make",
                       code="account")

    def _problem(self, uri: str, kind: str, finding: Finding) -> Problem:
        path, line = self._where(uri, kind, finding)
        return Problem(path, line, finding.message, code="published")

    def _where(self, uri: str, kind: str, finding: Finding) -> tuple[Path, int]:
        needle = finding.needle
        if kind == "docs":
            path = self.docs_path(uri)
            return path, self._line(path, needle, 1)
        sources, places = self.events_dir / SOURCES_FILE, self.events_dir / PLACES_FILE
        if finding.note:  # fn:<event>--<label>
            event_id, _, label = finding.note[3:].partition("--")
            label = label.split(AGAIN, 1)[0]  # a note repeated further down a long event is its first one's
            if label in self.chronicle.sources:
                source = self.chronicle.sources[label]
                return sources, self._line(sources, needle, source.line, within=12)
            if event_id in self.events:
                path, line = self._event_file(self.events[event_id])
                return path, self._line(path, needle, line)
        if kind == "generated" and finding.section in self.chronicle.sources:
            source = self.chronicle.sources[finding.section]
            return sources, self._line(sources, needle, source.line, within=12)
        if kind == "places" and finding.section in self.chronicle.places:
            place = self.chronicle.places[finding.section]
            return places, self._line(places, needle, place.line, within=6)
        if finding.section in self.events:
            path, line = self._event_file(self.events[finding.section])
            return path, self._line(path, needle, line)
        if finding.section in self.chronicle.leads:  # a day's lead, under its heading
            lead = self.chronicle.leads[finding.section]
            days = self.events_dir / DAYS_FILE
            return days, self._line(days, needle, lead.line, within=6)
        # Found without a position (the renderer's guard): the first event or registry that holds the text.
        for event in self.chronicle.events:
            path, _ = self._event_file(event)
            line = self._line(path, needle, 0)
            if line:
                return path, line
        for registry in (sources, places, self.events_dir / DAYS_FILE):
            line = self._line(registry, needle, 0)
            if line:
                return registry, line
        return self.fallback or (self.events_dir, 1)

    def _event_file(self, event: Event) -> tuple[Path, int]:
        """The file that holds an event's text in this edition (its translation's, where there is one), and the
        line its text starts on."""
        translated = self.chronicle.translation(event, self.pages.language)
        if translated is not None:
            return translated.path, translated.body_line
        return event.path, event.body_line

    def docs_path(self, uri: str) -> Path:
        """The file a hand-written page was read from: its translation (`docs/<language>/`) where it has one."""
        if uri in self.docs_files:
            return self.docs_files[uri]
        return (self.docs_dir / uri) if self.docs_dir else Path(uri)

    def _line(self, path: Path, needle: str, default: int, within: int = 0) -> int:
        """The first line of `path` (from `default`, or within `within` lines of it) holding `needle`."""
        if path not in self._lines:
            try:
                self._lines[path] = path.read_text(encoding="utf-8").lower().split("\n")
            except (OSError, UnicodeDecodeError):
                self._lines[path] = []
        lines = self._lines[path]
        needle = needle.strip().lower().split("\n", 1)[0]
        if not needle:
            return default or 1
        start = max(default - 1, 0)
        stop = min(start + within if within else len(lines), len(lines))
        for piece in dict.fromkeys((needle[:40], needle[:10])):  # a shorter piece where entities or tabs differ
            for number in range(start, stop):
                if piece in lines[number]:
                    return number + 1
        return default


# The front-matter keys a hand-written page may set, and the values `hide` may take (Material's).
FRONT_MATTER_KEYS = ("title", "description", "hide")
HIDE_VALUES = ("navigation", "toc", "footer", "path", "tags", "feedback")
_NOT_PLAIN = frozenset('<>&"`\\') | {chr(c) for c in range(32)} | {"\x7f", "\u2028", "\u2029"}


def front_matter_problem(key: str, value: Any) -> str | None:
    """Why a hand-written page may not set `key: value` in its front matter (None when it may)."""
    if key not in FRONT_MATTER_KEYS:
        return (f"front matter key {key[:40]!r} is not allowed on a hand-written page: use "
                f"{', '.join(FRONT_MATTER_KEYS)}, or remove it")
    if key == "hide":
        if not isinstance(value, list) or not all(v in HIDE_VALUES for v in value):
            return f"'hide' must be a list of {', '.join(HIDE_VALUES)}"
        return None
    if not isinstance(value, str) or not value.strip() or len(value) > 300 or any(c in _NOT_PLAIN for c in value):
        return (f"'{key}' must be one line of plain text (at most 300 characters, without < > & \" ` or \\): "
                "the theme prints it into the page as it is")
    return None


def render_markdown(text: str, extensions: list[Any], configs: dict[str, dict[str, Any]], guard: Guard
                    ) -> tuple[str, list[Found]]:
    """Render one page's Markdown as the site would, with the guard on; the HTML and what the guard found."""
    markdown: Any = importlib.import_module("markdown")  # untyped; imported this way to need no stubs
    md = markdown.Markdown(extensions=[*extensions, guard], extension_configs=configs)
    html = md.convert(text)
    return str(html), list(guard.findings)


# The generated Markdown relies on these: footnotes for citations, attr_list for the event ids, toc for anchors.
REQUIRED_EXTENSIONS = ("chronicle.footnotes", "attr_list", "toc", "pymdownx.details")  # (details: passages)
NOTES_SECTION_LEVEL = 3  # the account's events are level-3 headings (render.render_account)
NOTES_SECTION_CHARS = 600


def glossary_titles(configs: dict[str, Any]) -> frozenset[str]:
    """The meanings of the site's glossary (`abbr`'s `glossary` option in mkdocs.yml): the only abbreviation titles
    a generated page may hold."""
    glossary = (configs.get("abbr") or configs.get("markdown.extensions.abbr") or {}).get("glossary") or {}
    return frozenset(str(value) for value in glossary.values()) if isinstance(glossary, dict) else frozenset()


def require_extensions(extensions: list[Any], configs: dict[str, Any]) -> None:
    """Make a site's extension list the one the generated pages need, in place: our footnotes in place of the
    standard ones (same syntax, options and HTML; linear instead of quadratic in the number of notes on a page,
    keeping any options set for `footnotes`), then every required extension that is missing."""
    for standard in ("footnotes", "markdown.extensions.footnotes"):
        if standard in extensions:
            extensions[extensions.index(standard)] = "chronicle.footnotes"
            options = configs.pop(standard, None)
            if options is not None:
                configs["chronicle.footnotes"] = options
    extensions += [name for name in REQUIRED_EXTENSIONS if name not in extensions]
    # Notes beside the text: each section down to an event's (level 3) gets its own note list, unless set.
    # Marks that touch are separated ("1,2", not "12").
    options = configs.setdefault("chronicle.footnotes", {})
    options.setdefault("section_level", NOTES_SECTION_LEVEL)
    options.setdefault("mark_separator", ",")
    # About half a phone screen of text: a long event's notes are given out part way, not only at its end.
    options.setdefault("section_chars", NOTES_SECTION_CHARS)


def markdown_settings(entries: list[Any]) -> tuple[list[Any], dict[str, dict[str, Any]]]:
    """The Markdown extensions and their options from mkdocs.yml's `markdown_extensions`, as the plugin sets them."""
    extensions: list[Any] = []
    configs: dict[str, dict[str, Any]] = {}
    for entry in entries or []:
        name, options = next(iter(entry.items())) if isinstance(entry, dict) else (entry, None)
        extensions.append(str(name))
        if isinstance(options, dict):
            configs[str(name)] = {k: v for k, v in options.items() if v is not None}
    require_extensions(extensions, configs)
    return extensions, configs


def edition_markdown(configs: dict[str, dict[str, Any]], language: str) -> dict[str, dict[str, Any]]:
    """The Markdown extensions' options for an edition: in the others than English, headings without an id get
    one in their own letters (toc's default slugify drops every letter outside ASCII), and the permalinks' and
    the notes' back links' titles are in their language."""
    from .editions import SOURCE_LANGUAGE, words

    if language == SOURCE_LANGUAGE:
        return configs
    toc = importlib.import_module("markdown.extensions.toc")
    return {**configs, "toc": {**configs.get("toc", {}), "slugify": toc.slugify_unicode,
                               "permalink_title": words(language).permalink_title},
            "chronicle.footnotes": {**configs.get("chronicle.footnotes", {}),
                                    "BACKLINK_TITLE": words(language).backlink_title}}


def check_published(chronicle: Chronicle, pages: Pages, events_dir: Path, docs_dir: Path | None,
                    extensions: list[Any], configs: dict[str, dict[str, Any]]) -> list[Problem]:
    """Render every page as the site would (generated pages and the hand-written ones in `docs_dir`) and check
    each: what `chronicle check` and the export run, without a site generator."""
    from dataclasses import replace

    from .render import map_block, own_html, render_pages
    from .tree import DOCS_FILES, walk

    guard = Guard()
    guard.own_html = {map_block(chronicle), *own_html(chronicle, pages)}
    pages = replace(pages, attr_token=guard.token)
    configs_given, configs = configs, edition_markdown(configs, pages.language)
    checker = Checker(chronicle, pages, events_dir, docs_dir, glossary_titles(configs))
    problems: list[Problem] = []
    texts = dict(render_pages(chronicle, pages))
    if docs_dir is not None and docs_dir.is_dir():
        listing = walk(docs_dir, DOCS_FILES)
        problems += listing.problems
        from .editions import edition_docs, orphan_problems

        problems += orphan_problems(edition_docs(docs_dir, listing.files, pages.language), docs_dir)
        for path in listing.files:
            if path.suffix == ".md":
                uri = path.relative_to(docs_dir).as_posix()
                texts.setdefault(uri, _without_front_matter(path.read_text(encoding="utf-8", errors="replace")))
    from .editions import LANGUAGES

    for uri, text in texts.items():
        folder = uri.split("/", 1)[0] if "/" in uri else ""  # (a translated page, with its language's settings)
        own = edition_markdown(configs_given, folder) if folder in LANGUAGES else configs
        html, found = render_markdown(text, extensions, own, guard)
        problems += checker.check(uri, html, found)
    # The generated pages of the other editions hold the translations, contributors' text like the rest.

    for language in LANGUAGES:
        if language == pages.language:
            continue
        edition = replace(pages, language=language)
        edition_checker = Checker(chronicle, edition, events_dir, docs_dir, glossary_titles(configs))
        edition_configs = edition_markdown(configs_given, language)
        guard.own_html |= own_html(chronicle, replace(edition, attr_token=guard.token))
        for uri, text in render_pages(chronicle, edition).items():
            html, found = render_markdown(text, extensions, edition_configs, guard)
            problems += edition_checker.check(uri, html, found)
    return sorted(set(problems))


def front_matter_end(lines: list[str]) -> int | None:
    """The line index of the fence that closes a page's YAML front matter (None when it has none)."""
    if not lines or lines[0].rstrip() != "---":
        return None
    return next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)


def _without_front_matter(text: str) -> str:
    """A hand-written page's Markdown without its YAML front matter, line count kept (MkDocs reads it apart)."""
    lines = text.split("\n")
    close = front_matter_end(lines)
    return text if close is None else "\n" * (close + 1) + "\n".join(lines[close + 1:])


def check_bodies(events: list[Event], extensions: list[Any], configs: dict[str, dict[str, Any]]) -> list[Problem]:
    """Each event's text rendered on its own and read against the account's allow-list: when the content has
    other problems the pages cannot be made, but the markup of every event is still checked in the same run."""
    from .chronicle import Chronicle
    from .citations import rewrite

    guard = Guard()
    problems: list[Problem] = []
    for event in events:
        if not event.renderable:
            continue
        labels = list(dict.fromkeys(r.label for r in event.body.references))
        rename = {label: f"{event.id}--{label}" for label in labels}
        notes = [f"[^{rename[label]}]: {event.body.definitions[label].text}" for label in labels
                 if label in event.body.definitions]
        html, found = render_markdown("\n\n".join([rewrite(event.body, rename), *notes]), extensions, configs, guard)
        checker = Checker(Chronicle([event], {}, {}), Pages(), event.path.parent, glossary=glossary_titles(configs))
        checker.fallback = (event.path, event.body_line)
        problems += checker.check(Pages().account, html, found, whole=False)
        heading = next((f"<h{n}" for n in range(1, 7) if f"<h{n}" in html), None)
        if heading:
            problems.append(Problem(event.path, checker._line(event.path, "#", event.body_line),
                                    "headings are made by the site: an event's text may not contain one (write a "
                                    "paragraph, or split the event in two)", code="account"))
    return problems
