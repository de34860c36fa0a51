"""Markup that an untrusted contributor may not put in an event body.

Event bodies are Markdown, which passes raw HTML through. We refuse, with a message and a line, anything that
runs code or changes the page around it: script-bearing elements, inline event handlers, and links to
`javascript:`, `vbscript:` or `data:` URLs in Markdown or HTML form. Nothing is stripped silently: a
contributor sees the problem in review, and the build fails.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator

FORBIDDEN_ELEMENTS = ("script", "iframe", "frame", "frameset", "object", "embed", "applet", "style", "link",
                      "meta", "base", "form", "svg", "math", "template")
FORBIDDEN_SCHEMES = ("javascript", "vbscript", "data")

_ELEMENT = re.compile(r"<\s*(" + "|".join(FORBIDDEN_ELEMENTS) + r")\b", re.I)
_TAG = re.compile(r"<[a-z][^>]*>", re.I | re.S)
_HANDLER = re.compile(r"[\s/\"']on[a-z]+\s*=", re.I)
_URLS = (
    re.compile(r"\]\(\s*<?([^)>\s]*)", re.S),  # [text](url) and ![alt](url)
    re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s|$)", re.M),  # [ref]: url
    re.compile(r"<([a-z][a-z0-9+.\-]*:[^>\s]*)>", re.I),  # <scheme:autolink>
    re.compile(r"""\b(?:href|src|action|formaction|xlink:href|poster|background|srcset|data|cite)\s*=\s*"""
               r"""(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.I),
)
_LINK, _REFERENCE, _AUTOLINK, _HTML_URL = _URLS
_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]+")


def unsafe_markup(masked: str) -> Iterator[tuple[int, str]]:
    """(offset, message) for every forbidden construct in `masked` (a body with code blanked out)."""
    # Each family of checks needs a character without which it cannot match: most bodies skip them all.
    patterns = []
    if "<" in masked:
        for match in _ELEMENT.finditer(masked):
            name = match.group(1).lower()
            yield match.start(), (f"raw <{name}> is not allowed in an event: write plain Markdown (a link to the "
                                  "material, or a quotation) instead")
        for tag in _TAG.finditer(masked):
            handler = _HANDLER.search(tag.group(0))
            if handler:
                attribute = handler.group(0)[1:].rstrip("= \t\n")
                yield tag.start(), f"inline event handler '{attribute}' is not allowed: remove it"
        patterns += [_AUTOLINK, _HTML_URL]
    if "](" in masked:
        patterns.append(_LINK)
    if "]:" in masked:
        patterns.append(_REFERENCE)
    for pattern in sorted(patterns, key=_URLS.index):
        for match in pattern.finditer(masked):
            url = next(group for group in match.groups() if group is not None)
            scheme = _scheme(url)
            if scheme in FORBIDDEN_SCHEMES:
                yield match.start(), (f"'{scheme}:' links are not allowed: link to an http(s) address instead")


def _scheme(url: str) -> str:
    """The scheme a browser would see, after entities and invisible characters are removed."""
    decoded = _INVISIBLE.sub("", html.unescape(html.unescape(url))).lower()
    return decoded.split(":", 1)[0] if ":" in decoded else ""
