"""A small logistic-regression head over :mod:`study.graders._features`, stored as JSON (no pickle).

File layout (``study/graders/heads/<name>.json``)::

    {"name", "task", "version", "features": {...}, "weights": [...], "bias", "threshold",
     "trained_on": {set: n}, "training": {...}}

Training (:func:`fit_logistic`) minimises the L2-penalised logistic loss with
scipy's L-BFGS from a zero start: deterministic for the same rows. The file's
sha256 is the head's version as recorded in run manifests.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from study.errors import DataError

HEADS_DIR = Path(__file__).resolve().parent / "heads"


@dataclass(frozen=True)
class Head:
    name: str
    weights: np.ndarray
    bias: float
    threshold: float
    sha256: str
    meta: dict

    def probability(self, x: np.ndarray) -> np.ndarray:
        if x.shape[0] == 0:
            return np.zeros(0)
        if x.shape[1] != self.weights.shape[0]:
            raise DataError(f"grader head {self.name!r}: features have {x.shape[1]} columns, head expects "
                            f"{self.weights.shape[0]}; retrain with `python -m study.validation.train`")
        z = x.astype(np.float64) @ self.weights + self.bias
        return 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))


_CACHE: dict[Path, Head] = {}


def load_head(name: str, path: Path | str | None = None) -> Head:
    path = Path(path) if path else HEADS_DIR / f"{name}.json"
    if path in _CACHE:
        return _CACHE[path]
    try:
        raw = path.read_bytes()
        doc = json.loads(raw)
        head = Head(name=doc["name"], weights=np.asarray(doc["weights"], dtype=np.float64), bias=float(doc["bias"]),
                    threshold=float(doc["threshold"]), sha256=hashlib.sha256(raw).hexdigest(),
                    meta={k: v for k, v in doc.items() if k not in ("weights",)})
    except FileNotFoundError:
        raise DataError(f"{path}: grader head missing; train it with `python -m study.validation.train`") from None
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{path}: malformed grader head ({exc}); retrain with `python -m study.validation.train`") from None
    _CACHE[path] = head
    return head


def tuned_threshold(config, head: str, fallback: float) -> float:
    """The decision threshold of a grader config with ``threshold``, ``design`` and ``head_path``: the config's own
    ``threshold`` when set, else the trained head's (design ``head``), else ``fallback`` (the other design's tuned value)."""
    if config.threshold is not None:
        return config.threshold
    if config.design == "head":
        return load_head(head, config.head_path).threshold
    return fallback


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, sample_weight: np.ndarray | None = None):
    """(weights, bias) minimising mean weighted log-loss + l2/2 * |w|^2 (bias unpenalised)."""
    from scipy.optimize import minimize

    x = np.asarray(x, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    sw = sw / sw.mean()

    def loss(theta):
        w, b = theta[:-1], theta[-1]
        z = x @ w + b
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -40, 40)))
        ll = np.logaddexp(0.0, z) - y * z
        g = sw * (p - y) / len(y)
        return (sw * ll).mean() + 0.5 * l2 * w @ w, np.append(x.T @ g + l2 * w, g.sum())

    res = minimize(loss, np.zeros(x.shape[1] + 1), jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    return res.x[:-1], float(res.x[-1])


def save_head(path: Path, doc: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(doc, indent=None, separators=(",", ":")) + "\n", encoding="utf-8")
    tmp.replace(path)
