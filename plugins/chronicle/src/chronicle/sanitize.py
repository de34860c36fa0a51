"""The allow-list over what is published: every rendered page, read as a browser reads it.

Each page's HTML is parsed by Ammonia (through `nh3`, with html5ever, the parser of Servo) twice: once keeping
everything it parsed (the canonical form), once keeping only what the allow-list permits, with our own checks
of ids, classes and addresses as its attribute filter. If the two differ, sanitising would change the page:
that is a content error, and the build fails; nothing is stripped from what is published. The canonical form
is then read (it is html5ever's own serialisation, so a small linear scanner reads it exactly) to say what was
refused and where.

The allow-list is what our Markdown extensions make from plain Markdown, plus the site's own markup on the
generated pages: elements, their attributes, the classes each may carry, the shape of each id (ids are
unique on a page), and addresses (links to http(s) hosts or within the site; images only from the site).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from functools import lru_cache
from html import unescape

import nh3

from .guard import address_problem

# Elements Python-Markdown and our extensions make from Markdown: text, blocks, lists, tables, notes.
_TEXT = {"a": {"href", "title"}, "em": set(), "strong": set(), "code": set(), "br": set(), "sup": {"id"},
         "img": {"src", "alt", "title"}}
_BLOCKS = {"p": {"id"}, "blockquote": set(), "ul": set(), "ol": {"start"}, "li": {"id"}, "hr": set(),
           "div": set(), "table": set(), "thead": set(), "tbody": set(), "tr": set(),
           "th": {"style", "align"}, "td": {"style", "align"}}
_HEADINGS = {f"h{n}": {"id"} for n in range(1, 7)}
# `abbr` comes only from the site's glossary (mkdocs.yml) on generated pages: the guard refuses an abbreviation
# defined in an event, and raw HTML.
_TEXT["abbr"] = {"title"}
_DOCS_ONLY = {"pre": set(), "details": {"open"}, "summary": set()}
_PASSAGES = {"details": {"open"}, "summary": set(), "p": {"id", "lang"}}
_LANG = re.compile(r"[a-z]{2,3}")
# The places page's map (placemap.py): our own SVG, never contributor markup.
_MAP = {"figure": {"id"}, "figcaption": set(),
        "svg": {"viewBox", "width", "height", "style", "role", "aria-labelledby", "xmlns"},
        "title": {"id"}, "rect": {"x", "y", "width", "height", "rx", "style"}, "circle": {"cx", "cy", "r", "style"},
        "text": {"x", "y", "text-anchor", "style"}, "g": {"aria-hidden"},
        "line": {"x1", "y1", "x2", "y2", "style"}}
ADMONITION_TYPES = frozenset({"note", "abstract", "summary", "info", "tip", "success", "question", "warning",
                              "failure", "danger", "bug", "example", "quote"})
_CLASSES = {
    "a": {"footnote-ref", "footnote-backref", "headerlink", "chronicle-status", "chronicle-status-observed",
          "chronicle-status-reported", "chronicle-status-official-claim", "chronicle-status-disputed"},
    "details": set(ADMONITION_TYPES),
    "h3": {"chronicle-event", "chronicle-observed", "chronicle-reported", "chronicle-official-claim",
           "chronicle-disputed", "chronicle-context", "chronicle-aftermath"},
    "figure": {"chronicle-figure", "chronicle-map-view"},
    "svg": {"chronicle-map"},
    "ol": {"chronicle-map-legend"},
    "p": {"admonition-title", "chronicle-meta", "chronicle-map-days", "chronicle-days", "chronicle-variants"},
    "div": {"footnote", "admonition", "chronicle-maps", "chronicle-outdated", "chronicle-untranslated",
            *ADMONITION_TYPES},
}
# A note's label: the event's id, "--", the note's own label; "---N" where a long event repeats it (footnotes.AGAIN).
_LABEL = r"[a-z0-9]+(?:-[a-z0-9]+)*(?:--[a-z0-9]+(?:-[a-z0-9]+)*)?(?:---[0-9]{1,4})?"
_IDS = {
    # (toc's ids: letters and digits of any script, as `slugify_unicode` keeps them for the other editions'
    # headings, hyphens and underscores; never starting with one of those two)
    **{f"h{n}": re.compile(r"[^\W_][\w-]{0,199}") for n in range(1, 7)},
    "sup": re.compile(r"fnref[0-9]{0,4}:" + _LABEL),
    "li": re.compile(r"fn:" + _LABEL),
    "title": re.compile(r"chronicle--map-(?:all|country|[0-9]{4}-[0-9]{2}-[0-9]{2})-title"),
    "figure": re.compile(r"map-(?:all|[0-9]{4}-[0-9]{2}-[0-9]{2})"),
    "p": re.compile(r"chronicle-days"),  # the account's row of days (render.DAYS)
}
_CELL_STYLE = re.compile(r"text-align: (?:left|center|right);")
_ALIGN = {"left", "center", "right"}
_MAP_STYLE = re.compile(r"[a-z0-9 :;.,%()#-]{1,400}")  # colours and var(--md-...): no url(), no @, no quotes
_NUMBER = re.compile(r"-?[0-9]{1,6}(?:\.[0-9]{1,4})?")
# Every element name html5ever knows, so the canonical pass keeps whatever the page holds.
_ELEMENT_NAMES = """
a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink blockquote body br
button canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em embed
fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup hr html i iframe
image img input ins isindex kbd keygen label legend li link listing main map mark marquee math menu menuitem meta
meter multicol nav nextid nobr noembed noframes noscript object ol optgroup option output p param picture plaintext
pre progress q rb rp rt rtc ruby s samp script search section select slot small source spacer span strike strong
style sub summary sup svg table tbody td template textarea tfoot th thead time title tr track tt u ul var video wbr
xmp circle rect line path g text tspan use defs symbol image foreignObject animate set mi mo mn ms mtext
annotation-xml
"""
_KNOWN = frozenset(_ELEMENT_NAMES.split())


@dataclass(frozen=True)
class Policy:
    """What a page may hold: elements with their attributes, classes per element, id shapes."""

    elements: dict[str, frozenset[str]]
    classes: dict[str, frozenset[str]]
    ids: dict[str, re.Pattern[str]]
    docs: bool = False  # a hand-written page: its own abbreviations are its business
    glossary: frozenset[str] = frozenset()  # the abbreviation titles the site's glossary makes

    def attributes(self) -> dict[str, set[str]]:
        return {tag: set(names | ({"class"} if tag in self.classes else set()))
                for tag, names in self.elements.items()}


def policy(kind: str) -> Policy:
    """The allow-list for a page: "account" and "generated" (the plugin's pages), "places", or "docs"."""
    elements: dict[str, set[str]] = {**_TEXT, **_BLOCKS, **_HEADINGS}
    if kind == "docs":
        elements.update(_DOCS_ONLY)
    if kind == "places":
        elements.update(_MAP)
        elements["a"] = {"href", "title"}
    if kind == "account":  # the notes' supporting passages (render.passage_block): collapsed, in their language
        elements.update(_PASSAGES)
    classes = {tag: names for tag, names in _CLASSES.items() if tag in elements}
    if kind == "account":
        classes["details"] = {"quote", "chronicle-passage"}
    if kind == "docs":  # the site's own classes are not for hand-written pages (but for the notice that one is
        # shown untranslated in another edition's site: the guard has checked that the site wrote it)
        classes = {tag: {n for n in names if not n.startswith("chronicle-") or n == "chronicle-untranslated"}
                   for tag, names in classes.items()}
        classes = {tag: names for tag, names in classes.items() if names}
    return Policy({t: frozenset(a) for t, a in elements.items()}, {t: frozenset(c) for t, c in classes.items()},
                  {t: p for t, p in _IDS.items() if t in elements}, docs=kind == "docs")


@dataclass(frozen=True)
class Finding:
    """One thing on a page outside the allow-list."""

    message: str
    offset: int = 0  # in the canonical HTML
    section: str = ""  # id of the last heading before it
    note: str = ""  # id of the footnote it stands in, if any
    needle: str = ""  # text to find its line in the source by


@dataclass
class _Recorder:
    policy: Policy
    refused: list[tuple[str, str, str, str]] = field(default_factory=list)
    ids: Counter[str] = field(default_factory=Counter)

    def __call__(self, tag: str, attribute: str, value: str) -> str | None:
        if attribute == "id":
            self.ids[value] += 1
        try:
            problem = value_problem(self.policy, tag, attribute, value)
        except Exception as exc:  # fail closed: nh3 would only print it, and drop the attribute
            problem = f"'{attribute}' on <{tag}> could not be checked ({type(exc).__name__})"
        if problem is None:
            return value
        self.refused.append((tag, attribute, value, problem))
        return None


def check_html(html: str, kind: str, glossary: frozenset[str] = frozenset()) -> list[Finding]:
    """Everything in `html` (one rendered page) that the allow-list for `kind` does not permit; `glossary`: the
    abbreviation titles the site's glossary may put on a generated page."""
    rules = replace(policy(kind), glossary=glossary)
    schemes = _schemes(html)
    # nh3 releases the interpreter while it parses: the canonical pass runs on a second core while the strict
    # pass, whose attribute filter is Python, runs here.
    canonical_pass = _second_core().submit(
        nh3.clean, html, tags=set(_KNOWN) | _tag_names(html), clean_content_tags=set(), attributes={},
        generic_attribute_prefixes={""}, url_schemes=schemes, strip_comments=False, link_rel=None)
    recorder = _Recorder(rules)
    strict = nh3.clean(html, tags=set(rules.elements), clean_content_tags=set(), attributes=rules.attributes(),
                       url_schemes=schemes, strip_comments=True, link_rel=None, attribute_filter=recorder)
    canonical = canonical_pass.result()
    duplicated = {value for value, count in recorder.ids.items() if count > 1}
    if strict == canonical and not duplicated:
        return []
    findings = list(_explain(canonical, rules))
    if not findings:  # the sanitiser changed something our reading of the page did not name
        findings.append(Finding("the page holds markup outside the allow-list: write plain Markdown"))
    return findings


@lru_cache(maxsize=1)
def _second_core() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="chronicle-sanitize")


def value_problem(rules: Policy, tag: str, attribute: str, value: str) -> str | None:
    """Why an allowed attribute may not have this value here (None when it may)."""
    if tag == "abbr" and attribute == "title":
        if rules.docs or value in rules.glossary:
            return None
        return f"abbreviation {value!r} is not in the site's glossary: only the glossary (mkdocs.yml) makes them"
    if attribute in ("title", "alt", "aria-labelledby", "aria-hidden", "role", "xmlns", "viewBox", "text-anchor"):
        return None
    if attribute == "class":
        allowed = rules.classes.get(tag, frozenset())
        extra = [name for name in value.split() if name not in allowed]
        if extra:
            return f"class {extra[0]!r} is not allowed on <{tag}>: classes are set by the site, not by the text"
        if tag in ("div", "details") and len([n for n in value.split() if n in ADMONITION_TYPES]) > 1:
            return f"an admonition takes one type, not {value!r}"
        return None
    if attribute == "id":
        pattern = rules.ids.get(tag)
        if pattern is None or not pattern.fullmatch(value):
            return f"id {value!r} is not allowed on <{tag}>: ids are set by the site, not by the text"
        return None
    if attribute in ("href", "src"):
        if tag == "a" and attribute == "href" and "svg" in rules.elements and value.startswith("#"):
            return None
        return address_problem(tag, attribute, value)  # one rule for addresses, in the tree and in the page
    if attribute == "style":
        if tag in ("th", "td"):
            return None if _CELL_STYLE.fullmatch(value) else f"style {value!r} is not allowed on <{tag}>"
        return None if _MAP_STYLE.fullmatch(value) and "url" not in value else f"style {value!r} is not allowed"
    if attribute == "align":
        return None if value in _ALIGN else f"align {value!r} is not allowed"
    if attribute == "start":
        return None if value.isdigit() and len(value) < 7 else f"list start {value!r} is not allowed"
    if attribute in ("x", "y", "cx", "cy", "r", "rx", "x1", "y1", "x2", "y2", "width", "height"):
        return None if _NUMBER.fullmatch(value) else f"{attribute} {value!r} is not allowed"
    if attribute == "lang":
        return None if _LANG.fullmatch(value) else f"lang {value!r} is not allowed"
    if attribute == "open":
        return None if value == "" else f"open {value!r} is not allowed"
    return None


def _explain(canonical: str, rules: Policy) -> Iterator[Finding]:
    """Read html5ever's serialisation of the page and name each refused element, attribute and id."""
    ids: Counter[str] = Counter()
    section = note = ""
    for offset, tag, attributes in _start_tags(canonical):
        if tag == "/li":
            note = ""  # (a list inside a note ends it early: what follows is then blamed on its event)
            continue
        attrs = dict(attributes)
        if tag in _HEADINGS and "id" in attrs:
            section = attrs["id"]
        if tag == "li" and attrs.get("id", "").startswith("fn:"):
            note = attrs["id"]
        if tag not in rules.elements:
            yield Finding(f"<{tag}> is not allowed: write plain Markdown (the site makes all markup)",
                          offset=offset, section=section, note=note, needle=f"<{tag}")
            continue
        for name, value in attributes:
            if name not in rules.elements[tag] and not (name == "class" and tag in rules.classes):
                needle = value if name in ("id", "class") and value else name
                yield Finding(f"attribute '{name}' is not allowed on <{tag}>: the site sets every attribute",
                              offset=offset, section=section, note=note, needle=needle)
                continue
            problem = value_problem(rules, tag, name, value)
            if problem:
                yield Finding(problem, offset=offset, section=section, note=note, needle=value)
            if name == "id":
                ids[value] += 1
                if ids[value] == 2:
                    yield Finding(f"id {value!r} is used twice on the page: an id belongs to one event or note",
                                  offset=offset, section=section, note=note, needle=value)


def _start_tags(canonical: str) -> Iterator[tuple[int, str, list[tuple[str, str]]]]:
    """(offset, name, attributes) of each start tag in html5ever's output: `<name a="v" b="w">`, values with
    `&`, `"` and no-break space escaped, comments as `<!--...-->`; and ("/li", no attributes) for each `</li>`,
    since notes now stand between events. One pass, no regular expression."""
    position = canonical.find("<")
    while position != -1:
        if canonical.startswith("<!--", position):
            end = canonical.find("-->", position + 4)
            position = canonical.find("<", len(canonical) if end == -1 else end + 3)
            continue
        if canonical.startswith("</", position):
            if canonical.startswith("</li>", position):  # where a note ends (what follows is the text again)
                yield position, "/li", []
            position = canonical.find("<", position + 2)
            continue
        end = position + 1
        while end < len(canonical) and canonical[end] not in " />":
            end += 1
        name = canonical[position + 1:end]
        attributes: list[tuple[str, str]] = []
        while end < len(canonical) and canonical[end] == " ":
            equals = canonical.find('="', end + 1)
            close = canonical.find('"', equals + 2) if equals != -1 else -1
            if close == -1:
                break
            value = canonical[equals + 2:close]
            attributes.append((canonical[end + 1:equals], _unescape_attribute(value)))
            end = close + 1
        yield position, name.lower(), attributes
        position = canonical.find("<", end)


def _unescape_attribute(value: str) -> str:
    if "&" not in value:
        return value
    return (value.replace("&quot;", '"').replace("&lt;", "<").replace("&gt;", ">").replace("&nbsp;", "\u00a0")
            .replace("&amp;", "&"))


def _tag_names(html: str) -> set[str]:
    """Every name that follows a '<' (a superset of the elements html5ever will make), lower-cased."""
    return {name.lower() for name in set(_TAG_NAME.findall(html))}


def _schemes(html: str) -> set[str]:
    """Every word that could be a URL's scheme on the page (a superset: words written with character references,
    even for their colon, are read decoded), so that no address is dropped for its scheme alone: the decision is
    ours, in the attribute filter, where the reason is recorded."""
    words = _words_before_colons(html)
    position = html.find("&")
    while position != -1:  # each token holding a character reference, decoded
        start = position
        while start > 0 and position - start < 200 and html[start - 1] not in _TOKEN_END:
            start -= 1
        end = position
        while end < len(html) and end - position < 200 and html[end] not in _TOKEN_END:
            end += 1
        decoded = unescape(html[start:end]).replace("\t", "").replace("\n", "").replace("\r", "")
        words |= _words_before_colons(decoded)
        position = html.find("&", end)
    found = {"http", "https", "mailto"}
    for word in words:
        found.update(word[i:] for i in range(len(word)) if word[i].isalpha())
    return found


def _words_before_colons(text: str) -> set[str]:
    """The run of scheme characters (at most 64) before each ':' of `text`, lower-cased."""
    words = set()
    position = text.find(":")
    while position != -1:
        start = position
        while start > 0 and position - start < 64 and text[start - 1] in _SCHEME_CHARS:
            start -= 1
        if start < position:
            words.add(text[start:position].lower())
        position = text.find(":", position + 1)
    return words


_SCHEME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+.-")
_TOKEN_END = frozenset(" \t\n\r\f\"'<>=")


# One pass over the rendered page: a name ends at the first character outside its class, nothing is retried.
_TAG_NAME = re.compile(r"</?([A-Za-z][A-Za-z0-9:_-]*+)")
