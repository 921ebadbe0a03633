"""The fixed tuning/reporting split of every validation set, decided before any score was looked at.

A row goes to ``reporting`` when sha256(SPLIT_SEED, row id) falls in the lower
half of the hash range, else to ``tuning``. Ids are content hashes, so the
split depends only on the text, never on row order, file or set: a pair that
occurs in two sets is in the same part in both (no leakage across sets).
Graders are tuned and trained only on ``tuning`` parts; every figure the
report and README quote comes from ``reporting`` parts.
"""

from __future__ import annotations

import hashlib
from typing import Sequence, TypeVar

SPLIT_SEED = "grader-validity-2026-12-02"
REPORTING_SHARE = 0.5
PARTS = ("tuning", "reporting")

T = TypeVar("T")


def part_of(row_id: str, seed: str = SPLIT_SEED) -> str:
    h = int(hashlib.sha256(f"{seed}\0{row_id}".encode()).hexdigest()[:8], 16) / 16 ** 8
    return "reporting" if h < REPORTING_SHARE else "tuning"


def split_rows(rows: Sequence[T], part: str, seed: str = SPLIT_SEED) -> list[T]:
    if part not in PARTS:
        raise ValueError(f"part must be one of {PARTS}, got {part!r}")
    return [r for r in rows if part_of(r.id, seed) == part]
