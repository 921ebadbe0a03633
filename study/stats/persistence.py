"""Selective persistence: keeping the score under harmful personas while following helpful ones.

Retention of an arm under harmful persona P = (pooled mean score under
``persona:P``) / (pooled mean clean score on the same items), items of all
benchmarks scored under P weighted equally. Steerability under helpful
persona H = mean(``persona:H``) - mean(``clean``) on benchmark ``steer-H``.
Intervals and arm differences come from the joint bootstrap (the same seed
draws and item weights as every other statistic), as percentile intervals
because a ratio's sampling distribution is skewed. The point estimates are
:func:`study.attacks.metrics.retention_table` / ``steerability_table`` (the
one definition the CLI prints too), on the benchmarks the intervals use.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from study.attacks import metrics
from study.stats.bootstrap import BootstrapDraws
from study.stats.panel import Panel
from study.stats.primitives import bootstrap_p, percentile_interval, pooled_mean


def same_items(panel: Panel, cond: str) -> list[str]:
    """Benchmarks scored under ``cond`` on exactly their clean items (so ratios compare like with like)."""
    out = []
    for b in panel.benchmarks:
        c, k = panel.cell(b, cond), panel.cell(b, "clean")
        if c is not None and k is not None and np.array_equal(c.items, k.items):
            out.append(b)
    return out


def _with_diffs(per_arm: dict, kind: str, name: str, pairs, metric: str) -> tuple[list[dict], list[dict]]:
    rows = [{"kind": kind, "condition": name, "arm": arm, metric: v, "ci_low": percentile_interval(b)[0], "ci_high": percentile_interval(b)[1]}
            for arm, (v, b) in sorted(per_arm.items())]
    diffs = []
    for a, b in pairs:
        if a in per_arm and b in per_arm:
            d = per_arm[a][1] - per_arm[b][1]
            lo, hi = percentile_interval(d)
            diffs.append({"kind": kind, "condition": name, "contrast": f"{a} - {b}", "metric": metric,
                          "diff": per_arm[a][0] - per_arm[b][0], "ci_low": lo, "ci_high": hi, "p_boot": bootstrap_p(d)})
    return rows, diffs


def persistence_tables(panel: Panel, draws: BootstrapDraws, manifest: dict, pairs,
                       items: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
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
            point = metrics.retention_table(items[items["benchmark"].isin(benches)], [name]).set_index("arm")["retention"]
            per_arm = {}
            for arm in arms:
                _, pb = pooled_mean(panel, draws, benches, cond, arm)
                _, cb = pooled_mean(panel, draws, benches, "clean", arm)
                per_arm[arm] = (float(point[arm]), pb / np.where(cb > 0, cb, np.nan))
            r, d = _with_diffs(per_arm, "retention", cond, pairs, "retention")
        elif polarity.get(cond) == "helpful" and f"steer-{name}" in benches:
            b = f"steer-{name}"
            point = metrics.steerability_table(items[items["benchmark"] == b], [name]).set_index("arm")["steerability"]
            per_arm = {}
            for arm in panel.cell(b, cond).scores:
                _, pb = pooled_mean(panel, draws, [b], cond, arm)
                _, cb = pooled_mean(panel, draws, [b], "clean", arm)
                per_arm[arm] = (float(point[arm]), pb - cb)
            r, d = _with_diffs(per_arm, "steerability", cond, pairs, "steerability")
        else:
            continue
        rows += r
        diffs += d
    return pd.DataFrame(rows), pd.DataFrame(diffs)
