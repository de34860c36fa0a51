"""The Content-Security-Policy checks shared by tests/browser/test_csp.py (the site on http://) and
tests/export/test_export_csp.py (the offline site on file://): one open page in real Chromium, through Playwright."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# Before any script of the page: every violation the page reports, from this document's listener.
INIT_SCRIPT = """(() => {
    window.__cspViolations = [];
    document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push({
        directive: e.effectiveDirective, blocked: e.blockedURI, sample: e.sample, source: e.sourceFile}), true);
})();"""

HEAD = """() => {
    const metas = [...document.querySelectorAll('meta[http-equiv]')]
        .filter(m => m.httpEquiv.toLowerCase() === 'content-security-policy');
    const children = [...document.head.children];
    return {count: metas.length, content: metas.length ? metas[0].content : null,
            first: children.length > 0 && children[0] === metas[0],
            before: metas.length ? children.slice(0, children.indexOf(metas[0])).map(e => e.outerHTML) : []};
}"""

# Four ways to run injected code, each of which the policy must refuse: an inline <script>, an event handler
# attribute (onerror, fired by a broken image), another (onclick, fired by a click) and a javascript: URL.
INJECT = """() => new Promise(resolve => {
    window.__injectedRan = [];
    const before = window.__cspViolations.length;
    const script = document.createElement('script');
    script.textContent = 'window.__injectedRan.push("inline script")';
    document.body.append(script);
    const image = document.createElement('img');
    image.setAttribute('onerror', 'window.__injectedRan.push("onerror")');
    image.alt = '';
    image.src = 'data:image/png;base64,bm90IGFuIGltYWdl';
    document.body.append(image);
    const button = document.createElement('button');
    button.setAttribute('onclick', 'window.__injectedRan.push("onclick")');
    document.body.append(button);
    button.click();
    const link = document.createElement('a');
    link.href = 'javascript:window.__injectedRan.push("javascript: URL")';
    document.body.append(link);
    link.click();
    setTimeout(() => {
        for (const element of [script, image, button, link]) element.remove();
        resolve({ran: window.__injectedRan, violations: window.__cspViolations.slice(before)});
    }, 500);
})"""

SCRIPT_DIRECTIVES = {"script-src", "script-src-elem", "script-src-attr"}


def directives(policy: str) -> dict[str, list[str]]:
    parsed: dict[str, list[str]] = {}
    for part in policy.split(";"):
        name, *sources = part.split()
        assert name not in parsed, f"directive {name} given twice"
        parsed[name] = sources
    return parsed


def policy_problems(policy: str, *, offline: bool) -> list[str]:
    """What the issue asks of the policy and this one does not do; empty is good."""
    got = directives(policy)
    wanted = {"default-src": ["'none'"], "object-src": ["'none'"], "base-uri": ["'none'"],
              "form-action": ["'none'"], "connect-src": ["'self'"], "img-src": ["'self'", "data:"]}
    problems = [f"{name} is {got.get(name)}, not {value}" for name, value in wanted.items() if got.get(name) != value]
    script = got.get("script-src", [])
    hashes = [s for s in script if s.startswith("'sha256-")]
    if script[:1] != ["'self'"] or len(script) != 1 + len(hashes) or len(hashes) != (1 if offline else 0):
        problems.append(f"script-src is {script}: 'self'" + (" and the shim frame's hash" if offline else " only"))
    for name, sources in got.items():
        if name.startswith("script-src") and any(s in ("'unsafe-inline'", "'unsafe-eval'", "*") for s in sources):
            problems.append(f"{name} allows {sources}")
        if any(s in ("*", "http:", "https:", "file:", "blob:") or "://" in s for s in sources):
            problems.append(f"{name} reaches beyond the site: {sources}")
    return problems


@dataclass
class Watch:
    """Every console message of one page (all its frames) that mentions the Content Security Policy."""

    page: Any
    messages: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.page.context.add_init_script(INIT_SCRIPT)
        self.page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "content security policy" in message.text.lower() or "content-security-policy" in message.text.lower():
            self.messages.append(message.text)

    def violations(self) -> list[Any]:
        return list(self.page.evaluate("() => window.__cspViolations"))

    def check_loaded(self, name: str, *, offline: bool) -> None:
        """The page as loaded: one policy, first in <head>, as the issue asks; nothing broke it so far."""
        head = self.page.evaluate(HEAD)
        assert head["count"] == 1, f"{name}: {head['count']} Content-Security-Policy metas"
        assert head["first"], f"{name}: the policy is not the first element of <head>: after {head['before']}"
        problems = policy_problems(head["content"], offline=offline)
        assert problems == [], f"{name}: {problems}"
        assert self.violations() == [], f"{name}: the page's own code broke the policy: {self.violations()}"
        assert self.messages == [], f"{name}: console: {self.messages}"

    def inject(self, name: str) -> int:
        """Injected code of four kinds is refused and reported; returns how many refusals were reported."""
        result = self.page.evaluate(INJECT)
        assert result["ran"] == [], f"{name}: injected code ran: {result['ran']}"
        refused = [v for v in result["violations"] if v["directive"] in SCRIPT_DIRECTIVES]
        assert len(refused) >= 4, f"{name}: expected four refusals, got {result['violations']}"
        assert len(self.messages) >= 4, f"{name}: Chromium's console reported {self.messages}"
        self.messages.clear()  # these refusals were the point
        return len(refused)

    def search(self, name: str, query: str) -> int:
        """Open the search with '/', type `query`: results appear, and still nothing breaks the policy."""
        page = self.page
        before = len(self.violations())
        page.keyboard.press("/")
        page.locator("input[data-md-component=search-query]").press_sequentially(query, delay=10)
        results = page.locator(".md-search-result__item")
        results.first.wait_for(state="visible", timeout=15_000)
        assert self.violations()[before:] == [], f"{name}: search broke the policy: {self.violations()[before:]}"
        assert self.messages == [], f"{name}: console during search: {self.messages}"
        return int(results.count())
