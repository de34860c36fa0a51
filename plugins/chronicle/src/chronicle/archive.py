"""`chronicle archive`: ask the Internet Archive to capture every source that has no capture yet, and record each
capture in `sources.yml` as it comes, without touching the file's other lines or comments.

It speaks Save Page Now 2: `POST /save` (form `url=`, header `Authorization: LOW <access>:<secret>`, answer
`{"job_id"}`), then `GET /save/status/<job_id>` until the job is `success` (with `timestamp` and `original_url`)
or `error`. The capture is addressed `https://web.archive.org/web/<timestamp>/<original>`, and its raw body
(`.../web/<timestamp>id_/<original>`) is hashed for the ledger's `sha256`. Submissions are spaced (`--interval`),
a 429 waits as `Retry-After` says (or doubles its wait), and each capture is written before the next is asked
for, so an interrupted run resumes where it stopped. Credentials come from the environment (IA_ACCESS_KEY,
IA_SECRET_KEY); `--dry-run` needs none and asks for nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import re
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import Problem, plain_line
from .registry import Source, load_sources

PUBLIC = "https://web.archive.org"
SERVICE = "Internet Archive"
USER_AGENT = "qantar-chronicle-archive/1 (+https://github.com/qantar/qantar)"
_TIMESTAMP = re.compile(r"[0-9]{14}")


class ArchiveError(Exception):
    """A capture that could not be made: the service's own words."""


@dataclass(frozen=True)
class Made:
    """A capture the service made."""

    url: str
    captured_at: dt.date
    sha256: str | None


Http = Callable[[urllib.request.Request, float], tuple[int, dict[str, str], bytes]]


def _http(request: urllib.request.Request, timeout: float) -> tuple[int, dict[str, str], bytes]:
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return int(response.status), dict(response.headers), response.read(32 * 1024 * 1024)
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers or {}), exc.read(65536)


@dataclass
class Client:
    """Save Page Now 2 at `api` (the real service, or a local server speaking it in tests)."""

    access: str
    secret: str
    api: str = PUBLIC
    public: str = PUBLIC
    http: Http = _http
    poll: float = 5.0
    max_wait: float = 600.0
    sleep: Callable[[float], None] = time.sleep

    def _request(self, path: str, data: dict[str, str] | None = None) -> dict[str, Any]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.api + path, data=body, method="POST" if body else "GET", headers={
            "Accept": "application/json", "User-Agent": USER_AGENT,
            "Authorization": f"LOW {self.access}:{self.secret}"})
        wait = self.poll
        for _ in range(6):
            status, headers, payload = self.http(request, 60.0)
            if status != 429:
                break
            retry = headers.get("Retry-After", "")
            self.sleep(float(retry) if retry.isdigit() else wait)  # the service's rate limit: wait, then again
            wait *= 2
        if status >= 400:
            raise ArchiveError(f"the service answered {status}")
        try:
            answer = json.loads(payload or b"{}")
        except ValueError as exc:
            raise ArchiveError("the service's answer is not JSON") from exc
        if not isinstance(answer, dict):
            raise ArchiveError("the service's answer is not an object")
        return answer

    def capture(self, url: str) -> Made:
        """Ask for a capture of `url` and wait for it."""
        job = self._request("/save", {"url": url, "skip_first_archive": "1"})
        if "job_id" not in job:
            raise ArchiveError(str(job.get("message") or job.get("status_ext") or "no job was started"))
        waited = 0.0
        while True:
            status = self._request(f"/save/status/{urllib.parse.quote(str(job['job_id']))}")
            if status.get("status") == "success":
                break
            if status.get("status") != "pending":
                raise ArchiveError(str(status.get("message") or status.get("status_ext") or "the capture failed"))
            if waited >= self.max_wait:
                raise ArchiveError(f"the capture was still pending after {self.max_wait:.0f} s")
            self.sleep(self.poll)
            waited += self.poll
        # Only the timestamp is taken from the answer (checked: 14 digits); the address is the one we asked for, which
        # the schema has checked: nothing the service says reaches sources.yml as text.
        stamp, original = str(status.get("timestamp", "")), url
        if not _TIMESTAMP.fullmatch(stamp):
            raise ArchiveError(f"the service gave no capture time ({stamp!r})")
        day = dt.date(int(stamp[:4]), int(stamp[4:6]), int(stamp[6:8]))
        return Made(f"{self.public}/web/{stamp}/{original}", day, self._digest(stamp, original))

    def _digest(self, stamp: str, original: str) -> str | None:
        """SHA-256 of the captured body as the archive serves it raw (`id_`); None if it cannot be had."""
        request = urllib.request.Request(f"{self.api}/web/{stamp}id_/{original}", headers={"User-Agent": USER_AGENT})
        try:
            status, _, body = self.http(request, 120.0)
        except OSError:
            return None
        return hashlib.sha256(body).hexdigest() if status == 200 else None


def record(path: Path, source: Source, made: Made) -> None:
    """Write a capture into the source's entry in `sources.yml`: a `captures:` list after its last field line (or
    a new item at the end of its list). No other line of the file changes."""
    lines = path.read_text(encoding="utf-8").split("\n")
    start = source.line - 1
    end = start + 1
    while end < len(lines) and (lines[end].startswith((" ", "\t")) or not lines[end].strip()):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # blank lines and comments after the entry stay where they are
    item = [f"    - url: {made.url}", f"      service: {SERVICE}", f"      captured_at: {made.captured_at}"]
    if made.sha256:
        item.append(f"      sha256: {made.sha256}")
    head = next((i for i in range(start + 1, end) if lines[i].startswith("  captures:")), None)
    if head is None:
        lines[end:end] = ["  captures:", *item]
    else:  # after the list's last item (later fields may follow it): oldest first
        at = head + 1
        while at < end and (lines[at].startswith("    ") or not lines[at].strip()):
            at += 1
        lines[at:at] = item
    path.write_text("\n".join(lines), encoding="utf-8")


def pending(sources: dict[str, Source]) -> list[Source]:
    """The sources to capture: no capture yet, and not marked as impossible to archive."""
    return [s for s in sources.values() if not s.captures and s.status == "pending"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `chronicle archive`."""
    from .cli import add_config_argument

    add_config_argument(parser)
    parser.add_argument("--dry-run", action="store_true", help="say what would be captured, ask for nothing")
    parser.add_argument("--limit", type=int, default=50, help="capture at most this many (default: %(default)s)")
    parser.add_argument("--interval", type=float, default=15.0,
                        help="seconds between two submissions, for the service's rate limit (default: %(default)s)")
    parser.add_argument("--api", default=PUBLIC, help="the Save Page Now service (default: %(default)s)")


def run(args: argparse.Namespace, client: Client | None = None) -> int:
    """`chronicle archive`: capture what has no capture, record each, and report what failed (exit 1)."""
    from .cli import events_folder, report

    path = events_folder(args.config_file) / "sources.yml"
    sources, found = load_sources(path)
    if found:
        report(found)
        return 1
    todo = pending(sources)[: max(0, args.limit)]
    if args.dry_run:
        for source in todo:
            print(plain_line(f"would capture {source.key}: {source.url}"))
        print(f"{len(todo)} of {len(sources)} sources would be captured")
        return 0
    if client is None:
        access, secret = os.environ.get("IA_ACCESS_KEY", ""), os.environ.get("IA_SECRET_KEY", "")
        if not access or not secret:
            print("chronicle archive: set IA_ACCESS_KEY and IA_SECRET_KEY (https://archive.org/account/s3.php), "
                  "or use --dry-run", file=sys.stderr)
            return 2
        client = Client(access, secret, api=args.api.rstrip("/"))
    failed: list[Problem] = []
    for index, source in enumerate(todo):
        if index:
            client.sleep(args.interval)
        try:
            made = client.capture(source.url)
        except (ArchiveError, OSError) as exc:
            failed.append(Problem(path, sources[source.key].line, f"source '{source.key}' could not be captured "
                                  f"({exc}): try again later, or mark it archive_status: unavailable", code="archive"))
            continue
        record(path, sources[source.key], made)
        sources, problems = load_sources(path)  # the file stays valid after every capture, or we stop here
        if problems:
            report(problems)
            return 1
        print(plain_line(f"captured {source.key}: {made.url}"))
    report(failed)
    print(f"{len(todo) - len(failed)} of {len(todo)} captured; {len(failed)} failed")
    return 1 if failed else 0
