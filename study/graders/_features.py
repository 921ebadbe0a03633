"""Features of a (request, response) pair for the learned grader heads.

    x = [ e(head) | e(head) * e(request) | cos(head, request) | rule features ]

``e`` is the shared MiniLM embedding (batched, cached); ``head`` is the
opening of the response (``head_chars`` characters, stored in each head file
and chosen per head by cross-validation on the tuning rows): refusals,
deflections and compliance announce themselves there, and encoding a short
prefix keeps batched scoring fast. The request term lets a head tell an answer that
deflects to another topic from one that complies. Rule features are the
refusal phrase rules of ``_patterns`` counted over the response's clauses
(regex only, no model).
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from study.graders._embed import Embedder
from study.graders._text import words

HEAD_CHARS = 400
REQUEST_CHARS = 400
RULE_FEATURES = ("refusal_first", "refusal_any", "redirect_any", "offer_any", "disclaimer_any", "apology_first",
                 "noncontent_share", "log_words", "quoted_share", "empty", "short")


def head_of(text: str, chars: int = HEAD_CHARS) -> str:
    return text.strip()[:chars]


def rule_features(text: str) -> list[float]:
    from study.graders._refusal import classify, clauses, normalise

    if not text.strip():
        return [0.0] * (len(RULE_FEATURES) - 2) + [1.0, 1.0]
    body, quoted = normalise(text)
    rows = [(classify(cl)[0], len(words(cl))) for cl in clauses(body)]
    kinds = [k for k, _ in rows]
    total = sum(n for _, n in rows) or 1
    noncontent = sum(n for k, n in rows if k != "content")
    n_words = len(words(text))
    return [
        float("refusal" in kinds[:2]), float("refusal" in kinds), float("redirect" in kinds),
        float("offer" in kinds), float("disclaimer" in kinds), float("apology" in kinds[:2]),
        noncontent / total, math.log1p(n_words) / 6.0, min(1.0, quoted / max(1, n_words)), 0.0,
        float(n_words < 8),
    ]


def pair_features(requests: Sequence[str], responses: Sequence[str], embedder: Embedder,
                  head_chars: int = HEAD_CHARS) -> np.ndarray:
    """(n, 2 * d + 1 + len(RULE_FEATURES)) float32 feature matrix; two batched encodes."""
    if len(requests) != len(responses):
        raise ValueError("pair_features: requests and responses differ in length")
    if not responses:
        return np.zeros((0, 0), dtype=np.float32)
    e_resp = embedder.encode([head_of(r, head_chars) or " " for r in responses])
    e_req = embedder.encode([q.strip()[:REQUEST_CHARS] or " " for q in requests])
    has_req = np.array([[1.0 if q.strip() else 0.0] for q in requests], dtype=np.float32)
    prod = e_resp * e_req * has_req
    cos = prod.sum(axis=1, keepdims=True)
    rules = np.array([rule_features(r) for r in responses], dtype=np.float32)
    return np.hstack([e_resp, prod, cos, rules]).astype(np.float32)
