"""Grader validity and speed on the EXTERNAL reporting splits (human labels written outside this project).

    python bench/graders.py                 # figures per reporting split + throughput, batched vs single
    python bench/graders.py --from-results  # print the committed study/data/validity/results.json only
    python bench/graders.py --n-speed 64    # responses used for the throughput measurement

Figures: accuracy, recall, precision with 95% percentile-bootstrap CIs and the
confusion matrix, for every design of the refusal and harm graders, on the
reporting part of each external set (never tuned on; study/validation/split.py)
and on the test half of the project's own labelled set. Embeddings for the
figures come from a disk cache (numbers only) so reruns are quick; the
throughput run uses a fresh, empty in-memory cache and the same process's
model, and reports batched vs one-call-per-response as a ratio measured in
the same run. Responses are never printed (some answer harmful requests).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from study.graders import MiniLMEmbedder, RefusalConfig, RefusalDetector, default_embedder, load_minilm  # noqa: E402
from study.validation.train import external_rows  # noqa: E402
from study.validation.validate import load_results, requests_of, validate  # noqa: E402


def fmt_ci(fig: dict, key: str) -> str:
    v, (lo, hi) = fig[key], fig[f"{key}_ci"]
    return f"{key[:4]} {v:.3f} [{lo:.3f},{hi:.3f}]"


def print_results(results: dict) -> None:
    print(f"split seed {results['split_seed']}, reporting parts only")
    for task, block in sorted(results["tasks"].items()):
        goal = ", ".join(f"{k} >= {v}" for k, v in block["goal"].items())
        print(f"\n{task} grader (goal on every external set: {goal}; shipped design: {block['chosen']})")
        for design, d in block["designs"].items():
            for name, f in d["sets"].items():
                c = f["confusion"]
                tag = "external" if f.get("external") else "own     "
                print(f"  {design:9s} {name:22s} {tag} n={f['n']:3d}  {fmt_ci(f, 'accuracy')}  {fmt_ci(f, 'recall')}  "
                      f"{fmt_ci(f, 'precision')}  tp/fp/tn/fn={c['tp']}/{c['fp']}/{c['tn']}/{c['fn']}  "
                      f"{'meets goal' if f['meets_goal'] else 'BELOW GOAL'}")


def throughput(n: int) -> None:
    rows = (external_rows("pyrit-refusal", "reporting") + external_rows("pyrit-refusal-extra", "reporting"))[:n]
    reqs = requests_of(rows)
    print(f"\nthroughput on {len(reqs)} reporting responses (load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cpus; the machine is shared, so compare the ratio, measured in this run)")
    for design in ("head", "rules"):
        cfg = RefusalConfig(design=design)
        batched = RefusalDetector(cfg, MiniLMEmbedder())
        t0 = time.perf_counter()
        batched.grade(reqs)
        tb = time.perf_counter() - t0
        single = RefusalDetector(cfg, MiniLMEmbedder())
        t0 = time.perf_counter()
        for r in reqs:
            single.grade([r])
        ts = time.perf_counter() - t0
        print(f"  refusal/{design:5s}: batched {len(reqs) / tb:7.1f} responses/s, single calls "
              f"{len(reqs) / ts:7.1f} responses/s, ratio {ts / tb:5.2f}x")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from-results", action="store_true", help="print the committed results file only")
    ap.add_argument("--n-speed", type=int, default=64, help="responses for the throughput run (0 = skip)")
    args = ap.parse_args(argv)
    if args.from_results:
        print_results(load_results())
        return 0
    t0 = time.perf_counter()
    load_minilm()
    print(f"MiniLM load: {time.perf_counter() - t0:.1f} s")
    from study.validation.embed_cache import DiskCachedEmbedder

    print_results(validate(DiskCachedEmbedder(default_embedder())))
    if args.n_speed:
        throughput(args.n_speed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
