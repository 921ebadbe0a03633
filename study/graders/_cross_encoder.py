"""A LoRA-tuned MiniLM cross-encoder over (request, response) pairs: one probability per pair.

The frozen-embedding heads (``_head.py``) see the request and the response's
opening as two separate sentence vectors. A cross-encoder reads both in one
pass (``[CLS] request [SEP] response [SEP]``, up to ``maxlen`` tokens), so it
can follow a long, lecture-style refusal that never uses a stock phrase. It is
the shared all-MiniLM-L6-v2 with LoRA adapters on its attention and
feed-forward projections and one linear output over the mean-pooled tokens.

Stored as two files next to each other: ``<name>.safetensors`` (the adapter and
output weights only, ~1.2 MB; no pickle) and ``<name>.json`` (training
settings, threshold, row hashes and the weights' sha256). At load the adapter is
merged into a private copy of the encoder, so inference costs one plain MiniLM
pass per pair. Training (:func:`fit_pair_classifier`) is deterministic for the
same rows, seed and thread count on the same machine.
"""

from __future__ import annotations

import copy
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import numpy as np

from study.errors import DataError
from study.graders._features import REQUEST_CHARS


@dataclass(frozen=True)
class PairTraining:
    """Settings of one cross-encoder fit (defaults: those cross-validated in docs/grader-validity.md)."""

    maxlen: int = 192
    epochs: int = 4
    rank: int = 8
    lr: float = 5e-4
    batch_size: int = 16
    seed: int = 0
    stack: bool = False   # the refusal head's logit is a further input; the output starts as the head's


def _module(encoder, rank: int, stack: bool = False):
    import torch
    from peft import LoraConfig, get_peft_model

    class PairClassifier(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.bert = get_peft_model(copy.deepcopy(encoder), LoraConfig(
                r=rank, lora_alpha=2 * rank, target_modules=["query", "value", "dense"], lora_dropout=0.1))
            self.out = torch.nn.Linear(encoder.config.hidden_size + int(stack), 1)
            self.stack = stack
            if stack:   # start at the head's own prediction; training learns the correction
                with torch.no_grad():
                    self.out.weight[:, :-1] *= 0.01
                    self.out.weight[:, -1] = 1.0
                    self.out.bias.zero_()

        def forward(self, batch, head_logit=None):
            hidden = self.bert(**batch).last_hidden_state
            mask = batch["attention_mask"].unsqueeze(-1).float()
            pooled = (hidden * mask).sum(1) / mask.sum(1)
            if self.stack:
                pooled = torch.cat([pooled, head_logit.unsqueeze(-1)], dim=1)
            return self.out(pooled).squeeze(-1)

    return PairClassifier()


def _encode(tokenizer, requests: Sequence[str], responses: Sequence[str], maxlen: int) -> list:
    return [tokenizer(q[:REQUEST_CHARS] or " ", r or " ", truncation="only_second", max_length=maxlen)
            for q, r in zip(requests, responses)]


def _logits(head_logits, n: int, stack: bool):
    import torch

    if not stack:
        return torch.zeros(n)
    if head_logits is None or len(head_logits) != n:
        raise ValueError("a stacked cross-encoder needs one head logit per pair")
    return torch.tensor(np.asarray(head_logits, dtype=np.float32))


def fit_pair_classifier(requests: Sequence[str], responses: Sequence[str], labels: Sequence[bool],
                        weights: Sequence[float], settings: PairTraining = PairTraining(), head_logits=None):
    """A trained PairClassifier (torch module in eval mode): weighted BCE, AdamW, shuffled mini-batches.

    With ``settings.stack`` each pair's ``head_logits`` entry (the head's out-of-fold logit, so the model does not
    learn to trust a head that has seen the row) is a further input of the output layer."""
    import torch

    from study.graders._embed import load_minilm

    st = load_minilm()
    tok = st.tokenizer
    enc = _encode(tok, requests, responses, settings.maxlen)
    y = np.asarray(labels, dtype=np.float32)
    w = np.asarray(weights, dtype=np.float32)
    z = _logits(head_logits, len(enc), settings.stack)
    torch.manual_seed(settings.seed)
    rng = np.random.default_rng(settings.seed)
    model = _module(st[0].auto_model, settings.rank, settings.stack)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=settings.lr, weight_decay=0.01)
    for _ in range(settings.epochs):
        model.train()
        order = rng.permutation(len(enc))
        for i in range(0, len(order), settings.batch_size):
            idx = order[i:i + settings.batch_size]
            loss = torch.nn.functional.binary_cross_entropy_with_logits(
                model(tok.pad([enc[j] for j in idx], return_tensors="pt"), z[idx]), torch.tensor(y[idx]),
                weight=torch.tensor(w[idx]))
            opt.zero_grad()
            loss.backward()
            opt.step()
    model.eval()
    return model


def predict(model, requests: Sequence[str], responses: Sequence[str], maxlen: int, batch_size: int = 32,
            head_logits=None) -> np.ndarray:
    """P(positive) per pair; pairs are batched by length so little padding is computed."""
    import torch

    from study.graders._embed import load_minilm

    if not responses:
        return np.zeros(0)
    tok = load_minilm().tokenizer
    enc = _encode(tok, requests, responses, maxlen)
    z = _logits(head_logits, len(enc), model.stack)
    order = sorted(range(len(enc)), key=lambda i: len(enc[i]["input_ids"]))
    out = np.zeros(len(enc))
    with torch.inference_mode():
        for i in range(0, len(order), batch_size):
            idx = order[i:i + batch_size]
            out[idx] = torch.sigmoid(model(tok.pad([enc[j] for j in idx], return_tensors="pt"), z[idx])).double().numpy()
    return out


def trainable_state(model) -> dict:
    return {k: v.detach().contiguous() for k, v in model.named_parameters() if v.requires_grad}


def save_pair_classifier(model, path: Path, meta: dict) -> dict:
    """Write ``path`` (.json) and its .safetensors beside it atomically; returns the meta written."""
    from safetensors.torch import save_file

    path = Path(path)
    weights = path.with_suffix(".safetensors")
    tmp_w, tmp_m = weights.with_suffix(".safetensors.tmp"), path.with_suffix(".json.tmp")
    save_file(trainable_state(model), str(tmp_w))
    doc = {**meta, "weights_file": weights.name, "weights_sha256": hashlib.sha256(tmp_w.read_bytes()).hexdigest()}
    tmp_m.write_text(json.dumps(doc, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    tmp_w.replace(weights)
    tmp_m.replace(path)
    return doc


@dataclass(frozen=True)
class PairModel:
    """A loaded cross-encoder: ``probability(requests, responses)``; ``sha256`` is its meta file's hash."""

    module: object
    meta: dict
    sha256: str

    @property
    def maxlen(self) -> int:
        return int(self.meta["training"]["maxlen"])

    @property
    def stacked(self) -> bool:
        return bool(self.meta["training"].get("stack", False))

    def probability(self, requests: Sequence[str], responses: Sequence[str], head_logits=None) -> np.ndarray:
        return predict(self.module, requests, responses, self.maxlen, head_logits=head_logits)


_CACHE: dict[Path, PairModel] = {}


def load_pair_classifier(path: Path | str) -> PairModel:
    """The cross-encoder stored at ``path``; a missing, altered or malformed file is one DataError line."""
    import torch
    from safetensors import SafetensorError
    from safetensors.torch import load

    from study.graders._embed import load_minilm

    path = Path(path)
    if path in _CACHE:
        return _CACHE[path]
    fix = "retrain with `python -m study.validation.train_cross_encoder`"
    try:
        raw = path.read_bytes()
        meta = json.loads(raw)
        weights = path.with_name(meta["weights_file"]).read_bytes()
        rank, stack = int(meta["training"]["rank"]), bool(meta["training"].get("stack", False))
    except FileNotFoundError as exc:
        raise DataError(f"{exc.filename}: cross-encoder grader file missing; {fix}") from None
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise DataError(f"{path}: malformed cross-encoder grader ({exc}); {fix}") from None
    if hashlib.sha256(weights).hexdigest() != meta.get("weights_sha256"):
        raise DataError(f"{path.with_name(meta['weights_file'])}: weights do not match the sha256 in {path.name}; {fix}")
    try:
        state = load(weights)
    except SafetensorError as exc:
        raise DataError(f"{path.with_name(meta['weights_file'])}: unreadable weights ({exc}); {fix}") from None
    module = _module(load_minilm()[0].auto_model, rank, stack)
    expected = {k: tuple(v.shape) for k, v in trainable_state(module).items()}
    misfit = set(expected) ^ set(state) | {k for k in expected.keys() & state.keys() if tuple(state[k].shape) != expected[k]}
    if misfit:
        raise DataError(f"{path}: weights do not fit the encoder ({len(misfit)} tensors differ); {fix}")
    with torch.no_grad():
        params = dict(module.named_parameters())
        for k, v in state.items():
            params[k].copy_(v)
    module.bert = module.bert.merge_and_unload()
    module.eval()
    model = PairModel(module, meta, hashlib.sha256(raw).hexdigest())
    _CACHE[path] = model
    return model
