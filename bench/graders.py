"""Grader validity and speed on the EXTERNAL reporting splits (human labels written outside this project).

    python bench/graders.py                 # figures per reporting split + throughput, batched vs single
    python bench/graders.py --from-results  # print the committed study/data/validity/results.json only
    python bench/graders.py --n-speed 64    # responses used for the throughput measurement

Figures: accuracy, recall, precision with 95% percentile-bootstrap CIs and the
confusion matrix, for every design of the refusal and harm graders, on the
reporting part of each external set (never tuned on; study/validation/split.py)
and on the test half of the project's own labelled set. Embeddings for the
figures come from a disk cache (numbers only) so reruns are quick; the
throughput run uses fresh, empty in-memory caches and the same process's
model, and reports each encoding path as a ratio against the earlier path
(SentenceTransformer.encode in fixed 64-text batches), measured interleaved in
the same run, plus one-call-per-response figures. Responses are never printed (some answer harmful requests).
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


ENCODERS = {
    # the earlier path: SentenceTransformer.encode, fixed 64-text batches padded to their longest text
    "baseline (st, bs 64)": dict(batching="sentence-transformers"),
    # shipped default: length-sorted batches of <= 512 padded tokens, torch's thread setting
    "token-budget": dict(),
    # the same with one intra-op thread (helps when the 2 cores are shared with other jobs)
    "token-budget, 1 thread": dict(threads=1),
    # one thread while the load average >= the number of CPUs
    "token-budget, auto": dict(threads="auto"),
    # the same with the encoder's matmuls in bf16 (AMX / AVX512-BF16 CPUs)
    "token-budget, 1 thread, bf16": dict(threads=1, precision="bf16"),
    # STUDY_EMBED_PRECISION=auto: auto threads, bf16 where the CPU has native bf16 (default_embedder: fp32)
    "token-budget, auto, auto": dict(threads="auto", precision="auto"),
}


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def throughput(n: int, reps: int = 3) -> None:
    import statistics

    rows = (external_rows("pyrit-refusal", "reporting") + external_rows("pyrit-refusal-extra", "reporting"))[:n]
    reqs = requests_of(rows)
    print(f"\nthroughput on {len(reqs)} reporting responses (load average {os.getloadavg()[0]:.1f} on "
          f"{os.cpu_count()} cpus; the machine is shared, so compare the ratios, measured in this run; "
          f"median of {reps} interleaved repetitions, each with a fresh, empty embedding cache)")
    cfg = RefusalConfig(design="head")
    times: dict[str, list[float]] = {k: [] for k in ENCODERS}
    for _ in range(reps):
        for name, kw in ENCODERS.items():
            det = RefusalDetector(cfg, MiniLMEmbedder(**kw))
            times[name].append(_time(lambda: det.grade(reqs)))
    base = statistics.median(times["baseline (st, bs 64)"])
    for name, ts in times.items():
        med = statistics.median(ts)
        print(f"  refusal/head  {name:24s} batched {len(reqs) / med:7.1f} responses/s  ({base / med:4.2f}x baseline)")
    auto = MiniLMEmbedder(threads="auto", precision="auto")
    print(f"  (auto chose {auto.resolved_threads() or 'torch default'} thread(s) at load {os.getloadavg()[0]:.1f} "
          f"and {auto.resolved_precision()} matmuls)")
    single = RefusalDetector(cfg, auto)
    ts = _time(lambda: [single.grade([r]) for r in reqs])
    print(f"  refusal/head  {'token-budget, auto, auto':24s} single  {len(reqs) / ts:7.1f} responses/s  "
          "(one call per response)")
    rules = RefusalConfig(design="rules")
    tb = statistics.median(_time(lambda: RefusalDetector(rules, MiniLMEmbedder(threads="auto")).grade(reqs))
                           for _ in range(reps))
    det = RefusalDetector(rules, MiniLMEmbedder(threads="auto"))
    ts = _time(lambda: [det.grade([r]) for r in reqs])
    print(f"  refusal/rules {'token-budget, auto':24s} batched {len(reqs) / tb:7.1f} responses/s, "
          f"single {len(reqs) / ts:7.1f}")


def precision_agreement() -> None:
    """How many head decisions change when the encoder's matmuls run in bf16 instead of fp32.

    Over every row of every set (tuning and reporting parts, the project's own halves): a count of
    changed decisions, never a figure tuned on. Both encoders read and fill their own disk caches.
    """
    from study.validation.embed_cache import DiskCachedEmbedder
    from study.validation.train import own_refusal_rows
    from study.validation.validate import EXTERNAL, decision, designs

    encoders = {p: DiskCachedEmbedder(MiniLMEmbedder(threads="auto", precision=p)) for p in ("fp32", "bf16")}
    print("\nbf16 vs fp32 matmuls: changed decisions of the shipped heads over all rows (tuning + reporting)")
    for task, sets in EXTERNAL.items():
        rows = [r for s in sets for part in ("tuning", "reporting") for r in external_rows(s, part)]
        if task == "refusal":
            rows += own_refusal_rows("dev") + own_refusal_rows("test")
        reqs = requests_of(rows)
        got = {p: [decision(task, g) for g in designs(task, enc)["head"].grade(reqs)] for p, enc in encoders.items()}
        changed = sum(a != b for a, b in zip(got["fp32"], got["bf16"]))
        print(f"  {task:8s} head: {changed} of {len(rows)} decisions differ")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--from-results", action="store_true", help="print the committed results file only")
    ap.add_argument("--n-speed", type=int, default=64, help="responses for the throughput run (0 = skip)")
    ap.add_argument("--reps", type=int, default=3, help="interleaved repetitions of each throughput measurement")
    args = ap.parse_args(argv)
    if args.from_results:
        print_results(load_results())
        return 0
    t0 = time.perf_counter()
    load_minilm()
    print(f"MiniLM load: {time.perf_counter() - t0:.1f} s")
    from study.validation.embed_cache import DiskCachedEmbedder

    print_results(validate(DiskCachedEmbedder(default_embedder())))
    precision_agreement()
    if args.n_speed:
        throughput(args.n_speed, args.reps)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
