"""No benchmark item reaches training: benchmark user turns never equal a training prompt."""

from __future__ import annotations

import re

from constitution import load_prompt_set
from methods.trait_rl.regular_mix import load_regular_prompts
from study.benchmarks import load_registry
from study.errors import DataError
from traits import load_scenarios


def norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def benchmark_turns() -> set[str]:
    turns = set()
    for spec in load_registry().values():
        try:
            items = spec.items()
        except DataError:  # external archive not fetched on this machine
            continue
        for it in items:
            turns |= {norm(m["content"]) for m in it.messages if m["role"] == "user"}
    return turns


def test_training_prompts_are_disjoint_from_benchmarks():
    bench = benchmark_turns()
    training = {
        "trait scenarios": {norm(m["content"]) for s in load_scenarios() for m in s.messages if m["role"] == "user"},
        "constitution red-team prompts": {norm(r.prompt) for r in load_prompt_set("red_team")},
        "constitution helpful prompts": {norm(r.prompt) for r in load_prompt_set("helpful")},
        "regular RL mix": {norm(m["content"]) for p in load_regular_prompts() for m in p.messages if m["role"] == "user"},
    }
    for name, turns in training.items():
        overlap = bench & turns
        assert not overlap, f"{len(overlap)} {name} equal benchmark user turns"
