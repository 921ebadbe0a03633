"""Types shared across the toolkit: chat messages and benchmark items."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Message = dict[str, str]
Conversation = list[Message]

ROLES = ("system", "user", "assistant")
DOMAINS = ("healthcare", "education", "science", "law", "engineering", "general")
DISTRIBUTIONS = ("in_distribution", "held_out")


@dataclass(frozen=True)
class Item:
    """One thing a model is scored on; see docs/contracts.md."""

    id: str
    messages: tuple[Message, ...]
    cluster: str
    options: tuple[str, ...] = ()
    answer: int | None = None
    target: dict[str, Any] = field(default_factory=dict)
    harmful: bool = False

    def __post_init__(self) -> None:
        if not self.messages or self.messages[-1].get("role") != "user":
            raise ValueError(f"item {self.id!r}: messages must end with a user turn")
        for m in self.messages:
            if m.get("role") not in ROLES or not isinstance(m.get("content"), str):
                raise ValueError(f"item {self.id!r}: bad message {m!r}; need role in {ROLES} and str content")
        if self.answer is not None and not 0 <= self.answer < len(self.options):
            raise ValueError(f"item {self.id!r}: answer index {self.answer} outside {len(self.options)} options")

    @property
    def conversation(self) -> Conversation:
        return [dict(m) for m in self.messages]
