"""Benchmark: what the chronicle plugin costs next to MkDocs' own rendering, at growing sizes.

For each N it generates a synthetic project (bench/generate.py) in a temporary folder and times, each in a
fresh process so peak memory is per build:

- full: `mkdocs build` with the plugin (which renders footnotes with `chronicle.footnotes`);
- plugin: the plugin's own time inside that build (load + validate, then assemble the pages);
- allow-list: the check of every rendered page against the allow-list (part of the full build, not of 'plugin');
- staged: what `chronicle stage` writes (the same pages, data and config, without the plugin), built by plain
  MkDocs: the plugin's whole cost is full / staged (target ≤ 1.05 at N = 1 000 and 10 000);
- floor: the same pages with every citation and note removed: what rendering the words alone costs;
- preview (N = 1 000, and the real account): a second build in the same process after editing one event, as
  `mkdocs serve` does (target for the real account: under 1 s).

Linearity: full(10 000) ≤ 10.5 × full(1 000), printed at the end.

Usage: `make bench`, or `.venv/bin/python bench/bench.py [--sizes 100,1000,10000] [--repeat 3]`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import ACCOUNT_SPLIT, MARKDOWN_EXTENSIONS, generate  # noqa: E402 - after the path is set

_DEFINITION = re.compile(r"^\[\^[^\]\s]+\]:[^\n]*\n", re.M)
_REFERENCE = re.compile(r"\[\^[^\]\s]+\]")


def child(mode: str, config_file: str, site_dir: str) -> dict[str, float]:
    """One build (two for `preview`) in this process; the figures as a dict."""
    import logging

    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    logging.getLogger("mkdocs").setLevel(logging.WARNING)
    start = time.perf_counter()
    config = load_config(config_file, site_dir=site_dir)
    build(config)
    result: dict[str, float] = {"wall": time.perf_counter() - start}
    plugin = config.plugins.get("chronicle")
    if plugin is not None:
        timings = getattr(plugin, "timings", {})
        result["load"], result["assemble"] = timings.get("load", 0.0), timings.get("assemble", 0.0)
        result["allow-list"] = timings.get("allow-list", 0.0)
    if mode == "preview" and plugin is not None:
        events = Path(config_file).parent / "events"
        edited = sorted(events.glob("*.md"))[len(list(events.glob("*.md"))) // 2]
        text = edited.read_text(encoding="utf-8")
        cited = re.search(r"\[\^([a-z0-9-]+)\](?!:)", text.split("\n---\n", 1)[1])
        assert cited is not None, edited
        edited.write_text(text + f"\nOne more sentence.[^{cited[1]}]\n", encoding="utf-8")
        start = time.perf_counter()
        config = load_config(config_file, site_dir=site_dir)  # what `mkdocs serve` does on a change
        build(config, serve_url="http://127.0.0.1:8000/")
        result["rebuild"] = time.perf_counter() - start
        plugin = config.plugins["chronicle"]
        result["rebuild_load"] = plugin.timings["load"]
        result["rebuild_assemble"] = plugin.timings["assemble"]
        result["parsed"] = plugin.cache.parsed
        result["unread"] = plugin.cache.reused
        result["hashed"] = plugin.cache.hashed
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return result


def run(mode: str, config_file: Path, site_dir: Path) -> dict[str, float]:
    """`child` in a fresh interpreter."""
    shutil.rmtree(site_dir, ignore_errors=True)
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": "1641254400"}
    out = subprocess.run([sys.executable, __file__, "--child", mode, str(config_file), str(site_dir)],
                         check=True, capture_output=True, text=True, env=env, cwd=config_file.parent)
    figures: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return figures


def plain_project(root: Path, pages: dict[str, str], footnotes: str) -> Path:
    """A project of the given pages with no plugin, rendering footnotes with `footnotes`."""
    (root / "docs").mkdir(parents=True)
    for uri, content in pages.items():
        (root / "docs" / uri).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / uri).write_text(content, encoding="utf-8")
    config = ("site_name: Bench\nsite_url: ''\nrepo_url: https://example.org/bench\nedit_uri: edit/main/docs/\n"
              "theme:\n  name: material\n  font: false\n  features:\n    - content.footnote.tooltips\n"
              "plugins:\n  - search\n" + MARKDOWN_EXTENSIONS.replace("  - footnotes\n", f"  - {footnotes}\n"))
    (root / "mkdocs.yml").write_text(config, encoding="utf-8")
    return root / "mkdocs.yml"


def assembled(project: Path) -> dict[str, str]:
    """The pages the plugin generates for `project`, computed with the core (no MkDocs), plus docs/."""
    from chronicle import load_chronicle
    from chronicle.data import render_data
    from chronicle.render import Pages, render_pages

    chronicle = load_chronicle(project / "events")
    pages = Pages(edit_url=lambda path: f"https://example.org/bench/edit/main/events/{path.name}",
                  account_split=ACCOUNT_SPLIT)
    out = {p.name: p.read_text(encoding="utf-8") for p in (project / "docs").glob("*.md")}
    out.update(render_pages(chronicle, pages))
    out.update({f"data/{name}": text for name, text in render_data(chronicle, "account/").items()})
    return out


def staged_project(project: Path, out: Path) -> Path:
    """`chronicle stage` of `project`: the same pages and config, without the plugin (what the plugin's whole
    cost is measured against)."""
    from chronicle.stage import CONFIG_NAME, stage

    problems = stage(project / "mkdocs.yml", out)
    if problems:
        raise SystemExit(f"stage failed: {problems[:3]}")
    return out / CONFIG_NAME


def measure(n: int, repeat: int, work: Path) -> dict[str, dict[str, float]]:
    """Every figure for one N (the fastest of `repeat` runs of each build)."""
    root = work / f"n{n}"
    config = generate(root / "project", n)
    pages = assembled(root / "project")
    staged = staged_project(root / "project", root / "staged")
    floor = {uri: _REFERENCE.sub("", _DEFINITION.sub("", text)) if uri.endswith(".md") else text
             for uri, text in pages.items()}
    floor_config = plain_project(root / "floor", floor, "footnotes")
    builds = {"full": ("full", config), "staged": ("plain", staged), "floor": ("plain", floor_config)}
    results: dict[str, dict[str, float]] = {}
    for name, (mode, config_file) in builds.items():
        runs = []
        for i in range(repeat):
            _progress(f"N={n}: {name} build {i + 1}/{repeat}")
            runs.append(run(mode, config_file, root / "site"))
        # The best of the runs: other work on the machine only ever adds time. Memory: the largest.
        best = min(runs, key=lambda r: r["wall"])
        results[name] = {**best, "peak_mb": max(r["peak_mb"] for r in runs)}
    if n == 1000:
        _progress(f"N={n}: preview (a build, then one edited event rebuilt)")
        results["preview"] = run("preview", config, root / "site")
    shutil.rmtree(root, ignore_errors=True)
    return results


def table(n: int, r: dict[str, dict[str, float]]) -> str:
    full, floor, staged = r["full"], r["floor"]["wall"], r["staged"]["wall"]
    plugin = full["load"] + full["assemble"]
    rows = [
        ("full build (plugin on)", f"{full['wall']:.2f} s", f"{full['wall'] / staged:.2f}× staged (target ≤ 1.05); "
                                                            f"{full['wall'] / floor:.2f}× floor"),
        ("  plugin's own time", f"{plugin:.2f} s", f"{100 * plugin / full['wall']:.1f}% of full "
                                                   f"(load+validate {full['load']:.2f} s, assemble "
                                                   f"{full['assemble']:.2f} s)"),
        ("  allow-list check of every rendered page", f"{full.get('allow-list', 0.0):.2f} s",
         f"{100 * full.get('allow-list', 0.0) / full['wall']:.1f}% of full (nh3 over each page, twice)"),
        ("staged: chronicle stage's pages, plain mkdocs build", f"{staged:.2f} s", f"{staged / floor:.2f}× floor"),
        ("floor: same prose, no citations or notes", f"{floor:.2f} s", "1.00× floor"),
        ("peak memory, full / staged / floor", f"{full['peak_mb']:.0f} MB",
         f"{r['staged']['peak_mb']:.0f} MB / {r['floor']['peak_mb']:.0f} MB"),
    ]
    if "preview" in r:
        p = r["preview"]
        rows.append(("preview: rebuild after editing one event", f"{p['rebuild']:.2f} s",
                     f"plugin {p['rebuild_load'] + p['rebuild_assemble']:.2f} s; {p['parsed']:.0f} file parsed, "
                     f"{p['hashed']:.0f} hashed, {p['unread']:.0f} not read"))
    width = max(len(label) for label, _, _ in rows)
    lines = [f"N = {n:,} events".replace(",", " ")]
    lines += [f"  {label:<{width}}  {value:>9}  {note}" for label, value, note in rows]
    return "\n".join(lines)


def _progress(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _cpu() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return f"{line.split(':', 1)[1].strip()} × {os.cpu_count()}"
    except OSError:
        pass
    return f"{platform.processor() or platform.machine()} × {os.cpu_count()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="100,1000,10000", help="comma-separated numbers of events (empty: only the preview)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per build below N = 10 000 (the fastest counts)")
    parser.add_argument("--no-preview", dest="preview", action="store_false",
                        help="skip the preview of the real account")
    parser.add_argument("--child", nargs=3, metavar=("MODE", "CONFIG", "SITE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(*args.child)))
        return 0
    import markdown
    import material
    import mkdocs

    print(f"CPU: {_cpu()}; Python {platform.python_version()}; MkDocs {mkdocs.__version__}, "
          f"Material {material.__version__}, Python-Markdown {markdown.__version__}; load average "
          f"{os.getloadavg()[0]:.1f} at start", flush=True)
    ratios: dict[int, dict[str, float]] = {}
    with tempfile.TemporaryDirectory(prefix="chronicle-bench-") as tmp:
        for n in (int(s) for s in args.sizes.split(",") if s.strip()):
            results = measure(n, args.repeat if n < 10_000 else 1, Path(tmp))
            print(table(n, results), flush=True)
            full = results["full"]
            ratios[n] = {"full": full["wall"], "plugin": full["load"] + full["assemble"],
                         "staged": results["staged"]["wall"], "floor": results["floor"]["wall"]}
    if 1000 in ratios and 10_000 in ratios:
        a, b = ratios[1000], ratios[10_000]
        print("Growth from N = 1 000 to 10 000 (target: full ≤ ×10.5): " + ", ".join(
            f"{name} ×{b[name] / a[name]:.1f}" for name in ("full", "plugin", "staged", "floor")))
    if args.preview:
        print(preview_of_the_site(), flush=True)
    return 0


def preview_of_the_site() -> str:
    """The rebuild `mkdocs serve` makes after one event of the real account is edited (in a copy of it)."""
    root = HERE.parent
    with tempfile.TemporaryDirectory(prefix="chronicle-preview-") as tmp:
        copy = Path(tmp) / "site-copy"
        for name in ("events", "docs", "overrides"):
            shutil.copytree(root / name, copy / name)
        shutil.copy(root / "mkdocs.yml", copy / "mkdocs.yml")
        _progress("the real account: preview (a build, then one edited event rebuilt)")
        best = min((run("preview", copy / "mkdocs.yml", copy / "site") for _ in range(3)),
                   key=lambda r: r["rebuild"])
    return (f"Preview of the real account: the rebuild after one edited event takes {best['rebuild']:.2f} s "
            f"(target < 1 s), of which the plugin {best['rebuild_load'] + best['rebuild_assemble']:.2f} s and the "
            f"allow-list its part of the rest; the first build {best['wall']:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
