"""Small statistics shared by several tables: bounded t intervals, bootstrap intervals and p, pooled means, p adjustment.

One public home for helpers that several table modules need (they used to be
private functions imported across modules).

Range rule: every score is in [0, 1], so a mean lies in [0, 1] and a
difference of means in [-1, 1]. A t interval is clipped to that range, and a
group with fewer than :data:`MIN_UNITS` independent units (clusters of items)
gets no interval at all ("n too small"): with two clusters a t interval has 1
degree of freedom and a half-width of 12.7 standard errors, which says nothing.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats
from statsmodels.stats.multitest import multipletests

MIN_UNITS = 3
MEAN_RANGE = (0.0, 1.0)
DIFF_RANGE = (-1.0, 1.0)
TOO_SMALL = "n too small"


def bounded_t_interval(point: float, se: float, df: float, n_units: int, bounds: tuple[float, float] = DIFF_RANGE,
                       level: float = 0.95) -> tuple[float, float]:
    """t interval of ``point`` clipped to ``bounds``; NaN when fewer than MIN_UNITS units or no finite SE/df."""
    if n_units < MIN_UNITS or not np.isfinite(se) or se <= 0 or not np.isfinite(df) or df <= 0:
        return float("nan"), float("nan")
    q = stats.t.ppf(0.5 + level / 2, df)
    return max(bounds[0], point - q * se), min(bounds[1], point + q * se)


NO_VARIATION = "no variation observed"


def interval_note(n_units: int, se: float = float("nan")) -> str:
    """Why an interval is missing: '' when there is one.

    A standard error of exactly zero (every item pair identical, e.g. two
    checkpoints agreeing on a handful of items) is not evidence of certainty,
    so it gets no zero-width interval either.
    """
    if n_units < MIN_UNITS:
        return TOO_SMALL
    return NO_VARIATION if se == 0 else ""


def percentile_interval(x: np.ndarray, level: float = 0.95) -> tuple[float, float]:
    """Percentile interval of bootstrap replicates; replicates that drew no item of a cell (NaN) are dropped."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    if not x.size:
        return float("nan"), float("nan")
    tail = 50 * (1 - level)
    return float(np.percentile(x, tail)), float(np.percentile(x, 100 - tail))


def bootstrap_p(x: np.ndarray) -> float:
    """Two-sided bootstrap p-value of 'the replicated difference is zero': 2 * min(P(x <= 0), P(x >= 0))."""
    x = np.asarray(x, dtype=float)
    x = x[np.isfinite(x)]
    return float(min(1.0, 2 * min(np.mean(x <= 0), np.mean(x >= 0)))) if x.size else float("nan")


def pooled_mean(panel, draws, benches: list[str], cond: str, arm: str) -> tuple[float, np.ndarray]:
    """Point estimate and bootstrap replicates of the item-weighted mean over ``benches`` under ``cond``."""
    num = sum(panel.cell(b, cond).scores[arm].mean() * panel.cell(b, cond).n_items for b in benches)
    den = sum(panel.cell(b, cond).n_items for b in benches)
    bnum = sum(np.nan_to_num(draws.means[(b, cond, arm)]) * draws.weight[(b, cond)] for b in benches)  # NaN has weight 0
    bden = sum(draws.weight[(b, cond)] for b in benches)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(num / den), bnum / bden


def adjust_array(p: np.ndarray, method: str) -> np.ndarray:
    """statsmodels ``multipletests`` adjusted p-values over the finite entries (NaN stays NaN)."""
    p = np.asarray(p, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.isfinite(p)
    if ok.any():
        out[ok] = multipletests(p[ok], method=method)[1]
    return out


def adjust(p: pd.Series, method: str) -> pd.Series:
    """:func:`adjust_array` keeping the Series index (method: 'fdr_bh', 'fdr_by', 'holm', ...)."""
    return pd.Series(adjust_array(p.to_numpy(dtype=float), method), index=p.index)
