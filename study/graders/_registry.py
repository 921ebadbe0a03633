"""Grader registry and the in-memory grade cache.

``@register_grader("name")`` on a class with a ``build(**config)`` classmethod
(or any factory callable) makes it available to ``get_grader(name, **config)``.
Deterministic graders come back wrapped in :class:`CachedGrader`, which keys an
LRU by (grader name, config, request hash); ``config_dict()`` of the built
grader is what the run manifest records.
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from typing import Any, Callable, Sequence

from study.errors import UnknownNameError
from study.graders._types import Grade, Grader, GradeRequest

_REGISTRY: dict[str, Callable[..., Grader]] = {}


def register_grader(name: str):
    """Class decorator: register a grader under ``name`` (a duplicate name is a bug, not a user error)."""

    def deco(obj):
        if name in _REGISTRY and _REGISTRY[name] is not obj:
            raise ValueError(f"grader name {name!r} already registered by {_REGISTRY[name]!r}")
        _REGISTRY[name] = obj
        return obj

    return deco


def _load_plugins() -> None:
    """Graders third parties declare under the entry-point group ``alignment_study.graders`` (a class or factory)."""
    from study.plugins import load_plugin, plugin_entry_points

    for name, ep in plugin_entry_points("graders").items():
        if name not in _REGISTRY:
            _REGISTRY[name] = load_plugin(ep, "graders")


def registered_graders() -> list[str]:
    _load_plugins()
    return sorted(_REGISTRY)


class GradeCache:
    """Thread-safe LRU of grades."""

    def __init__(self, maxsize: int = 100_000):
        self.maxsize = maxsize
        self._data: OrderedDict[tuple, Grade] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: tuple) -> Grade | None:
        with self._lock:
            g = self._data.get(key)
            if g is None:
                self.misses += 1
            else:
                self.hits += 1
                self._data.move_to_end(key)
            return g

    def put(self, key: tuple, grade: Grade) -> None:
        with self._lock:
            self._data[key] = grade
            self._data.move_to_end(key)
            while len(self._data) > self.maxsize:
                self._data.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._data.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._data)


CACHE = GradeCache()


class CachedGrader:
    """Wraps a deterministic grader; only requests not seen before reach it (in one batch)."""

    def __init__(self, inner: Any, cache: GradeCache = CACHE):
        self.inner, self.cache, self.name = inner, cache, inner.name
        cfg = inner.config_dict() if hasattr(inner, "config_dict") else {}
        self._config_key = json.dumps(cfg, sort_keys=True, default=str)

    def config_dict(self) -> dict:
        return self.inner.config_dict() if hasattr(self.inner, "config_dict") else {}

    def grade(self, requests: Sequence[GradeRequest]) -> list[Grade]:
        keys = [(self.name, self._config_key, r.digest()) for r in requests]
        out: list[Grade | None] = [self.cache.get(k) for k in keys]
        todo = list(dict.fromkeys(k for k, g in zip(keys, out) if g is None))
        if todo:
            first = {k: i for i, k in reversed(list(enumerate(keys)))}
            fresh = self.inner.grade([requests[first[k]] for k in todo])
            for k, g in zip(todo, fresh):
                self.cache.put(k, g)
            done = dict(zip(todo, fresh))
            out = [g if g is not None else done[k] for k, g in zip(keys, out)]
        return out  # type: ignore[return-value]


def get_grader(name: str, *, cache: bool = True, **config: Any) -> Grader:
    """Build a registered grader from keyword config; unknown name -> UnknownNameError."""
    if name not in _REGISTRY:
        _load_plugins()
    if name not in _REGISTRY:
        raise UnknownNameError("grader", name, list(_REGISTRY))
    factory = _REGISTRY[name]
    grader = factory.build(**config) if hasattr(factory, "build") else factory(**config)
    if cache and getattr(grader, "deterministic", False):
        return CachedGrader(grader)
    return grader
