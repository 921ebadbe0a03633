import hashlib
import os

import numpy as np
import pytest


class BagOfWordsEmbedder:
    """Deterministic stand-in for MiniLM: hashed bag of words, L2-normalised (fast, no model)."""

    dim = 256

    def encode(self, texts):
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for i, t in enumerate(texts):
            for w in t.lower().replace(".", " ").replace(",", " ").split():
                out[i, int(hashlib.md5(w.encode()).hexdigest(), 16) % self.dim] += 1.0
            n = np.linalg.norm(out[i])
            if n:
                out[i] /= n
        return out


@pytest.fixture
def bow():
    return BagOfWordsEmbedder()


@pytest.fixture(scope="session")
def minilm():
    """The real embedded MiniLM, loaded once per test session."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from study.graders import default_embedder, load_minilm

    load_minilm()
    return default_embedder()
