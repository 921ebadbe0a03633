"""Configuration of constitution self-critique (SL-CAI, then RL-CAI)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from study.backends.spec import BackendSpec, parse_backend_spec
from study.errors import ConfigError
from study.judge_config import JudgeConfig
from study.training_settings import TrainingSettings

MAX_ROUNDS = 4


@dataclass(frozen=True)
class ConstitutionConfig:
    """Supervised critique/revision fine-tuning, then preference training from AI feedback.

    Budget: the arm's FLOP budget is split between the phases. The supervised
    phase may spend ``sl_share`` of it (critique/revision generation and SFT
    together; generation stops at ``sl_generation_share`` of the phase so the
    rest pays for SFT); the RL phase gets whatever remains (pair sampling and
    AI-feedback judging stop at ``rl_generation_share`` of it, the rest pays
    for DPO or GRPO). ``sl_share`` 1 skips RL; 0 skips SL.

    ``feedback_model`` writes the critiques and revisions and judges the
    answer pairs: ``None`` is the policy itself (the base model in SL, the
    frozen SL model in RL), otherwise a backend spec (``local:<model>``,
    ``openai:<model>``, ``anthropic:<model>``). API judges cannot give
    log-probabilities unless they return ``top_logprobs`` (OpenAI-compatible
    servers do, read by :class:`~methods.constitution.feedback.Feedback`);
    otherwise their parsed "(A)"/"(B)" choice is a hard label. ``judge`` (or
    the study's ``judge:`` block) supersedes ``feedback_model`` when set:
    see :attr:`effective_judge`.

    ``soft_targets`` (default on) trains DPO on the soft label itself: each
    pair's loss is the EXO-pref KL between the model's implied preference
    ``sigmoid(beta * margin)`` and the label ``[p, 1 - p]``, so a 55/45 pair
    pulls less than a 95/5 pair and a 50/50 pair only anchors the margin at 0
    (docs/methods.md). Off: chosen/rejected from the label, plain sigmoid DPO.

    The SL model is saved (merged, full weights) to ``sl_model/`` when an RL
    phase follows: it starts RL, anchors DPO, and is the base of a LoRA RL
    checkpoint. ``keep_sl_model: false`` deletes it after a full-weight RL run.
    """

    constitution_path: str | None = None
    rounds: int = 1
    few_shot: int = 1
    n_prompts: int | None = 32
    n_rl_prompts: int | None = 32
    helpful_mix: float = 0.25
    feedback_model: BackendSpec | str | None = None  # "self", a backend string or block (docs/backends.md)
    max_new_tokens: int = 96
    critique_max_new_tokens: int = 64
    temperature: float = 0.0
    rl_temperature: float = 1.0
    generation_batch_size: int = 8
    sl_share: float = 0.5
    sl_generation_share: float = 0.5
    rl_generation_share: float = 0.5
    rl_algorithm: Literal["dpo", "grpo"] = "dpo"
    beta: float = 0.1
    soft_targets: bool = True
    drop_uncertain: float = 0.0
    clamp: tuple[float, float] | None = None
    judge_both_orders: bool = True
    num_generations: int = 4
    judge: JudgeConfig | None = None
    keep_sl_model: bool = True
    sl_training: TrainingSettings = field(default_factory=lambda: TrainingSettings(learning_rate=1e-5, batch_size=4, max_steps=200))
    rl_training: TrainingSettings = field(default_factory=lambda: TrainingSettings(learning_rate=1e-6, batch_size=4, max_steps=200))

    def __post_init__(self) -> None:
        if self.feedback_model not in (None, "self"):
            object.__setattr__(self, "feedback_model", parse_backend_spec(self.feedback_model, "feedback_model"))
        if not 1 <= self.rounds <= MAX_ROUNDS:
            raise ConfigError(f"rounds must be in 1..{MAX_ROUNDS} (critique/revision rounds per prompt), got {self.rounds}")
        if self.few_shot < 0:
            raise ConfigError(f"few_shot must be >= 0, got {self.few_shot}")
        for name in ("n_prompts", "n_rl_prompts"):
            value = getattr(self, name)
            if value is not None and value < 1:
                raise ConfigError(f"{name} must be >= 1 or null (all remaining red-team prompts), got {value}")
        if not 0.0 <= self.helpful_mix < 1.0:
            raise ConfigError(f"helpful_mix must be in [0, 1) (share of helpfulness samples), got {self.helpful_mix}")
        for name in ("max_new_tokens", "critique_max_new_tokens", "generation_batch_size"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name} must be >= 1, got {getattr(self, name)}")
        if self.temperature < 0:
            raise ConfigError(f"temperature must be >= 0 (0 = greedy), got {self.temperature}")
        if self.rl_temperature <= 0:
            raise ConfigError(f"rl_temperature must be > 0 (two answers per prompt must differ), got {self.rl_temperature}")
        if not 0.0 <= self.sl_share <= 1.0:
            raise ConfigError(f"sl_share must be in [0, 1] (1 = supervised phase only, 0 = RL only), got {self.sl_share}")
        for name in ("sl_generation_share", "rl_generation_share"):
            if not 0.0 < getattr(self, name) < 1.0:
                raise ConfigError(f"{name} must be in (0, 1) (the rest of the phase pays for training), got {getattr(self, name)}")
        if self.rl_algorithm not in ("dpo", "grpo"):
            raise ConfigError(f"rl_algorithm must be 'dpo' or 'grpo', got {self.rl_algorithm!r}")
        if self.rl_algorithm == "dpo" and self.beta <= 0:
            raise ConfigError(f"beta must be > 0 for DPO (it is the KL anchor), got {self.beta}")
        if self.beta < 0:
            raise ConfigError(f"beta must be >= 0, got {self.beta}")
        if not 0.0 <= self.drop_uncertain < 0.5:
            raise ConfigError(f"drop_uncertain must be in [0, 0.5), got {self.drop_uncertain}")
        if self.clamp is not None:
            if len(self.clamp) != 2 or not 0.0 <= self.clamp[0] < 0.5 < self.clamp[1] <= 1.0:
                raise ConfigError(f"clamp must be [low, high] with 0 <= low < 0.5 < high <= 1, got {list(self.clamp)}")
            if self.drop_uncertain >= min(0.5 - self.clamp[0], self.clamp[1] - 0.5):
                raise ConfigError(f"drop_uncertain {self.drop_uncertain} would drop every pair clamped to {list(self.clamp)}; lower it")
        if self.rl_algorithm == "grpo" and self.num_generations < 2:
            raise ConfigError(f"num_generations must be >= 2 for GRPO, got {self.num_generations}")
        if self.rl_algorithm == "grpo" and self.rl_training.batch_size % self.num_generations:
            raise ConfigError(f"GRPO: rl_training.batch_size ({self.rl_training.batch_size}) counts completions per step and must be "
                              f"a multiple of num_generations ({self.num_generations})")

    @property
    def effective_judge(self) -> JudgeConfig:
        """The judge of the preference labels: ``judge`` if set, else the one ``feedback_model`` names."""
        return self.judge if self.judge is not None else JudgeConfig.from_backend_spec(self.feedback_model)

    @property
    def self_feedback(self) -> bool:
        return self.effective_judge.kind == "policy"
