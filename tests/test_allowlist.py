"""The allow-list over rendered HTML (sanitize, guard, verify): what passes, what is refused, and a property over
random Markdown and registry values: whatever passes the check holds only allowed elements, attributes and schemes.
"""

from __future__ import annotations

import string
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from chronicle import ChronicleError, load_chronicle, urls
from chronicle.render import Pages
from chronicle.sanitize import check_html, policy
from chronicle.verify import check_published, markdown_settings

from conftest import PLACES, ROOT, SOURCES, Writer, event

SITE = yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))
EXTENSIONS, CONFIGS = markdown_settings(SITE["markdown_extensions"])


def test_the_real_site_passes_and_every_page_is_checked() -> None:
    chronicle = load_chronicle(ROOT / "events")
    assert check_published(chronicle, Pages(), ROOT / "events", ROOT / "docs", EXTENSIONS, CONFIGS) == []


@pytest.mark.parametrize("html, kind, message", [
    ('<p>x</p><script>alert(1)</script>', "account", "<script> is not allowed"),
    ('<p hidden>x</p>', "account", "attribute 'hidden' is not allowed on <p>"),
    ('<a href="javascript:alert(1)">x</a>', "account", "must use http or https"),
    ('<a href="java&#115;cript:alert(1)">x</a>', "account", "must use http or https"),
    ('<a href="javascript&colon;alert(1)">x</a>', "account", "must use http or https"),
    ('<a href="java&#x09;script&#58;alert(1)">x</a>', "account", "link to"),
    ('<img src="data&colon;image/png,x" alt="">', "account", "must be a file of this site"),
    ('<a href="https://a.example.com" rel="opener">x</a>', "account", "attribute 'rel' is not allowed"),
    ('<a href="https://a.example.com" ping="https://t.example.com">x</a>', "account", "attribute 'ping'"),
    ('<a data-md-component="source" href="https://a.example.com">x</a>', "account", "'data-md-component'"),
    ('<img src="https://t.example.com/p.png" alt="">', "account", "must be a file of this site"),
    ('<img src="/\\t.example.com/p.png" alt="">', "account", "must be a file of this site"),
    ('<p class="md-button">x</p>', "account", "class 'md-button' is not allowed"),
    ('<div class="admonition note md-typeset"><p>x</p></div>', "account", "class 'md-typeset'"),
    ('<p id="x">x</p>', "account", "id 'x' is not allowed on <p>"),
    ('<sup id="fnref:a"></sup><sup id="fnref:a"></sup>', "account", "is used twice"),
    ('<textarea>', "account", "<textarea> is not allowed"),
    ('<plaintext>', "account", "<plaintext> is not allowed"),
    ('<x-widget>x</x-widget>', "account", "<x-widget> is not allowed"),
    ('<abbr title="planted">Almaty</abbr>', "account", "abbreviation 'planted' is not in the site's glossary"),
    ('<p class="chronicle-meta">x</p>', "docs", "class 'chronicle-meta' is not allowed"),
    ('<svg><circle/></svg>', "docs", "<svg> is not allowed"),
    ('<table><tr><td style="background: url(https://t.example.com/)">x</td></tr></table>', "docs", "style"),
    ('<a href="https://127.0.0.1/">x</a>', "docs", "link to"),
    ('<!-- hidden -->', "docs", "outside the allow-list"),
])
def test_refused_markup_is_named(html: str, kind: str, message: str) -> None:
    found = check_html(html, kind)
    assert found, html
    assert any(message in f.message for f in found), [f.message for f in found]


@pytest.mark.parametrize("html", [
    '<p>A <em>b</em> <strong>c</strong> <code>&lt;d&gt;</code> <a href="https://e.example.com/f?g=1&amp;h=2">i</a></p>',
    '<h2 id="day-2022-01-04">x<a class="headerlink" href="#day-2022-01-04" title="Permanent link">&para;</a></h2>',
    '<div class="admonition warning"><p class="admonition-title">Disputed</p><p>x</p></div>',
    '<p>x<sup id="fnref:e--a"><a class="footnote-ref" href="#fn:e--a">1</a></sup></p><div class="footnote"><hr />'
    '<ol><li id="fn:e--a"><p>n&#160;<a class="footnote-backref" href="#fnref:e--a" title="Back">&#8617;</a></p>'
    '</li></ol></div>',
    '<table><thead><tr><th style="text-align: left;">a</th></tr></thead><tbody><tr><td>b</td></tr></tbody></table>',
    '<p><img alt="crowd" src="images/crowd.jpg" /></p>',
])
def test_what_markdown_makes_passes(html: str) -> None:
    assert check_html(html, "account") == []


# --- The property -------------------------------------------------------------------------------------------

_PIECES = ["<", ">", "</", "<a href=", "<img src=", '"', "'", "=", "javascript:", "data:", "https://", "//", "/\\",
           "&#106;", "&amp;", "[", "]", "(", ")", "![", "](", "]:", "[^", "{", "}", "{:", "#", ".", "*", "_", "`",
           "~~~", "\n", "\n\n", "    ", "!!! ", "??? ", "*[", "|", "-", "1. ", "> ", "onerror", "style", "id",
           "class", "x", "evil.com", "alpha-2022-01-05", "\t", "\u2028", "script", "svg", "hidden", "md-button"]
_TEXT = st.lists(st.sampled_from(_PIECES) | st.text(string.ascii_letters + " ", max_size=4), max_size=24).map("".join)


def _allowed(html: str, kind: str) -> list[str]:
    """What an independent parser (html.parser) sees in `html` outside the allow-list."""
    rules = policy(kind)
    bad = []
    for tag in BeautifulSoup(html, "html.parser").find_all(True):
        if tag.name not in rules.elements:
            bad.append(tag.name)
            continue
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            if name == "class":
                bad += [c for c in value.split() if c not in rules.classes.get(tag.name, ())]
            elif name not in rules.elements[tag.name] and name != "viewbox":  # html.parser lower-cases viewBox
                bad.append(f"{tag.name}[{name}]")
            elif name in ("href", "src") and urls.is_external(value) and (
                    name == "src" or not value.startswith(("https://", "http://"))):
                bad.append(f"{tag.name}[{name}={value}]")
    return bad


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                   HealthCheck.too_slow])
@example(body="", title="![evil.com", publisher="", place="")  # a link text urlsplit refused (it raised)
@given(body=_TEXT, title=_TEXT, publisher=_TEXT, place=_TEXT)
def test_what_passes_the_check_holds_only_allowed_markup(events_dir: Writer, tmp_path: Path, body: str, title: str,
                                                         publisher: str, place: str) -> None:
    sources = SOURCES.replace("title: First report", f"title: {yaml.safe_dump(title + 'x').splitlines()[0]}")
    sources = sources.replace("publisher: Alpha News", f"publisher: {yaml.safe_dump(publisher + 'x').splitlines()[0]}")
    places = PLACES.replace("name: Republic Square", f"name: {yaml.safe_dump(place + 'x').splitlines()[0]}")
    text = event(body=body + " It happened.[^alpha-2022-01-05]")
    folder = events_dir({"2022-01-04-1800-case.md": text}, sources=sources, places=places)
    try:
        chronicle = load_chronicle(folder)
    except ChronicleError:
        return  # refused at load time
    if check_published(chronicle, Pages(), folder, None, EXTENSIONS, CONFIGS):
        return  # refused as rendered
    from chronicle.guard import Guard
    from chronicle.render import map_block, render_pages
    from chronicle.verify import render_markdown

    guard = Guard()
    guard.own_html = {map_block(chronicle)}
    pages = Pages(attr_token=guard.token)
    for uri, markdown in render_pages(chronicle, pages).items():
        html, _ = render_markdown(markdown, EXTENSIONS, CONFIGS, guard)
        kind = {"account.md": "account", "places.md": "places"}.get(uri, "generated")
        assert _allowed(html, kind) == [], (uri, body, title, publisher, place)
