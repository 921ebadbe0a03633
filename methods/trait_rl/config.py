"""Configuration of trait-RL and of its compute-matched control."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from study.backends.spec import BackendSpec, parse_backend_spec
from study.errors import ConfigError
from study.judge_config import JudgeConfig
from study.training_settings import TrainingSettings


@dataclass(frozen=True)
class TraitRLConfig:
    """GRPO on the regular post-training mix plus a dose of trait scenarios.

    ``dose`` is the exact share of trait scenarios among the prompts the
    trainer samples (the published study used about 5%), interleaved by a
    largest-remainder schedule so that it holds in every batch or dose period
    (:mod:`methods.trait_rl.dose`); a run that would see fewer than
    ``min_trait_scenarios`` trait scenarios is refused before it starts. ``reward`` chooses
    how trait scenarios are rewarded: ``rubric`` (the method) or ``generic``
    (a generic-helpfulness grader that ignores the rubric: the ablation showing
    whether the rubric, not the prompts, carries the effect). Regular prompts
    are always rewarded by their verifiable constraints. ``use_vllm`` hands the
    rollouts to TRL's vLLM integration (``vllm_mode`` colocate or server; see
    :func:`study.training.vllm_args`); the ledger charges the same tokens.

    ``judge`` grades the rubric (:class:`study.judge_config.JudgeConfig`; the
    study's ``judge:`` block fills it in when the arm sets none). Without one,
    the legacy ``grader``/``judge_backend`` fields decide (:attr:`effective_judge`).
    """

    dose: float = 0.05
    min_trait_scenarios: int = 20
    traits: list[str] | None = None
    domains: list[str] | None = None
    exclude_domains: list[str] | None = None
    scenarios_path: str | None = None
    reward: Literal["rubric", "generic"] = "rubric"
    grader: Literal["rubric-offline", "llm-judge"] = "rubric-offline"
    judge_backend: BackendSpec | None = None  # a backend string or block (docs/backends.md)
    judge: JudgeConfig | None = None
    prompts_per_step: int = 1
    num_generations: int = 4
    max_completion_length: int = 48
    temperature: float = 1.0
    beta: float = 0.0
    use_vllm: bool = False
    vllm_mode: Literal["colocate", "server"] = "colocate"
    vllm_server_base_url: str | None = None
    training: TrainingSettings = field(default_factory=lambda: TrainingSettings(learning_rate=1e-6, batch_size=4, max_steps=200))

    def __post_init__(self) -> None:
        if not 0.0 <= self.dose <= 1.0:
            raise ConfigError(f"dose must be in [0, 1], got {self.dose}")
        if self.dose > 0:
            from methods.trait_rl.dose import dose_fraction

            dose_fraction(self.dose)
        if self.min_trait_scenarios < 0:
            raise ConfigError(f"min_trait_scenarios must be >= 0, got {self.min_trait_scenarios}")
        if self.num_generations < 2:
            raise ConfigError(f"num_generations must be >= 2 (GRPO compares completions of one prompt), got {self.num_generations}")
        if self.prompts_per_step < 1:
            raise ConfigError(f"prompts_per_step must be >= 1, got {self.prompts_per_step}")
        if self.max_completion_length < 1:
            raise ConfigError(f"max_completion_length must be >= 1, got {self.max_completion_length}")
        if self.judge_backend is not None:
            object.__setattr__(self, "judge_backend", parse_backend_spec(self.judge_backend, "judge_backend"))
        if self.grader == "llm-judge" and not self.judge_backend:
            raise ConfigError("grader 'llm-judge' needs judge_backend, e.g. 'openai:gpt-4o-mini' or 'local:smollm2-135m-instruct'")
        if self.vllm_server_base_url and not (self.use_vllm and self.vllm_mode == "server"):
            raise ConfigError("vllm_server_base_url is only used with use_vllm: true and vllm_mode: server")
        if self.domains and self.exclude_domains:
            raise ConfigError("set either domains or exclude_domains, not both")

    @property
    def effective_judge(self) -> JudgeConfig:
        """The judge that grades trait rows: ``judge`` if set, else the one ``grader``/``judge_backend`` name."""
        if self.judge is not None:
            return self.judge
        if self.grader == "llm-judge":
            return JudgeConfig.from_backend_spec(self.judge_backend)
        return JudgeConfig(kind="offline")

    @property
    def completions_per_step(self) -> int:
        return self.prompts_per_step * self.num_generations * self.training.gradient_accumulation_steps


@dataclass(frozen=True)
class ControlConfig(TraitRLConfig):
    """The control takes the trait-RL config with no trait data (``dose`` must stay 0)."""

    dose: float = 0.0
