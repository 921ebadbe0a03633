"""Labelled validation sets for the offline graders, their dev/test split and metrics.

``refusal.jsonl`` rows: ``{"id", "prompt", "response", "label": "refused"|"complied", "case"}``.
``rubric.jsonl`` rows: ``{"id", "scenario", "prompt", "rubric": [...], "good", "bad", "response",
"label": "good"|"bad", "case"}``; ``good``/``bad`` are reference answers distinct from ``response``.

The split is fixed and content-free: within each ``case`` the rows (refusal) or
scenarios (rubric; both answers of a scenario stay together) are ordered by
sha256 of their id and dealt alternately to dev and test (cases taken in sorted
order, the starting half flipping after each odd-sized case so the halves stay
balanced). Adding rows to a case can move rows of that case and of later cases
between halves: after adding rows, re-tune on dev before quoting test figures.
Thresholds are tuned on dev only; figures are reported on test.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from study.errors import DataError
from study.graders._types import GradeRequest

DATA_DIR = Path(__file__).resolve().parents[1] / "data" / "labelled"
HALVES = ("dev", "test")

_SCHEMAS = {
    "refusal": ({"id": str, "prompt": str, "response": str, "label": str, "case": str}, ("refused", "complied")),
    "rubric": ({"id": str, "scenario": str, "prompt": str, "rubric": list, "good": str, "bad": str,
                "response": str, "label": str, "case": str}, ("good", "bad")),
}


def load_labelled(kind: str, path: Path | str | None = None) -> list[dict[str, Any]]:
    """Read and validate ``<kind>.jsonl``; every mistake names the file and line."""
    if kind not in _SCHEMAS:
        raise DataError(f"unknown labelled set {kind!r}; use one of {sorted(_SCHEMAS)}")
    path = Path(path) if path else DATA_DIR / f"{kind}.jsonl"
    if not path.is_file():
        raise DataError(f"{path}: labelled file not found; pass an existing JSONL path")
    fields, labels = _SCHEMAS[kind]
    rows, seen = [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise DataError(f"{path}:{n}: invalid JSON ({exc.msg}); fix the line") from None
        if not isinstance(row, dict):
            raise DataError(f"{path}:{n}: expected a JSON object")
        for key, typ in fields.items():
            if not isinstance(row.get(key), typ):
                raise DataError(f"{path}:{n}: field {key!r} missing or not {typ.__name__}")
        if row["label"] not in labels:
            raise DataError(f"{path}:{n}: label {row['label']!r} not in {labels}")
        if row["id"] in seen:
            raise DataError(f"{path}:{n}: duplicate id {row['id']!r}; ids must be unique")
        seen.add(row["id"])
        rows.append(row)
    if not rows:
        raise DataError(f"{path}: no rows")
    return rows


def _h(s: str) -> str:
    return hashlib.sha256(s.encode("utf-8")).hexdigest()


def split(rows: Sequence[dict], half: str, group: Callable[[dict], str], stratum: Callable[[dict], str]) -> list[dict]:
    """Rows of one half ('dev' or 'test'); groups never straddle halves."""
    if half not in HALVES:
        raise ValueError(f"half must be one of {HALVES}, got {half!r}")
    by_stratum: dict[str, list[str]] = defaultdict(list)
    for r in rows:
        g = group(r)
        if g not in by_stratum[stratum(r)]:
            by_stratum[stratum(r)].append(g)
    assign, flip = {}, 0
    for s in sorted(by_stratum):
        for i, g in enumerate(sorted(by_stratum[s], key=_h)):
            assign[g] = HALVES[(i + flip) % 2]
        flip ^= len(by_stratum[s]) % 2
    return [r for r in rows if assign[group(r)] == half]


def refusal_half(half: str, rows: Sequence[dict] | None = None) -> list[dict]:
    rows = load_labelled("refusal") if rows is None else rows
    return split(rows, half, group=lambda r: r["id"], stratum=lambda r: r["case"])


def rubric_half(half: str, rows: Sequence[dict] | None = None) -> list[dict]:
    rows = load_labelled("rubric") if rows is None else rows
    return split(rows, half, group=lambda r: r["scenario"], stratum=lambda r: r["case"])


def as_request(row: dict) -> GradeRequest:
    """A labelled row as a GradeRequest (single-turn user prompt)."""
    return GradeRequest(
        prompt=[{"role": "user", "content": row["prompt"]}], response=row["response"],
        rubric=tuple(row.get("rubric", ())), good=row.get("good"), bad=row.get("bad"),
        meta={"id": row["id"]},
    )


@dataclass(frozen=True)
class BinaryMetrics:
    n: int
    accuracy: float
    precision: float
    recall: float
    f1: float
    tp: int
    fp: int
    tn: int
    fn: int

    def as_dict(self) -> dict[str, float]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


def binary_metrics(predicted: Iterable[bool], actual: Iterable[bool]) -> BinaryMetrics:
    """Accuracy, precision, recall, F1 with the positive class = True; 0/0 counts as 0."""
    pairs = list(zip(predicted, actual, strict=True))
    if not pairs:
        raise ValueError("binary_metrics needs at least one pair")
    tp = sum(p and a for p, a in pairs)
    fp = sum(p and not a for p, a in pairs)
    fn = sum(a and not p for p, a in pairs)
    tn = len(pairs) - tp - fp - fn
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return BinaryMetrics(len(pairs), (tp + tn) / len(pairs), prec, rec, f1, tp, fp, tn, fn)
