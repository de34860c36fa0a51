"""The event cache `mkdocs serve` keeps between rebuilds: only an edited file is read and parsed again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from chronicle import ChronicleError, load_chronicle
from chronicle.events import EventCache

from conftest import Writer, event


def _age(folder: Path, seconds: int = 60) -> None:
    """Date every file in the past, as files are when an author edits one of many."""
    past = time.time() - seconds
    for path in folder.iterdir():
        os.utime(path, (past, past))


def test_only_the_edited_file_is_parsed_again(events_dir: Writer) -> None:
    folder = events_dir({f"2022-01-04-{h}00-e{h}.md": event(f"Event {h}", time=f"{h}:00") for h in range(10, 15)})
    _age(folder)
    cache = EventCache()
    first = load_chronicle(folder, cache=cache)
    assert (cache.parsed, cache.hashed, cache.reused) == (5, 0, 0)
    again = load_chronicle(folder, cache=cache)
    assert (cache.parsed, cache.hashed, cache.reused) == (0, 0, 5)
    assert [e.title for e in again.events] == [e.title for e in first.events]
    (folder / "2022-01-04-1200-e12.md").write_text(event("Edited", time="12:00"), encoding="utf-8")
    edited = load_chronicle(folder, cache=cache)
    assert (cache.parsed, cache.reused) == (1, 4)
    assert [e.title for e in edited.events] == ["Event 10", "Event 11", "Edited", "Event 13", "Event 14"]


def test_touched_but_unchanged_file_is_hashed_not_parsed(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-a.md": event()})
    _age(folder, 120)
    cache = EventCache()
    load_chronicle(folder, cache=cache)
    _age(folder, 60)  # a new modification time, the same bytes
    load_chronicle(folder, cache=cache)
    assert (cache.parsed, cache.hashed, cache.reused) == (0, 1, 0)


def test_recently_written_file_is_hashed_again(events_dir: Writer) -> None:
    """Two writes within the file system's timestamp granularity can leave the time unchanged: check the bytes."""
    folder = events_dir({"2022-01-04-1800-a.md": event("Before")})
    cache = EventCache()
    load_chronicle(folder, cache=cache)
    path = folder / "2022-01-04-1800-a.md"
    stat = path.stat()
    path.write_text(event("After!"), encoding="utf-8")  # same size, and forced to the same modification time
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert [e.title for e in load_chronicle(folder, cache=cache).events] == ["After!"]


def test_deleted_and_renamed_files_leave_the_cache(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-a.md": event("A"), "2022-01-04-1900-b.md": event("B", time="19:00")})
    cache = EventCache()
    load_chronicle(folder, cache=cache)
    (folder / "2022-01-04-1800-a.md").unlink()
    (folder / "2022-01-04-1900-b.md").rename(folder / "2022-01-04-1900-c.md")
    assert [e.id for e in load_chronicle(folder, cache=cache).events] == ["2022-01-04-1900-c"]
    assert len(cache._entries) == 1


def test_problems_are_reported_again_from_the_cache(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-a.md": event(status="rumour")})
    _age(folder)
    cache = EventCache()
    messages = []
    for _ in range(2):
        with pytest.raises(ChronicleError) as caught:
            load_chronicle(folder, cache=cache)
        messages.append([str(p) for p in caught.value.problems])
    assert messages[0] == messages[1] and any("unknown status 'rumour'" in m for m in messages[0])
    assert cache.reused == 1


def test_registries_are_parsed_again_only_when_their_bytes_change(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-a.md": event()})
    cache = EventCache()
    calls: list[Path] = []

    def counting(path: Path) -> tuple[dict[str, str], list[object]]:
        calls.append(path)
        return {"text": path.read_text(encoding="utf-8")}, []

    sources = folder / "sources.yml"
    first, _ = cache.registry(sources, counting)
    again, _ = cache.registry(sources, counting)
    assert len(calls) == 1 and again == first
    again["text"] = "changed by a caller"  # callers get their own copy: the cached one stays as read
    assert cache.registry(sources, counting)[0] == first
    sources.write_text(sources.read_text(encoding="utf-8") + "\n# edited\n", encoding="utf-8")
    edited, _ = cache.registry(sources, counting)
    assert len(calls) == 2 and edited["text"].endswith("# edited\n")


def test_an_edited_source_title_reaches_the_next_load(events_dir: Writer) -> None:
    folder = events_dir({"2022-01-04-1800-a.md": event()})
    cache = EventCache()
    before = load_chronicle(folder, cache=cache)
    key = next(iter(before.sources))
    sources = folder / "sources.yml"
    text = sources.read_text(encoding="utf-8")
    title = before.sources[key].title
    sources.write_text(text.replace(title, "A retitled source", 1), encoding="utf-8")
    assert load_chronicle(folder, cache=cache).sources[key].title == "A retitled source"


def test_compiled_templates_are_kept_for_the_next_build() -> None:
    """MkDocs makes a new Jinja environment for every build; the plugin's bytecode cache spares recompiling the theme,
    and a template whose source changed is compiled again."""
    from jinja2 import DictLoader, Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files

    from chronicle.plugin import ChroniclePlugin

    plugin = ChroniclePlugin()
    sources = {"page.html": "<p>{{ title }}</p>"}

    def environment() -> Environment:
        env = Environment(loader=DictLoader(sources))
        return plugin.on_env(env, config=MkDocsConfig(), files=Files([]))  # type: ignore[no-any-return]

    assert environment().get_template("page.html").render(title="a") == "<p>a</p>"
    assert plugin.bytecode.code
    second = environment()
    compiled: list[str] = []
    original = second.compile
    second.compile = lambda *a, **k: compiled.append("again") or original(*a, **k)  # type: ignore[method-assign]
    assert second.get_template("page.html").render(title="b") == "<p>b</p>" and compiled == []
    sources["page.html"] = "<h1>{{ title }}</h1>"
    third = environment()
    assert third.get_template("page.html").render(title="c") == "<h1>c</h1>"
