"""Fixtures for the export tests: the real export run once per session, and real Chromium opening it offline.

Chromium is Debian's (`/usr/bin/chromium`, or the path in QANTAR_CHROMIUM). Where Chromium, Playwright or
node_modules/iframe-worker is missing the tests that need it skip with the reason; when the CI environment
variable is set they fail instead, so CI cannot pass without running them.
"""

from __future__ import annotations

import os
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from chronicle.cli import main
from chronicle.export import SHIM_PACKAGE, SHIM_SOURCE

from chromium import chromium_path, launched_chromium, ready, unavailable

ROOT = Path(__file__).resolve().parents[2]
EPOCH = 1641340800  # 2022-01-05 00:00 UTC
@dataclass
class Export:
    """One run of `chronicle export`: its files, and how long it took."""

    folder: Path
    seconds: float
    zip: Path = field(init=False)
    html: Path = field(init=False)
    pdf: Path = field(init=False)
    zim: Path = field(init=False)
    epub: Path = field(init=False)
    phone: Path = field(init=False)

    name: str = "qantar"

    def __post_init__(self) -> None:
        ends = ("-site.zip", ".html", ".pdf", ".zim", ".epub", "-phone.html")
        self.zip, self.html, self.pdf, self.zim, self.epub, self.phone = (self.folder / (self.name + e) for e in ends)


def export_into(folder: Path, chromium: Path | None, edition: str = "") -> Export:
    """Run `chronicle export` on the project with a fixed SOURCE_DATE_EPOCH: the English edition, or `edition`'s
    (mkdocs.<edition>.yml, files named qantar-<edition>*)."""
    if not (ROOT / "node_modules" / SHIM_PACKAGE / SHIM_SOURCE).is_file():
        unavailable(f"node_modules/{SHIM_PACKAGE} is missing (npm ci)")
    config = f"mkdocs.{edition}.yml" if edition else "mkdocs.yml"
    argv = ["export", "-f", str(ROOT / config), "-o", str(folder)]
    argv += ["--name", f"qantar-{edition}"] if edition else []
    argv += ["--chromium", str(chromium)] if chromium else ["--no-pdf"]
    saved = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(EPOCH)
    started = time.monotonic()
    try:
        code = main(argv)
    finally:
        if saved is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = saved
    assert code == 0, "chronicle export failed"
    return Export(folder, time.monotonic() - started, f"qantar-{edition}" if edition else "qantar")


@pytest.fixture(scope="session")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Export:
    """The project exported once per session, PDF included."""
    return export_into(tmp_path_factory.mktemp("dist"), chromium_path())


@pytest.fixture(scope="session")
def editions(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Export]:
    """The Russian and Kazakh editions exported once per session into one folder (no PDF: the English one is
    printed, and printing is the same code for every edition)."""
    folder = tmp_path_factory.mktemp("kit")
    return {edition: export_into(folder, None, edition) for edition in ("ru", "kk")}


@pytest.fixture(scope="session")
def unzipped(exported: Export, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The zipped site unpacked, as a reader would: the folder holding index.html."""
    target = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(exported.zip) as archive:
        archive.extractall(target)
    (folder,) = target.iterdir()
    return folder


@pytest.fixture(scope="package")  # package scope: one Playwright at a time, tests/browser has its own
def browser() -> Iterator[Any]:
    yield from launched_chromium()


@dataclass
class Offline:
    """A page in a context where only file:// loads; every other request is blocked and recorded."""

    page: Any
    outside: list[str] = field(default_factory=list)

    def open(self, path: Path, fragment: str = "") -> None:
        self.page.goto(path.as_uri() + fragment, wait_until="load")
        # The offline site runs the theme's script; the single file has none.
        ready(self.page, theme=path.name != "qantar.html")


@pytest.fixture
def offline(browser: Any) -> Iterator[Offline]:
    """A fresh offline page; at the end, no request may have left file://."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, service_workers="block")
    page = context.new_page()
    state = Offline(page)

    def record(request: Any) -> None:
        if not request.url.startswith(("file:", "data:", "blob:", "about:")):
            state.outside.append(request.url)

    def guard(route: Any) -> None:
        if route.request.url.startswith(("file:", "data:", "blob:", "about:")):
            route.continue_()
        else:
            route.abort("internetdisconnected")

    context.on("request", record)
    context.route("**/*", guard)
    try:
        yield state
    finally:
        context.close()
    assert state.outside == [], f"requests left file://: {state.outside}"
