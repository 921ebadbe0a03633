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
