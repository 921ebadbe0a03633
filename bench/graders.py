"""Validate the offline graders on the hand-labelled sets in study/data/labelled/.

    python bench/graders.py            # figures with the shipped defaults, dev and test halves
    python bench/graders.py --tune     # grid-search thresholds on the DEV half only, then report test

Tuning never looks at the test half; the shipped defaults in RefusalConfig /
RubricConfig are the values this script's --tune printed. Responses are never
printed (some answer harmful requests); failures are listed by row id.
"""

from __future__ import annotations

import argparse
import itertools
import os
import sys
import time
from collections import defaultdict
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from study.graders import (  # noqa: E402
    OfflineRubricGrader, RefusalConfig, RefusalDetector, RubricConfig, as_request, binary_metrics,
    load_labelled, load_minilm, refusal_half, rubric_half,
)
from study.graders._refusal import score_features  # noqa: E402


def fmt(m) -> str:
    return (f"n={m.n:3d}  acc={m.accuracy:.3f}  prec={m.precision:.3f}  rec={m.recall:.3f}  "
            f"f1={m.f1:.3f}  (tp={m.tp} fp={m.fp} tn={m.tn} fn={m.fn})")


def refusal_metrics(det: RefusalDetector, rows, feats=None):
    feats = feats if feats is not None else det.features([r["response"] for r in rows])
    pred = [score_features(f, det.config).detail["refused"] for f in feats]
    return binary_metrics(pred, [r["label"] == "refused" for r in rows]), pred


def grid_search(grid: dict[str, list], evaluate) -> dict:
    """Best grid point by (accuracy, F1); ties go to the point nearest the grid's middle (index space),
    so a saturated dev score does not push parameters to an arbitrary edge."""
    scored = []
    for idx in itertools.product(*(range(len(v)) for v in grid.values())):
        point = {k: v[i] for (k, v), i in zip(grid.items(), idx)}
        m = evaluate(point)
        off = sum(abs(i - (len(v) - 1) / 2) / max(1, len(v) - 1) for i, v in zip(idx, grid.values()))
        scored.append(((round(m.accuracy, 6), round(m.f1, 6), -off), point))
    return max(scored, key=lambda s: s[0])[1]


def tune_refusal(det: RefusalDetector, dev) -> RefusalConfig:
    feats = det.features([r["response"] for r in dev])
    grid = dict(content_words=[6, 8, 10, 12, 15, 20, 25, 30], sim_low=[0.3, 0.35, 0.4, 0.45, 0.5],
                width=[0.1, 0.2], deflection_weight=[0.7, 0.8, 0.9, 1.0], disclaimer_weight=[0.4, 0.6, 0.8],
                threshold=[0.3, 0.4, 0.5, 0.6])

    def cfg(p):
        return replace(det.config, content_words=p["content_words"], sim_low=p["sim_low"],
                       sim_high=round(p["sim_low"] + p["width"], 4), deflection_weight=p["deflection_weight"],
                       disclaimer_weight=p["disclaimer_weight"], threshold=p["threshold"])

    return cfg(grid_search(grid, lambda p: refusal_metrics(RefusalDetector(cfg(p), det.embedder), dev, feats)[0]))


def rubric_metrics(grader: OfflineRubricGrader, rows, sims=None):
    reqs = [as_request(r) for r in rows]
    sims = sims if sims is not None else grader.similarities(reqs)
    pred = [grader.score_one(q, s).score >= 0.5 for q, s in zip(reqs, sims)]
    return binary_metrics(pred, [r["label"] == "good" for r in rows]), pred


def tune_rubric(grader: OfflineRubricGrader, dev) -> RubricConfig:
    sims = grader.similarities([as_request(r) for r in dev])
    grid = dict(temperature=[0.02, 0.05, 0.1, 0.2], rubric_weight=[0.0, 0.1, 0.2, 0.3, 0.5],
                line_low=[0.0, 0.1, 0.2], width=[0.3, 0.4])

    def cfg(p):
        return replace(grader.config, temperature=p["temperature"], rubric_weight=p["rubric_weight"],
                       line_low=p["line_low"], line_high=round(p["line_low"] + p["width"], 4))

    return cfg(grid_search(grid, lambda p: rubric_metrics(OfflineRubricGrader(cfg(p), grader.embedder), dev, sims)[0]))


def per_case(rows, pred, positive: str) -> None:
    by = defaultdict(lambda: [0, 0])
    for r, p in zip(rows, pred):
        by[r["case"]][0] += int(p == (r["label"] == positive))
        by[r["case"]][1] += 1
    for case in sorted(by):
        ok, n = by[case]
        print(f"    {case:34s} {ok:3d}/{n:<3d} = {ok / n:.2f}")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tune", action="store_true", help="grid-search configs on the dev half first")
    ap.add_argument("--failures", action="store_true", help="list misclassified test-row ids")
    args = ap.parse_args(argv)

    t0 = time.perf_counter()
    load_minilm()
    print(f"MiniLM load: {time.perf_counter() - t0:.1f} s   (load average {os.getloadavg()[0]:.1f}, "
          f"{os.cpu_count()} cpus: timings are wall clock on a possibly shared machine)")

    ref_rows = load_labelled("refusal")
    dev, test = refusal_half("dev", ref_rows), refusal_half("test", ref_rows)
    det = RefusalDetector()
    if args.tune:
        det = RefusalDetector(tune_refusal(det, dev), det.embedder)
        print(f"tuned on dev: {det.config}")
    print(f"\nRefusal detector ({len(ref_rows)} rows; positive class = refused)")
    m_dev, _ = refusal_metrics(det, dev)
    det.embedder._cache.clear()
    t0 = time.perf_counter()
    m_test, pred = refusal_metrics(det, test)
    dt = time.perf_counter() - t0
    print(f"  dev : {fmt(m_dev)}")
    print(f"  test: {fmt(m_test)}")
    print(f"  timing: {len(test)} responses in {dt:.2f} s ({1000 * dt / len(test):.1f} ms/response, "
          "model warm, embedding cache cleared)")
    print("  test accuracy by case:")
    per_case(test, pred, "refused")
    if args.failures:
        print("  misclassified test ids:", [r["id"] for r, p in zip(test, pred) if p != (r["label"] == "refused")])

    rub_rows = load_labelled("rubric")
    rdev, rtest = rubric_half("dev", rub_rows), rubric_half("test", rub_rows)
    grader = OfflineRubricGrader()
    if args.tune:
        grader = OfflineRubricGrader(tune_rubric(grader, rdev), grader.embedder)
        print(f"\ntuned on dev: {grader.config}")
    print(f"\nOffline rubric grader ({len(rub_rows)} rows; positive class = good, score >= 0.5)")
    m_dev, _ = rubric_metrics(grader, rdev)
    grader.embedder._cache.clear()
    t0 = time.perf_counter()
    m_test, pred = rubric_metrics(grader, rtest)
    dt = time.perf_counter() - t0
    print(f"  dev : {fmt(m_dev)}")
    print(f"  test: {fmt(m_test)}")
    print(f"  timing: {len(rtest)} requests in {dt:.2f} s ({1000 * dt / len(rtest):.1f} ms/request, "
          "embedding cache cleared)")
    print("  test accuracy by case:")
    per_case(rtest, pred, "good")
    if args.failures:
        print("  misclassified test ids:", [r["id"] for r, p in zip(rtest, pred) if p != (r["label"] == "good")])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
