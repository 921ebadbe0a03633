"""Validation by simulation: false-positive rates, FDR and interval coverage of the analysis.

Each simulated study builds a :class:`Panel` from arrays and runs the same
code the real analysis runs (``run_bootstrap``, ``contrast_table``,
``adjust_pvalues``), so what is calibrated is the shipped code path.

Data model (continuous): score_{arm,seed,item} = mu + c_g + e_i + u_{arm,g}
+ delta * [arm == a] + s_{arm,seed} + noise. Items share cluster effects c_g
and arm-by-cluster effects u (so differences are clustered), s is the training
seed effect. The checkpoint-level target is delta + mean_s(s_a) - mean_s(s_b)
(checkpoints fixed, items sampled); the procedure-level target is delta.
Binary model (for McNemar): independent items, one checkpoint per arm,
Bernoulli scores with the same item probability in both arms under the null.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from study.stats.bootstrap import run_bootstrap
from study.stats.contrasts import contrast_table
from study.stats.multiple import adjust_pvalues
from study.stats.panel import Cell, Panel


@dataclass(frozen=True)
class SimDesign:
    n_benchmarks: int = 1
    n_clusters: int = 30
    cluster_size: int = 3
    n_seeds: int = 1
    delta: float = 0.0
    seed_sd: float = 0.0
    cluster_sd: float = 0.3
    arm_cluster_sd: float = 0.1
    noise_sd: float = 0.3
    binary: bool = False


def simulate_panel(rng: np.random.Generator, d: SimDesign, deltas: np.ndarray | None = None) -> tuple[Panel, np.ndarray]:
    """A two-arm panel (arms 'a' and 'b') and the checkpoint-level true difference per benchmark."""
    deltas = np.full(d.n_benchmarks, d.delta) if deltas is None else np.asarray(deltas, dtype=float)
    n = d.n_clusters * d.cluster_size
    cl = np.repeat(np.arange(d.n_clusters), d.cluster_size)
    seed_fx = {arm: rng.normal(0, d.seed_sd, (d.n_seeds, 1)) for arm in "ab"}
    cells, truth = {}, np.empty(d.n_benchmarks)
    for j in range(d.n_benchmarks):
        name = f"b{j:03d}"
        if d.binary:
            p = rng.uniform(0.2, 0.8, n)
            scores = {"a": (rng.random((1, n)) < np.clip(p + deltas[j], 0, 1)).astype(float),
                      "b": (rng.random((1, n)) < p).astype(float)}
            truth[j] = float(np.mean(np.clip(p + deltas[j], 0, 1) - p))
            clusters, g = np.arange(n), n
        else:
            base = rng.normal(0, d.cluster_sd, d.n_clusters)[cl] + rng.normal(0, 0.2, n)
            scores = {}
            for arm in "ab":
                u = rng.normal(0, d.arm_cluster_sd, d.n_clusters)[cl]
                shift = deltas[j] if arm == "a" else 0.0
                scores[arm] = base + u + shift + seed_fx[arm] + rng.normal(0, d.noise_sd, (d.n_seeds, n))
            truth[j] = deltas[j] + float(seed_fx["a"].mean() - seed_fx["b"].mean())
            clusters, g = cl, d.n_clusters
        items = np.array([f"{name}-{i:04d}" for i in range(n)], dtype=object)
        cells[(name, "clean")] = Cell(name, "clean", items, clusters.astype(str), clusters, g, scores,
                                      {a: np.full_like(s, np.nan) for a, s in scores.items()}, d.binary)
    meta = pd.DataFrame({"category": "sim", "trait": "none", "domain": "general", "distribution": "in_distribution"},
                        index=pd.Index(sorted(c[0] for c in cells), name="benchmark"))
    seeds = {arm: list(range(s.shape[0])) for arm, s in next(iter(cells.values())).scores.items()}
    return Panel(cells, seeds, meta, list(meta.index), ["clean"]), truth


def analyse_panel(panel: Panel, rng: np.random.Generator, n_boot: int) -> pd.DataFrame:
    draws = run_bootstrap(panel, rng, n_boot)
    return adjust_pvalues(contrast_table(panel, draws, [("a", "b")], rng, n_boot), [])


def false_positive_rate(rng: np.random.Generator, design: SimDesign, n_studies: int, n_boot: int,
                        column: str, alpha: float = 0.05) -> float:
    hits = []
    for _ in range(n_studies):
        panel, _ = simulate_panel(rng, design)
        hits.extend(analyse_panel(panel, rng, n_boot)[column].to_numpy() < alpha)
    return float(np.mean(hits))


def coverage(rng: np.random.Generator, design: SimDesign, n_studies: int, n_boot: int, level: str) -> float:
    """Share of 95% intervals (``level`` 'ckpt' or 'proc') that contain their target."""
    hits = []
    for _ in range(n_studies):
        panel, truth = simulate_panel(rng, design)
        res = analyse_panel(panel, rng, n_boot)
        target = truth if level == "ckpt" else np.full(len(truth), design.delta)
        hits.extend((res[f"ci_{level}_low"].to_numpy() <= target) & (target <= res[f"ci_{level}_high"].to_numpy()))
    return float(np.mean(hits))


def false_discovery_rate(rng: np.random.Generator, design: SimDesign, n_studies: int, n_boot: int,
                         n_true: int, effect: float, q: float = 0.05) -> dict[str, float]:
    """Mean false discovery proportion of BH and BY over studies (checkpoint-level p-values)."""
    fdp = {"bh": [], "by": []}
    for _ in range(n_studies):
        deltas = np.zeros(design.n_benchmarks)
        deltas[:n_true] = effect
        panel, _ = simulate_panel(rng, design, deltas)
        res = analyse_panel(panel, rng, n_boot)
        null = res["benchmark"].isin([f"b{j:03d}" for j in range(n_true, design.n_benchmarks)]).to_numpy()
        for tag in fdp:
            rej = res[f"p_ckpt_{tag}"].to_numpy() < q
            fdp[tag].append((rej & null).sum() / max(1, rej.sum()))
    return {k: float(np.mean(v)) for k, v in fdp.items()}


DESIGNS = {
    "sign-flip (checkpoint, continuous, clustered)": (SimDesign(n_seeds=1), "p_ckpt"),
    "mcnemar mid-p (checkpoint, binary)": (SimDesign(n_clusters=200, cluster_size=1, binary=True), "p_ckpt"),
    "procedure (5 seeds/arm, bootstrap SE)": (SimDesign(n_seeds=5, seed_sd=0.15), "p_proc"),
}


def calibrate(n_studies: int, n_boot: int, rng_seed: int = 0, alpha: float = 0.05) -> dict[str, float]:
    """All calibration rates in one dictionary (see bench/stats_calibration.py)."""
    rng = np.random.default_rng(rng_seed)
    out = {f"fpr: {name}": false_positive_rate(rng, d, n_studies, n_boot, col, alpha) for name, (d, col) in DESIGNS.items()}
    planted = SimDesign(n_seeds=5, seed_sd=0.15, delta=0.2)
    out["coverage: checkpoint 95% CI"] = coverage(rng, planted, n_studies, n_boot, "ckpt")
    out["coverage: procedure 95% CI"] = coverage(rng, planted, n_studies, n_boot, "proc")
    fdr = false_discovery_rate(rng, SimDesign(n_benchmarks=20), max(1, n_studies // 4), n_boot, n_true=5, effect=0.3)
    out["fdr: BH (q=0.05)"] = fdr["bh"]
    out["fdr: BY (q=0.05)"] = fdr["by"]
    return out
