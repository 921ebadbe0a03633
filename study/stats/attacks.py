"""Attack curves: harmful fine-tune erosion, red-team success vs queries, dose-response."""

from __future__ import annotations

import numpy as np
import pandas as pd

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


def erosion_tables(panel: Panel, draws: BootstrapDraws, pairs) -> tuple[pd.DataFrame, pd.DataFrame]:
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
    curve_rows, auc = [], {}
    for arm in sorted(arms):
        pts = [pooled_mean(panel, draws, benches, c, arm) for c in conds]
        vals = np.array([p for p, _ in pts])
        boots = np.stack([b for _, b in pts])                          # (K, B)
        for k, c, v, b in zip(ks, conds, vals, boots):
            lo, hi = percentile_interval(b)
            curve_rows.append({"arm": arm, "k": int(k), "condition": c, "score": v, "ci_low": lo, "ci_high": hi})
        span = ks[-1] - ks[0] if ks[-1] > ks[0] else 1.0
        auc[arm] = (float(np.trapezoid(vals, ks) / span), np.trapezoid(boots, ks, axis=0) / span)
    auc_rows = [{"arm": a, "auc": v, "ci_low": percentile_interval(b)[0], "ci_high": percentile_interval(b)[1]} for a, (v, b) in sorted(auc.items())]
    for a, b in pairs:
        if a in auc and b in auc:
            d = auc[a][1] - auc[b][1]
            auc_rows.append({"arm": f"{a} - {b}", "auc": auc[a][0] - auc[b][0], "ci_low": percentile_interval(d)[0],
                             "ci_high": percentile_interval(d)[1], "p_boot": bootstrap_p(d)})
    return pd.DataFrame(curve_rows), pd.DataFrame(auc_rows)


def asr_table(redteam: pd.DataFrame | None, rng: np.random.Generator, n_boot: int) -> pd.DataFrame:
    """Attack success rate vs attacker queries per arm; behaviours resampled for the interval."""
    if redteam is None or redteam.empty:
        return pd.DataFrame()
    need = {"arm", "seed", "behaviour", "query", "success"}
    if missing := need - set(redteam.columns):
        raise StatsInputError(f"redteam.parquet: missing column(s) {', '.join(sorted(missing))}")
    if redteam["success"].isna().any():
        raise StatsInputError("redteam.parquet: empty 'success' values; every (arm, seed, behaviour, query) needs True/False")
    rows = []
    for arm, g in redteam.groupby("arm", sort=True):
        mat = g.pivot_table(index="behaviour", columns="query", values="success", aggfunc="mean").astype(float)
        if mat.isna().any().any():
            raise StatsInputError(f"redteam.parquet: arm {arm!r} lacks some (behaviour, query) rows; record every query")
        x = mat.to_numpy()                                            # (n_behaviours, Q)
        idx = rng.integers(0, x.shape[0], size=(n_boot, x.shape[0]))
        boot = x[idx].mean(axis=1)                                    # (B, Q)
        for j, q in enumerate(mat.columns):
            rows.append({"arm": arm, "query": int(q), "asr": float(x[:, j].mean()),
                         "ci_low": float(np.percentile(boot[:, j], 2.5)), "ci_high": float(np.percentile(boot[:, j], 97.5)),
                         "n_behaviours": x.shape[0]})
    return pd.DataFrame(rows)


def dose_table(panel: Panel, draws: BootstrapDraws, manifest: dict) -> pd.DataFrame:
    """Macro-average clean score per dose arm (arms whose params carry ``dose``)."""
    doses = {a["name"]: a.get("params", {}).get("dose") for a in manifest.get("arms", [])}
    doses = {a: float(d) for a, d in doses.items() if d is not None and a in panel.seeds}
    rows = []
    for arm, dose in sorted(doses.items(), key=lambda t: t[1]):
        vals = [panel.cell(b).scores[arm].mean() for b in panel.benchmarks]
        boot = np.mean([draws.means[(b, "clean", arm)] for b in panel.benchmarks], axis=0)
        rows.append({"arm": arm, "dose": dose, "macro_score": float(np.mean(vals)),
                     "ci_low": percentile_interval(boot)[0], "ci_high": percentile_interval(boot)[1], "n_seeds": len(panel.seeds[arm])})
    return pd.DataFrame(rows)
