"""`chronicle checksums`: SHA256SUMS that `sha256sum -c` accepts, and a minisign signature that verifies with the
published key, the same bytes each time, refused with the wrong key or a key readers were not given."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from chronicle.cli import main
from chronicle.integrity import KEY_VARIABLE, PASSWORD_VARIABLE, SIGNATURE, SUMS, IntegrityError, checksum_lines

from chromium import unavailable
from conftest import ROOT


def kit(folder: Path) -> Path:
    folder.mkdir()
    (folder / "qantar.html").write_text("<!DOCTYPE html><p>account</p>\n", encoding="utf-8")
    (folder / "qantar-kk.epub").write_bytes(bytes(range(256)) * 100)
    (folder / ".qantar.zim.partial").write_bytes(b"half")  # an export's leftover: not part of the kit
    return folder


def keypair(folder: Path, password: str = "") -> tuple[str, Path]:
    """A throwaway minisign key pair: the secret key's text and the public key's file."""
    if shutil.which("minisign") is None:
        unavailable("minisign is not installed (apt-get install minisign)")
    secret, public = folder / "k.key", folder / "k.pub"
    flags = [] if password else ["-W"]
    subprocess.run(["minisign", "-G", *flags, "-s", str(secret), "-p", str(public)], input=f"{password}\n{password}\n",
                   capture_output=True, text=True, check=True)
    return secret.read_text(encoding="utf-8"), public


def test_checksums_list_every_file_and_sha256sum_accepts_them(tmp_path: Path) -> None:
    folder = kit(tmp_path / "dist")
    assert main(["checksums", str(folder)]) == 0
    lines = (folder / SUMS).read_text(encoding="utf-8").splitlines()
    assert [line.split("  ")[1] for line in lines] == ["qantar-kk.epub", "qantar.html"]
    if shutil.which("sha256sum"):
        assert subprocess.run(["sha256sum", "-c", SUMS], cwd=folder, capture_output=True).returncode == 0
        (folder / "qantar.html").write_text("<!DOCTYPE html><p>altered</p>\n", encoding="utf-8")
        assert subprocess.run(["sha256sum", "-c", SUMS], cwd=folder, capture_output=True).returncode == 1


def test_a_kit_with_a_link_in_it_is_refused(tmp_path: Path) -> None:
    folder = kit(tmp_path / "dist")
    (folder / "passwd").symlink_to("/etc/passwd")
    with pytest.raises(IntegrityError, match="not a plain file"):
        checksum_lines(folder)


# (an encrypted key costs minisign seconds of key derivation at each use: those cases are `slow`)
@pytest.mark.parametrize("password", ["", pytest.param("correct horse", marks=pytest.mark.slow)])
def test_the_signature_verifies_with_the_published_key_and_is_the_same_each_time(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, password: str) -> None:
    secret, public = keypair(tmp_path, password)
    folder = kit(tmp_path / "dist")
    monkeypatch.setenv(KEY_VARIABLE, secret)
    monkeypatch.setenv(PASSWORD_VARIABLE, password)
    assert main(["checksums", str(folder), "--public-key", str(public), "--comment", "qantar v1"]) == 0
    first = (folder / SIGNATURE).read_bytes()
    checked = subprocess.run(["minisign", "-V", "-p", str(public), "-m", str(folder / SUMS)], capture_output=True,
                             text=True)
    assert checked.returncode == 0 and "Trusted comment: qantar v1" in checked.stdout
    assert main(["checksums", str(folder), "--public-key", str(public), "--comment", "qantar v1"]) == 0
    assert (folder / SIGNATURE).read_bytes() == first


def test_a_key_that_is_not_the_published_one_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    secret, _ = keypair(tmp_path / "a")
    _, published = keypair(tmp_path / "b")
    folder = kit(tmp_path / "dist")
    monkeypatch.setenv(KEY_VARIABLE, secret)
    assert main(["checksums", str(folder), "--public-key", str(published)]) == 1
    assert "does not verify with the published key" in capsys.readouterr().err
    assert not (folder / SIGNATURE).exists()


@pytest.mark.slow
def test_a_wrong_password_says_so_without_the_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    secret, public = keypair(tmp_path, "right")
    folder = kit(tmp_path / "dist")
    monkeypatch.setenv(KEY_VARIABLE, secret)
    monkeypatch.setenv(PASSWORD_VARIABLE, "wrong")
    assert main(["checksums", str(folder), "--public-key", str(public)]) == 1
    err = capsys.readouterr().err
    assert "minisign could not sign" in err and secret.splitlines()[-1] not in err


def test_without_a_key_the_list_is_written_and_an_old_signature_removed(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    folder = kit(tmp_path / "dist")
    (folder / SIGNATURE).write_text("stale", encoding="utf-8")
    monkeypatch.delenv(KEY_VARIABLE, raising=False)
    assert main(["checksums", str(folder)]) == 0
    assert (folder / SUMS).is_file() and not (folder / SIGNATURE).exists()


KEY_PAGES = ("README.md", "docs/verify.md", "docs/ru/verify.md", "docs/kk/verify.md")
KEY_PLACE = "[//]: # (public-key)"


def test_the_published_public_key_is_the_same_everywhere_readers_look() -> None:
    """README and the verify page of each edition show the key of docs/qantar.pub (or, before there is one,
    keep the marked place for it): a change of key has to change every one of them, in one reviewed change."""
    key = ROOT / "docs" / "qantar.pub"
    texts = {page: (ROOT / page).read_text(encoding="utf-8") for page in KEY_PAGES}
    if not key.exists():
        assert all(KEY_PLACE in text for text in texts.values())
        return
    comment, line = key.read_text(encoding="utf-8").splitlines()[:2]
    key_id = comment.rsplit(" ", 1)[-1]
    assert line.startswith("RW") and len(line) == 56
    for page, text in texts.items():
        assert line in text and key_id in text, f"{page} does not show the key of docs/qantar.pub"
