"""The contributor's live preview (`mkdocs serve`) in real Chromium: the page's Content-Security-Policy lets
MkDocs' live-reload script run there, and the published build keeps inline scripts out."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

from .kit import ROOT, open_context


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def test_live_reload_runs_in_the_preview_without_a_csp_violation(browser: Any, built_site: Path) -> None:
    port = _free_port()
    server = subprocess.Popen([str(Path(sys.executable).parent / "mkdocs"), "serve", "--dev-addr",
                               f"127.0.0.1:{port}"], cwd=ROOT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(base + "account/", timeout=2):
                    break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        context, _ = open_context(browser, base)
        page = context.new_page()
        messages: list[str] = []
        page.on("console", lambda message: messages.append(message.text))
        page.add_init_script("document.addEventListener('securitypolicyviolation', "
                             "e => console.log('violation ' + e.violatedDirective))")
        page.goto(base + "account/")
        page.wait_for_timeout(1000)
        context.close()
    finally:
        server.terminate()
        server.wait(timeout=10)
    assert "Enabled live reload" in messages
    assert not [m for m in messages if m.startswith("violation")], messages
    published = (built_site / "account" / "index.html").read_text(encoding="utf-8")
    assert "script-src 'self';" in published and "unsafe-inline' ;" not in published
    assert "script-src 'self' 'unsafe-inline'" not in published
