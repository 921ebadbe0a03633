"""Cells as Ray tasks: each declares the CPUs, GPUs and memory the plan gives it.

Without ``executor.ray_address`` a local Ray cluster is started for the run
(``ray.init(num_cpus=executor.ray_num_cpus)``, no dashboard) and shut down at
the end; with an address the run joins that cluster (every node must see the
run directory on a shared filesystem and have this package installed).
A task whose worker process dies, or that raises an unexpected error, is
resubmitted up to ``executor.max_retries`` times by the driver loop.
"""

from __future__ import annotations

import os
from pathlib import Path

from study.errors import ConfigError
from study.executors.base import cell_resources, threads_per_cell
from study.executors.dag import run_dag

PROJECT_ROOT = str(Path(__file__).resolve().parents[2])


class RayExecutor:
    name = "ray"

    def __init__(self, config, task=None):
        self.config = config
        self.task = task  # the function run per cell; tests swap in one that kills its worker
        self._started = False

    def resources(self, cell, runner) -> dict:
        return cell_resources(cell, self.config)

    def check(self, runner) -> None:
        """Ray importable, the cluster reachable, and every cell's resources available on it."""
        try:
            import ray
        except ImportError:
            raise ConfigError("executor 'ray' needs the ray package: pip install 'ray[default]' (or use --executor local)") from None
        if not ray.is_initialized():
            env = {"env_vars": {"PYTHONPATH": os.pathsep.join(p for p in (PROJECT_ROOT, os.environ.get("PYTHONPATH")) if p),
                                "HF_HUB_OFFLINE": os.environ.get("HF_HUB_OFFLINE", "1")}}
            try:
                if self.config.ray_address:
                    ray.init(address=self.config.ray_address, runtime_env=env, log_to_driver=False)
                else:
                    ray.init(num_cpus=self.config.ray_num_cpus, include_dashboard=False, runtime_env=env, log_to_driver=False)
            except (ConnectionError, RuntimeError, ValueError) as exc:
                raise ConfigError(f"executor 'ray': cannot start or reach the Ray cluster at {self.config.ray_address or 'local'} "
                                  f"({str(exc).splitlines()[0][:160]}); start it with `ray start --head` or fix executor.ray_address") from None
            self._started = True
        total = ray.cluster_resources()
        for cell in runner.plan:
            res = self.resources(cell, runner)
            for key, have in (("cpus", total.get("CPU", 0)), ("gpus", total.get("GPU", 0)), ("memory_bytes", total.get("memory", 0))):
                if res[key] > have:
                    self.shutdown()
                    raise ConfigError(f"cell {cell.id} asks for {res[key]:.4g} {key} but the Ray cluster has {have:.4g}; "
                                      f"lower executor.{'cpus_per_cell' if key == 'cpus' else 'gpus_per_cell' if key == 'gpus' else 'hardware'} or grow the cluster")

    def run(self, cells, runner) -> None:
        self.runner_args = (runner.config, runner.raw, str(runner.run_dir))
        try:
            run_dag(cells, runner, _RayPool(self), self.config, echo=runner.echo)
        finally:
            self.shutdown()

    def shutdown(self) -> None:
        if self._started:
            import ray

            ray.shutdown()
            self._started = False


class _RayPool:
    def __init__(self, executor: RayExecutor):
        import ray

        from study.executors.worker import run_cell

        self.ray = ray
        self.executor = executor
        self.remote = ray.remote(executor.task or run_cell)
        self.logs: dict = {}
        self.threads = threads_per_cell(executor.config)

    def submit(self, cell, attempt: int, log: Path):
        res = cell_resources(cell, self.executor.config)
        runner_args = self.executor.runner_args
        ref = self.remote.options(num_cpus=res["cpus"], num_gpus=res["gpus"], memory=res["memory_bytes"] or None,
                                  max_retries=0, name=cell.id).remote(*runner_args, cell.id, str(log), attempt, self.threads)
        self.logs[ref] = log
        return ref

    def wait(self, handles, timeout: float):
        ready, _ = self.ray.wait(handles, num_returns=1, timeout=timeout)
        out = []
        for ref in ready:
            try:
                outcome = self.ray.get(ref)
            except self.ray.exceptions.RayError as exc:  # the worker died (killed, OOM) or Ray itself failed
                outcome = {"ok": False, "retriable": True, "error": f"{type(exc).__name__}: {str(exc).splitlines()[0][:300]}"}
            out.append((ref, {**outcome, "log": str(self.logs.pop(ref))}))
        return out

    def cancel(self, handles) -> None:
        for ref in handles:
            self.ray.cancel(ref, force=True)
