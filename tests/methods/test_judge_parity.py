"""Judge parity: one judge: block reaches both methods, is recorded per arm, and a bad judge fails before work."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from study.cli import main
from study.errors import ConfigError
from study.judge_config import JudgeConfig, JudgeUnavailableError, check_judge_available, judge_token_mismatch

MICRO = Path(__file__).parents[1] / "study" / "micro.yaml"


def micro(tmp_path, **changes) -> Path:
    config = yaml.safe_load(MICRO.read_text())
    config["output_dir"] = str(tmp_path / "out")
    config.update(changes)
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_study_judge_reaches_every_method_and_is_recorded_per_arm(tmp_path):
    from methods import method_and_config
    from study.runner import StudyRunner
    from study.study_config import load_study_config

    config, raw = load_study_config(micro(tmp_path, judge={"kind": "local", "model": "tiny"}))
    _, trait = method_and_config("trait-rl", {"dose": 0.5}, "x", config.judge)
    _, const = method_and_config("constitution", {}, "x", config.judge)
    assert trait.effective_judge == const.effective_judge == JudgeConfig(kind="local", model="tiny")
    _, own = method_and_config("constitution", {"judge": {"kind": "offline"}}, "x", config.judge)
    assert own.effective_judge.kind == "offline"  # an arm's own judge wins over the study's
    runner = StudyRunner(config, raw, tmp_path / "run")
    runner.run_dir.mkdir(parents=True)
    runner.write_manifest()
    arms = {a["name"]: a["judge"] for a in json.loads((runner.run_dir / "manifest.json").read_text())["arms"] if a["name"] != "base"}
    assert arms == {"control": "none (verifiable rewards only)", "constitution": "local:tiny", "trait-rl": "none (verifiable rewards only)"}


def test_without_a_judge_block_the_legacy_judges_differ_and_the_report_says_so(tmp_path):
    from study.report.diagnostics import judge_notice
    from study.report.load import ReportData

    manifest = {"arms": [{"name": "base", "judge": None}, {"name": "constitution", "judge": "policy"}, {"name": "trait-rl", "judge": "offline"},
                         {"name": "control", "judge": "none (verifiable rewards only)"}]}
    data = ReportData(tmp_path, manifest, {"trait-rl-s0": {"api_tokens": {"input": 10, "output": 5}},
                                           "constitution-s0": {"api_tokens": {"input": 1000, "output": 50}}}, {}, {})
    (section,) = judge_notice(data)
    text = " ".join(b.text for b in section.blocks)
    assert "different judges" in text and "constitution: policy" in text and "different API judge tokens" in text
    same = ReportData(tmp_path, {"arms": [{"name": "a", "judge": "offline"}, {"name": "b", "judge": "offline"}]}, {}, {}, {})
    assert judge_notice(same) == []


def test_judge_token_mismatch():
    assert judge_token_mismatch({"a": 1000, "b": 1010}) is None
    assert "not matched" in judge_token_mismatch({"a": 1000, "b": 500})
    assert judge_token_mismatch({"a": 0, "b": 0}) is None


@pytest.mark.parametrize("raw,match", [
    ({"kind": "api"}, "judge.model is required"),
    ({"kind": "offline", "model": "x"}, "takes no model"),
    ({"kind": "api", "model": "gpt-4o"}, "must be 'openai:<name>'"),
    ({"kind": "local", "model": "tiny", "base_url": "http://127.0.0.1:1"}, "only for kind api"),
])
def test_judge_config_errors(raw, match):
    with pytest.raises(ConfigError, match=match):
        JudgeConfig(**raw)


def test_unreachable_or_missing_judge_is_one_line_error():
    with pytest.raises(JudgeUnavailableError, match="not reachable"):
        check_judge_available(JudgeConfig(kind="api", model="openai:judge", base_url="http://127.0.0.1:9/v1", timeout=2.0), "arm x")
    with pytest.raises(JudgeUnavailableError, match="cannot be loaded"):
        check_judge_available(JudgeConfig(kind="local", model="/nonexistent/judge-model"), "arm x")


def test_study_run_with_unreachable_judge_exits_2_and_writes_nothing(tmp_path, capsys):
    path = micro(tmp_path, judge={"kind": "api", "model": "openai:judge", "base_url": "http://127.0.0.1:9/v1", "timeout": 2.0})
    config = yaml.safe_load(path.read_text())
    config["arms"][2]["config"].update(dose=0.5, min_trait_scenarios=1)  # a dosed arm uses the judge
    path.write_text(yaml.safe_dump(config))
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err
    assert "not reachable" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_dose_not_honourable_in_study_plan_exits_2(tmp_path, capsys):
    path = micro(tmp_path)
    config = yaml.safe_load(path.read_text())
    config["arms"][2]["config"].update(dose=0.3, prompts_per_step=4, min_trait_scenarios=0,
                                       training={"max_steps": 2, "batch_size": 8})
    path.write_text(yaml.safe_dump(config))
    assert main(["plan", str(path)]) == 2
    assert "cannot be honoured at 4 prompt(s) per step" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_api_judge_token_budget_is_enforced_like_the_flop_budget(monkeypatch):
    """judge.token_budget reaches the arm's ledger; training and the constitution's label chunks stop once it is spent."""
    from types import SimpleNamespace

    from transformers import TrainerControl

    from methods.constitution.budget import Allowance
    from study.compute import Ledger
    from study.judge_config import make_judge_backend
    from study.training import LedgerCallback

    with pytest.raises(ConfigError, match="only for kind api"):
        JudgeConfig(kind="offline", token_budget=100)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    ledger = Ledger(1000, budget_flops=1e12)
    make_judge_backend(JudgeConfig(kind="api", model="openai:judge", base_url="http://127.0.0.1:9/v1", token_budget=100), ledger)
    assert ledger.api_token_budget == 100 and not ledger.api_tokens_spent()
    assert Ledger.from_dict(ledger.to_dict()).api_token_budget == 100

    allowance = Allowance(ledger, None, prior_per_item=1.0)
    callback = LedgerCallback(ledger)
    state = SimpleNamespace(num_input_tokens_seen=0, global_step=0)
    callback.on_train_begin(SimpleNamespace(max_steps=10), SimpleNamespace(num_input_tokens_seen=0, max_steps=10), TrainerControl())
    control = TrainerControl()
    ledger.charge_api(60, 30)
    state.num_input_tokens_seen, state.global_step = 10, 1
    callback.on_step_end(None, state, control)
    assert not control.should_training_stop and allowance.can_start(1)
    ledger.charge_api(5, 5)  # 100 of 100 spent
    state.num_input_tokens_seen, state.global_step = 20, 2
    callback.on_step_end(None, state, control)
    assert control.should_training_stop and callback.stopped_at_step == 2
    assert not allowance.can_start(1)
    assert "of 100" in ledger.summary()
