"""The one interface every method, grader, benchmark and generator uses to talk to a model.

:class:`ChatBackend` is the only chat-backend Protocol in the project (graders
and the trait scenario generator import it from here). A backend may also carry
a ``name`` attribute, used in error messages; it is not required.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

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
    """Batched chat generation: one reply per conversation, in order; greedy when ``temperature`` is 0, and ``seed``
    makes sampled generation reproducible.

    Callers pass ``max_new_tokens, temperature, seed`` (positionally or by name); ``top_p`` is optional.
    Implementations refuse ``max_new_tokens < 1`` with :func:`check_max_new_tokens`.
    """

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
    """A backend that can also score answer options by log-likelihood (local models, served policies)."""

    def score_options(
        self, conversations: Sequence[Conversation], options: Sequence[Sequence[str]]
    ) -> list[list[OptionScore]]: ...


def check_max_new_tokens(max_new_tokens: int) -> None:
    if max_new_tokens < 1:
        raise ValueError(f"max_new_tokens must be >= 1, got {max_new_tokens}")
