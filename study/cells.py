"""What each kind of study cell does. Each writes only inside its ``workdir``."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
from pathlib import Path

import pandas as pd

from study.atomic import atomic_path, write_json
from study.compute import Ledger
from study.evaluate import EvalSettings, count_eval_items, evaluate
from study.plan import Cell, cell_id


def run_train(runner, cell: Cell, workdir: Path) -> dict:
    from methods import method_and_config

    config = runner.config
    arm = config.arm(cell.arm)
    method, method_config = method_and_config(arm.method, arm.config, f"arms[{config.arms.index(arm)}].config", config.judge)
    ledger = Ledger(runner.n_params(), budget_flops=config.budget_flops)
    checkpoint = method.train(config.base_model, method_config, ledger, cell.seed, workdir / "work")
    ledger.save(workdir / "ledger.json")
    return {"checkpoint": str(checkpoint.path.relative_to(workdir)), "kind": checkpoint.kind,
            "stats": json.loads(json.dumps(checkpoint.stats, default=str)), "total_flops": ledger.total_flops}


def checkpoint_for(runner, arm: str, seed: int) -> str:
    """The model spec an eval/attack cell loads: the base model, or the arm's trained checkpoint."""
    if arm == "base":
        return runner.config.base_model
    train_dir = runner.cell_path(cell_id("train", arm, seed))
    info = json.loads((train_dir / "done.json").read_text())
    return str(train_dir / info["checkpoint"])


def _evaluate_model(runner, spec: str, settings: EvalSettings, arm: str, seed: int, ledger: Ledger, label: str):
    from study.backends.local import LocalBackend
    from study.models import load_model
    from study.progress import progress_bar

    loaded = load_model(spec)
    backend = LocalBackend(loaded, ledger)
    count = lambda text: len(loaded.tokenizer(text, add_special_tokens=False)["input_ids"])  # noqa: E731
    with progress_bar(label, count_eval_items(settings)) as advance:
        return evaluate(backend, settings, run=runner.run_dir.name, arm=arm, seed=seed, ledger=ledger, count_tokens=count, progress=advance), backend


def _write_items(table: pd.DataFrame, path: Path) -> None:
    with atomic_path(path) as tmp:
        table.to_parquet(tmp, index=False)


def run_eval(runner, cell: Cell, workdir: Path) -> dict:
    config = runner.config
    spec = checkpoint_for(runner, cell.arm, cell.seed)
    ledger = Ledger(runner.n_params())
    table, backend = _evaluate_model(runner, spec, config.evaluation, cell.arm, cell.seed, ledger, f"eval {cell.arm} s{cell.seed}")
    redteam_conditions = [c for c in config.evaluation.conditions if c.startswith("redteam")]
    if redteam_conditions and config.attacks.redteam is not None:
        from study.redteam import run_redteam_condition

        curves, rows = run_redteam_condition(backend, config.evaluation, config.attacks.redteam, runner.run_dir.name, cell.arm, cell.seed, ledger, workdir)
        table = pd.concat([table, rows], ignore_index=True)
        _write_items(curves, workdir / "redteam.parquet")
    _write_items(table, workdir / "items.parquet")
    ledger.save(workdir / "eval_ledger.json")
    return {"rows": len(table), "eval_flops": ledger.total_flops}


def run_attack(runner, cell: Cell, workdir: Path) -> dict:
    """Fine-tune the arm's checkpoint for each k and re-score the trait benchmarks as ``finetune:<k>``.

    k = 0 is the checkpoint itself, which its eval cell has already scored
    clean: those rows are reused (relabelled ``finetune:0``) when they cover the
    attack's items, so the same greedy answers are not generated twice.
    """
    from study.attacks.finetune import finetune_attack

    config = runner.config
    attack = config.attacks.finetune
    spec = checkpoint_for(runner, cell.arm, cell.seed)
    ledger = Ledger(runner.n_params())
    checkpoints = finetune_attack(spec, list(attack.steps), workdir / "attack", seed=0, settings=attack.training, ledger=ledger)
    settings = replace(
        config.evaluation, conditions=["clean"], benchmarks=attack.benchmarks or _trait_benchmarks(),
        items_per_benchmark=attack.items_per_benchmark or config.evaluation.items_per_benchmark,
    )
    tables = []
    for k in sorted(checkpoints):
        table = _clean_rows(runner, cell, settings) if k == 0 else None
        if table is None:
            table, _ = _evaluate_model(runner, checkpoints[k], settings, cell.arm, cell.seed, ledger, f"attack {cell.arm} s{cell.seed} k={k}")
        table["condition"] = f"finetune:{k}"
        tables.append(table)
        if k:
            shutil.rmtree(checkpoints[k], ignore_errors=True)  # attacked weights are not kept
    table = pd.concat(tables, ignore_index=True)
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


def _trait_benchmarks() -> list[str]:
    """Default benchmarks re-scored after the fine-tuning attack: every non-harmful benchmark with a trait tag."""
    from study.benchmarks import load_registry

    return sorted(name for name, spec in load_registry().items() if spec.trait not in ("none", "helpfulness") and not spec.harmful)
