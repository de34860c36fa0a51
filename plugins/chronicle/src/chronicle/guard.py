"""A Markdown extension that watches the renderer itself for markup a contributor may not make.

The allow-list over the finished HTML (`sanitize`) sees what a browser will parse; this extension sees what
Python-Markdown did to produce it, which the HTML alone cannot tell:

- **raw HTML**: every chunk of HTML passed through verbatim is in the renderer's stash; the account, the
  registries and the hand-written pages are plain Markdown, so any chunk that is not a character reference
  is refused (this also closes unbalanced tags, comments and `<plaintext>`-style swallowing at the source);
- **attribute lists**: ids and classes are ours alone to set. The site's own attribute lists carry a token
  (`Guard.token`, random for each build, removed before `attr_list` reads them); any other list is a
  contributor's and is recorded;
- **block classes**: an admonition or a collapsible block takes classes from its opening line (`??? quote x`);
  the site's own blocks carry the token there too, and a block with a class of ours (`chronicle-...`) that does
  not is a contributor's imitation of one (a supporting passage written into the text) and is recorded;
- **addresses**: every `href` and `src` in the tree, exactly as it will be serialised (a browser reads the
  same string back), checked by `urls`: a link leaves for an http(s) address or stays in the site, an image
  is always a file of the site.

Findings are kept per conversion on the extension (`findings`) and read by whoever rendered the page.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit
from xml.etree.ElementTree import Element

from markdown import Markdown  # type: ignore[import-untyped]
from markdown.extensions import Extension  # type: ignore[import-untyped]
from markdown.extensions.abbr import AbbrExtension  # type: ignore[import-untyped]
from markdown.postprocessors import Postprocessor  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]

from . import urls

NAME = "chronicle.guard"
_CHARACTER_REFERENCE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789#")


@dataclass(frozen=True)
class Found:
    """Something the renderer was asked to make that contributors may not: what, and text to find it by."""

    message: str
    needle: str  # a piece of the source that produced it, to find its line
    kind: str = ""  # "raw-html", "abbreviation", "reference", "heading-id", or "" for the rest


class Guard(Extension):  # type: ignore[misc]
    """Records raw HTML, foreign attribute lists and refused addresses while a page is rendered."""

    def __init__(self, token: str | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.token = token or f"chronicle-{secrets.token_hex(8)}"
        self.findings: list[Found] = []
        self.own_html: set[str] = set()  # raw HTML blocks the site itself writes (the places map)

    def extendMarkdown(self, md: Markdown) -> None:
        self.findings = []
        md.registerExtension(self)
        if "attr_list" in md.treeprocessors:
            _watch_attr_lists(md.treeprocessors["attr_list"], self)
        # Before attr_list (8): the only classes with the token are then those of block opening lines.
        md.treeprocessors.register(_BlockClasses(md, self), "chronicle_block_classes", 9)
        # After every other tree processor (unescape is 0): addresses are final here.
        md.treeprocessors.register(_AddressCheck(md, self), "chronicle_addresses", -10)
        # Before raw_html (30) puts the stash back into the page.
        md.postprocessors.register(_RawHtmlCheck(md, self), "chronicle_raw_html", 40)

    def reset(self) -> None:
        self.findings = []

    def own(self, attributes: str) -> str:
        """An attribute list of the site's own, e.g. own("#id .class") -> "{: #id .class TOKEN }"."""
        return "{: " + attributes + " " + self.token + " }"


def _watch_attr_lists(processor: Any, guard: Guard) -> None:
    """Wrap `attr_list`'s assignment: ours (with the token) go through without it; others are recorded."""
    assign = processor.assign_attrs

    def assign_attrs(elem: Element, attrs_string: str, *, strict: bool = False) -> str:
        words = attrs_string.split()
        if guard.token in words:
            return str(assign(elem, " ".join(w for w in words if w != guard.token), strict=strict))
        # A heading's id alone (`## Как ... {#how-events-are-sourced}`): a translated hand-written page keeps the
        # English page's anchors with it. Allowed on hand-written pages only (the checker drops it there).
        heading_id = (elem.tag in _HEADINGS and len(words) == 1 and words[0].startswith("#")
                      and _HEADING_ID.fullmatch(words[0][1:]) is not None)
        guard.findings.append(Found(f"attribute list '{{{attrs_string.strip()}}}' is not allowed: ids, classes and "
                                    "attributes are set by the site, not by the text; remove it",
                                    attrs_string.strip().split()[0] if attrs_string.strip() else "{",
                                    "heading-id" if heading_id else ""))
        return str(assign(elem, attrs_string, strict=strict))

    processor.assign_attrs = assign_attrs


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADING_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")  # the shape toc gives an English heading

OWN_CLASS_PREFIX = "chronicle-"


class _BlockClasses(Treeprocessor):  # type: ignore[misc]
    """Takes the token out of the classes of the site's own blocks; records blocks that claim a class of ours
    without it."""

    def __init__(self, md: Markdown, guard: Guard) -> None:
        super().__init__(md)
        self.guard = guard

    def run(self, root: Element) -> None:
        token = self.guard.token
        for element in root.iter():
            if element.tag not in ("details", "div") or not element.get("class"):
                continue
            classes = element.get("class", "").split()
            if token in classes:
                element.set("class", " ".join(c for c in classes if c != token))
            elif any(c.startswith(OWN_CLASS_PREFIX) for c in classes):
                ours = next(c for c in classes if c.startswith(OWN_CLASS_PREFIX))
                self.guard.findings.append(Found(f"a block with the class '{ours}' is made by the site (a "
                                                 "supporting passage comes from the event's 'passages'): remove "
                                                 "it from the text", ours))


class _AddressCheck(Treeprocessor):  # type: ignore[misc]
    def __init__(self, md: Markdown, guard: Guard) -> None:
        super().__init__(md)
        self.guard = guard

    def run(self, root: Element) -> None:
        for element in root.iter():
            for attribute in ("href", "src"):
                value = element.get(attribute)
                if value is None:
                    continue
                message = address_problem(element.tag, attribute, value)
                if message is None and element.tag == "a" and attribute == "href":
                    message = _shown_elsewhere("".join(element.itertext()), value)
                if message:
                    self.guard.findings.append(Found(message, value))


# A relative reference made of these characters alone (a page, a folder, a fragment) is plainly inside the site:
# most addresses on a page are such, and need no closer reading.
_PLAINLY_LOCAL = re.compile(r"(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*/|\.\./)*[A-Za-z0-9._~-]*(?:#[A-Za-z0-9._~:-]*)?")


@lru_cache(maxsize=65536)  # the same sources and pages are linked from many events
def address_problem(tag: str, attribute: str, value: str) -> str | None:
    """Why `value` may not stand in `attribute` of a `tag` element on a published page (None if it may)."""
    if tag in ("a", "img") and _PLAINLY_LOCAL.fullmatch(value) and not value.startswith("."  * 3):
        return None
    if attribute == "href" and tag == "a":
        if urls.is_external(value):
            problem = urls.external_url_problem(value)
            return f"link to {value!r} {problem}" if problem else None
        problem = urls.relative_reference_problem(value)
        return f"link to {value!r} {problem}" if problem else None
    if attribute == "src" and tag == "img":
        if urls.is_external(value):
            return (f"image {value!r} must be a file of this site (a relative path), not loaded from another "
                    "address: a page that reaches for the network exposes its readers")
        problem = urls.relative_reference_problem(value)
        return f"image {value!r} {problem}" if problem else None
    return f"'{attribute}' is not allowed on <{tag}>"


def _shown_elsewhere(text: str, href: str) -> str | None:
    """A link whose text reads as an address on another host than the one it goes to (a look-alike link)."""
    shown = text.strip().lower()
    if not shown or " " in shown or "." not in shown or len(shown) > 200:
        return None
    target = urlsplit(href).hostname if urls.is_external(href) else None
    if target is None:
        return None
    try:
        host = (urlsplit(shown if "//" in shown else "//" + shown).hostname or "").rstrip(".")
    except ValueError:  # not readable as an address at all ("[x.y", an unclosed IPv6 bracket): it shows none
        return None
    labels = host.split(".")
    if len(labels) < 2 or not (labels[-1].isalpha() and len(labels[-1]) >= 2) or not all(labels):
        return None  # not an address ("e.g.", "3.5", "U.S.")
    if host.removeprefix("www.") == target.removeprefix("www."):
        return None
    return (f"link text {text.strip()[:60]!r} shows another address than the link goes to ({target}): make the "
            "text say what it is, or link to the address it shows")


class _RawHtmlCheck(Postprocessor):  # type: ignore[misc]
    def __init__(self, md: Markdown, guard: Guard) -> None:
        super().__init__(md)
        self.guard = guard

    def run(self, text: str) -> str:
        for chunk in self.md.htmlStash.rawHtmlBlocks:
            if isinstance(chunk, str) and (_is_character_reference(chunk) or chunk.strip() in self.guard.own_html):
                continue
            if isinstance(chunk, str) and chunk.lstrip().startswith("</"):
                continue  # the end of a tag already reported at its start
            if isinstance(chunk, str):
                shown = chunk.strip()
                shown = shown if len(shown) <= 60 else shown[:57] + "..."
                self.guard.findings.append(Found(f"raw HTML {shown!r} is not allowed: write Markdown (the site "
                                                 "makes all markup); to show a '<', write '\\<'",
                                                 chunk.strip()[:40], "raw-html"))
            elif not isinstance(chunk, str):
                self.guard.findings.append(Found("raw HTML is not allowed: write Markdown", "<", "raw-html"))
        for label in sorted(self.md.references):
            self.guard.findings.append(Found(
                f"link reference '[{label}]: ...' is defined for the whole page, so another event's text could use "
                "it: write the link inline, [text](https://...)", f"[{label}]:", "reference"))
        for extension in self.md.registeredExtensions:
            for term in sorted(getattr(extension, "abbrs", {}) if isinstance(extension, AbbrExtension) else ()):
                if term not in extension.glossary:
                    self.guard.findings.append(Found(
                        f"abbreviation '*[{term}]' is defined for the whole page, every event's text included: "
                        "spell the term out where it is first used instead", f"*[{term}]", "abbreviation"))
        return text


def _is_character_reference(chunk: str) -> bool:
    """`&amp;`, `&#8212;`, `&#x2014;`: what the renderer stashes for entities written in the text."""
    return (3 <= len(chunk) <= 34 and chunk[0] == "&" and chunk[-1] == ";"
            and all(c in _CHARACTER_REFERENCE_CHARS for c in chunk[1:-1]))


def makeExtension(**kwargs: Any) -> Guard:
    """Python-Markdown's entry point for `extensions=["chronicle.guard"]`."""
    return Guard(**kwargs)
