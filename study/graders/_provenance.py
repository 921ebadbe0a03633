"""What scored a run, recorded in its manifest: grader names, designs, head versions, thresholds, validity.

``grader_provenance(settings, arms)`` is called by the runner's manifest
writer. Beside each grader it records whether that grader met its goal on the
external reporting splits (study/data/validity/results.json) and, when a
trait-RL arm is trained on the same rubric grader that scores the "rubric"
benchmarks, a circularity flag: training then optimises the instrument that
grades it, and those benchmarks cannot show an independent effect.
"""

from __future__ import annotations

import hashlib
from typing import Any, Iterable

from study.graders._embed import default_embedder
from study.graders._harm import HarmConfig
from study.graders._refusal import RefusalConfig


def _validity(task: str, design: str) -> dict[str, Any]:
    from study.validation.validate import RESULTS_PATH, load_results

    try:
        results = load_results()
    except Exception:  # noqa: BLE001 - a missing file is recorded, not fatal
        return {"validated": False, "results": str(RESULTS_PATH.name)}
    block = results.get("tasks", {}).get(task, {})
    sets = block.get("designs", {}).get(design, {}).get("sets", {})
    external = {s: f for s, f in sets.items() if f.get("external")}
    return {"validated": bool(external), "meets_goal": bool(external) and all(f["meets_goal"] for f in external.values()),
            "goal": block.get("goal"), "accuracy": {s: f["accuracy"] for s, f in external.items()},
            "results_sha256": hashlib.sha256(RESULTS_PATH.read_bytes()).hexdigest()[:16]}


def _head_sha(name: str, path: str | None) -> str | None:
    from study.graders._head import load_head

    return load_head(name, path).sha256


def grader_provenance(settings: Any = None, arms: Iterable[Any] = ()) -> dict[str, Any]:
    """JSON-able record of the graders an evaluation with ``settings`` uses (defaults when None)."""
    ref, harm = RefusalConfig(), HarmConfig()
    rubric = getattr(settings, "rubric_grader", "rubric-offline")
    choice = getattr(settings, "graders", "offline")
    out: dict[str, Any] = {
        "choice": choice,
        "refusal": {"grader": "refusal", "design": ref.design, "threshold": ref.decision_threshold,
                    "head_sha256": _head_sha("refusal", ref.head_path) if ref.design == "head" else None,
                    **_validity("refusal", ref.design)},
        "harm": {"grader": "harm-proxy", "design": harm.design, "threshold": harm.decision_threshold,
                 "head_sha256": _head_sha("harm", harm.head_path) if harm.design == "head" else None,
                 **_validity("harm", harm.design)},
        "encoder": {"model": "all-MiniLM-L6-v2", "matmul_precision": default_embedder().resolved_precision(),
                    "note": "bf16 vs fp32 decision agreement: bench/graders.py; docs/grader-validity.md (Speed)"},
        "rubric": {"grader": rubric, "validated": False,
                   "note": "no external human-labelled rubric/quality set found; see docs/grader-validity.md"},
    }
    if choice in ("llm-judge", "both"):
        out["judge"] = {"grader": "llm-refusal", "backend": getattr(settings, "judge_backend", None),
                        **_validity("refusal", "llm-judge")}
    circular = []
    for arm in arms:
        cfg = dict(getattr(arm, "config", {}) or {})
        if getattr(arm, "method", None) == "trait-rl" and cfg.get("reward", "rubric") == "rubric" \
                and cfg.get("grader", "rubric-offline") == rubric:
            circular.append(getattr(arm, "name", "trait-rl"))
    out["circularity"] = {"rubric_benchmarks_scored_by_training_reward": bool(circular), "arms": circular,
                          "grader": rubric if circular else None}
    return out


def refusal_agreement(samples: list[tuple[list[bool], list[bool]]], benchmarks: list[str]) -> dict[str, Any]:
    """Cohen's kappa between the offline detector and the LLM judge, overall and per benchmark.

    ``samples`` holds one (offline, judge) pair of decision lists per generation sample, aligned with
    ``benchmarks`` (the benchmark of each generated response).
    """
    from study.validation.metrics import cohen_kappa

    off = [x for a, _ in samples for x in a]
    jud = [x for _, b in samples for x in b]
    names = benchmarks * len(samples)
    per = {}
    for name in dict.fromkeys(names):
        idx = [i for i, n in enumerate(names) if n == name]
        per[name] = {"n": len(idx), "kappa": round(cohen_kappa([off[i] for i in idx], [jud[i] for i in idx]), 4),
                     "agreement": round(sum(off[i] == jud[i] for i in idx) / len(idx), 4)}
    return {"graders": ["refusal", "llm-refusal"], "n": len(off),
            "kappa": round(cohen_kappa(off, jud), 4) if off else None, "per_benchmark": per}
