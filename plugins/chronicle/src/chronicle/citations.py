"""Footnote references and definitions in an event body.

The plugin owns every footnote label on the assembled page: source citations are generated from the
source registry, and explanatory notes are renamed per event, so two events can both say `[^n1]` and
neither can redefine a source. Code is masked first so `[^x]` inside backticks is left alone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)", re.M | re.S)
_CODE_SPAN = re.compile(r"(`+)(?!`).+?(?<!`)\1(?!`)", re.S)
REFERENCE = re.compile(r"\[\^([^\]]*)\]")  # as Python-Markdown reads it: spaces included
_DEF = re.compile(r"^ {0,3}\[\^([^\]]*)\]:[ \t]?", re.M)
_NOT_NEWLINE = re.compile(r"[^\n]")
LABEL = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@dataclass(frozen=True)
class Reference:
    """A `[^label]` in running text."""

    label: str
    line: int  # 0-based line within the body
    start: int
    end: int


@dataclass(frozen=True)
class Definition:
    """A `[^label]: text` block, with its continuation lines."""

    label: str
    line: int
    start: int
    end: int
    text: str


@dataclass
class Body:
    """An event body split into its references, its note definitions and the prose around them."""

    text: str
    masked: str
    references: list[Reference] = field(default_factory=list)
    definitions: dict[str, Definition] = field(default_factory=dict)
    duplicate_definitions: list[Definition] = field(default_factory=list)


def mask_code(text: str) -> str:
    """Blank out fenced code and code spans, keeping every offset and newline in place."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    if "`" not in text and "~~~" not in text:
        return text  # no code at all: the common case, no copy needed
    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


def scan(text: str) -> Body:
    """Find the references and definitions of `text`; offsets index into `text`.

    Linear in the length of the text: newlines are counted once between successive matches, and each definition
    is only searched up to the next one.
    """
    masked = mask_code(text)
    body = Body(text, masked)
    matches = list(_DEF.finditer(masked))
    label_starts: list[int] = []
    label_ends: list[int] = []
    line, counted = 0, 0  # matches come in order: count the newlines between them once
    for index, match in enumerate(matches):
        limit = matches[index + 1].start() if index + 1 < len(matches) else len(masked)
        end = _definition_end(masked, match.end(), limit)
        line, counted = line + masked.count("\n", counted, match.start()), match.start()
        label = match.group(1)
        definition = Definition(label, line, match.start(), end, text[match.end() : end].strip("\n"))
        label_starts.append(match.start())
        label_ends.append(match.end())
        if label in body.definitions:
            body.duplicate_definitions.append(definition)
        else:
            body.definitions[label] = definition
    line, counted = 0, 0
    for match in REFERENCE.finditer(masked):
        i = bisect_right(label_starts, match.start()) - 1
        if i >= 0 and match.start() < label_ends[i]:
            continue  # the label of a definition, not a reference
        line, counted = line + masked.count("\n", counted, match.start()), match.start()
        body.references.append(Reference(match.group(1), line, match.start(), match.end()))
    return body


def _definition_end(text: str, pos: int, limit: int) -> int:
    """Where a definition ends: its paragraph, plus later blocks indented by four spaces (never past `limit`, the
    start of the next definition)."""
    lines = text[pos:limit].split("\n")
    offset = pos + len(lines[0])
    i = 1
    while i < len(lines) and lines[i].strip() and not _DEF.match(lines[i]):
        offset += 1 + len(lines[i])
        i += 1
    while i < len(lines):
        j = i
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and lines[j].startswith("    "):
            while j < len(lines) and (not lines[j].strip() or lines[j].startswith("    ")):
                j += 1
            while j > i and not lines[j - 1].strip():
                j -= 1
            offset += sum(1 + len(line) for line in lines[i:j])
            i = j
        else:
            break
    return offset


def rewrite(body: Body, rename: dict[str, str]) -> str:
    """The body with each reference relabelled by `rename` and every definition removed."""
    cuts = [(d.start, d.end, "") for d in [*body.definitions.values(), *body.duplicate_definitions]]
    cuts += [(r.start, r.end, f"[^{rename[r.label]}]") for r in body.references if r.label in rename]
    out, pos = [], 0
    for start, end, replacement in sorted(cuts):
        out.append(body.text[pos:start])
        out.append(replacement)
        pos = end
    out.append(body.text[pos:])
    return re.sub(r"\n{3,}", "\n\n", "".join(out)).strip("\n")


def paragraphs(body: Body) -> list[tuple[int, str]]:
    """The prose blocks of the body (not definitions, not code), with their 0-based first line."""
    spans = sorted((d.start, d.end) for d in [*body.definitions.values(), *body.duplicate_definitions])
    text, pos, parts = body.masked, 0, []
    for start, end in spans:  # blank the definitions out, keeping their newlines so line numbers hold
        parts += [text[pos:start], _NOT_NEWLINE.sub(" ", text[start:end])]
        pos = end
    prose = "".join([*parts, text[pos:]]) if spans else text
    blocks: list[tuple[int, str]] = []
    current: list[str] = []
    first = 0
    for number, line in enumerate(prose.split("\n")):
        if line.strip():
            if not current:
                first = number
            current.append(line)
        elif current:
            blocks.append((first, "\n".join(current)))
            current = []
    if current:
        blocks.append((first, "\n".join(current)))
    return blocks
