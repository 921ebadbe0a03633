"""Judge throughput: requests/s with one request in flight vs bounded concurrency, against a loopback server.

    python bench/judge.py                      # stdlib server with 50 ms per answer, 10% injected faults
    python bench/judge.py --llama              # the embedded model behind llama-cpp-python's server

Both runs send the same judge conversations through LLMJudgeGrader with a fresh
cache each, and the script checks that the verdicts are identical before
printing the ratio. The stdlib server's latency stands in for model time (it
answers requests in parallel, as a GPU server batching requests would); a
llama-cpp-python server on 2 CPU cores computes one request at a time, so
there the ratio shows the cost of client-side concurrency rather than a gain.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from study.backends.factory import make_backend
from study.graders import GradeRequest
from study.graders._judge import JudgeConfig, LLMJudgeGrader


def requests(n: int) -> list[GradeRequest]:
    return [GradeRequest(prompt=[{"role": "user", "content": f"What is {i} + {i}?"}], response=f"It is {2 * i}.",
                         rubric=("States the correct sum",)) for i in range(n)]


@contextlib.contextmanager
def server(args):
    if args.llama:
        from study.models import embedded_gguf_file
        from tests.fixtures.llama_server import serve_gguf

        with tempfile.TemporaryDirectory() as logs, serve_gguf(embedded_gguf_file(), Path(logs)) as served:
            yield served.base_url, served.model
    else:
        from tests.backends.fault_server import FaultServer

        with FaultServer(latency=args.latency, fault_rate=args.fault_rate, faults=(429, 500, "malformed"),
                         retry_after=0.05, seed=0) as fake:
            yield fake.url, "judge"


def run(url: str, model: str, concurrency: int, items: list[GradeRequest], cache: Path, max_new_tokens: int):
    spec = {"kind": "openai", "model": model, "base_url": url, "max_concurrency": concurrency, "max_attempts": 10,
            "timeout_s": 120}
    backend = make_backend(spec, category="judge", cache_path=cache, base_delay=0.05)
    grader = LLMJudgeGrader(backend, JudgeConfig(max_new_tokens=max_new_tokens))
    start = time.perf_counter()
    grades = grader.grade(items)
    return len(items) / (time.perf_counter() - start), [g.score for g in grades]


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--llama", action="store_true", help="use llama-cpp-python's server with the embedded model")
    p.add_argument("--requests", type=int, default=64)
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--latency", type=float, default=0.05, help="stdlib server: seconds per answer")
    p.add_argument("--fault-rate", type=float, default=0.1, help="stdlib server: share of injected faults")
    p.add_argument("--max-new-tokens", type=int, default=24)
    args = p.parse_args()
    logging.getLogger("study.backends.retry").setLevel(logging.ERROR)  # retries of injected faults are expected
    items = requests(args.requests)
    with server(args) as (url, model), tempfile.TemporaryDirectory() as tmp:
        serial, serial_scores = run(url, model, 1, items, Path(tmp) / "serial.sqlite", args.max_new_tokens)
        concurrent, scores = run(url, model, args.concurrency, items, Path(tmp) / "concurrent.sqlite", args.max_new_tokens)
    same = scores == serial_scores
    where = "llama-cpp-python (embedded GGUF)" if args.llama else f"stdlib loopback ({args.latency * 1000:.0f} ms/answer, {args.fault_rate:.0%} faults)"
    print(f"judge requests against {where}, {args.requests} requests")
    print(f"  serial (1 in flight):      {serial:8.1f} requests/s")
    print(f"  concurrent ({args.concurrency} in flight): {concurrent:8.1f} requests/s")
    print(f"  ratio concurrent/serial:   {concurrent / serial:8.2f}x   verdicts identical: {'yes' if same else 'NO'}")
    if not same:
        sys.exit(1)


if __name__ == "__main__":
    main()
