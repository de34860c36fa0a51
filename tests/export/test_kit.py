"""The shutdown kit of every edition, as `make offline` writes it: each language's files, its phone file under
1 MB in the language's own words, its ZIM and EPUB accepted by zimcheck and epubcheck, and SHA256SUMS over the
whole kit that `sha256sum -c` verifies."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from bs4 import BeautifulSoup

from chronicle.cli import main
from chronicle.integrity import SUMS

from .conftest import Export
from .test_export_epub import epubcheck_command
from .test_export_zim import tool, zimcheck_checks

pytestmark = pytest.mark.build


def test_every_edition_has_its_files_and_a_phone_file_under_a_megabyte_in_its_language(
        exported: Export, editions: dict[str, Export]) -> None:
    for language, kit in {"en": exported, **editions}.items():
        for path in (kit.zip, kit.html, kit.phone, kit.zim, kit.epub):
            assert path.is_file() and path.stat().st_size > 0, path.name
        size = kit.phone.stat().st_size
        print(f"\n{kit.phone.name}: {size:,} bytes; {kit.html.name}: {kit.html.stat().st_size:,}; "
              f"{kit.zim.name}: {kit.zim.stat().st_size:,}; {kit.epub.name}: {kit.epub.stat().st_size:,}")
        assert size < 1_000_000, f"{kit.phone.name} is {size:,} bytes"
        soup = BeautifulSoup(kit.phone.read_text(encoding="utf-8"), "html.parser")
        assert soup.html["lang"] == language
        assert soup.find(id="chronicle-days") is not None


def test_the_kits_checksums_verify_and_a_changed_byte_fails_them(editions: dict[str, Export]) -> None:
    folder = editions["kk"].folder
    assert main(["checksums", str(folder)]) == 0
    listed = [line.split("  ", 1)[1] for line in (folder / SUMS).read_text(encoding="utf-8").splitlines()]
    assert listed == sorted(p.name for p in folder.iterdir() if p.name != SUMS and not p.name.startswith("."))
    if shutil.which("sha256sum") is None:
        pytest.skip("no sha256sum")
    assert subprocess.run(["sha256sum", "-c", SUMS], cwd=folder, capture_output=True).returncode == 0
    copy = folder.parent / "altered"
    shutil.copytree(folder, copy)
    phone = copy / editions["kk"].phone.name
    data = bytearray(phone.read_bytes())
    data[len(data) // 2] ^= 1
    phone.write_bytes(bytes(data))
    checked = subprocess.run(["sha256sum", "-c", SUMS], cwd=copy, capture_output=True, text=True)
    assert checked.returncode == 1 and f"{phone.name}: FAILED" in checked.stdout


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_zimcheck_and_epubcheck_accept_the_russian_and_kazakh_files(editions: dict[str, Export],
                                                                   language: str) -> None:
    kit = editions[language]
    zimcheck = tool("zimcheck")
    checked = subprocess.run([zimcheck, *zimcheck_checks(zimcheck), str(kit.zim)], capture_output=True, text=True,
                             timeout=300)
    assert checked.returncode == 0 and "Overall Test Status: Pass" in checked.stdout, checked.stdout + checked.stderr
    checked = subprocess.run([*epubcheck_command(), str(kit.epub)], capture_output=True, text=True, timeout=600,
                             env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert checked.returncode == 0 and "No errors or warnings detected" in checked.stdout + checked.stderr, (
        checked.stdout + checked.stderr)
