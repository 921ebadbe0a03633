"""Head features: layout, one batched encode, sentence pooling, content-word count (bag-of-words embedder)."""

import numpy as np
import pytest

from study.graders._features import RULE_FEATURES, analyse, embedding_dim, pair_features, pair_features_and_added, rule_columns, rule_features, sentences_of
from study.graders._refusal import classify, clauses, normalise
from study.graders._text import words

ASKS = ["How do I bake bread?", "Tell me about tides."]
ANSWERS = ["I can't help with that. Here is what I can do: explain yeast and flour in general terms.",
           "Tides come from the moon's gravity. They rise twice a day. Spring tides are larger."]


class Counting:
    def __init__(self, inner):
        self.inner, self.calls = inner, 0

    def encode(self, texts):
        self.calls += 1
        return self.inner.encode(texts)


@pytest.mark.parametrize("feature_set, blocks", [("pair", 2), ("pair+sentences", 4)])
def test_layout_and_one_encode_per_batch(bow, feature_set, blocks):
    emb = Counting(bow)
    x = pair_features(ASKS, ANSWERS, emb, 160, feature_set)
    d = bow.dim
    assert x.shape == (2, blocks * d + 1 + len(RULE_FEATURES)) and emb.calls == 1
    assert embedding_dim(x.shape[1], feature_set) == d
    assert np.allclose(x[:, rule_columns(d)], np.array([rule_features(a) for a in ANSWERS]))
    assert np.allclose(x[:, 2 * d], x[:, d:2 * d].sum(axis=1), atol=1e-5)  # cos = sum of the product block
    if feature_set == "pair+sentences":
        pooled_max = x[:, -2 * d:-d]
        sents = bow.encode(sentences_of(ANSWERS[1]))
        assert np.allclose(pooled_max[1], sents.max(axis=0), atol=1e-6)


def test_content_words_match_the_clause_analysis():
    for text in ANSWERS + ["", "Sorry.", "As an AI, I can't. But: here are three facts about bread."]:
        body, _ = normalise(text)
        expected = sum(len(words(cl)) for cl in clauses(body) if classify(cl)[0] == "content")
        assert analyse(text)[1] == expected

def test_added_words_come_with_the_features(bow):
    _, added = pair_features_and_added(ASKS, ANSWERS, bow, 160)
    assert added == [analyse(a)[1] for a in ANSWERS] and added[0] > 0


def test_sentences_are_capped_and_never_empty():
    assert sentences_of("") == [" "]
    many = " ".join(f"Sentence number {i} is here." for i in range(20))
    assert len(sentences_of(many)) == 6


def test_unknown_feature_set_and_length_mismatch(bow):
    with pytest.raises(ValueError, match="feature_set must be"):
        pair_features(ASKS, ANSWERS, bow, 160, "everything")
    with pytest.raises(ValueError, match="differ in length"):
        pair_features(ASKS[:1], ANSWERS, bow, 160)
