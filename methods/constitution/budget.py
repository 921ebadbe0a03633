"""Splitting one arm's FLOP budget between the two phases and their data generation.

The ledger stays the single account: a phase runs with the ledger's budget
temporarily lowered to the phase's cap (:func:`capped`), so every existing
check (``LedgerCallback``, ``can_afford``) respects the phase share without
knowing about phases. Data generation inside a phase is metered by an
:class:`Allowance` that learns the cost of a unit of work as it goes.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from typing import Iterator, Sequence, TypeVar

from methods.constitution.config import ConstitutionConfig
from study.compute import FORWARD_FLOPS_PER_PARAM_TOKEN, TRAIN_FLOPS_PER_PARAM_TOKEN, Ledger
from study.progress import progress_bar

log = logging.getLogger(__name__)
T = TypeVar("T")

# Nominal sizes for the tokenizer-free estimate (measured on the shipped data with the SmolLM2 template):
NOMINAL_PROMPT_TOKENS = 70  # default system prompt + chat markup + one prompt
NOMINAL_SHOT_TOKENS = 260  # one few-shot example replayed as chat turns
NOMINAL_REQUEST_TOKENS = 45  # a critique or revision request turn
NOMINAL_COMPARISON_TOKENS = 110  # comparison scaffold without the two answers


@contextmanager
def capped(ledger: Ledger, cap_total: float | None) -> Iterator[Ledger]:
    """Lower the ledger's budget to an absolute total of ``cap_total`` FLOPs inside the block."""
    original = ledger.budget_flops
    if cap_total is not None and original is not None:
        ledger.budget_flops = min(original, cap_total)
    try:
        yield ledger
    finally:
        ledger.budget_flops = original


class Allowance:
    """At most ``flops`` more FLOPs (``None``: unlimited) for units of similar cost.

    :meth:`can_start` admits a unit only if its estimated cost fits, so the
    overshoot is bounded by one misestimated unit. The estimate is the prior
    until a unit has run, then the largest observed per-item cost.
    """

    def __init__(self, ledger: Ledger, flops: float | None, prior_per_item: float):
        self.ledger = ledger
        self.start = ledger.total_flops
        self.flops = flops
        self.per_item = prior_per_item
        self.observed = False

    @property
    def spent(self) -> float:
        return self.ledger.total_flops - self.start

    def can_start(self, n_items: int) -> bool:
        need = self.per_item * n_items
        within = self.flops is None or self.spent + need <= self.flops
        return within and self.ledger.can_afford(need) and not self.ledger.api_tokens_spent()

    def record(self, cost: float, n_items: int) -> None:
        per_item = cost / max(n_items, 1)
        self.per_item = per_item if not self.observed else max(self.per_item, per_item)
        self.observed = True


def metered_chunks(items: Sequence[T], size: int, allowance: Allowance, label: str) -> Iterator[tuple[int, list[T]]]:
    """Yield ``(chunk_no, chunk)`` while the allowance admits the next chunk, metering each one's cost.

    The caller's work between two yields is what gets charged to the chunk; a
    progress bar over the items shows how far the generation got.
    """
    with progress_bar(f"{label} (prompts; ends early when its FLOP share is spent)", len(items)) as advance:
        for chunk_no, start in enumerate(range(0, len(items), size)):
            chunk = list(items[start : start + size])
            if not allowance.can_start(len(chunk)):
                log.info("%s: allowance spent after %d of %d prompts", label, start, len(items))
                return
            before = allowance.ledger.total_flops
            yield chunk_no, chunk
            allowance.record(allowance.ledger.total_flops - before, len(chunk))
            advance(len(chunk))


def sl_example_tokens(config: ConstitutionConfig, prompt_tokens: int, shot_tokens: int, request_tokens: int) -> int:
    """Forward tokens to produce one red-team SL example: answer, then critique + revision per round."""
    answer = prompt_tokens + config.max_new_tokens
    shots = config.few_shot * shot_tokens
    critique = shots + answer + request_tokens + config.critique_max_new_tokens
    revision = critique + request_tokens + config.max_new_tokens
    return answer + config.rounds * (critique + revision)


def sl_min_flops(config: ConstitutionConfig, n_params: int, prompt_tokens: int = NOMINAL_PROMPT_TOKENS,
                 shot_tokens: int = NOMINAL_SHOT_TOKENS, request_tokens: int = NOMINAL_REQUEST_TOKENS) -> float:
    """Smallest SL phase budget: one example fits the generation share and one SFT step the rest."""
    gen = sl_example_tokens(config, prompt_tokens, shot_tokens, request_tokens) * FORWARD_FLOPS_PER_PARAM_TOKEN
    s = config.sl_training
    step = s.batch_size * s.gradient_accumulation_steps * (prompt_tokens + config.max_new_tokens) * TRAIN_FLOPS_PER_PARAM_TOKEN
    g = config.sl_generation_share
    return float(max(gen / g, step / (1.0 - g)) * n_params)


def rl_pair_tokens(config: ConstitutionConfig, prompt_tokens: int, comparison_tokens: int) -> int:
    """Forward tokens to sample two answers to one prompt and judge them (twice with both orders)."""
    return 2 * (prompt_tokens + config.max_new_tokens) + judge_tokens(config, comparison_tokens)


def judge_tokens(config: ConstitutionConfig, comparison_tokens: int) -> int:
    one = comparison_tokens + 2 * config.max_new_tokens + 2 * 8  # two options of a few tokens
    return one * (2 if config.judge_both_orders else 1)


def rl_min_flops(config: ConstitutionConfig, n_params: int, prompt_tokens: int = NOMINAL_PROMPT_TOKENS,
                 comparison_tokens: int = NOMINAL_COMPARISON_TOKENS) -> float:
    """Smallest RL phase budget: one unit of data generation fits its share and one optimiser step the rest.

    DPO: the unit is one judged pair; a step trains on chosen + rejected (6N)
    and runs the reference model on them (2N). GRPO: the unit is one reference
    answer; a step generates rollouts, trains on them, judges each against the
    reference and (beta > 0) runs the reference model.
    """
    s = config.rl_training
    per_step = s.batch_size * s.gradient_accumulation_steps
    rollout = prompt_tokens + config.max_new_tokens
    if config.rl_algorithm == "dpo":
        gen = rl_pair_tokens(config, prompt_tokens, comparison_tokens) * FORWARD_FLOPS_PER_PARAM_TOKEN
        step = per_step * 2 * rollout * (TRAIN_FLOPS_PER_PARAM_TOKEN + FORWARD_FLOPS_PER_PARAM_TOKEN)
    else:
        gen = rollout * FORWARD_FLOPS_PER_PARAM_TOKEN
        per_token = TRAIN_FLOPS_PER_PARAM_TOKEN + FORWARD_FLOPS_PER_PARAM_TOKEN * (2 if config.beta > 0 else 1)
        step = per_step * (rollout * per_token + judge_tokens(config, comparison_tokens) * FORWARD_FLOPS_PER_PARAM_TOKEN)
    g = config.rl_generation_share
    return float(max(gen / g, step / (1.0 - g)) * n_params)


def max_flops(config: ConstitutionConfig, n_params: int, prompt_tokens: int = NOMINAL_PROMPT_TOKENS,
              shot_tokens: int = NOMINAL_SHOT_TOKENS, request_tokens: int = NOMINAL_REQUEST_TOKENS,
              comparison_tokens: int = NOMINAL_COMPARISON_TOKENS) -> float:
    """Upper estimate of what the arm can spend: every prompt's data generation plus every optimiser step of both phases.

    Helpfulness prompts are counted as full red-team examples (an over-estimate),
    so a budget above this cannot be reached. ``n_prompts: null`` (all prompts)
    has no bound here: ``inf``.
    """
    from methods.constitution.data import n_helpful

    if (config.sl_share > 0 and config.n_prompts is None) or (config.sl_share < 1 and config.n_rl_prompts is None):
        return float("inf")
    rollout = prompt_tokens + config.max_new_tokens
    total = 0.0
    if config.sl_share > 0:
        n = config.n_prompts + n_helpful(config.n_prompts, config.helpful_mix)
        s = config.sl_training
        total += n * sl_example_tokens(config, prompt_tokens, shot_tokens, request_tokens) * FORWARD_FLOPS_PER_PARAM_TOKEN
        total += s.max_steps * s.batch_size * s.gradient_accumulation_steps * rollout * TRAIN_FLOPS_PER_PARAM_TOKEN
    if config.sl_share < 1:
        n = config.n_rl_prompts + n_helpful(config.n_rl_prompts, config.helpful_mix)
        s = config.rl_training
        per_step = s.batch_size * s.gradient_accumulation_steps
        if config.rl_algorithm == "dpo":
            total += n * rl_pair_tokens(config, prompt_tokens, comparison_tokens) * FORWARD_FLOPS_PER_PARAM_TOKEN
            total += s.max_steps * per_step * 2 * rollout * (TRAIN_FLOPS_PER_PARAM_TOKEN + FORWARD_FLOPS_PER_PARAM_TOKEN)
        else:
            per_token = TRAIN_FLOPS_PER_PARAM_TOKEN + FORWARD_FLOPS_PER_PARAM_TOKEN * (2 if config.beta > 0 else 1)
            total += n * rollout * FORWARD_FLOPS_PER_PARAM_TOKEN
            total += s.max_steps * per_step * (rollout * per_token + judge_tokens(config, comparison_tokens) * FORWARD_FLOPS_PER_PARAM_TOKEN)
    return float(total * n_params)


def min_budget(config: ConstitutionConfig, sl_min: float, rl_min: float) -> float:
    """The smallest arm budget whose phase shares each pay for their phase's minimum."""
    need = 0.0
    if config.sl_share > 0:
        need = max(need, sl_min / config.sl_share)
    if config.sl_share < 1:
        need = max(need, rl_min / (1.0 - config.sl_share))
    return need
