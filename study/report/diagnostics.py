"""Report sections: training diagnostics per arm, and the judge-parity notice shown at the top.

Built from each training cell's ``diagnostics.json`` (:mod:`study.diagnostics`)
and the manifest's per-arm ``judge``.
"""

from __future__ import annotations

import pandas as pd

from study.diagnostics import did_not_move, load_diagnostics
from study.report.figures import Figure, _png, plt, sns


def _records(data) -> list[dict]:
    out = []
    for cell in sorted((data.run_dir / "cells").glob("train-*")):
        record = load_diagnostics(cell)
        if record is not None:
            arm, _, seed = cell.name.removeprefix("train-").rpartition("-s")
            out.append({**record, "arm": arm, "seed": int(seed) if seed.isdigit() else seed})
    return out


def _main_trend(r: dict) -> tuple[str, dict]:
    trends = r.get("reward_trend") or {}
    for key in ("all", "rl/rewards/margins", "rl/reward", "sl/loss"):
        if key in trends:
            return key, trends[key]
    return "-", {}


def _fmt(x, spec=".3g") -> str:
    return "-" if x is None else format(x, spec)


def diagnostics_table(records: list[dict]) -> pd.DataFrame:
    rows = []
    for r in records:
        metric, t = _main_trend(r)
        slope = "-" if t.get("slope") is None else f"{t['slope']:.3g} [{_fmt(t.get('ci_low'))}, {_fmt(t.get('ci_high'))}]"
        trait = "-" if r.get("dose") is None else f"{r.get('trait_scenarios_seen', 0)} ({r.get('trait_share', 0):.1%})"
        pairs = "-" if r.get("pairs") is None else f"{r.get('pairs_kept')}/{r.get('pairs')}"
        revised = "-" if r.get("revised_differs_share") is None else f"{r['revised_differs_share']:.0%}"
        quality = r.get("judge_quality") or {}
        spread = "-" if r.get("reward_sd_within_group") is None else \
            f"{r['reward_sd_within_group']:.3f} / {r.get('zero_advantage_share', 0):.0%}"
        reasons = did_not_move(r)
        rows.append({"arm": r["arm"], "seed": r["seed"], "judge": r.get("judge", "-"), "steps": r.get("steps"),
                     "KL to base (nats/token)": _fmt(r.get("kl_to_base")), "param change (rel. L2)": _fmt(r.get("param_change")),
                     "reward slope/step [95% CI]": f"{metric}: {slope}",
                     "group reward SD / zero-advantage groups": spread, "trait scenarios (share)": trait,
                     "pairs kept": pairs, "revised differs": revised,
                     "judge agreement (ref / rubric)": "-" if not quality else
                     f"{quality['agreement_with_reference']:.0%} / {quality['agreement_with_rubric_grader']:.0%} (n={quality['pairs']})",
                     "flag": "; ".join(reasons) if reasons else "moved"})
    return pd.DataFrame(rows)


def diagnostics_figure(records: list[dict]) -> Figure | None:
    curves = [dict(row, arm=r["arm"]) for r in records for row in r.get("_curve", [])
              if row.get("metric") in ("all", "trait", "rl/rewards/margins", "rl/reward")]
    labels = [{"arm": r["arm"], "soft label P(A)": p} for r in records for p in r.get("soft_labels") or []]
    if not curves and not labels:
        return None
    fig, axes = plt.subplots(1, 2 if labels else 1, figsize=(11 if labels else 6, 3.6), squeeze=False)
    if curves:
        frame = pd.DataFrame(curves)
        frame["series"] = frame["arm"] + " · " + frame["metric"]
        sns.lineplot(data=frame, x="step", y="value", hue="series", ax=axes[0][0], errorbar=None)
        axes[0][0].set_title("Reward per step (constitution: DPO reward margin)")
    if labels:
        sns.histplot(data=pd.DataFrame(labels), x="soft label P(A)", hue="arm", bins=10, binrange=(0, 1), ax=axes[0][-1])
        axes[0][-1].set_title("Constitution soft labels")
    return Figure("diagnostics", "Training diagnostics", "Reward curves and soft-label histograms from the training cells.", _png(fig))


def diagnostics_sections(data) -> list:
    """The "Training diagnostics" section (empty list when no training cell wrote diagnostics)."""
    from study.report.sections import Block, Section

    records = _records(data)
    if not records:
        return []
    blocks = [Block("text", text="Per training cell: KL(trained || base) on a fixed probe set of held-out scenarios with "
                                 "their reference answers, relative L2 change of the weights, the reward trend (OLS slope "
                                 "with 95% CI), trait scenarios actually trained on, constitution pairs kept and revisions "
                                 "that differ from the initial answer, and the judge's agreement with the scenarios' own "
                                 "labels and with the offline rubric grader on held-out good/bad pairs. "
                                 "An arm is flagged when it did not move (study/diagnostics.py: did_not_move).")]
    fig = diagnostics_figure(records)
    if fig is not None:
        blocks.append(Block("figure", figure=fig))
    blocks.append(Block("table", table=diagnostics_table(records)))
    stuck = sorted({r["arm"] for r in records if did_not_move(r)})
    if stuck:
        blocks.insert(0, Block("text", text=f"**Warning: arm(s) {', '.join(stuck)} did not move measurably** (see the flag column)."))
    return [Section("Training diagnostics", blocks)]


def judge_notice(data) -> list:
    """A notice for the top of the report when the arms learned from judges of different kinds or models."""
    from study.judge_config import judge_token_mismatch
    from study.report.sections import Block, Section

    judges = {a["name"]: a.get("judge") for a in data.manifest.get("arms", []) if a.get("judge") and not a["judge"].startswith("none")}
    blocks = []
    if len(set(judges.values())) > 1:
        listed = ", ".join(f"{arm}: {j}" for arm, j in sorted(judges.items()))
        blocks.append(Block("text", text=f"**The arms learned from different judges** ({listed}). Differences between these "
                                         "arms confound the method with the judge's strength; set one `judge:` block in the "
                                         "study config for a like-for-like comparison."))
    by_seed: dict[str, dict[str, int]] = {}
    for key, ledger in data.ledgers.items():
        arm, _, seed = key.rpartition("-s")
        api = ledger.get("api_tokens", {})
        by_seed.setdefault(seed, {})[arm] = int(api.get("input", 0)) + int(api.get("output", 0))
    for seed, tokens in sorted(by_seed.items()):
        warning = judge_token_mismatch(tokens)
        if warning:
            blocks.append(Block("text", text=f"**Seed {seed}: {warning}.**"))
    return [Section("Judge parity", blocks)] if blocks else []


def section(data, figs):
    """Report-registry entry (``study.stats.builtin``): the Training-diagnostics section, if any arm recorded diagnostics."""
    sections = diagnostics_sections(data)
    return sections[0] if sections else None


def notice_section(data, figs):
    """Report-registry entry placed first: the judge-parity notice when trained arms learn from judges of different strength."""
    notices = judge_notice(data)
    return notices[0] if notices else None
