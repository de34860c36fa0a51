"""Helpers shared by the browser tests: where the tools are, skipping for lack of them, request recording."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from chromium import ready

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
NODE_MODULES = ROOT / "node_modules"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
# The pages the chronicle plugin writes; the other pages are hand-written (docs/) or the theme's (404).
GENERATED = ["account/", "places/", "sources/", "timeline/"]


@dataclass
class Requests:
    """Every request a browser context made, split by whether it went to the local server."""

    origin: str
    local: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)

    def record(self, url: str) -> None:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}/" == self.origin or parts.scheme in ("data", "blob", "about"):
            self.local.append(url)
        else:
            self.outside.append(url)


@dataclass
class Browsing:
    page: Any
    base_url: str
    requests: Requests

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path, wait_until="load")
        assert response is not None and response.ok, (path, response and response.status)
        ready(self.page)
        return response



def site_pages(site: Path) -> list[str]:
    """Every page of the built site, as a path relative to the site root ("" for the home page)."""
    return sorted(html.relative_to(site).as_posix().removesuffix("index.html") for html in site.rglob("*.html"))


def open_context(browser: Any, base_url: str, color_scheme: str = "light",
                 bypass_csp: bool = False) -> tuple[Any, Requests]:
    """A fresh context that records every request and never lets one leave the machine. `bypass_csp` turns
    off the pages' Content-Security-Policy, for a test that injects its own inline script (axe-core)."""
    context = browser.new_context(color_scheme=color_scheme, viewport={"width": 1280, "height": 900},
                                  service_workers="block", bypass_csp=bypass_csp)
    requests = Requests(base_url)
    context.on("request", lambda request: requests.record(request.url))

    def guard(route: Any) -> None:
        if urlsplit(route.request.url).netloc == urlsplit(base_url).netloc:
            route.continue_()
        else:
            route.abort("blockedbyclient")

    context.route("**/*", guard)
    return context, requests
