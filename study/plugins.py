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
