"""The real embedded model, end to end through the provider and the local backend."""

from __future__ import annotations

import pytest

from study.backends.local import LocalBackend
from study.cli import main
from study.compute import Ledger

pytestmark = pytest.mark.embedded


def test_embedded_model_answers_and_scores(embedded):
    assert 100e6 < embedded.n_params_non_embedding < 110e6
    ledger = Ledger(embedded.n_params_non_embedding)
    be = LocalBackend(embedded, ledger)
    [answer] = be.generate([[{"role": "user", "content": "What is the capital of France?"}]], max_new_tokens=16)
    assert "Paris" in answer
    conv = [{"role": "user", "content": "What is the boiling point of water at sea level in Celsius?"}]
    scores = be.score_options([conv], [["100 degrees Celsius", "5 degrees Celsius"]])[0]
    assert scores[0].logprob > scores[1].logprob
    assert ledger.flops["generate"] > 0 and ledger.flops["score"] > 0


def test_smoke_command_on_tiny_model(capsys):
    assert main(["smoke", "--model", "tiny", "--max-new-tokens", "4"]) == 0
    out = capsys.readouterr().out
    assert "multiple choice" in out and "ledger: FLOPs total=" in out


def test_cli_reports_user_errors_in_one_line(capsys):
    assert main(["smoke", "--model", "no-such-model"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: model 'no-such-model' not found") and "\n" not in err
