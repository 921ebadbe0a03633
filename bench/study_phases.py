"""Wall time and peak memory of every phase of a study (default: the quick config).

Each cell runs in its own process (``study run CONFIG --cell ID``) so its peak
resident memory is its own; the last row is the final merge + statistics +
report. Prints a table; the total wall time is the last line.

    .venv/bin/python bench/study_phases.py [CONFIG] [--run-dir DIR]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CHILD = (
    "import resource, sys\n"
    "from study.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(f'PEAK_RSS_KB={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}', file=sys.stderr)\n"
    "sys.exit(code)\n"
)


def run_phase(args: list[str]) -> tuple[float, float]:
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-c", CHILD, *args], capture_output=True, text=True)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"phase {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    peak = next((int(line.split("=")[1]) for line in proc.stderr.splitlines() if line.startswith("PEAK_RSS_KB=")), 0)
    return wall, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("config", nargs="?", default="quick")
    parser.add_argument("--run-dir", type=Path, default=None)
    args = parser.parse_args()
    from study.commands.study_cmds import resolve_config
    from study.plan import build_plan
    from study.study_config import load_study_config

    path = resolve_config(args.config)
    config, _ = load_study_config(path)
    run_dir = args.run_dir or Path(tempfile.mkdtemp(prefix="bench-study-")) / config.name
    rows = []
    for cell in build_plan(config):
        wall, peak = run_phase(["run", str(path), "--run-dir", str(run_dir), "--cell", cell.id])
        rows.append((cell.id, wall, peak))
        print(f"{cell.id:34} {wall:8.1f}s {peak:9.0f} MB", flush=True)
    wall, peak = run_phase(["run", str(path), "--run-dir", str(run_dir)])
    rows.append(("merge + statistics + report", wall, peak))
    print(f"{'merge + statistics + report':34} {wall:8.1f}s {peak:9.0f} MB")
    print(f"\n{'phase':34} {'wall':>9} {'peak RSS':>12}")
    for name, w, p in rows:
        print(f"{name:34} {w:8.1f}s {p:9.0f} MB")
    print(f"run directory: {run_dir}")
    print(f"total wall time: {sum(w for _, w, _ in rows) / 60:.1f} min; max peak RSS {max(p for _, _, p in rows):.0f} MB")


if __name__ == "__main__":
    main()
