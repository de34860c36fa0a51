"""Synthetic event sets for the benchmark: N events of ~150 words, 2–3 citations each, over pools of sources,
places and explanatory notes, written as a complete MkDocs project (mkdocs.yml, docs/, events/).

The text is deterministic (seeded) and valid: every paragraph cites a source, every source is cited, and no
two events share a place within an hour (so no "likely duplicate" warnings).
"""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

WORDS = (  # noqa: SIM905 - a sentence of words reads better than a list of strings
    "crowd police square street column protest official statement witness vehicle night morning "
    "internet shops smoke gunfire building residents reporters video footage city akimat airport "
    "market bridge road district convoy troops announcement curfew state emergency government "
    "ministry bank station hospital doctors injured detained released gathered moved marched").split()
EVENTS_PER_DAY = 20
FIRST_DAY = dt.date(2022, 1, 4)

MARKDOWN_EXTENSIONS = """\
markdown_extensions:
  - abbr
  - admonition
  - attr_list
  - footnotes
  - md_in_html
  - tables
  - toc:
      permalink: true
      permalink_title: Permanent link to this section
  - pymdownx.details
"""


# Above this many events the account is a page per day (the plugin's `account_split`): Material's search walks a
# page's table of contents for each heading, quadratic on one page of 10 000 sections.
ACCOUNT_SPLIT = 2000


def config(plugin: bool) -> str:
    """mkdocs.yml like the project's: Material with footnote tooltips, search, the same extensions."""
    plugins = "  - search\n" + (f"  - chronicle:\n      events_dir: events\n      account_split: {ACCOUNT_SPLIT}\n"
                                if plugin else "")
    return ("site_name: Bench\nsite_url: ''\nrepo_url: https://example.org/bench\nedit_uri: edit/main/docs/\n"
            "theme:\n  name: material\n  font: false\n  features:\n    - content.footnote.tooltips\n"
            f"plugins:\n{plugins}{MARKDOWN_EXTENSIONS}")


def _sentence(rng: random.Random, words: int) -> str:
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def generate(root: Path, n: int, seed: int = 1) -> Path:
    """Write a project with `n` events under `root`; return its mkdocs.yml."""
    rng = random.Random(seed)
    n_sources, n_places = max(10, n // 10), max(EVENTS_PER_DAY, min(200, n // 20))
    events = root / "events"
    events.mkdir(parents=True)
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Bench\n\nA synthetic account.\n", encoding="utf-8")
    (root / "mkdocs.yml").write_text(config(plugin=True), encoding="utf-8")
    sources = []
    for i in range(n_sources):
        day = FIRST_DAY + dt.timedelta(days=i % 30)
        sources.append(f"source-{i:05d}:\n  title: Report number {i}\n  publisher: Publisher {i % 37}\n"
                       f"  published: {day.isoformat()}\n  url: https://news{i % 37}.example.com/report/{i}\n"
                       f"  language: en\n  kind: reportage\n")
    (events / "sources.yml").write_text("".join(sources), encoding="utf-8")
    places = [f"place-{i:04d}:\n  name: Place {i}\n  coordinates: [{43.2 + i / 10000:.4f}, {76.9 + i / 10000:.4f}]\n"
              f"  coordinates_source: https://www.openstreetmap.org/node/{1000 + i}\n"
              for i in range(n_places)]
    (events / "places.yml").write_text("".join(places), encoding="utf-8")
    for i in range(n):
        day = FIRST_DAY + dt.timedelta(days=i // EVENTS_PER_DAY)
        slot = i % EVENTS_PER_DAY
        minutes = 7 * 60 + slot * 45  # 07:00 to 21:15, 45 minutes apart
        time = f"{minutes // 60:02d}:{minutes % 60:02d}"
        place = f"place-{(slot + i // EVENTS_PER_DAY) % n_places:04d}"
        cited = [f"source-{i % n_sources:05d}", f"source-{rng.randrange(n_sources):05d}"]
        if rng.random() < 0.5:
            cited.append(f"source-{rng.randrange(n_sources):05d}")
        note = rng.random() < 0.3
        first = " ".join(_sentence(rng, 12) for _ in range(3))
        second = " ".join(_sentence(rng, 12) for _ in range(3))
        third = " ".join(_sentence(rng, 15) for _ in range(3))
        body = (f"{first}[^{cited[0]}]\n\n{second}[^{cited[1]}]" + ("[^n1]" if note else "")
                + f"\n\n{third}[^{cited[-1]}][^{cited[0]}]\n")
        if note:
            body += f"\n[^n1]: {_sentence(rng, 10)}\n"
        front = (f"---\ntitle: Event {i} at {place}\ndate: {day.isoformat()}\ntime: \"{time}\"\nplace: {place}\n"
                 f"actors: [Actor {i}]\nstatus: {rng.choice(['observed', 'reported', 'official-claim'])}\n---\n")
        name = f"{day.isoformat()}-{minutes // 60:02d}{minutes % 60:02d}-event-{i}.md"
        (events / name).write_text(front + body, encoding="utf-8")
    return root / "mkdocs.yml"
