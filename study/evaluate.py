"""Evaluation: score one model on the shared battery under conditions → per-item rows.

Every arm is scored on exactly the same items: the subset of a benchmark is
chosen by hashing item ids (not by position or RNG state), so it does not
depend on which other benchmarks or conditions run. All generation goes
through one batched backend call; all grading is charged to the ledger.
"""

from __future__ import annotations

import hashlib
import logging
from dataclasses import dataclass, field, fields
from typing import Literal, Sequence

import pandas as pd

from study.backends.spec import BackendSpec, parse_backend_spec
from study.benchmarks import BenchmarkSpec, load_registry
from study.compute import Ledger
from study.conditions import Condition, ConditionSpec, parse_condition_spec
from study.config_parse import setting
from study.errors import ConfigError, UnknownNameError
from study.graders import GradeRequest
from study.judging import ChargedGrader
from study.scoring import ItemScore, check_scoring, get_scorer, score_generated
from study.tokens import word_count
from study.types import Item

log = logging.getLogger(__name__)

SUITE_ITEMS = {"quick": 6, "standard": 50, "full": None}
COLUMNS = ["run", "arm", "seed", "benchmark", "item", "cluster", "condition", "sample", "score", "refused",
           "category", "trait", "domain", "distribution", "response"]


@dataclass(frozen=True)
class EvalSettings:
    suite: Literal["quick", "standard", "full"] = setting(
        "quick", help="item budget per benchmark when items_per_benchmark is unset: quick 6, standard 50, full all")
    items_per_benchmark: int | None = setting(None, ge=1, help="items scored per benchmark (overrides the suite)")
    benchmarks: list[str] | None = setting(None, non_empty=True, help="benchmarks to score (default: every registered one)")
    exclude_benchmarks: list[str] = setting(default_factory=list, help="benchmarks to leave out")
    user_benchmarks: list[str] = setting(default_factory=list, help="JSONL benchmark files (docs: study/benchmarks/jsonl.py)")
    conditions: list[str] = setting(
        default_factory=lambda: ["clean"], non_empty=True,
        help="clean, jailbreak:<set>, persona:<name>, redteam[:<attacker backend>] (parsed once at load)")
    max_new_tokens: int = setting(64, ge=1, help="tokens generated per answer")
    samples: int = setting(1, ge=1, help="sampled answers per item (needs temperature > 0 when > 1)")
    temperature: float = setting(0.0, ge=0.0, help="sampling temperature (0 = greedy)")
    rubric_grader: Literal["rubric-offline", "llm-judge"] = setting("rubric-offline", help="grader of rubric benchmarks")
    judge_backend: BackendSpec | None = setting(
        None, help="the LLM judge: a backend string (openai:gpt-4o-mini) or block {kind, model, base_url, ...} (docs/backends.md)")
    graders: Literal["offline", "llm-judge", "both"] = setting(
        "offline", help="refusal scoring: offline detector, LLM judge, or both (then Cohen's kappa is recorded)")
    backend: Literal["local", "vllm"] = setting("local", help="generation engine: transformers here, or vLLM's engine when installed")
    dtype: str = setting("fp32", help="fp32, bf16 or fp16 (checked against the hardware)")
    device: str = setting("auto", help="auto, cpu, cuda or cuda:N")
    condition_specs: tuple[ConditionSpec, ...] = field(init=False, repr=False, compare=False)
    user_specs: tuple[BenchmarkSpec, ...] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        from study.precision import check_values

        check_values(self.dtype, self.device, "evaluation")
        if self.samples < 1:
            raise ConfigError(f"evaluation.samples must be >= 1, got {self.samples}")
        if self.samples > 1 and self.temperature <= 0:
            raise ConfigError("evaluation.samples > 1 needs temperature > 0 (greedy samples would be identical)")
        if self.judge_backend is not None:
            object.__setattr__(self, "judge_backend", parse_backend_spec(self.judge_backend, "evaluation.judge_backend"))
        if self.rubric_grader == "llm-judge" and not self.judge_backend:
            raise ConfigError("evaluation.rubric_grader 'llm-judge' needs evaluation.judge_backend")
        if self.graders not in ("offline", "llm-judge", "both"):
            raise ConfigError(f"evaluation.graders must be offline, llm-judge or both, got {self.graders!r}")
        if self.graders != "offline" and not self.judge_backend:
            raise ConfigError(f"evaluation.graders {self.graders!r} needs evaluation.judge_backend, "
                              "e.g. 'openai:gpt-4o-mini' or an OpenAI-compatible server")
        if not self.conditions:
            raise ConfigError("evaluation.conditions is empty; use [clean] at least")
        if self.items_per_benchmark is not None and self.items_per_benchmark < 1:
            raise ConfigError(f"evaluation.items_per_benchmark must be >= 1 (or unset for the suite's default), got {self.items_per_benchmark}")
        if self.max_new_tokens < 1:
            raise ConfigError(f"evaluation.max_new_tokens must be >= 1, got {self.max_new_tokens}")
        specs = tuple(parse_condition_spec(c, f"evaluation.conditions[{i}]") for i, c in enumerate(self.conditions))
        names = [c.name for c in specs]
        if len(set(names)) != len(names):
            dup = next(n for n in names if names.count(n) > 1)
            raise ConfigError(f"evaluation.conditions lists {dup!r} twice; list each condition once")
        redteam = [c.name for c in specs if c.runs_as == "redteam"]
        if len(redteam) > 1:
            raise ConfigError(f"evaluation.conditions has {len(redteam)} redteam conditions {redteam}; one attacker per study, keep one")
        object.__setattr__(self, "condition_specs", specs)
        object.__setattr__(self, "user_specs", tuple(_user_benchmark(p) for p in self.user_benchmarks))

    @property
    def n_items(self) -> int | None:
        return self.items_per_benchmark if self.items_per_benchmark is not None else SUITE_ITEMS[self.suite]

    @property
    def redteam_condition(self) -> ConditionSpec | None:
        return next((c for c in self.condition_specs if c.runs_as == "redteam"), None)

    def specs(self) -> list[BenchmarkSpec]:
        """The benchmarks to score: registered ones plus this config's user files (the registry is not changed)."""
        available = {**load_registry(), **{s.name: s for s in self.user_specs}}
        names = self.benchmarks or sorted(available)
        specs = []
        for name in names:
            if name not in available:
                raise UnknownNameError("benchmark", name, list(available))
            if name not in self.exclude_benchmarks:
                specs.append(available[name])
        for spec in specs:
            check_scoring(spec.scoring)
        return specs

    def parsed_conditions(self) -> list[Condition]:
        """The item-transforming conditions (red-teaming and fine-tuning run as their own pipelines)."""
        return [c.transform for c in self.condition_specs if c.runs_as == "items"]

    def record(self) -> dict:
        """The resolved settings as the manifest stores them."""
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.init}
        out["conditions"] = [c.record() for c in self.condition_specs]
        out["n_items"] = self.n_items
        return out


def _user_benchmark(path: str) -> BenchmarkSpec:
    from pathlib import Path

    from study.benchmarks.jsonl import jsonl_benchmark_spec

    load_registry()  # so a name clash with a registered benchmark is seen
    return jsonl_benchmark_spec(Path(path))


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
        self.judge_refusal = None
        if settings.graders != "offline":
            from study.backends.factory import make_backend

            judge = ChargedGrader("llm-refusal", ledger, count_tokens,
                                  backend=make_backend(settings.judge_backend, ledger, category="judge"))
            if settings.graders == "llm-judge":
                self.refusal = judge
            else:
                self.judge_refusal = judge
        if settings.rubric_grader == "llm-judge":
            from study.backends.factory import make_backend

            self.rubric = ChargedGrader("llm-judge", ledger, count_tokens, backend=make_backend(settings.judge_backend, ledger, category="judge"))
        else:
            self.rubric = ChargedGrader("rubric-offline", ledger, count_tokens)


def evaluate(backend, settings: EvalSettings, *, run: str, arm: str, seed: int, ledger: Ledger | None = None,
             count_tokens=None, progress=None) -> pd.DataFrame:
    """Score ``backend`` on the battery; returns the per-item table (docs/contracts.md)."""
    count_tokens = count_tokens or word_count
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
            scorer = get_scorer(spec.scoring)
            if scorer.kind == "options":
                scores = scorer.score(transformed, backend, spec)
                rows += _rows(spec, cond, transformed, scores, 0, run, arm, seed)
                if progress:
                    progress(len(transformed))
            else:
                generation_jobs.append((spec, cond, transformed))
    conversations = [it.conversation for _, _, items in generation_jobs for it in items]
    agreement: list[tuple[list[bool], list[bool]]] = []
    for sample in range(settings.samples):
        responses = backend.generate(conversations, max_new_tokens=settings.max_new_tokens, temperature=settings.temperature, seed=sample) if conversations else []
        refusals = graders.refusal.grade([GradeRequest(prompt=c, response=r) for c, r in zip(conversations, responses)])
        refused = [bool(g.detail["refused"]) for g in refusals]  # the grader's own RefusalConfig threshold
        if graders.judge_refusal is not None:
            judged = graders.judge_refusal.grade([GradeRequest(prompt=c, response=r) for c, r in zip(conversations, responses)])
            agreement.append((refused, [bool(g.detail["refused"]) for g in judged]))
        start = 0
        for spec, cond, items in generation_jobs:
            stop = start + len(items)
            scores = score_generated(spec.scoring, items, responses[start:stop], refused[start:stop], graders)
            rows += _rows(spec, cond, items, scores, sample, run, arm, seed)
            start = stop
            if progress:
                progress(len(items))
    table = pd.DataFrame(rows, columns=COLUMNS)
    if agreement:
        from study.graders import refusal_agreement

        table.attrs["grader_agreement"] = refusal_agreement(agreement, [spec.name for spec, _, its in generation_jobs
                                                                        for _ in its])
    return table


def count_eval_items(settings: EvalSettings) -> int:
    """How many (item, condition, sample) scores an evaluation produces (for progress bars and plans)."""
    total = 0
    for spec in settings.specs():
        n = len(select_items(spec.items(), settings.n_items))
        for cond in settings.parsed_conditions():
            if cond.applies_to(spec):
                total += n * (1 if get_scorer(spec.scoring).kind == "options" else settings.samples)
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


