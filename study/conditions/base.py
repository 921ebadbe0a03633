"""Evaluation conditions: transformations of benchmark items applied before scoring.

A condition is named ``kind`` or ``kind:arg`` (``clean``, ``jailbreak:roleplay``,
``persona:reckless-medic``). Item-transforming kinds return a :class:`Condition`;
the same item under different conditions keeps its id, so scores stay paired
across conditions. Kinds register with :func:`register_condition_kind` or the
entry-point group ``alignment_study.conditions`` (a factory ``arg -> Condition``).
Pipeline kinds (``redteam``, ``finetune``) are not transforms: configs name
conditions through :mod:`study.conditions.spec`, which covers all kinds.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Protocol

import yaml

from study.benchmarks.registry import BenchmarkSpec
from study.errors import DataError, UnknownNameError
from study.types import Item


class Condition(Protocol):
    name: str
    kind: str
    polarity: str | None  # "harmful", "helpful" or None

    def applies_to(self, spec: BenchmarkSpec) -> bool: ...

    def apply(self, item: Item) -> Item: ...


@dataclass(frozen=True)
class Clean:
    name: str = "clean"
    kind: str = "clean"
    polarity: str | None = None

    def applies_to(self, spec: BenchmarkSpec) -> bool:
        return True

    def apply(self, item: Item) -> Item:
        return item


_KINDS: dict[str, Callable[[str], Condition]] = {"clean": lambda arg: Clean()}


def register_condition_kind(kind: str):
    """Decorator registering a factory ``arg -> Condition`` for ``kind:arg``."""

    def deco(factory):
        _KINDS[kind] = factory
        return factory

    return deco


def parse_condition(text: str) -> Condition:
    _load_builtin_kinds()
    kind, _, arg = text.strip().partition(":")
    if kind not in _KINDS:
        raise UnknownNameError("condition kind", kind, list(_KINDS))
    return _KINDS[kind](arg)


def known_condition_kinds() -> list[str]:
    _load_builtin_kinds()
    return sorted(_KINDS)


def _load_builtin_kinds() -> None:
    """Import the built-in kinds, then the factories third parties declare under ``alignment_study.conditions``."""
    import importlib

    from study.plugins import load_plugin, plugin_entry_points

    for module in ("study.conditions.jailbreak", "study.conditions.persona"):
        try:
            importlib.import_module(module)
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
    for name, ep in plugin_entry_points("conditions").items():
        if name not in _KINDS:
            _KINDS[name] = load_plugin(ep, "conditions")


def read_mapping_file(path: Path, what: str, expected: str) -> dict:
    """A non-empty YAML mapping from ``path``; ``what`` and ``expected`` name the file's contents in errors."""
    try:
        doc = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DataError(f"{path}: unreadable {what} file ({type(exc).__name__}); fix the YAML") from None
    if not isinstance(doc, dict) or not doc:
        raise DataError(f"{path}: expected a mapping {expected}")
    return doc
