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
executor: {name: local}       # or ray / slurm, see docs/scaling.md
```
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from study.attacks.config import AttacksConfig, FinetuneAttackConfig, RedteamConfig
from study.config_parse import from_dict, read_yaml, setting
from study.errors import ConfigError, StudyError
from study.evaluate import EvalSettings
from study.executors.config import ExecutorConfig
from study.judge_config import JudgeConfig

__all__ = ["ArmConfig", "AttacksConfig", "FinetuneAttackConfig", "Hypothesis", "RedteamConfig", "StatisticsConfig", "StudyConfig",
           "load_study_config"]

RESERVED_ARMS = ("base",)


@dataclass(frozen=True)
class ArmConfig:
    name: str = setting(help="arm name (unique; 'base' is reserved for the untrained model)")
    method: str = setting(help="registered method: control, constitution, trait-rl, or a plugin's name")
    config: dict[str, Any] = setting(default_factory=dict, help="the method's own config (validated by its config class)")
    dose_sweep: bool | None = setting(
        None, help="plot this arm on the dose-response curve (default: control and trait-rl arms whose only "
                   "difference from the default recipe is the dose)")


@dataclass(frozen=True)
class Hypothesis:
    benchmark: str = setting(help="benchmark the hypothesis is about (must be evaluated)")
    contrast: list[str] = setting(help="two arms [a, b]: the hypothesis is a - b != 0")

    def __post_init__(self) -> None:
        if len(self.contrast) != 2:
            raise ConfigError(f"primary_hypotheses: contrast must name two arms, got {self.contrast}")


@dataclass(frozen=True)
class StatisticsConfig:
    n_boot: int = setting(10000, ge=100, help="bootstrap replicates")
    seed: int = setting(0, help="seed of the statistics' random generator")
    min_effect: float = setting(0.05, gt=0.0, le=1.0, help="smallest effect the power analysis targets")


@dataclass(frozen=True)
class StudyConfig:
    name: str = setting(help="study name (the run directory is <output_dir>/<name>-<config hash>)")
    arms: list[ArmConfig] = setting(help="training arms; the untrained base model is always evaluated too")
    seeds: list[int] = setting(ge=0, help="training seeds; every arm trains once per seed")
    budget_flops: float = setting(gt=0, help="the FLOP budget of every training arm (one ledger counts them all)")
    base_model: str = setting("smollm2-135m-instruct", help="the shared starting checkpoint: built-in name, directory, or hub id")
    evaluation: EvalSettings = setting(default_factory=EvalSettings, help="the shared benchmark battery and its conditions")
    attacks: AttacksConfig = setting(default_factory=AttacksConfig, help="attacks applied to every arm")
    contrasts: list[list[str]] | None = setting(None, help="arm pairs compared (default: trait-rl - constitution, each arm vs control and base)")
    primary_hypotheses: list[Hypothesis] = setting(default_factory=list, help="pre-registered tests, Holm-corrected")
    statistics: StatisticsConfig = setting(default_factory=StatisticsConfig, help="bootstrap and power settings")
    max_match_ratio: float = setting(1.02, ge=1.0, help="largest allowed max/min ratio of the arms' FLOP totals per seed")
    judge: JudgeConfig | None = setting(None, help="the feedback both methods learn from (judge parity; study/judge_config.py)")
    output_dir: str = setting("results", help="where run directories go")
    run_id: str | None = setting(None, help="run directory name (default <name>-<config hash>)")
    executor: ExecutorConfig = setting(default_factory=ExecutorConfig, help="where cells run: local, ray or slurm (docs/scaling.md)")

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
    raw = read_yaml(path, "study config")
    try:
        config = from_dict(StudyConfig, raw, str(path))
        validate_names(config)
    except StudyError as exc:
        msg = str(exc)
        raise ConfigError(msg if msg.startswith(str(path)) else f"{path}: {msg}") from None
    return config, raw


def validate_names(config: StudyConfig) -> None:
    """Resolve every named plugin, spec and referenced file now, so a typo fails before any work starts.

    Cheap by design: files are parsed and specs resolved, no weights are loaded and no endpoint is contacted.
    """
    from methods import check_method_inputs, method_and_config
    from study.attacks.finetune import trait_benchmarks
    from study.attacks.redteam import HARMFUL_CATEGORY
    from study.benchmarks import get_benchmark
    from study.inputs import check_model_spec

    check_model_spec(config.base_model, "base_model")
    for i, arm in enumerate(config.arms):
        method, method_config = method_and_config(arm.method, arm.config, f"arms[{i}].config", config.judge)
        check_method_inputs(method, method_config, f"arms[{i}].config")
    evaluated = {s.name for s in config.evaluation.specs()}
    redteam = config.evaluation.redteam_condition
    if redteam is not None and config.attacks.redteam is None:
        raise ConfigError(f"evaluation.conditions has {redteam.name!r} but attacks.redteam is not configured; add attacks: {{redteam: {{}}}}")
    if redteam is not None:
        check_model_spec_of_backend(redteam.attacker or config.attacks.redteam.attacker, "attacks.redteam.attacker")
        if not any(s.category == HARMFUL_CATEGORY for s in config.evaluation.specs()):
            raise ConfigError(f"evaluation.conditions has {redteam.name!r} but evaluation.benchmarks has no {HARMFUL_CATEGORY!r} benchmark "
                              "for its behaviours (red-team rows pair with clean rows); add one, e.g. ext-strongreject")
    for i, h in enumerate(config.primary_hypotheses):
        if h.benchmark not in evaluated:
            raise ConfigError(f"primary_hypotheses[{i}].benchmark {h.benchmark!r} is not in the evaluated benchmarks; "
                              "add it to evaluation.benchmarks or drop the hypothesis")
    if config.attacks.finetune and config.attacks.finetune.benchmarks:
        for i, name in enumerate(config.attacks.finetune.benchmarks):
            get_benchmark(name)
            if name not in evaluated:
                raise ConfigError(f"attacks.finetune.benchmarks[{i}] {name!r} is not in the evaluated benchmarks (its erosion is "
                                  "measured against the clean score); add it to evaluation.benchmarks or drop it")
    elif config.attacks.finetune and not trait_benchmarks(config.evaluation.specs()):
        raise ConfigError("attacks.finetune: the evaluated benchmarks hold no non-harmful trait benchmark to re-score after the "
                          "attack; list attacks.finetune.benchmarks or add one to evaluation.benchmarks")


def check_model_spec_of_backend(spec: str, where: str) -> None:
    """A local backend's model must resolve offline; API backends are only parsed (never contacted here)."""
    from study.backends import parse_backend_spec
    from study.inputs import check_model_spec

    parsed = parse_backend_spec(spec, where)
    if parsed.kind == "local" and parsed.model:
        check_model_spec(parsed.model, where)
