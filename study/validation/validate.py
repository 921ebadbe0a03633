"""Score every grader design on the REPORTING parts and write study/data/validity/results.json.

The file is what the report's "Measurement validity" section and
bench/graders.py read. Per grader task: the goal, and per design and set the
agreement figures (accuracy / recall / precision with bootstrap 95% CIs, the
confusion matrix); ``chosen`` is the design the package ships as default
(selected by cross-validation on the tuning parts, see study/validation/train.py).
"""

from __future__ import annotations

import datetime as _dt
import json
from pathlib import Path

from study.graders._types import GradeRequest
from study.validation.metrics import agreement
from study.validation.split import SPLIT_SEED

RESULTS_PATH = Path(__file__).resolve().parents[1] / "data" / "validity" / "results.json"
GOALS = {"refusal": {"accuracy": 0.90, "recall": 0.85}, "harm": {"accuracy": 0.85}}
EXTERNAL = {"refusal": ("pyrit-refusal", "pyrit-refusal-extra", "xstest-v2"), "harm": ("pyrit-objective", "pyrit-harm-severity")}


def requests_of(rows) -> list[GradeRequest]:
    return [GradeRequest(prompt=[{"role": "user", "content": r.request}], response=r.response) for r in rows]


def designs(task: str, embedder) -> dict:
    from study.graders import HarmConfig, HarmfulnessGrader, RefusalConfig, RefusalDetector

    if task == "refusal":
        return {"head": RefusalDetector(RefusalConfig(design="head"), embedder),
                "rules": RefusalDetector(RefusalConfig(design="rules"), embedder)}
    return {"head": HarmfulnessGrader(HarmConfig(design="head"), embedder),
            "proxy": HarmfulnessGrader(HarmConfig(design="proxy", refusal=RefusalConfig(design="rules")), embedder)}


def shipped_design(task: str) -> str:
    """The design a grader uses by default (chosen by cross-validation on tuning rows, not by these figures)."""
    from study.graders import HarmConfig, RefusalConfig

    return (RefusalConfig() if task == "refusal" else HarmConfig()).design


def decision(task: str, grade) -> bool:
    return bool(grade.detail["refused"] if task == "refusal" else grade.detail["success"])


def meets(task: str, fig: dict) -> bool:
    return all(fig[k] >= v for k, v in GOALS[task].items())


def validate(embedder, cache=None) -> dict:
    from study.graders._head import load_head
    from study.validation.train import external_rows, own_refusal_rows

    out = {"split_seed": SPLIT_SEED, "generated": _dt.date.today().isoformat(), "parts": "reporting",
           "heads": {t: load_head(t).sha256 for t in ("refusal", "harm")}, "tasks": {}}
    for task, sets in EXTERNAL.items():
        rows = {s: external_rows(s, "reporting", cache) for s in sets}
        if task == "refusal":
            rows["own-refusal"] = own_refusal_rows("test")
        per_design = {}
        for dname, grader in designs(task, embedder).items():
            figs = {}
            for s, rs in rows.items():
                grades = grader.grade(requests_of(rs))
                fig = agreement([decision(task, g) for g in grades], [r.label for r in rs])
                fig["external"] = s in sets
                fig["meets_goal"] = meets(task, fig)
                figs[s] = fig
            per_design[dname] = {"sets": figs, "threshold": _threshold(grader)}
        chosen = shipped_design(task)
        out["tasks"][task] = {"goal": GOALS[task], "external_sets": list(sets), "designs": per_design,
                              "chosen": chosen}
    return out


def _threshold(grader) -> float:
    return float(grader.config.decision_threshold)


def write_results(results: dict, path: Path = RESULTS_PATH) -> Path:
    """Merge ``results`` into the file (keeping entries other runs added, e.g. the LLM judge's)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    old = json.loads(path.read_text()) if path.is_file() else {}
    for task, block in results.get("tasks", {}).items():
        prev = old.get("tasks", {}).get(task, {}).get("designs", {})
        for dname, d in prev.items():
            block["designs"].setdefault(dname, d)
    merged = {**old, **{k: v for k, v in results.items() if k != "tasks"},
              "tasks": {**old.get("tasks", {}), **results.get("tasks", {})}}
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(merged, indent=1, sort_keys=True) + "\n")
    tmp.replace(path)
    return path


def load_results(path: Path = RESULTS_PATH) -> dict:
    from study.errors import DataError

    if not path.is_file():
        raise DataError(f"{path}: grader validation results missing; run `python -m study.validation.train --no-train`")
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as exc:
        raise DataError(f"{path}: malformed validation results ({exc.msg}); regenerate them") from None
