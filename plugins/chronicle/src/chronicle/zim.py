"""The ZIM file of `chronicle export` (being written: see issue 16)."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def zim_book(config: Any, name: str, epoch: int) -> Any:
    raise NotImplementedError


def write_zim(site: Path, target: Path, book: Any) -> None:
    raise NotImplementedError
