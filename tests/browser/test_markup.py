"""The built pages in the Nu HTML Checker (vnu-jar from npm, run with Java).

Messages are sorted by where they point: inside a page's <article> is content (the chronicle plugin's on
the generated pages, docs/ on the others), outside it is the theme's own markup. Content may have no
errors; what the theme triggers is written to test-artifacts/vnu.json and listed there, not asserted.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from .kit import ARTIFACTS, GENERATED, VNU_JAR, site_pages
from chromium import unavailable

pytestmark = pytest.mark.build


def position(text: str, offset: int) -> tuple[int, int]:
    """The 1-based line and column of a character offset, as vnu counts them."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def article_span(text: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    start = text.find("<article")
    end = text.rfind("</article>")
    if start < 0 or end < 0:
        return None
    return position(text, start), position(text, end + len("</article>"))


def where(message: dict[str, Any], page: str, text: str) -> str:
    span = article_span(text)
    line = message.get("firstLine", message.get("lastLine"))
    column = message.get("firstColumn", message.get("lastColumn", 1))
    if span is None or line is None or not span[0] <= (line, column) <= span[1]:
        return "theme"
    return "generated" if page in GENERATED else "hand-written"


@pytest.fixture(scope="module")
def vnu_messages(built_site: Path) -> list[dict[str, Any]]:
    java = shutil.which("java")
    if java is None:
        unavailable("no Java runtime for the Nu HTML Checker (apt-get install default-jre-headless)")
    if not VNU_JAR.is_file():
        unavailable(f"the Nu HTML Checker is missing at {VNU_JAR} (run `npm ci`; `make test` does)")
    pages = {page: built_site / (page or "index.html") for page in site_pages(built_site)}
    pages = {page: path / "index.html" if path.is_dir() else path for page, path in pages.items()}
    run = subprocess.run([java, "-jar", str(VNU_JAR), "--format", "json", "--exit-zero-always",
                          *map(str, pages.values())], capture_output=True, text=True, timeout=300, check=True)
    by_file = {path.resolve(): page for page, path in pages.items()}
    messages = []
    for message in json.loads(run.stderr)["messages"]:
        url = message.get("url", "")  # file:/tmp/... as vnu writes it
        page = by_file.get(Path(unquote(urlsplit(url).path)).resolve()) if url.startswith("file:") else None
        assert page is not None, f"a message about no page of the site: {message}"
        text = pages[page].read_text(encoding="utf-8")
        messages.append({"page": page or "index", "from": where(message, page, text), **message})
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "vnu.json").write_text(json.dumps(messages, indent=1, ensure_ascii=False), encoding="utf-8")
    return messages


def errors(messages: list[dict[str, Any]], origin: str) -> list[str]:
    return [f"{m['page']}:{m.get('lastLine')}:{m.get('firstColumn')}: {m['message']} | {m.get('extract', '')!r}"
            for m in messages if m["from"] == origin and m["type"] != "info"]


def test_the_checker_read_every_page(vnu_messages: list[dict[str, Any]], built_site: Path) -> None:
    assert not [m for m in vnu_messages if m["type"] == "non-document-error"], vnu_messages


def test_generated_pages_have_valid_markup(vnu_messages: list[dict[str, Any]]) -> None:
    assert errors(vnu_messages, "generated") == [], "the chronicle plugin's markup"


def test_hand_written_pages_have_valid_markup(vnu_messages: list[dict[str, Any]]) -> None:
    assert errors(vnu_messages, "hand-written") == [], "docs/*.md"
