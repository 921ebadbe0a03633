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
from study.manifest import config_hash, provenance
from study.plan import Cell, build_plan
from study.study_config import StudyConfig

log = logging.getLogger(__name__)


class BudgetMismatchError(StudyError):
    """Training arms spent FLOP totals further apart than the config allows."""


def run_dir_for(config: StudyConfig, raw: dict) -> Path:
    return Path(config.output_dir) / (config.run_id or f"{config.name}-{config_hash(raw)[:8]}")


class StudyRunner:
    def __init__(self, config: StudyConfig, raw: dict, run_dir: Path | None = None, *, echo=print):
        self.config, self.raw = config, raw
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
        """Every training arm must afford at least one optimiser step, checked before any work."""
        from methods import method_and_config, require_one_step

        for i, arm in enumerate(self.config.arms):
            method, cfg = method_and_config(arm.method, arm.config, f"arms[{i}].config", self.config.judge)
            require_one_step(method, cfg, self.n_params(), self.config.budget_flops, "budget_flops", f"arm {arm.name!r}")

    def write_manifest(self) -> None:
        if (self.run_dir / "manifest.json").exists():
            return
        from methods.registry import arm_judge
        from study.conditions import parse_condition

        conditions = []
        for name in self.config.evaluation.conditions:
            if name.startswith("redteam"):
                conditions.append({"name": name, "kind": "redteam", "polarity": "harmful"})
            else:
                c = parse_condition(name)
                conditions.append({"name": c.name, "kind": c.kind, "polarity": c.polarity})
        if self.config.attacks.finetune:
            conditions += [{"name": f"finetune:{k}", "kind": "finetune", "polarity": "harmful" if k else None} for k in self.config.attacks.finetune.steps]
        arms = [{"name": "base", "method": "none", "params": {}}] + [
            {"name": a.name, "method": a.method, "params": dict(a.config), "judge": arm_judge(a, self.config)} for a in self.config.arms
        ]
        manifest = {
            **provenance(self.raw), "run_id": self.run_dir.name, "name": self.config.name, "model": self.config.base_model,
            "seeds": list(self.config.seeds), "budget_flops": self.config.budget_flops, "arms": arms,
            "conditions": conditions, "contrasts": self.config.all_contrasts(),
            "primary_hypotheses": [asdict(h) for h in self.config.primary_hypotheses],
            "max_match_ratio": self.config.max_match_ratio,
        }
        write_json(self.run_dir / "manifest.json", manifest)

    # ----- execution ----------------------------------------------------------------------
    def done(self, cell: Cell) -> bool:
        return (self.cells_dir / cell.id / "done.json").exists()

    def run(self, only: str | None = None) -> Path:
        self.check_run_dir()
        if only is not None and only not in {c.id for c in self.plan}:
            raise ConfigError(f"--cell {only!r} is not in the plan; run `study plan CONFIG` to list cell ids")
        self.check_budgets()
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.write_manifest()
        from study.progress import progress_bar

        todo = [c for c in self.plan if (only is None or c.id == only)]
        with progress_bar("study cells (ETA from FLOP estimates)", int(sum(c.estimate_seconds for c in todo)) + 1) as advance:
            for cell in todo:
                if self.done(cell):
                    advance(int(cell.estimate_seconds))
                    continue
                missing = [d for d in cell.depends_on if not (self.cells_dir / d / "done.json").exists()]
                if missing:
                    raise ConfigError(f"cell {cell.id} needs {', '.join(missing)} first; run those cells (or the whole study)")
                self.execute(cell)
                if cell.kind == "train":
                    self.check_compute_match(self.train_ledgers(seed=cell.seed))  # fail as soon as a mismatch exists
                advance(int(cell.estimate_seconds))
        if only is None:
            self.finalize()
        return self.run_dir

    def execute(self, cell: Cell) -> None:
        partial = self.cells_dir / f".{cell.id}.partial"
        shutil.rmtree(partial, ignore_errors=True)
        partial.mkdir(parents=True)
        start = time.perf_counter()
        self.echo(f"[{cell.id}] start")
        from study import cells

        info = getattr(cells, f"run_{cell.kind}")(self, cell, partial)
        info = {**(info or {}), "cell": cell.id, "seconds": round(time.perf_counter() - start, 1)}
        write_json(partial / "done.json", info)
        final = self.cells_dir / cell.id
        shutil.rmtree(final, ignore_errors=True)
        os.replace(partial, final)
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
