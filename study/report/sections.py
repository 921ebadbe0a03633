"""The report as a renderer-neutral list of sections (shared by HTML and Markdown)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from study.report import fmt
from study.report.diagnostics import diagnostics_sections, judge_notice
from study.report.figures import Figure
from study.report.limitations import limitations
from study.report.load import ReportData
from study.report.tables import (
    benchmark_table,
    compute_table,
    headline_table,
    interval_display,
    manifest_table,
    nonrefusal_display,
    power_display,
)


@dataclass
class Block:
    kind: str                 # text | table | figure | list | details
    text: str = ""
    table: pd.DataFrame | None = None
    figure: Figure | None = None
    items: list[str] = field(default_factory=list)


@dataclass
class Section:
    title: str
    blocks: list[Block]


def _t(df: pd.DataFrame, caption: str = "", collapsed: bool = False) -> Block:
    return Block("details" if collapsed else "table", text=caption, table=df)


def build_sections(data: ReportData, figures: list[Figure]) -> list[Section]:
    figs = {f.name: f for f in figures}
    fig = lambda n: [Block("figure", figure=figs[n])] if n in figs else []  # noqa: E731
    out: list[Section] = []
    head = data.headline
    if head:
        blocks = [Block("text", text=f"Headline contrast: **{head[0]} − {head[1]}** (positive = {head[0]} better). "
                                     "Arm columns are mean clean scores averaged over the group's benchmarks.")]
        for a, b in data.contrasts:
            blocks.append(_t(headline_table(data, (a, b)), f"{a} − {b}", collapsed=(a, b) != head))
        out.append(Section("Headline results", blocks))
        per = [_t(benchmark_table(data, head), f"{head[0]} − {head[1]}, clean condition")]
        per += [_t(benchmark_table(data, p), f"{p[0]} − {p[1]}, clean condition", collapsed=True) for p in data.contrasts[1:]]
        conds = sorted(set(data.t("contrasts")["condition"]) - {"clean"})
        per += [_t(benchmark_table(data, head, c), f"{head[0]} − {head[1]}, condition {c}", collapsed=True) for c in conds]
        out.append(Section("Per-benchmark contrasts", fig("forest") + per))
    out.append(Section("Scores", fig("heatmap") + fig("split")))
    if head and not data.t("nonrefusal").empty:
        out.append(Section("Non-refusal re-analysis", [
            Block("text", text="Differences recomputed on answers that are not refusals (an item is kept when both arms have "
                               "a non-refused answer), so a method cannot win only by refusing more."),
            _t(nonrefusal_display(data, head), f"{head[0]} − {head[1]}")]))
    sp = []
    p, pd_ = data.t("persistence"), data.t("persistence_diff")
    if not p.empty:
        ret = p[p["kind"] == "retention"]
        st = p[p["kind"] == "steerability"]
        if not ret.empty:
            sp.append(_t(interval_display(ret, "retention", "retention", ["condition", "arm"]), "Retention under harmful personas"))
        if not st.empty:
            sp.append(_t(interval_display(st, "steerability", "steerability", ["condition", "arm"]), "Steerability under helpful personas"))
        if not pd_.empty:
            sp.append(_t(interval_display(pd_, "diff", "difference", ["metric", "condition", "contrast"]), "Differences between arms"))
    attacks = []
    if not data.t("erosion_auc").empty:
        attacks.append(_t(interval_display(data.t("erosion_auc"), "auc", "area under the erosion curve", ["arm"]),
                          "Area under the score-vs-k curve, divided by the k range (an average score over the attack)"))
    asr = data.t("asr")
    if not asr.empty:
        last = asr[asr["query"] == asr["query"].max()]
        attacks.append(_t(interval_display(last, "asr", f"ASR at {int(asr['query'].max())} queries", ["arm"]), "Attack success at the query budget"))
    if sp or attacks or any(n in figs for n in ("persistence", "erosion", "asr")):
        out.append(Section("Adversarial pressure and selective persistence",
                           fig("persistence") + sp + fig("erosion") + fig("asr") + attacks))
    if not data.t("dose").empty:
        d = data.t("dose")
        out.append(Section("Dose-response", fig("dose") + [_t(interval_display(d, "macro_score", "macro score", ["arm", "dose"]))]))
    out += diagnostics_sections(data)  # study/report/diagnostics.py (training diagnostics per arm)
    comp, ratio = compute_table(data)
    cblocks = fig("compute")
    if not comp.empty:
        cblocks.append(_t(comp, f"Max/min total FLOPs over trained arms: {fmt.num(ratio, 4)}"))
    out.append(Section("Compute match", cblocks or [Block("text", text="No ledgers found.")]))
    if head:
        out.append(Section("Power", [Block("text", text="Minimum detectable effect (MDE) at α = 0.05 and 80% power from the observed "
                                                         "variance of the paired differences, floored at sqrt(δ(1 − δ)/clusters) so "
                                                         "that items answered identically by both arms do not look like proof of "
                                                         "no effect; 'items needed' is for the target δ at the run's seeds per arm."),
                                     _t(power_display(data, head), f"{head[0]} − {head[1]}")]))
    out[:0] = judge_notice(data)  # arms with different judges: said at the top
    out.append(Section("Limitations", [Block("list", items=limitations(data))]))
    out.append(Section("Manifest", [_t(manifest_table(data))]))
    return out
