"""Multiple-comparison control over the benchmark x contrast tests.

Each condition is one family (the clean battery is the headline family;
jailbreak, persona and fine-tune conditions are separate questions).
Benjamini–Hochberg controls the false discovery rate under independence or
positive dependence; Benjamini–Yekutieli under any dependence. The manifest's
primary hypotheses are a small pre-registered family with Holm's step-down
(family-wise error) control.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from study.stats.primitives import adjust, adjust_array


def main_pvalue(df: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """The p-value a claim about methods rests on: procedure level when seeds allow it."""
    proc = df["p_proc"].notna()
    return df["p_proc"].where(proc, df["p_ckpt"]), pd.Series(np.where(proc, "procedure", "checkpoint"), index=df.index)


def adjust_pvalues(df: pd.DataFrame, primary: list[dict]) -> pd.DataFrame:
    df = df.copy()
    df["p"], df["p_source"] = main_pvalue(df)
    conds = df["condition"].to_numpy(dtype=object)
    for col in ("p_ckpt", "p_proc", "p"):
        p = df[col].to_numpy(dtype=float)
        for method, tag in (("fdr_bh", "bh"), ("fdr_by", "by")):
            adj = np.full(p.shape, np.nan)
            for cond in np.unique(conds):
                m = conds == cond
                adj[m] = adjust_array(p[m], method)
            df[f"{col}_{tag}"] = adj
    keys = {(h["benchmark"], tuple(h["contrast"])) for h in primary}
    df["primary"] = [(b, (a, c)) in keys and cond == "clean"
                     for b, a, c, cond in zip(df["benchmark"], df["arm_a"], df["arm_b"], df["condition"])]
    df["p_holm"] = np.nan
    if df["primary"].any():
        df.loc[df["primary"], "p_holm"] = adjust(df.loc[df["primary"], "p"], "holm")
    return df
