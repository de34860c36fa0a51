"""The EPUB of `chronicle export` (being written: see issue 16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def write_epub(config: Any, target: Path, *, epoch: int, commit: str | None) -> None:
    raise NotImplementedError
