"""Live preview: `mkdocs serve` rebuilds when an event, sources.yml or places.yml changes."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import Writer, event

pytestmark = pytest.mark.build


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _fetch_until(url: str, wanted: str, seconds: float = 30) -> str:
    deadline = time.monotonic() + seconds
    text = ""
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                text = response.read().decode("utf-8")
            if wanted in text:
                return text
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"{wanted!r} did not appear at {url} within {seconds} s")


def test_editing_events_and_registries_rebuilds_the_preview(tmp_path: Path, events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-ok.md": event("First headline")})
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (tmp_path / "mkdocs.yml").write_text("site_name: t\nplugins:\n  - chronicle\n", encoding="utf-8")
    port = _free_port()
    mkdocs = Path(sys.executable).parent / "mkdocs"
    server = subprocess.Popen([str(mkdocs), "serve", "--dev-addr", f"127.0.0.1:{port}"],
                              cwd=tmp_path, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        account = f"http://127.0.0.1:{port}/account/"
        _fetch_until(account, "First headline")
        (folder / "2022-01-04-1800-ok.md").write_text(event("Second headline"), encoding="utf-8")
        _fetch_until(account, "Second headline")
        places = (folder / "places.yml").read_text(encoding="utf-8").replace("Republic Square", "Renamed Square")
        (folder / "places.yml").write_text(places, encoding="utf-8")
        _fetch_until(account, "Renamed Square")
        sources = (folder / "sources.yml").read_text(encoding="utf-8").replace("First report", "Retitled report")
        (folder / "sources.yml").write_text(sources, encoding="utf-8")
        _fetch_until(account, "Retitled report")
    finally:
        server.terminate()
        server.wait(timeout=10)
