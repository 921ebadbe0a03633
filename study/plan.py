"""The study plan: every cell (arm × seed → train → evaluate → attack) with its budget, size and time estimate.

Cells are independent units of work with explicit dependencies, so
``study run --cell ID`` can run one of them on another machine and the
executors (study/executors) can spread them over a cluster. Each cell's
wall time is its FLOPs divided by the chosen hardware profile's rate
(:mod:`study.executors.hardware`: cpu-2core measured here, A100/H100 from
published peak FLOP/s at a stated MFU); its memory is the model's parameters
times the bytes each needs (training full weights with Adam: 16 bytes per
parameter; LoRA or inference: the profile's weight dtype) plus headroom.
The parameter count is the config's own model's (study.model_size), never a
fixed default.

:func:`check_reachable` refuses a config whose arms cannot spend their budget
(each method's ``estimate_max_flops``), before any training.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, is_dataclass

from study.errors import ConfigError
from study.evaluate import count_eval_items
from study.executors.hardware import HardwareProfile, get_profile
from study.model_size import ModelSize, model_size
from study.study_config import StudyConfig

EVAL_TOKENS_PER_ITEM = 160  # nominal tokens per scored item (prompt + answer), calibrated with the cpu-2core eval rate
ADAM_FULL_BYTES_PER_PARAM = 16  # weights + gradients + two Adam moments (fp32, or bf16 with fp32 master weights)
MEMORY_HEADROOM = 1.25  # activations, KV cache, allocator fragmentation
RUNTIME_BYTES = 2**30  # Python, torch and (on GPUs) the CUDA context
CPU = get_profile("cpu-2core")


@dataclass(frozen=True)
class Cell:
    id: str
    kind: str  # train | eval | attack
    arm: str
    seed: int
    depends_on: tuple[str, ...] = ()
    budget_flops: float | None = None
    estimate_flops: float = 0.0
    detail: dict = field(default_factory=dict)
    memory_bytes: float = 0.0

    def seconds_on(self, profile: HardwareProfile) -> float:
        return self.estimate_flops / profile.rate(self.kind)

    @property
    def estimate_seconds(self) -> float:
        """Wall time on the measured 2-core CPU (the local progress bar's ETA)."""
        return self.seconds_on(CPU)


def cell_id(kind: str, arm: str, seed: int) -> str:
    return f"{kind}-{arm}-s{seed}"


def build_plan(config: StudyConfig, n_params: int | None = None, *, size: ModelSize | None = None,
               hardware: str | None = None) -> list[Cell]:
    """Every cell of the study. ``size`` (or a bare ``n_params`` count) defaults to the config's model's."""
    if size is None:
        size = ModelSize(n_params, n_params, "given") if n_params else model_size(config.base_model)
    profile = get_profile(hardware or config.executor.hardware)
    n = size.non_embedding
    eval_items = count_eval_items(config.evaluation)
    eval_flops = 2.0 * n * EVAL_TOKENS_PER_ITEM * eval_items
    inference_mem = _memory(size.total * profile.weight_bytes)
    attack = config.attacks.finetune
    cells: list[Cell] = []
    for arm in config.arm_names:
        seeds = [0] if arm == "base" else config.seeds
        for seed in seeds:
            deps: tuple[str, ...] = ()
            if arm != "base":
                method = config.arm(arm).method
                train = Cell(cell_id("train", arm, seed), "train", arm, seed, budget_flops=config.budget_flops,
                             estimate_flops=config.budget_flops, detail={"method": method},
                             memory_bytes=_train_memory(config, arm, size, profile))
                cells.append(train)
                deps = (train.id,)
            evaluation = Cell(cell_id("eval", arm, seed), "eval", arm, seed, deps, estimate_flops=eval_flops,
                              detail={"items": eval_items, "conditions": list(config.evaluation.conditions)}, memory_bytes=inference_mem)
            cells.append(evaluation)
            if attack is not None:  # after its eval cell, whose clean rows stand for k = 0
                steps = max(attack.steps)
                tokens = steps * attack.training.batch_size * attack.training.max_length // 4
                rescored = len([k for k in attack.steps if k])
                per_param = profile.weight_bytes if attack.training.lora.enabled else ADAM_FULL_BYTES_PER_PARAM
                cells.append(Cell(cell_id("attack", arm, seed), "attack", arm, seed, deps + (evaluation.id,),
                                  estimate_flops=6.0 * n * tokens + eval_flops * rescored / max(len(config.evaluation.conditions), 1),
                                  detail={"steps": list(attack.steps)}, memory_bytes=_memory(size.total * per_param)))
    return cells


def _memory(state_bytes: float) -> float:
    return state_bytes * MEMORY_HEADROOM + RUNTIME_BYTES


def _train_memory(config: StudyConfig, arm: str, size: ModelSize, profile: HardwareProfile) -> float:
    """Full fine-tuning holds weights, gradients and Adam state; LoRA holds the frozen weights (adapters are small).
    A reference model (beta > 0, or DPO without LoRA) adds one inference copy."""
    from methods import method_and_config

    spec = config.arm(arm)
    _, cfg = method_and_config(spec.method, spec.config, f"arms[{config.arms.index(spec)}].config", config.judge)
    settings = [getattr(cfg, f.name) for f in fields(cfg) if is_dataclass(getattr(cfg, f.name)) and hasattr(getattr(cfg, f.name), "lora")]
    lora = bool(settings) and all(s.lora.enabled for s in settings)
    per_param = profile.weight_bytes if lora else ADAM_FULL_BYTES_PER_PARAM
    reference = getattr(cfg, "beta", 0) > 0 and not lora
    return _memory(size.total * (per_param + (profile.weight_bytes if reference else 0)))


def check_reachable(config: StudyConfig, n_params: int) -> None:
    """Refuse a config whose arms cannot spend their budget: the match check would fail only after training.

    An arm can spend at most its method's ``estimate_max_flops`` (every step of
    max_steps); if that is below ``budget / max_match_ratio`` the arm cannot be
    compute-matched to one that spends the full budget. Methods without that
    estimate are not checked.
    """
    from methods import method_and_config

    floor = config.budget_flops / config.max_match_ratio
    for i, spec in enumerate(config.arms):
        method, cfg = method_and_config(spec.method, spec.config, f"arms[{i}].config", config.judge)
        estimate = getattr(method, "estimate_max_flops", None)
        if estimate is None:
            continue
        most, bound = estimate(cfg, n_params)
        if most < floor:
            factor = math.ceil(100 * floor / most) / 100
            raise ConfigError(
                f"arm {spec.name!r} can spend at most ~{most:.3g} FLOPs, {100 * most / config.budget_flops:.0f}% of budget_flops "
                f"{config.budget_flops:.3g} (it needs >= {floor:.3g} to be compute-matched); raise arms[{i}].config.{bound} "
                f"about {factor:g}x, or lower budget_flops")


def format_plan(config: StudyConfig, cells: list[Cell], *, size: ModelSize | None = None, hardware: str | None = None,
                executor=None) -> str:
    """The plan table: per cell FLOPs, wall time on the hardware profile and memory; with ``executor``, its resources."""
    profile = get_profile(hardware or config.executor.hardware)
    model = f"base model {config.base_model}" + (f" ({size.non_embedding:,} non-embedding parameters, from {size.source})" if size else "")
    lines = [f"study {config.name!r}: {model}, seeds {config.seeds}, budget {config.budget_flops:.3g} FLOPs per training arm",
             f"hardware profile {profile.name}: {profile.description}",
             f"{'cell':34} {'after':34} {'budget':>10} {'est. FLOPs':>11} {'est. time':>10} {'memory':>9}"]
    total = 0.0
    for c in cells:
        budget = f"{c.budget_flops:.3g}" if c.budget_flops else "-"
        seconds = c.seconds_on(profile)
        lines.append(f"{c.id:34} {','.join(c.depends_on) or '-':34} {budget:>10} {c.estimate_flops:>11.3g} {_fmt(seconds):>10} "
                     f"{c.memory_bytes / 2**30:>8.1f}G")
        total += seconds
        if executor is not None and executor.name != "local":
            res = executor.resources(c, None)
            if "sbatch" in res:
                lines.append("    sbatch " + " ".join(f"--{k}={v}" for k, v in res["sbatch"].items()))
            else:
                lines.append(f"    {executor.name}: num_cpus={res['cpus']} num_gpus={res['gpus']} memory={res['memory_bytes'] / 2**30:.1f}G")
    from methods.registry import plan_notes
    from study.model_size import model_size

    lines += plan_notes(config, (size or model_size(config.base_model)).non_embedding)
    lines.append(f"then: merge per-item tables, check compute match (max ratio {config.max_match_ratio}), statistics, report")
    flops = sum(c.estimate_flops for c in cells)
    lines.append(f"estimated total: {flops:.3g} FLOPs, {_fmt(total)} on {profile.name} run one cell after another ({len(cells)} cells); "
                 f"peak memory of one cell {max(c.memory_bytes for c in cells) / 2**30:.1f}G")
    return "\n".join(lines)


def _fmt(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f}s"
    if seconds < 5400:
        return f"{seconds / 60:.1f}m"
    return f"{seconds / 3600:.1f}h"
