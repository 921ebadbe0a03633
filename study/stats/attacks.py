"""Attack curves with intervals: harmful fine-tune erosion, red-team success vs queries, dose-response.

Point estimates of the attack figures come from :mod:`study.attacks.metrics`
(one definition for the CLI and the report); this module adds bootstrap intervals.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from study.attacks import metrics
from study.errors import DataError
from study.stats.bootstrap import BootstrapDraws
from study.stats.io import StatsInputError
from study.stats.panel import Panel
from study.stats.persistence import same_items
from study.stats.primitives import bootstrap_p, percentile_interval, pooled_mean


def finetune_steps(panel: Panel) -> list[tuple[int, str]]:
    out = []
    for c in panel.conditions:
        if c.startswith("finetune:"):
            try:
                out.append((int(c.split(":", 1)[1]), c))
            except ValueError:
                continue
    return sorted(out)


def erosion_tables(panel: Panel, draws: BootstrapDraws, pairs, items: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Score vs fine-tune steps k per arm (k=0 is clean) and the area under that curve.

    A ``finetune:0`` condition (the attack pipeline with zero steps) is used as
    k = 0 when present, the clean condition otherwise.
    AUC is the trapezoid area divided by the k range, i.e. the average score over
    the attack; a more persistent arm has a larger AUC. Benchmarks enter only if
    scored under every k on their clean items.
    """
    steps = finetune_steps(panel)
    if not steps:
        return pd.DataFrame(), pd.DataFrame()
    benches = sorted(set.intersection(*(set(same_items(panel, c)) for _, c in steps if c != "clean")))
    if not benches:
        return pd.DataFrame(), pd.DataFrame()
    if steps[0][0] != 0:
        steps = [(0, "clean"), *steps]
    ks = np.array([k for k, _ in steps], dtype=float)
    conds = [c for _, c in steps]
    arms = set.intersection(*(set(panel.cell(b, c).scores) for b in benches for c in conds))
    used = items[items["benchmark"].isin(benches) & items["condition"].isin(conds) & items["arm"].isin(arms)]
    points = metrics.erosion_curve(used)
    point_auc = metrics.erosion_auc(points)
    points = points.set_index(["arm", "k"])["score"]
    curve_rows, auc = [], {}
    for arm in sorted(arms):
        vals = points.loc[arm].reindex(ks.astype(int)).to_numpy(float)
        boots = np.stack([pooled_mean(panel, draws, benches, c, arm)[1] for c in conds])   # (K, B)
        for k, c, v, b in zip(ks, conds, vals, boots):
            lo, hi = percentile_interval(b)
            curve_rows.append({"arm": arm, "k": int(k), "condition": c, "score": v, "ci_low": lo, "ci_high": hi})
        span = ks[-1] - ks[0] if ks[-1] > ks[0] else 1.0
        auc[arm] = (point_auc[arm], np.trapezoid(boots, ks, axis=0) / span)
    auc_rows = [{"arm": a, "auc": v, "ci_low": percentile_interval(b)[0], "ci_high": percentile_interval(b)[1]} for a, (v, b) in sorted(auc.items())]
    for a, b in pairs:
        if a in auc and b in auc:
            d = auc[a][1] - auc[b][1]
            auc_rows.append({"arm": f"{a} - {b}", "auc": auc[a][0] - auc[b][0], "ci_low": percentile_interval(d)[0],
                             "ci_high": percentile_interval(d)[1], "p_boot": bootstrap_p(d)})
    return pd.DataFrame(curve_rows), pd.DataFrame(auc_rows)


def redteam_asr_table(redteam: pd.DataFrame | None, rng: np.random.Generator, n_boot: int) -> pd.DataFrame:
    """Red-team ASR vs attacker queries per arm (point: :func:`study.attacks.metrics.redteam_asr_curve`).

    The interval resamples behaviours (percentile bootstrap, ``n_boot`` replicates).
    """
    if redteam is None or redteam.empty:
        return pd.DataFrame()
    try:
        points = metrics.redteam_asr_curve(redteam)
    except DataError as e:
        raise StatsInputError(str(e)) from None
    bounds = {}
    for arm in points["arm"].unique():
        x = metrics.redteam_matrix(redteam, arm).to_numpy()          # (n_behaviours, Q)
        idx = rng.integers(0, x.shape[0], size=(n_boot, x.shape[0]))
        boot = x[idx].mean(axis=1)                                    # (B, Q)
        bounds[arm] = (np.percentile(boot, 2.5, axis=0), np.percentile(boot, 97.5, axis=0))
    rank = points.groupby("arm").cumcount().to_numpy()
    points["ci_low"] = [float(bounds[a][0][j]) for a, j in zip(points["arm"], rank)]
    points["ci_high"] = [float(bounds[a][1][j]) for a, j in zip(points["arm"], rank)]
    return points[["arm", "query", "asr", "ci_low", "ci_high", "n_behaviours"]]


def dose_table(panel: Panel, draws: BootstrapDraws, manifest: dict) -> pd.DataFrame:
    """Macro-average clean score per dose-sweep arm (the manifest marks them: ``dose_sweep`` and the resolved ``dose``)."""
    doses = {a["name"]: a.get("dose") for a in manifest.get("arms", []) if a.get("dose_sweep")}
    doses = {a: float(d) for a, d in doses.items() if d is not None and a in panel.seeds}
    rows = []
    for arm, dose in sorted(doses.items(), key=lambda t: t[1]):
        vals = [panel.cell(b).scores[arm].mean() for b in panel.benchmarks]
        boot = np.mean([draws.means[(b, "clean", arm)] for b in panel.benchmarks], axis=0)
        rows.append({"arm": arm, "dose": dose, "macro_score": float(np.mean(vals)),
                     "ci_low": percentile_interval(boot)[0], "ci_high": percentile_interval(boot)[1], "n_seeds": len(panel.seeds[arm])})
    return pd.DataFrame(rows)
