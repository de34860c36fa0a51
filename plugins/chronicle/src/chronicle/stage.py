"""`chronicle stage`: the whole site as plain Markdown pages, and a config that builds it without this plugin.

MkDocs 1.x is unmaintained, Material for MkDocs ends its life in 2027, and Zensical, the successor, has no plugin
API: run on the site's own mkdocs.yml it ignores the plugin and publishes a site without the account. Staged, the
account does not depend on any one generator: `DIR/docs/` holds every generated page (account, timeline, sources,
places, corrections), the data files, the hand-written pages and their assets, and `DIR/mkdocs.yml` is the site's
config without the `chronicle` plugin (its Markdown extensions kept, by import name), in strict mode, so that a
build that loses a page fails instead of passing. The plugin's `on_files` calls `generated_files` too: one path.

Nothing is staged from content that fails the checks the plugin makes (`chronicle check`): a generator building
the staged folder runs none of them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import yaml

from .chronicle import Chronicle, load_chronicle, settings_from
from .data import render_data
from .editions import edition_docs
from .events import Event
from .problems import ChronicleError, Problem
from .render import Pages, event_page, paged, pages_from, render_pages
from .tree import DOCS_FILES, walk

CONFIG_NAME = "mkdocs.yml"


def generated_files(chronicle: Chronicle, pages: Pages, data_dir: str, site_url: str = "",
                    use_directory_urls: bool = True) -> dict[str, str]:
    """Every file the plugin adds to the site, by its path in the docs: the pages, then the data exports, whose
    links to events are absolute with a `site_url`, else relative to the data folder."""
    files = dict(render_pages(chronicle, pages))
    folder = "/".join(part for part in data_dir.split("/") if part)
    split = paged(chronicle, pages)

    def event_url(event: Event) -> str:
        return account_url(site_url, page_url(event_page(split, event), use_directory_urls), data_dir) + "#" + event.id

    files.update({f"{folder}/{name}": text for name, text in render_data(chronicle, event_url).items()})
    return files


def page_url(uri: str, use_directory_urls: bool = True) -> str:
    """The address MkDocs gives the page `uri` ("account.md" -> "account/" or "account.html")."""
    stem = uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/" if use_directory_urls else stem + ".html"


def account_url(site_url: str, account_path: str, data_dir: str) -> str:
    """The account's address as the data files give it: absolute with a site_url, else relative to the data."""
    if site_url:
        return site_url.rstrip("/") + "/" + account_path
    depth = len([part for part in data_dir.split("/") if part])
    return "../" * depth + account_path


def edit_urls(repo_url: str | None, edit_uri: str | None, edit_uri_template: str | None, docs_dir: Path
              ) -> Callable[[Path], str | None]:
    """The URL that edits a repository file, as MkDocs makes it for a page: `repo_url` joined with `edit_uri` and
    the file's path relative to the docs folder, or with `edit_uri_template` (`{path}`, `{path_noext}`). Each
    folder is resolved once (resolving costs a system call per part of the path)."""
    folders: dict[Path, str] = {}
    docs = docs_dir.resolve()

    def relative(path: Path) -> str:
        if path.parent not in folders:
            folders[path.parent] = Path(os.path.relpath(path.parent.resolve(), docs)).as_posix()
        return f"{folders[path.parent]}/{path.name}".removeprefix("./")

    def edit_url(path: Path) -> str | None:
        if not repo_url or not (edit_uri or edit_uri_template):
            return None
        if edit_uri_template:
            rel = relative(path)
            return urljoin(repo_url.rstrip("/") + "/", edit_uri_template.format(
                path=rel, path_noext=rel.rsplit(".", 1)[0]))
        return urljoin(repo_url.rstrip("/") + "/", (edit_uri or "").lstrip("/") + relative(path))

    return edit_url


class _AnyTag(yaml.SafeLoader):
    """Reads mkdocs.yml and records any tag (`!ENV`, `!!python/name:`), which a staged copy could not carry."""

    tags: list[str]


def _remember_tag(loader: _AnyTag, suffix: str, node: yaml.Node) -> None:
    loader.tags.append(node.tag)


_AnyTag.add_multi_constructor("", _remember_tag)


def read_config(config_file: Path, depth: int = 0) -> tuple[dict[str, Any], list[Problem]]:
    """mkdocs.yml as plain data, with the config it names in `INHERIT` merged in as MkDocs merges it (mappings
    key by key, anything else replaced); a config with YAML tags cannot be staged as it is."""
    data, problems = _read_one(config_file)
    if problems or "INHERIT" not in data:
        return data, problems
    name = data.pop("INHERIT")
    parent = config_file.parent / str(name)
    inside = parent.resolve().is_relative_to(config_file.parent.resolve())
    if not isinstance(name, str) or not inside or parent.is_symlink() or not parent.is_file() or depth >= 4:
        return {}, [Problem(config_file, 1, f"INHERIT: {str(name)!r} must name a config file in this folder (not a "
                                            "link, at most four deep)", code="config")]
    base, problems = read_config(parent, depth + 1)
    return (_merged(base, data), []) if not problems else ({}, problems)


def _merged(base: dict[str, Any], child: dict[str, Any]) -> dict[str, Any]:
    merged = dict(base)
    for key, value in child.items():
        both = isinstance(value, dict) and isinstance(merged.get(key), dict)
        merged[key] = _merged(merged[key], value) if both else value
    return merged


def _read_one(config_file: Path) -> tuple[dict[str, Any], list[Problem]]:
    loader = _AnyTag(config_file.read_text(encoding="utf-8"))
    loader.tags = []
    try:
        data = loader.get_single_data() or {}
    finally:
        loader.dispose()
    if loader.tags:
        return {}, [Problem(config_file, 1, f"{config_file.name} uses the YAML tag {loader.tags[0]}: a staged "
                                            "config cannot carry it; write the value itself", code="config")]
    if not isinstance(data, dict):
        return {}, [Problem(config_file, 1, f"{config_file.name} is not a mapping of settings", code="config")]
    return data, []


def _plugins_without_chronicle(plugins: Any) -> tuple[list[Any], dict[str, Any]]:
    """The site's plugins without ours, and ours' options."""
    entries = [{k: v} for k, v in plugins.items()] if isinstance(plugins, dict) else list(plugins or [])
    kept, options = [], {}
    for entry in entries:
        name = entry if isinstance(entry, str) else next(iter(entry), None) if isinstance(entry, dict) else None
        if name == "chronicle":
            options = dict(entry["chronicle"] or {}) if isinstance(entry, dict) else {}
        else:
            kept.append(entry)
    return kept, options


def stage(config_file: Path, out: Path) -> list[Problem]:
    """Write the staged site for `config_file` into `out`; the problems that stop it (nothing is written then)."""
    from .verify import check_published, edition_markdown, markdown_settings

    data, problems = read_config(config_file)
    if problems:
        return problems
    root = config_file.parent
    plugins, options = _plugins_without_chronicle(data.get("plugins"))
    events = root / str(options.get("events_dir", "events"))
    docs = root / str(data.get("docs_dir", "docs"))
    extensions, configs = markdown_settings(data.get("markdown_extensions") or [])
    edit_url = edit_urls(data.get("repo_url"), data.get("edit_uri"), data.get("edit_uri_template"), docs)
    pages = pages_from(options, edit_url=edit_url)
    try:
        chronicle = load_chronicle(events, settings_from(options))
    except ChronicleError as exc:
        return list(exc.problems)
    problems = check_published(chronicle, pages, events, docs, extensions, configs)
    listing = walk(docs, DOCS_FILES)
    problems += listing.problems
    data_dir = str(options.get("data_dir", "data"))
    files = generated_files(chronicle, pages, data_dir, str(data.get("site_url") or ""),
                            bool(data.get("use_directory_urls", True)))
    # This edition's hand-written pages: their translations where there are (as the plugin reads them), the
    # others with the notice that they are in English; the language folders are not pages of their own.
    edition = edition_docs(docs, listing.files, pages.language)
    hidden = set(edition.hidden)
    hand_written = {uri: edition.translated.get(uri, path) for path in listing.files
                    if (uri := path.relative_to(docs).as_posix()) not in hidden}
    problems += [Problem(docs / uri, 1, f"{uri} is generated by the chronicle plugin: remove docs/{uri} or change "
                                        "the plugin's page setting",
                         code="generated-page") for uri in sorted(files.keys() & hand_written)]
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else None
    custom = root / str(theme["custom_dir"]) if theme and theme.get("custom_dir") else None
    overrides = walk(custom) if custom is not None else None
    if overrides is not None:
        problems += overrides.problems
    if problems:
        return sorted(set(problems))
    staging = out / f".staging-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    for uri, path in hand_written.items():
        content = path.read_bytes()
        if uri in edition.untranslated:
            content = _with_notice(content.decode("utf-8"), pages).encode("utf-8")
        _write(staging / "docs" / uri, content)
    for uri, text in files.items():
        _write(staging / "docs" / uri, text.encode("utf-8"))
    configs = {name: {key: _PythonName(f"{v.__module__}.{v.__name__}") if callable(v) else v
                      for key, v in values.items()}
               for name, values in edition_markdown(configs, pages.language).items()}
    config = {**data, "docs_dir": "docs", "site_dir": "site", "plugins": plugins or ["search"],
              "markdown_extensions": [{name: configs[name]} if configs.get(name) else name for name in extensions],
              "strict": True}  # a link to a page the build lost (the account) fails it, in any generator
    config["validation"] = data.get("validation") or {"nav": {"omitted_files": "info", "not_found": "warn"},
                                                      "links": {"not_found": "warn", "anchors": "warn"}}
    if overrides is not None and custom is not None and theme is not None:
        for path in overrides.files:
            _write(staging / "overrides" / path.relative_to(custom), path.read_bytes())
        config["theme"] = {**theme, "custom_dir": "overrides"}
    header = (f"# Staged by `chronicle stage` from {config_file.name}: the site without the chronicle plugin.\n"
              "# Do not edit: edit the events and the site's own config, and stage again.\n")
    _write(staging / CONFIG_NAME, (header + yaml.dump(config, Dumper=_Dumper, allow_unicode=True,
                                                       sort_keys=False)).encode())
    for name in ("docs", "overrides", CONFIG_NAME):  # swap in whole, so a build never sees half a staging
        target = out / name
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        if (staging / name).exists():
            (staging / name).rename(target)
    shutil.rmtree(staging, ignore_errors=True)
    return []


class _PythonName(str):
    """A function the staged config names (`!!python/name:module.function`, as MkDocs reads it): the toc slugify
    of an edition in another language than English. The only tag a staged config writes, and it is ours."""


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(_PythonName, lambda dumper, value: dumper.represent_scalar(
    f"tag:yaml.org,2002:python/name:{value}", ""))


def _with_notice(text: str, pages: Pages) -> str:
    """A hand-written page with the notice that this edition shows it in English, after its front matter."""
    from .render import UNTRANSLATED_CLASS, admonition
    from .verify import front_matter_end

    words = pages.words
    notice = "\n".join(admonition("note", words.untranslated_title, [words.untranslated_page],
                                  classes=UNTRANSLATED_CLASS)) + "\n\n"
    lines = text.split("\n")
    close = front_matter_end(lines)
    if close is None:
        return notice + text
    return "\n".join(lines[: close + 1]) + "\n" + notice + "\n".join(lines[close + 1:])


def _write(path: Path, content: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)


def _snapshot(folders: list[Path]) -> dict[Path, tuple[int, int]]:
    """Every file under `folders` with its modification time and size: what a change is seen by."""
    seen: dict[Path, tuple[int, int]] = {}
    for folder in folders:
        for path in walk(folder, plain_names=False).files:
            try:
                stat = path.stat()
            except OSError:
                continue
            seen[path] = (stat.st_mtime_ns, stat.st_size)
    return seen


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `chronicle stage`."""
    from .cli import add_config_argument

    add_config_argument(parser)
    parser.add_argument("--out", type=Path, required=True, help="folder to write the staged site into")
    parser.add_argument("--watch", action="store_true", help="stage again whenever a file of the events or the docs "
                                                             "changes (Ctrl-C stops)")
    parser.add_argument("--interval", type=float, default=0.5, help=argparse.SUPPRESS)


def run(args: argparse.Namespace) -> int:
    """`chronicle stage`."""
    from .cli import report

    config_file: Path = args.config_file
    if not config_file.is_file():
        print(f"chronicle stage: no config file at {config_file}", file=sys.stderr)
        return 2
    out: Path = args.out
    if out.resolve() == config_file.parent.resolve() or config_file.parent.resolve().is_relative_to(out.resolve()):
        print("chronicle stage: --out must be a folder of its own, not the project or one above it", file=sys.stderr)
        return 2
    out.mkdir(parents=True, exist_ok=True)

    def once() -> int:
        problems = stage(config_file, out)
        if problems:
            report(problems)
            print(f"{len(problems)} problem(s) found: nothing staged", file=sys.stderr)
            return 1
        print(f"staged into {out}: build it with 'mkdocs build -f {out / CONFIG_NAME}' (or zensical build)")
        return 0

    result = once()
    if not args.watch:
        return result
    data, _ = read_config(config_file)
    _, options = _plugins_without_chronicle(data.get("plugins"))
    root = config_file.parent
    # The events folder whole (sources.yml, places.yml and days.yml too), the docs, and the config itself.
    watched = [root / str(options.get("events_dir", "events")), root / str(data.get("docs_dir", "docs"))]
    before = {**_snapshot(watched), config_file: (config_file.stat().st_mtime_ns, 0)}
    try:
        while True:
            time.sleep(args.interval)
            now = {**_snapshot(watched), config_file: (config_file.stat().st_mtime_ns, 0)}
            if now != before:
                before = now
                once()
    except KeyboardInterrupt:
        return 0
