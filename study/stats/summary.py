"""Per benchmark x arm x condition: mean, clustered standard error, 95% interval."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from study.stats import estimators as est
from study.stats.estimators import clustered_se, satterthwaite_df, wilson_interval
from study.stats.panel import Cell, Panel
from study.stats.primitives import MEAN_RANGE, TOO_SMALL, bounded_t_interval

WILSON_MAX_N = 100


def cell_mean_se(cell: Cell, scores: np.ndarray) -> tuple[float, float, float, float]:
    """Mean of a (n_seeds, n_items) matrix, its SE, the SE's df, and the item-only SE.

    The item part is the clustered SE of the seed-averaged item scores; the seed
    part is var(per-seed means)/n_seeds, since seeds are independent training
    runs. Both contain the seed x cluster interaction once, so it is
    subtracted once (var_int / (n_seeds * G)) from the item part, which is
    truncated at zero (as for contrasts, see contrasts.procedure_variance).
    """
    y = scores.mean(axis=0)
    se_items = clustered_se(y, cell.clusters, cell.n_clusters)
    k = scores.shape[0]
    v_seed = float(np.var(scores.mean(axis=1), ddof=1) / k) if k > 1 else 0.0
    v_items = se_items**2 if np.isfinite(se_items) else 0.0
    overlap = est.seed_cluster_interaction(scores, cell.clusters, cell.n_clusters) / (k * cell.n_clusters)
    v_items = max(v_items - overlap, 0.0)
    total = v_items + v_seed
    se = math.sqrt(total) if (np.isfinite(se_items) or v_seed > 0) else float("nan")
    df = satterthwaite_df([(v_items, cell.n_clusters - 1), (v_seed, k - 1)])
    return float(y.mean()), se, df, se_items


def summarise(panel: Panel) -> pd.DataFrame:
    rows = []
    for (bench, cond), cell in sorted(panel.cells.items()):
        for arm, s in sorted(cell.scores.items()):
            mean, se, df, se_items = cell_mean_se(cell, s)
            single_binary = cell.binary and s.shape[0] == 1
            if single_binary and cell.n_items < WILSON_MAX_N:
                iid = math.sqrt(mean * (1 - mean) / cell.n_items) if 0 < mean < 1 else float("nan")
                deff = (se_items / iid) ** 2 if np.isfinite(iid) and iid > 0 and np.isfinite(se_items) else 1.0
                lo, hi = wilson_interval(mean, cell.n_items / max(deff, 1.0))
                method = "wilson"
            else:
                lo, hi = bounded_t_interval(mean, se, df, cell.n_clusters, MEAN_RANGE)
                method = "t" if np.isfinite(lo) else TOO_SMALL
            rows.append({"benchmark": bench, "condition": cond, "arm": arm, **panel.meta.loc[bench].to_dict(),
                         "mean": mean, "se": se, "ci_low": lo, "ci_high": hi, "ci_method": method,
                         "n_items": cell.n_items, "n_clusters": cell.n_clusters, "n_seeds": s.shape[0],
                         "binary": cell.binary, "refusal_rate": float(np.nanmean(cell.refused[arm]))
                         if np.isfinite(cell.refused[arm]).any() else float("nan")})
    return pd.DataFrame(rows)
