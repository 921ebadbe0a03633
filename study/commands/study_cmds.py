"""``study plan``, ``study run``, ``study report``, ``study archive``: the end-to-end study."""

from __future__ import annotations

from pathlib import Path

from study.errors import ConfigError
from study.overrides import load_config

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def resolve_config(name: str) -> Path:
    """A path, or the name of a shipped config (quick, standard, gpu, ...)."""
    from study.inputs import resolve_named_file

    return resolve_named_file(name, CONFIG_DIR, "study config")


def register(sub) -> None:
    p = sub.add_parser("plan", help="print every cell of a study, its FLOPs, estimated time and memory, without running")
    p.add_argument("config", help="YAML path or shipped config name (quick, standard, gpu)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE", help="override a config field (repeatable)")
    p.add_argument("--hardware", default=None, help="hardware profile for the estimates: cpu-2core, a100, h100 (default: executor.hardware)")
    p.add_argument("--executor", default=None, help="also print each cell's resources for this executor (slurm: the sbatch options)")
    p.add_argument("--slurm-partition", default=None, help="partition to print in the sbatch options")
    p.add_argument("--model-params", type=int, default=None, help="parameter count of base_model, when it cannot be read from its config.json")
    p.set_defaults(func=plan)
    p = sub.add_parser("run", help="run (or resume) a study: train, evaluate, attack, statistics, report")
    p.add_argument("config", help="YAML path or shipped config name (quick, standard, gpu)")
    p.add_argument("--cell", default=None, help="run only this cell (see `study plan`); for spreading cells over machines")
    p.add_argument("--run-dir", type=Path, default=None, help="run directory (default OUTPUT_DIR/RUN_ID from the config)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE", help="override a config field (repeatable)")
    p.add_argument("--executor", default=None, help="where the cells run: local, ray, slurm (default: the config's executor.name)")
    p.add_argument("--hardware", default=None, help="hardware profile giving each cell's resources: cpu-2core, a100, h100")
    p.add_argument("--slurm-partition", default=None, help="Slurm partition for --executor slurm (checked with sinfo)")
    p.add_argument("--resume-from", type=Path, default=None, metavar="ARCHIVE",
                   help="first copy the finished cells of a `study archive` folder into the run directory (they are skipped)")
    p.set_defaults(func=run)
    p = sub.add_parser("archive", help="write a committable copy of a run's finished cells: records and scores, no checkpoints, no response text")
    p.add_argument("config", help="the config the run was started with (YAML path or shipped name)")
    p.add_argument("--run-dir", type=Path, default=None, help="run directory (default OUTPUT_DIR/RUN_ID from the config)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE", help="the run's --set overrides (repeatable)")
    p.add_argument("--out", type=Path, required=True, help="archive folder to write (replaced atomically)")
    p.set_defaults(func=archive)
    p = sub.add_parser("report", help="(re)build statistics and report.html / report.md of a finished run")
    p.add_argument("run_dir", type=Path)
    p.add_argument("--n-boot", type=int, default=None)
    p.set_defaults(func=report)


def with_executor_flags(config, args):
    """The config with the command line's --executor/--hardware/--slurm-partition applied (validated like the YAML)."""
    from dataclasses import replace

    changes = {k: v for k, v in (("name", args.executor), ("hardware", args.hardware), ("slurm_partition", args.slurm_partition)) if v}
    return replace(config, executor=replace(config.executor, **changes)) if changes else config


def plan(args) -> int:
    from study.executors import get_executor
    from study.model_size import model_size
    from study.plan import build_plan, check_reachable, format_plan

    config, _ = load_config(resolve_config(args.config), args.overrides)
    config = with_executor_flags(config, args)
    size = model_size(config.base_model, args.model_params)
    check_reachable(config, size.non_embedding)
    executor = get_executor(config.executor) if args.executor else None
    print(format_plan(config, build_plan(config, size=size), size=size, executor=executor))
    return 0


def run(args) -> int:
    from study.runner import StudyRunner

    config, raw = load_config(resolve_config(args.config), args.overrides)
    config = with_executor_flags(config, args)
    runner = StudyRunner(config, raw, args.run_dir)
    print(f"run directory: {runner.run_dir}")
    if args.cell is None:
        print(f"the report will be written to {runner.run_dir / 'report.html'} (and report.md beside it)")
    runner.run(only=args.cell, resume_from=args.resume_from)
    return 0


def report(args) -> int:
    import json

    from study.report import build_report
    from study.stats import analyse

    run_dir = args.run_dir
    if not (run_dir / "manifest.json").exists() or not (run_dir / "items.parquet").exists():
        raise ConfigError(f"{run_dir} is not a finished run (needs manifest.json and items.parquet); run `study run CONFIG` first")
    stats = json.loads((run_dir / "manifest.json").read_text()).get("config", {}).get("statistics", {}) or {}
    analyse(run_dir, rng_seed=stats.get("seed", 0), n_boot=args.n_boot or stats.get("n_boot", 10000), min_effect=stats.get("min_effect", 0.05))
    html, md = build_report(run_dir)
    print(f"report: {html}\n        {md}")
    return 0


def archive(args) -> int:
    from study.archive import archive_cells
    from study.manifest import config_hash
    from study.plan import build_plan
    from study.runner import run_dir_for

    config, raw = load_config(resolve_config(args.config), args.overrides)
    run_dir = args.run_dir or run_dir_for(config, raw)
    plan = build_plan(config)
    cells = archive_cells(run_dir, plan, args.out, config_hash(raw))
    print(f"archived {len(cells)} of {len(plan)} cells to {args.out} (no checkpoints, text columns dropped); "
          f"resume with: study run {args.config} --run-dir DIR --resume-from {args.out}")
    return 0
