"""``study power``: how many items / seeds are needed to detect a difference of delta."""

from __future__ import annotations

from pathlib import Path

from study.errors import ConfigError


def register(sub) -> None:
    p = sub.add_parser("power", help="items/seeds needed to detect a difference (from numbers or a finished run)")
    p.add_argument("--delta", type=float, required=True, help="smallest true difference worth detecting (score units)")
    p.add_argument("--sd", type=float, default=None, help="SD of item-paired differences (binary scores: at most ~0.7)")
    p.add_argument("--design-effect", type=float, default=1.0, help="variance inflation from clustered items")
    p.add_argument("--seed-var", type=float, default=0.0, help="variance of one arm's per-seed benchmark mean")
    p.add_argument("--seeds", type=int, default=1, help="training seeds per arm")
    p.add_argument("--alpha", type=float, default=0.05)
    p.add_argument("--power", type=float, default=0.8)
    p.add_argument("--run", type=Path, default=None, help="a finished run: per-benchmark table from its observed variances")
    p.set_defaults(func=run)


def run(args) -> int:
    from study.stats.power import power_table, required_sample_size

    if args.run is not None:
        import pandas as pd

        path = args.run / "stats" / "contrasts.csv"
        if not path.exists():
            raise ConfigError(f"{path} missing; run `study report {args.run}` first")
        table = power_table(pd.read_csv(path), delta=args.delta, alpha=args.alpha, power=args.power)
        print(table.to_string(index=False))
        return 0
    if args.sd is None:
        raise ConfigError("give --sd (SD of paired differences) or --run RUN_DIR to use a run's observed variances")
    print(required_sample_size(args.delta, sd_diff=args.sd, design_effect=args.design_effect, seed_var_a=args.seed_var,
                               seed_var_b=args.seed_var, n_seeds=args.seeds, alpha=args.alpha, power=args.power))
    return 0
