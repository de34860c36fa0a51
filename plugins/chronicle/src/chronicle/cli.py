"""The `chronicle` command: check the events without building the site, scaffold events, export."""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from .chronicle import load_chronicle, settings_from
from .problems import CODES, ChronicleError, Problem, plain_line, visible
from .render import pages_from
from .verify import check_bodies, check_published, markdown_settings

# Each command lives in its own module with `add_arguments(parser)` and `run(args) -> int`.
COMMANDS = {
    "check": ("chronicle.cli", "validate events, sources and places; exit 1 on errors"),
    "export": ("chronicle.export", "write the offline kit of one edition to dist/: site zip, single HTML files, PDF, "
                                   "ZIM and EPUB"),
    "new": ("chronicle.scaffold", "start a new event file from a few answers or flags"),
    "schema": ("chronicle.jsonschema", "write the JSON Schema files for editors (schemas/)"),
    "archive": ("chronicle.archive", "ask the Internet Archive to capture the sources without a capture; record each"),
    "links": ("chronicle.links", "ask for every source's live and archived addresses; exit 1 if one is dead"),
    "checksums": ("chronicle.integrity", "write SHA256SUMS of the kit (dist/); sign it when a key is given"),
    "stage": ("chronicle.stage", "write every page and a config that builds the site without this plugin"),
}


def main(argv: list[str] | None = None) -> int:
    """Entry point of the console script."""
    parser = argparse.ArgumentParser(prog="chronicle", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        module = importlib.import_module(module_name)
        sub = commands.add_parser(name, help=help_text, description=help_text)
        module.add_arguments(sub)
        sub.set_defaults(run=module.run)
    args = parser.parse_args(argv)
    result: int = args.run(args)
    return result


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `chronicle check`."""
    add_config_argument(parser)
    parser.add_argument("--events-dir", type=Path, help="events folder (default: from the config file, else events)")


def add_config_argument(parser: argparse.ArgumentParser) -> None:
    """The `-f mkdocs.yml` option that every command shares."""
    parser.add_argument("-f", "--config-file", default="mkdocs.yml", type=Path,
                        help="mkdocs.yml whose 'chronicle' plugin settings to use (default: %(default)s)")


def run(args: argparse.Namespace) -> int:
    """`chronicle check`."""
    return _check(args.config_file, args.events_dir)


def events_folder(config_file: Path, options: dict[str, Any] | None = None) -> Path:
    """The events folder the plugin's `events_dir` names, relative to mkdocs.yml (for every command)."""
    options = plugin_options(config_file) if options is None else options
    base = config_file.parent if config_file.is_file() else Path(".")
    return base / str(options.get("events_dir", "events"))


def _check(config_file: Path, events_dir: Path | None) -> int:
    options = plugin_options(config_file)
    folder = events_dir or events_folder(config_file, options)
    if not folder.is_dir():
        print(plain_line(f"chronicle: no events folder at {folder}"), file=sys.stderr)
        return 2
    settings = settings_from(options)
    data = _mkdocs_yml(config_file)
    extensions, configs = markdown_settings(data.get("markdown_extensions") or [])
    try:
        chronicle = load_chronicle(folder, settings)
    except ChronicleError as exc:
        problems = sorted({*exc.problems, *check_bodies(getattr(exc, "events", []), extensions, configs)})
        report(problems)
        print(f"{len(problems)} problem(s) found", file=sys.stderr)
        return 1
    # What would be published, rendered as the site renders it and read against the allow-list.
    docs = config_file.parent / str(data.get("docs_dir", "docs")) if config_file.is_file() else None
    published = check_published(chronicle, pages_from(options), folder, docs, extensions, configs)
    if published:
        report(published)
        print(f"{len(published)} problem(s) found in what would be published", file=sys.stderr)
        return 1
    report(chronicle.warnings + chronicle.notices)
    print(f"{len(chronicle.events)} events, {len(chronicle.sources)} sources, {len(chronicle.places)} places: ok")
    return 0


def report(problems: list[Problem]) -> None:
    """Print problems for people, and under GitHub Actions also as annotations on the pull request's diff."""
    annotate = os.environ.get("GITHUB_ACTIONS") == "true"
    for problem in problems:
        print(plain_line(str(problem)), file=sys.stderr)
        if annotate:
            print(github_annotation(problem))


def github_annotation(problem: Problem, root: Path | None = None) -> str:
    """A workflow command that GitHub shows on the line of the file.

    The file is named relative to the repository (`root`, default $GITHUB_WORKSPACE, else the current folder), as
    GitHub expects, and every value is escaped as the runner unescapes it, so contributor text in the path or the
    message stays inside its property and on this one line.
    """
    def escape(text: str, prop: bool = False) -> str:
        text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
        return text.replace(":", "%3A").replace(",", "%2C") if prop else text

    if root is None:
        root = Path(os.environ.get("GITHUB_WORKSPACE") or ".")
    try:
        path = problem.path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        path = problem.path.resolve().as_posix()
    level = "warning" if problem.warning else "error"
    # CR and LF in a file name still reach GitHub (as %0D and %0A); other controls show as escapes. The line starts
    # with "::", so the runner never reads it with the older "##[" syntax: the name needs no more.
    file = visible(escape(path, True))
    title = f",title=chronicle {problem.code}" if problem.code in CODES else ""  # (a code of ours: plain words)
    return f"::{level} file={file},line={problem.line}{title}::{escape(plain_line(problem.message))}"


class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml, whose `!!python/name` and `!ENV` tags we do not need, as plain data."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def _mkdocs_yml(config_file: Path) -> dict[str, Any]:
    if not config_file.is_file():
        return {}
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_AnyTagLoader) or {}
    return data if isinstance(data, dict) else {}


def plugin_options(config_file: Path) -> dict[str, Any]:
    """The `chronicle` entry of the `plugins` list in mkdocs.yml, if any."""
    data = _mkdocs_yml(config_file)
    plugins = data.get("plugins") or []
    if isinstance(plugins, dict):  # MkDocs also accepts `plugins:` as a mapping of name to options
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins:
        if isinstance(entry, dict) and "chronicle" in entry:
            return dict(entry["chronicle"] or {})
    return {}



if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
