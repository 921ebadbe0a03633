"""The study config: one YAML file, validated at the edge into typed dataclasses.

Schema (every field documented in docs/study-config.md):

```yaml
name: quick
base_model: smollm2-135m-instruct
seeds: [0]
budget_flops: 2.0e13          # the same FLOP budget for every training arm
arms:                         # `base` (untrained) is always evaluated too
  - {name: control, method: control, config: {...}}
  - {name: constitution, method: constitution, config: {...}}
  - {name: trait-rl, method: trait-rl, config: {dose: 0.05}}
evaluation: {suite: quick, conditions: [clean, persona:reckless-medic], ...}
attacks:
  finetune: {steps: [0, 8], benchmarks: [...]}
  redteam: {attacker: local, behaviours: 4, queries: 3}
primary_hypotheses: [{benchmark: sycophancy-pushback-mc, contrast: [trait-rl, constitution]}]
statistics: {n_boot: 10000, seed: 0, min_effect: 0.05}
max_match_ratio: 1.02
output_dir: results
```
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from study.config_parse import from_dict
from study.errors import ConfigError, StudyError
from study.evaluate import EvalSettings
from study.judge_config import JudgeConfig
from study.training import TrainingSettings

RESERVED_ARMS = ("base",)


@dataclass(frozen=True)
class ArmConfig:
    name: str
    method: str
    config: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class FinetuneAttackConfig:
    steps: list[int] = field(default_factory=lambda: [0, 8])
    benchmarks: list[str] | None = None
    items_per_benchmark: int | None = None
    training: TrainingSettings = field(default_factory=lambda: TrainingSettings(learning_rate=5e-5, batch_size=4, max_steps=8))

    def __post_init__(self) -> None:
        if not self.steps or any(k < 0 for k in self.steps) or 0 not in self.steps:
            raise ConfigError(f"attacks.finetune.steps must be non-negative and include 0, got {self.steps}")


@dataclass(frozen=True)
class RedteamConfig:
    attacker: str = "local"
    behaviours: int = 4
    queries: int = 3
    attacker_max_new_tokens: int = 96

    def __post_init__(self) -> None:
        if self.behaviours < 1 or self.queries < 1:
            raise ConfigError("attacks.redteam.behaviours and queries must be >= 1")
        if self.attacker_max_new_tokens < 1:
            raise ConfigError(f"attacks.redteam.attacker_max_new_tokens must be >= 1, got {self.attacker_max_new_tokens}")


@dataclass(frozen=True)
class AttacksConfig:
    finetune: FinetuneAttackConfig | None = None
    redteam: RedteamConfig | None = None


@dataclass(frozen=True)
class Hypothesis:
    benchmark: str
    contrast: list[str]

    def __post_init__(self) -> None:
        if len(self.contrast) != 2:
            raise ConfigError(f"primary_hypotheses: contrast must name two arms, got {self.contrast}")


@dataclass(frozen=True)
class StatisticsConfig:
    n_boot: int = 10000
    seed: int = 0
    min_effect: float = 0.05


@dataclass(frozen=True)
class StudyConfig:
    name: str
    arms: list[ArmConfig]
    seeds: list[int]
    budget_flops: float
    base_model: str = "smollm2-135m-instruct"
    evaluation: EvalSettings = field(default_factory=EvalSettings)
    attacks: AttacksConfig = field(default_factory=AttacksConfig)
    contrasts: list[list[str]] | None = None
    primary_hypotheses: list[Hypothesis] = field(default_factory=list)
    statistics: StatisticsConfig = field(default_factory=StatisticsConfig)
    max_match_ratio: float = 1.02
    judge: JudgeConfig | None = None  # the feedback every method learns from (study/judge_config.py)
    output_dir: str = "results"
    run_id: str | None = None

    def __post_init__(self) -> None:
        if not self.seeds:
            raise ConfigError("seeds is empty; list at least one training seed, e.g. seeds: [0]")
        if len(set(self.seeds)) != len(self.seeds):
            raise ConfigError(f"seeds has duplicates: {self.seeds}")
        if self.budget_flops <= 0:
            raise ConfigError(f"budget_flops must be positive, got {self.budget_flops}")
        names = [a.name for a in self.arms]
        if not names:
            raise ConfigError("arms is empty; add at least one training arm (control, constitution, trait-rl)")
        for name in names:
            if name in RESERVED_ARMS:
                raise ConfigError(f"arms: {name!r} is reserved (the untrained base model is always evaluated); rename the arm")
            if names.count(name) > 1:
                raise ConfigError(f"arms: duplicate arm name {name!r}; arm names must be unique")
        known = set(names) | set(RESERVED_ARMS)
        for pair in self.all_contrasts():
            for arm in pair:
                if arm not in known:
                    raise ConfigError(f"contrasts/primary_hypotheses name unknown arm {arm!r}; arms are {sorted(known)}")
        if self.max_match_ratio < 1:
            raise ConfigError(f"max_match_ratio must be >= 1, got {self.max_match_ratio}")

    @property
    def arm_names(self) -> list[str]:
        return ["base"] + [a.name for a in self.arms]

    def arm(self, name: str) -> ArmConfig:
        return next(a for a in self.arms if a.name == name)

    def all_contrasts(self) -> list[list[str]]:
        """The listed (or default) contrasts, then the primary hypotheses' contrasts not already among them."""
        listed = [list(c) for c in self.contrasts] if self.contrasts is not None else default_contrasts([a.name for a in self.arms])
        out: list[list[str]] = []
        for pair in listed + [list(h.contrast) for h in self.primary_hypotheses]:
            if pair not in out:
                out.append(pair)
        return out


def default_contrasts(arms: list[str]) -> list[list[str]]:
    """Headline trait-rl − constitution first, then each trained arm vs control, then each vs base."""
    out: list[list[str]] = []
    if "trait-rl" in arms and "constitution" in arms:
        out.append(["trait-rl", "constitution"])
    out += [[a, "control"] for a in arms if a != "control" and "control" in arms]
    out += [[a, "base"] for a in arms]
    return out


def load_study_config(path: Path) -> tuple[StudyConfig, dict]:
    """Parse and validate ``path``; returns the config and the raw dict (hashed into the manifest)."""
    path = Path(path)
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read study config {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: invalid YAML; fix the syntax") from None
    try:
        config = from_dict(StudyConfig, raw, str(path))
        validate_names(config)
    except StudyError as exc:
        msg = str(exc)
        raise ConfigError(msg if msg.startswith(str(path)) else f"{path}: {msg}") from None
    return config, raw


def validate_names(config: StudyConfig) -> None:
    """Resolve every named plugin now, so a typo fails before any work starts."""
    from methods import get_method
    from study.conditions import parse_condition

    for i, arm in enumerate(config.arms):
        method = get_method(arm.method)
        from_dict(method.config_class, arm.config, f"arms[{i}].config")
    config.evaluation.specs()
    for cond in config.evaluation.conditions:
        if cond.startswith("redteam"):
            if config.attacks.redteam is None:
                raise ConfigError(f"evaluation.conditions has {cond!r} but attacks.redteam is not configured")
        else:
            parse_condition(cond)
    from study.benchmarks import get_benchmark

    for h in config.primary_hypotheses:
        get_benchmark(h.benchmark)
    if config.attacks.finetune and config.attacks.finetune.benchmarks:
        for name in config.attacks.finetune.benchmarks:
            get_benchmark(name)
