"""The embedded model served by the real llama-cpp-python server, scored through the one evaluation function.

The server runs the Q4_1 GGUF; the local backend runs the same weights
de-quantised to float32, so scores are compared within a measured tolerance
(docs/backends.md states the figures), not for equality. Skips with the reason
when llama-cpp-python[server] is not installed.
"""

from __future__ import annotations

import pytest

from tests.fixtures.llama_server import llama_cpp_available

pytestmark = pytest.mark.skipif(not llama_cpp_available(), reason="llama-cpp-python[server] not installed (dev extra)")

MC = ["factual-mc-science", "sycophancy-pushback-mc", "known-unknowns-mc"]
GENERATED = ["arithmetic-word-problems", "over-refusal-benign"]
ITEMS = 6
# Measured on this machine (see docs/backends.md); the bounds leave room for a different llama.cpp build.
MIN_MC_CHOICE_AGREEMENT = 0.75
MAX_MC_MEAN_ABS_LOGPROB_GAP = 1.0     # nats per option (summed over its tokens)
MIN_GENERATED_SCORE_AGREEMENT = 0.6


@pytest.fixture(scope="module")
def tables(llama_server, embedded):
    from study.backends.factory import make_backend
    from study.backends.local import LocalBackend
    from study.compute import Ledger
    from study.evaluate import EvalSettings, evaluate

    settings = EvalSettings(benchmarks=MC + GENERATED, items_per_benchmark=ITEMS, max_new_tokens=32)
    ledger = Ledger(embedded.n_params_non_embedding)
    served = make_backend({"kind": "openai-compatible", "model": llama_server.model, "base_url": llama_server.base_url,
                           "timeout_s": 120}, ledger)
    import time

    start = time.perf_counter()
    remote = evaluate(served, settings, run="r", arm="base", seed=0, ledger=ledger)
    middle = time.perf_counter()
    local = evaluate(LocalBackend(embedded), settings, run="r", arm="base", seed=0)
    print(f"\nevaluate: served {middle - start:.1f}s, local {time.perf_counter() - middle:.1f}s")
    return served, ledger, remote, local


def agreement(remote, local) -> dict:
    """Per-item agreement of two evaluation tables of the same items (the figures docs/backends.md reports)."""
    merged = remote.merge(local, on=["benchmark", "item", "condition", "sample"], suffixes=("_served", "_local"))
    mc = merged[merged["benchmark"].isin(MC)]
    gen = merged[merged["benchmark"].isin(GENERATED)]
    return {
        "mc_items": len(mc), "mc_choice_agreement": float((mc["response_served"] == mc["response_local"]).mean()),
        "mc_accuracy": (float(mc["score_served"].mean()), float(mc["score_local"].mean())),
        "generated_items": len(gen), "generated_score_agreement": float((gen["score_served"] == gen["score_local"]).mean()),
        "generated_identical_text": float((gen["response_served"] == gen["response_local"]).mean()),
        "generated_mean_score": (float(gen["score_served"].mean()), float(gen["score_local"].mean())),
    }


def test_served_scores_agree_with_the_local_backend_within_the_measured_tolerance(tables, capsys):
    served, ledger, remote, local = tables
    assert served.scoring_mode in ("echo-logprobs", "fallback-greedy-match")
    assert len(remote) == len(local) == ITEMS * len(MC + GENERATED)
    figures = agreement(remote, local)
    with capsys.disabled():
        print(f"\nserved (llama-cpp-python, Q4_1) vs local (fp32), scoring mode {served.scoring_mode}: {figures}")
    assert figures["mc_choice_agreement"] >= MIN_MC_CHOICE_AGREEMENT
    assert figures["generated_score_agreement"] >= MIN_GENERATED_SCORE_AGREEMENT
    assert ledger.flops["generate"] == ledger.flops["score"] == 0, "the served policy's work is counted as API tokens"
    assert ledger.api_tokens["input"] > 0 and ledger.api_tokens["output"] > 0


def test_option_logprobs_agree_with_the_local_backend(llama_server, embedded, capsys):
    from study.backends.factory import make_backend
    from study.backends.local import LocalBackend
    from study.benchmarks import get_benchmark
    from study.evaluate import select_items

    items = [it for name in MC for it in select_items(get_benchmark(name).items(), ITEMS)]
    served = make_backend({"kind": "openai-compatible", "model": llama_server.model, "base_url": llama_server.base_url})
    remote = served.score_options([it.conversation for it in items], [list(it.options) for it in items])
    if served.scoring_mode != "echo-logprobs":
        pytest.skip(f"this llama-cpp-python build's echo logprobs failed the alignment check ({served.scoring_mode})")
    local = LocalBackend(embedded).score_options([it.conversation for it in items], [list(it.options) for it in items])
    gaps = [abs(r.logprob - q.logprob) for rs, qs in zip(remote, local) for r, q in zip(rs, qs)]
    mean_gap = sum(gaps) / len(gaps)
    with capsys.disabled():
        print(f"\noption log-prob |served - local| over {len(gaps)} options: mean {mean_gap:.3f}, max {max(gaps):.3f} nats")
    assert mean_gap <= MAX_MC_MEAN_ABS_LOGPROB_GAP


def test_study_eval_scores_a_served_policy_and_the_finetune_attack_refuses_it(llama_server, tmp_path, capsys):
    """``study eval --model openai-compatible:<model>@<url>``: the CLI path a user takes with a checkpoint behind a server."""
    import pandas as pd

    from study.cli import main

    spec = f"openai-compatible:{llama_server.model}@{llama_server.base_url}"
    out = tmp_path / "served-eval"
    assert main(["eval", "--model", spec, "--benchmarks", "factual-mc-science,over-refusal-benign", "--items", "2",
                 "--max-new-tokens", "16", "--out", str(out)]) == 0
    table = pd.read_parquet(out / "items.parquet")
    assert len(table) == 4 and set(table["benchmark"]) == {"factual-mc-science", "over-refusal-benign"}
    assert table["response"].str.len().gt(0).all()
    redteam_out = tmp_path / "served-redteam"
    assert main(["attack", "redteam", "--model", spec, "--behaviours", "1", "--queries", "1", "--max-new-tokens", "16",
                 "--out", str(redteam_out)]) == 0
    curves = pd.read_parquet(redteam_out / "redteam.parquet")
    assert len(curves) == 1 and curves["success"].isin([0, 1, True, False]).all()
    capsys.readouterr()
    attack_out = tmp_path / "served-attack"
    assert main(["attack", "finetune", "--model", spec, "--steps", "0,2", "--out", str(attack_out)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "served policy does not expose" in err[0]
    assert not attack_out.exists() or not any(attack_out.iterdir())
