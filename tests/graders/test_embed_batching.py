"""Token-budget batching gives the same vectors as SentenceTransformer.encode, independent of batch companions."""

import numpy as np
import pytest

from study.graders._embed import MiniLMEmbedder, encode_token_budget, load_minilm

TEXTS = ["Short.", "A somewhat longer sentence about gardening and the weather in spring.",
         "I can't help with that, but here is what I can do instead: " + "detail " * 60, "", "Hello there"]


def test_token_budget_matches_sentence_transformers(minilm):
    model = load_minilm()
    ref = model.encode(TEXTS, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    got = encode_token_budget(model, TEXTS, max_tokens=64)   # tiny budget: many batches
    assert got.shape == ref.shape
    assert np.abs(got - ref).max() < 1e-5
    assert np.allclose(np.linalg.norm(got, axis=1), 1.0, atol=1e-5)


def test_embedding_does_not_depend_on_batch_companions(minilm):
    model = load_minilm()
    alone = encode_token_budget(model, [TEXTS[1]])[0]
    together = encode_token_budget(model, TEXTS)[1]
    assert np.abs(alone - together).max() < 1e-5


def test_threads_setting_is_restored_and_paths_agree(minilm):
    import torch

    before = torch.get_num_threads()
    one = MiniLMEmbedder(threads=1).encode(TEXTS)
    assert torch.get_num_threads() == before
    st = MiniLMEmbedder(batching="sentence-transformers").encode(TEXTS)
    assert np.abs(one - st).max() < 1e-5


def test_auto_threads_follow_the_load_average(monkeypatch):
    import os

    emb = MiniLMEmbedder(threads="auto")
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    monkeypatch.setattr(os, "getloadavg", lambda: (5.0, 5.0, 5.0))
    assert emb.resolved_threads() == 1
    monkeypatch.setattr(os, "getloadavg", lambda: (0.5, 0.5, 0.5))
    assert emb.resolved_threads() is None
    assert MiniLMEmbedder(threads=2).resolved_threads() == 2


@pytest.mark.parametrize("kw, match", [({"batching": "nope"}, "batching must be"), ({"threads": 0}, "threads must"),
                                       ({"threads": "many"}, "threads must")])
def test_bad_embedder_arguments(kw, match):
    with pytest.raises(ValueError, match=match):
        MiniLMEmbedder(**kw)
