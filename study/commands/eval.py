"""``study eval``: score one model on the battery under conditions and write a per-item table.

A ``redteam:<attacker>`` condition runs the PAIR-style loop on
``--redteam-behaviours`` harmful-refusal items for ``--redteam-queries``
queries each and adds its rows (paired with ``clean``) to the table.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from study.atomic import atomic_path, write_json
from study.config_parse import from_dict
from study.errors import ConfigError
from study.evaluate import EvalSettings
from study.manifest import provenance
from study.models import EMBEDDED


def register(sub) -> None:
    p = sub.add_parser("eval", help="score a model on the benchmark battery (per-item table)")
    p.add_argument("--model", default=EMBEDDED)
    p.add_argument("--suite", default="quick", choices=["quick", "standard", "full"])
    p.add_argument("--items", type=int, default=None, help="items per benchmark (overrides the suite)")
    p.add_argument("--benchmarks", default=None, help="comma-separated names (default: all)")
    p.add_argument("--conditions", default="clean", help="comma-separated, e.g. clean,persona:reckless-medic,jailbreak:roleplay")
    p.add_argument("--max-new-tokens", type=int, default=64)
    p.add_argument("--redteam-behaviours", type=int, default=4, help="behaviours attacked by a redteam:<attacker> condition")
    p.add_argument("--redteam-queries", type=int, default=3, help="attacker queries per behaviour (the same for every model)")
    p.add_argument("--out", type=Path, default=None, help="output directory (default results/eval-<model>-<suite>)")
    p.set_defaults(func=run)


def run(args) -> int:
    from study.attacks.config import RedteamConfig
    from study.pipeline import evaluate_model

    settings = from_dict(EvalSettings, {
        "suite": args.suite, "items_per_benchmark": args.items,
        "benchmarks": args.benchmarks.split(",") if args.benchmarks else None,
        "conditions": [c for c in args.conditions.split(",") if c], "max_new_tokens": args.max_new_tokens,
    }, "study eval")
    redteam = from_dict(RedteamConfig, {"behaviours": args.redteam_behaviours, "queries": args.redteam_queries}, "study eval --redteam-*")
    out = args.out or Path("results") / f"eval-{Path(args.model).name}-{args.suite}"
    if (out / "items.parquet").exists():
        raise ConfigError(f"--out {out} already holds results; choose another directory (runs are never overwritten)")
    result = evaluate_model(args.model, settings, run=out.name, arm="base", seed=0, ledger=None, workdir=out, redteam=redteam,
                            label=f"eval {args.model}")
    table, ledger = result.table, result.ledger
    if result.redteam_curves is not None:
        from study.attacks.redteam import asr_by_query

        with atomic_path(out / "redteam.parquet") as tmp:
            result.redteam_curves.to_parquet(tmp, index=False)
        print("red-teaming: attack success rate after each query (harm-proxy judge: an upper bound, see docs/adversarial.md)")
        print(asr_by_query(result.redteam_curves).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
        print(f"transcripts (attack text, do not publish): {out / 'redteam_transcripts.jsonl'}\n")
    with atomic_path(out / "items.parquet") as tmp:
        table.to_parquet(tmp, index=False)
    ledger.save(out / "eval_ledger.json")
    write_json(out / "eval_manifest.json", {**provenance({"model": args.model, "evaluation": settings.record()}), "model": args.model})
    summary = table.groupby(["benchmark", "condition"])["score"].mean().unstack("condition")
    print(summary.round(3).to_string())
    print_adversarial(table)
    print(f"\n{len(table)} scores written to {out / 'items.parquet'}; {ledger.summary()}")
    return 0


def print_adversarial(table: pd.DataFrame) -> None:
    """ASR per jailbreak set / attacker, retention under harmful personas and helpful steerability, when present."""
    from study.attacks.metrics import asr_table, retention_table, steerability_table
    from study.conditions.persona import load_personas

    fmt = lambda x: f"{x:.3f}"  # noqa: E731
    asr = asr_table(table)
    if len(asr):
        print("\nattack success rate on harmful-refusal items (1 - refusal rate; clean ASR on the same items beside it):")
        print(asr.drop(columns="arm").to_string(index=False, float_format=fmt))
    personas = load_personas()
    present = {c.partition(":")[2] for c in table["condition"].unique() if c.startswith("persona:")}
    harmful = sorted(p for p in present if personas[p].polarity == "harmful")
    helpful = sorted(p for p in present if personas[p].polarity == "helpful")
    if harmful:
        print("\nretention under harmful personas (persona score / clean score, same items, steer-* excluded):")
        print(retention_table(table, harmful).drop(columns="arm").to_string(index=False, float_format=fmt))
    if helpful:
        print("\nhelpful steerability (persona score - clean score on its steer-* benchmark):")
        print(steerability_table(table, helpful).drop(columns="arm").to_string(index=False, float_format=fmt))
