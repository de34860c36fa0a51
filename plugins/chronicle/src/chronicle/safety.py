"""Markup that an untrusted contributor may not put in an event body.

Event bodies are Markdown, which passes raw HTML through and (with `attr_list`) lets text set attributes. We
refuse, with a message and a line, anything that runs code or changes the page around it: script-bearing
elements, inline event handlers and `style` attributes, attribute lists, and links to `javascript:`,
`vbscript:` or `data:` URLs in Markdown or HTML form. Nothing is stripped silently: a contributor sees the
problem in review, and the build fails.

The checks run on the raw text, code included: a second parser's idea of where code starts and ends is exactly
where a bypass hides, and an account of events has no need to show `<script>` even as code.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

FORBIDDEN_ELEMENTS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link",
                      "meta", "base", "form", "svg", "math", "template")
FORBIDDEN_SCHEMES = ("javascript", "vbscript", "data")

_ELEMENT = re.compile(r"<\s*(" + "|".join(FORBIDDEN_ELEMENTS) + r")\b", re.I)
_TAG = re.compile(r"""<[a-z](?:"[^"]*"|'[^']*'|[^'">])*>?""", re.I | re.S)  # quoted '>' does not end it
_ATTRIBUTE = re.compile(r"""[\s/"'](on[a-z]+|style)\s*=""", re.I)
# attr_list syntax: `{: ...}`, `{#id}`, `{.class}`, `{key=value}` (Python-Markdown applies it to the block or
# the inline element before it).
_ATTR_LIST = re.compile(r"\{:[^}\n]*\}|\{[ \t]*[#.][\w-][^}\n]*\}|\{[^}\n]*=[^}\n]*\}")
_URLS = (
    re.compile(r"\]\(\s*<?([^)>]*)", re.S),  # [text](url) and ![alt](url), even split over lines
    re.compile(r"\[[^\]]+\]:[ \t]*\n?[ \t]*<?(\S+?)>?(?:\s|$)"),  # [ref]: url, also inside quotes and lists
    re.compile(r"<([a-z][a-z0-9+.\-]*:[^>\s]*)>", re.I),  # <scheme:autolink>
    re.compile(r"""\b(?:href|src|action|formaction|xlink:href|poster|background|srcset|data|cite)\s*=\s*"""
               r"""(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I),
)
_LINK, _REFERENCE, _AUTOLINK, _HTML_URL = _URLS
# What a page loads by itself (not a link a reader chooses to follow): an image or embed from another host would
# reach for the network on every reading, and tell that host who reads the account.
_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)>\s]*)", re.S)
_IMAGE_REFERENCE = re.compile(r"!\[[^\]]*\]\[([^\]]*)\]")
_LOADING_ATTRIBUTE = re.compile(r"""\b(?:src|srcset|poster|background|data)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""",
                                re.I)
_ABSOLUTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.\-]*:|//|\\\\)", re.I)
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+")


def unsafe_markup(text: str) -> Iterator[tuple[int, str]]:
    """(offset, message) for every forbidden construct in an event body `text`."""
    # Each family of checks needs a character without which it cannot match: most bodies skip them all.
    patterns = []
    if "<" in text:
        for match in _ELEMENT.finditer(text):
            name = match.group(1).lower()
            yield match.start(), (f"raw <{name}> is not allowed in an event: write plain Markdown (a link to the "
                                  "material, or a quotation) instead")
        for tag in _TAG.finditer(text):
            for attribute in _ATTRIBUTE.finditer(tag.group(0)):
                name = attribute.group(1).lower()
                what = "a style attribute" if name == "style" else f"inline event handler '{name}'"
                yield tag.start(), f"{what} is not allowed: remove it"
        patterns += [_AUTOLINK, _HTML_URL]
    if "{" in text:
        for match in _ATTR_LIST.finditer(text):
            yield match.start(), (f"attribute list {match.group(0)!r} is not allowed in an event: the page's "
                                  "layout and links are made by the site, not by event text")
    if "](" in text:
        patterns.append(_LINK)
    if "]:" in text:
        patterns.append(_REFERENCE)
    yield from _remote_loads(text)
    for pattern in sorted(patterns, key=_URLS.index):
        for match in pattern.finditer(text):
            url = next(group for group in match.groups() if group is not None)
            scheme = _scheme(url)
            if scheme in FORBIDDEN_SCHEMES:
                yield match.start(), (f"'{scheme}:' links are not allowed: link to an http(s) address instead")


def _remote_loads(text: str) -> Iterator[tuple[int, str]]:
    """Images and embeds whose address is absolute (another host, or a scheme)."""
    message = ("images and embeds must be files of this site (a relative path), not loaded from another "
               "address: a page that reaches for the network exposes its readers")
    if "<" in text:
        for match in _LOADING_ATTRIBUTE.finditer(text):
            url = next(group for group in match.groups() if group is not None)
            if _ABSOLUTE.match(html.unescape(url)) and _scheme(url) not in FORBIDDEN_SCHEMES:
                yield match.start(), message
    if "![" in text:
        for match in _IMAGE.finditer(text):
            if _ABSOLUTE.match(html.unescape(match.group(1))) and _scheme(match.group(1)) not in FORBIDDEN_SCHEMES:
                yield match.start(), message
        labels = {m.group(1).lower() for m in _IMAGE_REFERENCE.finditer(text)}
        for match in _REFERENCE.finditer(text):
            label = match.group(0)[1:].split("]", 1)[0].lower()
            if label in labels and _ABSOLUTE.match(match.group(1)) and _scheme(match.group(1)) not in FORBIDDEN_SCHEMES:
                yield match.start(), message


def _scheme(url: str) -> str:
    """The scheme a browser would see, after entities and invisible characters are removed."""
    decoded = _INVISIBLE.sub("", html.unescape(html.unescape(url))).lower()
    return decoded.split(":", 1)[0] if ":" in decoded else ""
