"""Exploration, not shipped (result in docs/grader-validity.md, "harm"): can a LoRA-tuned MiniLM cross-encoder
over (request, response) beat the frozen-embedding harm head? 5-fold CV on the harm TUNING rows only, with
the head's own id-hash folds; prints out-of-fold accuracy per set at the best threshold. Never prints text.

    THREADS=1 python docs/explorations/harm_cross_encoder_cv.py    # ~33 min on one shared core

Knobs (environment): MAXLEN (256), EPOCHS (4), R (LoRA rank, 8), LR (5e-4).
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
from study.validation.train import THRESHOLDS, _fold, _score, training_rows  # noqa: E402

MAXLEN = int(os.environ.get("MAXLEN", "256"))
EPOCHS = int(os.environ.get("EPOCHS", "4"))
RANK = int(os.environ.get("R", "8"))
LR = float(os.environ.get("LR", "5e-4"))


class CrossEncoder(torch.nn.Module):
    def __init__(self, encoder):
        super().__init__()
        self.bert = get_peft_model(copy.deepcopy(encoder), LoraConfig(
            r=RANK, lora_alpha=2 * RANK, target_modules=["query", "value", "dense"], lora_dropout=0.1))
        self.out = torch.nn.Linear(encoder.config.hidden_size, 1)

    def forward(self, batch):
        hidden = self.bert(**batch).last_hidden_state
        mask = batch["attention_mask"].unsqueeze(-1).float()
        return self.out((hidden * mask).sum(1) / mask.sum(1)).squeeze(-1)


def main() -> None:
    torch.set_num_threads(int(os.environ.get("THREADS", "1")))
    rows = training_rows("harm")
    sets = sorted({r.set for r in rows})
    y = np.array([r.label for r in rows], dtype=np.float32)
    folds = np.array([_fold(r.id) for r in rows])
    st = load_minilm()
    tok = st.tokenizer
    enc = [tok(r.request[:REQUEST_CHARS] or " ", r.response or " ", truncation="only_second", max_length=MAXLEN) for r in rows]

    def batch(idx):
        return tok.pad([enc[i] for i in idx], return_tensors="pt")

    def fit_predict(train_idx, test_idx, seed=0):
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        model = CrossEncoder(st[0].auto_model)
        opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=LR, weight_decay=0.01)
        for _ in range(EPOCHS):
            model.train()
            order = rng.permutation(train_idx)
            for i in range(0, len(order), 16):
                idx = order[i:i + 16]
                loss = torch.nn.functional.binary_cross_entropy_with_logits(model(batch(idx)), torch.tensor(y[idx]))
                opt.zero_grad()
                loss.backward()
                opt.step()
        model.eval()
        with torch.inference_mode():
            return np.concatenate([torch.sigmoid(model(batch(test_idx[i:i + 32]))).numpy()
                                   for i in range(0, len(test_idx), 32)])

    t0, oof = time.time(), np.zeros(len(rows))
    for k in range(5):
        oof[folds == k] = fit_predict(np.where(folds != k)[0], np.where(folds == k)[0])
        print(f"fold {k}: {time.time() - t0:.0f} s", flush=True)
    t = max(THRESHOLDS, key=lambda th: _score(rows, oof, th, sets)[:2])   # the head's own threshold rule
    worst, mean, _ = _score(rows, oof, t, sets)
    print(json.dumps({"config": {"maxlen": MAXLEN, "epochs": EPOCHS, "rank": RANK, "lr": LR}, "rows": len(rows),
                      "threshold": t, "cv_worst_set_accuracy": round(worst, 4), "cv_mean_set_accuracy": round(mean, 4)}))


if __name__ == "__main__":
    main()
