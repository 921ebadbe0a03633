"""Benchmark registry.

A benchmark is a name, an item source (a zero-argument loader returning
``list[Item]``), a scoring method (a scorer name from ``study.scoring``), and
tags. Register with the :func:`benchmark` decorator; third parties register
through the ``alignment_study.benchmarks`` entry-point group, whose entries are
modules imported for their decorators.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from study.errors import ConfigError, UnknownNameError
from study.types import DISTRIBUTIONS, DOMAINS, Item

ItemLoader = Callable[[], list[Item]]


@dataclass(frozen=True)
class BenchmarkSpec:
    name: str
    loader: ItemLoader
    scoring: str
    category: str
    trait: str = "none"
    domain: str = "general"
    distribution: str = "held_out"
    source: str = "project"
    licence: str = "Apache-2.0 (project)"
    description: str = ""
    harmful: bool = False
    scoring_config: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if self.domain not in DOMAINS:
            raise ConfigError(f"benchmark {self.name!r}: domain {self.domain!r} not in {DOMAINS}")
        if self.distribution not in DISTRIBUTIONS:
            raise ConfigError(f"benchmark {self.name!r}: distribution {self.distribution!r} not in {DISTRIBUTIONS}")

    def items(self) -> list[Item]:
        return self.loader()


_REGISTRY: dict[str, BenchmarkSpec] = {}


def benchmark(name: str, *, scoring: str, category: str, **tags) -> Callable[[ItemLoader], ItemLoader]:
    """Decorator registering ``loader`` as benchmark ``name``."""

    def register(loader: ItemLoader) -> ItemLoader:
        register_benchmark(BenchmarkSpec(name=name, loader=loader, scoring=scoring, category=category, **tags))
        return loader

    return register


def register_benchmark(spec: BenchmarkSpec) -> None:
    if spec.name in _REGISTRY and _REGISTRY[spec.name].loader is not spec.loader:
        raise ConfigError(f"benchmark {spec.name!r} registered twice; pick a unique name")
    _REGISTRY[spec.name] = spec


def get_benchmark(name: str) -> BenchmarkSpec:
    if name not in _REGISTRY:
        raise UnknownNameError("benchmark", name, list(_REGISTRY))
    return _REGISTRY[name]


def all_benchmarks() -> dict[str, BenchmarkSpec]:
    return dict(_REGISTRY)
