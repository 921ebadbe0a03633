"""Display tables of the report, as DataFrames of formatted strings."""

from __future__ import annotations

import numpy as np
import pandas as pd

from study.report import fmt
from study.report.load import ReportData
from study.stats.primitives import DIFF_RANGE, MIN_UNITS, TOO_SMALL


def interval_text(d, lo, hi, n_units=None, bounds=DIFF_RANGE) -> str:
    """'+0.100 [-0.050, +0.250]'; 'n too small' below MIN_UNITS clusters; clipped to the score range.

    The clipping and the cluster rule are applied here too so that statistics
    written by an older version (unbounded 1-df t intervals) still display sanely.
    """
    if n_units is not None and not pd.isna(n_units) and int(n_units) < MIN_UNITS:
        return f"{fmt.signed(d)} ({TOO_SMALL})"
    if pd.isna(lo) or pd.isna(hi):
        return f"{fmt.signed(d)} (no interval)"
    return fmt.diff_ci(d, max(bounds[0], float(lo)), min(bounds[1], float(hi)))


def _group_units(data: ReportData, a: str, b: str, kind: str, group: str) -> float:
    """Clusters in a headline group, from the contrasts table (older aggregates.csv lack ``n_clusters``)."""
    c = data.t("contrasts")
    c = c[(c["arm_a"] == a) & (c["arm_b"] == b) & (c["condition"] == "clean") & ~c["benchmark"].str.startswith("steer-")]
    if kind != "all":
        c = c[c[kind].astype(str) == str(group)]
    return float(c["n_clusters"].sum()) if not c.empty else np.nan


def _uncert(row) -> tuple[float, float]:
    """The interval a claim about methods uses: procedure level when available."""
    if "ci_proc_low" in row and not pd.isna(row["ci_proc_low"]):
        return row["ci_proc_low"], row["ci_proc_high"]
    return row["ci_ckpt_low"], row["ci_ckpt_high"]


def headline_table(data: ReportData, contrast: tuple[str, str]) -> pd.DataFrame:
    """Per group (all, each category, each split): arms' mean scores, difference, adjusted p, X of Y."""
    agg, summ = data.t("aggregates"), data.t("summary")
    a, b = contrast
    agg = agg[(agg["arm_a"] == a) & (agg["arm_b"] == b)]
    clean = summ[(summ["condition"] == "clean") & ~summ["benchmark"].str.startswith("steer-")]
    rows = []
    for r in agg.itertuples(index=False):
        if r.group_kind == "all":
            sel = clean
        else:
            sel = clean[clean[r.group_kind] == r.group]
        means = sel.groupby("arm")["mean"].mean()
        row = {"group": "all benchmarks" if r.group_kind == "all" else f"{r.group_kind}: {r.group}",
               "benchmarks": r.n_benchmarks}
        row |= {arm: fmt.num(means.get(arm, np.nan)) for arm in data.arms}
        units = getattr(r, "n_clusters", None)
        units = _group_units(data, a, b, r.group_kind, r.group) if units is None or pd.isna(units) else units
        x_lo, x_hi = min(r.improved_ci_low, r.improved), max(r.improved_ci_high, r.improved)   # older stats: see aggregate.py
        row |= {f"{a} − {b} [95% CI]": interval_text(r.macro_diff, r.macro_ci_low, r.macro_ci_high, units),
                "p (BH)": fmt.pval(getattr(r, "macro_p_bh", np.nan)),
                "improved X of Y [95% CI]": f"{r.improved} of {r.n_benchmarks} [{x_lo:.0f}, {x_hi:.0f}]",
                "sig. better / worse": f"{r.sig_improved} / {r.sig_worse}"}
        rows.append(row)
    return pd.DataFrame(rows)


def benchmark_table(data: ReportData, contrast: tuple[str, str], condition: str = "clean") -> pd.DataFrame:
    c = data.t("contrasts")
    c = c[(c["arm_a"] == contrast[0]) & (c["arm_b"] == contrast[1]) & (c["condition"] == condition)]
    rows = []
    c = c.assign(_abs=c["diff"].abs()).sort_values(["p", "_abs"], ascending=[True, False], na_position="last")
    for _, r in c.iterrows():
        lo, hi = _uncert(r)
        rows.append({"benchmark": r["benchmark"], "category": r["category"], "split": r["distribution"],
                     "items (clusters)": f"{r['n_items']} ({r['n_clusters']})",
                     "difference [95% CI]": interval_text(r["diff"], lo, hi, r["n_clusters"]), "level": r["p_source"],
                     "p": fmt.pval(r["p"]), "p (BH)": fmt.pval(r["p_bh"]),
                     "p (Holm, primary)": fmt.pval(r["p_holm"]) if r.get("primary", False) else "",
                     "effect size": f"{fmt.signed(r['effect_size'], 2)} ({'h' if r['effect_kind'] == 'cohens_h' else 'r_rb'})",
                     "MDE": fmt.num(r["mde"]), "verdict": r["verdict"]})
    return pd.DataFrame(rows)


def ledger_frame(data: ReportData) -> pd.DataFrame:
    rows = []
    for name, led in sorted(data.ledgers.items()):
        arm, _, seed = name.rpartition("-s")
        fl = led.get("flops", {})
        api = led.get("api_tokens", {})
        rows.append({"arm": arm or name, "seed": seed, **{k: float(fl.get(k, 0.0)) for k in ("train", "generate", "score", "judge")},
                     "total": float(led.get("total_flops", sum(fl.values()))), "budget": float(led.get("budget_flops", np.nan)),
                     "api_tokens": int(api.get("input", 0)) + int(api.get("output", 0))})
    return pd.DataFrame(rows)


def compute_table(data: ReportData) -> tuple[pd.DataFrame, float]:
    """FLOPs per arm (mean over its checkpoints) and the max/min ratio of total FLOPs over trained arms."""
    led = ledger_frame(data)
    if led.empty:
        return pd.DataFrame(), float("nan")
    per = led.groupby("arm").agg(checkpoints=("seed", "size"), train=("train", "mean"), generate=("generate", "mean"),
                                 score=("score", "mean"), judge=("judge", "mean"), total=("total", "mean"),
                                 budget=("budget", "mean"), api_tokens=("api_tokens", "mean"))
    trained = per[per["train"] > 0]
    ratio = float(trained["total"].max() / trained["total"].min()) if len(trained) > 1 else float("nan")
    out = per.reset_index()
    for col in ("train", "generate", "score", "judge", "total", "budget"):
        out[col] = out[col].map(fmt.flops)
    out["api_tokens"] = out["api_tokens"].map(lambda x: f"{x:.0f}")
    return out.rename(columns={c: f"{c} FLOPs" for c in ("train", "generate", "score", "judge", "total", "budget")}), ratio


def manifest_table(data: ReportData) -> pd.DataFrame:
    m = data.manifest
    git = m.get("git", {}) if isinstance(m.get("git"), dict) else {}
    commit = git.get("commit", m.get("git_commit", "missing"))
    dirty = git.get("dirty", m.get("git_dirty", "missing"))
    model = m.get("model", m.get("model_spec", "missing"))
    versions = m.get("packages", m.get("package_versions", {}))
    rows = [("run", m.get("run_id", m.get("run", "missing"))), ("created", m.get("created", m.get("created_at", "missing"))),
            ("config sha256", m.get("config_hash", m.get("config_sha256", "missing"))),
            ("seeds", m.get("seeds", "missing")), ("model", model if isinstance(model, str) else _compact(model)),
            ("git commit", f"{commit} ({'dirty' if dirty is True else 'clean' if dirty is False else 'dirty flag missing'})"),
            ("arms", ", ".join(f"{a['name']} ({a.get('method', '?')})" for a in m.get("arms", []))),
            ("conditions", ", ".join(c["name"] for c in m.get("conditions", []))),
            ("package versions", _compact(versions) if versions else "missing"),
            ("analysis", ", ".join(f"{k}={v}" for k, v in data.settings.items()) or "missing")]
    return pd.DataFrame(rows, columns=["field", "value"]).astype(str)


def _compact(d) -> str:
    return ", ".join(f"{k}={v}" for k, v in d.items()) if isinstance(d, dict) else str(d)


def power_display(data: ReportData, contrast: tuple[str, str]) -> pd.DataFrame:
    p = data.t("power")
    if p.empty:
        return p
    p = p[p["contrast"] == f"{contrast[0]} - {contrast[1]}"].sort_values("mde")
    return pd.DataFrame({"benchmark": p["benchmark"], "items (clusters)": [f"{a} ({b})" for a, b in zip(p["n_items"], p["n_clusters"])],
                         "seeds/arm": p["n_seeds"], **({"SE observed": p["se_observed"].map(fmt.num)} if "se_observed" in p else {}),
                         "SE used": p["se"].map(fmt.num), "MDE": p["mde"].map(fmt.num),
                         "target δ": p["delta"].map(fmt.num), "underpowered": p["underpowered"].map({True: "yes", False: "no"}),
                         "items needed": p["items_needed"].map(lambda x: "more seeds first" if pd.isna(x) else f"{int(x)}"),
                         "seeds needed": [_seeds_needed(x, k) for x, k in zip(p["seeds_needed"], p["n_seeds"])]})


def _seeds_needed(x, n_seeds) -> str:
    if pd.isna(x) or int(n_seeds) < 2:
        return "not estimable (one seed per arm)"
    return f"{int(x)}"


def power_summary(data: ReportData, contrast: tuple[str, str]) -> str:
    p = data.t("power")
    if p.empty:
        return "No power table."
    p = p[p["contrast"] == f"{contrast[0]} - {contrast[1]}"]
    under = p["underpowered"].astype(str).str.lower().eq("true")
    delta = fmt.num(p["delta"].iloc[0]) if len(p) else "δ"
    return (f"{int(under.sum())} of {len(p)} benchmarks are underpowered for δ = {delta} (median MDE "
            f"{fmt.num(p['mde'].median())}, smallest {fmt.num(p['mde'].min())}).")


def interval_display(df: pd.DataFrame, value: str, label: str, keep: list[str]) -> pd.DataFrame:
    if df.empty:
        return df
    out = df[keep].copy()
    out[f"{label} [95% CI]"] = [fmt.diff_ci(v, lo, hi) if str(value) == "diff" else f"{fmt.num(v)} [{fmt.num(lo)}, {fmt.num(hi)}]"
                               for v, lo, hi in zip(df[value], df["ci_low"], df["ci_high"])]
    if "p_boot" in df:
        out["p (bootstrap)"] = df["p_boot"].map(fmt.pval)
    return out


def nonrefusal_display(data: ReportData, contrast: tuple[str, str]) -> pd.DataFrame:
    n, c = data.t("nonrefusal"), data.t("contrasts")
    if n.empty:
        return n
    key = f"{contrast[0]} - {contrast[1]}"
    n = n[n["contrast"] == key].sort_values("p", na_position="last")
    allc = c[(c["contrast"] == key) & (c["condition"] == "clean")].set_index("benchmark")["diff"]
    return pd.DataFrame({"benchmark": n["benchmark"], "pairs kept": [f"{a} of {b}" for a, b in zip(n["n_pairs"], n["n_items"])],
                         "difference, all answers": n["benchmark"].map(allc).map(fmt.signed),
                         "difference, non-refusals [95% CI]": [interval_text(d, lo, hi) for d, lo, hi in zip(n["diff"], n["ci_low"], n["ci_high"])],
                         "p (BH)": n["p_bh"].map(fmt.pval)})
