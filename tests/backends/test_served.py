"""The served policy (kind openai-compatible) against a loopback server running the tiny model's own weights."""

from __future__ import annotations

import pytest

from study.backends.factory import make_backend
from study.backends.local import LocalBackend
from study.backends.served import FALLBACK_LOGPROB, ServedBackend
from study.backends.spec import BackendSpec
from study.compute import Ledger
from study.errors import ConfigError
from study.evaluate import EvalSettings, evaluate
from tests.backends.model_server import ModelServer

CONVS = [
    [{"role": "user", "content": "What is the boiling point of water at sea level in Celsius?"}],
    [{"role": "system", "content": "Answer briefly."}, {"role": "user", "content": "Is the earth flat?"}],
    [{"role": "user", "content": "Pick a colour."}],
]
OPTIONS = [["100", "50 degrees", "212"], ["No, it is round.", "Yes."], ["red", "blue", "green", "a colour"]]


def served(server, ledger=None, **spec):
    return make_backend({"kind": "openai-compatible", "model": "tiny", "base_url": server.url, **spec}, ledger)


def test_echo_logprobs_equal_the_local_backend_on_the_same_weights(tiny):
    ledger = Ledger(tiny.n_params_non_embedding)
    with ModelServer(tiny) as server:
        backend = served(server, ledger)
        scores = backend.score_options(CONVS, OPTIONS)
        assert backend.scoring_mode == "echo-logprobs"
    local = LocalBackend(tiny).score_options(CONVS, OPTIONS)
    for got, want in zip(scores, local):
        assert [s.n_tokens for s in got] == [s.n_tokens for s in want]
        assert [s.logprob for s in got] == pytest.approx([s.logprob for s in want], abs=1e-4)
    assert ledger.total_flops == 0 and ledger.api_tokens["input"] > 0, "a served policy's tokens are counted as API tokens"


def test_generation_equals_local_greedy_and_nothing_is_cached(tiny):
    with ModelServer(tiny) as server:
        backend = served(server)
        assert backend.cache is None
        assert backend.generate(CONVS, max_new_tokens=8) == LocalBackend(tiny).generate(CONVS, max_new_tokens=8)
        backend.generate(CONVS[:1], max_new_tokens=8)
        assert sum(r["path"].endswith("/chat/completions") for r in server.requests) == 4, "every call reaches the server"


@pytest.mark.parametrize("mode", ["misaligned", "no-logprobs"])
def test_servers_without_usable_echo_logprobs_use_the_documented_fallback(tiny, mode):
    with ModelServer(tiny, mode=mode) as server:
        backend = served(server)
        scores = backend.score_options(CONVS, OPTIONS)
        assert backend.scoring_mode == "fallback-greedy-match"
    for item in scores:
        assert sorted(s.logprob for s in item)[-1] == 0.0
        assert sum(s.logprob == 0.0 for s in item) == 1 and all(s.logprob in (0.0, FALLBACK_LOGPROB) for s in item)


def test_evaluate_through_the_server_gives_the_local_table(tiny):
    settings = EvalSettings(benchmarks=["factual-mc-science", "sycophancy-pushback-mc", "arithmetic-word-problems"],
                            items_per_benchmark=3, max_new_tokens=8)
    with ModelServer(tiny) as server:
        remote = evaluate(served(server), settings, run="r", arm="base", seed=0)
    local = evaluate(LocalBackend(tiny), settings, run="r", arm="base", seed=0)
    assert len(local) == 9
    assert remote[["benchmark", "item", "score", "response"]].equals(local[["benchmark", "item", "score", "response"]])


def test_option_scoring_without_a_chat_template_names_the_fix(tiny):
    with ModelServer(tiny) as server:
        backend = ServedBackend(BackendSpec(kind="openai-compatible", model="my-served-model", base_url=server.url))
        with pytest.raises(ConfigError, match=r"my-served-model at 127\.0\.0\.1:\d+: option scoring needs .*set tokenizer"):
            backend.score_options(CONVS[:1], OPTIONS[:1])
        backend = ServedBackend(BackendSpec(kind="openai-compatible", model="my-served-model", base_url=server.url,
                                            tokenizer=str(tiny.path)))
        assert backend.score_options(CONVS[:1], OPTIONS[:1])[0][0].n_tokens >= 1


def test_a_served_policy_can_be_red_teamed(tiny, tmp_path):
    from study.attacks.redteam import RedteamSettings, run_redteam
    from tests.adversarial.test_redteam import BEHAVIOURS

    ledger = Ledger(tiny.n_params_non_embedding)
    with ModelServer(tiny) as server:
        target = served(server, ledger)
        curves, rows = run_redteam(target, LocalBackend(tiny, ledger), BEHAVIOURS[:2], 2, ledger, seed=0, run="r", arm="base",
                                   arm_seed=0, condition="redteam:local:tiny", transcripts=tmp_path / "t.jsonl",
                                   settings=RedteamSettings(queries=2, max_new_tokens=8, attacker_max_new_tokens=8))
        chats = sum(r["path"].endswith("/chat/completions") for r in server.requests)
    assert chats == 2 * 2, "every attack query reaches the served target"
    assert len(rows) == 2 and ledger.api_tokens["output"] > 0
