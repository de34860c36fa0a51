"""Checks for URLs written by contributors: external links and sources, and links that must stay within the site.

Content arrives in untrusted pull requests, so a URL is accepted only in a plain, canonical form that every browser
reads the same way: no characters a parser strips or rewrites, no credentials, no IP addresses or local names, and no
look-alike host names. Each check returns None when the value is fine, or a short message meant to follow a field
name (``'url' must use http or https, not 'javascript:'``). The module is pure: no I/O, no MkDocs.

Decisions:

- ``.onion`` hosts are refused. A citation must be checkable by any reader and saved by web archives; neither can
  reach an onion service, and outlets with onion mirrors also publish a public address (cite that one). To allow
  them, take ``"onion"`` out of `_REFUSED_SUFFIXES`.
- A trailing dot (``example.com.``) is refused: browsers treat it as a different origin from ``example.com``
  (separate cookies, often a certificate mismatch), so it is a duplicate spelling with nothing to gain.
- No explicit port at all, not even the default one (``:443``, ``:80``): the message asks to drop it.
- Labels are checked for mixed scripts after decoding punycode; Japanese (Han with kana) and Korean (Han with
  Hangul) and Chinese (Han with Bopomofo) mixtures count as one script, as in Unicode TS #39. A label written wholly
  in Cyrillic or Greek letters that look like Latin ones (``аре.com``) is refused too, unless the top-level domain
  is one where that script is at home (``.ru``, ``.kz``, ``.gr``, ``.рф``, ...).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from urllib.parse import unquote

import idna

__all__ = ["MAX_URL_LENGTH", "external_url_problem", "is_external", "relative_reference_problem"]

MAX_URL_LENGTH = 2048
"""Longer values are refused before any other work, which bounds the cost of every check."""

_DEFAULT_PORTS = {"http": "80", "https": "443"}

# Characters that HTML or Markdown give a meaning to; browsers percent-encode them, so a raw one is never needed.
_MUST_ENCODE = {"<": "%3C", ">": "%3E", '"': "%22", "`": "%60"}

# Invisible characters that are not format (Cf) or control (Cc) characters, so the category test misses them:
# the combining grapheme joiner, Hangul fillers, Khmer inherent vowels, Mongolian variation selectors and the
# variation selectors.
_INVISIBLE = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180e\u180f\u3164\uffa0"
    + "".join(chr(cp) for cp in range(0xFE00, 0xFE10))
    + "".join(chr(cp) for cp in range(0xE0100, 0xE01F0))
)

# Control, format (bidi controls, zero-width characters, BOM, soft hyphen), surrogate, private-use, unassigned,
# and separator categories. Cf covers U+200B-U+200F, U+202A-U+202E, U+2060-U+2064, U+2066-U+2069 and U+FEFF.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})

_CONTROL_NAMES = {
    "\t": "TAB",
    "\n": "LINE FEED",
    "\r": "CARRIAGE RETURN",
    "\x00": "NUL",
    "\x7f": "DELETE",
    "\x85": "NEXT LINE",
}

# Host names that can only mean this machine, a local network, or nothing (RFC 6761, 6762, 7686, 8375, 9476), and
# suffixes in wide private use that ICANN will not delegate (.lan, .home, .corp, .localdomain, .intranet,
# .private). ``example.com`` and friends stay allowed: they are real public hosts.
_REFUSED_SUFFIXES = frozenset(
    {
        "localhost", "localdomain", "local", "internal", "lan", "home", "corp", "intranet", "private", "arpa",
        "test", "invalid", "example", "onion", "alt",
    }
)  # fmt: skip

_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_ASCII_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

# Script mixtures that are one writing system (Unicode TS #39, "highly restrictive" without Latin).
_SCRIPT_FAMILIES = (
    frozenset({"HAN", "HIRAGANA", "KATAKANA"}),
    frozenset({"HAN", "HANGUL"}),
    frozenset({"HAN", "BOPOMOFO"}),
)
_SCRIPT_ALIASES = {"CJK": "HAN", "IDEOGRAPHIC": "HAN", "KATAKANA-HIRAGANA": "KATAKANA"}
_SCRIPT_NEUTRAL = frozenset("-\u00b7")  # hyphen; middle dot, which IDNA allows only inside Catalan "l·l"

# Letters that, on their own, spell a word a reader would take for Latin, and the top-level domains where the
# script is at home and such a label is expected.
_LATIN_LOOKALIKES = {
    "CYRILLIC": (frozenset("асеіјорѕхуԁһԛԝӏ"), frozenset(
        {"ru", "su", "by", "ua", "kz", "kg", "tj", "uz", "mn", "bg", "rs", "mk", "me", "ba", "md", "am", "az",
         "рф", "бел", "укр", "қаз", "мон", "бг", "срб", "мкд", "рус", "сайт", "онлайн", "москва", "дети", "орг",
         "ком"}
    )),
    "GREEK": (frozenset("αικνορυχ"), frozenset({"gr", "cy", "eu", "ελ", "ευ"})),
}  # fmt: skip


def _quote(text: str, limit: int = 60) -> str:
    """Quote a piece of the value for a message, shortened so a hostile value cannot flood the report."""
    return "'" + (text if len(text) <= limit else text[: limit - 1] + "…") + "'"


def _describe(ch: str) -> str:
    """Name a character by code point and name, since the offending ones are usually invisible."""
    name = _CONTROL_NAMES.get(ch) or unicodedata.name(ch, "")
    return f"U+{ord(ch):04X} {name}".rstrip()


def _is_refused_char(ch: str) -> bool:
    """Whether a character is whitespace, a control or an invisible character, which parsers strip or misread."""
    cp = ord(ch)
    return (
        cp < 0x21
        or 0x7F <= cp <= 0x9F
        or ch.isspace()
        or ch in _INVISIBLE
        or unicodedata.category(ch) in _REFUSED_CATEGORIES
    )


def _character_problem(value: str) -> str | None:
    """Refuse over-long values, whitespace, controls, invisible characters and backslashes anywhere."""
    if len(value) > MAX_URL_LENGTH:
        return f"is {len(value)} characters long; keep it to {MAX_URL_LENGTH} at most (drop tracking parameters)"
    if not value:
        return "is empty; write the address"
    for index, ch in enumerate(value, start=1):
        if _is_refused_char(ch):
            kind = "whitespace" if ch.isspace() else "an invisible or control character"
            return (
                f"contains {kind} ({_describe(ch)}) at character {index}; delete it, or write a space as %20"
                if ch == " "
                else f"contains {kind} ({_describe(ch)}) at character {index}; delete it"
            )
        if ch == "\\":
            return f"contains a backslash at character {index}, which browsers read as '/'; write '/' or %5C"
    return None


def _scheme(value: str) -> str | None:
    """The scheme as RFC 3986 and WHATWG define it (ASCII letter, then letters, digits, '+', '-', '.'), or None."""
    end = len(value)
    for stop in ":/?#":
        found = value.find(stop)
        if found != -1 and found < end:
            end = found
    if end == len(value) or value[end] != ":" or end == 0:
        return None
    candidate = value[:end]
    if candidate[0] in _ASCII_LETTERS and all(ch in _SCHEME_CHARS for ch in candidate):
        return candidate
    return None


def is_external(value: str) -> bool:
    """Whether a browser would read `value` as leaving the page's site: it has a scheme, or starts with two slashes.

    Leading C0 controls and spaces are stripped and tabs and newlines removed anywhere, as the WHATWG URL parser
    does, and a backslash counts as a slash (as it does for http and https). Callers use this to choose between
    `external_url_problem` and `relative_reference_problem`.
    """
    stripped = value.lstrip("".join(chr(cp) for cp in range(0x21)))
    stripped = stripped.replace("\t", "").replace("\n", "").replace("\r", "")
    if stripped.startswith("\\") or stripped[:2] in ("//", "/\\"):
        return True
    return _scheme(stripped) is not None


def _ends_in_number(host: str) -> bool:
    """WHATWG "ends in a number": such a host is parsed as IPv4 (``127.1``, ``0x7f.1``, ``2130706433``)."""
    labels = host.split(".")
    if labels[-1] == "" and len(labels) > 1:
        labels.pop()
    last = labels[-1]
    if last.isascii() and last.isdigit():
        return True
    return last[:2].lower() == "0x"


def _script(ch: str) -> str | None:
    """The script of a letter, from the first word of its Unicode name; None for digits, hyphens, combining marks."""
    if ch in _SCRIPT_NEUTRAL or ch.isdigit():
        return None
    name = unicodedata.name(ch, "")
    if not name:
        return "UNKNOWN"
    if name.startswith("COMBINING "):
        return None
    word = name.split(" ", 1)[0]
    return _SCRIPT_ALIASES.get(word, word)


def _label_script_problem(label: str, ascii_label: str, tld: str) -> str | None:
    """Refuse a label that mixes scripts, or spells a Latin-looking word in another script outside its home TLD."""
    scripts = {script for script in map(_script, label) if script is not None}
    shown = _quote(label) if label == ascii_label else f"{_quote(label)} ({ascii_label})"
    if len(scripts) > 1 and not any(scripts <= family for family in _SCRIPT_FAMILIES):
        names = " and ".join(sorted(s.title() for s in scripts))
        return (
            f"has a host label {shown} that mixes {names} letters, the way look-alike addresses are made; "
            "check the address and type it afresh"
        )
    if len(scripts) == 1:
        (script,) = scripts
        lookalikes = _LATIN_LOOKALIKES.get(script)
        if lookalikes is not None:
            letters, home = lookalikes
            if tld not in home and all(ch in letters for ch in label if _script(ch) is not None):
                return (
                    f"has a host label {shown} written in {script.title()} letters that look like Latin ones; "
                    "check the address and type it afresh"
                )
    return None


def _plain_ascii(host: str) -> bool:
    """A host of ASCII letters, digits and inner single hyphens, in labels of at most 63 characters: one IDNA maps
    to itself (lower-cased) and encodes as itself. Anything else (`xn--` labels included) gets the full check."""
    if not host.isascii() or len(host) > 253:
        return False
    for label in host.split("."):
        if not (0 < len(label) <= 63 and label.replace("-", "").isalnum()) or "--" in label:
            return False
        if label.startswith("-") or label.endswith("-"):
            return False
    return True


def _host_problem(host: str) -> str | None:
    """Refuse IP addresses, local and single-label names, non-canonical or invalid IDNA, and look-alike labels."""
    if not host:
        return "must name a host after '//'"
    if "%" in host:
        return f"has a percent-encoded host {_quote(host)}; write the host's characters themselves"
    if _ends_in_number(host):
        return f"must name a host, not an IP address ({_quote(host)})"
    if host.endswith("."):
        return f"must not end the host with '.'; write {_quote(host.rstrip('.'))}"
    if "" in host.split("."):
        return f"has an empty label in the host {_quote(host)}"
    if _plain_ascii(host):  # what IDNA would give back unchanged, but lower-cased: no need to ask it (it is slow)
        labels = host.translate(_ASCII_LOWER).split(".")
        if labels[-1] in _REFUSED_SUFFIXES:
            return f"must name a public host, not a local or reserved name ({_quote(host)})"
        if len(labels) < 2:
            return (f"must name a public host with a domain; {_quote(host)} has no dot, so it can only be a local "
                    "machine")
        return None
    try:
        mapped = idna.uts46_remap(host, std3_rules=True, transitional=False)
    except (idna.IDNAError, UnicodeError, ValueError) as error:
        return f"has a host {_quote(host)} that is not a valid domain name ({error})"
    if _ends_in_number(mapped):
        return f"must name a host, not an IP address ({_quote(host)})"
    lowered = host.translate(_ASCII_LOWER)
    if mapped != lowered:
        return f"has a host {_quote(host)} that browsers rewrite as {_quote(mapped)}; write that instead"
    labels = lowered.split(".")
    if labels[-1] in _REFUSED_SUFFIXES:
        return f"must name a public host, not a local or reserved name ({_quote(host)})"
    if len(labels) < 2:
        return f"must name a public host with a domain; {_quote(host)} has no dot, so it can only be a local machine"
    try:
        encoded = idna.encode(host, uts46=True, std3_rules=True).decode("ascii")
        decoded = idna.decode(encoded)
    except (idna.IDNAError, UnicodeError, ValueError) as error:
        return f"has a host {_quote(host)} that is not a valid domain name ({error})"
    unicode_labels = decoded.split(".")
    ascii_labels = encoded.split(".")
    if len(unicode_labels) != len(ascii_labels):
        return f"has a host {_quote(host)} that is not a valid domain name"
    tld = unicode_labels[-1]
    for label, ascii_label in zip(unicode_labels, ascii_labels, strict=True):
        problem = _label_script_problem(label, ascii_label, tld)
        if problem is not None:
            return problem
    return None


@lru_cache(maxsize=65536)  # a pure function of the text: the registries' addresses are checked again in the page
def external_url_problem(value: str) -> str | None:
    """Why `value` is not an acceptable link to another site (a source's `url`, a capture's `url`), or None.

    Only canonical http and https URLs to public host names pass, so that what the contributor wrote, what the
    reviewer read and where the browser goes are the same place.
    """
    problem = _character_problem(value)
    if problem is not None:
        return problem
    scheme = _scheme(value)
    if scheme is None:
        return "must be a full address starting with https://"
    lowered_scheme = scheme.translate(_ASCII_LOWER)
    if lowered_scheme not in _DEFAULT_PORTS:
        return f"must use http or https, not {_quote(scheme + ':')}"
    rest = value[len(scheme) + 1 :]
    if not rest.startswith("//"):
        return f"must start with {_quote(lowered_scheme + '://')}"
    rest = rest[2:]
    end = len(rest)
    for stop in "/?#":
        found = rest.find(stop)
        if found != -1 and found < end:
            end = found
    authority = rest[:end]
    for ch, encoded in _MUST_ENCODE.items():
        if ch in value:
            return f"contains {_quote(ch)}; write it as {encoded}"
    if "@" in authority:
        return (
            "must not contain '@' before the path: browsers read what comes before it as a user name and go to "
            "the host after it; link to the page itself"
        )
    if authority.startswith("["):
        return "must name a host, not an IP address"
    host, colon, port = authority.partition(":")
    if colon:
        if not port:
            return "ends the host with ':' but names no port; drop the ':'"
        if port.isascii() and port.isdigit() and port.lstrip("0") == _DEFAULT_PORTS[lowered_scheme]:
            return f"names the port {_quote(':' + port)}, which {lowered_scheme} uses anyway; drop the port"
        return f"must not name a port ({_quote(':' + port)}); link to the site's public address without one"
    return _host_problem(host)


def relative_reference_problem(value: str) -> str | None:
    """Why `value` is not an acceptable link within the site (a relative reference like ``../sources/#key``), or None.

    The site may be served under a sub-path, so links are relative to the page; anything a browser could read as
    another scheme, another host, or a path with hidden characters is refused.
    """
    problem = _character_problem(value)
    if problem is not None:
        return problem
    scheme = _scheme(value)
    if scheme is not None:
        return f"must be a link within the site, not a {_quote(scheme + ':')} URL; write a relative path like 'page.md'"
    if value.startswith("//"):
        return "must not start with '//', which leads to another host; write a relative path like 'page.md'"
    if value.startswith("/"):
        return "must be relative to the page (like '../sources/'), not start with '/'"
    first_segment_end = len(value)
    for stop in "/?#":
        found = value.find(stop)
        if found != -1 and found < first_segment_end:
            first_segment_end = found
    if ":" in value[:first_segment_end]:
        return "has ':' before the first '/', which reads as a scheme; write './' in front"
    for ch, encoded in _MUST_ENCODE.items():
        if ch in value:
            return f"contains {_quote(ch)}; write it as {encoded}"
    decoded = value
    for _ in range(4):  # "%255C" decodes to "%5C", then to "\\"; bounded, and each round is linear
        once = unquote(decoded, errors="replace")
        if once == decoded:
            return None
        decoded = once
        for ch in decoded:
            if ch == "\\" or (ch != " " and _is_refused_char(ch)):
                return f"percent-decodes to {_describe(ch)}, which browsers and servers may misread; remove it"
    if unquote(decoded, errors="replace") != decoded:
        return "is percent-encoded more than four times over; write it plainly"
    return None
