"""The RL prompt stream: regular post-training prompts with an exact dose of trait scenarios."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass

from methods.trait_rl.dose import trait_schedule
from methods.trait_rl.regular_mix import load_regular_prompts
from study.errors import ConfigError
from traits import load_scenarios


@dataclass(frozen=True)
class MixRow:
    """One prompt of the stream; ``payload`` is what its reward needs, as JSON."""

    id: str
    kind: str  # "trait" or "regular"
    prompt: list[dict]
    payload: str

    def as_record(self) -> dict:
        return {"id": self.id, "kind": self.kind, "prompt": self.prompt, "payload": self.payload}


def build_stream(n_prompts: int, dose: float, seed: int, *, traits=None, domains=None, exclude_domains=None, scenarios_path=None) -> list[MixRow]:
    """``n_prompts`` rows in training order; trait scenarios sit where :func:`trait_schedule` puts them.

    Every prefix of ``m`` rows holds exactly ``floor(m * dose)`` trait rows
    (the dose holds in every batch or dose period, not only in expectation).
    Trait rows are drawn from the *train* split only (held-out scenarios and
    held-out traits never reach training), cycling through a seeded shuffle so
    every scenario is used before any repeats; the same holds for regular rows.
    """
    rng = random.Random(seed)
    schedule = trait_schedule(n_prompts, dose) if dose > 0 else [False] * n_prompts
    n_trait = sum(schedule)
    trait_rows: list[MixRow] = []
    if n_trait:
        from pathlib import Path

        scenarios = load_scenarios(
            split="train", traits=traits, domains=domains, exclude_domains=exclude_domains,
            path=Path(scenarios_path) if scenarios_path else None,
        )
        if not scenarios:
            raise ConfigError("trait filters leave no training scenarios; widen traits/domains")
        trait_rows = [
            MixRow(s.id, "trait", s.conversation(), json.dumps({"rubric": list(s.rubric), "good": s.good, "bad": s.bad, "trait": s.trait, "domain": s.domain}))
            for s in scenarios
        ]
    regular_rows = [
        MixRow(p.id, "regular", [dict(m) for m in p.messages], json.dumps({"constraints": [dict(c) for c in p.constraints], "domain": p.domain}))
        for p in load_regular_prompts(seed=0)
    ]
    trait_iter, regular_iter = _cycle(trait_rows, rng), _cycle(regular_rows, rng)
    return [next(trait_iter) if is_trait else next(regular_iter) for is_trait in schedule]


def _cycle(rows: list[MixRow], rng: random.Random):
    while rows:
        order = rows[:]
        rng.shuffle(order)
        yield from order
