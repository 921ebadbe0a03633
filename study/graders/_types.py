"""The grading interface every grader implements."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence, runtime_checkable

from study.backends.base import ChatBackend as ChatBackend  # the one chat-backend Protocol, re-exported
from study.errors import DataError
from study.types import Conversation


@dataclass(frozen=True)
class GradeRequest:
    """One answer to grade, with whatever references the grader may use."""

    prompt: Conversation
    response: str
    rubric: tuple[str, ...] = ()
    good: str | None = None
    bad: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not isinstance(self.response, str):
            raise DataError(f"GradeRequest.response must be str, got {type(self.response).__name__}")
        if isinstance(self.rubric, str) or not all(isinstance(r, str) for r in self.rubric):
            raise DataError("GradeRequest.rubric must be a tuple of strings (one per rubric line)")
        for m in self.prompt:
            if not isinstance(m, dict) or not isinstance(m.get("content"), str):
                raise DataError(f"GradeRequest.prompt: bad message {m!r}; need dicts with role and str content")

    @property
    def last_user(self) -> str:
        """Content of the last user turn (what the response answers); '' when none."""
        for m in reversed(self.prompt):
            if m.get("role") == "user":
                return m["content"]
        return ""

    def digest(self) -> str:
        """Stable content hash, used as a cache key."""
        payload = json.dumps(
            [self.prompt, self.response, list(self.rubric), self.good, self.bad, self.meta],
            sort_keys=True, default=str, ensure_ascii=False,
        )
        return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Grade:
    """A score in [0, 1] and the evidence behind it (JSON-able)."""

    score: float
    detail: dict[str, Any]

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValueError(f"Grade.score must lie in [0, 1], got {self.score}")


@runtime_checkable
class Grader(Protocol):
    name: str

    def grade(self, requests: Sequence[GradeRequest]) -> list[Grade]: ...
