"""The one interface every method, grader and benchmark uses to talk to a model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, Sequence, runtime_checkable

from study.types import Conversation


@dataclass(frozen=True)
class OptionScore:
    """Log-likelihood of one answer option given a conversation."""

    logprob: float
    n_tokens: int

    @property
    def mean_logprob(self) -> float:
        return self.logprob / max(self.n_tokens, 1)


@runtime_checkable
class ChatBackend(Protocol):
    """Batched chat generation. ``seed`` makes sampled generation reproducible."""

    name: str

    def generate(
        self,
        conversations: Sequence[Conversation],
        max_new_tokens: int = 64,
        temperature: float = 0.0,
        seed: int = 0,
        top_p: float = 1.0,
    ) -> list[str]: ...


@runtime_checkable
class ScoringBackend(ChatBackend, Protocol):
    """A backend that can also score answer options by log-likelihood (local models)."""

    def score_options(
        self, conversations: Sequence[Conversation], options: Sequence[Sequence[str]]
    ) -> list[list[OptionScore]]: ...
