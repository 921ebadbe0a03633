from __future__ import annotations

import pytest
import torch

from study.backends.local import LocalBackend
from study.compute import Ledger

CONVS = [
    [{"role": "user", "content": "hi"}],
    [{"role": "user", "content": "a considerably longer question that needs left padding in a batch"}],
    [{"role": "system", "content": "terse"}, {"role": "user", "content": "why?"}],
]


def test_batched_greedy_equals_one_at_a_time(tiny):
    batched = LocalBackend(tiny, batch_size=8).generate(CONVS, max_new_tokens=12)
    single = [LocalBackend(tiny, batch_size=1).generate([c], max_new_tokens=12)[0] for c in CONVS]
    assert batched == single
    assert all(isinstance(t, str) for t in batched)


def test_sampling_is_seeded(tiny):
    be = LocalBackend(tiny)
    a = be.generate(CONVS, max_new_tokens=10, temperature=1.0, seed=3)
    assert a == be.generate(CONVS, max_new_tokens=10, temperature=1.0, seed=3)
    assert a != be.generate(CONVS, max_new_tokens=10, temperature=1.0, seed=4)


def test_generation_is_charged_per_token(tiny):
    ledger = Ledger(tiny.n_params_non_embedding)
    be = LocalBackend(tiny, ledger)
    prompt_tokens = sum(len(p) for p in be.encode_prompts(CONVS))
    be.generate(CONVS, max_new_tokens=5)
    generated = ledger.tokens["generate"] - prompt_tokens
    assert 1 * len(CONVS) <= generated <= 5 * len(CONVS)
    assert ledger.flops["generate"] == 2 * tiny.n_params_non_embedding * ledger.tokens["generate"]


def naive_logprob(loaded, backend, conv, option):
    prompt = backend.encode_prompts([conv])[0]
    opt = loaded.tokenizer(option, add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        lp = loaded.model(torch.tensor([prompt + opt])).logits[0].log_softmax(-1)
    return sum(lp[len(prompt) - 1 + k, t].item() for k, t in enumerate(opt)), len(opt)


def test_option_scores_match_one_forward_per_option(tiny):
    options = [["yes", "no"], ["Paris is the capital", "Berlin", "Rome, obviously"], ["A"]]
    ledger = Ledger(tiny.n_params_non_embedding)
    be = LocalBackend(tiny, ledger)
    scores = be.score_options(CONVS, options)
    for conv, opts, got in zip(CONVS, options, scores):
        assert len(got) == len(opts)
        for option, s in zip(opts, got):
            want, n = naive_logprob(tiny, be, conv, option)
            assert s.n_tokens == n
            assert s.logprob == pytest.approx(want, abs=1e-4)
    # One pack holds all three items: the ledger pays for each distinct token prefix once (the trie's nodes).
    prefixes = set()
    for prompt, opts in zip(be.encode_prompts(CONVS), options):
        for option in opts:
            seq = prompt + tiny.tokenizer(option, add_special_tokens=False)["input_ids"]
            prefixes |= {tuple(seq[: k + 1]) for k in range(len(seq))}
    assert ledger.tokens["score"] == len(prefixes)
    naive_tokens = sum(len(p) + s.n_tokens for p, row in zip(be.encode_prompts(CONVS), scores) for s in row)
    assert ledger.tokens["score"] < naive_tokens


def test_option_scores_do_not_depend_on_packing(tiny):
    options = [["yes", "no"], ["Paris is the capital", "Berlin", "Rome, obviously"], ["A", "B"]]
    one_pack = LocalBackend(tiny, pack_tokens=10_000).score_options(CONVS, options)
    one_item_each = LocalBackend(tiny, pack_tokens=1).score_options(CONVS, options)
    for a, b in zip(one_pack, one_item_each):
        assert [x.logprob for x in a] == pytest.approx([x.logprob for x in b], abs=1e-4)


def test_option_scoring_bad_input(tiny):
    be = LocalBackend(tiny)
    with pytest.raises(ValueError, match="2 conversations but 1"):
        be.score_options(CONVS[:2], [["a"]])
    with pytest.raises(ValueError, match="non-empty option"):
        be.score_options(CONVS[:1], [[""]])
    with pytest.raises(ValueError, match="max_new_tokens"):
        be.generate(CONVS, max_new_tokens=0)
