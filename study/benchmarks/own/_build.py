"""Helpers shared by the project's own procedurally generated benchmarks.

Every benchmark is built from templates x slot values in a fixed order; the only
randomness (option order, which slot value meets which template) comes from a
``random.Random`` seeded by the benchmark name, so two loads give identical items
on every machine and Python version.
"""

from __future__ import annotations

import hashlib
import random
from typing import Any, Iterable, Sequence

from study.types import Item

SEED = 20260101
MIN_ITEMS = 50


def rng_for(name: str) -> random.Random:
    """A generator seeded from the benchmark name (stable across processes, unlike ``hash``)."""
    digest = hashlib.sha256(f"{SEED}:{name}".encode()).hexdigest()
    return random.Random(int(digest[:16], 16))


def msgs(*turns: tuple[str, str]) -> tuple[dict[str, str], ...]:
    return tuple({"role": role, "content": content} for role, content in turns)


def user(content: str, system: str | None = None) -> tuple[dict[str, str], ...]:
    return msgs(("system", system), ("user", content)) if system else msgs(("user", content))


def mc_item(
    item_id: str,
    messages: tuple[dict[str, str], ...],
    cluster: str,
    correct: str,
    wrong: Sequence[str],
    rng: random.Random,
    target: dict[str, Any] | None = None,
) -> Item:
    """A multiple-choice item whose correct option lands at a seeded random position."""
    options = [correct, *wrong]
    rng.shuffle(options)
    return Item(
        id=item_id,
        messages=messages,
        cluster=cluster,
        options=tuple(options),
        answer=options.index(correct),
        target=dict(target or {}),
    )


def lettered(options: Sequence[str]) -> str:
    return "\n".join(f"({chr(65 + i)}) {o}" for i, o in enumerate(options))


def finish(name: str, items: Iterable[Item], minimum: int = MIN_ITEMS) -> list[Item]:
    """Check ids are unique and the count is large enough; a failure here is a bug in the generator."""
    out = list(items)
    ids = [it.id for it in out]
    if len(set(ids)) != len(ids):
        dupes = sorted({i for i in ids if ids.count(i) > 1})[:3]
        raise AssertionError(f"benchmark {name!r}: duplicate item ids {dupes}")
    if len(out) < minimum:
        raise AssertionError(f"benchmark {name!r}: only {len(out)} items, need {minimum}")
    return out


def rubric_target(rubric: Sequence[str], good: str, bad: str) -> dict[str, Any]:
    if not 3 <= len(rubric) <= 4:
        raise AssertionError(f"rubric needs 3-4 lines, got {len(rubric)}: {rubric}")
    return {"rubric": list(rubric), "good": good, "bad": bad}
