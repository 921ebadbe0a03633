"""The report's first lines: which method is better and how sure we are, or what size of effect the run could see."""

from __future__ import annotations

import numpy as np

from study.report import fmt
from study.report.load import ReportData
from study.stats.power import minimum_detectable_effect

ALPHA = 0.05


def _seeds(data: ReportData, a: str, b: str) -> tuple[int, int]:
    c = data.t("contrasts")
    c = c[(c["arm_a"] == a) & (c["arm_b"] == b)]
    return (int(c["n_seeds_a"].max()), int(c["n_seeds_b"].max())) if not c.empty else (0, 0)


def one_seed_warning(data: ReportData) -> str | None:
    """Said at the top when no trained arm of the headline contrast has two seeds."""
    head = data.headline
    if head is None:
        return None
    ka, kb = _seeds(data, *head)
    if ka >= 2 or kb >= 2:
        return None
    return ("**One training seed per arm:** every p-value and interval in this report is about these particular "
            f"checkpoints of {head[0]} and {head[1]}, not about the methods. Training-seed noise cannot be separated "
            "from the method effect with one seed (a seed-ignoring test has about 13% false positives at α = 0.05 "
            "when the seed sd is 0.25 on the logit scale); train at least 3 seeds per arm for a claim about methods.")


def answer_sentences(data: ReportData) -> list[str]:
    head = data.headline
    agg = data.t("aggregates")
    if head is None or agg.empty:
        return ["No contrast between two arms could be computed for this run."]
    a, b = head
    row = agg[(agg["arm_a"] == a) & (agg["arm_b"] == b) & (agg["group_kind"] == "all")]
    if row.empty:
        return [f"No macro-average of {a} − {b} could be computed for this run."]
    r = row.iloc[0]
    d, se = float(r["macro_diff"]), float(r["macro_se"])
    p = float(r["macro_p_bh"]) if "macro_p_bh" in r and np.isfinite(r["macro_p_bh"]) else float(r["macro_p"])
    lo, hi = float(r["macro_ci_low"]), float(r["macro_ci_high"])
    interval = f"{fmt.signed(d)} [{fmt.signed(lo)}, {fmt.signed(hi)}]" if np.isfinite(lo) else f"{fmt.signed(d)} (no interval: {r.get('ci_note') or 'not estimable'})"
    level = "checkpoint" if r.get("uncertainty") == "checkpoint" else "procedure"
    n = int(r["n_benchmarks"])
    mde = float(minimum_detectable_effect(se)) if np.isfinite(se) and se > 0 else float("nan")
    sig = f"{int(r['sig_improved'])} benchmark(s) significantly better and {int(r['sig_worse'])} worse after Benjamini–Hochberg"
    if np.isfinite(p) and p < ALPHA:
        winner, loser = (a, b) if d > 0 else (b, a)
        text = (f"**{winner} is better than {loser}** on the macro-average over {n} benchmarks: {a} − {b} = {interval} "
                f"(95% interval, p = {fmt.pval(p)}, {level} level); {sig}.")
    else:
        size = f"minimum detectable effect {fmt.num(mde)}" if np.isfinite(mde) else "minimum detectable effect not estimable"
        text = (f"**No difference between {a} and {b} is detectable at this size** ({size} on the macro-average at "
                f"α = 0.05 and 80% power): {a} − {b} = {interval} over {n} benchmarks (p = {fmt.pval(p)}, {level} level); "
                f"{sig}.")
    warn = one_seed_warning(data)
    return [text] + ([warn] if warn else [])
