"""The report's "Measurement validity" section: how far each grader agrees with outside human labels.

Reads study/data/validity/results.json (reporting parts of the external
human-labelled sets; see docs/grader-validity.md) and the run manifest's
``graders`` record. Shows per grader and set the accuracy / recall /
precision with bootstrap 95% CIs, and a warning beside every benchmark whose
figures rest on a grader below its goal (or on a grader with no external
validation at all, such as the rubric grader).
"""

from __future__ import annotations

import pandas as pd

GRADER_OF_SCORING = {"refusal": "refusal", "rubric": "rubric"}
WARN = "⚠ below goal"
UNVALIDATED = "⚠ not externally validated"


def _ci(fig: dict, key: str) -> str:
    lo, hi = fig.get(f"{key}_ci", [None, None])
    v = fig.get(key)
    if v is None or v != v:
        return "—"
    return f"{v:.3f} [{lo:.3f}, {hi:.3f}]" if lo is not None else f"{v:.3f}"


def figures_table(results: dict) -> pd.DataFrame:
    rows = []
    for task, block in sorted(results.get("tasks", {}).items()):
        goal = ", ".join(f"{k} ≥ {v}" for k, v in block.get("goal", {}).items())
        for design, d in block.get("designs", {}).items():
            for name, fig in d.get("sets", {}).items():
                shipped = design == block.get("chosen")
                rows.append({
                    "grader": task, "design": design + (" (shipped)" if shipped else ""),
                    "set": name + ("" if fig.get("external") else " (project's own)"), "n": fig["n"],
                    "accuracy [95% CI]": _ci(fig, "accuracy"), "recall [95% CI]": _ci(fig, "recall"),
                    "precision [95% CI]": _ci(fig, "precision"),
                    "confusion (tp/fp/tn/fn)": "/".join(str(fig["confusion"][k]) for k in ("tp", "fp", "tn", "fn")),
                    "goal": goal, "status": "meets goal" if fig.get("meets_goal") else WARN,
                })
    return pd.DataFrame(rows)


def grader_status(results: dict) -> dict[str, str]:
    """'ok' or a warning per grader as shipped, judged on the external reporting parts only."""
    out = {"rubric": UNVALIDATED}
    for task, block in results.get("tasks", {}).items():
        sets = block.get("designs", {}).get(block.get("chosen"), {}).get("sets", {})
        ext = [f for f in sets.values() if f.get("external")]
        out[task] = "ok" if ext and all(f.get("meets_goal") for f in ext) else WARN
    return out


def warnings_table(results: dict, summary: pd.DataFrame) -> pd.DataFrame:
    """One row per benchmark in the run whose scores rest on a grader below goal or unvalidated."""
    from study.benchmarks import get_benchmark, load_registry

    status = grader_status(results)
    load_registry()
    rows = []
    for name in sorted(set(summary.get("benchmark", []))):
        try:
            scoring = get_benchmark(name).scoring
        except Exception:  # noqa: BLE001 - a benchmark no longer registered: say so, do not fail the report
            rows.append({"benchmark": name, "grader": "?", "warning": "benchmark not registered here"})
            continue
        grader = GRADER_OF_SCORING.get(scoring)
        if grader and status.get(grader, "ok") != "ok":
            rows.append({"benchmark": name, "grader": grader, "warning": status[grader]})
    return pd.DataFrame(rows)


def validity_section(data):
    """The Section (imported lazily to keep study.report.sections free of import cycles)."""
    from study.report.sections import Block, Section
    from study.validation.validate import load_results

    try:
        results = load_results()
    except Exception as exc:  # noqa: BLE001 - the report still renders, with the reason
        return Section("Measurement validity", [Block("text", text=f"Grader validation results unavailable: {exc}")])
    status = grader_status(results)
    blocks = [Block("text", text=(
        "Every safety figure rests on a grader. Each grader was checked against human labels written outside "
        "this project (PyRIT's scorer-evaluation sets, see docs/grader-validity.md), on reporting parts it was "
        f"never tuned on (content-hash split, seed `{results.get('split_seed')}`). Intervals are 95% percentile "
        "bootstrap intervals over items. Goals: refusal detector accuracy ≥ 0.90 and recall ≥ 0.85; harm grader "
        "accuracy ≥ 0.85 on every external set."))]
    blocks.append(Block("table", text="Agreement with outside human labels (reporting parts)", table=figures_table(results)))
    grader_rows = data.manifest.get("graders") if data is not None else None
    if grader_rows:
        circ = grader_rows.get("circularity", {})
        if circ.get("rubric_benchmarks_scored_by_training_reward"):
            blocks.append(Block("text", text=(
                f"⚠ Circularity: arm(s) {', '.join(circ.get('arms', []))} were trained on the `{circ.get('grader')}` "
                "rubric reward, and the same grader scored the rubric benchmarks: those differences are not an "
                "independent measurement.")))
    summary = data.t("summary") if data is not None else pd.DataFrame()
    warn = warnings_table(results, summary) if not summary.empty else pd.DataFrame()
    if not warn.empty:
        blocks.append(Block("table", text="Benchmarks whose figures rest on a grader below its goal", table=warn))
    bad = [g for g, s in status.items() if s != "ok"]
    items = [f"`{g}` grader: {status[g]}" for g in sorted(bad)]
    if "refusal" in bad:
        items.append("Refusal rates, over-refusal and the non-refusal re-analysis use the refusal grader.")
    if "harm" in bad:
        items.append("Attack success rates (red-team, jailbreak) use the harm grader.")
    if items:
        blocks.append(Block("list", items=items))
    return Section("Measurement validity", blocks)


def section(data, figs):
    """Report-registry entry (``study.stats.builtin``): the Measurement-validity section."""
    return validity_section(data)
