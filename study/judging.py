"""Grading that pays for itself: every grader call is charged to a ledger.

Local graders (the MiniLM-based offline graders) cost 2·N_grader FLOPs per
token they encode; we charge the tokens of the response and the last user
turn of each request (reference answers and rubric lines repeat across
requests and are cached by the embedder, so they are not charged again).
LLM judges running through a backend are charged by that backend itself
(local: ``judge`` FLOPs; API: tokens), so this wrapper adds nothing for them.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Callable, Sequence

from study.compute import Ledger
from study.graders import Grade, GradeRequest, get_grader


@lru_cache(maxsize=1)
def minilm_non_embedding_params() -> int:
    from study.graders import load_minilm
    from study.models import non_embedding_params

    return non_embedding_params(load_minilm()[0].auto_model)


class ChargedGrader:
    """Wraps a grader; ``count_tokens`` turns text into a token count for the ledger."""

    def __init__(self, name: str, ledger: Ledger | None, count_tokens: Callable[[str], int], **config):
        self.inner = get_grader(name, **config)
        self.name = self.inner.name
        self.ledger = ledger
        self.count_tokens = count_tokens
        self.local_encoder = name not in ("llm-judge", "llm-refusal")

    def grade(self, requests: Sequence[GradeRequest]) -> list[Grade]:
        grades = self.inner.grade(requests)
        if self.ledger is not None and self.local_encoder and requests:
            tokens = sum(self.count_tokens(r.response) + self.count_tokens(_last_user(r.prompt)) for r in requests)
            self.ledger.charge_forward("judge", tokens, params=minilm_non_embedding_params())
        return grades


def _last_user(conversation: Sequence[dict]) -> str:
    return next((m["content"] for m in reversed(conversation) if m.get("role") == "user"), "")
