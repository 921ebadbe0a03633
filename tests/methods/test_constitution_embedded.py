from __future__ import annotations

import json

import pytest

from methods import get_method
from methods.constitution import ConstitutionConfig
from study.compute import Ledger
from study.training import TrainingSettings


@pytest.mark.embedded
def test_embedded_model_revises_and_trains(tmp_path, embedded):
    """A few steps of both phases on SmolLM2-135M-Instruct: revisions are real text, the checkpoint loads."""
    from study.backends.local import LocalBackend
    from study.models import EMBEDDED, load_model

    config = ConstitutionConfig(
        n_prompts=3, n_rl_prompts=1, helpful_mix=0.0, max_new_tokens=24, critique_max_new_tokens=16, temperature=0.7,
        generation_batch_size=3, judge_both_orders=False, drop_uncertain=0.0,
        sl_training=TrainingSettings(max_steps=1, batch_size=2, learning_rate=1e-5),
        rl_training=TrainingSettings(max_steps=1, batch_size=1, learning_rate=1e-6),
    )
    ledger = Ledger(embedded.n_params_non_embedding, 1e15)
    ck = get_method("constitution").train(EMBEDDED, config, ledger, 0, tmp_path)
    records = [json.loads(line) for line in (tmp_path / "sl_data.jsonl").read_text().splitlines()]
    red = [r for r in records if r["kind"] == "red_team"]
    assert len(red) == 3 and all(r["critiques"][0].strip() for r in red)
    assert sum(r["target"] is not None and r["target"].strip() != r["initial"].strip() for r in red) >= 1
    phases = ck.stats["phases"]
    assert phases["sl"]["steps"] == 1 and phases["rl"]["steps"] == 1
    trained = load_model(str(ck.path))
    reply = LocalBackend(trained).generate([[{"role": "user", "content": "What is the capital of France?"}]], max_new_tokens=8)[0]
    assert reply.strip()
