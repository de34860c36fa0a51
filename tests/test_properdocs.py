"""MkDocs 1.x is unmaintained; ProperDocs is a drop-in fork. The site must build identically under both."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.build

GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def _build(tool: str, site: Path) -> None:
    executable = Path(sys.executable).parent / tool
    if not executable.exists():
        found = shutil.which(tool)
        if found is None:
            pytest.fail(f"{tool} is not installed: run 'make test', which installs requirements-test.txt")
        executable = Path(found)
    env = {**os.environ, "SOURCE_DATE_EPOCH": "1641254400", "NO_MKDOCS_2_WARNING": "1"}
    subprocess.run([str(executable), "build", "--strict", "--quiet", "--site-dir", str(site)], cwd=ROOT, env=env,
                   check=True)


def test_mkdocs_and_properdocs_build_the_same_pages(tmp_path: Path) -> None:
    _build("mkdocs", tmp_path / "mkdocs")
    _build("properdocs", tmp_path / "properdocs")
    ours = sorted(p.relative_to(tmp_path / "mkdocs") for p in (tmp_path / "mkdocs").rglob("*") if p.is_file())
    theirs = sorted(p.relative_to(tmp_path / "properdocs") for p in (tmp_path / "properdocs").rglob("*")
                    if p.is_file())
    assert ours == theirs
    assert any(str(p) == "account/index.html" for p in ours)
    differing = []
    for relative in ours:
        a = (tmp_path / "mkdocs" / relative).read_bytes()
        b = (tmp_path / "properdocs" / relative).read_bytes()
        if relative.suffix == ".html":  # each names itself in <meta name="generator">; nothing else may differ
            a, b = GENERATOR.sub(b"", a), GENERATOR.sub(b"", b)
        if a != b:
            differing.append(str(relative))
    assert differing == []
