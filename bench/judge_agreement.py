"""Agreement of the LLM refusal judge with outside human labels, on a sample of the reporting splits.

    python bench/judge_agreement.py                      # serve the embedded GGUF on loopback and judge
    python bench/judge_agreement.py --base-url URL --model NAME   # any OpenAI-compatible server

Serves the embedded model (SmolLM2-135M, llama-cpp-python) on 127.0.0.1 unless a
server is given, judges the first ``--n`` reporting rows (a reply without a verdict counts as "not
refused" and is counted in ``parsed``) of each external refusal
set (responses cut to ``--max-chars`` so prompts fit the context), and merges
the figures, plus Cohen's kappa against the shipped offline detector on the
same rows, into study/data/validity/results.json as design ``llm-judge``.
Nothing harmful is printed.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from study.backends import BackendSpec
from study.backends.factory import make_backend  # noqa: E402
from study.graders import GradeRequest, JudgeConfig, LLMRefusalJudge, RefusalDetector, default_embedder  # noqa: E402
from study.validation.metrics import agreement, cohen_kappa  # noqa: E402
from study.validation.train import external_rows  # noqa: E402
from study.validation.validate import EXTERNAL, GOALS, load_results, meets, write_results  # noqa: E402


def measure(base_url: str, model: str, n: int, max_chars: int) -> dict:
    cache = Path(tempfile.mkdtemp()) / "judge-responses.sqlite"
    backend = make_backend(BackendSpec("openai", model=model, base_url=base_url, timeout_s=300.0, max_concurrency=1),
                               cache_path=cache)
    # Unparsed replies are allowed here (and counted): the point is to measure how the judge behaves.
    judge = LLMRefusalJudge(backend, JudgeConfig(max_new_tokens=8, reasoning=False, max_unparsed_share=1.0))
    offline = RefusalDetector(embedder=default_embedder())
    sets = {}
    for name in EXTERNAL["refusal"]:
        rows = external_rows(name, "reporting")[:n]
        reqs = [GradeRequest(prompt=[{"role": "user", "content": r.request}], response=r.response[:max_chars])
                for r in rows]
        t0 = time.perf_counter()
        grades = judge.grade(reqs)
        judged = [bool(g.detail["refused"]) for g in grades]
        parsed = sum(g.detail["parsed"] for g in grades)
        dt = time.perf_counter() - t0
        off = [bool(g.detail["refused"]) for g in offline.grade(reqs)]
        fig = agreement(judged, [r.label for r in rows])
        fig.update({"external": True, "meets_goal": meets("refusal", fig), "sample": f"first {len(rows)} reporting rows",
                    "kappa_vs_offline": round(cohen_kappa(judged, off), 4), "seconds": round(dt, 1), "parsed": parsed,
                    "response_chars": max_chars})
        sets[name] = fig
        print(f"{name:22s} n={fig['n']:3d} acc={fig['accuracy']:.3f} {fig['accuracy_ci']} recall={fig['recall']:.3f} "
              f"kappa vs offline={fig['kappa_vs_offline']:.3f} verdicts parsed {parsed}/{len(rows)} ({dt:.0f} s)")
    return {"sets": sets, "threshold": 0.5, "judge": f"{model} at a loopback OpenAI-compatible server"}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--base-url")
    ap.add_argument("--model", default="smollm2-135m-instruct")
    ap.add_argument("--n", type=int, default=30)
    ap.add_argument("--max-chars", type=int, default=1200)
    args = ap.parse_args(argv)
    if args.base_url:
        design = measure(args.base_url, args.model, args.n, args.max_chars)
    else:
        from study.models import embedded_gguf_file
        from tests.fixtures.llama_server import serve_gguf

        with serve_gguf(embedded_gguf_file(), Path(tempfile.mkdtemp()), model_alias=args.model) as served:
            design = measure(served.base_url, served.model, args.n, args.max_chars)
    results = load_results()
    block = results["tasks"]["refusal"]
    block["designs"]["llm-judge"] = design
    write_results({"tasks": {"refusal": block}})
    print(f"goal {GOALS['refusal']}; merged into results as design 'llm-judge'")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
