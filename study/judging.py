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


JUDGE_QUALITY_PAIRS = 8


def quality_pairs(n: int = JUDGE_QUALITY_PAIRS, skip: int = 0):
    """Held-out scenarios for judge-quality checks: by id, one trait at a time, after the first ``skip`` (the probe set)."""
    from traits import load_scenarios

    by_trait: dict[str, list] = {}
    for s in sorted(load_scenarios(split="held_out"), key=lambda s: s.id):
        by_trait.setdefault(s.trait, []).append(s)
    ordered, rank = [], 0
    while any(len(v) > rank for v in by_trait.values()):
        ordered += [v[rank] for _, v in sorted(by_trait.items()) if len(v) > rank]
        rank += 1
    return ordered[skip : skip + n]


def _agreement(p_good: Sequence[float], reference: Sequence[float]) -> float:
    """Share of pairs where the judge's preference (P(good) > 0.5) matches the reference's; ties count half."""
    score = 0.0
    for p, r in zip(p_good, reference):
        judged, ref = (p > 0.5) - (p < 0.5), (r > 0.5) - (r < 0.5)
        score += 0.5 if judged == 0 or ref == 0 else float(judged == ref)
    return score / len(p_good) if p_good else float("nan")


def judge_quality(prefers: Callable[[list], list[float]], use: str, ledger: Ledger | None, count_tokens,
                  n_pairs: int = JUDGE_QUALITY_PAIRS, skip: int = 12) -> dict:
    """How often a judge prefers a held-out scenario's good reference answer over its bad one.

    ``prefers(scenarios)`` returns P(good preferred) per scenario for the judge in the role ``use`` (rubric reward or
    preference label). Agreement is reported against the scenario's own label (good beats bad) and against the
    offline rubric grader's preference between the same two answers (the grader trait-RL's default reward uses).
    """
    scenarios = quality_pairs(n_pairs, skip)
    p_good = [float(p) for p in prefers(scenarios)]
    grader = ChargedGrader("rubric-offline", ledger, count_tokens)
    grades = grader.grade([GradeRequest(prompt=s.conversation(), response=a, rubric=s.rubric, good=s.good, bad=s.bad)
                           for s in scenarios for a in (s.good, s.bad)])
    rubric_pref = [1.0 if g.score > b.score else 0.0 if g.score < b.score else 0.5 for g, b in zip(grades[::2], grades[1::2])]
    return {"use": use, "pairs": len(scenarios), "agreement_with_reference": _agreement(p_good, [1.0] * len(p_good)),
            "agreement_with_rubric_grader": _agreement(p_good, rubric_pref), "mean_p_good": sum(p_good) / len(p_good)}
