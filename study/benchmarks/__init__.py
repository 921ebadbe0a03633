"""The shared benchmark battery.

``load_registry()`` imports the project's own benchmarks, the external ones
(data read offline from PyPI archives) and any module registered under the
``alignment_study.benchmarks`` entry-point group, then returns the registry.
"""

from __future__ import annotations

import importlib
import os
from importlib.metadata import entry_points
from pathlib import Path

from study.benchmarks.registry import BenchmarkSpec, all_benchmarks, benchmark, get_benchmark, register_benchmark

GROUP = "alignment_study.benchmarks"
USER_ENV = "ALIGNMENT_STUDY_BENCHMARKS"
_LOADED = False


def load_registry() -> dict[str, BenchmarkSpec]:
    global _LOADED
    if not _LOADED:
        importlib.import_module("study.benchmarks.own")
        importlib.import_module("study.benchmarks.external")
        for ep in entry_points(group=GROUP):
            ep.load()
        _LOADED = True
        from study.benchmarks.jsonl import register_jsonl_benchmark

        for path in filter(None, os.environ.get(USER_ENV, "").split(os.pathsep)):
            register_jsonl_benchmark(Path(path))
    return all_benchmarks()


__all__ = ["BenchmarkSpec", "all_benchmarks", "benchmark", "get_benchmark", "load_registry", "register_benchmark"]
