"""Footnote references and definitions in an event body.

The plugin owns every footnote label on the assembled page: source citations are generated from the
source registry, and explanatory notes are renamed per event, so two events can both say `[^n1]` and
neither can redefine a source. Code is masked first so `[^x]` inside backticks is left alone.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

# Every scan of contributor text here runs in linear time. The readings are Python-Markdown's (3.11): a footnote
# reference is `[^` up to the first `]` (`\[\^([^\]]*)\]`, spaces and newlines included), a definition is that
# at a line start after up to three spaces and followed by `:`, a code span is a run of N backticks closed by the
# next run of exactly N. Written as regular expressions those retry from every start position and rescan the
# same text each time (`[^` repeated with no `]`, one long backtick run, a last line of 100 000 backticks are
# quadratic), so `scan` and `mask_code` find them by hand with `str.find`, each position visited a bounded
# number of times, and give exactly what the expressions gave (tests/test_linear.py compares them).

# For callers that search a paragraph or a note's text with a regular expression. It is the reading above with
# `[` also excluded from the label, so runs from two starts never overlap (each stops at the next `[`) and the
# expression is linear. It differs from the full reading only where that reading gives a label containing `[`,
# and `scan` reports every such label as invalid (a reference, or a definition that is unreferenced or whose
# references are invalid), so the event is refused before its paragraphs or notes are used. The one exception is
# a note's raw text, where a `[^` inside code can open such a label: there this expression sees the reference
# after the code (and relabels it) where the full reading would swallow it as text, which is the better answer.
REFERENCE = re.compile(r"\[\^([^\]\[]*+)\]")
_TICKS = re.compile(r"`+")
_FENCE_RUN = re.compile(r"`{3,}|~{3,}")  # at one position, nothing after it: no backtracking
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
    if "`" not in text and "~~~" not in text:
        return text  # no code at all: the common case, no copy needed
    text = _blank(text, _fences(text))
    return _blank(text, _code_spans(text))


def _blank(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with every character but newlines in `spans` (in order, disjoint) made a space."""
    if not spans:
        return text
    parts, pos = [], 0
    for start, end in spans:
        parts += [text[pos:start], _NOT_NEWLINE.sub(" ", text[start:end])]
        pos = end
    parts.append(text[pos:])
    return "".join(parts)


def _fences(text: str) -> list[tuple[int, int]]:
    r"""Fenced code blocks, as `^ {0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^ {0,3}\1[ \t]*$|\Z)` (multi-line, dot-all)
    found them: an opening line of up to three spaces and three or more backticks or tildes that ends in a
    newline, to the first later line of up to three spaces, exactly the same run and spaces or tabs, else to the
    end of the text. Each line is looked at once, as an opening or as a possible closing line: linear, where the
    expression retried every shorter run of a long unterminated last line (quadratic)."""
    spans: list[tuple[int, int]] = []
    n, line = len(text), 0
    while line < n:
        eol = text.find("\n", line)
        if eol < 0:
            break  # the last line has no newline: it cannot open a fence
        run = _FENCE_RUN.match(text, _skip_spaces(text, line))
        if run is None:
            line = eol + 1
            continue
        fence, close, end = run.group(0), eol + 1, n
        while close < n:
            close_eol = text.find("\n", close)
            line_end = n if close_eol < 0 else close_eol
            at = _skip_spaces(text, close)
            after = at + len(fence)  # (the length test first: never compare past the line)
            if after <= line_end and text.startswith(fence, at) and not text[after:line_end].strip(" \t"):
                end = line_end
                break
            close = line_end + 1
        spans.append((line, end))
        line = end + 1
    return spans


def _skip_spaces(text: str, pos: int) -> int:
    """Past up to three spaces at `pos` (the ` {0,3}` of a line start)."""
    for _ in range(3):
        if not text.startswith(" ", pos):
            break
        pos += 1
    return pos


def _code_spans(text: str) -> list[tuple[int, int]]:
    r"""Code spans, as `(`+)(?!`).+?(?<!`)\1(?!`)` (dot-all) found them, Python-Markdown's reading: from the left,
    a run of backticks is closed by the next run of exactly as many; a run with no such closer is retried from
    each later backtick in it (the expression's next start positions), so a run of M may open with its last
    N < M backticks when the next closing run has N, the largest N that has one. Work per run is its length plus
    one step per run passed over, where the expression rescanned the rest of the text for every start (quadratic
    for one long unclosed run)."""
    runs = [(m.start(), m.end()) for m in _TICKS.finditer(text)]
    by_length: dict[int, list[int]] = {}  # length -> indexes in `runs` of the runs of that length, in order
    for index, (start, end) in enumerate(runs):
        by_length.setdefault(end - start, []).append(index)
    seen = dict.fromkeys(by_length, 0)  # length -> how far its list has been passed over (only ever grows)
    spans: list[tuple[int, int]] = []
    index = 0
    while index < len(runs):
        start, end = runs[index]
        closer = -1
        for length in range(end - start, 0, -1):  # each length at most once per run that opens or fails
            later = by_length.get(length)
            if later is None:
                continue
            k = seen[length]
            while k < len(later) and later[k] <= index:
                k += 1
            seen[length] = k
            if k < len(later):
                closer = later[k]
                break
        if closer < 0:
            index += 1
            continue
        close_start, close_end = runs[closer]
        spans.append((end - (close_end - close_start), close_end))
        index = closer + 1
    return spans


def _definition_heads(text: str) -> list[tuple[int, int, str]]:
    r"""(start, end, label) of every `[^label]:` opening a definition, as `^ {0,3}\[\^([^\]]*)\]:[ \t]?`
    (multi-line) found them, the way Python-Markdown reads a definition: at a line start, after up to three
    spaces, `[^`, the label up to the first `]` (newlines included), then `:` and an optional space or tab. The
    first `]` is looked up once and kept while it lies ahead, where the expression rescanned to it from every
    line start (quadratic for many lines starting `[^` with no `]`)."""
    heads: list[tuple[int, int, str]] = []
    n, line, close = len(text), 0, -1
    while line < n:
        at = _skip_spaces(text, line)
        resume = line
        if text.startswith("[^", at):
            if close < at + 2:
                close = text.find("]", at + 2)
                if close < 0:
                    break  # no `]` after this point: no later definition either
            if text.startswith(":", close + 1):
                end = close + 2 + text.startswith((" ", "\t"), close + 2)
                heads.append((line, end, text[at + 2 : close]))
                resume = end  # the label may span lines: the next line start is after the match
        eol = text.find("\n", resume)
        if eol < 0:
            break
        line = eol + 1
    return heads


def references(text: str) -> list[tuple[int, int, str]]:
    r"""(start, end, label) of every `[^label]`, exactly as `\[\^([^\]]*)\]` finds them (see `REFERENCE` for
    the narrower regular expression): `[^` to the first `]` after it, left to right. Linear: once no `]`
    follows, no later `[^` can match either."""
    found: list[tuple[int, int, str]] = []
    pos = 0
    while (start := text.find("[^", pos)) >= 0 and (close := text.find("]", start + 2)) >= 0:
        found.append((start, close + 1, text[start + 2 : close]))
        pos = close + 1
    return found


def scan(text: str) -> Body:
    """Find the references and definitions of `text`; offsets index into `text`.

    Linear in the length of the text: newlines are counted once between successive matches, and each definition
    is only searched up to the next one.
    """
    masked = mask_code(text)
    body = Body(text, masked)
    heads = _definition_heads(masked)
    label_starts: list[int] = []
    label_ends: list[int] = []
    line, counted = 0, 0  # matches come in order: count the newlines between them once
    for index, (start, head_end, label) in enumerate(heads):
        limit = heads[index + 1][0] if index + 1 < len(heads) else len(masked)
        end = _definition_end(masked, head_end, limit)
        line, counted = line + masked.count("\n", counted, start), start
        definition = Definition(label, line, start, end, text[head_end:end].strip("\n"))
        label_starts.append(start)
        label_ends.append(head_end)
        if label in body.definitions:
            body.duplicate_definitions.append(definition)
        else:
            body.definitions[label] = definition
    line, counted = 0, 0
    for start, end, label in references(masked):
        i = bisect_right(label_starts, start) - 1
        if i >= 0 and start < label_ends[i]:
            continue  # the label of a definition, not a reference
        line, counted = line + masked.count("\n", counted, start), start
        body.references.append(Reference(label, line, start, end))
    return body


def _definition_end(text: str, pos: int, limit: int) -> int:
    """Where a definition ends: its paragraph, plus later blocks indented by four spaces (never past `limit`, the
    start of the next definition). Linear in `limit - pos`: each line is looked at a bounded number of times."""
    lines = text[pos:limit].split("\n")
    offset = pos + len(lines[0])
    i = 1
    # (A line that opens a definition always starts at `limit`, as `scan` finds every one: the check is a guard.)
    while i < len(lines) and lines[i].strip() and not _definition_heads(lines[i]):
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
    """The prose of the body (every definition removed) with each reference relabelled by `rename`. Linear.

    A reference inside a definition goes with its definition (the caller writes the notes, relabelled, itself).
    """
    cuts = [(d.start, d.end, "") for d in [*body.definitions.values(), *body.duplicate_definitions]]
    cuts += [(r.start, r.end, f"[^{rename[r.label]}]") for r in body.references if r.label in rename]
    out, pos = [], 0
    for start, end, replacement in sorted(cuts):
        if start < pos:
            continue  # inside a definition already cut
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
