"""Shared fixtures: a small, valid chronicle written into a temporary folder."""

from __future__ import annotations

import contextlib
import http.server
import os
import socket
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LAYERS = ("build", "browser", "slow")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """One rule for the layers (`make test-fast` runs what has none of these marks): a test in tests/browser opens
    Chromium, one in tests/export builds the real site; any other marks itself."""
    for item in items:
        if any(item.get_closest_marker(name) for name in LAYERS):
            continue
        folder = Path(str(item.path)).parent.name
        if folder == "browser":
            item.add_marker(pytest.mark.browser)
        elif folder == "export":
            item.add_marker(pytest.mark.build)

SOURCES = """\
alpha-2022-01-05:
  title: First report
  publisher: Alpha News
  authors: [A. Writer]
  published: 2022-01-05
  url: https://alpha.example.com/report
  language: en
  kind: reportage
beta-2022-01-06:
  title: Second report
  publisher: Beta Wire
  published: 2022-01-06
  url: https://beta.example.com/wire
  captures:
    - url: https://web.archive.org/web/20220106120000/https://beta.example.com/wire
      service: Internet Archive
      captured_at: 2022-01-06
      sha256: 5f2b0f0b1d3c3f1e8a4b6c7d8e9f00112233445566778899aabbccddeeff0011
  accessed: 2026-11-01
  language: en
  kind: wire
"""

PLACES = """\
square:
  name: Republic Square
  coordinates: [43.238, 76.946]
  coordinates_source: https://en.wikipedia.org/wiki/Republic_Square_(Almaty)
park:
  name: The park
"""


def event(title: str = "Something happened", *, body: str = "It happened.[^alpha-2022-01-05]", **fields: object) -> str:
    """The text of an event file with sensible defaults for every required field."""
    front = {"title": title, "date": "2022-01-04", "place": "square", "status": "reported", **fields}
    lines = [f"{key}: {value}" for key, value in front.items() if value is not None]
    return "---\n" + "\n".join(lines) + "\n---\n" + textwrap.dedent(body).strip("\n") + "\n"


Writer = Callable[..., Path]
MKDOCS_YML = "site_name: t\nplugins:\n  - chronicle\n"


def write_project(root: Path, events: dict[str, str] | None = None, docs: dict[str, str] | None = None, *,
                  sources: str = SOURCES, places: str = PLACES, mkdocs_yml: str = MKDOCS_YML) -> Path:
    """A small MkDocs project under `root`: the registries, one valid event plus `events`, a home page plus
    `docs`, and mkdocs.yml; returns `root`."""
    for folder, files in (("events", {"2022-01-04-1800-ok.md": event(), **(events or {})}),
                          ("docs", {"index.md": "# Home\n", **(docs or {})})):
        for name, text in files.items():
            (root / folder / name).parent.mkdir(parents=True, exist_ok=True)
            (root / folder / name).write_text(text, encoding="utf-8")
    (root / "events" / "sources.yml").write_text(sources, encoding="utf-8")
    (root / "events" / "places.yml").write_text(places, encoding="utf-8")
    (root / "mkdocs.yml").write_text(mkdocs_yml, encoding="utf-8")
    return root


@pytest.fixture
def events_dir(tmp_path: Path) -> Writer:
    """Write registries and event files into tmp_path/events and return the folder."""

    def write(files: dict[str, str | bytes], *, sources: str = SOURCES, places: str = PLACES) -> Path:
        folder = tmp_path / "events"
        folder.mkdir(exist_ok=True)
        (folder / "sources.yml").write_text(sources, encoding="utf-8")
        (folder / "places.yml").write_text(places, encoding="utf-8")
        for name, content in files.items():
            path = folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        return folder

    return write


@contextlib.contextmanager
def local_server(handler: type[http.server.BaseHTTPRequestHandler]) -> Iterator[str]:
    """`handler` served on 127.0.0.1 at a free port, in a thread: its base address, e.g. http://127.0.0.1:4321."""
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def mkdocs_serve(root: Path, log: Path, *, tries: int = 5, seconds: float = 120) -> tuple[subprocess.Popen[bytes], str]:
    """A real `mkdocs serve` of the project at `root`, its output in `log`, serving: the process and its address.

    A port found free can be taken before the server binds it; the server then exits saying so, and another port
    is tried, so no test fails on a race with another process."""
    executable = Path(sys.executable).parent / "mkdocs"
    for _ in range(tries):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        with log.open("wb") as out:
            server = subprocess.Popen([str(executable), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=root,
                                      env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, stdout=out,
                                      stderr=subprocess.STDOUT)
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            text = log.read_text(encoding="utf-8", errors="replace")
            if f"Serving on http://127.0.0.1:{port}/" in text:
                return server, f"http://127.0.0.1:{port}/"
            if server.poll() is not None:
                break
            time.sleep(0.1)
        server.terminate()
        server.wait(timeout=10)
        if "Address already in use" not in log.read_text(encoding="utf-8", errors="replace"):
            raise AssertionError(f"mkdocs serve did not start: {log.read_text(encoding='utf-8')[-2000:]}")
    raise AssertionError(f"no free port in {tries} tries")


@contextlib.contextmanager
def served(root: Path, log: Path) -> Iterator[tuple[subprocess.Popen[bytes], str]]:
    """`mkdocs_serve` for a `with` block: stopped at its end."""
    server, base = mkdocs_serve(root, log)
    try:
        yield server, base
    finally:
        server.terminate()
        server.wait(timeout=10)
