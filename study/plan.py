"""The study plan: every cell (arm × seed → train → evaluate → attack) with its budget and time estimate.

Cells are independent units of work with explicit dependencies, so
``study run --cell ID`` can run one of them on another machine; the estimate
divides each cell's FLOPs by the rate measured on this 2-core CPU.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from study.evaluate import count_eval_items
from study.study_config import StudyConfig

# Measured on the 2-core development machine with bench/study_phases.py on the quick config:
# a training cell spends its budget at about 5.5e10 FLOP/s (GRPO rollouts and SFT/DPO steps,
# model loading included); evaluation (packed option scoring, batched generation, grading)
# runs at about 1e11 FLOP/s of the nominal per-item estimate below.
TRAIN_FLOPS_PER_S = 5.5e10
EVAL_FLOPS_PER_S = 1.0e11
EVAL_TOKENS_PER_ITEM = 160
DEFAULT_PARAMS = 106_203_456


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

    @property
    def estimate_seconds(self) -> float:
        rate = TRAIN_FLOPS_PER_S if self.kind == "train" else EVAL_FLOPS_PER_S
        return self.estimate_flops / rate


def cell_id(kind: str, arm: str, seed: int) -> str:
    return f"{kind}-{arm}-s{seed}"


def build_plan(config: StudyConfig, n_params: int = DEFAULT_PARAMS) -> list[Cell]:
    eval_items = count_eval_items(config.evaluation)
    eval_flops = 2.0 * n_params * EVAL_TOKENS_PER_ITEM * eval_items
    attack = config.attacks.finetune
    cells: list[Cell] = []
    for arm in config.arm_names:
        seeds = [0] if arm == "base" else config.seeds
        for seed in seeds:
            deps: tuple[str, ...] = ()
            if arm != "base":
                method = config.arm(arm).method
                train = Cell(cell_id("train", arm, seed), "train", arm, seed, budget_flops=config.budget_flops,
                             estimate_flops=config.budget_flops, detail={"method": method})
                cells.append(train)
                deps = (train.id,)
            evaluation = Cell(cell_id("eval", arm, seed), "eval", arm, seed, deps, estimate_flops=eval_flops,
                              detail={"items": eval_items, "conditions": list(config.evaluation.conditions)})
            cells.append(evaluation)
            if attack is not None:  # after its eval cell, whose clean rows stand for k = 0
                steps = max(attack.steps)
                tokens = steps * attack.training.batch_size * attack.training.max_length // 4
                rescored = len([k for k in attack.steps if k])
                cells.append(Cell(cell_id("attack", arm, seed), "attack", arm, seed, deps + (evaluation.id,),
                                  estimate_flops=6.0 * n_params * tokens + eval_flops * rescored / max(len(config.evaluation.conditions), 1),
                                  detail={"steps": list(attack.steps)}))
    return cells


def format_plan(config: StudyConfig, cells: list[Cell]) -> str:
    lines = [f"study {config.name!r}: base model {config.base_model}, seeds {config.seeds}, budget {config.budget_flops:.3g} FLOPs per training arm",
             f"{'cell':34} {'after':34} {'budget':>10} {'est. FLOPs':>11} {'est. time':>10}"]
    total = 0.0
    for c in cells:
        budget = f"{c.budget_flops:.3g}" if c.budget_flops else "-"
        lines.append(f"{c.id:34} {','.join(c.depends_on) or '-':34} {budget:>10} {c.estimate_flops:>11.3g} {_fmt(c.estimate_seconds):>10}")
        total += c.estimate_seconds
    from methods.registry import plan_notes

    lines += plan_notes(config, DEFAULT_PARAMS)
    lines.append(f"then: merge per-item tables, check compute match (max ratio {config.max_match_ratio}), statistics, report")
    lines.append(f"estimated total: {_fmt(total)} on a 2-core CPU ({len(cells)} cells)")
    return "\n".join(lines)


def _fmt(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f}s"
    if seconds < 5400:
        return f"{seconds / 60:.1f}m"
    return f"{seconds / 3600:.1f}h"
