"""The project's own procedurally generated benchmarks; importing this package registers them all.

Each module holds one category; items are built deterministically from
templates x slot values (see ``_build``).
"""

from study.benchmarks.own import (  # noqa: F401  (imported for their @benchmark decorators)
    capability,
    corrigibility,
    deception,
    epistemic,
    fairness,
    honesty,
    honesty_gen,
    instruction_following,
    knowledge,
    over_refusal,
    reward_hacking,
    steerability,
    sycophancy,
    sycophancy_gen,
    sycophancy_social,
    transparency,
    truthfulness,
    wellbeing,
    wellbeing_gen,
)
