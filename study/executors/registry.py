"""Executor registry: built-ins plus anything registered under the entry-point group
``alignment_study.executors`` (``name = "package.module:ExecutorClass"``).

An executor class takes ``(config: ExecutorConfig)`` and provides ``check(runner)``
(fail before anything is written), ``run(cells, runner)`` and
``resources(cell, runner) -> dict`` (what a cell asks the engine for).
"""

from __future__ import annotations

from importlib.metadata import entry_points

from study.errors import ConfigError, UnknownNameError

GROUP = "alignment_study.executors"
_BUILTIN = {
    "local": "study.executors.local:LocalExecutor",
    "ray": "study.executors.ray_executor:RayExecutor",
    "slurm": "study.executors.slurm:SlurmExecutor",
}
_REGISTERED: dict[str, type] = {}


def register_executor(cls: type) -> type:
    """Class decorator for in-process registration (tests, notebooks)."""
    _REGISTERED[cls.name] = cls
    return cls


def _targets() -> dict:
    found: dict = dict(_BUILTIN)
    for ep in entry_points(group=GROUP):
        found[ep.name] = ep
    found.update(_REGISTERED)
    return found


def known_executors() -> list[str]:
    return sorted(_targets())


def get_executor(config):
    """An instance of the executor ``config.name`` (an :class:`ExecutorConfig`) names."""
    target = _targets().get(config.name)
    if target is None:
        raise UnknownNameError("executor", config.name, known_executors())
    if isinstance(target, str):
        module, _, attr = target.partition(":")
        cls = getattr(__import__(module, fromlist=[attr]), attr)
    elif isinstance(target, type):
        cls = target
    else:
        cls = target.load()
    if getattr(cls, "name", None) != config.name:
        raise ConfigError(f"executor entry point {config.name!r} loads {cls!r} whose name is {getattr(cls, 'name', None)!r}; make them equal")
    return cls(config)
