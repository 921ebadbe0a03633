"""``study eval``: score one model on the battery and write a per-item table."""

from __future__ import annotations

from pathlib import Path

from study.atomic import atomic_path, write_json
from study.backends.local import LocalBackend
from study.compute import Ledger
from study.config_parse import from_dict
from study.errors import ConfigError
from study.evaluate import EvalSettings, count_eval_items, evaluate
from study.manifest import provenance
from study.models import EMBEDDED, load_model
from study.progress import progress_bar


def register(sub) -> None:
    p = sub.add_parser("eval", help="score a model on the benchmark battery (per-item table)")
    p.add_argument("--model", default=EMBEDDED)
    p.add_argument("--suite", default="quick", choices=["quick", "standard", "full"])
    p.add_argument("--items", type=int, default=None, help="items per benchmark (overrides the suite)")
    p.add_argument("--benchmarks", default=None, help="comma-separated names (default: all)")
    p.add_argument("--conditions", default="clean", help="comma-separated, e.g. clean,persona:reckless-medic,jailbreak:roleplay")
    p.add_argument("--max-new-tokens", type=int, default=64)
    p.add_argument("--out", type=Path, default=None, help="output directory (default results/eval-<model>-<suite>)")
    p.set_defaults(func=run)


def run(args) -> int:
    settings = from_dict(EvalSettings, {
        "suite": args.suite, "items_per_benchmark": args.items,
        "benchmarks": args.benchmarks.split(",") if args.benchmarks else None,
        "conditions": [c for c in args.conditions.split(",") if c], "max_new_tokens": args.max_new_tokens,
    }, "study eval")
    out = args.out or Path("results") / f"eval-{Path(args.model).name}-{args.suite}"
    if (out / "items.parquet").exists():
        raise ConfigError(f"--out {out} already holds results; choose another directory (runs are never overwritten)")
    total = count_eval_items(settings)
    loaded = load_model(args.model)
    ledger = Ledger(loaded.n_params_non_embedding)
    backend = LocalBackend(loaded, ledger)
    count = lambda text: len(loaded.tokenizer(text, add_special_tokens=False)["input_ids"])  # noqa: E731
    with progress_bar(f"eval {args.model}", total) as advance:
        table = evaluate(backend, settings, run=out.name, arm="base", seed=0, ledger=ledger, count_tokens=count, progress=advance)
    with atomic_path(out / "items.parquet") as tmp:
        table.to_parquet(tmp, index=False)
    ledger.save(out / "eval_ledger.json")
    write_json(out / "eval_manifest.json", {**provenance({"model": args.model, "evaluation": vars(settings)}), "model": args.model})
    summary = table.groupby(["benchmark", "condition"])["score"].mean().unstack("condition")
    print(summary.round(3).to_string())
    print(f"\n{len(table)} scores written to {out / 'items.parquet'}; {ledger.summary()}")
    return 0
