"""Calibration of the statistics by simulation (default 2,000 simulated studies per rate).

With no true effect each test's false-positive rate must lie within +-1.5
points of alpha; Benjamini–Hochberg must keep the false discovery rate <= q;
with a planted effect the 95% intervals must cover the truth 95% +- 1.5 points.
Prints every measured rate with its Monte Carlo standard error and PASS/FAIL.

    /work/venv/bin/python bench/stats_calibration.py [--studies 2000] [--boot 1000] [--seed 0]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from study.stats.calibration import calibrate  # noqa: E402

ALPHA, TOL = 0.05, 0.015


def verdict(name: str, rate: float) -> str:
    if name.startswith("fpr"):
        return "PASS" if abs(rate - ALPHA) <= TOL else "FAIL"
    if name.startswith("coverage"):
        return "PASS" if abs(rate - 0.95) <= TOL else "FAIL"
    return "PASS" if rate <= ALPHA else "FAIL"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--studies", type=int, default=2000)
    ap.add_argument("--boot", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    t0 = time.perf_counter()
    rates = calibrate(args.studies, args.boot, args.seed, ALPHA)
    print(f"{args.studies} simulated studies per rate ({args.studies // 4} for FDR, 20 benchmarks each), "
          f"{args.boot} bootstrap replicates, seed {args.seed}")
    for name, rate in rates.items():
        p = 0.95 if name.startswith("coverage") else ALPHA
        mcse = math.sqrt(p * (1 - p) / args.studies)
        print(f"{verdict(name, rate)}  {name}: {rate:.4f}  (Monte Carlo SE ~{mcse:.4f})")
    print(f"elapsed {time.perf_counter() - t0:.0f} s")


if __name__ == "__main__":
    main()
