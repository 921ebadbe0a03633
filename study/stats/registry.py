"""The registry of statistics: each entry computes tables and/or names the report section that shows them.

A statistic is one :class:`Statistic`: a ``name``, a ``compute(ctx) -> {table
name: DataFrame}`` function (each table is written to ``stats/<table>.csv``)
and a ``section`` -- the report section that shows it, given as a
``"module:function"`` path so that the statistics layer never imports the
report layer. ``section(data, figures)`` returns a
:class:`study.report.sections.Section`, a list of them, or None (nothing to
show). Either half may be missing: a report-only section has no ``compute``.

Three ways to add one:

* inside the project: one line in the list at the end of
  :mod:`study.stats.builtin` (which fills :data:`BUILTIN`), e.g.
  ``Statistic("validity", section="study.report.validity:section", order=75)``;
* at run time: :func:`register`;
* from another distribution, without touching this project: an entry point in
  the group ``alignment_study.statistics`` whose object is a ``Statistic``
  (or a zero-argument callable returning one), e.g. in its pyproject.toml::

      [project.entry-points."alignment_study.statistics"]
      my-test = "my_pkg.stats:STATISTIC"

Statistics run in registry order (built-ins, then :func:`register` calls,
then entry points sorted by name); a later one sees the tables of the earlier
ones in ``ctx.tables``. Report sections are ordered by ``order``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points

import numpy as np
import pandas as pd

from study.errors import StudyError

ENTRY_POINT_GROUP = "alignment_study.statistics"
DEFAULT_ORDER = 85   # third-party sections go after Power and before Limitations


class RegistryError(StudyError):
    """A statistic cannot be registered or loaded."""


@dataclass
class AnalysisContext:
    """Everything a statistic may read: the run, its validated items, the panel and shared bootstrap draws."""

    run: object                 # study.stats.io.RunData
    items: pd.DataFrame         # validated per-item table
    panel: object               # study.stats.panel.Panel
    draws: object               # study.stats.bootstrap.BootstrapDraws
    pairs: list[tuple[str, str]]
    rng: np.random.Generator
    n_boot: int
    min_effect: float
    alpha: float
    power: float
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)


@dataclass(frozen=True)
class Statistic:
    name: str
    compute: Callable[[AnalysisContext], dict[str, pd.DataFrame]] | None = None
    section: str | None = None          # "module:function" of the report section
    order: int = DEFAULT_ORDER


BUILTIN: list[Statistic] = []            # filled by study.stats.builtin (add project-level entries there)
_RUNTIME: list[Statistic] = []


def register(stat: Statistic) -> Statistic:
    """Add a statistic for this process (tests, notebooks); a name may be registered once."""
    import study.stats.builtin  # noqa: F401  (fills BUILTIN, so duplicates of built-ins are caught)

    if not isinstance(stat, Statistic):
        raise RegistryError(f"register() takes a study.stats.registry.Statistic, got {type(stat).__name__}")
    if stat.name in {s.name for s in BUILTIN + _RUNTIME}:
        raise RegistryError(f"statistic {stat.name!r} is already registered; pick another name")
    _RUNTIME.append(stat)
    return stat


def unregister(name: str) -> None:
    _RUNTIME[:] = [s for s in _RUNTIME if s.name != name]


def _from_entry_points() -> list[Statistic]:
    out = []
    for ep in sorted(entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name):
        try:
            obj = ep.load()
        except Exception as e:  # a broken plug-in names itself instead of a traceback
            raise RegistryError(f"entry point {ep.name!r} ({ep.value}) in group {ENTRY_POINT_GROUP} failed to load: {e}") from e
        stat = obj() if callable(obj) and not isinstance(obj, Statistic) else obj
        if not isinstance(stat, Statistic):
            raise RegistryError(f"entry point {ep.name!r} ({ep.value}) must be a study.stats.registry.Statistic, "
                                f"got {type(stat).__name__}")
        out.append(stat)
    return out


def statistics() -> list[Statistic]:
    """Every registered statistic in run order; names are unique."""
    import study.stats.builtin  # noqa: F401  (fills BUILTIN)

    out, seen = [], set()
    for stat in BUILTIN + _RUNTIME + _from_entry_points():
        if stat.name in seen:
            raise RegistryError(f"statistic {stat.name!r} is registered twice (built-in, register() or entry point)")
        seen.add(stat.name)
        out.append(stat)
    return out


def resolve_section(path: str) -> Callable:
    """Import ``module:function``; a wrong path is a one-line error naming it."""
    module, _, attr = path.partition(":")
    try:
        return getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as e:
        raise RegistryError(f"report section {path!r} cannot be imported ({e}); use 'package.module:function'") from e
