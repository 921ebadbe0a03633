"""Which prompts each phase uses: disjoint red-team splits plus a share of helpfulness prompts."""

from __future__ import annotations

import random
from dataclasses import dataclass

from constitution import PromptRecord, load_prompt_set
from methods.constitution.config import ConstitutionConfig
from study.errors import ConfigError


@dataclass(frozen=True)
class PhasePrompts:
    red_team: list[PromptRecord]
    helpful: list[PromptRecord]

    @property
    def all(self) -> list[PromptRecord]:
        return self.red_team + self.helpful

    def shuffled(self, key: str) -> list[PromptRecord]:
        """All the phase's prompts in the order of a generator seeded with ``key``."""
        order = self.all
        random.Random(key).shuffle(order)
        return order


def n_helpful(n_red: int, helpful_mix: float) -> int:
    """Helpfulness prompts so that they make up ``helpful_mix`` of the phase's prompts."""
    return round(n_red * helpful_mix / (1.0 - helpful_mix))


def split_prompts(config: ConstitutionConfig, seed: int) -> tuple[PhasePrompts, PhasePrompts]:
    """Seeded, disjoint SL and RL prompt sets (as in the open recipe, no prompt is used by both phases).

    ``None`` counts share what is left: both ``None`` split the red-team set in half.
    """
    rng = random.Random(f"constitution-prompts:{seed}")
    red = load_prompt_set("red_team")
    helpful = load_prompt_set("helpful")
    rng.shuffle(red)
    rng.shuffle(helpful)
    n_sl, n_rl = config.n_prompts, config.n_rl_prompts
    if n_sl is None and n_rl is None:
        n_sl = len(red) // 2
    if n_sl is None:
        n_sl = len(red) - n_rl
    if n_rl is None:
        n_rl = len(red) - n_sl
    if config.sl_share == 0.0:
        n_sl = 0
    if config.sl_share == 1.0:
        n_rl = 0
    if n_sl + n_rl > len(red) or min(n_sl, n_rl) < 0:
        raise ConfigError(f"n_prompts + n_rl_prompts = {n_sl + n_rl} exceeds the {len(red)} red-team prompts; lower them (the phases use disjoint prompts)")
    h_sl, h_rl = n_helpful(n_sl, config.helpful_mix), n_helpful(n_rl, config.helpful_mix)
    if h_sl + h_rl > len(helpful):
        raise ConfigError(f"helpful_mix {config.helpful_mix} needs {h_sl + h_rl} helpfulness prompts but only {len(helpful)} exist; lower helpful_mix or the prompt counts")
    sl = PhasePrompts(red[:n_sl], helpful[:h_sl])
    rl = PhasePrompts(red[n_sl : n_sl + n_rl], helpful[h_sl : h_sl + h_rl])
    return sl, rl


def user_turn(record: PromptRecord) -> list[dict]:
    return [{"role": "user", "content": record.prompt}]
