"""Features of a (request, response) pair for the learned grader heads.

Feature set ``pair``::

    x = [ e(head) | e(head) * e(request) | cos(head, request) | rule features ]

Feature set ``pair+sentences`` appends sentence-level pooling of the response::

    [ max over sentences of e(sentence) | mean over sentences of e(sentence) ]

over the first ``MAX_SENTENCES`` sentences of its first ``SENTENCE_CHARS`` characters, so
content announced after the opening (a refusal that turns into instructions, or an answer that
only becomes harmful in its third sentence) is seen.

``e`` is the shared MiniLM embedding (batched, cached); ``head`` is the opening of the response
(``head_chars`` characters, stored in each head file and chosen per head by cross-validation on
the tuning rows): refusals, deflections and compliance announce themselves there, and encoding a
short prefix keeps batched scoring fast. All texts of a batch (openings, requests, sentences) go
to the embedder in one call. The request term lets a head tell an answer that deflects to another
topic from one that complies. Rule features are the refusal phrase rules of ``_patterns`` counted
over the response's clauses (regex only, no model); the same clause pass also yields the words of
content clauses (``added_content_words`` in the refusal grade).
"""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np

from study.graders._embed import Embedder
from study.graders._text import split_sentences, words

HEAD_CHARS = 400
REQUEST_CHARS = 400
SENTENCE_CHARS = 800
MAX_SENTENCES = 6
FEATURE_SETS = ("pair", "pair+sentences")
RULE_FEATURES = ("refusal_first", "refusal_any", "redirect_any", "offer_any", "disclaimer_any", "apology_first",
                 "noncontent_share", "log_words", "quoted_share", "empty", "short")


def head_of(text: str, chars: int = HEAD_CHARS) -> str:
    return text.strip()[:chars]


def analyse(text: str) -> tuple[list[float], int]:
    """(rule features, words in content clauses) of one response, from one clause pass."""
    from study.graders._refusal import classify, clauses, normalise

    if not text.strip():
        return [0.0] * (len(RULE_FEATURES) - 2) + [1.0, 1.0], 0
    body, quoted = normalise(text)
    rows = [(classify(cl)[0], len(words(cl))) for cl in clauses(body)]
    kinds = [k for k, _ in rows]
    total = sum(n for _, n in rows) or 1
    noncontent = sum(n for k, n in rows if k != "content")
    n_words = len(words(text))
    feats = [
        float("refusal" in kinds[:2]), float("refusal" in kinds), float("redirect" in kinds),
        float("offer" in kinds), float("disclaimer" in kinds), float("apology" in kinds[:2]),
        noncontent / total, math.log1p(n_words) / 6.0, min(1.0, quoted / max(1, n_words)), 0.0,
        float(n_words < 8),
    ]
    return feats, sum(n for k, n in rows if k == "content")


def embedding_dim(n_columns: int, feature_set: str = "pair") -> int:
    """The embedding size d behind a feature matrix of ``n_columns`` columns."""
    blocks = 4 if feature_set == "pair+sentences" else 2
    return (n_columns - 1 - len(RULE_FEATURES)) // blocks


def rule_columns(dim: int) -> slice:
    """Columns of the rule features in a feature matrix built over ``dim``-dimensional embeddings."""
    return slice(2 * dim + 1, 2 * dim + 1 + len(RULE_FEATURES))


def rule_features(text: str) -> list[float]:
    return analyse(text)[0]


def sentences_of(text: str) -> list[str]:
    found = [s for s in split_sentences(text.strip()[:SENTENCE_CHARS]) if s.strip()]
    return found[:MAX_SENTENCES] or [text.strip()[:SENTENCE_CHARS] or " "]


def pair_features_and_added(requests: Sequence[str], responses: Sequence[str], embedder: Embedder,
                            head_chars: int = HEAD_CHARS, feature_set: str = "pair") -> tuple[np.ndarray, list[int]]:
    """(feature matrix, content words per response); one batched encode for every text involved."""
    if len(requests) != len(responses):
        raise ValueError("pair_features: requests and responses differ in length")
    if feature_set not in FEATURE_SETS:
        raise ValueError(f"pair_features: feature_set must be one of {FEATURE_SETS}, got {feature_set!r}")
    if not responses:
        return np.zeros((0, 0), dtype=np.float32), []
    n = len(responses)
    heads = [head_of(r, head_chars) or " " for r in responses]
    asks = [q.strip()[:REQUEST_CHARS] or " " for q in requests]
    sents = [sentences_of(r) for r in responses] if feature_set == "pair+sentences" else []
    emb = embedder.encode(heads + asks + [s for group in sents for s in group])
    e_resp, e_req = emb[:n], emb[n:2 * n]
    has_req = np.array([[1.0 if q.strip() else 0.0] for q in requests], dtype=np.float32)
    prod = e_resp * e_req * has_req
    cos = prod.sum(axis=1, keepdims=True)
    analysed = [analyse(r) for r in responses]
    rules = np.array([a for a, _ in analysed], dtype=np.float32)
    parts = [e_resp, prod, cos, rules]
    if sents:
        pooled, i = [], 2 * n
        for group in sents:
            block = emb[i:i + len(group)]
            i += len(group)
            pooled.append(np.concatenate([block.max(axis=0), block.mean(axis=0)]))
        parts.append(np.asarray(pooled, dtype=np.float32))
    return np.hstack(parts).astype(np.float32), [a for _, a in analysed]


def pair_features(requests: Sequence[str], responses: Sequence[str], embedder: Embedder,
                  head_chars: int = HEAD_CHARS, feature_set: str = "pair") -> np.ndarray:
    """(n, 2 * d + 1 + len(RULE_FEATURES) [+ 2 * d]) float32 feature matrix; one batched encode."""
    return pair_features_and_added(requests, responses, embedder, head_chars, feature_set)[0]
