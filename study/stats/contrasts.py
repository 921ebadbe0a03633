"""Paired contrasts (arm a minus arm b) on every benchmark and condition.

Two uncertainties are reported for each difference:

* checkpoint level: the checkpoints are taken as fixed and only the items are
  a sample. Item-paired differences d_i (each arm averaged over its seeds) get a
  clustered CLT standard error; the test is an exact McNemar when both arms
  are a single checkpoint with binary scores and independent items, otherwise
  a sign-flip permutation test on cluster sums of d_i. For binary data the
  reported p is McNemar's mid-p (exact binomial distribution of discordant
  pairs); the conventional exact p is kept in ``p_mcnemar_exact`` but is
  conservative (3.2% false positives at alpha 5% with 200 items, measured).
* procedure level: the training procedure is the unit; seeds (per arm) and
  clusters (per benchmark) are both samples. The variance of the difference is
  an ANOVA-style sum (see :func:`procedure_variance`)::

      Var = sum_arm s2_seed(arm) / k  +  max(SE_ckpt^2 - sum_arm s2_int(arm) / (k G), 0)

  SE_ckpt^2 (clustered, of the seed-averaged item differences) and the
  variance of the per-seed means s2_seed / k both contain the seed x cluster
  interaction (with binary scores: most of the Bernoulli noise), so it is
  subtracted once. The studentised difference is referred to a t distribution
  with Welch–Satterthwaite degrees of freedom of the two positive parts.

  History (issue 16): the previous version took the joint seed x cluster
  bootstrap variance, which counts the interaction three times, subtracted
  twice the interaction but never more than half the variance
  (``max(var - excess, 0.5 * var)``). With binary scores the interaction is
  most of the variance, so the floor bound and the test was conservative
  (0.6-3.5% false positives at alpha 0.05, 96-98% coverage). Measured now by
  bench/stats_calibration.py.

Intervals respect the score range: they are clipped to [-1, 1] and omitted
("n too small", column ``ci_note``) when a benchmark has fewer than
:data:`study.stats.primitives.MIN_UNITS` clusters.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from study.stats import estimators as est
from study.stats.io import StatsInputError
from study.stats.panel import Cell, Panel
from study.stats.primitives import bounded_t_interval, interval_note

BUILTIN_CONTRASTS = (("trait-rl", "constitution"), ("trait-rl", "control"), ("constitution", "control"),
                     ("trait-rl", "base"), ("constitution", "base"))


def contrast_pairs(manifest: dict, arms: set[str]) -> list[tuple[str, str]]:
    """The manifest's contrasts; else the built-in ones among the arms; else every pair in manifest arm order.

    The last default (arm listed first minus arm listed later) keeps a study
    whose arms have their own names from failing after all its compute was
    spent; ``contrasts`` in the study config states the comparisons explicitly.
    """
    pairs = [tuple(p) for p in manifest.get("contrasts", [])]
    if not pairs:
        pairs = [p for p in BUILTIN_CONTRASTS if p[0] in arms and p[1] in arms]
    if not pairs:
        order = [a["name"] for a in manifest.get("arms", []) if a.get("name") in arms]
        order += sorted(arms - set(order))
        pairs = [(a, b) for i, a in enumerate(order) for b in order[i + 1:]]
    if not pairs:
        raise StatsInputError(f"items.parquet: only arm(s) {', '.join(sorted(arms)) or 'none'} found; a contrast needs "
                              "two arms scored on the same items (add an arm, or list `contrasts` in the study config)")
    return list(dict.fromkeys((str(a), str(b)) for a, b in pairs))  # a primary hypothesis may repeat a listed contrast


def seed_var(scores: np.ndarray) -> float:
    """Variance of the per-seed benchmark means (0 for a single checkpoint)."""
    return float(np.var(scores.mean(axis=1), ddof=1)) if scores.shape[0] > 1 else 0.0


def paired_checkpoint(cell: Cell, a: str, b: str) -> dict:
    sa, sb = cell.scores[a], cell.scores[b]
    d = sa.mean(axis=0) - sb.mean(axis=0)
    diff = float(d.mean())
    se = est.clustered_se(d, cell.clusters, cell.n_clusters)
    lo, hi = bounded_t_interval(diff, se, cell.n_clusters - 1, cell.n_clusters)
    sd = float(np.std(d, ddof=1)) if d.size > 1 else float("nan")
    iid = sd / np.sqrt(d.size) if d.size > 1 else float("nan")
    pa, pb = float(sa.mean()), float(sb.mean())
    return {"diff": diff, "ci_note": interval_note(cell.n_clusters, se), "mean_a": pa, "mean_b": pb, "se_ckpt": se, "ci_ckpt_low": lo, "ci_ckpt_high": hi,
            "sd_diff": sd, "design_effect": (se / iid) ** 2 if iid and iid > 0 and np.isfinite(se) else float("nan"),
            "seed_var_a": seed_var(sa), "seed_var_b": seed_var(sb),
            "effect_size": est.cohens_h(pa, pb) if cell.binary else est.rank_biserial(d),
            "effect_kind": "cohens_h" if cell.binary else "rank_biserial", "_d": d}


def pigeonhole_excess(cell: Cell, arm: str) -> float:
    """Variance the joint seed x cluster bootstrap adds on top of the truth for one arm's mean.

    Resampling seeds and clusters independently counts the seed-by-cluster
    interaction three times instead of once (the "pigeonhole" bootstrap is
    conservative, Owen 2007). The excess is about 2 * var_int / (n_seeds * G),
    estimated from the two-way residuals of the (seed, cluster) mean table.
    Used where a statistic has only bootstrap replicates (none of the tests).
    """
    k = cell.scores[arm].shape[0]
    return 2 * est.seed_cluster_interaction(cell.scores[arm], cell.clusters, cell.n_clusters) / (k * cell.n_clusters)


def seed_components(cell: Cell, arm: str) -> list[tuple[float, float]]:
    """Signed (variance, df) components one arm's seeds add to the variance of a difference.

    ``+s2_seed / k`` (k - 1 df) and ``-s2_int / (k G)`` ((k - 1)(G - 1) df); none for a single checkpoint.
    """
    s = cell.scores[arm]
    k, g = s.shape[0], cell.n_clusters
    if k < 2:
        return []
    out = [(seed_var(s) / k, k - 1)]
    if g >= 2:
        out.append((-est.seed_cluster_interaction(s, cell.clusters, g) / (k * g), (k - 1) * (g - 1)))
    return out


def procedure_components(cell: Cell, se_ckpt: float, a: str, b: str) -> list[tuple[float, float]]:
    """All signed variance components of a procedure-level difference (see the module docstring)."""
    items = [(se_ckpt**2, cell.n_clusters - 1)] if np.isfinite(se_ckpt) else []
    return items + seed_components(cell, a) + seed_components(cell, b)


def procedure_variance(components: list[tuple[float, float]], n_clusters: int) -> tuple[float, float]:
    """Variance of a procedure-level difference and its Welch–Satterthwaite degrees of freedom.

    Regrouped as  sum_arm s2_seed / k  +  I,  I = SE_ckpt^2 - sum_arm s2_int / (k G):
    the seed parts (k - 1 df each) are positive; I estimates the item-by-arm
    variance / G (G - 1 df) and is truncated at zero (a variance component).
    Keeping I unbiased but negative, or truncating the seed parts instead,
    was measured to be mis-calibrated (7-9% and 0.6-2% false positives).
    """
    seeds = [(v, d) for v, d in components[1:] if v > 0]
    seed_part = sum(v for v, _ in seeds)
    items = max(sum(v for v, _ in components) - seed_part, 0.0)
    if len(seeds) == 2 and seeds[0][1] == seeds[1][1]:
        # equal seeds per arm: s2_a/k + s2_b/k is the pooled two-sample variance, exact with 2(k - 1) df under equal
        # seed variances and robust to unequal ones at equal k; Welch's estimated df would be conservative at k = 3
        seeds = [(seed_part, 2 * seeds[0][1])]
    return seed_part + items, est.satterthwaite_df(seeds + [(items, n_clusters - 1)])


def use_mcnemar(cell: Cell, a: str, b: str) -> bool:
    return cell.binary and cell.scores[a].shape[0] == 1 and cell.scores[b].shape[0] == 1 and cell.singleton_clusters


def procedure_level(cell: Cell, row: dict) -> dict:
    a, b = row["arm_a"], row["arm_b"]
    if row["n_seeds_a"] < 2 and row["n_seeds_b"] < 2:
        return {"se_proc": np.nan, "df_proc": np.nan, "ci_proc_low": np.nan, "ci_proc_high": np.nan, "p_proc": np.nan}
    comps = procedure_components(cell, row["se_ckpt"], a, b)
    var, df = procedure_variance(comps, cell.n_clusters)
    se = float(np.sqrt(var)) if var > 0 else 0.0
    lo, hi = bounded_t_interval(row["diff"], se, df, cell.n_clusters)
    return {"se_proc": se, "df_proc": df, "ci_proc_low": lo, "ci_proc_high": hi, "p_proc": est.t_pvalue(row["diff"], se, df)}


def contrast_table(panel: Panel, pairs: list[tuple[str, str]], rng: np.random.Generator, n_perm: int) -> pd.DataFrame:
    """One row per (benchmark, condition, contrast); ``rng`` draws the sign flips (``n_perm`` of them)."""
    rows = []
    for (bench, cond), cell in sorted(panel.cells.items()):
        here = [(a, b) for a, b in pairs if a in cell.scores and b in cell.scores]
        if not here:
            continue
        cell_rows = [dict(benchmark=bench, condition=cond, arm_a=a, arm_b=b, contrast=f"{a} - {b}",
                          n_items=cell.n_items, n_clusters=cell.n_clusters,
                          n_seeds_a=cell.scores[a].shape[0], n_seeds_b=cell.scores[b].shape[0],
                          **paired_checkpoint(cell, a, b)) for a, b in here]
        perm = [r for r in cell_rows if not use_mcnemar(cell, r["arm_a"], r["arm_b"])]
        if perm:
            sums = np.stack([np.bincount(cell.clusters, weights=r["_d"], minlength=cell.n_clusters) for r in perm], axis=1)
            pvals = est.sign_flip_pvalues(sums, est.draw_signs(rng, n_perm, cell.n_clusters))
            for r, p in zip(perm, pvals):
                r["test_ckpt"], r["p_ckpt"], r["p_mcnemar_exact"] = "sign-flip", float(p), np.nan
        for r in cell_rows:
            a, b = r["arm_a"], r["arm_b"]
            if use_mcnemar(cell, a, b):
                ya, yb = cell.scores[a][0], cell.scores[b][0]
                r["test_ckpt"], r["p_ckpt"] = "mcnemar-midp", est.mcnemar_midp(ya, yb)
                r["p_mcnemar_exact"] = est.mcnemar_exact(ya, yb)
            r.update(procedure_level(cell, r))
            del r["_d"]
            rows.append(r)
    if not rows:
        raise StatsInputError(f"no benchmark is scored in both arms of any contrast {pairs}; check the arms' names in "
                              "`contrasts` against the arms in items.parquet")
    out = pd.DataFrame(rows)
    meta = panel.meta.reset_index()
    return out.merge(meta, on="benchmark", how="left")
