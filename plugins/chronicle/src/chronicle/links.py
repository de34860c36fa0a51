"""`chronicle links`: is every source still where its citation says, and every archived copy too?

Each live and archived address of `sources.yml` is asked for (HEAD, then GET where a server refuses HEAD) with
bounded concurrency, a timeout and a few retries with backoff for answers that may pass (429, 5xx, network
errors). A dead one is a `sources.yml:line:` problem; the command exits 1 so that a scheduled workflow can open an
issue listing them (`.github/workflows/links.yml`).

Redirects are followed only to addresses the schema accepts (http(s), a public host, no port): a source may not
send the checker, which runs with the repository's credentials nearby, to a local or private address.
"""

from __future__ import annotations

import argparse
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .problems import Problem
from .registry import Source, load_sources
from .urls import external_url_problem

USER_AGENT = "qantar-chronicle-links/1 (+https://github.com/qantar/qantar)"
RETRY_STATUSES = {408, 425, 429, 500, 502, 503, 504}


@dataclass(frozen=True)
class Target:
    """One address to ask for, and where it stands in sources.yml."""

    source: str
    what: str  # "url" or "capture of <date>"
    url: str
    line: int


@dataclass(frozen=True)
class Answer:
    """What asking for a target gave: an HTTP status, or why there was none."""

    status: int | None
    error: str = ""


Fetch = Callable[[str, str, float], int]  # (method, url, timeout) -> status; raises OSError / URLError


def targets(sources: Iterable[Source]) -> list[Target]:
    """Every live and archived address of the sources, in registry order."""
    found = []
    for source in sources:
        found.append(Target(source.key, "url", source.url, source.line))
        found += [Target(source.key, f"capture of {c.captured_at}", c.url, source.line) for c in source.captures]
    return found


def check(found: list[Target], fetch: Fetch, *, concurrency: int = 8, timeout: float = 15.0, retries: int = 2,
          backoff: float = 1.0) -> dict[Target, Answer]:
    """Ask for every target, at most `concurrency` at a time; each at most 1 + `retries` times."""
    def one(target: Target) -> Answer:
        answer = Answer(None, "not asked")
        for attempt in range(retries + 1):
            answer = _ask(fetch, target.url, timeout)
            if answer.status is not None and answer.status not in RETRY_STATUSES:
                return answer
            if attempt < retries:
                time.sleep(backoff * (2 ** attempt))
        return answer

    with ThreadPoolExecutor(max_workers=max(1, concurrency), thread_name_prefix="chronicle-links") as pool:
        return dict(zip(found, pool.map(one, found), strict=True))


_REFUSES_HEAD = (403, 405, 501)  # servers that answer HEAD so: ask for the page itself


def _ask(fetch: Fetch, url: str, timeout: float) -> Answer:
    try:
        try:
            status = fetch("HEAD", url, timeout)
        except urllib.error.HTTPError as exc:
            if exc.code not in _REFUSES_HEAD:
                raise
            status = exc.code
        if status in _REFUSES_HEAD:
            status = fetch("GET", url, timeout)
        return Answer(status)
    except urllib.error.HTTPError as exc:
        return Answer(exc.code)
    except (OSError, ValueError) as exc:  # URLError is an OSError; a refused redirect is a ValueError
        return Answer(None, str(getattr(exc, "reason", exc)) or type(exc).__name__)


def problems(path: Path, answers: dict[Target, Answer]) -> list[Problem]:
    """A problem for each address that did not answer with a success (2xx or 3xx after redirects)."""
    found = []
    for target, answer in answers.items():
        if answer.status is not None and answer.status < 400:
            continue
        why = f"answered {answer.status}" if answer.status is not None else f"did not answer ({answer.error})"
        fix = ("find where the page is now, or cite its archived copy" if target.what == "url"
               else "capture it again, or remove this capture")
        found.append(Problem(path, target.line, f"source '{target.source}': its {target.what} {target.url} {why}: "
                                                f"{fix}", code="dead-link"))
    return found


class _SafeRedirects(urllib.request.HTTPRedirectHandler):
    """Follow a redirect only to an address a source could have been given itself."""

    def __init__(self, allow_local: bool = False):
        self.allow_local = allow_local

    def redirect_request(self, req: Any, fp: Any, code: int, msg: str, headers: Any, newurl: str) -> Any:
        problem = None if self.allow_local else external_url_problem(newurl)
        if problem:
            raise ValueError(f"redirects to a refused address ({problem})")
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def urllib_fetch(allow_local: bool = False) -> Fetch:
    """Ask with the standard library: no cookies, our user agent, safe redirects (`allow_local` for tests only)."""
    opener = urllib.request.build_opener(_SafeRedirects(allow_local))

    def fetch(method: str, url: str, timeout: float) -> int:
        request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})
        with opener.open(request, timeout=timeout) as response:
            if method == "GET":
                response.read(65536)  # enough to know the page is there
            return int(response.status)

    return fetch


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `chronicle links`."""
    from .cli import add_config_argument

    add_config_argument(parser)
    parser.add_argument("--concurrency", type=int, default=8, help="addresses asked at once (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=15.0, help="seconds per request (default: %(default)s)")
    parser.add_argument("--retries", type=int, default=2, help="retries of a failed address (default: %(default)s)")


def run(args: argparse.Namespace) -> int:
    """`chronicle links`: report every dead address; exit 1 if there is one."""
    from .cli import events_folder, report

    path = events_folder(args.config_file) / "sources.yml"
    sources, found = load_sources(path)
    if found:
        report(found)
        return 1
    answers = check(targets(sources.values()), urllib_fetch(), concurrency=args.concurrency, timeout=args.timeout,
                    retries=args.retries)
    dead = problems(path, answers)
    report(dead)
    print(f"{len(answers)} addresses of {len(sources)} sources asked for: {len(dead)} dead")
    return 1 if dead else 0
