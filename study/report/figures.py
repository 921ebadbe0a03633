"""Report figures (seaborn on the Agg backend), each built from the stored statistics tables."""

from __future__ import annotations

import io
from dataclasses import dataclass

import matplotlib
import matplotlib.ticker

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from study.report.load import ReportData  # noqa: E402
from study.report.tables import ledger_frame  # noqa: E402
from study.stats.primitives import MIN_UNITS  # noqa: E402

DPI = 110


@dataclass
class Figure:
    name: str
    title: str
    caption: str
    png: bytes


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def _ci_cols(df: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The interval a claim uses, clipped to [-1, 1]; NaN where a benchmark has too few clusters for one."""
    proc = df["ci_proc_low"].notna()
    lo = np.where(proc, df["ci_proc_low"], df["ci_ckpt_low"]).astype(float)
    hi = np.where(proc, df["ci_proc_high"], df["ci_ckpt_high"]).astype(float)
    small = (df["n_clusters"] < MIN_UNITS).to_numpy() if "n_clusters" in df else np.zeros(len(df), bool)
    lo[small], hi[small] = np.nan, np.nan
    return np.clip(lo, -1, 1), np.clip(hi, -1, 1)


def _forest_limits(points: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> tuple[float, float]:
    """x range covering every point and interval (never wider than [-1, 1]) plus a margin."""
    vals = np.concatenate([points, lo, hi, [0.0]])
    vals = vals[np.isfinite(vals)]
    left, right = max(-1.0, float(vals.min())), min(1.0, float(vals.max()))
    pad = 0.05 * max(right - left, 0.1)
    return left - pad, right + pad


def forest(data: ReportData) -> Figure | None:
    c = data.t("contrasts")
    pairs = data.contrasts[:3]
    if c.empty or not pairs:
        return None
    c = c[c["condition"] == "clean"]
    order = c[(c["arm_a"] == pairs[0][0]) & (c["arm_b"] == pairs[0][1])].sort_values("diff")["benchmark"].tolist()
    fig, axes = plt.subplots(1, len(pairs), figsize=(4.2 * len(pairs), 1.2 + 0.22 * len(order)), sharey=True, squeeze=False)
    limits = []
    for ax, (a, b) in zip(axes[0], pairs):
        d = c[(c["arm_a"] == a) & (c["arm_b"] == b)].set_index("benchmark").reindex(order)
        lo, hi = _ci_cols(d)
        y = np.arange(len(order))
        sig = (d["p_bh"] < 0.05).to_numpy()
        has = np.isfinite(lo)
        ax.hlines(y[has], lo[has], hi[has], color=np.where(sig[has], "#1f5fa8", "#999999"), lw=1.6)
        ax.scatter(d["diff"][has], y[has], c=np.where(sig[has], "#1f5fa8", "#666666"), s=18, zorder=3)
        ax.scatter(d["diff"][~has], y[~has], facecolors="none", edgecolors="#666666", s=18, zorder=3)
        limits.append(_forest_limits(d["diff"].to_numpy(float), lo, hi))
        ax.axvline(0, color="black", lw=0.8)
        ax.set_title(f"{a} − {b}", fontsize=10)
        ax.set_xlabel("difference in score (95% CI)")
        ax.set_yticks(y, order, fontsize=7)
    for ax in axes[0]:                       # one scale for every contrast, so panels compare
        ax.set_xlim(min(lo for lo, _ in limits), max(hi for _, hi in limits))
    fig.tight_layout()
    return Figure("forest", "Per-benchmark differences",
                  "Each row is one benchmark (clean condition): the paired difference and its 95% interval "
                  "(procedure level when seeds allow, else checkpoint level). Blue: significant after Benjamini–Hochberg. "
                  f"Hollow: fewer than {MIN_UNITS} clusters, no interval (n too small).",
                  _png(fig))


def heatmap(data: ReportData) -> Figure | None:
    s = data.t("summary")
    if s.empty:
        return None
    s = s[s["condition"] == "clean"]
    mat = s.pivot(index="benchmark", columns="arm", values="mean")[[a for a in data.arms if a in set(s["arm"])]]
    fig, ax = plt.subplots(figsize=(1.2 + 1.1 * mat.shape[1], 1.0 + 0.22 * mat.shape[0]))
    sns.heatmap(mat, annot=mat.shape[0] <= 40, fmt=".2f", cmap="viridis", vmin=0, vmax=1, ax=ax,
                cbar_kws={"label": "mean score"}, annot_kws={"fontsize": 7})
    ax.set_xlabel("arm")
    ax.set_ylabel("")
    ax.tick_params(axis="y", labelsize=7)
    return Figure("heatmap", "Scores per arm and benchmark", "Mean clean score (items and seeds averaged); higher is better.", _png(fig))


def split(data: ReportData) -> Figure | None:
    a = data.t("aggregates")
    if a.empty:
        return None
    a = a[a["group_kind"] == "distribution"]
    if a.empty:
        return None
    fig, ax = plt.subplots(figsize=(7, 0.8 + 0.5 * a["contrast"].nunique()))
    groups = sorted(a["group"].unique())
    colours = dict(zip(groups, sns.color_palette("deep", len(groups))))
    order = list(dict.fromkeys(a["contrast"]))
    for j, g in enumerate(groups):
        d = a[a["group"] == g].set_index("contrast").reindex(order)
        y = np.arange(len(order)) + (j - (len(groups) - 1) / 2) * 0.25
        ax.hlines(y, d["macro_ci_low"], d["macro_ci_high"], color=colours[g])
        ax.scatter(d["macro_diff"], y, color=colours[g], label=g, zorder=3)
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(np.arange(len(order)), order)
    ax.set_xlabel("macro-average difference (95% CI)")
    ax.legend(loc="best", fontsize=8)
    return Figure("split", "In-distribution vs held-out",
                  "Macro-average difference over the benchmarks inside vs outside the methods' training distribution.", _png(fig))


def _line(df, x, y, hue, xlabel, ylabel, name, title, caption) -> Figure | None:
    """A line per ``hue`` with its shaded interval; ``None`` for an empty table (the figure is left out)."""
    if df.empty:
        return None
    fig, ax = plt.subplots(figsize=(6.5, 4))
    sns.lineplot(df, x=x, y=y, hue=hue, marker="o", ax=ax)
    for _, g in df.groupby(hue):
        ax.fill_between(g[x], g["ci_low"], g["ci_high"], alpha=0.1)
    ax.xaxis.set_major_locator(matplotlib.ticker.MaxNLocator(integer=True))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return Figure(name, title, caption, _png(fig))


def dose(data: ReportData) -> Figure | None:
    d = data.t("dose")
    if d.empty:
        return None
    fig, ax = plt.subplots(figsize=(6, 4))
    ax.errorbar(d["dose"], d["macro_score"], yerr=[d["macro_score"] - d["ci_low"], d["ci_high"] - d["macro_score"]], marker="o", capsize=3)
    ax.set_xlabel("dose (share of trait data)")
    ax.set_ylabel("macro-average clean score")
    return Figure("dose", "Dose-response", "Macro-average clean score of each dose arm with a 95% bootstrap interval.", _png(fig))


def erosion(data: ReportData) -> Figure | None:
    return _line(data.t("erosion"), "k", "score", "arm", "harmful fine-tune steps k", "mean score on attacked benchmarks", "erosion",
                 "Erosion under harmful fine-tuning", "Score vs attack strength (k = 0 is the clean checkpoint); shaded: 95% bootstrap interval.")


def asr(data: ReportData) -> Figure | None:
    return _line(data.t("asr"), "query", "asr", "arm", "attacker queries", "attack success rate (cumulative)", "asr",
                 "Red-team success vs queries", "Share of behaviours elicited within q attacker queries; shaded: 95% interval over behaviours.")


def persistence(data: ReportData) -> Figure | None:
    p = data.t("persistence")
    if p.empty:
        return None
    kinds = [k for k in ("retention", "steerability") if k in set(p["kind"])]
    fig, axes = plt.subplots(1, len(kinds), figsize=(5.5 * len(kinds), 3.8), squeeze=False)
    for ax, kind in zip(axes[0], kinds):
        d = p[p["kind"] == kind].copy()
        d["value"] = d[kind]
        labels = [f"{c.split(':', 1)[1]}\n{a}" for c, a in zip(d["condition"], d["arm"])]
        x = np.arange(len(d))
        ax.bar(x, d["value"], color=sns.color_palette("deep", len(d)))
        ax.errorbar(x, d["value"], yerr=[d["value"] - d["ci_low"], d["ci_high"] - d["value"]], fmt="none", ecolor="black", capsize=3)
        ax.set_xticks(x, labels, fontsize=7)
        ax.set_ylabel("retention (persona / clean)" if kind == "retention" else "steerability (persona − clean)")
        ax.set_title("harmful personas: keep the score" if kind == "retention" else "helpful personas: follow them", fontsize=10)
    fig.tight_layout()
    return Figure("persistence", "Selective persistence",
                  "Left: share of the clean score kept under harmful persona prompts (higher = more persistent). "
                  "Right: change on the steering benchmark under a helpful persona (arms should be equally steerable).", _png(fig))


def compute(data: ReportData) -> Figure | None:
    led = ledger_frame(data)
    if led.empty:
        return None
    per = led.groupby("arm")[["train", "generate", "score", "judge"]].mean()
    fig, ax = plt.subplots(figsize=(6.5, 3.8))
    per.plot(kind="bar", stacked=True, ax=ax, color=sns.color_palette("deep", 4))
    ax.set_ylabel("FLOPs (mean over checkpoints)")
    ax.set_xlabel("")
    ax.tick_params(axis="x", rotation=0)
    return Figure("compute", "Compute ledger per arm", "FLOPs by component, averaged over each arm's checkpoints.", _png(fig))


BUILDERS = (forest, heatmap, split, dose, erosion, asr, persistence, compute)


def build_figures(data: ReportData) -> list[Figure]:
    sns.set_theme(style="whitegrid", context="paper")
    return [f for f in (b(data) for b in BUILDERS) if f is not None]
