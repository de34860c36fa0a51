"""YAML as plain data only, with the line of every key.

Contributors are untrusted: no tags that construct objects, no anchors or aliases (which can blow up
memory), no duplicate keys. Scalars stay strings unless they are plainly numbers, booleans or null, so
`time: 18:30` is the string "18:30" and not YAML 1.1's sexagesimal integer 1110.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .problems import Problem

_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp", "seq", "map")}
_ODD_BREAK = re.compile("[\u2028\u2029\x85]")
_STR = _TAG + "str"
_KEY_TAGS = (_STR, _TAG + "int")
_INT = re.compile(r"[-+]?[0-9]+")
_MAX_NODES = 100_000
_FAST_LOADER: type[yaml.CSafeLoader] | None = getattr(yaml, "CSafeLoader", None)
# libyaml accepts some text that PyYAML's pure-Python parser refuses (tabs in plain scalars, `?` in flow
# sequences, ...). It is used only for text without such characters, where a differential fuzz of the two
# (tens of thousands of mutated front matters and registries) found the same nodes, tags, values and lines.
_FAST_TEXT = re.compile(r"[^\t\r?`~%@&*!|>{}#\\\ufeff\x85\u2028\u2029\x00-\x08\x0b-\x1f\x7f-\x9f]*")

Path_ = tuple[str | int, ...]


@dataclass
class YamlDoc:
    """Loaded data plus the (1-based) line of every mapping key and sequence item, by path."""

    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def line(self, *path: str | int, default: int = 1) -> int:
        """The line of the key or item at `path`, or of its nearest ancestor that has one."""
        while path:
            if path in self.lines:
                return self.lines[path]
            path = path[:-1]
        return self.lines.get((), default)


def load_yaml(text: str, path: Path, first_line: int = 1) -> tuple[YamlDoc | None, list[Problem]]:
    """Parse `text` (which starts at `first_line` of `path`) into plain data, or say why not."""
    odd = _ODD_BREAK.search(text)
    if odd:  # YAML counts these as line breaks, editors do not: every later line number would be off
        line = first_line + text.count("\n", 0, odd.start())
        return None, [Problem(path, line, f"character U+{ord(odd.group(0)):04X} (a line or paragraph separator) "
                                          "is not allowed: replace it with a space or a real line break", code="yaml")]
    try:
        node = _compose(text)
    except RecursionError:
        return None, [Problem(path, first_line, "YAML nested too deeply: use plain keys, values and lists",
                              code="yaml")]
    except yaml.MarkedYAMLError as exc:
        explained = explain(exc, text)
        if explained is not None:
            line, message = explained
            return None, [Problem(path, first_line + line, message, code="yaml")]
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        what = exc.problem or exc.context or "cannot be parsed"
        if exc.context and exc.context_mark and exc.context_mark.line != (mark.line if mark else None):
            what += f" ({exc.context} that starts on line {first_line + exc.context_mark.line})"
        return None, [Problem(path, line, f"invalid YAML: {what}; check indentation, colons and quotes", code="yaml")]
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors carry no mark
        return None, [Problem(path, first_line, f"invalid YAML: {exc}", code="yaml")]
    doc = YamlDoc(None, {(): first_line})
    problems: list[Problem] = []
    if node is None:
        return doc, problems
    seen: set[int] = set()
    try:
        doc.data = _plain(node, (), doc, problems, seen, path, first_line)
    except RecursionError:
        return None, [Problem(path, first_line, "YAML nested too deeply: use plain keys, values and lists",
                              code="yaml")]
    return doc, problems


# "key: value" at the start of a line (after any "- "): the key, and the value as far as it goes.
_KEY_VALUE = re.compile(r"[ ]*(?:-[ ]+)?([^\s'\"#:][^#:]*?):[ ]+(\S.*)")
_QUOTES = {"'": "'", '"': '"'}
_OPENERS = {"[": ("list", "]"), "{": ("mapping", "}")}


def explain(exc: yaml.MarkedYAMLError, text: str) -> tuple[int, str] | None:
    """The line (0-based, within `text`) and a plain message for the common mistakes behind a parser error, or None
    when it is none of them (the parser's own words are given then).

    A tab (for indentation, or between a key and its value); a value holding ': ' without quotes; text after a
    closing quote; a quote, '[' or '{' that is never closed; a value that starts with a character YAML reserves
    ('@', '`', '*', '&', '|', ...); a backslash escape YAML does not know; keys of one mapping at different
    indentations; a missing ':'.
    """
    problem, context = exc.problem or "", exc.context or ""
    mark, start = exc.problem_mark, exc.context_mark
    if mark is None:
        return None
    lines = text.split("\n")
    here = lines[mark.line] if mark.line < len(lines) else ""
    char = here[mark.column:mark.column + 1]
    if char == "\t":  # YAML indents with spaces only, and PyYAML reads no tab between tokens either
        if not here[:mark.column].strip():
            return mark.line, "a tab is used for indentation: indent with spaces"
        return mark.line, "a tab is used here, where YAML reads only spaces: use a space, or put the value in quotes"
    if "while scanning a quoted scalar" in context and start is not None and "unexpected" in problem:
        quote = lines[start.line][start.column:start.column + 1] or '"'
        return start.line, (f"the quote ({quote}) that starts this value is never closed: end the value with {quote}, "
                            "on the same line")
    if "while parsing a flow" in context and start is not None and problem.startswith("expected ','"):
        opener = lines[start.line][start.column:start.column + 1]
        kind, closer = _OPENERS.get(opener, ("list", "]"))
        if closer not in "\n".join([lines[start.line][start.column:], *lines[start.line + 1:mark.line + 1]]):
            return start.line, f"the '{opener}' that starts this {kind} is never closed: end the {kind} with '{closer}'"
        return start.line, (f"this {kind} in '{opener}{closer}' cannot be read: separate its items with commas, and "
                            "put an item that holds ': ' in quotes")
    if "escape character" in problem and "double-quoted" in context:
        return mark.line, (f"'\\{char}' is not an escape YAML knows inside double quotes: write '\\\\' for a "
                           "backslash, or put the value in single quotes")
    if problem == "mapping values are not allowed here":
        return _colon(lines, mark.line, mark.column)
    if problem.startswith("expected <block end>"):
        before = here[:mark.column].rstrip()
        if before[-1:] in _QUOTES:
            return mark.line, "text follows the closing quote: put the whole value inside the quotes"
        if char in ("]", "}"):
            return mark.line, f"a '{char}' that closes nothing: remove it, or put the value in quotes"
        if "<block mapping start>" in problem or "<block sequence start>" in problem:
            above = _line_above(lines, mark.line)
            if above is not None and _indent(here) > _indent(lines[above]):
                return mark.line, ("this line is indented more than the line above it, which has its value already: "
                                   "line up the keys of one mapping (and the items of one list) at the same "
                                   "indentation")
            return mark.line, ("this line is indented less than the keys above it, and more than their parent: "
                               "line up the keys of one mapping (and the items of one list) at the same indentation")
        return None
    reserved = {"while scanning an alias": "*", "while scanning an anchor": "&", "while scanning a block scalar": ""}
    if context in reserved and start is not None:
        first = reserved[context] or lines[start.line][start.column:start.column + 1]
        return start.line, f"a value cannot start with '{first}' (YAML reserves it): put the value in quotes"
    if "cannot start any token" in problem or problem == "mapping keys are not allowed here":
        return mark.line, f"a value cannot start with '{char}' (YAML reserves it): put the value in quotes"
    if problem == "sequence entries are not allowed here":
        return mark.line, ("a list item ('- ') cannot follow a key on its line: put each item on a line of its own "
                           "below the key, or write the list in brackets, like 'tags: [a, b]'")
    return None


def _colon(lines: list[str], number: int, column: int) -> tuple[int, str]:
    """Why a ':' at `column` of line `number` cannot start a key there."""
    head = _KEY_VALUE.fullmatch(lines[number][:column])
    if head:
        key, value = head.group(1).strip(), lines[number][head.start(2):].strip()
        if value[:1] in _QUOTES:
            return number, "text follows the closing quote: put the whole value inside the quotes"
        example = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
        shown = f", like {key}: {example}" if len(key) + len(example) <= 80 else ""
        return number, f"the value holds ': ', which YAML reads as a new key: put the value in quotes{shown}"
    above = _line_above(lines, number)
    if above is not None:
        line = lines[above]
        if ":" not in line and not line.lstrip().startswith("-"):
            return above, "this line has no ':' between its key and its value: write 'key: value'"
        if _KEY_VALUE.fullmatch(line.rstrip()) and _indent(lines[number]) > _indent(line):
            return number, ("this line is indented more than the key above it, which has its value already: "
                            "line up the keys of one mapping at the same indentation")
    return number, ("a ':' here would start a key where none can: check the indentation, and put a value that holds "
                    "': ' in quotes")


def _line_above(lines: list[str], number: int) -> int | None:
    """The nearest line before `number` that holds more than white space or a comment."""
    return next((n for n in range(number - 1, -1, -1) if lines[n].strip() and not lines[n].lstrip().startswith("#")),
                None)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _compose(text: str) -> yaml.Node | None:
    """The node tree of `text`: with libyaml when PyYAML has it and the text is plain (about ten times faster,
    which matters for thousands of event files), else in pure Python. Text that libyaml refuses is composed again
    in pure Python, so every error message is PyYAML's own, whichever parser is available."""
    if _FAST_LOADER is not None and _FAST_TEXT.fullmatch(text):
        try:
            node: yaml.Node | None = yaml.compose(text, Loader=_FAST_LOADER)
            return node
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _plain(
    node: yaml.Node, at: Path_, doc: YamlDoc, problems: list[Problem], seen: set[int], path: Path, first: int
) -> Any:
    # Written for speed (it runs for every value of every event): scalars, the common case, first.
    key = id(node)
    if key in seen:
        # An alias shares its anchor's node (and marks): name the line of the key that uses it.
        user = doc.line(*(at[:-1] if at and isinstance(at[-1], int) else at))
        problems.append(Problem(path, user, "YAML anchors and aliases are not allowed: write the value out",
                                code="yaml"))
        return None
    seen.add(key)
    tag = node.tag
    if tag not in _PLAIN_TAGS:
        problems.append(Problem(path, first + node.start_mark.line,
                                f"YAML tag {tag!r} is not allowed: plain data only", code="yaml"))
        return None
    kind = node.__class__
    if kind is yaml.ScalarNode:
        return node.value if tag == _STR else _scalar(node)
    if len(seen) > _MAX_NODES:
        problems.append(Problem(path, first + node.start_mark.line, f"too much YAML data (over {_MAX_NODES} values)",
                                code="yaml"))
        return None
    lines = doc.lines
    if kind is yaml.MappingNode:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = first + key_node.start_mark.line
            if key_node.__class__ is not yaml.ScalarNode or key_node.tag not in _KEY_TAGS:
                problems.append(Problem(path, key_line, "keys must be plain words", code="yaml"))
                continue
            name = key_node.value
            if name in result:
                problems.append(Problem(path, key_line, f"duplicate key {name!r}: keep only one", code="yaml"))
                continue
            lines[(*at, name)] = key_line
            result[name] = _plain(value_node, (*at, name), doc, problems, seen, path, first)
        return result
    items = []
    for i, item in enumerate(node.value):
        lines[(*at, i)] = first + item.start_mark.line
        items.append(_plain(item, (*at, i), doc, problems, seen, path, first))
    return items


def _scalar(node: yaml.Node) -> Any:
    value = str(node.value)
    if node.tag == _TAG + "null":
        return None
    if node.tag == _TAG + "bool":
        return value.lower() in ("true", "yes", "on", "y")
    if node.tag == _TAG + "int" and _INT.fullmatch(value):
        try:
            return int(value)
        except ValueError:  # more digits than Python converts: leave it text, the field check reports it
            return value
    if node.tag == _TAG + "float":
        try:
            return float(value)
        except ValueError:
            return value
    return value
