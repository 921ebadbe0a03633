"""Trait-RL (GRPO with a dose of rubric-graded trait scenarios) and its compute-matched control."""

from methods.trait_rl.config import TraitRLConfig
from methods.trait_rl.method import ControlMethod, TraitRLMethod

__all__ = ["ControlMethod", "TraitRLConfig", "TraitRLMethod"]
