"""Calibration of the shipped tests by simulation, with Monte-Carlo standard errors.

Regimes of issue 16: binary scores from a logit model, 10 benchmarks per
study (6 null, 4 with a planted effect of 0.5 on the logit scale), 30
clusters of 2 items, 3 or 5 training seeds per arm, seed sd 0.03 or 0.25 on
the logit scale; plus the two one-checkpoint tests (sign flips on clustered
continuous scores, McNemar mid-p on binary items). Measured on the columns
the report shows: the false-positive rate of ``p`` on null benchmarks, the
coverage of the interval of the level ``p`` comes from (procedure level with
seeds), and the false discovery rate of ``p_bh``.

Targets: false positives 5 +- 1.5 points, coverage 95 +- 1.5 points, FDR <= 5%.
A rate PASSes when its target band contains it; the Monte-Carlo SE (studies
as clusters: benchmarks of one study share its seeds) says how sure that is.

    python bench/stats_calibration.py [--studies 400] [--perm 500] [--seed 0]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from study.stats.calibration import calibrate  # noqa: E402

TOL = 0.015


def verdict(row: dict) -> str:
    if row["measure"].startswith("FDR"):
        return "PASS" if row["value"] <= row["target"] else "FAIL"
    return "PASS" if abs(row["value"] - row["target"]) <= TOL else "FAIL"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--studies", type=int, default=400, help="simulated studies per regime")
    ap.add_argument("--perm", type=int, default=500, help="sign-flip permutations per test")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    rows = calibrate(args.studies, args.perm, args.seed)
    print(f"{args.studies} simulated studies per regime x 10 benchmarks, {args.perm} sign flips, seed {args.seed}")
    width = max(len(r["regime"]) for r in rows)
    for r in rows:
        print(f"{verdict(r)}  {r['regime']:<{width}}  {r['measure']:<32} {r['value']:.4f}  (MC SE {r['mcse']:.4f}, "
              f"target {'<= ' if r['measure'].startswith('FDR') else ''}{r['target']:.2f})")
    print(f"elapsed {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
