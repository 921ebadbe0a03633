"""Evaluation: score one model on the shared battery under conditions → per-item rows.

Every arm is scored on exactly the same items: the subset of a benchmark is
chosen by hashing item ids (not by position or RNG state), so it does not
depend on which other benchmarks or conditions run. All generation goes
through one batched backend call; all grading is charged to the ledger.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field
from typing import Literal, Sequence

import pandas as pd

from study.benchmarks import BenchmarkSpec, get_benchmark, load_registry
from study.compute import Ledger
from study.conditions import Condition, parse_condition
from study.errors import ConfigError
from study.graders import GradeRequest
from study.judging import ChargedGrader
from study.scoring import ItemScore, check_scoring, score_generated, score_mc
from study.types import Item

log = logging.getLogger(__name__)

SUITE_ITEMS = {"quick": 6, "standard": 50, "full": None}
COLUMNS = ["run", "arm", "seed", "benchmark", "item", "cluster", "condition", "sample", "score", "refused",
           "category", "trait", "domain", "distribution", "response"]


@dataclass(frozen=True)
class EvalSettings:
    suite: Literal["quick", "standard", "full"] = "quick"
    items_per_benchmark: int | None = None
    benchmarks: list[str] | None = None
    exclude_benchmarks: list[str] = field(default_factory=list)
    user_benchmarks: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=lambda: ["clean"])
    max_new_tokens: int = 64
    samples: int = 1
    temperature: float = 0.0
    rubric_grader: Literal["rubric-offline", "llm-judge"] = "rubric-offline"
    judge_backend: str | None = None
    backend: Literal["local", "vllm"] = "local"  # vllm: generation in vLLM's engine (study/backends/vllm_engine.py)
    dtype: str = "fp32"
    device: str = "auto"

    def __post_init__(self) -> None:
        from study.precision import check_values

        check_values(self.dtype, self.device, "evaluation")
        if self.samples < 1:
            raise ConfigError(f"evaluation.samples must be >= 1, got {self.samples}")
        if self.samples > 1 and self.temperature <= 0:
            raise ConfigError("evaluation.samples > 1 needs temperature > 0 (greedy samples would be identical)")
        if self.rubric_grader == "llm-judge" and not self.judge_backend:
            raise ConfigError("evaluation.rubric_grader 'llm-judge' needs evaluation.judge_backend")
        if not self.conditions:
            raise ConfigError("evaluation.conditions is empty; use [clean] at least")

    @property
    def n_items(self) -> int | None:
        return self.items_per_benchmark if self.items_per_benchmark is not None else SUITE_ITEMS[self.suite]

    def specs(self) -> list[BenchmarkSpec]:
        from pathlib import Path

        from study.benchmarks.jsonl import register_jsonl_benchmark

        registry = load_registry()
        for path in self.user_benchmarks:
            spec = register_jsonl_benchmark(Path(path))
            registry[spec.name] = spec
        names = self.benchmarks or sorted(registry)
        specs = [get_benchmark(n) for n in names if n not in self.exclude_benchmarks]
        for spec in specs:
            check_scoring(spec.scoring)
        return specs

    def parsed_conditions(self) -> list[Condition]:
        return [parse_condition(c) for c in self.conditions if not c.startswith(("redteam", "finetune"))]


def select_items(items: Sequence[Item], k: int | None) -> list[Item]:
    """The ``k`` items with the smallest hash of their id, in their original order (all if ``k`` is None)."""
    if k is None or k >= len(items):
        return list(items)
    keep = set(sorted((hashlib.sha256(it.id.encode()).hexdigest(), it.id) for it in items)[:k])
    ids = {i for _, i in keep}
    return [it for it in items if it.id in ids]


class _Graders:
    def __init__(self, settings: EvalSettings, ledger: Ledger | None, count_tokens):
        self.refusal = ChargedGrader("refusal", ledger, count_tokens)
        if settings.rubric_grader == "llm-judge":
            from study.backends.factory import make_backend

            self.rubric = ChargedGrader("llm-judge", ledger, count_tokens, backend=make_backend(settings.judge_backend, ledger, category="judge"))
        else:
            self.rubric = ChargedGrader("rubric-offline", ledger, count_tokens)


def evaluate(backend, settings: EvalSettings, *, run: str, arm: str, seed: int, ledger: Ledger | None = None,
             count_tokens=None, progress=None) -> pd.DataFrame:
    """Score ``backend`` on the battery; returns the per-item table (docs/contracts.md)."""
    count_tokens = count_tokens or (lambda text: len(text.split()))
    graders = _Graders(settings, ledger, count_tokens)
    conditions = settings.parsed_conditions()
    rows: list[dict] = []
    generation_jobs: list[tuple[BenchmarkSpec, Condition, list[Item]]] = []
    specs = settings.specs()
    for spec in specs:
        items = select_items(spec.items(), settings.n_items)
        for cond in conditions:
            if not cond.applies_to(spec):
                continue
            transformed = [cond.apply(it) for it in items]
            if spec.scoring == "mc":
                scores = score_mc(transformed, backend, normalise=spec.scoring_config.get("normalise", True))
                rows += _rows(spec, cond, transformed, scores, 0, run, arm, seed)
                if progress:
                    progress(len(transformed))
            else:
                generation_jobs.append((spec, cond, transformed))
    conversations = [it.conversation for _, _, items in generation_jobs for it in items]
    for sample in range(settings.samples):
        responses = backend.generate(conversations, max_new_tokens=settings.max_new_tokens, temperature=settings.temperature, seed=sample) if conversations else []
        refusals = graders.refusal.grade([GradeRequest(prompt=c, response=r) for c, r in zip(conversations, responses)])
        refused = [g.score >= 0.5 for g in refusals]
        start = 0
        for spec, cond, items in generation_jobs:
            stop = start + len(items)
            scores = score_generated(spec.scoring, items, responses[start:stop], refused[start:stop], graders)
            rows += _rows(spec, cond, items, scores, sample, run, arm, seed)
            start = stop
            if progress:
                progress(len(items))
    return pd.DataFrame(rows, columns=COLUMNS)


def count_eval_items(settings: EvalSettings) -> int:
    """How many (item, condition, sample) scores an evaluation produces (for progress bars and plans)."""
    total = 0
    for spec in settings.specs():
        n = len(select_items(spec.items(), settings.n_items))
        for cond in settings.parsed_conditions():
            if cond.applies_to(spec):
                total += n * (1 if spec.scoring == "mc" else settings.samples)
    return total


def _rows(spec, cond, items, scores: list[ItemScore], sample, run, arm, seed) -> list[dict]:
    return [
        {
            "run": run, "arm": arm, "seed": seed, "benchmark": spec.name, "item": it.id, "cluster": it.cluster,
            "condition": cond.name, "sample": sample, "score": float(s.score), "refused": s.refused,
            "category": spec.category, "trait": spec.trait, "domain": spec.domain, "distribution": spec.distribution,
            "response": s.response,
        }
        for it, s in zip(items, scores)
    ]


