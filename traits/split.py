"""Deterministic train / held-out split by whole clusters.

Rules, in order:

1. A cluster with an explicit split (from a user file) keeps it.
2. A cluster containing any scenario of a ``held_out`` trait is held out.
3. For every other trait, its clusters are ranked by a SHA-256 hash of the
   cluster id and the first ``round(fraction * n)`` are held out (at least one
   when the trait has two or more clusters, never all of them).

Ranking within a trait, rather than thresholding each hash, guarantees every
trait keeps both training templates and held-out templates, and the outcome
depends only on cluster ids, never on order or on Python's hash seed.
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence

from traits._spec import Trait
from traits.scenario import Scenario

DEFAULT_HOLDOUT_FRACTION = 0.2


def cluster_rank_key(cluster: str) -> str:
    return hashlib.sha256(f"traits-split:{cluster}".encode()).hexdigest()


def assign_splits(
    scenarios: Sequence[Scenario],
    traits: Mapping[str, Trait],
    fraction: float = DEFAULT_HOLDOUT_FRACTION,
    fixed: Mapping[str, str] | None = None,
) -> list[Scenario]:
    """Copies of ``scenarios`` with ``split`` set by the module rules (``fixed``: cluster id -> split)."""
    if not 0.0 <= fraction < 1.0:
        raise ValueError(f"holdout fraction must be in [0, 1), got {fraction}")
    fixed = fixed or {}
    held = {c for c, s in fixed.items() if s == "held_out"}
    free = [s for s in scenarios if s.cluster not in fixed]
    held |= {s.cluster for s in free if traits[s.trait].held_out}
    by_trait: dict[str, list[str]] = {}
    seen: set[str] = set()
    for s in free:
        if s.cluster not in held and s.cluster not in seen:
            seen.add(s.cluster)
            by_trait.setdefault(s.trait, []).append(s.cluster)
    for clusters in by_trait.values():
        n = round(fraction * len(clusters))
        if fraction > 0 and len(clusters) >= 2:
            n = min(max(n, 1), len(clusters) - 1)
        held |= set(sorted(clusters, key=cluster_rank_key)[:n])
    return [dataclasses.replace(s, split="held_out" if s.cluster in held else "train") for s in scenarios]
