"""URL checks: real source URLs pass; each way of hiding a scheme, host, credential or character is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle.urls import MAX_URL_LENGTH, external_url_problem, is_external, relative_reference_problem

ROOT = Path(__file__).resolve().parent.parent

ACCEPTED_EXTERNAL = [
    "https://www.opendemocracy.net/en/odr/what-really-happened-kazakhstan-protests-january/",
    "https://meduza.io/en/feature/2022/01/06/this-is-a-turning-point",
    "https://vedomosti.ru/politics/articles/2022/01/05/903750-alma-ata-zagorelas-ne-na-shutku",
    "http://www.delfi.ee/artikkel/95568843/almato-komandandi-sonul-on-linn-ekstremistide-ja-radikaalide-runnaku-all",
    "https://web.archive.org/web/20220106000000/https://tass.com/world/1383375",
    "https://archive.ph/AbCdE",
    "HTTPS://Example.COM/Path?q=1#frag",
    "https://example.com",
    "https://example.com?x=1",
    "https://example.com#top",
    "https://example.com/a@b?c=d@e#f@g",
    "https://президент.рф/",
    "https://xn--d1abbgf6aiiy.xn--p1ai/news",
    "https://ақорда.kz/ru",
    "https://faß.de/",
    "https://例え.jp/",
    "https://한국.kr/",
    "https://ελλάδα.gr/",
    "https://d24ht6u7pcx7bx.cloudfront.net/x.pdf",
    "https://1password.com/",
    "https://example.com/путь/к?запрос=да",
    "https://example.com/%D0%BF%5C",
]

REFUSED_EXTERNAL = [
    # scheme
    ("javascript:alert(1)", "http or https"),
    ("JavaScript:", "http or https"),
    ("data:text/html,<b>x</b>", "http or https"),
    ("ftp://example.com/", "http or https"),
    ("example.com/page", "full address"),
    ("//example.com/page", "full address"),
    ("https:example.com", "must start with 'https://'"),
    ("https:/example.com", "must start with 'https://'"),
    ("https:///example.com", "must name a host"),
    ("hTtPſ://example.com", "full address"),
    # whitespace, controls and invisible characters
    ("java\tscript:alert(1)", "U+0009 TAB"),
    ("https://example.com/\n\n<img src=x onerror=alert(1)>", "U+000A LINE FEED"),
    (" https://example.com/", "U+0020"),
    ("https://example.com/ x", "%20"),
    ("https://example.com/\x00", "NUL"),
    ("https://example.com/\x7f", "DELETE"),
    ("https://example.com/\x85", "U+0085 NEXT LINE"),
    ("https://example.com/\u00a0", "whitespace"),
    ("https://example.com/\u2028", "U+2028"),
    ("https://example.com/\u2029", "U+2029"),
    ("https://exa\u200bmple.com/", "U+200B"),
    ("https://example.com/\u200f", "U+200F"),
    ("https://example.com/\u202egpj.exe", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("https://example.com/\u2060", "U+2060"),
    ("https://example.com/\u2066", "U+2066"),
    ("\ufeffhttps://example.com/", "U+FEFF"),
    ("https://ex\u00adample.com/", "U+00AD"),
    ("https://example.com/\u3164", "U+3164"),
    ("https://example.com/\ufe0f", "U+FE0F"),
    # backslashes
    ("https:/\\evil.com", "backslash"),
    ("https:\\\\evil.com", "backslash"),
    ("https://evil.com\\@good.com", "backslash"),
    # characters HTML gives a meaning to
    ('https://example.com/"onmouseover="x', "%22"),
    ("https://example.com/<script>", "%3C"),
    # userinfo
    ("https://user:pw@host.com/", "'@'"),
    ("https://host.com@evil.com/", "'@'"),
    ("https://@evil.com/", "'@'"),
    # IP addresses in any form
    ("http://127.0.0.1/", "IP address"),
    ("http://127.0.0.1./", "IP address"),
    ("http://[::1]/", "IP address"),
    ("http://[::ffff:127.0.0.1]/", "IP address"),
    ("http://2130706433/", "IP address"),
    ("http://0x7f.1/", "IP address"),
    ("http://0X7F000001/", "IP address"),
    ("http://0177.0.0.1/", "IP address"),
    ("http://127.1/", "IP address"),
    ("http://example.0x10/", "IP address"),
    ("http://１２７.０.０.１/", "IP address"),
    # local, reserved and single-label names
    ("http://localhost/", "local or reserved"),
    ("http://LOCALHOST/", "local or reserved"),
    ("http://app.localhost/", "local or reserved"),
    ("http://printer.local/", "local or reserved"),
    ("http://metadata.google.internal/", "local or reserved"),
    ("http://nas.lan/", "local or reserved"),
    ("http://router.home.arpa/", "local or reserved"),
    ("http://site.test/", "local or reserved"),
    ("http://site.invalid/", "local or reserved"),
    ("http://site.example/", "local or reserved"),
    ("http://duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion/", "local or reserved"),
    ("http://intranet/", "local or reserved"),
    ("http://wiki/", "no dot"),
    ("https://com/", "no dot"),
    # host syntax
    ("https://example.com./", "must not end the host with '.'"),
    ("https://.example.com/", "empty label"),
    ("https://a..example.com/", "empty label"),
    ("https://exa%6dple.com/", "percent-encoded host"),
    ("https://under_score.com/", "not a valid domain name"),
    ("https://xn--abc-.com/", "not a valid domain name"),
    ("https://" + "a" * 64 + ".com/", "not a valid domain name"),
    ("https://ＥＸＡＭＰＬＥ.com/", "rewrite as 'example.com'"),
    ("https://exa\u3002mple.com/", "rewrite as"),
    ("https://\u212aelvin.com/", "rewrite as"),
    # ports
    ("https://example.com:8080/", "must not name a port"),
    ("https://example.com:443/", "drop the port"),
    ("http://example.com:80/", "drop the port"),
    ("https://example.com:0443/", "drop the port"),
    ("https://example.com:/", "drop the ':'"),
    ("https://example.com:1:2/", "must not name a port"),
    # look-alike hosts
    ("https://xn--pple-43d.com/", "mixes Cyrillic and Latin"),
    ("https://аpple.com/", "mixes Cyrillic and Latin"),
    ("https://pаypal.ru/", "mixes Cyrillic and Latin"),
    ("https://gοogle.com/", "mixes Greek and Latin"),
    ("https://www.аррӏе.com/", "look like Latin"),
    ("https://xn--80ak6aa92e.com/", "look like Latin"),
    # length
    ("https://example.com/" + "a" * 3000, "characters long"),
    ("", "empty"),
]

ACCEPTED_RELATIVE = [
    "#fragment",
    "page.md",
    "page.md#x",
    "../sources/#key",
    "./a:b.md",
    "events/2022-01-05.md?x=1",
    "?q=1",
    "images/photo%20one.jpg",
    "путь/страница.md",
    "a/b:c",
]

REFUSED_RELATIVE = [
    ("/\\evil.com", "backslash"),
    ("//evil.com", "'//'"),
    ("\\\\evil.com", "backslash"),
    ("/abs/path", "not start with '/'"),
    ("data:x", "'data:'"),
    ("javascript:alert(1)", "'javascript:'"),
    ("JavaScript:alert(1)", "'JavaScript:'"),
    ("https://example.com/", "'https:'"),
    ("java\tscript:alert(1)", "TAB"),
    ("1a:b", "':' before the first '/'"),
    ("%5C%5Cevil.com", "U+005C"),
    ("%255C%255Cevil.com", "U+005C"),
    ("page%00.md", "NUL"),
    ("page%0a.md", "LINE FEED"),
    ("page%E2%80%AE.md", "U+202E"),
    ("page%252525252525255C.md", "more than four times"),
    ("a b", "whitespace"),
    ("page.md\u202e", "U+202E"),
    ("page.md\u200b", "U+200B"),
    ("<script>", "%3C"),
    ("", "empty"),
    ("a" * (MAX_URL_LENGTH + 1), "characters long"),
]


def source_urls() -> list[str]:
    """Every `url` and every capture's `url` in the real source registry."""
    registry = yaml.safe_load((ROOT / "events" / "sources.yml").read_text(encoding="utf-8"))
    return [url for entry in registry.values()
            for url in [entry["url"], *(capture["url"] for capture in entry.get("captures") or [])]]


def test_every_source_url_in_the_registry_is_accepted() -> None:
    urls = source_urls()
    assert len(urls) > 50
    refused = {url: problem for url in urls if (problem := external_url_problem(url)) is not None}
    assert refused == {}


@pytest.mark.parametrize("url", ACCEPTED_EXTERNAL)
def test_accepted_external(url: str) -> None:
    assert external_url_problem(url) is None
    assert is_external(url)


@pytest.mark.parametrize(("url", "expected"), REFUSED_EXTERNAL)
def test_refused_external(url: str, expected: str) -> None:
    problem = external_url_problem(url)
    assert problem is not None
    assert expected in problem
    assert "\n" not in problem and len(problem) < 300


@pytest.mark.parametrize("reference", ACCEPTED_RELATIVE)
def test_accepted_relative(reference: str) -> None:
    assert relative_reference_problem(reference) is None
    assert not is_external(reference)


@pytest.mark.parametrize(("reference", "expected"), REFUSED_RELATIVE)
def test_refused_relative(reference: str, expected: str) -> None:
    problem = relative_reference_problem(reference)
    assert problem is not None
    assert expected in problem
    assert "\n" not in problem and len(problem) < 300


@pytest.mark.parametrize(
    ("value", "external"),
    [
        ("https://example.com/", True),
        ("javascript:alert(1)", True),
        ("  \x00\x1fjavascript:alert(1)", True),
        ("java\tscr\nipt:alert(1)", True),
        ("C:\\Windows", True),
        ("//evil.com", True),
        ("\\\\evil.com", True),
        ("\\evil", True),
        ("/\\evil.com", True),
        ("\\/evil.com", True),
        (" //evil.com", True),
        ("/abs/path", False),
        ("page.md", False),
        ("#x", False),
        ("../sources/#key", False),
        ("1a:b", False),
        ("./a:b", False),
        ("a/b:c", False),
        ("%6Aavascript:x", False),
        ("", False),
    ],
)
def test_is_external(value: str, external: bool) -> None:
    assert is_external(value) is external


def test_messages_follow_a_field_name() -> None:
    assert external_url_problem("javascript:alert(1)") == "must use http or https, not 'javascript:'"
    long_host = "https://" + "а" * 40 + "b" * 40 + ".com/"
    problem = external_url_problem(long_host)
    assert problem is not None and "…" in problem


TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)
URLISH = st.lists(
    st.one_of(
        st.sampled_from(["https://", "http:", "//", "/", "\\", "@", ":", ":443", "%", "%5C", "%25", "xn--",
                         "xn--pple-43d", ".", "..", "[::1]", "0x", "127", "localhost", "а", "ο", "é", "例", "\u202e",
                         "\t", "#", "?", "example.com", "com"]),
        TEXT,
    ),
    max_size=12,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(st.one_of(TEXT, URLISH))
def test_never_raises(value: str) -> None:
    for check in (external_url_problem, relative_reference_problem):
        result = check(value)
        assert result is None or isinstance(result, str)
    assert isinstance(is_external(value), bool)
    if external_url_problem(value) is None:
        assert is_external(value)
    if relative_reference_problem(value) is None:
        assert not is_external(value)


HOSTISH = st.text(alphabet="abZ09-.", min_size=1, max_size=40) | st.builds(
    lambda label, n: ".".join([label] * n), st.text(alphabet="aZ9-", min_size=60, max_size=66), st.integers(1, 5))


@settings(max_examples=600, deadline=None)
@given(HOSTISH)
def test_the_ascii_fast_path_agrees_with_idna(host: str) -> None:
    """Plain ASCII hosts skip the IDNA library (a third of the guard's time): the answer must be IDNA's."""
    from chronicle import urls

    fast = urls._host_problem(host)
    original = urls._plain_ascii
    urls._plain_ascii = lambda host: False
    try:
        slow = urls._host_problem(host)
    finally:
        urls._plain_ascii = original
    assert (fast is None) == (slow is None), (host, fast, slow)
    if urls._plain_ascii(host):
        assert fast == slow
