"""Atomic writes: a reader never sees a half-written file or directory.

Files are written to a temporary name beside the destination and renamed over it; they end up with the
ordinary permissions ``0644`` minus the umask (``mkstemp`` alone would leave ``0600``).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator


@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; rename it onto ``dest`` on success."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        if tmp_path.exists():
            os.chmod(tmp_path, FILE_MODE & ~_umask())
        os.replace(tmp_path, dest)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


FILE_MODE = 0o644


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_bytes(dest: Path, data: bytes) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_bytes(data)


def write_text(dest: Path, text: str) -> None:
    with atomic_path(dest) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_json(dest: Path, obj: Any) -> None:
    write_text(dest, json.dumps(obj, indent=2, sort_keys=True, default=str) + "\n")


def write_jsonl(dest: Path, rows: list[dict]) -> None:
    write_text(dest, "".join(json.dumps(r, sort_keys=True, default=str) + "\n" for r in rows))


@contextmanager
def atomic_dir(dest: Path) -> Iterator[Path]:
    """Yield a temporary directory beside ``dest``; rename it onto ``dest`` on success.

    ``dest`` must not exist yet (a finished directory is never replaced).
    """
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent))
    try:
        yield tmp
        os.replace(tmp, dest)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
