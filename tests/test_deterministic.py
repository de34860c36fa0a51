"""Two builds of the same tree are byte-identical (with SOURCE_DATE_EPOCH set, as reproducible builds do)."""

from __future__ import annotations

from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

from conftest import ROOT

pytestmark = pytest.mark.build


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_two_builds_are_byte_identical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1641254400")  # 2022-01-04T00:00:00Z
    sites = [tmp_path / "first", tmp_path / "second"]
    for site in sites:
        build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site), strict=True))
    first, second = (_files(site) for site in sites)
    assert sorted(first) == sorted(second)
    assert "account/index.html" in first and "sitemap.xml.gz" in first
    assert [name for name in first if first[name] != second[name]] == []
    # The one timestamp MkDocs writes, in the gzip header of the sitemap, is SOURCE_DATE_EPOCH, not the clock.
    assert int.from_bytes(first["sitemap.xml.gz"][4:8], "little") == 1641254400
