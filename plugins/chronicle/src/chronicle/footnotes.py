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

It adds one option, `section_level` (default 0: every note at the end of the page, as the standard extension
does). At N > 0 each section opened by a heading of level N or less gets its own note list at its end: the notes
first referenced in that section, so a note stands a screen away from its mark instead of after the whole page
(the account: one list per event). Numbers stay continuous in reading order (each list starts where the last
ended, `<ol start>`), ids and classes stay the standard ones, so links, back-links and Material's tooltips work.
A reference inside a note counts where that note's list stands. With `section_chars` as well, a long section's
notes are also given out after the block at which its text since the last list, and the further blocks of the notes
waiting for it (a supporting passage, `BLOCK_CHARS` each), reach that many characters, so that on a phone no note
stands more than about a screen below its mark.

Use it in place of `footnotes` (the plugin does so in `on_config`), or from plain Python-Markdown:
`markdown.markdown(text, extensions=["chronicle.footnotes"])`.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as etree
from typing import Any

# Python-Markdown ships no type information (and the package's stubs are not a dependency of ours).
from markdown import Markdown  # type: ignore[import-untyped]
from markdown.extensions.footnotes import (  # type: ignore[import-untyped]
    FootnoteExtension,
    FootnoteInlineProcessor,
    FootnotePostTreeprocessor,
    FootnoteReorderingProcessor,
)
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]

from .citations import REFERENCE

NAME = "chronicle.footnotes"
FOOTNOTE_RE = r"\[\^([^\]]*)\]"  # the pattern the standard extension registers


class Footnotes(FootnoteExtension):  # type: ignore[misc]
    """The `footnotes` extension with O(1) work per reference and per note."""

    footnotes: dict[str, str]  # label -> the note's Markdown (set by the standard `reset`)

    def __init__(self, **kwargs: Any) -> None:
        self.numbers: dict[str, int] = {}  # label -> 1-based position in definition order
        self.order: dict[str, int] = {}  # label -> 1-based position in first-reference order
        ours = {"section_level": kwargs.pop("section_level", 0), "mark_separator": kwargs.pop("mark_separator", ""),
                "section_chars": kwargs.pop("section_chars", 0)}
        super().__init__(**kwargs)  # (which sets the standard options: ours are added after)
        self.config["section_level"] = [0, "Give each section opened by a heading of this level or less its own "
                                           "note list at its end (0: one list at the end of the page)."]
        self.config["mark_separator"] = ["", "Text put after a note mark that is directly followed by another, "
                                             "inside its superscript, so that 1 and 2 do not read as 12."]
        self.config["section_chars"] = [0, "With section_level: also close a note list after a block once the "
                                            "section's text since the last list is this long (0: only at the end)."]
        for key, value in ours.items():
            self.setConfig(key, value)

    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown names these in camelCase
        """Register the standard processors, then replace the two that scan lists (and, with sections, the two
        that expect one list per page)."""
        super().extendMarkdown(md)
        md.inlinePatterns.register(_InlineProcessor(FOOTNOTE_RE, self), "footnote", 175)
        if int(self.getConfig("section_level")) > 0:  # numbered and ordered as placed: nothing to reorder
            md.treeprocessors.register(_SectionProcessor(self), "footnote", 50)
            md.treeprocessors.register(_DuplicatesProcessor(self), "footnote-duplicate", 15)
            if "footnote-reorder" in md.treeprocessors:
                md.treeprocessors.deregister("footnote-reorder")
        elif not self.getConfig("USE_DEFINITION_ORDER"):
            md.treeprocessors.register(_ReorderingProcessor(self), "footnote-reorder", 19)
        if self.getConfig("mark_separator"):
            md.treeprocessors.register(_SeparatorProcessor(self), "footnote-separator", 14)

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

    def notes_div(self, labels: list[str], first: int) -> etree.Element:
        """`div.footnote` with the notes `labels`, numbered from `first`, built as the standard extension builds
        its one list (its builder is given just these notes)."""
        everything: dict[str, str] = self.footnotes
        try:
            self.footnotes = {label: everything[label] for label in labels}
            div: etree.Element | None = self.makeFootnotesDiv(None)
        finally:
            self.footnotes = everything
        assert div is not None
        ol = div.find("ol")
        assert ol is not None
        if first > 1:
            ol.set("start", str(first))
        for number, item in enumerate(ol.findall("li"), start=first):
            for backlink in item.iter("a"):
                if backlink.get("class") == "footnote-backref":
                    backlink.set("title", self.getConfig("BACKLINK_TITLE").format(number))
        return div

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


AGAIN = "---"  # a note repeated in a later list of its section: `label---N` (N: the list's number in the section)


class _SectionProcessor(Treeprocessor):  # type: ignore[misc]
    """One note list at the end of each section, holding the notes first referenced in it, numbered in reading order.

    Runs before the inline patterns (as the standard processor does), so references are still `[^label]` in the
    text. The page is walked once in document order (each block's text, its children, then its tail), and each
    note's own text once, right after the section that places it: that is the order a reader meets the marks, so
    it gives the numbers (Python-Markdown's inline pass visits nested blocks later than top-level ones, so its
    order is not reading order). Notes never referenced go in a last list at the end, as the standard keeps them.
    """

    def __init__(self, footnotes: Footnotes):
        super().__init__()
        self.footnotes = footnotes

    def run(self, root: etree.Element) -> None:
        notes = self.footnotes.footnotes
        if not notes:
            return
        level = int(self.footnotes.getConfig("section_level"))
        headings = {f"h{n}" for n in range(1, level + 1)}
        reading: list[str] = []  # every placed label, in reading order
        placed: dict[str, tuple[int, int]] = {}  # label -> (section, list within it) where its note stands
        blocks: list[etree.Element] = []
        section: list[str] = []
        here = [0, 0]  # the current section and, within it, the current list
        aliases: set[str] = set()

        weight = [0]  # the pending notes' blocks after their first (a supporting passage): each takes a line

        def find(text: str | None) -> None:
            if text and "[^" in text:
                for match in REFERENCE.finditer(text):
                    if match[1] in notes and match[1] not in placed:
                        placed[match[1]] = (here[0], here[1])
                        section.append(match[1])
                        weight[0] += BLOCK_CHARS * len(_NOTE_BLOCK.findall(notes[match[1]]))

        def again(match: re.Match[str]) -> str:
            """A note given out in an earlier list of this section, more than a screen up: cited again, it is
            repeated in the list that follows (label `x---N`), so every mark has its note close by."""
            label = match[1]
            where = placed.get(label)
            if where is None or where[0] != here[0] or where[1] == here[1] or label in aliases:
                return match[0]
            alias = f"{label}{AGAIN}{here[1]}"
            aliases.add(alias)
            if alias not in notes:
                self.footnotes.setFootnote(alias, notes[label])
            return f"[^{alias}]"

        def relabel(text: str | None) -> str | None:
            return REFERENCE.sub(again, text) if text and "[^" in text and here[1] else text

        def close() -> None:
            index = 0
            while index < len(section):  # the notes' own references, which may add notes (read once each)
                label = section[index]
                notes[label] = relabel(notes[label]) or ""  # (a note's reference to a note far up: repeated too)
                find(notes[label])
                index += 1
            weight[0] = 0
            if section:
                reading.extend(section)
                blocks.append(self.footnotes.notes_div(section, len(reading) - len(section) + 1))
                section.clear()
                here[1] += 1

        limit = int(self.footnotes.getConfig("section_chars"))
        length = 0  # characters of text since the last list
        for child in list(root):
            if child.tag in headings:
                close()
                length = 0
                here[0], here[1] = here[0] + 1, 0
            elif limit and section and child.tag == "table":
                # A table next (tall on a phone): the notes go before it, and before the short line that
                # introduces it, which stays with its table.
                caption = blocks.pop() if blocks and _is_caption(blocks[-1]) else None
                close()
                blocks += [caption] if caption is not None else []
                length = 0
            elif limit and section and length + weight[0] >= limit:
                close()  # a long section: these notes go here, a screen or so after their marks
                length = 0
            blocks.append(child)
            if limit:
                length += sum(len(text) for text in child.itertext())
            stack: list[tuple[etree.Element, bool]] = [(child, False)]
            while stack:  # document order without recursion: text, children, then (after them) tail
                element, done = stack.pop()
                if done:
                    element.tail = relabel(element.tail)
                    find(element.tail)
                    continue
                element.text = relabel(element.text)
                find(element.text)
                stack.append((element, True))
                stack += [(sub, False) for sub in reversed(element)]
        close()
        section += [label for label in notes if label not in placed]
        close()
        root[:] = blocks
        self.footnotes.order = {label: number for number, label in enumerate(reading, start=1)}
        self.footnotes.footnote_order = reading


# A block of a note after its first paragraph (a blank line, then the note's own indentation): with
# `section_chars`, each counts as this many characters of text towards giving the notes out.
BLOCK_CHARS = 200
_NOTE_BLOCK = re.compile(r"\n\n {4}(?! )")


def _is_caption(block: etree.Element) -> bool:
    """A short paragraph with no note mark: the line that introduces the table after it."""
    text = "".join(block.itertext())
    return block.tag == "p" and len(text) <= 200 and "[^" not in text


class _DuplicatesProcessor(Treeprocessor):  # type: ignore[misc]
    """The standard back-links for repeated references (`fnref2:x`, ...), in every note list, not the first only."""

    def __init__(self, footnotes: Footnotes):
        super().__init__()
        self.footnotes = footnotes
        self.standard = FootnotePostTreeprocessor(footnotes)

    def run(self, root: etree.Element) -> None:
        self.standard.offset = 0
        for div in root.iter("div"):
            if div.get("class") == "footnote":
                ol = div.find("ol")
                if ol is not None:
                    self.standard.handle_duplicates(ol)


class _SeparatorProcessor(Treeprocessor):  # type: ignore[misc]
    """Marks that touch (`[^a][^b]`) read as one number ("12"): the first gets the separator inside its `sup`."""

    def __init__(self, footnotes: Footnotes):
        super().__init__()
        self.footnotes = footnotes

    def run(self, root: etree.Element) -> None:
        separator = str(self.footnotes.getConfig("mark_separator"))
        for parent in root.iter():
            children = list(parent)
            for mark, following in itertools.pairwise(children):
                if not mark.tail and _is_mark(mark) and _is_mark(following) and len(mark):
                    anchor = mark[-1]
                    anchor.tail = (anchor.tail or "") + separator


def _is_mark(element: etree.Element) -> bool:
    return element.tag == "sup" and len(element) == 1 and element[0].get("class") == "footnote-ref"


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
        by_definition = notes.getConfig("USE_DEFINITION_ORDER") and not notes.getConfig("section_level")
        number = notes.numbers[label] if by_definition else notes.order[label]
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
