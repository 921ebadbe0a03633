"""Entry-point plugins: one loader for every extension group of the toolkit.

A third-party package extends the toolkit without editing it by declaring, in
its own ``pyproject.toml``::

    [project.entry-points."alignment_study.conditions"]
    my-kind = "my_package.conditions:my_factory"

Groups: ``alignment_study.methods``, ``.benchmarks``, ``.graders``, ``.scorers``,
``.conditions``, ``.statistics``, ``.executors``. What the loaded object must be
is stated by the registry that reads the group.
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points
from typing import Any

from study.errors import ConfigError

PREFIX = "alignment_study."


def plugin_entry_points(group: str) -> dict[str, EntryPoint]:
    """The entry points declared under ``alignment_study.<group>`` by installed distributions."""
    return {ep.name: ep for ep in entry_points(group=PREFIX + group)}


def load_plugin(ep: EntryPoint, group: str) -> Any:
    """Import an entry point's target; a broken plugin is a one-line error naming it."""
    try:
        return ep.load()
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"plugin {ep.name!r} ({ep.value}) in entry-point group {PREFIX + group} cannot be loaded "
                          f"({type(exc).__name__}: {exc}); fix or uninstall the package that declares it") from None


class ClassRegistry:
    """Named plugin classes: built-ins (``"module:Class"`` strings, imported on first use), entry points of
    ``alignment_study.<group>``, and classes registered in-process with :meth:`register`. Each class carries a
    ``name`` equal to the name it is registered under."""

    def __init__(self, group: str, kind: str, builtin: dict[str, str]):
        self.group, self.kind, self.builtin = group, kind, dict(builtin)
        self.registered: dict[str, type] = {}

    def register(self, cls: type) -> type:
        """Class decorator for in-process registration (tests, notebooks)."""
        self.registered[cls.name] = cls
        return cls

    def targets(self) -> dict[str, Any]:
        return {**self.builtin, **plugin_entry_points(self.group), **self.registered}

    def known(self) -> list[str]:
        return sorted(self.targets())

    def load(self, name: str) -> type:
        from study.errors import UnknownNameError

        target = self.targets().get(name)
        if target is None:
            raise UnknownNameError(self.kind, name, self.known())
        if isinstance(target, str):
            module, _, attr = target.partition(":")
            cls = getattr(__import__(module, fromlist=[attr]), attr)
        elif isinstance(target, type):
            cls = target
        else:
            cls = load_plugin(target, self.group)
        if getattr(cls, "name", None) != name:
            raise ConfigError(f"{self.kind} entry point {name!r} loads {cls!r} whose name is {getattr(cls, 'name', None)!r}; make them equal")
        return cls
