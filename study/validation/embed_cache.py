"""A disk cache in front of the shared embedder for training and validation runs.

Re-running ``python -m study.validation.train`` re-encodes the same few
thousand texts; this keeps their MiniLM vectors in one ``.npz`` keyed by the
text's sha256 (numbers only: no text is stored), one file per encoder precision. Used only by the validation
tools, never by graders at run time.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Sequence

import numpy as np

from study.external.fetch import resolve_cache_dir


def _key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class DiskCachedEmbedder:
    def __init__(self, inner, path: Path | None = None):
        self.inner = inner
        precision = getattr(inner, "resolved_precision", lambda: "fp32")()
        suffix = "" if precision == "fp32" else f"-{precision}"
        self.path = path or resolve_cache_dir().parent / f"minilm-embeddings{suffix}.npz"
        self._store: dict[str, np.ndarray] = {}
        if self.path.is_file():
            with np.load(self.path) as z:
                self._store = {k: z[k] for k in z.files}
        self._dirty = False

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        keys = [_key(t) for t in texts]
        missing = list(dict.fromkeys((k, t) for k, t in zip(keys, texts) if k not in self._store))
        if missing:
            vecs = self.inner.encode([t for _, t in missing])
            for (k, _), v in zip(missing, vecs):
                self._store[k] = np.asarray(v, dtype=np.float32)
            self._dirty = True
            self.save()
        if not keys:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack([self._store[k] for k in keys])

    def save(self) -> None:
        if self._dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(self.path.stem + ".tmp.npz")
            np.savez(tmp, **self._store)
            tmp.replace(self.path)
            self._dirty = False
