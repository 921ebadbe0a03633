"""Principle-conditioned preferences from the offline rubric grader (the ``offline`` judge kind).

The two answers are graded against the principle as a one-line rubric (the
principle's text and its comparison question) by the same MiniLM rubric
grader trait-RL's rewards come from; the soft label is
``sigmoid((score_A - score_B) / temperature)``. It writes no critiques (the
policy writes those); it only judges, so the constitution arm and trait-RL
learn from one judge when the study's ``judge:`` is ``offline``.
"""

from __future__ import annotations

import math
from typing import Sequence

from methods.constitution.feedback import Feedback
from study.graders import GradeRequest
from study.judging import ChargedGrader

DEFAULT_TEMPERATURE = 0.05  # the rubric grader's own reference temperature: a 0.05 score gap is a 73/27 preference


class OfflineFeedback(Feedback):
    def __init__(self, ledger, count_tokens, temperature: float = DEFAULT_TEMPERATURE):
        self.backend = None
        self.scores = True
        self.grader = ChargedGrader("rubric-offline", ledger, count_tokens)
        self.temperature = temperature

    def generate(self, conversations, max_new_tokens, temperature, seed):
        raise TypeError("the offline judge only compares answers; critiques and revisions are written by the policy")

    def p_first(self, requests: Sequence[tuple]) -> list[float]:
        if not requests:
            return []
        grade_requests = []
        for principle, ctx, a, b in requests:
            rubric = (principle.text, principle.comparison_question)
            grade_requests += [GradeRequest(prompt=list(ctx), response=a, rubric=rubric),
                               GradeRequest(prompt=list(ctx), response=b, rubric=rubric)]
        grades = self.grader.grade(grade_requests)
        out = []
        for i in range(0, len(grades), 2):
            gap = (float(grades[i].score) - float(grades[i + 1].score)) / self.temperature
            out.append(1.0 / (1.0 + math.exp(-max(min(gap, 50.0), -50.0))))
        return out
