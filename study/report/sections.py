"""The report as a renderer-neutral list of sections (shared by HTML and Markdown).

Each section is a function ``(data, figures) -> Section | list[Section] | None``
named by a :class:`study.stats.registry.Statistic`; :func:`build_sections`
calls them in ``order``. To add a section: write such a function in its own
module and register it (one line in ``study.stats.registry.BUILTIN``, or an
entry point; see docs/reading-the-report.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from study.report import fmt
from study.report.figures import Figure
from study.report.load import ReportData


@dataclass
class Block:
    kind: str                 # text | table | figure | list | details
    text: str = ""
    table: pd.DataFrame | None = None
    figure: Figure | None = None
    items: list[str] = field(default_factory=list)
    csv: str = ""             # the stats/*.csv holding the full table (Markdown links to it instead of printing it)


@dataclass
class Section:
    title: str
    blocks: list[Block]


BODY_ROWS = 15   # per-benchmark tables in the body show this many rows; the appendix has them all


def table_block(df: pd.DataFrame, caption: str = "", collapsed: bool = False, csv: str = "") -> Block:
    return Block("details" if collapsed else "table", text=caption, table=df, csv=csv)


def _fig(figures: dict[str, Figure], *names: str) -> list[Block]:
    return [Block("figure", figure=figures[n]) for n in names if n in figures]


def build_sections(data: ReportData, figures: list[Figure]) -> list[Section]:
    from study.stats.registry import resolve_section, statistics

    figs = {f.name: f for f in figures}
    out: list[Section] = []
    for stat in sorted((s for s in statistics() if s.section), key=lambda s: s.order):
        got = resolve_section(stat.section)(data, figs)
        if got is None:
            continue
        out += got if isinstance(got, list) else [got]
    return out


def answer_section(data: ReportData, figs) -> Section | None:
    from study.report.answer import answer_sentences

    lines = answer_sentences(data)
    return Section("Answer", [Block("text", text=t) for t in lines]) if lines else None


def headline_section(data: ReportData, figs) -> Section | None:
    from study.report.tables import headline_table

    head = data.headline
    if not head:
        return None
    blocks = [Block("text", text=f"Headline contrast: **{head[0]} − {head[1]}** (positive = {head[0]} better). "
                                 "Arm columns are mean clean scores averaged over the group's benchmarks.")]
    for a, b in data.contrasts:
        blocks.append(table_block(headline_table(data, (a, b)), f"{a} − {b}", collapsed=(a, b) != head,
                                  csv="stats/aggregates.csv"))
    return Section("Headline results", blocks)


def benchmark_section(data: ReportData, figs) -> Section | None:
    from study.report.tables import benchmark_table

    head = data.headline
    if not head:
        return None
    full = benchmark_table(data, head)
    shown = full.head(BODY_ROWS)
    note = (f"{head[0]} − {head[1]}, clean condition: the {len(shown)} smallest p-values of {len(full)} benchmarks "
            "(all of them and the other contrasts and conditions: Appendix)") if len(full) > len(shown) else \
        f"{head[0]} − {head[1]}, clean condition"
    return Section("Per-benchmark contrasts", _fig(figs, "forest") + [table_block(shown, note, csv="stats/contrasts.csv")])


def scores_section(data: ReportData, figs) -> Section | None:
    blocks = _fig(figs, "heatmap", "split")
    return Section("Scores", blocks) if blocks else None


def nonrefusal_section(data: ReportData, figs) -> Section | None:
    from study.report.tables import nonrefusal_display

    head = data.headline
    if not head or data.t("nonrefusal").empty:
        return None
    return Section("Non-refusal re-analysis", [
        Block("text", text="Differences recomputed on answers that are not refusals (an item is kept when both arms have "
                           "a non-refused answer), so a method cannot win only by refusing more."),
        table_block(nonrefusal_display(data, head).head(BODY_ROWS), f"{head[0]} − {head[1]} (first {BODY_ROWS} rows)",
                    csv="stats/nonrefusal.csv")])


def adversarial_section(data: ReportData, figs) -> Section | None:
    from study.report.tables import interval_display

    sp = []
    p, pd_ = data.t("persistence"), data.t("persistence_diff")
    if not p.empty:
        ret, st = p[p["kind"] == "retention"], p[p["kind"] == "steerability"]
        if not ret.empty:
            sp.append(table_block(interval_display(ret, "retention", "retention", ["condition", "arm"]),
                                  "Retention under harmful personas", csv="stats/persistence.csv"))
        if not st.empty:
            sp.append(table_block(interval_display(st, "steerability", "steerability", ["condition", "arm"]),
                                  "Steerability under helpful personas", csv="stats/persistence.csv"))
        if not pd_.empty:
            sp.append(table_block(interval_display(pd_, "diff", "difference", ["metric", "condition", "contrast"]),
                                  "Differences between arms", csv="stats/persistence_diff.csv"))
    attacks = []
    if not data.t("erosion_auc").empty:
        attacks.append(table_block(interval_display(data.t("erosion_auc"), "auc", "area under the erosion curve", ["arm"]),
                                   "Area under the score-vs-k curve, divided by the k range (an average score over the attack)",
                                   csv="stats/erosion_auc.csv"))
    asr = data.t("asr")
    if not asr.empty:
        last = asr[asr["query"] == asr["query"].max()]
        attacks.append(table_block(interval_display(last, "asr", f"ASR at {int(asr['query'].max())} queries", ["arm"]),
                                   "Attack success at the query budget", csv="stats/asr.csv"))
    if not (sp or attacks or any(n in figs for n in ("persistence", "erosion", "asr"))):
        return None
    return Section("Adversarial pressure and selective persistence",
                   _fig(figs, "persistence") + sp + _fig(figs, "erosion", "asr") + attacks)


def dose_section(data: ReportData, figs) -> Section | None:
    from study.report.tables import interval_display

    d = data.t("dose")
    if d.empty:
        return None
    return Section("Dose-response", _fig(figs, "dose") + [table_block(interval_display(d, "macro_score", "macro score",
                                                                                      ["arm", "dose"]), csv="stats/dose.csv")])


def compute_section(data: ReportData, figs) -> Section:
    from study.report.tables import compute_table

    comp, ratio = compute_table(data)
    blocks = _fig(figs, "compute")
    if not comp.empty:
        blocks.append(table_block(comp, f"Max/min total FLOPs over trained arms: {fmt.num(ratio, 4)}"))
    return Section("Compute match", blocks or [Block("text", text="No ledgers found.")])


def power_section(data: ReportData, figs) -> Section | None:
    from study.report.tables import power_display, power_summary

    head = data.headline
    if not head:
        return None
    return Section("Power", [Block("text", text="Minimum detectable effect (MDE) at α = 0.05 and 80% power from the observed "
                                                "variance of the paired differences, floored at sqrt(δ(1 − δ)/clusters) so "
                                                "that items answered identically by both arms do not look like proof of "
                                                "no effect; 'items needed' is for the target δ at the run's seeds per arm."),
                             Block("text", text=power_summary(data, head)),
                             table_block(power_display(data, head).head(BODY_ROWS),
                                         f"{head[0]} − {head[1]}: the {BODY_ROWS} smallest MDEs (all: Appendix)",
                                         csv="stats/power.csv")])


def limitations_section(data: ReportData, figs) -> Section:
    from study.report.limitations import limitations

    return Section("Limitations", [Block("list", items=limitations(data))])


def manifest_section(data: ReportData, figs) -> Section:
    from study.report.tables import manifest_table

    return Section("Manifest", [table_block(manifest_table(data))])


def appendix_section(data: ReportData, figs) -> Section | None:
    """Every full table: collapsed in HTML, a CSV link in Markdown."""
    from study.report.tables import benchmark_table, power_display

    head = data.headline
    if not head:
        return None
    blocks = [table_block(benchmark_table(data, p), f"{p[0]} − {p[1]}, clean condition, every benchmark", collapsed=True,
                          csv="stats/contrasts.csv") for p in data.contrasts]
    conds = sorted(set(data.t("contrasts")["condition"]) - {"clean"})
    blocks += [table_block(benchmark_table(data, head, c), f"{head[0]} − {head[1]}, condition {c}", collapsed=True,
                           csv="stats/contrasts.csv") for c in conds]
    blocks.append(table_block(power_display(data, head), f"Power, {head[0]} − {head[1]}, every benchmark", collapsed=True,
                              csv="stats/power.csv"))
    csvs = sorted(p.name for p in (data.run_dir / "stats").glob("*.csv"))
    blocks.append(Block("text", text="Every statistics table as CSV: " + ", ".join(f"stats/{n}" for n in csvs) + "."))
    return Section("Appendix: full tables", blocks)
