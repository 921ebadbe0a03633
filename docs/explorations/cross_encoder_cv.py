"""Exploration, not shipped (results in docs/grader-validity.md): can a LoRA-tuned MiniLM cross-encoder over
(request, response) beat the frozen-embedding grader head? Cross-validation on a task's TUNING rows only, with
the head's own id-hash folds and its row weights (refusal: sets balanced, PyRIT objective rows left out, as
the shipped head); prints out-of-fold accuracy per set at the best threshold. Never prints text.

    TASK=harm THREADS=1 python docs/explorations/cross_encoder_cv.py      # ~33 min on one shared core
    TASK=refusal FOLDS=1 python docs/explorations/cross_encoder_cv.py     # fold 0 only, with the head on it

Knobs (environment): TASK (harm), FOLDS (5; fewer scores only the first folds), MAXLEN (256), EPOCHS (4),
R (LoRA rank, 8), LR (5e-4), ANALYSE (an OOF_OUT file: only re-score it, no training), STACK (1: the head's logit is a further input of the output layer, which starts
as the head and learns a correction; the head's logits come from inner folds, never from the scored fold), OOF_OUT (an .npz path for the out-of-fold probabilities, ids only, no text).
The shipped head's design is refitted on the same folds and reported beside it, and so is the mean of the two.
"""

from __future__ import annotations

import copy
import json
import os
import sys
import time
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from peft import LoraConfig, get_peft_model  # noqa: E402

from study.graders._embed import load_minilm  # noqa: E402
from study.graders._features import REQUEST_CHARS  # noqa: E402
from study.validation.metrics import _rates  # noqa: E402
from study.validation.train import THRESHOLDS, _fold, _score, balanced, training_rows  # noqa: E402

MAXLEN = int(os.environ.get("MAXLEN", "256"))
EPOCHS = int(os.environ.get("EPOCHS", "4"))
RANK = int(os.environ.get("R", "8"))
LR = float(os.environ.get("LR", "5e-4"))
TASK = os.environ.get("TASK", "harm")
FOLDS = int(os.environ.get("FOLDS", "5"))
STACK = os.environ.get("STACK", "0") == "1"


class CrossEncoder(torch.nn.Module):
    def __init__(self, encoder):
        super().__init__()
        self.bert = get_peft_model(copy.deepcopy(encoder), LoraConfig(
            r=RANK, lora_alpha=2 * RANK, target_modules=["query", "value", "dense"], lora_dropout=0.1))
        self.out = torch.nn.Linear(encoder.config.hidden_size + STACK, 1)
        if STACK:  # start at the head's own prediction and learn a correction
            with torch.no_grad():
                self.out.weight[:, :-1] *= 0.01
                self.out.weight[:, -1] = 1.0
                self.out.bias.zero_()

    def forward(self, batch, head_logit=None):
        hidden = self.bert(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        pooled = (hidden * mask).sum(1) / mask.sum(1)
        if STACK:
            pooled = torch.cat([pooled, head_logit.unsqueeze(-1)], dim=1)
        return self.out(pooled).squeeze(-1)


def main() -> None:
    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    rows = balanced(training_rows("refusal", objective_weight=0.0)) if TASK == "refusal" else training_rows(TASK)
    y = np.array([r.label for r in rows], dtype=np.float32)
    w = np.array([r.weight for r in rows], dtype=np.float32)
    folds = np.array([_fold(r.id) for r in rows])
    st = load_minilm()
    tok = st.tokenizer
    enc = [tok(r.request[:REQUEST_CHARS] or " ", r.response or " ", truncation="only_second", max_length=MAXLEN) for r in rows]

    def batch(idx):
        return tok.pad([enc[i] for i in idx], return_tensors="pt")

    head_x = _head_design(rows)

    def fit_predict(train_idx, test_idx, k, seed=0):
        z = _stacked_head_logits(head_x, folds, k) if STACK else np.zeros(len(rows))
        zt = torch.tensor(z, dtype=torch.float32)
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        model = CrossEncoder(st[0].auto_model)
        opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=LR, weight_decay=0.01)
        for _ in range(EPOCHS):
            model.train()
            order = rng.permutation(train_idx)
            for i in range(0, len(order), 16):
                idx = order[i:i + 16]
                loss = torch.nn.functional.binary_cross_entropy_with_logits(
                    model(batch(idx), zt[idx]), torch.tensor(y[idx]), weight=torch.tensor(w[idx]))
                opt.zero_grad()
                loss.backward()
                opt.step()
        model.eval()
        with torch.inference_mode():
            return np.concatenate([torch.sigmoid(model(batch(test_idx[i:i + 32]), zt[test_idx[i:i + 32]])).numpy()
                                   for i in range(0, len(test_idx), 32)])

    t0, oof = time.time(), np.full(len(rows), np.nan)
    for k in range(FOLDS):
        oof[folds == k] = fit_predict(np.where(folds != k)[0], np.where(folds == k)[0], k)
        print(f"fold {k}: {time.time() - t0:.0f} s", flush=True)
    scored = [i for i in range(len(rows)) if np.isfinite(oof[i])]
    report = {"config": {"task": TASK, "folds": FOLDS, "maxlen": MAXLEN, "epochs": EPOCHS, "rank": RANK, "lr": LR,
                         "stack": STACK},
              "rows": len(rows), "scored": len(scored), "cross_encoder": _at_best_threshold([rows[i] for i in scored], oof[scored])}
    head = _head_oof(head_x, folds, FOLDS)
    report["head_same_folds"] = _at_best_threshold([rows[i] for i in scored], head[scored])
    report["mean_of_both"] = _at_best_threshold([rows[i] for i in scored], ((oof + head) / 2)[scored])
    report["cascade"] = cascades([rows[i] for i in scored], head[scored], oof[scored])
    if os.environ.get("OOF_OUT"):
        np.savez(os.environ["OOF_OUT"], ids=np.array([r.id for r in rows]), sets=np.array([r.set for r in rows]),
                 labels=y, cross_encoder=oof, head=head)
    print(json.dumps(report))


def _at_best_threshold(rows, probs, recall_floor: bool = False) -> dict:
    """Worst and mean per-set accuracy at the best threshold, and per-set accuracy and recall. The threshold
    maximises (worst, mean); with ``recall_floor``, the shipped head's key (recall >= 0.85 on every set first)."""
    sets = sorted({r.set for r in rows})

    def key(th):
        worst, mean, ok = _score(rows, probs, th, sets)
        return (ok, worst, mean) if recall_floor else (worst, mean)

    t = max(THRESHOLDS, key=key)
    worst, mean, ok = _score(rows, probs, t, sets)
    per_set = {}
    for s in sets:
        idx = [i for i, r in enumerate(rows) if r.set == s]
        rates = _rates(probs[idx] >= t, np.array([rows[i].label for i in idx]) == 1)
        per_set[s] = {"n": len(idx), **{k: round(rates[k], 4) for k in ("accuracy", "recall")}}
    return {"threshold": t, "worst_set_accuracy": round(worst, 4), "mean_set_accuracy": round(mean, 4),
            "recall_floor_met": ok, "sets": per_set}


BANDS = (None, (0.3, 0.7), (0.2, 0.8), (0.1, 0.9), (0.0, 1.0))


def cascades(rows, head, cross) -> dict:
    """The head, with the cross-encoder deciding where the head's probability is inside each band, scored by the
    shipped head's selection key (out-of-fold recall >= 0.85 on every set, then worst-set, then mean accuracy)."""
    out = {}
    for band in BANDS:
        inside = np.zeros(len(rows), bool) if band is None else (head >= band[0]) & (head <= band[1])
        out["head only" if band is None else f"cross-encoder inside {band}"] = {
            "share_to_cross_encoder": round(float(inside.mean()), 3),
            **_at_best_threshold(rows, np.where(inside, cross, head), recall_floor=True)}
    return out


def analyse(path: str) -> None:
    """Re-score a saved OOF_OUT file (ids, sets, labels, probabilities; no text) without training."""
    from types import SimpleNamespace

    z = np.load(path, allow_pickle=False)
    rows = [SimpleNamespace(id=str(i), set=str(s), label=bool(y)) for i, s, y in zip(z["ids"], z["sets"], z["labels"])]
    print(json.dumps({"cross_encoder": _at_best_threshold(rows, z["cross_encoder"]),
                      "head_same_folds": _at_best_threshold(rows, z["head"]),
                      "cascade": cascades(rows, z["head"], z["cross_encoder"])}, indent=1))


def _head_design(rows):
    """(features, labels, weights, L2) of the shipped head's design on ``rows``."""
    from study.graders import default_embedder
    from study.graders._head import load_head
    from study.validation.embed_cache import DiskCachedEmbedder
    from study.validation.train import features

    head = load_head(TASK if TASK == "refusal" else "harm")
    x = features(rows, DiskCachedEmbedder(default_embedder()), head.meta["features"]["head_chars"],
                 head.meta["features"].get("set", "pair"))
    return (x, np.array([r.label for r in rows], dtype=float), np.array([r.weight for r in rows], dtype=float),
            head.meta["training"]["l2"])


def _stacked_head_logits(design, folds, k) -> np.ndarray:
    """The head's logits as the stacked model's input for outer fold ``k``: on training rows out-of-fold within
    them (fitted without their own fold and without k), on k's rows fitted on every other fold. Never on k's labels."""
    from study.graders._head import fit_logistic

    x, y, w, l2 = design
    z = np.zeros(len(y))
    for j in range(5):
        tr = (folds != k) & (folds != j) if j != k else folds != k
        weights, bias = fit_logistic(x[tr], y[tr], l2, w[tr])
        z[folds == j] = x[folds == j] @ weights + bias
    return z


def _head_oof(design, folds, n_folds) -> np.ndarray:
    """Out-of-fold probabilities of the shipped head's design (its features, prefix and L2) on the same folds."""
    from study.graders._head import fit_logistic

    x, y, w, l2 = design
    out = np.full(len(y), np.nan)
    for k in range(n_folds):
        tr, te = folds != k, folds == k
        weights, bias = fit_logistic(x[tr], y[tr], l2, w[tr])
        out[te] = 1.0 / (1.0 + np.exp(-(x[te] @ weights + bias)))
    return out


if __name__ == "__main__":
    analyse(os.environ["ANALYSE"]) if os.environ.get("ANALYSE") else main()
