"""The Content-Security-Policy of the offline site: the one hash its search needs on top of the site's policy.

Every page carries the policy as `<meta http-equiv="Content-Security-Policy">`, written by the template
`overrides/partials/csp.html` (which explains each directive); Material's inline scripts are moved into
files there, so the policy holds no hash. The offline site (`chronicle export`) adds one: on `file://`
Material runs its search worker through the vendored `iframe-worker` shim, which writes an inline script
into a hidden `about:blank` frame, and that frame inherits the page's policy. The script's text is the shim's
template with two of the shim's own functions and the worker's URL as written in the page's `__config`
filled in, so it is the same for every page at the same depth: `worker_frame_sources` gives its SHA-256 for
each depth, and the template adds it to `script-src` as it writes the page. Pure functions of text,
unit-tested; no 'unsafe-inline' is ever added.
"""

from __future__ import annotations

import base64
import hashlib
import re

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


def worker_frame_sources(shim: str, worker: str, depth: int = 6) -> dict[str, str]:
    """For each page depth, by the page's `base_url` (".", "..", "../.."), the CSP source that allows the script
    the shim writes for the search worker at `worker` (its path from the site's root), as the page's `__config`
    gives its address: relative to the page. The template (overrides/partials/csp.html) puts it in the page's
    policy as the page is written; nothing is changed afterwards."""
    sources = {}
    for level in range(depth + 1):
        base = "/".join([".."] * level) or "."
        url = worker if level == 0 else f"{base}/{worker}"
        sources[base] = source_hash(worker_frame_script(shim, url))
    return sources
