"""Typed config of the attacks every arm receives: harmful fine-tuning and automated red-teaming."""

from __future__ import annotations

from dataclasses import dataclass

from study.conditions import parse_condition_spec
from study.config_parse import setting
from study.errors import ConfigError
from study.training_settings import TrainingSettings

# The attack's default fine-tuning: the same for `study run` (attacks.finetune.training) and `study attack finetune`.
ATTACK_TRAINING = TrainingSettings(learning_rate=5e-5, batch_size=4, max_steps=8, max_length=256)


@dataclass(frozen=True)
class FinetuneAttackConfig:
    steps: list[int] = setting(default_factory=lambda: [0, 8], ge=0, help="fine-tune steps k scored after the attack (must include 0)")
    benchmarks: list[str] | None = setting(None, non_empty=True, help="benchmarks re-scored (default: every non-harmful trait benchmark)")
    items_per_benchmark: int | None = setting(None, ge=1, help="items per benchmark (default: evaluation's)")
    training: TrainingSettings = setting(default_factory=lambda: ATTACK_TRAINING, help="the attack's fine-tuning settings")

    def __post_init__(self) -> None:
        if not self.steps or any(k < 0 for k in self.steps) or 0 not in self.steps:
            raise ConfigError(f"attacks.finetune.steps must be non-negative and include 0, got {self.steps}")


@dataclass(frozen=True)
class RedteamConfig:
    attacker: str = setting("local", help="attacker backend of a bare `redteam` condition: local, local:<model>, openai:<model>, ...")
    behaviours: int = setting(4, ge=1, help="harmful-refusal items attacked")
    queries: int = setting(3, ge=1, help="attacker queries per behaviour (the same for every arm)")
    attacker_max_new_tokens: int = setting(96, ge=1, help="tokens the attacker writes per attack prompt")

    def __post_init__(self) -> None:
        if self.behaviours < 1 or self.queries < 1:
            raise ConfigError("attacks.redteam.behaviours and queries must be >= 1")
        if self.attacker_max_new_tokens < 1:
            raise ConfigError(f"attacks.redteam.attacker_max_new_tokens must be >= 1, got {self.attacker_max_new_tokens}")
        parse_condition_spec(f"redteam:{self.attacker}", "attacks.redteam.attacker")


@dataclass(frozen=True)
class AttacksConfig:
    finetune: FinetuneAttackConfig | None = setting(None, help="the harmful fine-tuning attack, applied to every arm")
    redteam: RedteamConfig | None = setting(None, help="automated red-teaming (used by a redteam condition)")
