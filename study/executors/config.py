"""The ``executor:`` section of a study config: where and how the cells run.

Fields:

* ``name``: local (one process, plan order), ray (a Ray cluster), slurm
  (submitit jobs), or a name registered under ``alignment_study.executors``.
* ``hardware``: profile for time/memory estimates and default per-cell
  resources: cpu-2core, a100, h100 (see :mod:`study.executors.hardware`).
* ``cpus_per_cell`` / ``gpus_per_cell``: what each cell asks for (default:
  the hardware profile's).
* ``max_retries``: resubmissions of a cell whose worker died or that raised an
  unexpected error (a user mistake, a :class:`StudyError`, is not retried).
* ``threads_per_cell``: torch intra-op threads of a remote cell. None: the
  driver's own count, i.e. what the local executor uses, so the per-item table is
  bit-identical to a local run on the same kind of machine (float reductions
  depend on the thread count); set it to ``cpus_per_cell`` to avoid
  oversubscribing a node when that identity does not matter.
* ``max_parallel``: most cells running at once (None: what the engine schedules).
* ``ray_address``: a running Ray cluster ("auto", "ray://host:10001"); None
  starts a local one with ``ray_num_cpus`` CPUs (None: all).
* ``slurm_partition``: checked with ``sinfo``; None is the cluster default.
* ``slurm_cluster``: slurm, or local (submitit's LocalExecutor: the same jobs
  as local processes; how the tests run this path).
* ``slurm_time_factor``: a job's ``--time`` is this factor times its estimated
  wall time on the hardware profile, plus 15 minutes.
* ``max_wait_hours``: the driver gives up on unfinished cells after this long.
* ``poll_seconds``: how often the driver polls for finished tasks/jobs.
"""

from __future__ import annotations

from dataclasses import dataclass

from study.errors import ConfigError


@dataclass(frozen=True)
class ExecutorConfig:
    name: str = "local"
    hardware: str = "cpu-2core"
    cpus_per_cell: int | None = None
    gpus_per_cell: int | None = None
    max_retries: int = 2
    threads_per_cell: int | None = None
    max_parallel: int | None = None
    ray_address: str | None = None
    ray_num_cpus: int | None = None
    slurm_partition: str | None = None
    slurm_cluster: str = "slurm"
    slurm_time_factor: float = 3.0
    max_wait_hours: float = 168.0
    poll_seconds: float = 2.0

    def __post_init__(self) -> None:
        from study.executors.hardware import get_profile
        from study.executors.registry import known_executors

        if self.name not in known_executors():
            raise ConfigError(f"executor.name {self.name!r} is unknown; known executors: {', '.join(known_executors())}")
        get_profile(self.hardware)
        for name, low in (("cpus_per_cell", 1), ("gpus_per_cell", 0), ("max_parallel", 1), ("ray_num_cpus", 1), ("threads_per_cell", 1)):
            value = getattr(self, name)
            if value is not None and value < low:
                raise ConfigError(f"executor.{name} must be >= {low} or null, got {value}")
        if not 0 <= self.max_retries <= 10:
            raise ConfigError(f"executor.max_retries must be in 0..10, got {self.max_retries}")
        if self.slurm_cluster not in ("slurm", "local"):
            raise ConfigError(f"executor.slurm_cluster must be 'slurm' or 'local', got {self.slurm_cluster!r}")
        if self.slurm_time_factor < 1:
            raise ConfigError(f"executor.slurm_time_factor must be >= 1, got {self.slurm_time_factor}")
        if not (self.max_wait_hours > 0 and 0 < self.poll_seconds <= 300):
            raise ConfigError("executor.max_wait_hours must be > 0 and executor.poll_seconds in (0, 300]")
