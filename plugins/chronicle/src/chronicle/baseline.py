"""The sources already published: the keys of `sources.yml` at a git ref (the pull request's base).

A source new in a pull request must come with an archived copy, or say `archive_status: pending` so the
scheduled archive run captures it: a link added today may be gone by the time anyone looks. Which sources are
new is what the base branch does not have; git holds that, so it is read from git, inside the repository.
"""

from __future__ import annotations

import os
import re
import subprocess
from pathlib import Path

import yaml

ENVIRONMENT = "CHRONICLE_BASE_REF"  # the pull-request workflow sets it to the base branch (origin/main)
# A branch, tag or commit name as git writes them; never an option (`--output=...`) or a path outside the ref.
_REF = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/-]{0,199}")


class BaselineError(Exception):
    """The base ref's sources could not be read: the check asked for cannot be made."""


def base_ref(option: str | None) -> str:
    """The ref to compare against: the environment's, else the plugin option's, else "" (no comparison)."""
    return (os.environ.get(ENVIRONMENT) or option or "").strip()


def published_source_keys(sources_file: Path, ref: str) -> frozenset[str]:
    """The source keys in `sources_file` as it stands at `ref` (empty when the file is new there)."""
    if not _REF.fullmatch(ref) or ".." in ref:
        raise BaselineError(f"base ref {ref!r} is not a branch, tag or commit name")
    folder = sources_file.parent
    try:
        top = subprocess.run(["git", "-C", str(folder), "rev-parse", "--show-toplevel"], capture_output=True,
                             text=True, timeout=30, check=True).stdout.strip()
        relative = sources_file.resolve().relative_to(Path(top).resolve()).as_posix()
        subprocess.run(["git", "-C", top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"],
                       capture_output=True, timeout=30, check=True)
        shown = subprocess.run(["git", "-C", top, "show", f"{ref}:{relative}"], capture_output=True, text=True,
                               timeout=60)
    except (OSError, ValueError, subprocess.SubprocessError) as exc:
        raise BaselineError(f"cannot read {sources_file.name} at {ref!r} with git ({type(exc).__name__}): fetch "
                            "the base branch (actions/checkout with fetch-depth: 0), or unset the base ref") from exc
    if shown.returncode != 0:
        return frozenset()  # the ref exists but has no such file: every source is new
    data = yaml.safe_load(shown.stdout)
    return frozenset(str(key) for key in data) if isinstance(data, dict) else frozenset()
