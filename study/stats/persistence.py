"""Selective persistence: keeping the score under harmful personas while following helpful ones.

Retention of an arm under harmful persona P = (pooled mean score under
``persona:P``) / (pooled mean clean score on the same items), items of all
benchmarks scored under P weighted equally. Steerability under helpful
persona H = mean(``persona:H``) - mean(``clean``) on benchmark ``steer-H``.
Intervals and arm differences come from the joint bootstrap (the same seed
draws and item weights as every other statistic), as percentile intervals
because a ratio's sampling distribution is skewed.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from study.stats.bootstrap import BootstrapDraws
from study.stats.panel import Panel


def _pooled(panel: Panel, draws: BootstrapDraws, benches: list[str], cond: str, arm: str) -> tuple[float, np.ndarray]:
    """Point estimate and replicates of the item-weighted pooled mean over benchmarks."""
    num = sum(panel.cell(b, cond).scores[arm].mean() * panel.cell(b, cond).n_items for b in benches)
    den = sum(panel.cell(b, cond).n_items for b in benches)
    bnum = sum(np.nan_to_num(draws.means[(b, cond, arm)]) * draws.weight[(b, cond)] for b in benches)  # NaN has weight 0
    bden = sum(draws.weight[(b, cond)] for b in benches)
    with np.errstate(invalid="ignore", divide="ignore"):
        return float(num / den), bnum / bden


def same_items(panel: Panel, cond: str) -> list[str]:
    """Benchmarks scored under ``cond`` on exactly their clean items (so ratios compare like with like)."""
    out = []
    for b in panel.benchmarks:
        c, k = panel.cell(b, cond), panel.cell(b, "clean")
        if c is not None and k is not None and np.array_equal(c.items, k.items):
            out.append(b)
    return out


def _ci(x: np.ndarray) -> tuple[float, float]:
    x = x[np.isfinite(x)]  # replicates that drew no item of the cell are undefined
    return (float(np.percentile(x, 2.5)), float(np.percentile(x, 97.5))) if x.size else (float("nan"), float("nan"))


def _boot_p(x: np.ndarray) -> float:
    x = x[np.isfinite(x)]
    return float(min(1.0, 2 * min(np.mean(x <= 0), np.mean(x >= 0)))) if x.size else float("nan")


def _with_diffs(per_arm: dict, kind: str, name: str, pairs, metric: str) -> tuple[list[dict], list[dict]]:
    rows = [{"kind": kind, "condition": name, "arm": arm, metric: v, "ci_low": _ci(b)[0], "ci_high": _ci(b)[1]}
            for arm, (v, b) in sorted(per_arm.items())]
    diffs = []
    for a, b in pairs:
        if a in per_arm and b in per_arm:
            d = per_arm[a][1] - per_arm[b][1]
            lo, hi = _ci(d)
            diffs.append({"kind": kind, "condition": name, "contrast": f"{a} - {b}", "metric": metric,
                          "diff": per_arm[a][0] - per_arm[b][0], "ci_low": lo, "ci_high": hi, "p_boot": _boot_p(d)})
    return rows, diffs


def persistence_tables(panel: Panel, draws: BootstrapDraws, manifest: dict, pairs) -> tuple[pd.DataFrame, pd.DataFrame]:
    polarity = {c["name"]: c.get("polarity") for c in manifest.get("conditions", [])}
    rows, diffs = [], []
    for cond in panel.conditions:
        if not cond.startswith("persona:"):
            continue
        name = cond.split(":", 1)[1]
        benches = same_items(panel, cond)
        if polarity.get(cond) == "harmful":
            benches = [b for b in benches if not b.startswith("steer-")]
            arms = set.intersection(*(set(panel.cell(b, cond).scores) for b in benches)) if benches else set()
            per_arm = {}
            for arm in arms:
                pv, pb = _pooled(panel, draws, benches, cond, arm)
                cv, cb = _pooled(panel, draws, benches, "clean", arm)
                per_arm[arm] = (pv / cv if cv > 0 else np.nan, pb / np.where(cb > 0, cb, np.nan))
            r, d = _with_diffs(per_arm, "retention", cond, pairs, "retention")
        elif polarity.get(cond) == "helpful" and f"steer-{name}" in benches:
            b = f"steer-{name}"
            per_arm = {}
            for arm in panel.cell(b, cond).scores:
                pv, pb = _pooled(panel, draws, [b], cond, arm)
                cv, cb = _pooled(panel, draws, [b], "clean", arm)
                per_arm[arm] = (pv - cv, pb - cb)
            r, d = _with_diffs(per_arm, "steerability", cond, pairs, "steerability")
        else:
            continue
        rows += r
        diffs += d
    return pd.DataFrame(rows), pd.DataFrame(diffs)
