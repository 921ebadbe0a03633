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
  clusters (per benchmark) are resampled jointly (see bootstrap.py). The
  bootstrap gives the standard error (less the excess variance of resampling
  seeds and clusters independently, see ``pigeonhole_excess``); with a
  handful of seeds a percentile
  p-value would be anti-conservative (about 8.6% false positives at 5+5
  seeds), so the studentised difference is referred to a t distribution with
  Welch–Satterthwaite degrees of freedom from the seed and item components.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from study.stats import estimators as est
from study.stats.bootstrap import BootstrapDraws
from study.stats.panel import Cell, Panel


def contrast_pairs(manifest: dict, arms: set[str]) -> list[tuple[str, str]]:
    pairs = [tuple(p) for p in manifest.get("contrasts", [])]
    if not pairs:
        defaults = [("trait-rl", "constitution"), ("trait-rl", "control"), ("constitution", "control"),
                    ("trait-rl", "base"), ("constitution", "base")]
        pairs = [p for p in defaults if p[0] in arms and p[1] in arms]
    return list(dict.fromkeys((str(a), str(b)) for a, b in pairs))  # a primary hypothesis may repeat a listed contrast


def seed_var(scores: np.ndarray) -> float:
    """Variance of the per-seed benchmark means (0 for a single checkpoint)."""
    return float(np.var(scores.mean(axis=1), ddof=1)) if scores.shape[0] > 1 else 0.0


def paired_checkpoint(cell: Cell, a: str, b: str) -> dict:
    sa, sb = cell.scores[a], cell.scores[b]
    d = sa.mean(axis=0) - sb.mean(axis=0)
    diff = float(d.mean())
    se = est.clustered_se(d, cell.clusters, cell.n_clusters)
    lo, hi = est.t_interval(diff, se, cell.n_clusters - 1)
    sd = float(np.std(d, ddof=1)) if d.size > 1 else float("nan")
    iid = sd / np.sqrt(d.size) if d.size > 1 else float("nan")
    pa, pb = float(sa.mean()), float(sb.mean())
    return {"diff": diff, "mean_a": pa, "mean_b": pb, "se_ckpt": se, "ci_ckpt_low": lo, "ci_ckpt_high": hi,
            "sd_diff": sd, "design_effect": (se / iid) ** 2 if iid and iid > 0 and np.isfinite(se) else float("nan"),
            "seed_var_a": seed_var(sa), "seed_var_b": seed_var(sb),
            "effect_size": est.cohens_h(pa, pb) if cell.binary else est.rank_biserial(d),
            "effect_kind": "cohens_h" if cell.binary else "rank_biserial", "_d": d}


def pigeonhole_excess(cell: Cell, arm: str) -> float:
    """Variance the joint seed x cluster bootstrap adds on top of the truth for one arm's mean.

    Resampling seeds and clusters independently counts the seed-by-cluster
    interaction three times instead of once (the "pigeonhole" bootstrap is
    conservative, Owen 2007): once in the per-seed means, once in the per-cluster
    means and once in the product of the two draws. The excess is about
    2 * var_int / (n_seeds * G), estimated from the two-way residuals of the
    (seed, cluster) mean table; it is subtracted from the bootstrap variance.
    """
    k = cell.scores[arm].shape[0]
    return 2 * est.seed_cluster_interaction(cell.scores[arm], cell.clusters, cell.n_clusters) / (k * cell.n_clusters)


def use_mcnemar(cell: Cell, a: str, b: str) -> bool:
    return cell.binary and cell.scores[a].shape[0] == 1 and cell.scores[b].shape[0] == 1 and cell.singleton_clusters


def procedure_level(row: dict, boot: np.ndarray, n_seeds_a: int, n_seeds_b: int, n_clusters: int,
                    excess: float = 0.0) -> dict:
    if n_seeds_a < 2 and n_seeds_b < 2:
        return {"se_proc": np.nan, "df_proc": np.nan, "ci_proc_low": np.nan, "ci_proc_high": np.nan, "p_proc": np.nan}
    var = float(np.nanvar(boot, ddof=1))  # NaN: a replicate that drew no item of the cell
    se = float(np.sqrt(max(var - excess, 0.5 * var)))
    v_items = row["se_ckpt"] ** 2 if np.isfinite(row["se_ckpt"]) else 0.0
    df = est.satterthwaite_df([(v_items, n_clusters - 1), (row["seed_var_a"] / n_seeds_a, n_seeds_a - 1),
                               (row["seed_var_b"] / n_seeds_b, n_seeds_b - 1)])
    lo, hi = est.t_interval(row["diff"], se, df)
    return {"se_proc": se, "df_proc": df, "ci_proc_low": lo, "ci_proc_high": hi, "p_proc": est.t_pvalue(row["diff"], se, df)}


def contrast_table(panel: Panel, draws: BootstrapDraws, pairs: list[tuple[str, str]],
                   rng: np.random.Generator, n_perm: int) -> pd.DataFrame:
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
            excess = pigeonhole_excess(cell, a) + pigeonhole_excess(cell, b)
            r.update(procedure_level(r, draws.diff(bench, cond, a, b), r["n_seeds_a"], r["n_seeds_b"], cell.n_clusters, excess))
            del r["_d"]
            rows.append(r)
    out = pd.DataFrame(rows)
    meta = panel.meta.reset_index()
    return out.merge(meta, on="benchmark", how="left")
