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
                                          "is not allowed: replace it with a space or a real line break")]
    try:
        node = _compose(text)
    except RecursionError:
        return None, [Problem(path, first_line, "YAML nested too deeply: use plain keys, values and lists")]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + (mark.line if mark else 0)
        what = exc.problem or exc.context or "cannot be parsed"
        if exc.context and exc.context_mark and exc.context_mark.line != (mark.line if mark else None):
            what += f" ({exc.context} that starts on line {first_line + exc.context_mark.line})"
        return None, [Problem(path, line, f"invalid YAML: {what}; check indentation, colons and quotes")]
    except yaml.YAMLError as exc:  # pragma: no cover - reader errors carry no mark
        return None, [Problem(path, first_line, f"invalid YAML: {exc}")]
    doc = YamlDoc(None, {(): first_line})
    problems: list[Problem] = []
    if node is None:
        return doc, problems
    seen: set[int] = set()
    try:
        doc.data = _plain(node, (), doc, problems, seen, path, first_line)
    except RecursionError:
        return None, [Problem(path, first_line, "YAML nested too deeply: use plain keys, values and lists")]
    return doc, problems


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
        problems.append(Problem(path, user, "YAML anchors and aliases are not allowed: write the value out"))
        return None
    seen.add(key)
    tag = node.tag
    if tag not in _PLAIN_TAGS:
        problems.append(Problem(path, first + node.start_mark.line,
                                f"YAML tag {tag!r} is not allowed: plain data only"))
        return None
    kind = node.__class__
    if kind is yaml.ScalarNode:
        return node.value if tag == _STR else _scalar(node)
    if len(seen) > _MAX_NODES:
        problems.append(Problem(path, first + node.start_mark.line, f"too much YAML data (over {_MAX_NODES} values)"))
        return None
    lines = doc.lines
    if kind is yaml.MappingNode:
        result: dict[str, Any] = {}
        for key_node, value_node in node.value:
            key_line = first + key_node.start_mark.line
            if key_node.__class__ is not yaml.ScalarNode or key_node.tag not in _KEY_TAGS:
                problems.append(Problem(path, key_line, "keys must be plain words"))
                continue
            name = key_node.value
            if name in result:
                problems.append(Problem(path, key_line, f"duplicate key {name!r}: keep only one"))
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
