"""Read members straight out of a cached wheel (zip) or sdist (tar).

Nothing is installed, imported, unpickled or evaluated: members are returned as
bytes and parsed by :mod:`study.external.formats`.
"""

from __future__ import annotations

import fnmatch
import tarfile
import zipfile
from pathlib import Path

from study.errors import DataError
from study.external.fetch import resolve_cache_dir
from study.external.sources import get_source


def archive_path(source_name: str, cache: Path | str | None = None) -> Path:
    source = get_source(source_name)
    root = resolve_cache_dir(cache)
    path = root / source.filename
    if not path.is_file():
        raise DataError(
            f"external data {source_name!r} ({source.pin}) is not in the cache {root}; "
            f"run `study data fetch {source_name}`"
        )
    return path


def _is_tar(path: Path) -> bool:
    return path.name.endswith((".tar.gz", ".tgz", ".tar"))


def member_names(source_name: str, cache: Path | str | None = None) -> list[str]:
    path = archive_path(source_name, cache)
    try:
        if _is_tar(path):
            with tarfile.open(path) as tar:
                return [m.name for m in tar.getmembers() if m.isfile()]
        with zipfile.ZipFile(path) as zf:
            return [n for n in zf.namelist() if not n.endswith("/")]
    except (zipfile.BadZipFile, tarfile.TarError, OSError) as exc:
        raise DataError(f"{path}: unreadable archive ({exc}); delete it and run `study data fetch {source_name}`") from exc


def resolve_members(source_name: str, pattern: str, cache: Path | str | None = None) -> list[str]:
    """Member paths matching ``pattern`` (an exact path or a glob), sorted; none is an error."""
    names = member_names(source_name, cache)
    found = sorted(n for n in names if fnmatch.fnmatchcase(n, pattern))
    if not found:
        source = get_source(source_name)
        raise DataError(
            f"{source.filename}: no member matches {pattern!r}; the archive is not the pinned {source.pin} layout, "
            f"delete it and run `study data fetch {source_name}`"
        )
    return found


def read_member(source_name: str, member: str, cache: Path | str | None = None) -> bytes:
    path = archive_path(source_name, cache)
    try:
        if _is_tar(path):
            with tarfile.open(path) as tar:
                handle = tar.extractfile(member)
                if handle is None:
                    raise KeyError(member)
                return handle.read()
        with zipfile.ZipFile(path) as zf:
            return zf.read(member)
    except KeyError:
        raise DataError(
            f"{path.name}: member {member!r} is missing; delete the archive and run `study data fetch {source_name}`"
        ) from None
    except (zipfile.BadZipFile, tarfile.TarError, OSError) as exc:
        raise DataError(f"{path}: unreadable archive ({exc}); delete it and run `study data fetch {source_name}`") from exc
