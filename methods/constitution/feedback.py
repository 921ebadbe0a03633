"""The feedback model: writes critiques and revisions, and judges answer pairs under a principle.

Judging follows the constitution paper: the comparison prompt ends with the
assistant prefix ``"The answer is: ("`` and the normalised probabilities of
the continuations ``A`` and ``B`` are the soft preference label. A local
backend gives those probabilities through ``score_options`` (the prefix is
part of both options, so it cancels in the normalisation); an API backend
cannot, so its reply is parsed for "(A)" / "(B)" and becomes a hard label
(0.5, i.e. "no preference", when it names neither).
"""

from __future__ import annotations

import math
import random
import re
from dataclasses import dataclass
from typing import Sequence

from constitution import COMPARISON_ANSWER_PREFIX, COMPARISON_LABELS, Constitution, Principle, comparison_messages

_CHOICE = re.compile(r"\(?\b([AB])\b\)?")


def sample_principle_for(constitution: Constitution, seed: int, key: str) -> Principle:
    """The principle for one critique/revision round or one comparison, independent of batching.

    ``key`` names the unit (prompt id, round, pair); a string-seeded generator
    makes the draw reproducible and uniform over the constitution's principles.
    """
    return constitution.sample_principle(random.Random(f"principle:{seed}:{key}"))


def soft_label(logprob_a: float, logprob_b: float) -> float:
    """P(A) after normalising the two options' probabilities (a numerically stable softmax)."""
    return 1.0 / (1.0 + math.exp(logprob_b - logprob_a))


def parse_choice(text: str) -> float:
    """1.0 for an answer naming A, 0.0 for B, 0.5 when the reply names neither."""
    match = _CHOICE.search(text or "")
    if match is None:
        return 0.5
    return 1.0 if match.group(1) == "A" else 0.0


@dataclass(frozen=True)
class Judgement:
    """Preference for answer ``x`` over ``y``: ``p_x`` in [0, 1] after order-debiasing and clamping."""

    p_x: float
    order: str  # "xy": x shown as (A); "yx": x shown as (B)
    p_a: tuple[float, ...]  # raw P(A) of each presentation, primary order first


def label_from_top_logprobs(positions: Sequence[Sequence[tuple[str, float]]]) -> float | None:
    """Soft label P(A) from an API reply's top log-probabilities, or None when no position offers A or B.

    The first generated position whose top tokens include "A" or "B" (after
    stripping spaces and parentheses, so "(A" counts) is read; an option
    missing from the top list gets the smallest listed log-probability, an
    upper bound on its true value (so the label is, if anything, less sure).
    """
    for pos in positions:
        found: dict[str, list[float]] = {}
        for token, logprob in pos:
            key = token.strip().strip("()").strip()
            if key in COMPARISON_LABELS:
                found.setdefault(key, []).append(logprob)
        if found:
            floor = min(lp for _, lp in pos)
            la, lb = (_logsumexp(found[k]) if k in found else floor for k in COMPARISON_LABELS)
            return soft_label(la, lb)
    return None


def _logsumexp(values: Sequence[float]) -> float:
    top = max(values)
    return top + math.log(sum(math.exp(v - top) for v in values))


class Feedback:
    """Wraps a chat backend (local or API); the backend charges the ledger itself.

    Soft labels: a local backend scores the two options; an API backend that
    offers ``generate_with_logprobs`` (OpenAI-compatible) is asked for its
    ``top_logprobs``; any other reply is parsed into a hard label.
    """

    def __init__(self, backend, top_logprobs: int = 5):
        self.backend = backend
        self.scores = hasattr(backend, "score_options")
        self.top_logprobs = top_logprobs if hasattr(backend, "generate_with_logprobs") else 0
        self.hard_labels = 0

    def generate(self, conversations: Sequence[list[dict]], max_new_tokens: int, temperature: float, seed: int) -> list[str]:
        return self.backend.generate(conversations, max_new_tokens=max_new_tokens, temperature=temperature, seed=seed)

    def p_first(self, requests: Sequence[tuple[Principle, list[dict], str, str]]) -> list[float]:
        """P(the answer shown as (A) is better) for each (principle, context, A, B)."""
        if not requests:
            return []
        prompts = [comparison_messages(p, ctx, a, b) for p, ctx, a, b in requests]
        if self.scores:
            options = [COMPARISON_ANSWER_PREFIX + label for label in COMPARISON_LABELS]
            scored = self.backend.score_options([m[:-1] for m in prompts], [options] * len(prompts))
            return [soft_label(s[0].logprob, s[1].logprob) for s in scored]
        if self.top_logprobs:
            replies = self.backend.generate_with_logprobs([m[:-1] for m in prompts], max_new_tokens=3, top_logprobs=self.top_logprobs)
            labels = [label_from_top_logprobs(r["top_logprobs"]) for r in replies]
            self.hard_labels += sum(label is None for label in labels)
            return [parse_choice(r["text"]) if label is None else label for r, label in zip(replies, labels)]
        replies = self.backend.generate([m[:-1] for m in prompts], max_new_tokens=8, temperature=0.0, seed=0)
        self.hard_labels += len(replies)
        return [parse_choice(r) for r in replies]

    def judge(
        self,
        items: Sequence[tuple[Principle, list[dict], str, str]],
        swaps: Sequence[bool],
        both_orders: bool,
        clamp: tuple[float, float] | None = None,
    ) -> list[Judgement]:
        """Preference for x over y in each (principle, context, x, y).

        ``swaps[i]`` shows y first (randomised order cancels position bias over
        the data set); ``both_orders`` also asks with the order reversed and
        averages, which cancels it for each pair.
        """
        primary = [(p, c, y, x) if s else (p, c, x, y) for (p, c, x, y), s in zip(items, swaps)]
        p_a = self.p_first(primary)
        p_a_rev = self.p_first([(p, c, b, a) for p, c, a, b in primary]) if both_orders else [None] * len(items)
        out = []
        for s, pa, pr in zip(swaps, p_a, p_a_rev):
            p_x = (1.0 - pa) if s else pa
            raw = (pa,)
            if pr is not None:
                p_x = (p_x + (pr if s else 1.0 - pr)) / 2.0
                raw = (pa, pr)
            if clamp is not None:
                p_x = min(max(p_x, clamp[0]), clamp[1])
            out.append(Judgement(p_x=p_x, order="yx" if s else "xy", p_a=raw))
        return out
