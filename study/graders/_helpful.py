"""Generic helpfulness without a rubric: the control reward that ignores the scenario's rubric.

    relevance = ramp(cos(response, last user turn), relevance_low, relevance_high)
    length    = ramp(words, min_words, ideal_min)       (words <= ideal_max)
              = ideal_max / words                        (longer answers, gently)
    score     = (relevance_weight * relevance + (1 - relevance_weight) * length)
                * (1 - refusal_score) * penalty

``penalty`` is the shared empty/degenerate/repetition/echo factor. A refusal
scores near 0 whatever its quality: this grader rewards engagement, which is
exactly what the "same prompts, generic reward" ablation needs.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Sequence

from study.graders._base import build_nested, check, ramp
from study.graders._engagement import EngagementGraderBase
from study.graders._penalties import PenaltyConfig
from study.graders._refusal import RefusalConfig
from study.graders._types import Grade, GradeRequest


@dataclass(frozen=True)
class HelpfulnessConfig:
    relevance_weight: float = 0.6
    relevance_low: float = 0.1
    relevance_high: float = 0.5
    min_words: int = 3
    ideal_min: int = 25
    ideal_max: int = 300
    refusal: RefusalConfig = field(default_factory=RefusalConfig)
    penalties: PenaltyConfig = field(default_factory=PenaltyConfig)

    def __post_init__(self) -> None:
        name = GenericHelpfulnessGrader.name
        build_nested(self, name)
        check(0.0 <= self.relevance_weight <= 1.0, name, "relevance_weight must be in [0, 1]")
        check(-1.0 <= self.relevance_low < self.relevance_high <= 1.0, name,
              "need -1 <= relevance_low < relevance_high <= 1")
        check(0 <= self.min_words < self.ideal_min <= self.ideal_max, name,
              "need 0 <= min_words < ideal_min <= ideal_max")
        self.penalties.validate(name)


class GenericHelpfulnessGrader(EngagementGraderBase):
    """Score 1.0 = on-topic, adequately long, not a refusal, not degenerate."""

    name = "helpfulness"
    config_class = HelpfulnessConfig

    def length_score(self, n: int) -> float:
        c = self.config
        if n > c.ideal_max:
            return c.ideal_max / n
        return ramp(n, c.min_words, c.ideal_min)

    def grade(self, requests: Sequence[GradeRequest]) -> list[Grade]:
        c = self.config
        out = []
        for e in self.engagement(requests):
            length = self.length_score(e.words)
            base = c.relevance_weight * e.relevance + (1 - c.relevance_weight) * length
            score = min(1.0, max(0.0, base * (1.0 - e.refusal.score) * e.penalty))
            out.append(Grade(score, {
                "relevance_similarity": round(e.relevance_similarity, 4), "relevance": round(e.relevance, 4),
                "words": e.words, "length": round(length, 4), "refusal_score": round(e.refusal.score, 4),
                "penalty": round(e.penalty, 4), "flags": e.flags,
            }))
        return out
