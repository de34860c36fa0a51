"""The one change the single file of `chronicle export` makes to what a page renders, made on its element tree.

The single file is rendered from Markdown (`export.render_sections`): the generated pages are written for it from
the start (`render.Pages.single_file`: in-file links, ids with their section's prefix) and every page's headings
get that prefix as toc makes their ids. What is left for this extension is what no Markdown can say, because
the site and the file need different elements for the same text:

- a link that leaves the file (another host, a page that is not in the file) is printed as text, not clickable,
  followed by the address of a web link: the file loads nothing and is read on paper;
- a link of a hand-written page to a page of the file (`account.md#status-legend`, written for the site) goes
  to that page's section of the file, as MkDocs resolves `.md` links for the site (its
  `_RelativePathTreeprocessor`); a fragment naming one of the page's own headings gets the page's prefix;
- an image is inlined as a `data:` URI, read from the docs folder (only files inside it, reached without links);
- a `<details>` (a note's supporting passage) is open, so that it prints and shows without scripts;
- a table is wrapped in `div.table-wrap`, so that a wide one scrolls on a phone rather than the page.

It runs after every other tree processor but the guard's address check: links, ids and footnotes are final.
Raw HTML (the places map, the only raw HTML the site writes) is not in the tree; the map is drawn for the file by
the generator, and `export.external_references` reads the finished file for anything that would still leave it.
"""

from __future__ import annotations

import base64
import mimetypes
import posixpath
import xml.etree.ElementTree as etree
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

# Python-Markdown ships no type information (and the package's stubs are not a dependency of ours).
from markdown import Markdown  # type: ignore[import-untyped]
from markdown.extensions import Extension  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]

from .render import Pages, id_prefix, in_document

PRIORITY = -5  # after unescape (0), so link texts are final; before the guard's address check (-10)
REFUSED = ("srcset", "poster", "background")  # ways to load an image that cannot be inlined one by one


class SingleFileError(ValueError):
    """A page holds something the single file cannot carry (an image from elsewhere); the message says what."""


class SingleFile(Extension):  # type: ignore[misc]
    """Makes one page's tree fit for the single file (see the module's docstring)."""

    def __init__(self, *, pages: Pages, page: str, in_file: frozenset[str] | set[str], docs_dir: Path | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.pages, self.page, self.in_file, self.docs_dir = pages, page, frozenset(in_file), docs_dir

    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown names these in camelCase
        md.registerExtension(self)
        md.treeprocessors.register(_SingleFileProcessor(md, self), "chronicle_single_file", PRIORITY)
        # Between attr_list (8), which sets a heading's own id, and toc (5), which keeps it: the page's prefix
        # goes on those ids too (a translated page names its headings' ids after the English ones).
        md.treeprocessors.register(_HeadingIds(md, self), "chronicle_single_file_ids", 6)


class _HeadingIds(Treeprocessor):  # type: ignore[misc]
    def __init__(self, md: Markdown, extension: SingleFile):
        super().__init__(md)
        self.prefix = id_prefix(extension.pages, extension.page)

    def run(self, root: etree.Element) -> None:
        if not self.prefix:
            return
        for element in root.iter():
            given = str(element.get("id") or "")
            # (the generated pages write their ids with the prefix already: `render.anchor`)
            if element.tag in ("h1", "h2", "h3", "h4", "h5", "h6") and given and not given.startswith(self.prefix):
                element.set("id", self.prefix + given)


class _SingleFileProcessor(Treeprocessor):  # type: ignore[misc]
    def __init__(self, md: Markdown, extension: SingleFile):
        super().__init__(md)
        self.ext = extension

    def run(self, root: etree.Element) -> None:
        ids = {found for element in root.iter() if (found := element.get("id"))}
        for parent in list(root.iter()):
            for index, child in reversed(list(enumerate(parent))):  # from the end: insertions keep the indices
                if child.tag == "a" and child.get("href") is not None:
                    self._link(parent, index, child, ids)
                elif child.tag == "img":
                    self._image(child)
                elif child.tag == "details":
                    child.set("open", "open")  # serialised as the boolean attribute `open`
                elif child.tag == "table":
                    wrap = etree.Element("div", {"class": "table-wrap"})
                    wrap.tail, child.tail = child.tail, None
                    parent.remove(child)
                    wrap.append(child)
                    parent.insert(index, wrap)

    def _link(self, parent: etree.Element, index: int, link: etree.Element, ids: set[str]) -> None:
        href = str(link.get("href"))
        found = self.in_file(href, ids)
        if found is not None:
            link.set("href", found)
            return
        parts = urlsplit(href)
        shown = href[len("mailto:"):] if parts.scheme == "mailto" else href if parts.scheme in ("http", "https") else ""
        text = "".join(link.itertext()).strip()
        link.tag = "span"
        link.attrib.clear()
        link.set("class", "export-link")
        if shown and text != shown:
            address = etree.Element("span", {"class": "export-link-url"})
            address.text = f"<{shown}>"
            address.tail, link.tail = link.tail, " "
            parent.insert(index + 1, address)

    def in_file(self, href: str, ids: set[str]) -> str | None:
        """The in-file address a link of this page goes to, or None when it leaves the file."""
        pages, page = self.ext.pages, self.ext.page
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            return None
        fragment = unquote(parts.fragment)
        if not parts.path:
            if not fragment:
                return in_document(pages, page)
            own = in_document(pages, page, fragment)  # one of the page's headings, named as on the site
            return own if fragment not in ids and own[1:] in ids else href
        target = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
        if target not in self.ext.in_file:
            return None
        return in_document(pages, target, fragment)

    def _image(self, image: etree.Element) -> None:
        for key in REFUSED:
            if image.get(key) is not None:
                raise SingleFileError(f"{self.ext.page}: <img {key}> cannot be inlined: use a plain image")
        src = image.get("src")
        if src is not None:
            image.set("src", inline_image(src, self.ext.page, self.ext.docs_dir))


def inline_image(src: str, page: str, docs_dir: Path | None) -> str:
    """An image of `page` as a data: URI, read from the docs folder (and nowhere else)."""
    parts = urlsplit(src)
    if parts.scheme == "data":
        return src
    if parts.scheme or parts.netloc or docs_dir is None:
        raise SingleFileError(f"{page}: image {src} is not a file in the docs folder, so it cannot be inlined")
    relative = posixpath.normpath(posixpath.join(posixpath.dirname(page), unquote(parts.path)))
    root = docs_dir.resolve()
    path = (root / relative).resolve()
    # Only files inside the docs folder, reached without a link: never /proc/self/environ or ../.git/config.
    if (posixpath.isabs(relative) or relative.startswith("..") or "\\" in relative
            or not path.is_relative_to(root) or _any_link(root, relative)):
        raise SingleFileError(f"{page}: image {src} is outside the docs folder: only the site's own files can be "
                              "inlined")
    if not path.is_file():
        raise SingleFileError(f"{page}: image {src} not found in the docs folder")
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return f"data:{kind};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _any_link(root: Path, relative: str) -> bool:
    """Whether any part of `relative`, below `root`, is a symbolic link."""
    current = root
    for part in relative.split("/"):
        current = current / part
        if current.is_symlink():
            return True
    return False
