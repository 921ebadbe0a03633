"""The method plugin interface shared by constitution self-critique, trait-RL and the control.

A method is a name, a typed config dataclass, and ``train``: base model spec +
compute ledger (carrying the arm's FLOP budget) + seed + working directory →
:class:`Checkpoint`. Everything a method needs from outside (generation,
scoring, judging, FLOP counting, TRL glue) comes from ``study/``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable

from study.compute import Ledger


@dataclass(frozen=True)
class Checkpoint:
    """What training produced: a loadable model directory and the files that explain it."""

    path: Path
    kind: str  # "full" or "lora"
    method: str
    seed: int
    artifacts: dict[str, Path] = field(default_factory=dict)
    stats: dict[str, Any] = field(default_factory=dict)


@runtime_checkable
class Method(Protocol):
    name: ClassVar[str]
    config_class: ClassVar[type]

    def estimate_min_flops(self, config: Any, n_params: int) -> float:
        """FLOPs of the smallest complete unit of training (one optimiser step); checked before work starts."""
        ...

    def train(self, base: str, config: Any, ledger: Ledger, seed: int, workdir: Path) -> Checkpoint: ...
