"""The dose, honoured exactly: where trait scenarios sit in the prompt stream, and how many a run will see.

A dose is a fraction ``p/q`` (in lowest terms). The stream places trait
prompts by a largest-remainder (Bresenham) schedule: prompt ``i`` is a trait
scenario when ``floor((i + 1) p / q) > floor(i p / q)``. So every prefix of
``m`` prompts holds exactly ``floor(m p / q)`` trait scenarios - a run stopped
early by its budget has seen its dose up to one prompt, not only in
expectation - and every aligned block of ``q`` prompts holds exactly ``p``.
With ``b`` prompts per optimiser step the share is exact in every batch when
``b p / q`` is whole, and otherwise in every *dose period* of ``q / gcd(q, b)``
steps. A dose whose period does not fit into the steps the arm can run is
refused: it cannot be honoured at that batch size.
"""

from __future__ import annotations

import math
from fractions import Fraction

from study.errors import ConfigError

MAX_DENOMINATOR = 1000
TOLERANCE = 1e-9


def dose_fraction(dose: float) -> Fraction:
    """The dose as an exact fraction with denominator <= MAX_DENOMINATOR, or a ConfigError."""
    frac = Fraction(dose).limit_denominator(MAX_DENOMINATOR)
    if abs(float(frac) - dose) > TOLERANCE:
        raise ConfigError(f"dose {dose} is not a fraction with denominator <= {MAX_DENOMINATOR}; use e.g. {float(frac):g}")
    return frac


def trait_schedule(n_prompts: int, dose: float) -> list[bool]:
    """``True`` at the stream positions that hold a trait scenario (largest-remainder interleaving)."""
    frac = dose_fraction(dose)
    p, q = frac.numerator, frac.denominator
    return [(i + 1) * p // q > i * p // q for i in range(n_prompts)]


def prompts_per_step(config) -> int:
    """Prompts (GRPO groups) in one optimiser step."""
    return config.prompts_per_step * config.training.gradient_accumulation_steps


def dose_period_steps(config) -> int:
    """Smallest number of optimiser steps whose prompts hold a whole number of trait scenarios at ``config.dose``."""
    q = dose_fraction(config.dose).denominator
    return q // math.gcd(q, prompts_per_step(config))


def affordable_steps(config, budget_flops: float | None, n_params: int, prompt_tokens: int | None = None) -> int:
    """Steps the arm will run: ``max_steps`` or what the budget pays for at the (upper) step estimate, whichever is less.

    The estimate uses :func:`methods.trait_rl.method.step_flops` (nominal 96-token prompts, full-length
    completions), so real runs usually take a few more steps: the count is a lower bound.
    """
    from methods.trait_rl.method import step_flops

    steps = config.training.max_steps
    if budget_flops is not None:
        cost = step_flops(config, n_params) if prompt_tokens is None else step_flops(config, n_params, prompt_tokens)
        steps = min(steps, int(budget_flops // cost))
    return max(steps, 0)


def trait_scenarios_seen(config, budget_flops: float | None, n_params: int, prompt_tokens: int | None = None) -> int:
    """Trait scenarios the arm's trainer will see (a lower bound, see :func:`affordable_steps`)."""
    if config.dose == 0:
        return 0
    frac = dose_fraction(config.dose)
    n = affordable_steps(config, budget_flops, n_params, prompt_tokens) * prompts_per_step(config)
    return n * frac.numerator // frac.denominator


def check_dose(config, budget_flops: float | None, n_params: int, where: str = "config", prompt_tokens: int | None = None) -> None:
    """Refuse a dose that cannot be honoured at the batch size, or that leaves fewer than ``min_trait_scenarios``."""
    if config.dose == 0:
        return
    steps = affordable_steps(config, budget_flops, n_params, prompt_tokens)
    period = dose_period_steps(config)
    b = prompts_per_step(config)
    if period > steps:
        best = Fraction(config.dose).limit_denominator(max(steps * b, 1))
        raise ConfigError(
            f"{where}: dose {config.dose} cannot be honoured at {b} prompt(s) per step: an exact share needs {period} steps "
            f"but the arm runs about {steps}; use a dose that is a multiple of 1/{period_hint(steps, b)} (e.g. {float(best):g}) "
            "or raise prompts_per_step/max_steps/budget_flops"
        )
    seen = trait_scenarios_seen(config, budget_flops, n_params, prompt_tokens)
    if seen < config.min_trait_scenarios:
        raise ConfigError(
            f"{where}: at dose {config.dose} the arm sees about {seen} trait scenarios in ~{steps} steps of {b} prompt(s), "
            f"below min_trait_scenarios={config.min_trait_scenarios}; raise dose, prompts_per_step or budget_flops "
            "(or lower min_trait_scenarios with a stated reason)"
        )


def period_hint(steps: int, per_step: int) -> int:
    return max(steps * per_step, 1)
