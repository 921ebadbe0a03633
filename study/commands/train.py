"""``study train METHOD``: train one method plugin on one model under a FLOP budget.

The same code path a study's ``train-*`` cell takes, for running one method by
hand: the method config comes from a YAML file (the ``config:`` block of an arm)
and ``--set key=value`` overrides; the output directory holds the method's
artifacts (the method writes its ``config.json``, data and curves), ``ledger.json``
and the checkpoint; it appears under its name only when training finished.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from study.errors import ConfigError
from study.models import EMBEDDED


def register(sub) -> None:
    p = sub.add_parser("train", help="train one method (constitution, trait-rl, control, or a plugin) under a FLOP budget")
    p.add_argument("method", help="registered method name")
    p.add_argument("--model", default=EMBEDDED, help="base model spec (default: the embedded model)")
    p.add_argument("--budget", type=float, required=True, help="FLOP budget, e.g. 1.2e13")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--config", type=Path, default=None, help="YAML file with the method's config fields")
    p.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="override one config field (YAML value), repeatable")
    p.add_argument("--out", type=Path, required=True, help="new output directory")
    p.set_defaults(func=run)


def method_config_dict(path: Path | None, overrides: list[str]) -> dict:
    data: dict = {}
    if path is not None:
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ConfigError(f"--config {path}: {exc.strerror}") from None
        except yaml.YAMLError as exc:
            raise ConfigError(f"--config {path}: not valid YAML ({str(exc).splitlines()[0]})") from None
        if loaded is not None and not isinstance(loaded, dict):
            raise ConfigError(f"--config {path}: expected a mapping of method config fields")
        data = dict(loaded or {})
    for item in overrides:
        key, sep, value = item.partition("=")
        if not sep or not key:
            raise ConfigError(f"--set {item!r}: expected KEY=VALUE, e.g. --set dose=0.1")
        data[key] = yaml.safe_load(value)
    return data


def run(args) -> int:
    from methods import method_and_config, require_one_step
    from study.compute import Ledger
    from study.models import load_model

    method, config = method_and_config(args.method, method_config_dict(args.config, args.set), f"{args.method} config")
    if args.budget <= 0:
        raise ConfigError(f"--budget must be positive, got {args.budget:g}")
    out = args.out
    if out.exists() and any(out.iterdir()):
        raise ConfigError(f"--out {out} is not empty; choose a new directory (runs are never overwritten)")
    n_params = load_model(args.model).n_params_non_embedding
    require_one_step(method, config, n_params, args.budget, "--budget", args.method)
    partial = out.with_name(f".{out.name}.partial")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    ledger = Ledger(n_params, budget_flops=args.budget)
    try:
        checkpoint = method.train(args.model, config, ledger, args.seed, partial)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)  # a failed run leaves nothing behind
        raise
    ledger.save(partial / "ledger.json")
    out.parent.mkdir(parents=True, exist_ok=True)
    if out.exists():
        out.rmdir()
    partial.rename(out)
    rel = checkpoint.path.relative_to(partial)
    print(f"{args.method}: spent {ledger.total_flops:.4g} of {args.budget:.4g} FLOPs ({ledger.total_flops / args.budget:.1%})")
    for category, flops in ledger.flops.items():
        if flops:
            print(f"  {category:12s} {flops:.4g} FLOPs  {ledger.tokens[category]:>10d} tokens")
    print(f"checkpoint ({checkpoint.kind}): {out / rel}")
    return 0
