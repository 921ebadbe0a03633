"""``study train METHOD``: one method under a budget, from the command line, on the tiny model."""

from __future__ import annotations

import json

import pytest

from study.cli import main


def test_train_control_writes_checkpoint_ledger_and_config(tmp_path, capsys):
    out = tmp_path / "control"
    cfg = tmp_path / "control.yaml"
    cfg.write_text("num_generations: 2\nmax_completion_length: 6\ntraining: {max_steps: 40, batch_size: 2, learning_rate: 1.0e-3}\n")
    assert main(["train", "control", "--model", "tiny", "--budget", "2e7", "--config", str(cfg), "--out", str(out)]) == 0
    ledger = json.loads((out / "ledger.json").read_text())
    assert ledger["budget_flops"] == 2e7
    spent = sum(ledger["flops"].values())
    assert 0 < spent <= 2e7 * 1.5
    config = json.loads((out / "config.json").read_text())
    assert config["method"] == "control" and config["seed"] == 0 and config["config"]["num_generations"] == 2
    printed = capsys.readouterr().out
    assert "checkpoint (full)" in printed
    assert (out / "checkpoint" / "config.json").exists() and (out / "rollouts.jsonl").exists()
    assert not list(tmp_path.glob(".*partial"))


@pytest.mark.parametrize("argv,message", [
    (["train", "rlhf", "--budget", "1e12"], "unknown method 'rlhf'"),
    (["train", "control", "--model", "tiny", "--budget", "1e3"], "below one training step"),
    (["train", "trait-rl", "--model", "tiny", "--budget", "1e12", "--set", "dose=2"], "dose must be in"),
    (["train", "trait-rl", "--model", "tiny", "--budget", "1e12", "--set", "colour=red"], "unknown field 'colour'"),
    (["train", "trait-rl", "--model", "tiny", "--budget", "1e12", "--set", "dose"], "expected KEY=VALUE"),
    (["train", "control", "--model", "no/such-model-here", "--budget", "1e12"], "no/such-model-here"),
])
def test_train_bad_input_is_one_line_and_writes_nothing(tmp_path, capsys, argv, message):
    out = tmp_path / "out"
    assert main([*argv, "--out", str(out)]) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1
    assert not out.exists() and not list(tmp_path.glob(".*partial"))


def test_train_refuses_a_non_empty_output(tmp_path, capsys):
    out = tmp_path / "used"
    out.mkdir()
    (out / "keep.txt").write_text("x")
    assert main(["train", "control", "--model", "tiny", "--budget", "1e12", "--out", str(out)]) == 2
    assert "not empty" in capsys.readouterr().err and (out / "keep.txt").read_text() == "x"
