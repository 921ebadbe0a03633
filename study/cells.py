"""What each kind of study cell does. Each writes only inside its ``workdir``."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pandas as pd

from study.atomic import atomic_path, write_json
from study.compute import Ledger
from study.evaluate import EvalSettings
from study.pipeline import attack_model, evaluate_model
from study.plan import Cell, cell_id

log = logging.getLogger(__name__)


def run_train(runner, cell: Cell, workdir: Path) -> dict:
    from methods import method_and_config

    config = runner.config
    arm = config.arm(cell.arm)
    method, method_config = method_and_config(arm.method, arm.config, f"arms[{config.arms.index(arm)}].config", config.judge)
    ledger = Ledger(runner.n_params(), budget_flops=config.budget_flops)
    checkpoint = method.train(config.base_model, method_config, ledger, cell.seed, workdir / "work")
    ledger.save(workdir / "ledger.json")
    stuck = _did_not_move(workdir)
    for reason in stuck:
        log.warning("arm %s seed %s did not move: %s (the report flags it under Training diagnostics)", cell.arm, cell.seed, reason)
    return {"checkpoint": str(checkpoint.path.relative_to(workdir)), "kind": checkpoint.kind,
            "stats": json.loads(json.dumps(checkpoint.stats, default=str)), "total_flops": ledger.total_flops,
            "did_not_move": stuck}


def _did_not_move(workdir: Path) -> list[str]:
    """Reasons from the method's diagnostics record; a method that writes none is flagged for that."""
    from study.diagnostics import did_not_move, load_diagnostics

    diagnostics = load_diagnostics(workdir)
    if diagnostics is None:
        return ["the method wrote no diagnostics.json (study.diagnostics.write_diagnostics), so movement is unmeasured"]
    return did_not_move(diagnostics)


def checkpoint_for(runner, arm: str, seed: int) -> str:
    """The model spec an eval/attack cell loads: the base model, or the arm's trained checkpoint."""
    if arm == "base":
        return runner.config.base_model
    train_dir = runner.cell_path(cell_id("train", arm, seed))
    info = json.loads((train_dir / "done.json").read_text())
    return str(train_dir / info["checkpoint"])


def _write_items(table: pd.DataFrame, path: Path) -> None:
    with atomic_path(path) as tmp:
        table.to_parquet(tmp, index=False)


def run_eval(runner, cell: Cell, workdir: Path) -> dict:
    config = runner.config
    ledger = Ledger(runner.n_params())
    result = evaluate_model(checkpoint_for(runner, cell.arm, cell.seed), config.evaluation, run=runner.run_dir.name, arm=cell.arm,
                            seed=cell.seed, ledger=ledger, workdir=workdir, redteam=config.attacks.redteam,
                            label=f"eval {cell.arm} s{cell.seed}")
    if result.redteam_curves is not None:
        _write_items(result.redteam_curves, workdir / "redteam.parquet")
    _write_items(result.table, workdir / "items.parquet")
    ledger.save(workdir / "eval_ledger.json")
    return {"rows": len(result.table), "eval_flops": ledger.total_flops}


def run_attack(runner, cell: Cell, workdir: Path) -> dict:
    """The harmful fine-tuning attack on the arm's checkpoint; k = 0 reuses the eval cell's clean rows."""
    config = runner.config
    attack = config.attacks.finetune
    ledger = Ledger(runner.n_params())
    table = attack_model(checkpoint_for(runner, cell.arm, cell.seed), attack, config.evaluation, run=runner.run_dir.name, arm=cell.arm,
                         seed=cell.seed, ledger=ledger, workdir=workdir, clean_rows=lambda settings: _clean_rows(runner, cell, settings))
    _write_items(table, workdir / "items.parquet")
    write_json(workdir / "ledger_attack.json", ledger.to_dict())
    return {"rows": len(table), "steps": list(attack.steps)}


def _clean_rows(runner, cell: Cell, settings: EvalSettings) -> pd.DataFrame | None:
    """The eval cell's clean rows for exactly the items ``settings`` selects, or None if it lacks any."""
    from study.evaluate import select_items

    path = runner.cell_path(cell_id("eval", cell.arm, cell.seed)) / "items.parquet"
    if not path.exists() or settings.samples != runner.config.evaluation.samples:
        return None
    scored = pd.read_parquet(path)
    scored = scored[scored["condition"] == "clean"]
    wanted = {(spec.name, it.id) for spec in settings.specs() for it in select_items(spec.items(), settings.n_items)}
    rows = scored[[key in wanted for key in zip(scored["benchmark"], scored["item"])]]
    if set(zip(rows["benchmark"], rows["item"])) != wanted:
        return None
    return rows.reset_index(drop=True).copy()
