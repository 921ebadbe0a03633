"""GRPO reward from the constitution judge: P(rollout beats the SL model's reference answer)."""

from __future__ import annotations

import json
from pathlib import Path

from constitution import Constitution
from methods.constitution.config import ConstitutionConfig
from methods.constitution.feedback import Feedback, sample_principle_for
from methods.constitution.rl_phase import order_swapped


class ConstitutionReward:
    """TRL reward-function shape; every judgement is logged to ``log_path`` (JSONL).

    Each rollout is compared with its prompt's reference answer under a
    principle drawn per (prompt, call, rollout), in a seeded random order
    (both orders when ``judge_both_orders``), so the reward is the debiased
    soft label of the rollout, in [0, 1].
    """

    __name__ = "constitution_judge"

    def __init__(self, feedback: Feedback, constitution: Constitution, config: ConstitutionConfig, seed: int, log_path: Path | None = None):
        self.feedback = feedback
        self.constitution = constitution
        self.config = config
        self.seed = seed
        self.log_path = log_path
        self.calls = 0

    def __call__(self, prompts, completions, prompt_id, reference, trainer_state=None, **_) -> list[float]:
        texts = [_text(c) for c in completions]
        keys = [f"grpo:{pid}:{self.calls}:{i}" for i, pid in enumerate(prompt_id)]
        principles = [sample_principle_for(self.constitution, self.seed, k) for k in keys]
        items = [(p, list(prompt), t, ref) for p, prompt, t, ref in zip(principles, prompts, texts, reference)]
        judged = self.feedback.judge(items, [order_swapped(self.seed, k) for k in keys], self.config.judge_both_orders, self.config.clamp)
        rewards = [0.0 if not t.strip() else j.p_x for t, j in zip(texts, judged)]
        step = trainer_state.global_step if trainer_state is not None else self.calls
        self.calls += 1
        if self.log_path is not None:
            with open(self.log_path, "a", encoding="utf-8") as fh:
                for pid, p, t, j, r in zip(prompt_id, principles, texts, judged, rewards):
                    fh.write(json.dumps({"step": step, "prompt_id": pid, "principle_id": p.id, "order": j.order,
                                         "p_a_raw": list(j.p_a), "reward": r, "completion": t}) + "\n")
        return rewards


def _text(completion) -> str:
    if isinstance(completion, str):
        return completion
    return "".join(m.get("content", "") for m in completion if m.get("role") == "assistant")
