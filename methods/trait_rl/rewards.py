"""The GRPO reward: verifiable constraints for regular prompts, a grader for trait scenarios."""

from __future__ import annotations

import json
from pathlib import Path

from methods.trait_rl.config import TraitRLConfig
from methods.trait_rl.regular_mix import RegularPrompt, regular_reward
from study.compute import Ledger
from study.graders import GradeRequest
from study.judging import ChargedGrader


class MixReward:
    """Callable in TRL's reward-function shape; logs every rollout with its reward to ``log_path``."""

    __name__ = "mix_reward"

    def __init__(self, config: TraitRLConfig, ledger: Ledger | None, count_tokens, log_path: Path | None = None, judge_backend=None):
        if config.reward == "generic":
            name, kwargs = "helpfulness", {}
        elif config.effective_judge.kind != "offline":
            name, kwargs = "llm-judge", {"backend": judge_backend}
        else:
            name, kwargs = "rubric-offline", {}
        self.grader = ChargedGrader(name, ledger, count_tokens, **kwargs)
        self.log_path = log_path
        self.calls = 0

    def __call__(self, prompts, completions, kind, payload, id, trainer_state=None, **_) -> list[float]:
        responses = [_text(c) for c in completions]
        rewards: list[float | None] = [None] * len(responses)
        trait_idx = [i for i, k in enumerate(kind) if k == "trait"]
        if trait_idx:
            requests = []
            for i in trait_idx:
                ref = json.loads(payload[i])
                requests.append(GradeRequest(prompt=list(prompts[i]), response=responses[i], rubric=tuple(ref["rubric"]), good=ref["good"], bad=ref["bad"]))
            for i, grade in zip(trait_idx, self.grader.grade(requests)):
                rewards[i] = float(grade.score)
        for i, k in enumerate(kind):
            if k == "regular":
                ref = json.loads(payload[i])
                prompt = RegularPrompt(id=id[i], messages=tuple(prompts[i]), constraints=tuple(ref["constraints"]), domain=ref["domain"])
                rewards[i] = regular_reward(prompt, responses[i])
        self.calls += 1
        if self.log_path is not None:
            step = trainer_state.global_step if trainer_state is not None else self.calls - 1
            with open(self.log_path, "a", encoding="utf-8") as fh:
                for i, r in enumerate(rewards):
                    trait = json.loads(payload[i]).get("trait") if kind[i] == "trait" else None
                    fh.write(json.dumps({"step": step, "id": id[i], "kind": kind[i], "trait": trait, "reward": r,
                                         "completion": responses[i]}) + "\n")
        return [float(r) for r in rewards]


def _text(completion) -> str:
    if isinstance(completion, str):
        return completion
    return "".join(m.get("content", "") for m in completion if m.get("role") == "assistant")
