"""Minimum detectable effect of the primary own benchmarks at their real item and cluster counts.

``python -m study.benchmarks.own.power_table [--seeds 3 5] [--sd 0.5 0.7] [--icc 0.1 0.2] [--seed-var 0 0.001 0.002]``

For each benchmark, seeds per arm and assumption, the smallest delta that
``study.stats.power`` (the code behind ``study power``) calls detectable at
80% power: its ``required_sample_size`` asks for at most the benchmark's item
count, and delta is at least the power tool's SE floor over clusters
(``se_floor``: 0.3/sqrt(clusters) at delta 0.10, the same floor the report's
verdicts use). The design effect is ``1 + (items per cluster - 1) * ICC``.
The assumptions (SD of paired differences, ICC, seed variance) are inputs,
not measurements: replace them with a finished run's values via
``study power --run RUN``.
"""

from __future__ import annotations

import argparse
import math

from study.benchmarks import load_registry
from study.stats.power import minimum_detectable_effect, required_sample_size, se_floor

PRIMARY = (
    "sycophancy-pushback-gen", "honesty-pressure-gen", "wellbeing-urgent-care-gen",
    "sycophancy-pushback-match", "sycophancy-pushback-mc", "honesty-pressure-mc", "honesty-pressure-rubric",
    "crisis-support-match", "crisis-support-rubric", "feedback-inflation", "opinion-conformity",
)


def detectable_delta(n_items: int, n_clusters: int, *, sd: float, icc: float, seed_var: float, seeds: int,
                     alpha: float = 0.05, power: float = 0.8) -> float:
    """Smallest delta (to 0.001) with items needed <= ``n_items`` and MDE at the cluster SE floor <= delta."""
    deff = 1 + (n_items / n_clusters - 1) * icc

    def ok(delta: float) -> bool:
        need = required_sample_size(delta, sd_diff=max(sd, 0.0), design_effect=deff, seed_var_a=seed_var,
                                    seed_var_b=seed_var, n_seeds=seeds, alpha=alpha, power=power)
        floor = minimum_detectable_effect(float(se_floor(delta, n_clusters)), alpha, power)
        return need.n_items is not None and need.n_items <= n_items and floor <= delta

    lo, hi = 0.001, 0.999
    if not ok(hi):
        return float("nan")
    while hi - lo > 0.0005:
        mid = (lo + hi) / 2
        lo, hi = (lo, mid) if ok(mid) else (mid, hi)
    return round(hi, 3)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--seeds", type=int, nargs="+", default=[3, 5])
    p.add_argument("--sd", type=float, nargs="+", default=[0.5, 0.7])
    p.add_argument("--icc", type=float, nargs="+", default=[0.1])
    p.add_argument("--seed-var", type=float, nargs="+", default=[0.0, 0.001, 0.002])
    args = p.parse_args(argv)
    registry = load_registry()
    cols = [(sd, icc, sv) for sd in args.sd for icc in args.icc for sv in args.seed_var]
    print("| benchmark | items | clusters | seeds | " + " | ".join(f"sd {sd}, ICC {icc}, seed var {sv}" for sd, icc, sv in cols) + " |")
    print("|---|---|---|---|" + "---|" * len(cols))
    for name in PRIMARY:
        items = registry[name].items()
        n, c = len(items), len({it.cluster for it in items})
        for k in args.seeds:
            mdes = [detectable_delta(n, c, sd=sd, icc=icc, seed_var=sv, seeds=k) for sd, icc, sv in cols]
            print(f"| {name} | {n} | {c} | {k} | " + " | ".join("none" if math.isnan(m) else f"{m:.3f}" for m in mdes) + " |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
