"""``study attack``: run one adversarial attack on one model and print its curve.

* ``study attack finetune``: the harmful fine-tuning attack; evaluates every k
  on the trait benchmarks (condition ``finetune:<k>``) and prints erosion.
* ``study attack redteam``: PAIR-style automated red-teaming; prints ASR vs queries.

Both write ``items.parquet`` (per-item table) and their ledgers to ``--out``;
red-teaming also writes ``redteam.parquet`` and ``redteam_transcripts.jsonl``
(attack text: do not publish). Nothing harmful is printed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd

from study.atomic import atomic_path, write_json
from study.compute import Ledger
from study.config_parse import from_dict
from study.errors import ConfigError
from study.evaluate import EvalSettings
from study.models import EMBEDDED


def register(sub) -> None:
    p = sub.add_parser("attack", help="adversarial attacks on one model: harmful fine-tuning, automated red-teaming")
    attacks = p.add_subparsers(dest="attack", required=True)

    ft = attacks.add_parser("finetune", help="harmful fine-tuning attack: score vs fine-tune steps k")
    ft.add_argument("--model", default=EMBEDDED)
    ft.add_argument("--steps", default="0,4,16", help="comma-separated k (k=0 is the model itself)")
    ft.add_argument("--items", type=int, default=4, help="items per benchmark")
    ft.add_argument("--benchmarks", default=None, help="comma-separated (default: the trait benchmarks)")
    ft.add_argument("--learning-rate", type=float, default=5e-5)
    ft.add_argument("--batch-size", type=int, default=4)
    ft.add_argument("--seed", type=int, default=0, help="attack seed (keep it the same for every arm)")
    ft.add_argument("--max-new-tokens", type=int, default=64)
    ft.add_argument("--out", type=Path, required=True)
    ft.set_defaults(func=run_finetune)

    rt = attacks.add_parser("redteam", help="automated red-teaming: attack success rate vs attacker queries")
    rt.add_argument("--model", default=EMBEDDED, help="target model spec")
    rt.add_argument("--attacker", default="local", help="local (embedded model), local:<model>, openai:<model>, anthropic:<model>")
    rt.add_argument("--behaviours", type=int, default=4)
    rt.add_argument("--queries", type=int, default=3)
    rt.add_argument("--seed", type=int, default=0, help="attacker sampling seed (keep it the same for every arm)")
    rt.add_argument("--max-new-tokens", type=int, default=64)
    rt.add_argument("--out", type=Path, required=True)
    rt.set_defaults(func=run_redteam_cmd)


def _fresh(out: Path) -> None:
    if (out / "items.parquet").exists():
        raise ConfigError(f"--out {out} already holds results; choose another directory (runs are never overwritten)")


def _save(table: pd.DataFrame, path: Path) -> None:
    with atomic_path(path) as tmp:
        table.to_parquet(tmp, index=False)


def _steps(text: str) -> list[int]:
    try:
        steps = sorted({int(s) for s in text.split(",") if s.strip()})
    except ValueError:
        raise ConfigError(f"--steps {text!r}: expected comma-separated integers such as 0,4,16") from None
    if not steps or steps[0] != 0:
        raise ConfigError(f"--steps {text!r}: list non-negative steps starting with 0 (k=0 is the model itself; erosion is measured from it)")
    return steps


def run_finetune(args) -> int:
    from study.attacks.config import ATTACK_TRAINING, FinetuneAttackConfig
    from study.attacks.finetune import trait_benchmarks
    from study.attacks.metrics import erosion_auc, erosion_curve
    from study.model_size import model_size
    from study.pipeline import attack_model, require_weights

    _fresh(args.out)
    steps = _steps(args.steps)
    benchmarks = args.benchmarks.split(",") if args.benchmarks else trait_benchmarks()
    settings = from_dict(EvalSettings, {"items_per_benchmark": args.items, "benchmarks": benchmarks, "max_new_tokens": args.max_new_tokens},
                         "study attack finetune")
    settings.specs()
    training = replace(ATTACK_TRAINING, learning_rate=args.learning_rate, batch_size=args.batch_size)
    attack = FinetuneAttackConfig(steps=steps, benchmarks=benchmarks, items_per_benchmark=args.items, training=training)
    require_weights(args.model)
    ledger = Ledger(model_size(args.model).non_embedding)  # from config.json; the attack loads the weights once

    def report(k: int, table: pd.DataFrame) -> None:
        print(f"evaluated k={k}: mean score {table['score'].mean():.3f} on {len(table)} items")

    table = attack_model(args.model, attack, settings, run=args.out.name, arm="base", seed=0, ledger=ledger, workdir=args.out,
                         attack_seed=args.seed, on_scored=report)
    _save(table, args.out / "items.parquet")
    ledger.save(args.out / "attack_ledger.json")
    curve = erosion_curve(table)
    print("\nscore vs fine-tune steps k (pooled over the trait benchmarks):")
    print(curve.to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print("\nerosion AUC (average score over the attack): " + ", ".join(f"{a}={v:.3f}" for a, v in erosion_auc(curve).items()))
    by_bench = table.groupby(["benchmark", "condition"])["score"].mean().unstack("condition")
    by_bench.to_csv(args.out / "erosion_by_benchmark.csv")
    print(f"\n{len(table)} scores written to {args.out / 'items.parquet'}")
    print(f"attack and its evaluations: {ledger.summary()}")
    return 0


def run_redteam_cmd(args) -> int:
    from study.attacks.config import RedteamConfig
    from study.attacks.redteam import asr_by_query
    from study.pipeline import evaluate_model

    _fresh(args.out)
    condition = f"redteam:{args.attacker}"
    settings = from_dict(EvalSettings, {"suite": "full", "conditions": [condition], "max_new_tokens": args.max_new_tokens},
                         "study attack redteam")
    redteam = from_dict(RedteamConfig, {"attacker": args.attacker, "behaviours": args.behaviours, "queries": args.queries},
                        "study attack redteam")
    result = evaluate_model(args.model, settings, run=args.out.name, arm="base", seed=0, ledger=None, workdir=args.out,
                            redteam=redteam, attack_seed=args.seed, label=f"red-team {args.model}")
    _save(result.redteam_curves, args.out / "redteam.parquet")
    _save(result.table, args.out / "items.parquet")
    result.ledger.save(args.out / "eval_ledger.json")
    write_json(args.out / "redteam_config.json", {k: str(v) for k, v in vars(args).items() if k != "func"})
    print(f"red-teaming {args.model} with attacker {args.attacker}: {redteam.behaviours} behaviours x {args.queries} queries")
    print("attack success rate after each query (harm-proxy judge: an upper bound, see docs/adversarial.md)")
    print(asr_by_query(result.redteam_curves).to_string(index=False, float_format=lambda x: f"{x:.3f}"))
    print(f"\ntranscripts (attack text, do not publish): {args.out / 'redteam_transcripts.jsonl'}; {result.ledger.summary()}")
    return 0
