"""User benchmarks from a JSONL file, without writing code.

The first line describes the benchmark, every other line is one item::

    {"benchmark": {"name": "my-bench", "scoring": "mc", "category": "sycophancy",
                   "trait": "non-sycophancy", "domain": "science", "distribution": "held_out",
                   "description": "...", "source": "my lab", "licence": "CC-BY-4.0"}}
    {"id": "q1", "prompt": "Is the Moon made of cheese?", "options": ["No", "Yes"], "answer": 0}
    {"id": "q2", "messages": [{"role": "user", "content": "..."}], "target": {"should_refuse": false}, "cluster": "t1"}

Item fields: ``id`` (required, unique), ``prompt`` (a single user turn) or
``messages``, optional ``system``, ``cluster`` (defaults to the id),
``options`` + ``answer`` for ``mc``, ``target`` for the other scorers (see
``study.scoring``), ``harmful`` (default false). Register files with
``evaluation.user_benchmarks`` in a study config, ``--benchmark-file`` on
``study eval``, or the ``ALIGNMENT_STUDY_BENCHMARKS`` environment variable
(paths separated by ``:``).
"""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path

from study.benchmarks.registry import BenchmarkSpec, all_benchmarks, register_benchmark
from study.errors import ConfigError, DataError
from study.types import Item

META_FIELDS = {"name", "scoring", "category", "trait", "domain", "distribution", "description", "source", "licence", "scoring_config", "harmful"}
ITEM_FIELDS = {"id", "prompt", "messages", "system", "cluster", "options", "answer", "target", "harmful"}


def jsonl_benchmark_spec(path: Path) -> BenchmarkSpec:
    """The benchmark a JSONL file describes, without registering it (its name must not clash with a registered one)."""
    path = Path(path)
    meta = _read_meta(path)
    existing = all_benchmarks().get(meta["name"])
    if existing is not None and existing.source == f"file:{path}":
        return existing
    if existing is not None:
        raise ConfigError(f"{path}: benchmark name {meta['name']!r} is already registered ({existing.source}); rename it")
    scoring = meta.pop("scoring")
    category = meta.pop("category")
    name = meta.pop("name")
    meta.pop("source", None)
    return BenchmarkSpec(name=name, loader=partial(load_items, path), scoring=scoring, category=category, source=f"file:{path}",
                         **{k: v for k, v in meta.items()})


def register_jsonl_benchmark(path: Path) -> BenchmarkSpec:
    """Register a JSONL file's benchmark process-wide (``study benchmarks``, ``ALIGNMENT_STUDY_BENCHMARKS``)."""
    spec = jsonl_benchmark_spec(path)
    register_benchmark(spec)
    return spec


def _read_meta(path: Path) -> dict:
    try:
        first = path.open(encoding="utf-8").readline()
    except OSError as exc:
        raise DataError(f"cannot read benchmark file {path}: {exc.strerror}") from None
    try:
        meta = json.loads(first)["benchmark"]
    except (ValueError, KeyError, TypeError):
        raise DataError(f"{path}:1: first line must be {{\"benchmark\": {{\"name\": ..., \"scoring\": ..., \"category\": ...}}}}") from None
    unknown = set(meta) - META_FIELDS
    if unknown:
        raise DataError(f"{path}:1: unknown benchmark field {sorted(unknown)[0]!r}; allowed: {', '.join(sorted(META_FIELDS))}")
    for key in ("name", "scoring", "category"):
        if not isinstance(meta.get(key), str) or not meta[key]:
            raise DataError(f"{path}:1: benchmark field {key!r} is required (a non-empty string)")
    from study.scoring import known_scorers

    if meta["scoring"] not in known_scorers():
        raise DataError(f"{path}:1: scoring {meta['scoring']!r} unknown; use one of {', '.join(sorted(known_scorers()))}")
    return dict(meta)


def load_items(path: Path) -> list[Item]:
    items, seen = [], set()
    scoring = _read_meta(path)["scoring"]
    for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines()[1:], start=2):
        if not line.strip():
            continue
        where = f"{path}:{lineno}"
        try:
            row = json.loads(line)
        except ValueError:
            raise DataError(f"{where}: not valid JSON; each line must be one JSON object") from None
        if not isinstance(row, dict):
            raise DataError(f"{where}: each line must be a JSON object")
        unknown = set(row) - ITEM_FIELDS
        if unknown:
            raise DataError(f"{where}: unknown item field {sorted(unknown)[0]!r}; allowed: {', '.join(sorted(ITEM_FIELDS))}")
        if not isinstance(row.get("id"), str) or row["id"] in seen:
            raise DataError(f"{where}: item needs a unique string 'id'")
        seen.add(row["id"])
        if ("prompt" in row) == ("messages" in row):
            raise DataError(f"{where}: give exactly one of 'prompt' (a user turn) or 'messages'")
        messages = row.get("messages") or [{"role": "user", "content": row["prompt"]}]
        if row.get("system"):
            messages = [{"role": "system", "content": row["system"]}] + list(messages)
        if scoring == "mc" and (not row.get("options") or not isinstance(row.get("answer"), int)):
            raise DataError(f"{where}: an mc item needs 'options' (list) and 'answer' (index of the correct option)")
        try:
            items.append(Item(id=row["id"], messages=tuple(messages), cluster=str(row.get("cluster", row["id"])),
                              options=tuple(row.get("options", ())), answer=row.get("answer"),
                              target=dict(row.get("target", {})), harmful=bool(row.get("harmful", False))))
        except (ValueError, TypeError) as exc:
            raise DataError(f"{where}: {exc}") from None
    if not items:
        raise DataError(f"{path}: no items after the benchmark line")
    return items
