"""Across-benchmark aggregates of a contrast: macro-average difference and "improved on X of Y".

The macro difference is the mean of the per-benchmark differences. Its
variance uses the same decomposition as a single benchmark (contrasts.py):
the seed part is the variance of each arm's per-seed macro means (so the
correlation between benchmarks that a lucky or unlucky training seed induces
is kept) over k, and the item part is sum_j (SE_ckpt_j^2 - interaction_j) / J^2,
truncated at zero; t interval with Welch–Satterthwaite df, clipped to [-1, 1],
and no interval ("n too small") when the group holds fewer than
MIN_UNITS clusters in all.

The interval on X ("improved on X of Y") is the percentile interval of the
joint-bootstrap replicate counts (a binomial interval would wrongly treat
benchmarks as independent coin flips). X counts strict improvements, and with
few items per benchmark many resampled differences are exactly zero, so the
replicate counts sit below X; the interval is then extended to contain X
(reported in ``improved_ci_extended``), since an interval that excludes its
own point estimate is unusable.

Steerability benchmarks (``steer-*``) measure persona following, not the
battery, and are left out of the aggregates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from study.stats import estimators as est
from study.stats.bootstrap import BootstrapDraws
from study.stats.contrasts import seed_components
from study.stats.panel import Panel
from study.stats.primitives import adjust, bounded_t_interval, interval_note, percentile_interval


def _groups(panel: Panel, benches: list[str]) -> list[tuple[str, str, list[str]]]:
    meta = panel.meta.loc[benches]
    out = [("all", "all", benches)]
    for kind in ("category", "distribution"):
        for name, g in meta.groupby(kind):
            out.append((kind, str(name), list(g.index)))
    return out


def macro_variance(panel: Panel, benches: list[str], a: str, b: str, se_ckpt: pd.Series) -> tuple[float, float]:
    """Variance and Welch–Satterthwaite df of the macro difference (see the module docstring).

    A benchmark whose checkpoint SE is not estimable (one cluster) is given the
    mean item variance of the others; none estimable and no seeds: NaN.
    """
    k = len(benches)
    a_j = se_ckpt.loc[benches].to_numpy(float) ** 2
    if not np.isfinite(a_j).any() and len(panel.seeds[a]) < 2 and len(panel.seeds[b]) < 2:
        return float("nan"), float("nan")
    a_j = np.where(np.isfinite(a_j), a_j, np.nanmean(a_j) if np.isfinite(a_j).any() else 0.0)
    inter = sum(v for x in benches for arm in (a, b) for v, _ in seed_components(panel.cell(x), arm) if v < 0)
    items = max((a_j.sum() + inter) / k**2, 0.0)
    seeds = []
    for arm in (a, b):
        per_seed = np.mean([panel.cell(x).scores[arm].mean(axis=1) for x in benches], axis=0)
        if per_seed.size > 1:
            seeds.append((float(np.var(per_seed, ddof=1)) / per_seed.size, per_seed.size - 1))
    comps = seeds + [(items, max(1, sum(panel.cell(x).n_clusters - 1 for x in benches)))]
    return sum(v for v, _ in comps), est.satterthwaite_df(comps)


def macro_sign_flip_p(panel: Panel, benches: list[str], a: str, b: str, rng: np.random.Generator, n_perm: int) -> float:
    """Checkpoint-level p of the macro difference: sign flips of every cluster's weighted difference sum.

    Each cluster sum of seed-averaged item differences is weighted 1 / (J n_j),
    so the flipped statistic is the macro difference; exact under the null that
    the two checkpoints are exchangeable within every item, whatever the
    variance (the t test has nothing to refer to when the observed SE is zero).
    """
    sums = []
    for x in benches:
        cell = panel.cell(x)
        d = cell.scores[a].mean(axis=0) - cell.scores[b].mean(axis=0)
        sums.append(np.bincount(cell.clusters, weights=d, minlength=cell.n_clusters) / (len(benches) * cell.n_items))
    s = np.concatenate(sums)
    s = s[s != 0]
    if s.size == 0:
        return 1.0
    return float(est.sign_flip_pvalues(s[:, None], est.draw_signs(rng, n_perm, s.size))[0])


def aggregate_table(panel: Panel, draws: BootstrapDraws, contrasts: pd.DataFrame, alpha: float = 0.05,
                    rng: np.random.Generator | None = None, n_perm: int = 10000) -> pd.DataFrame:
    """One row per contrast x group; ``rng`` draws the checkpoint-level sign flips (single-checkpoint contrasts)."""
    rng = rng if rng is not None else np.random.default_rng(0)
    clean = contrasts[contrasts["condition"] == "clean"]
    rows = []
    for (a, b), c in clean.groupby(["arm_a", "arm_b"], sort=False):
        c = c.set_index("benchmark")
        battery = sorted(b for b in c.index if not b.startswith("steer-"))
        for kind, name, benches in _groups(panel, battery):
            diffs = c.loc[benches, "diff"].to_numpy()
            boot = np.stack([draws.diff(x, "clean", a, b) for x in benches])      # (k, B)
            x_boot = (boot > 0).sum(axis=0)
            macro = float(diffs.mean())
            single = len(panel.seeds[a]) < 2 and len(panel.seeds[b]) < 2
            var, df = macro_variance(panel, benches, a, b, c["se_ckpt"])
            se = float(np.sqrt(var)) if np.isfinite(var) else float("nan")
            units = sum(panel.cell(x).n_clusters for x in benches)
            lo, hi = bounded_t_interval(macro, se, df, units)
            improved = int((diffs > 0).sum())
            x_lo, x_hi = percentile_interval(x_boot)
            extended = bool(improved < x_lo or improved > x_hi)
            sig = c.loc[benches, "p_bh"] < alpha
            rows.append({"contrast": f"{a} - {b}", "arm_a": a, "arm_b": b, "group_kind": kind, "group": name,
                         "n_benchmarks": len(benches), "n_clusters": units, "macro_diff": macro, "macro_se": se,
                         "macro_df": df, "macro_ci_low": lo, "macro_ci_high": hi, "ci_note": interval_note(units, se),
                         "macro_p": macro_sign_flip_p(panel, benches, a, b, rng, n_perm) if single
                         else est.t_pvalue(macro, se, df),
                         "macro_test": "sign-flip" if single else "t (Satterthwaite)",
                         "uncertainty": "checkpoint" if single else "procedure",
                         "improved": improved, "improved_ci_low": float(min(x_lo, improved)),
                         "improved_ci_high": float(max(x_hi, improved)), "improved_ci_extended": extended,
                         "sig_improved": int((sig & (c.loc[benches, "diff"] > 0)).sum()),
                         "sig_worse": int((sig & (c.loc[benches, "diff"] < 0)).sum())})
    out = pd.DataFrame(rows)
    if not out.empty:
        out["macro_p_bh"] = out.groupby(["contrast", "group_kind"], group_keys=False)["macro_p"].apply(lambda p: adjust(p, "fdr_bh"))
    return out
