"""`chronicle archive` against a local server on 127.0.0.1 that speaks Save Page Now 2: captures recorded in
sources.yml as they come (comments and formatting kept), rate limits waited out, failures reported, a dry run."""

from __future__ import annotations

import argparse
import hashlib
import http.server
import json
import urllib.parse
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from chronicle.archive import Client, run
from chronicle.registry import load_sources

from conftest import local_server, write_project

BODY = b"<html><body>the page as captured</body></html>"


class SavePageNow(http.server.BaseHTTPRequestHandler):
    """POST /save -> job; GET /save/status/<job> -> pending once, then success; GET /web/<ts>id_/<url> -> body."""

    jobs: ClassVar[dict[str, dict[str, Any]]] = {}
    seen: ClassVar[list[tuple[str, str, str]]] = []  # (method, path, authorization)
    busy_once: ClassVar[set[str]] = set()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, data: dict[str, Any], headers: dict[str, str] | None = None) -> None:
        body = json.dumps(data).encode()
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self.seen.append(("POST", self.path, self.headers.get("Authorization", "")))
        form = urllib.parse.parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        url = form["url"][0]
        if "busy" in url and url not in self.busy_once:
            self.busy_once.add(url)
            self._json(429, {"message": "too many"}, {"Retry-After": "0"})
            return
        if "refused" in url:
            self._json(200, {"status": "error", "status_ext": "error:blocked-url", "message": "This URL is blocked"})
            return
        job = f"spn2-{len(self.jobs)}"
        self.jobs[job] = {"url": url, "polls": 0}
        self._json(200, {"url": url, "job_id": job})

    def do_GET(self) -> None:
        self.seen.append(("GET", self.path, self.headers.get("Authorization", "")))
        if self.path.startswith("/save/status/"):
            job = self.jobs[self.path.rsplit("/", 1)[1]]
            job["polls"] += 1
            if job["polls"] == 1:
                self._json(200, {"status": "pending"})
            else:
                self._json(200, {"status": "success", "timestamp": "20221201103000", "original_url": job["url"]})
            return
        if self.path.startswith("/web/20221201103000id_/"):
            self.send_response(200)
            self.send_header("Content-Length", str(len(BODY)))
            self.end_headers()
            self.wfile.write(BODY)
            return
        self._json(404, {})


@pytest.fixture
def service() -> Iterator[str]:
    SavePageNow.jobs.clear()
    SavePageNow.seen.clear()
    SavePageNow.busy_once.clear()
    with local_server(SavePageNow) as base:
        yield base


SOURCES = """\
# The registry's own comment, kept.
first-2022-01-05:
  title: First
  publisher: Alpha News
  url: https://alpha.example.com/busy-page
  language: en

# A comment between entries, kept in its place.
second-2022-01-06:
  title: Second
  publisher: Beta Wire
  url: https://beta.example.com/refused-page
  language: en
third-2022-01-07:
  title: Third
  publisher: Gamma
  url: https://gamma.example.com/page
  language: en
  kind: wire
gone-2022-01-08:
  title: Gone
  publisher: Delta
  url: https://delta.example.com/page
  language: en
  archive_status: unavailable
  archive_note: the site was taken down before it could be captured
"""


def _args(root: Path, **extra: Any) -> argparse.Namespace:
    values = {"config_file": root / "mkdocs.yml", "dry_run": False, "limit": 50, "interval": 0.0, "api": ""}
    return argparse.Namespace(**{**values, **extra})


def test_captures_are_recorded_as_they_come_and_failures_reported(tmp_path: Path, service: str,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    root = write_project(tmp_path, sources=SOURCES)
    client = Client("key", "secret", api=service, poll=0.0, sleep=lambda seconds: None)
    assert run(_args(root), client) == 1  # one source was refused by the service
    _, err = capsys.readouterr()
    text = (root / "events" / "sources.yml").read_text(encoding="utf-8")
    digest = hashlib.sha256(BODY).hexdigest()
    assert text.startswith("# The registry's own comment, kept.\nfirst-2022-01-05:\n")
    assert ("  language: en\n  captures:\n    - url: https://web.archive.org/web/20221201103000/"
            "https://alpha.example.com/busy-page\n      service: Internet Archive\n      captured_at: 2022-12-01\n"
            f"      sha256: {digest}\n\n# A comment between entries, kept in its place.\nsecond-2022-01-06:") in text
    assert "  kind: wire\n  captures:\n    - url: https://web.archive.org/web/20221201103000/https://gamma" in text
    sources, problems = load_sources(root / "events" / "sources.yml")
    assert problems == []
    assert [c.sha256 for c in sources["first-2022-01-05"].captures] == [digest]
    assert sources["second-2022-01-06"].captures == () and sources["gone-2022-01-08"].captures == ()
    assert "second-2022-01-06' could not be captured (This URL is blocked)" in err
    assert "sources.yml:14:" in err  # the refused source's own line, in the file as it now is
    # The 429 was waited out and asked again; every request carried the credentials.
    assert [p for m, p, _ in SavePageNow.seen if m == "POST"] == ["/save"] * 4
    assert {auth for _, path, auth in SavePageNow.seen if path.startswith("/save")} == {"LOW key:secret"}


def test_a_second_run_resumes_with_what_is_left(tmp_path: Path, service: str) -> None:
    root = write_project(tmp_path, sources=SOURCES)
    client = Client("key", "secret", api=service, poll=0.0, sleep=lambda seconds: None)
    run(_args(root), client)
    SavePageNow.seen.clear()
    run(_args(root), client)
    posted = [p for m, p, _ in SavePageNow.seen if m == "POST"]
    assert posted == ["/save"]  # only the one that failed is asked for again


def test_a_dry_run_asks_for_nothing_and_needs_no_credentials(tmp_path: Path, service: str,
                                                              capsys: pytest.CaptureFixture[str],
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("IA_ACCESS_KEY", raising=False)
    root = write_project(tmp_path, sources=SOURCES)
    before = (root / "events" / "sources.yml").read_text(encoding="utf-8")
    assert run(_args(root, dry_run=True)) == 0
    out, _ = capsys.readouterr()
    assert "would capture first-2022-01-05" in out and "3 of 4 sources would be captured" in out
    assert "gone-2022-01-08" not in out  # marked unavailable: not asked for
    assert (root / "events" / "sources.yml").read_text(encoding="utf-8") == before
    assert SavePageNow.seen == []


def test_without_credentials_it_says_which_to_set(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("IA_ACCESS_KEY", raising=False)
    monkeypatch.delenv("IA_SECRET_KEY", raising=False)
    root = write_project(tmp_path, sources=SOURCES)
    assert run(_args(root)) == 2
    assert "IA_ACCESS_KEY and IA_SECRET_KEY" in capsys.readouterr().err


def test_nothing_the_service_says_is_written_into_sources_yml_but_a_checked_timestamp(tmp_path: Path,
                                                                                       service: str) -> None:
    class Hostile(Client):
        def _request(self, path: str, data: dict[str, str] | None = None) -> dict[str, Any]:
            if path == "/save":
                return {"job_id": "x"}
            return {"status": "success", "timestamp": "20221201103000",
                    "original_url": "https://evil.example.com/\n  state_owned: RU"}

    root = write_project(tmp_path, sources=SOURCES)
    run(_args(root, limit=1), Hostile("k", "s", api=service, poll=0.0, sleep=lambda seconds: None))
    text = (root / "events" / "sources.yml").read_text(encoding="utf-8")
    assert "evil" not in text and "state_owned" not in text
    assert "web/20221201103000/https://alpha.example.com/busy-page" in text
