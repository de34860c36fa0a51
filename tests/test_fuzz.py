"""Property: whatever a contributor writes, the loader answers with our own error type, never a traceback."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chronicle import ChronicleError, load_chronicle

from conftest import PLACES, SOURCES

KEYS = st.sampled_from(["title", "date", "time", "time_precision", "place", "actors", "status", "tags", "order",
                        "kind", "corrections", "x"])
SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                    st.dates().map(str), st.sampled_from(["18:30", "25:99", "square", "reported", "evening", "*a",
                                                           "&a x", "!!python/object:os.system", "{", "[", ":"]))
VALUES = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5),
                                                                                           inner, max_size=3),
                      max_leaves=8)
TOKENS = st.sampled_from(["[^alpha-2022-01-05]", "[^n1]", "[^n1]: note", "[^", "]", "`", "```", "\n", "\n\n", "    ",
                          "<script>", "<a href='javascript:x'>", "[x](data:y)", "<img onerror=x>", "word", "é", "\x00",
                          "---", "{#id}", "&#x6a;"])
BODIES = st.lists(st.one_of(TOKENS, st.text(max_size=10)), max_size=30).map("".join)


def _load(files: dict[str, bytes]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        events = Path(folder)
        (events / "sources.yml").write_text(SOURCES, encoding="utf-8")
        (events / "places.yml").write_text(PLACES, encoding="utf-8")
        for name, content in files.items():
            (events / name).write_bytes(content)
        try:
            load_chronicle(events)
        except ChronicleError as exc:
            assert exc.problems and all(p.line >= 1 and p.message for p in exc.problems)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front=st.dictionaries(KEYS, VALUES, max_size=8), body=BODIES)
def test_random_front_matter_and_body(front: dict[str, object], body: str) -> None:
    text = "---\n" + yaml.safe_dump(front, allow_unicode=True) + "---\n" + body
    _load({"2022-01-04-fuzz.md": text.encode("utf-8", "surrogatepass")})


@settings(max_examples=300, deadline=None)
@given(raw=st.binary(max_size=300), prefix=st.sampled_from([b"", b"---\n", b"---\ntitle: x\n---\n"]))
def test_random_bytes(raw: bytes, prefix: bytes) -> None:
    _load({"2022-01-04-bytes.md": prefix + raw})


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_random_registry_text(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        events = Path(folder)
        (events / "sources.yml").write_text(text, encoding="utf-8", errors="surrogatepass")
        (events / "places.yml").write_text(text, encoding="utf-8", errors="surrogatepass")
        with contextlib.suppress(ChronicleError):
            load_chronicle(events)
