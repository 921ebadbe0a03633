"""Binary agreement figures with percentile-bootstrap 95% intervals, and Cohen's kappa."""

from __future__ import annotations

from typing import Sequence

import numpy as np

N_BOOT = 2000
BOOT_SEED = 0


def _rates(pred: np.ndarray, gold: np.ndarray) -> dict[str, float]:
    tp = float(np.sum(pred & gold))
    fp = float(np.sum(pred & ~gold))
    fn = float(np.sum(~pred & gold))
    n = len(gold)
    return {"accuracy": float(np.mean(pred == gold)) if n else float("nan"),
            "recall": tp / (tp + fn) if tp + fn else float("nan"),
            "precision": tp / (tp + fp) if tp + fp else float("nan")}


def agreement(predicted: Sequence[bool], actual: Sequence[bool], n_boot: int = N_BOOT, seed: int = BOOT_SEED) -> dict:
    """Accuracy, recall, precision (positive class = True) with 95% percentile-bootstrap CIs; confusion matrix."""
    pred = np.asarray(predicted, dtype=bool)
    gold = np.asarray(actual, dtype=bool)
    if pred.shape != gold.shape or pred.size == 0:
        raise ValueError("agreement needs two equally long, non-empty label lists")
    point = _rates(pred, gold)
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, len(gold), size=(n_boot, len(gold)))
    boots = {k: [] for k in point}
    for row in idx:
        for k, v in _rates(pred[row], gold[row]).items():
            boots[k].append(v)
    out = {"n": int(len(gold)), "positives": int(gold.sum())}
    for k, v in point.items():
        arr = np.asarray(boots[k], dtype=float)
        arr = arr[~np.isnan(arr)]
        lo, hi = (np.percentile(arr, [2.5, 97.5]).tolist() if arr.size else [float("nan")] * 2)
        out[k] = round(v, 4)
        out[f"{k}_ci"] = [round(lo, 4), round(hi, 4)]
    out["confusion"] = {"tp": int(np.sum(pred & gold)), "fp": int(np.sum(pred & ~gold)),
                        "tn": int(np.sum(~pred & ~gold)), "fn": int(np.sum(~pred & gold))}
    return out


def cohen_kappa(a: Sequence[bool], b: Sequence[bool]) -> float:
    """Cohen's kappa of two binary raters; 1.0 when both are constant and equal, nan when undefined."""
    x, y = np.asarray(a, dtype=bool), np.asarray(b, dtype=bool)
    if x.shape != y.shape or x.size == 0:
        raise ValueError("cohen_kappa needs two equally long, non-empty label lists")
    po = float(np.mean(x == y))
    pe = float(np.mean(x) * np.mean(y) + np.mean(~x) * np.mean(~y))
    if pe == 1.0:
        return 1.0 if po == 1.0 else float("nan")
    return (po - pe) / (1.0 - pe)
