"""`chronicle checksums`: the list of SHA-256 checksums of a kit, and its minisign signature.

A copy of the kit passes from hand to hand, so a reader must be able to tell it is the one the project published:
`SHA256SUMS` (the format `sha256sum -c` reads: `<64 hex>  <name>` per line, sorted by name) says what every file
must hash to, and `SHA256SUMS.minisig`, signed with the project's secret key, says the list itself came from the
project. minisign (Debian's package) signs: Ed25519 is deterministic, and the trusted comment we give it names the
kit's date and commit instead of the time of signing, so the same kit gives the same signature.

The secret key comes from the environment (`QANTAR_MINISIGN_KEY`: the key file's text; `QANTAR_MINISIGN_PASSWORD`
when the key is encrypted) and is written only to a private temporary file for minisign to read. When the site
publishes a public key (`docs/qantar.pub`), the new signature is verified with it, so a kit cannot be signed with
a key readers were not told about.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from .problems import plain_line

SUMS = "SHA256SUMS"
SIGNATURE = f"{SUMS}.minisig"
KEY_VARIABLE = "QANTAR_MINISIGN_KEY"
PASSWORD_VARIABLE = "QANTAR_MINISIGN_PASSWORD"
PUBLIC_KEY = Path("docs") / "qantar.pub"  # served on the site at /qantar.pub; its key id is the fingerprint
CHUNK = 1 << 20


class IntegrityError(Exception):
    """The kit cannot be summed or signed; the message says why and what to do."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """Options of `chronicle checksums`."""
    parser.add_argument("folder", nargs="?", type=Path, default=Path("dist"),
                        help="the kit's folder (default: %(default)s)")
    parser.add_argument("--public-key", type=Path, default=PUBLIC_KEY,
                        help="the published public key the signature must verify with (default: %(default)s)")
    parser.add_argument("--comment", default="",
                        help="the signature's trusted comment (default: the kit's files and their count)")


def run(args: argparse.Namespace) -> int:
    """`chronicle checksums`."""
    try:
        sums = write_checksums(args.folder)
        count = len(sums.read_text(encoding="utf-8").splitlines())
        print(f"{sums}: {count} files")
        key = os.environ.get(KEY_VARIABLE, "")
        stale = args.folder / SIGNATURE
        if not key.strip():
            stale.unlink(missing_ok=True)  # a signature of an earlier list would not verify
            print(f"no {KEY_VARIABLE} in the environment: {SUMS} is not signed")
            return 0
        comment = args.comment or f"qantar kit: {count} files"
        signature = sign(sums, key, os.environ.get(PASSWORD_VARIABLE, ""), comment)
        public = args.public_key if args.public_key.is_file() else None
        if public is not None:
            verify(sums, signature, public)
            print(f"{signature}: verified with {public}")
        else:
            print(f"{signature}: written; no public key at {args.public_key} to verify it with")
    except IntegrityError as exc:
        print(plain_line(f"chronicle checksums: {exc}"), file=sys.stderr)
        return 1
    return 0


def checksum_lines(folder: Path) -> list[str]:
    """`<sha256>  <name>` for every file of the kit, sorted by name (the list and its signature left out)."""
    if not folder.is_dir():
        raise IntegrityError(f"no folder {folder}: run `make offline` first")
    lines = []
    for path in sorted(folder.iterdir(), key=lambda p: p.name):
        if path.name in (SUMS, SIGNATURE) or path.name.startswith("."):
            continue
        if path.is_symlink() or not path.is_file():
            raise IntegrityError(f"{path} is not a plain file: a kit holds only files (remove it)")
        if "\n" in path.name or "\\" in path.name:
            raise IntegrityError(f"{path.name!r}: a file name with a line break or backslash cannot be listed")
        lines.append(f"{_sha256(path)}  {path.name}")
    if not lines:
        raise IntegrityError(f"{folder} holds no files")
    return lines


def write_checksums(folder: Path) -> Path:
    """Write `folder/SHA256SUMS` and return its path."""
    target = folder / SUMS
    target.write_text("".join(line + "\n" for line in checksum_lines(folder)), encoding="utf-8")
    return target


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _minisign() -> str:
    found = shutil.which("minisign")
    if found is None:
        raise IntegrityError("minisign is not installed (apt-get install minisign), so the kit cannot be signed")
    return found


def sign(sums: Path, secret_key: str, password: str, comment: str) -> Path:
    """Sign `sums` with minisign; the secret key's text is written only to a private temporary file."""
    if "\n" in comment or "\r" in comment:
        raise IntegrityError("the trusted comment must be one line")
    signature = sums.with_name(SIGNATURE)
    with tempfile.TemporaryDirectory(prefix="chronicle-sign-") as tmp:
        key_file = Path(tmp) / "secret.key"
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
            handle.write(secret_key.strip() + "\n")
        command = [_minisign(), "-S", "-s", str(key_file), "-m", str(sums), "-x", str(signature),
                   "-t", comment, "-c", "signature of the Qantar kit's SHA256SUMS"]
        result = subprocess.run(command, input=password + "\n", capture_output=True, text=True, timeout=120,
                                check=False)
    if result.returncode != 0 or not signature.is_file():
        # (minisign's own words: they never hold the key, only what went wrong with it)
        said = " ".join((result.stderr or result.stdout).split())[-300:]
        raise IntegrityError(f"minisign could not sign {sums.name} (exit {result.returncode}): {said}; check "
                             f"{KEY_VARIABLE} holds a minisign secret key and {PASSWORD_VARIABLE} its password")
    return signature


def verify(sums: Path, signature: Path, public_key: Path) -> None:
    """Check `signature` of `sums` with the published public key."""
    command = [_minisign(), "-V", "-q", "-p", str(public_key), "-m", str(sums), "-x", str(signature)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if result.returncode != 0:
        signature.unlink(missing_ok=True)
        said = " ".join((result.stderr or result.stdout).split())[-300:]
        raise IntegrityError(f"the new signature does not verify with the published key {public_key}: {said}; "
                             f"sign with the secret key of that public key, or publish the new public key")
