"""Cells as Slurm jobs through submitit: one job per cell, with the sbatch resources the plan prints.

The driver (``study run`` on the login node) submits a cell when its
dependencies have finished, so a failed job can be resubmitted (bounded by
``executor.max_retries``) before its dependents are queued; it then merges the
per-item tables and writes statistics and report itself. ``executor.slurm_cluster:
local`` runs the same jobs through submitit's LocalExecutor (local processes),
which is how the tests exercise this path without a cluster.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import time
from pathlib import Path

from study.errors import ConfigError
from study.executors.base import cell_resources, sbatch_options, threads_per_cell
from study.executors.dag import run_dag

PROJECT_ROOT = str(Path(__file__).resolve().parents[2])


class SlurmExecutor:
    name = "slurm"

    def __init__(self, config, task=None):
        self.config = config
        self.task = task

    def resources(self, cell, runner) -> dict:
        return {**cell_resources(cell, self.config), "sbatch": sbatch_options(cell, self.config)}

    def check(self, runner) -> None:
        """submitit importable; on a real cluster: the partition exists (sinfo) and sbatch is on PATH."""
        try:
            import submitit  # noqa: F401
        except ImportError:
            raise ConfigError("executor 'slurm' needs the submitit package: pip install submitit (or use --executor local)") from None
        if self.config.slurm_cluster == "local":
            return
        partition = self.config.slurm_partition
        if partition and shutil.which("sinfo"):
            known = slurm_partitions()
            if partition not in known:
                raise ConfigError(f"Slurm partition {partition!r} does not exist (sinfo lists {', '.join(known) or 'none'}); "
                                  "set executor.slurm_partition (or --slurm-partition) to one of them")
        if shutil.which("sbatch") is None:
            raise ConfigError("executor 'slurm': sbatch is not on PATH (this is not a Slurm login node); run `study run` where sbatch works, "
                              "or set executor.slurm_cluster: local to run the same jobs as local processes")

    def run(self, cells, runner) -> None:
        run_dag(cells, runner, _SubmititPool(self, runner), self.config, echo=runner.echo)


def slurm_partitions() -> list[str]:
    out = subprocess.run(["sinfo", "-h", "-o", "%P"], capture_output=True, text=True, timeout=60, check=False)
    if out.returncode != 0:
        raise ConfigError(f"sinfo failed ({out.stderr.strip()[:200]}); check the Slurm installation or unset executor.slurm_partition")
    return sorted({line.strip().rstrip("*") for line in out.stdout.splitlines() if line.strip()})


class _SubmititPool:
    def __init__(self, executor: SlurmExecutor, runner):
        import submitit

        from study.executors.worker import run_cell

        self.submitit = submitit
        self.config = executor.config
        self.fn = executor.task or run_cell
        self.args = (runner.config, runner.raw, str(runner.run_dir))
        self.folder = runner.run_dir / "slurm" / "%j"
        self.logs: dict = {}
        self.threads = threads_per_cell(self.config)

    def submit(self, cell, attempt: int, log: Path):
        res = cell_resources(cell, self.config)
        sbatch = sbatch_options(cell, self.config)
        minutes = int(sbatch["time"][:2]) * 60 + int(sbatch["time"][3:5])
        ex = self.submitit.AutoExecutor(folder=self.folder, cluster=self.config.slurm_cluster)
        params = {"name": cell.id, "timeout_min": minutes, "cpus_per_task": res["cpus"], "mem_gb": max(1, math.ceil(res["memory_bytes"] / 2**30))}
        if res["gpus"]:
            params["gpus_per_node"] = res["gpus"]
        if self.config.slurm_cluster == "slurm":
            params["slurm_setup"] = [f"export PYTHONPATH={PROJECT_ROOT}:${{PYTHONPATH:-}}", "export HF_HUB_OFFLINE=1"]
            if self.config.slurm_partition:
                params["slurm_partition"] = self.config.slurm_partition
        ex.update_parameters(**params)
        saved = os.environ.get("PYTHONPATH")
        os.environ["PYTHONPATH"] = os.pathsep.join(p for p in (PROJECT_ROOT, saved) if p)  # local jobs inherit the environment
        try:
            job = ex.submit(self.fn, *self.args, cell.id, str(log), attempt, self.threads)
        except (subprocess.CalledProcessError, OSError, self.submitit.core.utils.FailedJobError) as exc:
            detail = getattr(exc, "stderr", None) or getattr(exc, "output", None) or str(exc)
            detail = detail.decode() if isinstance(detail, bytes) else str(detail)
            raise ConfigError(f"submitit could not submit cell {cell.id} ({detail.strip().splitlines()[-1][:200] if detail.strip() else type(exc).__name__}); "
                              "check executor.slurm_partition and the resources `study plan CONFIG --executor slurm` prints") from None
        finally:
            if saved is None:
                os.environ.pop("PYTHONPATH", None)
            else:
                os.environ["PYTHONPATH"] = saved
        self.logs[job.job_id] = log
        return job

    def wait(self, handles, timeout: float):
        out = []
        for job in handles:
            if job.done():
                try:
                    outcome = job.result()
                except Exception as exc:  # noqa: BLE001 - a killed or failed job: submitit raises its own error types
                    outcome = {"ok": False, "retriable": True, "error": f"{type(exc).__name__}: {str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ''}"}
                log = self.logs.pop(job.job_id)
                out.append((job, {**outcome, "log": f"{log} (job stderr: {job.paths.stderr})" if not outcome.get("ok") else str(log)}))
        if not out:
            time.sleep(timeout)
        return out

    def cancel(self, handles) -> None:
        for job in handles:
            try:
                job.cancel(check=False)
            except Exception:  # noqa: BLE001 - best effort: the job may have finished meanwhile
                pass
