"""Execute a study plan: train every arm, evaluate every checkpoint, attack, analyse, report.

Resumable by construction: a cell works in ``cells/.<id>.partial/`` and is
renamed to ``cells/<id>/`` (with ``done.json``) only when finished, so a cell
killed at any point leaves nothing that looks finished; on resume, finished
cells are skipped and partial ones are wiped and redone from their seed.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import time
from dataclasses import asdict
from pathlib import Path

import pandas as pd

from study.atomic import atomic_path, write_json
from study.compute import Ledger, match_ratio
from study.errors import ConfigError, StudyError
from study.graders import grader_provenance
from study.manifest import MANIFEST_SCHEMA, ArmRecord, Manifest, config_hash, plugin_version, provenance
from study.plan import Cell, build_plan
from study.study_config import StudyConfig

log = logging.getLogger(__name__)


class BudgetMismatchError(StudyError):
    """Training arms spent FLOP totals further apart than the config allows."""


def build_manifest(config: StudyConfig, raw: dict, run_id: str) -> Manifest:
    """The typed record of a run: every arm's resolved method config, every condition's spec, the attacks as resolved."""
    from methods import method_and_config
    from methods.registry import arm_judge
    from study.conditions import finetune_condition

    arms = [ArmRecord(name="base", method="none")]
    for i, arm in enumerate(config.arms):
        _, cfg = method_and_config(arm.method, arm.config, f"arms[{i}].config", config.judge)
        dose = getattr(cfg, "dose", None)
        arms.append(ArmRecord(
            name=arm.name, method=arm.method, params=dict(arm.config), resolved=json.loads(json.dumps(asdict(cfg), default=str)),
            plugin_version=plugin_version("methods", arm.method), dose=dose, judge=arm_judge(arm, config),
            dose_sweep=arm.dose_sweep if arm.dose_sweep is not None else on_default_dose_curve(arm.method, cfg),
        ))
    conditions = [c.record() for c in config.evaluation.condition_specs]
    if config.attacks.finetune:
        conditions += [finetune_condition(k).record() for k in config.attacks.finetune.steps]
    return Manifest(
        schema_version=MANIFEST_SCHEMA, **provenance(raw), run_id=run_id, name=config.name, model=config.base_model,
        seeds=list(config.seeds), budget_flops=config.budget_flops, arms=arms, conditions=conditions,
        contrasts=config.all_contrasts(), primary_hypotheses=[asdict(h) for h in config.primary_hypotheses],
        max_match_ratio=config.max_match_ratio, evaluation=json.loads(json.dumps(config.evaluation.record(), default=str)),
        attacks=json.loads(json.dumps(asdict(config.attacks), default=str)),
        graders=grader_provenance(config.evaluation, config.arms),
    )


def on_default_dose_curve(method: str, cfg) -> bool:
    """Without an explicit ``dose_sweep``, an arm is a dose point when it runs the default trait-RL recipe at some dose:
    control or trait-rl, rubric reward, no trait/domain filter, the built-in scenarios (the ablations are not)."""
    if method not in ("control", "trait-rl") or getattr(cfg, "dose", None) is None:
        return False
    return (getattr(cfg, "reward", "rubric") == "rubric" and not getattr(cfg, "traits", None) and not getattr(cfg, "domains", None)
            and not getattr(cfg, "exclude_domains", None) and not getattr(cfg, "scenarios_path", None))


def run_dir_for(config: StudyConfig, raw: dict) -> Path:
    return Path(config.output_dir) / (config.run_id or f"{config.name}-{config_hash(raw)[:8]}")


class StudyRunner:
    def __init__(self, config: StudyConfig, raw: dict, run_dir: Path | None = None, *, echo=print, executor=None):
        from study.executors import get_executor

        self.config, self.raw = config, raw
        self.executor = executor or get_executor(config.executor)
        self.run_dir = Path(run_dir) if run_dir else run_dir_for(config, raw)
        self.cells_dir = self.run_dir / "cells"
        self.echo = echo
        self.plan = build_plan(config)
        self._n_params: int | None = None

    # ----- set-up -------------------------------------------------------------------------
    def check_run_dir(self) -> None:
        """Refuse a directory that belongs to another run (a run never overwrites another)."""
        manifest = self.run_dir / "manifest.json"
        if manifest.exists():
            theirs = json.loads(manifest.read_text()).get("config_hash")
            if theirs != config_hash(self.raw):
                raise ConfigError(f"output directory {self.run_dir} holds another run (config hash {str(theirs)[:8]}); set run_id or output_dir to a new directory")
        elif self.run_dir.exists() and any(self.run_dir.iterdir()):
            raise ConfigError(f"output directory {self.run_dir} exists and is not a study run; choose another output_dir/run_id")

    def n_params(self) -> int:
        if self._n_params is None:
            from study.models import load_model

            self._n_params = load_model(self.config.base_model).n_params_non_embedding
        return self._n_params

    def check_budgets(self) -> None:
        """Every training arm must afford one optimiser step and be able to reach the budget, checked before any work."""
        from methods import method_and_config, require_one_step
        from study.plan import check_reachable

        check_reachable(self.config, self.n_params())  # an arm that cannot reach the budget fails before any training
        for i, arm in enumerate(self.config.arms):
            method, cfg = method_and_config(arm.method, arm.config, f"arms[{i}].config", self.config.judge)
            require_one_step(method, cfg, self.n_params(), self.config.budget_flops, "budget_flops", f"arm {arm.name!r}")

    def write_manifest(self) -> None:
        if (self.run_dir / "manifest.json").exists():
            return
        build_manifest(self.config, self.raw, self.run_dir.name).save(self.run_dir / "manifest.json")

    # ----- execution ----------------------------------------------------------------------
    def done(self, cell: Cell) -> bool:
        return self.done_id(cell.id)

    def done_id(self, cell_id: str) -> bool:
        return (self.cells_dir / cell_id / "done.json").exists()

    def run(self, only: str | None = None, resume_from: Path | None = None) -> Path:
        """Run the plan (or one cell); ``resume_from`` first copies a ``study archive`` folder's finished cells in,
        after every check has passed, so a refused run writes nothing."""
        self.check_run_dir()
        if only is not None and only not in {c.id for c in self.plan}:
            raise ConfigError(f"--cell {only!r} is not in the plan; run `study plan CONFIG` to list cell ids")
        self.check_budgets()
        self.executor.check(self)  # before anything is written: a missing package or a bad partition leaves no run directory
        from study import distributed

        distributed.check_launch(only)
        if distributed.is_main_process():
            if resume_from is not None:
                from study.archive import restore_cells

                restored = restore_cells(resume_from, self.run_dir, config_hash(self.raw))
                self.echo(f"restored {len(restored)} finished cell(s) from {resume_from}")
            self.run_dir.mkdir(parents=True, exist_ok=True)
            self.write_manifest()
        distributed.barrier()
        self.executor.run([c for c in self.plan if (only is None or c.id == only)], self)
        if only is None:
            self.finalize()
        return self.run_dir

    def execute(self, cell: Cell) -> None:
        from study import cells, distributed

        # Under `accelerate launch` every rank runs the cell (training needs them all); rank 0 alone
        # prepares the partial directory and renames it into place, the others wait at the barriers.
        main = distributed.require_train_cell_if_distributed(cell.kind, cell.id)
        partial = self.cells_dir / f".{cell.id}.partial"
        if main:
            shutil.rmtree(partial, ignore_errors=True)
            partial.mkdir(parents=True)
        distributed.barrier()
        start = time.perf_counter()
        self.echo(f"[{cell.id}] start")
        info = getattr(cells, f"run_{cell.kind}")(self, cell, partial)
        info = {**(info or {}), "cell": cell.id, "seconds": round(time.perf_counter() - start, 1)}
        distributed.barrier()  # every rank has finished writing into the partial directory
        if main:
            write_json(partial / "done.json", info)
            final = self.cells_dir / cell.id
            shutil.rmtree(final, ignore_errors=True)
            os.replace(partial, final)
        distributed.barrier()
        self.echo(f"[{cell.id}] done in {info['seconds']:.0f}s")

    def cell_path(self, cell_id: str) -> Path:
        return self.cells_dir / cell_id

    # ----- after all cells ----------------------------------------------------------------
    def finalize(self) -> None:
        tables = [pd.read_parquet(p) for p in sorted(self.cells_dir.glob("*/items.parquet"))]
        if not tables:
            raise StudyError(f"no per-item results under {self.cells_dir}; run the study cells first")
        items = pd.concat(tables, ignore_index=True).sort_values(["arm", "seed", "benchmark", "condition", "item", "sample"], kind="stable")
        with atomic_path(self.run_dir / "items.parquet") as tmp:
            items.reset_index(drop=True).to_parquet(tmp, index=False)
        redteam = [pd.read_parquet(p) for p in sorted(self.cells_dir.glob("*/redteam.parquet"))]
        if redteam:
            with atomic_path(self.run_dir / "redteam.parquet") as tmp:
                pd.concat(redteam, ignore_index=True).to_parquet(tmp, index=False)
        ledgers = self.train_ledgers()
        for (arm, seed), ledger in ledgers.items():
            write_json(self.run_dir / "ledgers" / f"{arm}-s{seed}.json", ledger.to_dict())
        self.check_compute_match(ledgers)
        self.echo("statistics and report ...")
        from study.report import build_report
        from study.stats import analyse

        stats = self.config.statistics
        analyse(self.run_dir, rng_seed=stats.seed, n_boot=stats.n_boot, min_effect=stats.min_effect)
        html, md = build_report(self.run_dir)
        self.echo(f"report: {html}\n        {md}")

    def train_ledgers(self, seed: int | None = None) -> dict[tuple[str, int], Ledger]:
        """Ledgers of the finished training cells (of one seed, or all)."""
        out = {}
        for cell in self.plan:
            src = self.cells_dir / cell.id / "ledger.json"
            if cell.kind == "train" and (seed is None or cell.seed == seed) and self.done(cell) and src.exists():
                out[(cell.arm, cell.seed)] = Ledger.load(src)
        return out

    def check_compute_match(self, ledgers: dict[tuple[str, int], Ledger]) -> None:
        for seed in self.config.seeds:
            group = {arm: lg for (arm, s), lg in ledgers.items() if s == seed}
            if len(group) < 2:
                continue
            ratio = match_ratio(group)
            if ratio > self.config.max_match_ratio:
                spent = ", ".join(f"{a}={lg.total_flops:.4g}" for a, lg in sorted(group.items()))
                raise BudgetMismatchError(
                    f"seed {seed}: training arms spent {spent} FLOPs (max/min {ratio:.3f} > {self.config.max_match_ratio}); the comparison is not compute-matched; "
                    "raise budget_flops relative to the step size (or smaller steps); raise max_match_ratio only with a stated reason"
                )
