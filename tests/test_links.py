"""`chronicle links` against a real HTTP server on 127.0.0.1: live, dead, HEAD-refusing, flaky, slow, and
redirecting addresses, each with the answer a reader's browser would get."""

from __future__ import annotations

import datetime as dt
import http.server
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from chronicle.links import check, problems, targets, urllib_fetch
from chronicle.registry import Source
from chronicle.schema import Capture

from conftest import local_server


class Handler(http.server.BaseHTTPRequestHandler):
    """Routes that behave as the web does."""

    flaky: ClassVar[dict[str, int]] = {}

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _answer(self, body: bool) -> None:
        path = self.path
        if path == "/ok":
            self._send(200, body)
        elif path == "/gone":
            self._send(404, body)
        elif path == "/no-head":
            self._send(405 if self.command == "HEAD" else 200, body)
        elif path == "/flaky":
            Handler.flaky[path] = Handler.flaky.get(path, 0) + 1
            self._send(503 if Handler.flaky[path] == 1 else 200, body)
        elif path == "/always-busy":
            self._send(503, body)
        elif path == "/slow":
            time.sleep(1.5)
            self._send(200, body)
        elif path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == "/to-private":
            self.send_response(302)
            self.send_header("Location", "http://169.254.169.254/latest/meta-data/")
            self.send_header("Content-Length", "0")
            self.end_headers()
        else:
            self._send(404, body)

    def _send(self, status: int, body: bool) -> None:
        data = b"<html><body>page</body></html>"
        self.send_response(status)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if body:
            self.wfile.write(data)

    def do_HEAD(self) -> None:
        self._answer(body=False)

    def do_GET(self) -> None:
        self._answer(body=True)


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    with local_server(Handler) as base:
        yield base


def _source(key: str, url: str, *captures: str, line: int = 1) -> Source:
    return Source(key, "T", "P", url, "en", line=line,
                  captures=tuple(Capture(c, "Internet Archive", dt.date(2022, 1, 6)) for c in captures))


def test_live_dead_head_refusing_and_flaky_addresses(server: str) -> None:
    sources = [_source("alive", f"{server}/ok", f"{server}/moved", line=3),
               _source("dead", f"{server}/gone", line=9),
               _source("no-head", f"{server}/no-head", line=14),
               _source("flaky", f"{server}/flaky", line=20),
               _source("busy", f"{server}/always-busy", line=25)]
    answers = check(targets(sources), urllib_fetch(allow_local=True), concurrency=4, timeout=5, backoff=0.05)
    assert {t.url.rsplit("/", 1)[1]: a.status for t, a in answers.items()} == {
        "ok": 200, "moved": 200, "gone": 404, "no-head": 200, "flaky": 200, "always-busy": 503}
    found = [str(p) for p in problems(Path("events/sources.yml"), answers)]
    assert found == [
        f"events/sources.yml:9: source 'dead': its url {server}/gone answered 404: find where the page is now, or "
        "cite its archived copy",
        f"events/sources.yml:25: source 'busy': its url {server}/always-busy answered 503: find where the page is "
        "now, or cite its archived copy"]


def test_a_dead_capture_is_named_as_a_capture(server: str) -> None:
    answers = check(targets([_source("s", f"{server}/ok", f"{server}/gone", line=4)]),
                    urllib_fetch(allow_local=True), timeout=5, retries=0)
    (problem,) = problems(Path("sources.yml"), answers)
    assert problem.line == 4 and "its capture of 2022-01-06" in problem.message and "capture it again" in \
        problem.message


def test_a_slow_server_times_out_and_is_reported(server: str) -> None:
    answers = check(targets([_source("slow", f"{server}/slow")]), urllib_fetch(allow_local=True), timeout=0.3,
                    retries=0)
    (problem,) = problems(Path("sources.yml"), answers)
    assert "did not answer" in problem.message


def test_a_redirect_to_a_private_address_is_not_followed(server: str) -> None:
    """A source's page may not send the checker (in CI, beside the repository's token) to a private address."""
    calls: list[str] = []
    fetch = urllib_fetch()  # as in real use: redirects are checked like a source's own address

    def recording(method: str, url: str, timeout: float) -> int:
        calls.append(url)
        return fetch(method, url, timeout)

    answers = check(targets([_source("s", f"{server}/to-private")]), recording, timeout=3, retries=0)
    (problem,) = problems(Path("sources.yml"), answers)
    assert "redirects to a refused address" in problem.message
    assert all("169.254" not in url for url in calls)


def test_concurrency_is_bounded(server: str) -> None:
    active, peak = [0], [0]
    lock = threading.Lock()

    def counting(method: str, url: str, timeout: float) -> int:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return 200

    sources = [_source(f"s{i}", f"{server}/ok") for i in range(20)]
    check(targets(sources), counting, concurrency=3)
    assert peak[0] == 3
