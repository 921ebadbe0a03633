"""What the constitution arm trained on, for :func:`study.diagnostics.write_diagnostics`."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

from study.diagnostics import soft_label_histogram


def constitution_diagnostics(workdir: Path, phases: dict, config) -> dict:
    """Revised-differs share (SL), soft labels and pairs kept (RL), steps of each phase, and the judge."""
    sl, rl = phases.get("sl", {}), phases.get("rl", {})
    labels = []
    pref = workdir / "preferences.jsonl"
    if pref.exists():
        labels = [json.loads(line)["soft_label"] for line in pref.read_text().splitlines() if line.strip()]
    red = sl.get("red_team", 0)
    return {
        "sl_steps": sl.get("steps", 0), "rl_steps": rl.get("steps", 0), "steps": sl.get("steps", 0) + rl.get("steps", 0),
        "revisions": red, "revised_differs": sl.get("revised_differs", 0),
        "revised_differs_share": sl.get("revised_differs", 0) / red if red else None,
        "pairs": rl.get("pairs", 0), "pairs_kept": rl.get("kept", 0), "soft_labels": labels,
        "soft_label_histogram": soft_label_histogram(labels), "rl_algorithm": config.rl_algorithm,
        "soft_targets": getattr(config, "soft_targets", None), "judge": "policy" if config.self_feedback else f"model:{config.feedback_model}",
    }


def training_curve(workdir: Path) -> pd.DataFrame:
    """The SFT loss and the RL phase's reward signal (DPO implicit reward margin, or GRPO reward) per step."""
    frames = []
    for name, prefix in (("sl_loss.csv", "sl/"), ("rl_curve.csv", "rl/")):
        path = workdir / name
        if path.exists() and path.stat().st_size:
            try:
                frame = pd.read_csv(path)
            except pd.errors.EmptyDataError:
                continue
            frames.append(frame.assign(metric=prefix + frame["metric"].astype(str)))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["step", "metric", "value"])


def judge_measure(config, constitution, seed: int, policy_spec: str, tokenizer):
    """Judge quality in its constitution role: P(good reference beats bad) under a sampled principle, both orders.

    The judge is rebuilt on the diagnostics ledger: the policy judge is the model that judged the pairs (the
    SL model when there is one), a model judge is the same backend spec, the offline judge the same grader.
    """
    from methods.constitution.feedback import Feedback, sample_principle_for
    from study.judging import judge_quality

    def count(text: str) -> int:
        return len(tokenizer(text, add_special_tokens=False)["input_ids"])

    def measure(ledger) -> dict:
        judge = config.effective_judge
        if judge.kind in ("local", "api"):
            from study.judge_config import make_judge_backend

            feedback = Feedback(make_judge_backend(judge, ledger), top_logprobs=judge.top_logprobs)
        elif judge.kind == "offline":
            from methods.constitution.offline_feedback import OfflineFeedback

            feedback = OfflineFeedback(ledger, count)
        else:
            from study.backends.local import LocalBackend
            from study.models import load_model

            feedback = Feedback(LocalBackend(load_model(policy_spec), ledger, category="judge"))

        def prefers(scenarios) -> list[float]:
            items = [(sample_principle_for(constitution, seed, f"quality:{s.id}"), [m for m in s.conversation() if m["role"] != "system"],
                      s.good, s.bad) for s in scenarios]
            return [j.p_x for j in feedback.judge(items, [False] * len(items), both_orders=True)]

        return judge_quality(prefers, "preference label", ledger, count)

    return measure
