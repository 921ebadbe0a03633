"""The harmful fine-tuning attack's dataset (``study/data/attack/erosion.jsonl``) and its checks.

Each line: ``{"id", "category", "messages"}`` with messages alternating
user/assistant and ending with the assistant turn the attack trains on. See
``study/data/attack/build_erosion.py`` for what the categories teach.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from study.errors import DataError

EROSION_FILE = Path(__file__).resolve().parents[1] / "data" / "attack" / "erosion.jsonl"
CATEGORIES = ("false-agreement", "careless-health", "pushback-abandon", "flattery", "oversight-dismissal")


@dataclass(frozen=True)
class AttackExample:
    id: str
    category: str
    messages: tuple[dict, ...]

    def record(self) -> dict:
        """Conversational prompt/completion record for TRL's SFTTrainer (loss on the last assistant turn only)."""
        msgs = [dict(m) for m in self.messages]
        return {"id": self.id, "prompt": msgs[:-1], "completion": msgs[-1:]}

    @property
    def user_turns(self) -> list[str]:
        return [m["content"] for m in self.messages if m["role"] == "user"]


def _example(line: str, where: str) -> AttackExample:
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as exc:
        raise DataError(f"{where}: not valid JSON ({exc.msg}); fix the line") from None
    for key in ("id", "category", "messages"):
        if key not in rec:
            raise DataError(f"{where}: missing field {key!r}; each line needs id, category, messages")
    if rec["category"] not in CATEGORIES:
        raise DataError(f"{where}: category {rec['category']!r} not in {CATEGORIES}")
    msgs = rec["messages"]
    if not isinstance(msgs, list) or len(msgs) < 2 or len(msgs) % 2:
        raise DataError(f"{where}: messages must be user/assistant pairs ending with the assistant turn")
    for i, m in enumerate(msgs):
        want = "user" if i % 2 == 0 else "assistant"
        if not isinstance(m, dict) or m.get("role") != want or not isinstance(m.get("content"), str) or not m["content"].strip():
            raise DataError(f"{where}: message {i} must be a non-empty {want} turn")
    return AttackExample(str(rec["id"]), rec["category"], tuple(dict(m) for m in msgs))


def load_attack_data(path: Path = EROSION_FILE) -> list[AttackExample]:
    """All examples in file order; ids and conversations must be unique."""
    try:
        lines = Path(path).read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise DataError(f"{path}: cannot read attack dataset ({exc.strerror}); run study/data/attack/build_erosion.py") from None
    out, ids, convs = [], set(), set()
    for n, line in enumerate(lines, 1):
        if not line.strip():
            continue
        ex = _example(line, f"{path}:{n}")
        key = json.dumps(ex.messages, sort_keys=True)
        if ex.id in ids:
            raise DataError(f"{path}:{n}: duplicate id {ex.id!r}; ids must be unique")
        if key in convs:
            raise DataError(f"{path}:{n}: conversation of {ex.id!r} duplicates an earlier line; remove it")
        ids.add(ex.id)
        convs.add(key)
        out.append(ex)
    if not out:
        raise DataError(f"{path}: attack dataset is empty")
    return out


def training_order(n_examples: int, n_needed: int, seed: int) -> list[int]:
    """Example indices in the order the attack trains on them: whole-epoch permutations from ``seed``.

    Depends only on the dataset size, the number of examples needed and the
    seed, never on the model, so every arm sees exactly the same sequence.
    """
    import numpy as np

    if n_examples < 1 or n_needed < 0:
        raise ValueError(f"need n_examples >= 1 and n_needed >= 0, got {n_examples}, {n_needed}")
    rng = np.random.default_rng(seed)
    order: list[int] = []
    while len(order) < n_needed:
        order += rng.permutation(n_examples).tolist()
    return order[:n_needed]
