"""The driver loop of the distributed executors: submit each cell once its dependencies are finished.

The engine (a Ray cluster, Slurm through submitit) only runs cells; the cell
DAG (train → eval/attack of that checkpoint; statistics after every cell, in
the driver) is resolved here, so a failed cell can be retried a bounded number
of times before anything depending on it is submitted. A pool provides
``submit(cell, attempt, log_path) -> handle``, ``wait(handles, timeout) ->
[(handle, outcome dict)]`` and ``cancel(handles)``.
"""

from __future__ import annotations

import time
from pathlib import Path

from study.executors.base import CellFailedError, pending


def log_path(runner, cell, attempt: int) -> Path:
    return runner.run_dir / "logs" / f"{cell.id}.attempt{attempt + 1}.log"


def run_dag(cells, runner, pool, config, *, echo=print) -> None:
    todo = pending(cells, runner)
    waiting = {c.id: c for c in todo}
    running: dict = {}  # handle -> (cell, attempt)
    deadline = time.monotonic() + config.max_wait_hours * 3600
    try:
        while waiting or running:
            if time.monotonic() > deadline:
                raise CellFailedError(f"cells still unfinished after executor.max_wait_hours={config.max_wait_hours}: "
                                      f"{', '.join(sorted([c.id for c, _ in running.values()] + list(waiting)))}; raise max_wait_hours or check the cluster queue")
            for cell in [c for c in waiting.values() if all(runner.done_id(d) for d in c.depends_on)]:
                if config.max_parallel and len(running) >= config.max_parallel:
                    break
                del waiting[cell.id]
                running[pool.submit(cell, 0, log_path(runner, cell, 0))] = (cell, 0)
                echo(f"[{cell.id}] submitted")
            for handle, outcome in pool.wait(list(running), config.poll_seconds):
                cell, attempt = running.pop(handle)
                if outcome.get("ok") and runner.done(cell):
                    echo(f"[{cell.id}] done")
                    if cell.kind == "train":
                        runner.check_compute_match(runner.train_ledgers(seed=cell.seed))  # fail as soon as a mismatch exists
                    continue
                error = outcome.get("error") or "the cell reported success but left no done.json"
                where = outcome.get("log") or log_path(runner, cell, attempt)
                if not outcome.get("retriable", True) or attempt >= config.max_retries:
                    tries = f"{attempt + 1} attempt{'s' if attempt else ''}"
                    raise CellFailedError(f"cell {cell.id} failed after {tries}: {error.splitlines()[-1] if error else ''}; log: {where}")
                echo(f"[{cell.id}] attempt {attempt + 1} failed ({error.splitlines()[-1][:200]}); retrying")
                running[pool.submit(cell, attempt + 1, log_path(runner, cell, attempt + 1))] = (cell, attempt + 1)
    finally:
        if running:
            pool.cancel(list(running))
