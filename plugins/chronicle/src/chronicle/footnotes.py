"""Python-Markdown's footnotes, with constant-time bookkeeping, for pages with tens of thousands of notes.

The standard `footnotes` extension (Python-Markdown 3.11) finds a note's number with
`list(footnotes.keys()).index(label)` and records reference order with a list membership test, so each
reference costs O(number of notes) and a page of N notes costs O(N²): one page of 10 000 sections with two
notes each takes ~31 s instead of ~5 s. This extension keeps the same syntax, options and HTML (ids
`fn:LABEL` / `fnref:LABEL`, `fnrefN:LABEL` for repeated references, `a.footnote-ref`, `a.footnote-backref`,
`div.footnote > ol`), which Material's footnote tooltips rely on, but keeps a dictionary from label to
number instead. It subclasses the standard extension through its documented methods (`setFootnote`,
`addFootnoteRef`, `unique_ref`, `reset`) and replaces its two processors whose cost grows with the page;
nothing in the library is patched.

Use it in place of `footnotes` (the plugin does so in `on_config`), or from plain Python-Markdown:
`markdown.markdown(text, extensions=["chronicle.footnotes"])`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree
from typing import Any

# Python-Markdown ships no type information (and the package's stubs are not a dependency of ours).
from markdown import Markdown  # type: ignore[import-untyped]
from markdown.extensions.footnotes import (  # type: ignore[import-untyped]
    FootnoteExtension,
    FootnoteInlineProcessor,
    FootnoteReorderingProcessor,
)

NAME = "chronicle.footnotes"
FOOTNOTE_RE = r"\[\^([^\]]*)\]"  # the pattern the standard extension registers


class Footnotes(FootnoteExtension):  # type: ignore[misc]
    """The `footnotes` extension with O(1) work per reference and per note."""

    def __init__(self, **kwargs: Any) -> None:
        self.numbers: dict[str, int] = {}  # label -> 1-based position in definition order
        self.order: dict[str, int] = {}  # label -> 1-based position in first-reference order
        super().__init__(**kwargs)

    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown names these in camelCase
        """Register the standard processors, then replace the two that scan lists."""
        super().extendMarkdown(md)
        md.inlinePatterns.register(_InlineProcessor(FOOTNOTE_RE, self), "footnote", 175)
        if not self.getConfig("USE_DEFINITION_ORDER"):
            md.treeprocessors.register(_ReorderingProcessor(self), "footnote-reorder", 19)

    def reset(self) -> None:
        """Forget every note: a new page starts."""
        super().reset()
        self.numbers = {}
        self.order = {}

    def setFootnote(self, id: str, text: str) -> None:
        """Store a note; a label keeps the number of its first definition, as in the standard extension."""
        if id not in self.numbers:
            self.numbers[id] = len(self.numbers) + 1
        super().setFootnote(id, text)

    def addFootnoteRef(self, id: str) -> None:
        """Record a reference in order of first appearance."""
        if id not in self.order:
            self.order[id] = len(self.order) + 1
            self.footnote_order.append(id)

    def unique_ref(self, reference: str, found: bool = False) -> str:
        """`fnref:x` for the first reference to a note, then `fnref2:x`, `fnref3:x`, ..."""
        if not found:
            return reference
        count = self.found_refs.get(reference, 0) + 1
        self.found_refs[reference] = count
        unique = reference
        if count > 1:
            head, sep, rest = reference.partition(self.get_separator())
            match = re.fullmatch(r"(fnref)(\d*)", head)
            unique = f"{match[1]}{count}{sep}{rest}" if match else f"{head}{count}{sep}{rest}"
        self.used_refs.add(unique)
        return unique


class _InlineProcessor(FootnoteInlineProcessor):  # type: ignore[misc]
    """`[^label]` in running text: the standard markup, numbered by dictionary lookup."""

    footnotes: Footnotes

    def handleMatch(
        self, m: re.Match[str], data: str
    ) -> tuple[etree.Element | None, int | None, int | None]:
        label = m.group(1)
        notes = self.footnotes
        if label not in notes.numbers:
            return None, None, None
        notes.addFootnoteRef(label)
        number = notes.numbers[label] if notes.getConfig("USE_DEFINITION_ORDER") else notes.order[label]
        sup = etree.Element("sup")
        a = etree.SubElement(sup, "a")
        sup.set("id", notes.makeFootnoteRefId(label, found=True))
        a.set("href", "#" + notes.makeFootnoteId(label))
        a.set("class", "footnote-ref")
        a.text = notes.getConfig("SUPERSCRIPT_TEXT").format(number)
        return sup, m.start(0), m.end(0)


class _ReorderingProcessor(FootnoteReorderingProcessor):  # type: ignore[misc]
    """Notes in order of first reference (`USE_DEFINITION_ORDER: false`), sorted by dictionary lookup."""

    footnotes: Footnotes

    def reorder_footnotes(self, parent: etree.Element) -> None:
        old = parent.find("ol")
        if old is None:
            return
        parent.remove(old)
        separator = self.footnotes.get_separator()
        last = len(self.footnotes.footnotes)
        order = self.footnotes.order

        def position(li: etree.Element) -> int:
            return order.get(li.attrib.get("id", "").split(separator, 1)[-1], last + 1) - 1

        new = etree.SubElement(parent, "ol")
        for index, item in enumerate(sorted(old.findall("li"), key=position), start=1):
            backlink = item.find('.//a[@class="footnote-backref"]')
            if backlink is not None:
                backlink.set("title", self.footnotes.getConfig("BACKLINK_TITLE").format(index))
            new.append(item)


def makeExtension(**kwargs: Any) -> Footnotes:
    """Entry point for `extensions=["chronicle.footnotes"]`."""
    return Footnotes(**kwargs)
