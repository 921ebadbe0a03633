"""Limitations written from the data: what the numbers cannot support."""

from __future__ import annotations

import numpy as np

from study.report import fmt
from study.report.load import ReportData
from study.report.tables import compute_table

REFUSAL_SHIFT = 0.05
BUDGET_TOLERANCE = 0.02
FEW_CLUSTERS = 10


def limitations(data: ReportData) -> list[str]:
    out: list[str] = []
    c = data.t("contrasts")
    clean = c[c["condition"] == "clean"] if not c.empty else c
    head = data.headline
    if head is not None and not clean.empty:
        h = clean[(clean["arm_a"] == head[0]) & (clean["arm_b"] == head[1])]
        under = h[h["underpowered"].astype(bool)]
        if len(under):
            names = ", ".join(sorted(under["benchmark"])[:12]) + (" …" if len(under) > 12 else "")
            delta = data.settings.get("min_effect", "δ")
            out.append(f"Underpowered: {len(under)} of {len(h)} benchmarks cannot detect a difference of {delta} "
                       f"between {head[0]} and {head[1]} with 80% power ({names}). For them a non-significant "
                       "result is inconclusive, not evidence of no difference.")
    refusal = data.t("refusal")
    if not refusal.empty:
        rates = refusal[refusal["condition"] == "clean"].set_index("arm")["refusal_rate"]
        for a, b in data.contrasts:
            if a in rates and b in rates and abs(rates[a] - rates[b]) > REFUSAL_SHIFT:
                out.append(f"Refusal shift: {a} refuses {rates[a]:.1%} of clean prompts vs {rates[b]:.1%} for {b}; "
                           "scores on refusal-rewarding benchmarks may reflect refusing more, see the non-refusal re-analysis.")
    _, ratio = compute_table(data)
    tolerance = BUDGET_TOLERANCE
    if np.isfinite(ratio) and ratio - 1 > tolerance:
        out.append(f"Compute mismatch: total FLOPs of the trained arms differ by a factor {ratio:.3f} (more than "
                   f"{tolerance:.0%}); differences may partly reflect compute, not method.")
    allowed = data.manifest.get("max_match_ratio")
    if np.isfinite(ratio) and allowed is not None and ratio > float(allowed):
        out.append(f"The compute ratio {ratio:.3f} exceeds the run's own max_match_ratio {float(allowed):g}.")
    if not data.ledgers:
        out.append("No compute ledgers were found: the compute match cannot be checked.")
    if not clean.empty:
        single = sorted({a for a, n in zip(clean["arm_a"], clean["n_seeds_a"]) if n < 2}
                        | {b for b, n in zip(clean["arm_b"], clean["n_seeds_b"]) if n < 2})
        trained = [a for a in single if a != "base"]
        if trained:
            out.append(f"Single checkpoint: {', '.join(trained)} has one training seed; its contrasts describe that "
                       "checkpoint, not the training procedure (no seed variance is available).")
        few = sorted(set(clean.loc[clean["n_clusters"] < FEW_CLUSTERS, "benchmark"]))
        if few:
            out.append(f"Few clusters: {', '.join(few[:12])} {'has' if len(few) == 1 else 'have'} fewer than "
                       f"{FEW_CLUSTERS} independent clusters; CLT-based intervals there are approximate.")
    single_cluster = [b for b in str(data.settings.get("item_level_clusters", "") or "").split(",") if b and b != "nan"]
    if single_cluster:
        out.append(f"Single-cluster benchmarks: {', '.join(single_cluster[:12])}{' …' if len(single_cluster) > 12 else ''} "
                   f"scored items from one template only in this run; their items were treated as independent, so their "
                   "intervals and p-values are optimistic. Score more items to cover several templates.")
    auc = data.t("erosion_auc")
    if auc.empty and any(cn.get("kind") == "finetune" for cn in data.manifest.get("conditions", [])):
        out.append("The manifest lists fine-tune attacks but no erosion curve could be computed (missing or unpaired items).")
    if not out:
        out.append("No data-driven limitation was triggered (power, refusal shift, compute match, seeds, clusters).")
    out.append(f"All p-values are two-sided; adjusted p-values control the false discovery rate within each condition "
               f"(Benjamini–Hochberg), and Holm controls the family-wise error over the {int(c['primary'].sum()) if 'primary' in c else 0} "
               "primary hypotheses. Benchmarks are only as valid as their graders.")
    return [s.replace(" δ ", f" {fmt.num(data.settings.get('min_effect', np.nan))} ") for s in out]
