"""What every executor shares: which cells still need running, a cell's resources, the failure report."""

from __future__ import annotations

import math

from study.errors import ConfigError, StudyError
from study.executors.hardware import get_profile


class CellFailedError(StudyError):
    """A cell kept failing after its bounded retries (the message names its log)."""


def pending(cells, runner) -> list:
    """The cells of ``cells`` not finished yet, after checking each one's dependencies can be met.

    A dependency is met when it is finished or is itself among ``cells``;
    finished cells are never recomputed.
    """
    todo = [c for c in cells if not runner.done(c)]
    scheduled = {c.id for c in todo}
    for cell in todo:
        missing = [d for d in cell.depends_on if d not in scheduled and not runner.done_id(d)]
        if missing:
            raise ConfigError(f"cell {cell.id} needs {', '.join(missing)} first; run those cells (or the whole study)")
    return todo


def cell_resources(cell, config) -> dict:
    """CPUs, GPUs and memory (bytes) one cell asks for: the executor config's counts, else the hardware profile's."""
    profile = get_profile(config.hardware)
    return {
        "cpus": config.cpus_per_cell or profile.cpus_per_cell,
        "gpus": profile.gpus_per_cell if config.gpus_per_cell is None else config.gpus_per_cell,
        "memory_bytes": int(cell.memory_bytes),
        "seconds": cell.seconds_on(profile),
    }


def sbatch_options(cell, config) -> dict[str, str]:
    """The sbatch options of one cell's job (printed by ``study plan --executor slurm``)."""
    res = cell_resources(cell, config)
    minutes = math.ceil(res["seconds"] * config.slurm_time_factor / 60) + 15
    opts = {"job-name": cell.id, "cpus-per-task": str(res["cpus"]), "mem": f"{max(1, math.ceil(res['memory_bytes'] / 2**30))}G",
            "time": f"{minutes // 60:02d}:{minutes % 60:02d}:00"}
    if res["gpus"]:
        opts["gpus-per-node"] = str(res["gpus"])
    if config.slurm_partition:
        opts["partition"] = config.slurm_partition
    return opts


def threads_per_cell(config) -> int:
    """torch threads a remote cell uses: the configured count, else this (driver) process's, as the local executor would."""
    if config.threads_per_cell:
        return config.threads_per_cell
    import torch

    return torch.get_num_threads()
