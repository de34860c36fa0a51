"""The folders a contributor writes into (`events/`, `docs/`), walked without ever leaving them.

A pull request can add a symbolic link that points anywhere on the machine that builds the site (its
environment, its keys, the repository's own configuration), a file name that carries line breaks into every
log line that names it, or a file large enough to stall the build. Each is refused with the file named: links
are never followed, names must be printable, and each kind of file has a size limit.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from .problems import Problem

# Bytes. An event is normally 1-3 kB (the longest is 2.3 kB); the limits leave room for many times that while
# bounding the work of every parser that reads it (Python-Markdown is not linear on every input: see
# bench/pathological.py).
SIZE_LIMITS = {".md": 32 * 1024, ".yml": 1024 * 1024, ".yaml": 1024 * 1024}
DEFAULT_LIMIT = 8 * 1024 * 1024  # anything else in docs/ (images, stylesheets)
_NAME_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-")
_UNPRINTABLE = {*map(chr, range(32)), "\x7f", *map(chr, range(0x80, 0xA0)), "\u2028", "\u2029", "\u200e", "\u200f",
                *map(chr, range(0x202A, 0x202F)), *map(chr, range(0x2066, 0x206A)), "\ufeff"}


@dataclass(frozen=True)
class Listing:
    """The regular files under a folder (sorted), and the problems met on the way."""

    files: list[Path]
    problems: list[Problem]


# What each folder may hold. A page of HTML, a script or an SVG image in docs/ would be published as it is, on
# the site's own origin, beside the checked pages (and the Content-Security-Policy trusts that origin).
EVENT_FILES = frozenset({".md", ".yml", ".yaml"})
# (".pub": the kit's minisign public key, `docs/qantar.pub`, served as it is)
DOCS_FILES = frozenset({".md", ".css", ".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".txt", ".pub"})


def walk(folder: Path, allowed: frozenset[str] | None = None, *, plain_names: bool = True) -> Listing:
    """Every regular file under `folder`, never following a link; links, bad names, big files and (with `allowed`)
    kinds of file other than those are problems. With `plain_names` off, names are only checked for control
    characters (the caller checks them more strictly itself, with a message of its own)."""
    files: list[Path] = []
    problems: list[Problem] = []
    if folder.is_symlink():
        return Listing([], [Problem(folder, 1, "this folder is a symbolic link: the site reads only files inside "
                                               "the repository; make it a real folder", code="tree")])
    for root, dirs, names in os.walk(folder, followlinks=False):
        base = Path(root)
        for name in sorted(dirs):
            path = base / name
            problem = _name_problem(path, plain_names) or link_problem(path)
            if problem:
                problems.append(problem)
                dirs.remove(name)
        dirs.sort()
        for name in sorted(names):
            path = base / name
            problem = _name_problem(path, plain_names) or link_problem(path)
            if problem:
                problems.append(problem)
                continue
            problem = size_problem(path)
            if allowed is not None and path.suffix.lower() not in allowed:
                problem = Problem(path, 1, f"a '{path.suffix or name}' file may not be published from here: this "
                                           f"folder holds only {', '.join(sorted(allowed))} files", code="tree")
            if problem:
                problems.append(problem)
                continue
            if path.is_file():
                files.append(path)
    return Listing(files, problems)


def _name_problem(path: Path, plain: bool = True) -> Problem | None:
    name = path.name
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        return Problem(path.parent / repr(name)[1:-1], 1, "file name is not UTF-8: rename it", code="file-name")
    if any(c in _UNPRINTABLE for c in name):
        return Problem(path.parent / repr(name)[1:-1], 1, "file name holds a line break or another control or "
                                                          "direction character: rename it", code="file-name")
    if plain and ((not name[:1].isalnum() and name[:1] not in "._") or any(c not in _NAME_CHARS for c in name)):
        # A page's file name becomes its address and, without a heading, its title in the theme's navigation.
        return Problem(path, 1, "file name may use only letters, digits, '.', '_' and '-': rename it", code="file-name")
    return None


def size_problem(path: Path) -> Problem | None:
    """A file over the size limit for its kind (or one that cannot be looked at)."""
    try:
        size = path.lstat().st_size
    except FileNotFoundError:
        return None
    except OSError as exc:
        return Problem(path, 1, f"cannot read this file ({exc.strerror})", code="tree")
    limit = SIZE_LIMITS.get(path.suffix.lower(), DEFAULT_LIMIT)
    if size > limit:
        return Problem(path, 1, f"file is {size:,} bytes, over the limit of {limit:,} for a "
                                f"'{path.suffix or 'plain'}' file: split it or make it smaller", code="tree")
    return None


def link_problem(path: Path) -> Problem | None:
    if path.is_symlink():
        return Problem(path, 1, "symbolic links are not allowed: the site reads only files inside the "
                                "repository; replace the link with the file itself", code="tree")
    return None
