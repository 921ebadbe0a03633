"""Power: minimum detectable effect and the items / seeds needed to detect a difference.

Variance model of a paired difference between two arms on one benchmark::

    Var(diff) = sd_diff^2 * design_effect / n_items + (seed_var_a + seed_var_b) / n_seeds

``sd_diff`` is the standard deviation of the item-paired differences,
``design_effect`` the inflation from clustered items (clustered SE^2 / iid
SE^2), ``seed_var`` the variance of one arm's per-seed benchmark mean. A
two-sided test at level alpha has the requested power when
(z_{1-alpha/2} + z_power) * sqrt(Var) <= delta (normal approximation, as in
"Adding error bars to evals").
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from study.errors import StudyError

SEED_VARIANCE_UNKNOWN = "not estimable with one seed per arm"


class PowerInputError(StudyError):
    """Arguments of a power computation are out of range."""


def _z(alpha: float, power: float) -> float:
    if not 0 < alpha < 1 or not 0 < power < 1:
        raise PowerInputError(f"alpha={alpha} and power={power} must both be in (0, 1)")
    return float(stats.norm.ppf(1 - alpha / 2) + stats.norm.ppf(power))


def minimum_detectable_effect(se: float | np.ndarray, alpha: float = 0.05, power: float = 0.8):
    """Smallest true difference detected with probability ``power`` given the SE of the difference."""
    return _z(alpha, power) * np.asarray(se, dtype=float) if np.ndim(se) else _z(alpha, power) * float(se)


def sd_floor(delta: float) -> float:
    """The smallest SD of item-paired differences a true mean difference ``delta`` allows.

    An observed SD (or SE) of (nearly) zero -- two checkpoints answering a
    handful of items identically -- would make any effect look detectable. A
    true mean difference delta between binary [0, 1] scores has paired-difference
    variance of at least delta(1 - delta), so power never uses less; the same
    floor is applied to continuous scores, conservatively.
    """
    return math.sqrt(max(delta * (1 - delta), 0.0))  # no floor for delta >= 1 (beyond the [0, 1] score range)


def se_floor(delta: float, n_clusters):
    """:func:`sd_floor` over the independent units (clusters) of a benchmark."""
    return sd_floor(delta) / np.sqrt(np.clip(np.asarray(n_clusters, dtype=float), 1, None))


@dataclass(frozen=True)
class SampleSize:
    delta: float
    alpha: float
    power: float
    n_seeds: int
    n_items: int | None   # items per benchmark needed with n_seeds seeds per arm; None: more items cannot suffice
    min_seeds: int        # fewest seeds per arm with which some finite number of items suffices

    def __str__(self) -> str:
        items = "impossible with this many seeds" if self.n_items is None else f"{self.n_items} items"
        return (f"delta={self.delta:g} alpha={self.alpha:g} power={self.power:g}: {items} at {self.n_seeds} seed(s)/arm; "
                f"at least {self.min_seeds} seed(s)/arm")


def required_sample_size(delta: float, *, sd_diff: float, design_effect: float = 1.0, seed_var_a: float = 0.0,
                         seed_var_b: float = 0.0, n_seeds: int = 1, alpha: float = 0.05, power: float = 0.8) -> SampleSize:
    """How many items (and seeds per arm) a benchmark needs to detect a true difference ``delta``."""
    if delta <= 0 or sd_diff < 0 or design_effect <= 0 or n_seeds < 1 or seed_var_a < 0 or seed_var_b < 0:
        raise PowerInputError(f"need delta > 0, sd_diff >= 0, design_effect > 0, n_seeds >= 1, seed variances >= 0; "
                              f"got delta={delta}, sd_diff={sd_diff}, design_effect={design_effect}, n_seeds={n_seeds}")
    budget = (delta / _z(alpha, power)) ** 2
    seed_part = seed_var_a + seed_var_b
    min_seeds = 1 if seed_part == 0 else math.floor(seed_part / budget) + 1
    room = budget - seed_part / n_seeds
    n_items = None if room <= 0 else max(2, math.ceil(sd_diff**2 * design_effect / room))
    return SampleSize(delta, alpha, power, n_seeds, n_items, min_seeds)


def power_table(contrasts: pd.DataFrame, delta: float = 0.05, alpha: float = 0.05, power: float = 0.8,
                n_seeds: int | None = None, condition: str = "clean") -> pd.DataFrame:
    """Per benchmark x contrast: MDE at the observed design and items/seeds needed for ``delta``.

    The SE and SD used are floored as in :func:`sd_floor` (the same floor as the
    verdicts of :func:`add_power`, so both always agree on "underpowered");
    ``se_observed`` keeps the unfloored SE.

    With one seed per arm the seed variance cannot be estimated, so the seeds
    needed cannot be computed (it would silently assume no seed variance and
    say 1): ``seeds_needed`` is NaN and ``seed_variance`` says why;
    ``items_needed`` is then about the two checkpoints only.

    ``contrasts`` is ``AnalysisResult.contrasts`` or ``stats/contrasts.csv``;
    ``n_seeds`` defaults to the seeds per arm observed in the run.
    """
    df = contrasts[contrasts["condition"] == condition]
    rows = []
    for r in df.itertuples(index=False):
        k = n_seeds or max(int(r.n_seeds_a), int(r.n_seeds_b))
        va = r.seed_var_a if r.n_seeds_a > 1 else 0.0
        vb = r.seed_var_b if r.n_seeds_b > 1 else 0.0
        deff = r.design_effect if np.isfinite(r.design_effect) else 1.0
        sd = max(r.sd_diff if np.isfinite(r.sd_diff) else 0.0, sd_floor(delta))
        need = required_sample_size(delta, sd_diff=sd, design_effect=max(deff, 1e-9), seed_var_a=va,
                                    seed_var_b=vb, n_seeds=k, alpha=alpha, power=power)
        observed = r.se_proc if np.isfinite(r.se_proc) else r.se_ckpt
        se = max(float(observed), float(se_floor(delta, r.n_clusters)))
        mde = minimum_detectable_effect(se, alpha, power)
        seeds_known = r.n_seeds_a > 1 or r.n_seeds_b > 1
        rows.append({"benchmark": r.benchmark, "contrast": r.contrast, "n_items": r.n_items, "n_clusters": r.n_clusters,
                     "n_seeds": k, "sd_diff": sd, "design_effect": deff, "seed_var_a": va, "seed_var_b": vb,
                     "se_observed": observed, "se": se, "mde": mde, "delta": delta, "underpowered": not (mde <= delta),
                     "items_needed": need.n_items,
                     "seeds_needed": need.min_seeds if seeds_known else np.nan,
                     "seed_variance": "estimated" if seeds_known else SEED_VARIANCE_UNKNOWN})
    return pd.DataFrame(rows)


def add_power(contrasts: pd.DataFrame, delta: float, alpha: float = 0.05, power: float = 0.8) -> pd.DataFrame:
    """Add MDE, the underpowered flag and a verdict that never claims 'no difference' when underpowered."""
    df = contrasts.copy()
    se = df["se_proc"].where(df["p_source"] == "procedure", df["se_ckpt"]).to_numpy(float)
    if "n_clusters" in df:
        se = np.maximum(se, se_floor(delta, df["n_clusters"].to_numpy(float)))
    df["mde"] = minimum_detectable_effect(se, alpha, power)
    df["underpowered"] = ~(df["mde"] <= delta)
    sig = df["p_bh"] < alpha
    df["verdict"] = np.select(
        [sig & (df["diff"] > 0), sig & (df["diff"] < 0), df["underpowered"]],
        ["a better", "b better", "inconclusive (underpowered)"], default="no difference >= delta detected")
    return df
