"""Validation by simulation: false-positive rates, FDR and interval coverage of the shipped tests.

Each simulated study builds a :class:`Panel` from arrays and runs the code the
real analysis runs (``contrast_table`` then ``adjust_pvalues``), so what is
calibrated is the shipped code path, on the columns the report shows (``p``,
``p_bh`` and the interval of the level ``p`` comes from).

Two data models.

* ``logit`` (binary scores, the study's regime): item i of benchmark j has a
  logit x_ji = cluster effect + item effect; checkpoint (arm, seed) adds a
  training-seed effect s (half shared by all benchmarks, half per benchmark,
  sd ``seed_sd`` on the logit scale) and arm a adds the planted effect delta_j;
  the score is Bernoulli(expit(x + s + delta)). Items are paired across arms.
  Procedure-level truth: E_x,s[expit(x + s + delta) - expit(x + s)] (items and
  seeds drawn from their populations), computed by Gauss–Hermite quadrature;
  checkpoint-level truth: the same with the drawn seeds held fixed.
* ``normal`` (continuous, clustered, additive; one checkpoint): the sign-flip
  test at the checkpoint level. ``bernoulli``: independent items, one
  checkpoint per arm, for McNemar's mid-p.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from study.stats.contrasts import contrast_table
from study.stats.multiple import adjust_pvalues
from study.stats.panel import Cell, Panel

_GH_X, _GH_W = np.polynomial.hermite_e.hermegauss(60)
_GH_W = _GH_W / _GH_W.sum()


@dataclass(frozen=True)
class SimDesign:
    model: str = "logit"          # logit | normal | bernoulli
    n_benchmarks: int = 10
    n_clusters: int = 30
    cluster_size: int = 2
    n_seeds: int = 3
    seed_sd: float = 0.25         # logit scale (logit), score scale (normal)
    n_true: int = 0               # benchmarks 0..n_true-1 carry the planted effect
    delta: float = 0.0            # logit scale (logit), score scale (normal, bernoulli)
    item_sd: float = 1.0
    cluster_sd: float = 0.5


def _expit(x):
    return 1.0 / (1.0 + np.exp(-x))


def _mean_expit(shift: np.ndarray, sd: float) -> np.ndarray:
    """E[expit(z + shift)] for z ~ N(0, sd^2), elementwise over ``shift``."""
    return _expit(np.asarray(shift, dtype=float)[..., None] + sd * _GH_X) @ _GH_W


def _cells(d: SimDesign, scores: list[dict[str, np.ndarray]], clusters: np.ndarray, binary: bool) -> Panel:
    n = clusters.size
    cells = {}
    for j, sc in enumerate(scores):
        name = f"b{j:03d}"
        items = np.array([f"{name}-{i:04d}" for i in range(n)], dtype=object)
        cells[(name, "clean")] = Cell(name, "clean", items, clusters.astype(str), clusters, int(clusters.max()) + 1, sc,
                                      {a: np.full_like(s, np.nan) for a, s in sc.items()}, binary)
    meta = pd.DataFrame({"category": "sim", "trait": "none", "domain": "general", "distribution": "in_distribution"},
                        index=pd.Index(sorted(c[0] for c in cells), name="benchmark"))
    seeds = {arm: list(range(s.shape[0])) for arm, s in scores[0].items()}
    return Panel(cells, seeds, meta, list(meta.index), ["clean"])


def simulate(rng: np.random.Generator, d: SimDesign) -> tuple[Panel, np.ndarray, np.ndarray]:
    """A two-arm panel (arms 'a', 'b') and the procedure- and checkpoint-level true differences per benchmark."""
    deltas = np.where(np.arange(d.n_benchmarks) < d.n_true, d.delta, 0.0)
    n = d.n_clusters * d.cluster_size
    cl = np.repeat(np.arange(d.n_clusters), d.cluster_size)
    j = d.n_benchmarks
    if d.model == "logit":
        x = rng.normal(0, d.cluster_sd, (j, d.n_clusters))[:, cl] + rng.normal(0, d.item_sd, (j, n))   # (J, n)
        k = d.n_seeds
        s = {arm: d.seed_sd * np.sqrt(0.5) * (rng.normal(size=(1, k, 1)) + rng.normal(size=(j, k, 1))) for arm in "ab"}
        shift = {"a": s["a"] + deltas[:, None, None], "b": s["b"]}
        y = {arm: (rng.random((j, k, n)) < _expit(x[:, None, :] + shift[arm])).astype(float) for arm in "ab"}
        tau = float(np.hypot(d.item_sd, d.cluster_sd))
        proc = _mean_expit(deltas, np.sqrt(tau**2 + d.seed_sd**2)) - _mean_expit(np.zeros(j), np.sqrt(tau**2 + d.seed_sd**2))
        ckpt = _mean_expit(shift["a"][..., 0], tau).mean(axis=1) - _mean_expit(shift["b"][..., 0], tau).mean(axis=1)
        return _cells(d, [{"a": y["a"][i], "b": y["b"][i]} for i in range(j)], cl, True), proc, ckpt
    if d.model == "bernoulli":
        p = rng.uniform(0.2, 0.8, (j, n))
        pa = np.clip(p + deltas[:, None], 0, 1)
        ya, yb = (rng.random((j, 1, n)) < pa[:, None]).astype(float), (rng.random((j, 1, n)) < p[:, None]).astype(float)
        truth = (pa - p).mean(axis=1)
        return _cells(d, [{"a": ya[i], "b": yb[i]} for i in range(j)], np.arange(n), True), truth, truth
    base = rng.normal(0, 0.3, (j, d.n_clusters))[:, cl] + rng.normal(0, 0.2, (j, n))
    seed_fx = {arm: rng.normal(0, d.seed_sd, (1, d.n_seeds, 1)) for arm in "ab"}
    y = {arm: base[:, None, :] + rng.normal(0, 0.1, (j, d.n_clusters))[:, None, cl] + seed_fx[arm]
         + (deltas[:, None, None] if arm == "a" else 0.0) + rng.normal(0, 0.3, (j, d.n_seeds, n)) for arm in "ab"}
    ckpt = deltas + float(seed_fx["a"].mean() - seed_fx["b"].mean())
    return _cells(d, [{"a": y["a"][i], "b": y["b"][i]} for i in range(j)], cl, False), deltas, ckpt


def analyse_panel(panel: Panel, rng: np.random.Generator, n_perm: int) -> pd.DataFrame:
    return adjust_pvalues(contrast_table(panel, [("a", "b")], rng, n_perm), [])


@dataclass
class StudyRates:
    """Per simulated study: rejections among null benchmarks, coverage, false discovery proportion."""

    null_tests: np.ndarray      # (S,) number of null benchmarks
    false_pos: np.ndarray       # (S,) rejections among them at alpha (column ``p``)
    covered: np.ndarray         # (S,) intervals covering their target
    n_intervals: np.ndarray     # (S,) finite intervals
    fdp: np.ndarray             # (S,) false discovery proportion of p_bh < q


def run_studies(rng: np.random.Generator, d: SimDesign, n_studies: int, n_perm: int, alpha: float = 0.05,
                p_col: str = "p", level: str | None = None) -> StudyRates:
    """Simulate ``n_studies`` and score the column the report shows (``p``, ``p_bh``, its interval).

    ``level`` picks the interval ('proc' or 'ckpt'); default: procedure level when there are seeds.
    """
    level = level or ("proc" if d.n_seeds > 1 else "ckpt")
    out = {k: np.zeros(n_studies) for k in ("null_tests", "false_pos", "covered", "n_intervals", "fdp")}
    for i in range(n_studies):
        panel, proc, ckpt = simulate(rng, d)
        res = analyse_panel(panel, rng, n_perm).sort_values("benchmark")
        target = proc if level == "proc" else ckpt
        null = np.arange(d.n_benchmarks) >= d.n_true
        rej = res[p_col].to_numpy(float) < alpha
        lo, hi = res[f"ci_{level}_low"].to_numpy(float), res[f"ci_{level}_high"].to_numpy(float)
        ok = np.isfinite(lo)
        disc = res["p_bh"].to_numpy(float) < alpha
        out["null_tests"][i] = null.sum()
        out["false_pos"][i] = (rej & null).sum()
        out["covered"][i] = ((lo <= target) & (target <= hi) & ok).sum()
        out["n_intervals"][i] = ok.sum()
        out["fdp"][i] = (disc & null).sum() / max(1, disc.sum())
    return StudyRates(**out)


def ratio_with_se(num: np.ndarray, den: np.ndarray) -> tuple[float, float]:
    """Pooled rate sum(num)/sum(den) and its Monte-Carlo SE with studies as clusters (ratio estimator)."""
    r = num.sum() / den.sum()
    s = num.size
    if s < 2:
        return float(r), float("nan")
    resid = num - r * den
    return float(r), float(np.sqrt(s / (s - 1) * np.sum(resid**2)) / den.sum())


def mean_with_se(x: np.ndarray) -> tuple[float, float]:
    return float(x.mean()), float(x.std(ddof=1) / np.sqrt(x.size)) if x.size > 1 else float("nan")


REGIMES = {f"{k} seeds, seed sd {sd}": SimDesign(n_seeds=k, seed_sd=sd, n_true=4, delta=0.5)
           for k in (3, 5) for sd in (0.03, 0.25)}
CHECKPOINT_DESIGNS = {
    "sign-flip (1 checkpoint, continuous, clustered)": SimDesign(model="normal", n_seeds=1, seed_sd=0.0, n_clusters=30, cluster_size=3),
    "mcnemar mid-p (1 checkpoint, binary)": SimDesign(model="bernoulli", n_seeds=1, n_clusters=200, cluster_size=1),
}


def calibrate(n_studies: int, n_perm: int, rng_seed: int = 0, alpha: float = 0.05) -> list[dict]:
    """Rows (test, regime, measure, value, mcse) for bench/stats_calibration.py."""
    rng = np.random.default_rng(rng_seed)
    rows = []
    for name, d in {**REGIMES, **CHECKPOINT_DESIGNS}.items():
        r = run_studies(rng, d, n_studies, n_perm, alpha)
        fpr = ratio_with_se(r.false_pos, r.null_tests)
        cov = ratio_with_se(r.covered, r.n_intervals)
        rows.append({"regime": name, "measure": f"false-positive rate of p at {alpha:g}", "value": fpr[0], "mcse": fpr[1],
                     "target": alpha})
        rows.append({"regime": name, "measure": "coverage of the 95% interval", "value": cov[0], "mcse": cov[1], "target": 0.95})
        if d.n_true:
            fdr = mean_with_se(r.fdp)
            rows.append({"regime": name, "measure": f"FDR of p_bh < {alpha:g}", "value": fdr[0], "mcse": fdr[1],
                         "target": alpha})
    return rows
