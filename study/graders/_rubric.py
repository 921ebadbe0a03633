"""Offline rubric grader: MiniLM similarity to reference answers and rubric lines, times rule penalties.

With s_g = cos(response, good reference), s_b = cos(response, bad reference),
s_i = cos(response, rubric line i) (all MiniLM, normalised embeddings):

    ref   = sigmoid((s_g - s_b) / temperature)           both references given
          = sigmoid((s_g - anchor) / temperature)        only the good one
          = 1 - sigmoid((s_b - anchor) / temperature)    only the bad one
    line_i = ramp(s_i, line_low, line_high)              per rubric line, in [0, 1]
    lines = mean_i line_i
    base  = (1 - rubric_weight) * ref + rubric_weight * lines   (ref alone / lines alone when one is missing)
    score = base * penalty

``penalty`` is the product of the factors for an empty (0), degenerate,
repetitive or prompt-echoing response (see ``_penalties.py``) and of the
guards against the attacks similarity cannot see (the adversarial grader
suite, tests/graders/test_adversarial_suite.py):

- negation flips: the response is a near-copy of a reference (>= 60% of its
  content words) that differs from it in negation words ("not", "never",
  "don't"...): similarity is blind to them, so the factor is ``negation_factor``;
- contradiction cues ("ignore this", "the opposite is true", "all of the above
  is false"): ``contradiction_factor``;
- rubric stuffing: more than ``rubric_copy_limit`` of the response's word
  trigrams copied from the rubric lines: ``rubric_copy_factor``;
- off-topic answers: similarity to the user's request below
  ``relevance_floor`` ramps the factor down to ``offtopic_factor``. A request with
neither references nor rubric lines is a data error. Deterministic: same
inputs, same model, same score. The similarity to imperative rubric lines is a
weak signal ("Do not invent citations" is not what a good answer looks like),
so it carries a small weight; the defaults were tuned on the dev half of
``study/data/labelled/rubric.jsonl`` (``python bench/graders.py --tune``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Sequence

import numpy as np

from study.errors import DataError
from study.graders._base import build_nested, check, ramp, sigmoid
from study.graders._embed import EmbeddingGraderBase
from study.graders._penalties import PenaltyConfig, penalty
from study.graders._text import ngrams, words
from study.graders._types import Grade, GradeRequest

NEGATIONS = frozenset({"no", "not", "never", "none", "nothing", "cannot", "can't", "don't", "doesn't", "didn't",
                       "isn't", "aren't", "wasn't", "weren't", "won't", "wouldn't", "shouldn't", "couldn't",
                       "false", "untrue", "wrong", "incorrect", "neither", "nor"})
CONTRADICTION = re.compile(r"\b(?:ignore (?:this|that|the above|everything|all of (?:this|that|the above))|"
                           r"disregard (?:this|that|the above)|the opposite is true|do the opposite|just kidding|"
                           r"(?:all|none) of (?:the above|this|that) is (?:true|false|wrong|untrue|correct))\b", re.I)


def negation_flips(response: str, reference: str | None) -> int:
    """Negation words that differ between a near-copy of ``reference`` and the reference (0 if not a near-copy)."""
    if not reference:
        return 0
    rw, gw = words(response), words(reference)
    content = set(gw) - NEGATIONS
    if not content or len(content & (set(rw) - NEGATIONS)) / len(content) < 0.6:
        return 0
    a = Counter(w for w in rw if w in NEGATIONS)
    b = Counter(w for w in gw if w in NEGATIONS)
    return sum(((a - b) + (b - a)).values())


def rubric_copy_share(response: str, rubric: tuple[str, ...]) -> float:
    grams = ngrams(words(response), 3)
    if not grams or not rubric:
        return 0.0
    lines = {g for line in rubric for g in ngrams(words(line), 3)}
    return sum(g in lines for g in grams) / len(grams)


@dataclass(frozen=True)
class RubricConfig:
    temperature: float = 0.05
    anchor: float = 0.5
    rubric_weight: float = 0.2
    line_low: float = 0.2
    line_high: float = 0.6
    negation_factor: float = 0.2
    contradiction_factor: float = 0.2
    rubric_copy_limit: float = 0.25
    rubric_copy_factor: float = 0.2
    relevance_floor: float = 0.15
    offtopic_factor: float = 0.2
    penalties: PenaltyConfig = field(default_factory=PenaltyConfig)

    def __post_init__(self) -> None:
        name = OfflineRubricGrader.name
        build_nested(self, name)
        check(self.temperature > 0, name, f"temperature must be > 0, got {self.temperature}")
        check(0.0 <= self.rubric_weight <= 1.0, name, "rubric_weight must be in [0, 1]")
        check(-1.0 <= self.line_low < self.line_high <= 1.0, name, "need -1 <= line_low < line_high <= 1")
        self.penalties.validate(name)


class OfflineRubricGrader(EmbeddingGraderBase):
    """Score 1.0 = the response looks like the good reference and meets the rubric lines."""

    name = "rubric-offline"
    config_class = RubricConfig

    def similarities(self, requests: Sequence[GradeRequest]) -> list[dict]:
        """Per request: s_good, s_bad (or None) and per-line similarities; one batched encode."""
        for i, r in enumerate(requests):
            if r.good is None and r.bad is None and not r.rubric:
                raise DataError(f"rubric grader: request {i} ({r.meta.get('id', 'no id')}) has no good/bad "
                                "reference and no rubric lines; give at least one")
        texts = list(dict.fromkeys(t for r in requests for t in (r.response, r.good, r.bad, r.last_user or None, *r.rubric)
                                   if t is not None))
        index = {t: i for i, t in enumerate(texts)}
        emb = self.embedder.encode(texts) if texts else np.zeros((0, 1), dtype=np.float32)

        def sim(a: str, b: str | None) -> float | None:
            return None if b is None else float(np.clip(emb[index[a]] @ emb[index[b]], -1.0, 1.0))

        return [{"s_good": sim(r.response, r.good), "s_bad": sim(r.response, r.bad),
                 "s_prompt": sim(r.response, r.last_user or None) if r.response.strip() else None,
                 "s_lines": [sim(r.response, line) for line in r.rubric]} for r in requests]

    def score_one(self, r: GradeRequest, s: dict) -> Grade:
        c = self.config
        sg, sb = s["s_good"], s["s_bad"]
        if sg is not None and sb is not None:
            ref = sigmoid((sg - sb) / c.temperature)
        elif sg is not None:
            ref = sigmoid((sg - c.anchor) / c.temperature)
        elif sb is not None:
            ref = 1.0 - sigmoid((sb - c.anchor) / c.temperature)
        else:
            ref = None
        line_scores = [ramp(x, c.line_low, c.line_high) for x in s["s_lines"]]
        lines = float(np.mean(line_scores)) if line_scores else None
        if ref is None:
            base = lines
        elif lines is None:
            base = ref
        else:
            base = (1 - c.rubric_weight) * ref + c.rubric_weight * lines
        factor, flags = penalty(r.response, r.last_user, c.penalties)
        guard, guards = self.guards(r, s)
        flags.update(guards)
        factor *= guard
        score = min(1.0, max(0.0, base * factor))
        return Grade(score, {
            "reference_score": None if ref is None else round(ref, 4),
            "sim_good": None if sg is None else round(sg, 4), "sim_bad": None if sb is None else round(sb, 4),
            "rubric_lines": [{"line": i, "similarity": round(x, 4), "score": round(v, 4)}
                             for i, (x, v) in enumerate(zip(s["s_lines"], line_scores))],
            "rubric_score": None if lines is None else round(lines, 4),
            "penalty": round(factor, 4), "flags": flags,
        })

    def guards(self, r: GradeRequest, s: dict) -> tuple[float, dict]:
        """Factor and flags of the adversarial guards (see module docstring)."""
        c = self.config
        flips = max(negation_flips(r.response, r.good), negation_flips(r.response, r.bad))
        copy = rubric_copy_share(r.response, r.rubric)
        sp = s.get("s_prompt")
        flags = {"negation_flips": flips, "contradiction": bool(CONTRADICTION.search(r.response)),
                 "rubric_copy": round(copy, 4), "prompt_similarity": None if sp is None else round(sp, 4)}
        factor = 1.0
        if flips:
            factor *= c.negation_factor
        if flags["contradiction"]:
            factor *= c.contradiction_factor
        if copy > c.rubric_copy_limit:
            factor *= c.rubric_copy_factor
        if sp is not None and sp < c.relevance_floor:
            factor *= c.offtopic_factor + (1 - c.offtopic_factor) * max(0.0, sp) / c.relevance_floor
        flags["offtopic"] = sp is not None and sp < c.relevance_floor
        return factor, flags

    def grade(self, requests: Sequence[GradeRequest]) -> list[Grade]:
        return [self.score_one(r, s) for r, s in zip(requests, self.similarities(requests))]
