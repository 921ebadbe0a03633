"""Read a validation set's rows out of its pinned archive (no install, no import, no pickle).

PyRIT's CSVs open with ``#`` comment lines (dataset version, notes) before the
header; only those leading lines are dropped, since responses may contain
lines starting with ``#`` (code). A row id is a content hash of
(request, response), so the same pair gets the same id, and the same
tuning/reporting part, in every set that contains it.

An archive that is missing, unreadable or not the pinned layout, or a row
without a usable label, raises one :class:`~study.errors.DataError` naming the
set, the archive and the member; nothing is half-read.
"""

from __future__ import annotations

import csv
import hashlib
import io
from dataclasses import dataclass, field
from pathlib import Path

from study.errors import DataError
from study.external.archive import read_member, resolve_members
from study.external.sources import get_source
from study.validation.sets import ValidationSet, get_set


@dataclass(frozen=True)
class LabelledResponse:
    """One human-labelled (request, response) pair; ``label`` True = the set's positive class."""

    id: str
    set: str
    request: str
    response: str
    label: bool
    meta: dict = field(default_factory=dict)


def content_id(request: str, response: str) -> str:
    return hashlib.sha256(f"{request}\0{response}".encode("utf-8")).hexdigest()[:16]


def positive_of(rule: str, value: float) -> bool:
    if rule == "eq1":
        return value == 1.0
    if rule.startswith("ge"):
        return value >= float(rule[2:])
    raise ValueError(f"unknown positive rule {rule!r}")


def _table(data: bytes, where: str) -> list[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{where}: not UTF-8 text ({exc.reason} at byte {exc.start}); the archive is not the pinned "
                        "layout") from None
    lines = text.splitlines(keepends=True)
    start = 0
    while start < len(lines) and lines[start].lstrip().startswith("#"):
        start += 1
    try:
        return list(csv.DictReader(io.StringIO("".join(lines[start:]), newline="")))
    except csv.Error as exc:
        raise DataError(f"{where}: malformed CSV ({exc})") from None


def _label(row: dict[str, str], column: str) -> float:
    """The row's label value; several rater columns (``human_score_1``, ``_2``...) are averaged."""
    keys = [k for k in row if k == column or (k or "").startswith(column + "_")]
    values = [row[k] for k in keys if row.get(k) not in (None, "")]
    if not values:
        raise ValueError("no label")
    return sum(float(v) for v in values) / len(values)


def _categorical(row: dict[str, str], vs: ValidationSet) -> bool | None:
    """The row's class from a categorical label column; None = a value the set excludes."""
    mapping = dict(vs.label_values)
    value = (row.get(vs.label_column) or "").strip()
    if value not in mapping:
        raise ValueError(value)
    return mapping[value]


def load_set(name: str | ValidationSet, cache: Path | str | None = None) -> list[LabelledResponse]:
    """All rows of a validation set, in archive order, duplicates (same request and response) dropped."""
    vs = get_set(name) if isinstance(name, str) else name
    filename = get_source(vs.source).filename
    out: list[LabelledResponse] = []
    seen: set[str] = set()
    members = [m for pattern in vs.members for m in resolve_members(vs.source, pattern, cache)]
    for member in members:
        where = f"validation set {vs.name!r}: {filename}:{member}"
        rows = _table(read_member(vs.source, member, cache), where)
        columns = (vs.request_column, vs.response_column, vs.label_column)
        if not rows or any(c not in rows[0] for c in columns[:2]):
            raise DataError(f"{where}: expected columns {', '.join(columns)}; "
                            f"delete the archive and run `study data fetch {vs.source}`")
        for n, row in enumerate(rows, start=2):
            request, response = row.get(vs.request_column), row.get(vs.response_column)
            try:
                value = _label(row, vs.label_column) if not vs.label_values else _categorical(row, vs)
            except (ValueError, TypeError):
                raise DataError(f"{where}: data row {n - 1} has no valid {vs.label_column!r}; the archive is not "
                                f"the pinned layout (run `study data fetch {vs.source}`)") from None
            if not isinstance(request, str) or not isinstance(response, str) or not response.strip():
                raise DataError(f"{where}: data row {n - 1} lacks {vs.request_column}/{vs.response_column} text")
            if value is None:
                continue
            rid = content_id(request, response)
            if rid in seen:
                continue
            seen.add(rid)
            category = row.get("harm_category") or row.get("type") or member.rsplit("/", 1)[-1].split(".", 1)[0]
            label = value if isinstance(value, bool) else positive_of(vs.positive, value)
            out.append(LabelledResponse(rid, vs.name, request, response, label,
                                        {"member": member, "category": category, "value": float(value)}))
    if not out:
        raise DataError(f"validation set {vs.name!r}: {filename} has no rows")
    return out
