"""Wall time of the micro study under the local executor and under Ray with 2 workers; prints the ratio.

Both runs start from an empty run directory in a fresh process (``study run``),
so model loading and, for Ray, starting the local cluster are included. The
per-item tables of the two runs are compared too (they must be identical).

    .venv/bin/python bench/executors.py [CONFIG] [--workers 2]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

MICRO = Path(__file__).resolve().parents[1] / "tests" / "study" / "micro.yaml"


def timed_run(config: Path, run_dir: Path) -> float:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "study.cli", "run", str(config), "--run-dir", str(run_dir)], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"study run {config} failed:\n{proc.stderr[-3000:]}")
    return wall


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", nargs="?", type=Path, default=MICRO)
    parser.add_argument("--workers", type=int, default=2, help="CPUs of the local Ray cluster (one cell per CPU)")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-executors-"))
    raw = yaml.safe_load(args.config.read_text())
    raw["executor"] = {"name": "ray", "ray_num_cpus": args.workers, "cpus_per_cell": 1, "poll_seconds": 0.5}
    ray_config = work / "ray.yaml"
    ray_config.write_text(yaml.safe_dump(raw, sort_keys=False))
    local = timed_run(args.config, work / "local" / "run")
    print(f"local executor (1 process):          {local:7.1f} s", flush=True)
    ray = timed_run(ray_config, work / "ray" / "run")
    print(f"ray executor ({args.workers} workers, local cluster): {ray:7.1f} s", flush=True)
    same = (work / "local" / "run" / "items.parquet").read_bytes() == (work / "ray" / "run" / "items.parquet").read_bytes()
    print(f"per-item tables byte-identical: {same}")
    print(f"wall-time ratio ray/local: {ray / local:.2f} (below 1 = Ray faster)")


if __name__ == "__main__":
    main()
