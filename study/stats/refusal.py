"""Non-refusal re-analysis: contrasts on answers that are not refusals.

A method that refuses more can look safer on benchmarks that reward refusing
and worse on capability ones, so the reference study also compared only pairs
where neither answer was a refusal. With several seeds and samples per item,
an arm's item score here is the mean over its non-refused answers; an item is
kept when both arms have at least one non-refused answer. Checkpoint-level
inference only (clustered SE, sign-flip test on cluster sums, BH within the
re-analysis).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from study.stats import estimators as est
from study.stats.primitives import adjust, bounded_t_interval, interval_note


def nonrefusal_table(df: pd.DataFrame, pairs: list[tuple[str, str]], rng: np.random.Generator,
                     n_perm: int) -> pd.DataFrame:
    clean = df[(df["condition"] == "clean") & df["refused"].notna()]
    kept = clean[~clean["refused"].astype(bool)]
    wide = kept.groupby(["benchmark", "item", "arm"], observed=True)["score"].mean().unstack("arm")
    n_items = clean.groupby("benchmark")["item"].nunique()
    clusters = df.drop_duplicates(["benchmark", "item"]).set_index(["benchmark", "item"])["cluster"]
    cl_codes = pd.factorize(clusters.reindex(wide.index).to_numpy(dtype=object))[0]
    benches = wide.index.get_level_values("benchmark").to_numpy(dtype=object)
    cols = {arm: wide[arm].to_numpy(dtype=float) for arm in wide.columns}
    rows = []
    for bench, idx in pd.Series(range(len(benches))).groupby(benches, sort=True).indices.items():
        for a, b in pairs:
            if a not in cols or b not in cols:
                continue
            ya, yb = cols[a][idx], cols[b][idx]
            ok = np.isfinite(ya) & np.isfinite(yb)
            row = {"benchmark": bench, "contrast": f"{a} - {b}", "arm_a": a, "arm_b": b,
                   "n_pairs": int(ok.sum()), "n_items": int(n_items[bench])}
            if ok.sum() < 2:
                rows.append(row | {"diff": np.nan, "se": np.nan, "ci_low": np.nan, "ci_high": np.nan, "p": np.nan})
                continue
            d = ya[ok] - yb[ok]
            _, codes = np.unique(cl_codes[idx][ok], return_inverse=True)
            g = int(codes.max()) + 1
            se = est.clustered_se(d, codes, g)
            lo, hi = bounded_t_interval(float(d.mean()), se, g - 1, g)
            sums = np.bincount(codes, weights=d, minlength=g)[:, None]
            p = float(est.sign_flip_pvalues(sums, est.draw_signs(rng, n_perm, g))[0]) if g > 1 else np.nan
            rows.append(row | {"diff": float(d.mean()), "se": se, "ci_low": lo, "ci_high": hi, "ci_note": interval_note(g), "p": p})
    out = pd.DataFrame(rows)
    if not out.empty:
        out["p_bh"] = adjust(out["p"], "fdr_bh")
    return out


def refusal_rates(df: pd.DataFrame) -> pd.DataFrame:
    """Share of refused answers per arm and condition (all benchmarks pooled, items weighted equally)."""
    known = df[df["refused"].notna()]
    if known.empty:
        return pd.DataFrame(columns=["arm", "condition", "refusal_rate", "n"])
    item = known.groupby(["arm", "condition", "benchmark", "item"], observed=True)["refused"].mean().reset_index()
    return (item.groupby(["arm", "condition"], observed=True)["refused"]
                .agg(refusal_rate="mean", n="size").reset_index())
