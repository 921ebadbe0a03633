"""The function a remote worker (Ray task, Slurm job) runs for one cell.

It rebuilds the runner from the typed config and runs the cell through
:meth:`StudyRunner.execute`, the same atomic mechanism as the local executor
(``cells/.<id>.partial`` renamed to ``cells/<id>`` when finished). Output goes
to the cell's log file; the outcome is returned as a plain dict so a user
mistake (not worth retrying) is told apart from a crash (retried).
"""

from __future__ import annotations

import contextlib
import logging
import os
import traceback
from pathlib import Path


def run_cell(config, raw: dict, run_dir: str, cell_id: str, log_path: str, attempt: int = 0, threads: int | None = None) -> dict:
    """Run one cell; ``threads`` pins torch's intra-op threads (float reductions depend on the thread count)."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_NO_ADVISORY_WARNINGS", "1")
    from study.errors import StudyError
    from study.runner import StudyRunner

    Path(log_path).parent.mkdir(parents=True, exist_ok=True)
    with open(log_path, "a", encoding="utf-8") as log, contextlib.redirect_stdout(log), contextlib.redirect_stderr(log):
        handler = logging.StreamHandler(log)
        logging.getLogger().addHandler(handler)
        try:
            if threads:
                import torch

                torch.set_num_threads(threads)
            runner = StudyRunner(config, raw, Path(run_dir))
            cell = next(c for c in runner.plan if c.id == cell_id)
            print(f"[{cell_id}] attempt {attempt + 1} on pid {os.getpid()}", flush=True)
            runner.execute(cell)
            return {"ok": True}
        except StudyError as exc:
            print(f"error: {exc}", flush=True)
            return {"ok": False, "retriable": False, "error": str(exc)}
        except Exception as exc:  # noqa: BLE001 - any crash inside a cell is reported (and retried) by the driver
            traceback.print_exc(file=log)
            return {"ok": False, "retriable": True, "error": f"{type(exc).__name__}: {exc}"}
        finally:
            logging.getLogger().removeHandler(handler)
