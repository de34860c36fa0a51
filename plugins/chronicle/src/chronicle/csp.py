"""The Content-Security-Policy of the offline site: the one hash its search needs on top of the site's policy.

Every page carries the policy as `<meta http-equiv="Content-Security-Policy">`, written by the template
`overrides/partials/csp.html` (which explains each directive); Material's inline scripts are moved into
files there, so the policy holds no hash. The offline site (`chronicle export`) adds one: on `file://`
Material runs its search worker through the vendored `iframe-worker` shim, which writes an inline script
into a hidden `about:blank` frame, and that frame inherits the page's policy. The script's text is the shim's
template with two of the shim's own functions and the worker's URL as written in the page's `__config`
filled in, so it is the same for every page at the same depth; `allow_worker_frame` adds its SHA-256 to
`script-src` of one built page. Pure functions of text, unit-tested; no 'unsafe-inline' is ever added.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re

_META = re.compile(r'(<meta http-equiv="Content-Security-Policy" content=")([^"]*)(">)')
_CONFIG = re.compile(r'<script id="__config" type="application/json">(.*?)</script>', re.DOTALL)
_FRAME_SCRIPT = re.compile(r"<script>(.*?)<\\/script>", re.DOTALL)  # inside the shim's template literal
_PLACEHOLDER = re.compile(r"\$\{(\w+)\}")


class PolicyError(ValueError):
    """The shim or a page is not shaped as expected (an upgrade changed it): nothing is guessed."""


def source_hash(script: str) -> str:
    """The CSP source that allows exactly this inline script: 'sha256-…' of its UTF-8 text."""
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode('ascii')}'"


def _function_source(shim: str, name: str) -> str | None:
    """The text of `function name(…){…}` in the shim, as Function.prototype.toString gives it, or None."""
    start = shim.find(f"function {name}(")
    if start < 0:
        return None
    depth = 0
    for index in range(shim.index("{", start), len(shim)):
        depth += {"{": 1, "}": -1}.get(shim[index], 0)
        if depth == 0:
            return shim[start:index + 1]
    raise PolicyError(f"unbalanced braces in the shim's function {name}")


def worker_frame_script(shim: str, worker_url: str) -> str:
    """The inline script the iframe-worker shim writes into its frame for a worker at `worker_url`.

    Each `${name}` of the template is the shim's function of that name, or, when the shim defines no such
    function, the URL the worker was created with (the constructor's argument).
    """
    found = _FRAME_SCRIPT.findall(shim)
    if len(found) != 1:
        raise PolicyError(f"expected one inline <script> in the iframe-worker shim, found {len(found)}")

    def fill(match: re.Match[str]) -> str:
        return _function_source(shim, match.group(1)) or worker_url

    return _PLACEHOLDER.sub(fill, found[0])


def with_script_source(policy: str, source: str) -> str:
    """`policy` with `source` added to its script-src (once)."""
    directives = [d.strip() for d in policy.split(";") if d.strip()]
    for index, directive in enumerate(directives):
        name, *sources = directive.split()
        if name == "script-src":
            if source not in sources:
                directives[index] = " ".join([name, *sources, source])
            return "; ".join(directives)
    raise PolicyError(f"the policy has no script-src: {policy!r}")


def allow_worker_frame(page: str, shim: str) -> str:
    """One built page of the offline site with the shim's frame script allowed by hash in its policy.

    A page without the policy meta or without search (no `__config` with a worker) is returned unchanged.
    """
    meta = _META.search(page)
    config = _CONFIG.search(page)
    if meta is None or config is None:
        return page
    worker = json.loads(config.group(1)).get("search")
    if not worker:
        return page
    policy = with_script_source(html.unescape(meta.group(2)), source_hash(worker_frame_script(shim, worker)))
    return page[:meta.start(2)] + html.escape(policy, quote=False).replace('"', "&quot;") + page[meta.end(2):]
