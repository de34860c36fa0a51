"""Benchmark: hostile event bodies at 50, 100 and 200 KB, through our scan and through Python-Markdown.

`chronicle.citations.scan` (references, definitions, fences and code spans) is linear (tests/test_linear.py
checks it); Python-Markdown, which renders the same text afterwards, is not always. The figures say what size
limit an event file needs so that one contributor cannot stall a build (an event is normally 1-3 KB).

Usage: `.venv/bin/python bench/pathological.py [--sizes 50,100,200] [--timeout 120] [--only NAME]`. Each
Python-Markdown run happens in a child process, stopped after `--timeout` seconds (shown as `>N`).
"""

from __future__ import annotations

import argparse
import multiprocessing
import time
from collections.abc import Callable

import markdown

from chronicle.citations import scan


def _sized(unit: str, size: int) -> str:
    return (unit * (size // len(unit) + 1))[:size]


_PROSE = ("Protesters gathered in the square before noon, according to two reports.[^alpha-2022-01-05] "
          "Police closed the avenue an hour later.[^beta-2022-01-06][^n1]\n\n")
_NOTE = "[^n1]: The second report gives the time as 13:10.\n\n"

CASES: dict[str, Callable[[int], str]] = {
    "ordinary prose (baseline)": lambda n: _sized(_PROSE, n - len(_NOTE)) + "\n\n" + _NOTE,
    "'[^' repeated": lambda n: _sized("[^", n),
    "'[^x' + 'a' * n": lambda n: "[^x" + "a" * (n - 3),
    "lines of ' [^'": lambda n: _sized(" [^\n", n),
    "lines of '[^a' (labels over lines)": lambda n: _sized("[^a\n", n),
    "'`a``b```c' repeated": lambda n: _sized("`a``b```c", n),
    "backticks only": lambda n: "`" * n,
    "long unclosed backtick run": lambda n: "`" * (n // 2) + "a" * (n - n // 2),
    "backtick runs of growing length": lambda n: _sized("".join("`" * k + "a" for k in range(1, 2000)), n),
    "'```\\n' repeated": lambda n: _sized("```\n", n),
    "unclosed fences": lambda n: _sized("````\n```\n~~~\n", n),
    "last line of backticks": lambda n: "x\n" + "`" * (n - 2),
}


def _scan_seconds(text: str) -> float:
    start = time.perf_counter()
    scan(text)
    return time.perf_counter() - start


def _markdown(text: str, out: multiprocessing.Queue[float]) -> None:
    start = time.perf_counter()
    markdown.markdown(text, extensions=["chronicle.footnotes"])
    out.put(time.perf_counter() - start)


def _markdown_seconds(text: str, timeout: float) -> float | None:
    """Seconds Python-Markdown takes over `text`, or None when stopped at `timeout`."""
    out: multiprocessing.Queue[float] = multiprocessing.Queue()
    child = multiprocessing.Process(target=_markdown, args=(text, out))
    child.start()
    child.join(timeout)
    if child.is_alive():
        child.terminate()
        child.join()
        return None
    return out.get() if child.exitcode == 0 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="50,100,200", help="sizes in KB, comma-separated")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before a Markdown run is stopped")
    parser.add_argument("--only", default="", help="only the cases whose name contains this")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",")]
    print(f"{'input':38} {'KB':>4} {'scan s':>8} {'Markdown s':>11}")
    for name, make in CASES.items():
        if options.only not in name:
            continue
        for size in sizes:
            text = make(size * 1000)
            seconds = _markdown_seconds(text, options.timeout)
            shown = f">{options.timeout:.0f}" if seconds is None else f"{seconds:.3f}"
            print(f"{name:38} {size:>4} {_scan_seconds(text):>8.4f} {shown:>11}", flush=True)


if __name__ == "__main__":
    main()
