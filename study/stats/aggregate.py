"""Across-benchmark aggregates of a contrast: macro-average difference and "improved on X of Y".

Both come from the joint bootstrap, in which one replicate resamples the seeds
of each arm once for all benchmarks, so the correlation between benchmarks
that a lucky or unlucky training seed induces is kept. The macro interval is
t-based on the bootstrap SE (less the pigeonhole excess, see contrasts.py)
with Welch–Satterthwaite df;
the interval on X is the percentile interval of the replicate counts
(a binomial interval would wrongly treat benchmarks as independent coin flips).
Steerability benchmarks (``steer-*``) measure persona following, not the
battery, and are left out of the aggregates.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from study.stats import estimators as est
from study.stats.bootstrap import BootstrapDraws
from study.stats.contrasts import pigeonhole_excess
from study.stats.multiple import _adjust
from study.stats.panel import Panel


def _groups(panel: Panel, benches: list[str]) -> list[tuple[str, str, list[str]]]:
    meta = panel.meta.loc[benches]
    out = [("all", "all", benches)]
    for kind in ("category", "distribution"):
        for name, g in meta.groupby(kind):
            out.append((kind, str(name), list(g.index)))
    return out


def _macro_df(panel: Panel, benches: list[str], a: str, b: str, se_ckpt: pd.Series) -> float:
    """Satterthwaite df of the macro difference from its item and seed variance components."""
    k = len(benches)
    v_items = float(np.nansum(se_ckpt.loc[benches].to_numpy() ** 2)) / k**2
    comps = [(v_items, max(1, sum(panel.cell(x).n_clusters - 1 for x in benches)))]
    for arm in (a, b):
        per_seed = np.mean([panel.cell(x).scores[arm].mean(axis=1) for x in benches], axis=0)
        n = per_seed.size
        comps.append((float(np.var(per_seed, ddof=1)) / n if n > 1 else 0.0, n - 1))
    return est.satterthwaite_df(comps)


def aggregate_table(panel: Panel, draws: BootstrapDraws, contrasts: pd.DataFrame, alpha: float = 0.05) -> pd.DataFrame:
    clean = contrasts[contrasts["condition"] == "clean"]
    rows = []
    for (a, b), c in clean.groupby(["arm_a", "arm_b"], sort=False):
        c = c.set_index("benchmark")
        battery = sorted(b for b in c.index if not b.startswith("steer-"))
        for kind, name, benches in _groups(panel, battery):
            diffs = c.loc[benches, "diff"].to_numpy()
            boot = np.stack([draws.diff(x, "clean", a, b) for x in benches])      # (k, B)
            macro_boot = boot.mean(axis=0)
            x_boot = (boot > 0).sum(axis=0)
            macro = float(diffs.mean())
            single = len(panel.seeds[a]) < 2 and len(panel.seeds[b]) < 2
            excess = sum(pigeonhole_excess(panel.cell(x), a) + pigeonhole_excess(panel.cell(x), b) for x in benches)
            var = float(np.var(macro_boot, ddof=1))
            # A benchmark with one cluster and one seed per arm cannot be resampled: it adds no variance to the
            # bootstrap, which would understate the macro SE (and, if no benchmark of the group can be resampled,
            # claim a zero SE). Impute the mean variance of the resampleable ones; none at all -> not estimable.
            resampleable = sum(1 for x in benches if panel.cell(x).n_clusters >= 2 or not single)
            if resampleable == 0:
                var = float("nan")
            else:
                var *= len(benches) / resampleable
            se = float(np.sqrt(max(var - excess / len(benches) ** 2, 0.5 * var))) if np.isfinite(var) else float("nan")
            df = _macro_df(panel, benches, a, b, c["se_ckpt"])
            lo, hi = est.t_interval(macro, se, df)
            sig = c.loc[benches, "p_bh"] < alpha
            rows.append({"contrast": f"{a} - {b}", "arm_a": a, "arm_b": b, "group_kind": kind, "group": name,
                         "n_benchmarks": len(benches), "macro_diff": macro, "macro_se": se, "macro_df": df,
                         "macro_ci_low": lo, "macro_ci_high": hi, "macro_p": est.t_pvalue(macro, se, df),
                         "uncertainty": "checkpoint" if single else "procedure",
                         "improved": int((diffs > 0).sum()),
                         "improved_ci_low": float(np.percentile(x_boot, 2.5)),
                         "improved_ci_high": float(np.percentile(x_boot, 97.5)),
                         "sig_improved": int((sig & (c.loc[benches, "diff"] > 0)).sum()),
                         "sig_worse": int((sig & (c.loc[benches, "diff"] < 0)).sum())})
    out = pd.DataFrame(rows)
    if not out.empty:
        out["macro_p_bh"] = out.groupby(["contrast", "group_kind"], group_keys=False)["macro_p"].apply(lambda p: _adjust(p, "fdr_bh"))
    return out
