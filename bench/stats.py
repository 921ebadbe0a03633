"""Speed of the full analysis on a study-sized synthetic run, and the bootstrap against a naive loop.

60 benchmarks x 4 arms x 5 seeds x 200 items, 10,000 bootstrap replicates.
The naive bootstrap loops in Python over replicates, arms and benchmarks; it
is timed on a slice of replicates and scaled linearly to 10,000.
The last line printed is the speed ratio (naive / vectorised bootstrap).

    /work/venv/bin/python bench/stats.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from study.stats import analyse  # noqa: E402
from study.stats.bootstrap import run_bootstrap  # noqa: E402
from study.stats.io import load_run  # noqa: E402
from study.stats.panel import build_panel  # noqa: E402
from study.stats.validate import validate_items  # noqa: E402
from tests.fixtures.synthetic_run import SyntheticSpec, write_run  # noqa: E402

N_BOOT = 10_000
NAIVE_REPS = 100


def naive_bootstrap(panel, rng, n_boot):
    """Straightforward loop: per replicate, draw seeds per arm and clusters per benchmark, index, average."""
    out = {}
    for _ in range(n_boot):
        seeds = {arm: rng.integers(0, len(s), size=max(1, len(s) - 1)) for arm, s in panel.seeds.items()}
        for (bench, cond), cell in panel.cells.items():
            drawn = rng.integers(0, cell.n_clusters, size=max(1, cell.n_clusters - 1))
            items = np.concatenate([np.flatnonzero(cell.clusters == c) for c in drawn])
            for arm, s in cell.scores.items():
                out.setdefault((bench, cond, arm), []).append(s[seeds[arm]][:, items].mean())
    return out


def main() -> None:
    # four trained arms with five seeds each (the base arm has a single checkpoint, so it is left out here)
    spec = SyntheticSpec(n_benchmarks=60, n_seeds=5, n_items=200, cluster_size=4, helpful_personas=(),
                         arms=("control", "constitution", "trait-rl", "trait-rl-health"),
                         harmful_personas=(), finetune_k=(), attacked_benchmarks=0)
    with tempfile.TemporaryDirectory() as tmp:
        run = write_run(Path(tmp) / "run", spec, redteam=False)
        t0 = time.perf_counter()
        analyse(run, rng_seed=0, n_boot=N_BOOT)
        full = time.perf_counter() - t0
        data = load_run(run)
        panel = build_panel(validate_items(data.items, data.manifest))
    rows = len(data.items)
    seeds = sorted({len(s) for s in panel.seeds.values()})
    print(f"rows: {rows}, benchmarks: {len(panel.benchmarks)}, arms: {len(panel.seeds)}, seeds/arm: {seeds}, "
          f"bootstrap replicates: {N_BOOT}")
    print(f"full analysis (validate + all tables + CSV): {full:.2f} s (target < 10 s)")
    t0 = time.perf_counter()
    run_bootstrap(panel, np.random.default_rng(0), N_BOOT)
    vec = time.perf_counter() - t0
    print(f"vectorised bootstrap, {N_BOOT} replicates: {vec:.2f} s")
    t0 = time.perf_counter()
    naive_bootstrap(panel, np.random.default_rng(0), NAIVE_REPS)
    naive = (time.perf_counter() - t0) * N_BOOT / NAIVE_REPS
    print(f"naive loop bootstrap, {NAIVE_REPS} replicates scaled to {N_BOOT}: {naive:.1f} s")
    print(f"speed-up ratio (naive / vectorised): {naive / vec:.1f}")


if __name__ == "__main__":
    main()
