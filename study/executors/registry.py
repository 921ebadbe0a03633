"""Executor registry: built-ins plus anything registered under the entry-point group
``alignment_study.executors`` (``name = "package.module:ExecutorClass"``).

An executor class takes ``(config: ExecutorConfig)`` and provides ``check(runner)``
(fail before anything is written), ``run(cells, runner)`` and
``resources(cell, runner) -> dict`` (what a cell asks the engine for).
"""

from __future__ import annotations

from study.plugins import ClassRegistry

GROUP = "alignment_study.executors"
_EXECUTORS = ClassRegistry("executors", "executor", {
    "local": "study.executors.local:LocalExecutor",
    "ray": "study.executors.ray_executor:RayExecutor",
    "slurm": "study.executors.slurm:SlurmExecutor",
})
register_executor = _EXECUTORS.register


def known_executors() -> list[str]:
    return _EXECUTORS.known()


def get_executor(config):
    """An instance of the executor ``config.name`` (an :class:`ExecutorConfig`) names."""
    return _EXECUTORS.load(config.name)(config)
