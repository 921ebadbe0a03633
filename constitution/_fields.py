"""Field checks for hand-written data entries, each failing with a one-line DataError.

Every message has the shape ``<file>: <entry>: <problem>; <fix>`` so a user can
find the line to edit without reading a traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from study.errors import DataError

KEBAB_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def data_error(source: Path | str, where: str, problem: str, fix: str) -> DataError:
    return DataError(f"{source}: {where}: {problem}; {fix}")


def require_mapping(value: Any, source: Path | str, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise data_error(source, where, f"expected a mapping of fields, got {type(value).__name__}",
                         "write the entry as 'key: value' pairs")
    return value


def check_keys(entry: Mapping[str, Any], required: Iterable[str], source: Path | str, where: str) -> None:
    """Every required key present, no unknown key (a misspelt key is a missing one)."""
    required = tuple(required)
    for key in required:
        if key not in entry:
            raise data_error(source, where, f"missing field {key!r}",
                             f"add {key!r} (required fields: {', '.join(required)})")
    unknown = sorted(str(k) for k in entry if k not in required)
    if unknown:
        raise data_error(source, where, f"unknown field(s) {', '.join(map(repr, unknown))}",
                         f"remove them or fix the spelling (allowed: {', '.join(required)})")


def require_text(entry: Mapping[str, Any], key: str, source: Path | str, where: str) -> str:
    value = entry[key]
    if not isinstance(value, str):
        raise data_error(source, where, f"field {key!r} must be a string, got {type(value).__name__}",
                         f"quote the value of {key!r}")
    if not value.strip():
        raise data_error(source, where, f"field {key!r} is empty", f"give {key!r} a non-empty text")
    return value.strip()


def require_id(entry: Mapping[str, Any], key: str, source: Path | str, where: str) -> str:
    value = require_text(entry, key, source, where)
    if not KEBAB_ID.match(value):
        raise data_error(source, where, f"{key} {value!r} is not kebab-case",
                         "use lowercase letters, digits and single hyphens, e.g. 'admit-uncertainty'")
    return value


def entry_label(kind: str, entry: Any, index: int, id_key: str = "id") -> str:
    """'principle 'x'' when the entry has a usable id, else 'principle #3' (1-based)."""
    if isinstance(entry, Mapping) and isinstance(entry.get(id_key), str) and entry[id_key].strip():
        return f"{kind} {entry[id_key].strip()!r} (#{index + 1})"
    return f"{kind} #{index + 1}"
