"""``study plan``, ``study run``, ``study report``: the end-to-end study."""

from __future__ import annotations

from pathlib import Path

from study.errors import ConfigError
from study.overrides import load_config

CONFIG_DIR = Path(__file__).resolve().parent.parent / "configs"


def resolve_config(name: str) -> Path:
    """A path, or the name of a shipped config (quick, standard, gpu)."""
    path = Path(name)
    if path.exists():
        return path
    shipped = CONFIG_DIR / f"{name}.yaml"
    if shipped.exists():
        return shipped
    known = sorted(p.stem for p in CONFIG_DIR.glob("*.yaml"))
    raise ConfigError(f"study config {name!r} not found: not a file and not a shipped config ({', '.join(known)})")


def register(sub) -> None:
    p = sub.add_parser("plan", help="print every cell of a study, its budget and estimated time, without running")
    p.add_argument("config", help="YAML path or shipped config name (quick, standard, gpu)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE", help="override a config field (repeatable)")
    p.set_defaults(func=plan)
    p = sub.add_parser("run", help="run (or resume) a study: train, evaluate, attack, statistics, report")
    p.add_argument("config", help="YAML path or shipped config name (quick, standard, gpu)")
    p.add_argument("--cell", default=None, help="run only this cell (see `study plan`); for spreading cells over machines")
    p.add_argument("--run-dir", type=Path, default=None, help="run directory (default OUTPUT_DIR/RUN_ID from the config)")
    p.add_argument("--set", dest="overrides", action="append", default=[], metavar="KEY.PATH=VALUE", help="override a config field (repeatable)")
    p.set_defaults(func=run)
    p = sub.add_parser("report", help="(re)build statistics and report.html / report.md of a finished run")
    p.add_argument("run_dir", type=Path)
    p.add_argument("--n-boot", type=int, default=None)
    p.set_defaults(func=report)


def plan(args) -> int:
    from study.plan import build_plan, format_plan

    config, _ = load_config(resolve_config(args.config), args.overrides)
    print(format_plan(config, build_plan(config)))
    return 0


def run(args) -> int:
    from study.runner import StudyRunner

    config, raw = load_config(resolve_config(args.config), args.overrides)
    runner = StudyRunner(config, raw, args.run_dir)
    print(f"run directory: {runner.run_dir}")
    if args.cell is None:
        print(f"the report will be written to {runner.run_dir / 'report.html'} (and report.md beside it)")
    runner.run(only=args.cell)
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
