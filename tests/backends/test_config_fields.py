"""Every config field that names a backend takes the string or the block form, checked at config load."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from study.backends.api import OpenAIBackend
from study.backends.factory import make_backend
from study.backends.spec import BackendSpec
from study.cli import main
from study.config_parse import from_dict
from study.errors import ConfigError
from study.evaluate import EvalSettings

MICRO = Path(__file__).parents[1] / "study" / "micro.yaml"
BLOCK = {"kind": "openai", "model": "judge", "base_url": "http://127.0.0.1:9/v1", "timeout_s": 5, "max_attempts": 2,
         "max_concurrency": 3}
SPEC = BackendSpec(kind="openai", model="judge", base_url="http://127.0.0.1:9/v1", timeout_s=5.0, max_attempts=2,
                   max_concurrency=3)


@pytest.mark.parametrize("value", [BLOCK, "openai:judge@http://127.0.0.1:9/v1"])
def test_evaluation_judge_backend_accepts_string_and_block(value):
    settings = from_dict(EvalSettings, {"rubric_grader": "llm-judge", "judge_backend": value}, "evaluation")
    assert isinstance(settings.judge_backend, BackendSpec)
    if isinstance(value, dict):
        assert settings.judge_backend == SPEC
    assert EvalSettings(rubric_grader="llm-judge", judge_backend="openai:gpt-4o-mini").judge_backend.model == "gpt-4o-mini"


@pytest.mark.parametrize("value, match", [
    ("opnai:gpt-4o-mini", r"^evaluation\.judge_backend: unknown backend kind 'opnai'"),
    ({**BLOCK, "timeout_s": float("nan")}, r"^evaluation\.judge_backend\.timeout_s: "),
    ({**BLOCK, "retries": 3}, r"^evaluation\.judge_backend: unknown field 'retries'"),
])
def test_evaluation_judge_backend_errors_name_the_field(value, match):
    with pytest.raises(ConfigError, match=match):
        from_dict(EvalSettings, {"rubric_grader": "llm-judge", "judge_backend": value}, "evaluation")


def test_method_configs_take_blocks():
    from methods.constitution.config import ConstitutionConfig
    from methods.trait_rl.config import TraitRLConfig

    assert from_dict(TraitRLConfig, {"grader": "llm-judge", "judge_backend": BLOCK}, "arms[1].config").judge_backend == SPEC
    assert from_dict(ConstitutionConfig, {"feedback_model": BLOCK}, "arms[2].config").feedback_model == SPEC
    assert from_dict(ConstitutionConfig, {"feedback_model": "self"}, "arms[2].config").self_feedback
    with pytest.raises(ConfigError, match=r"^arms\[1\]\.config\.judge_backend: unknown backend kind 'opnai'"):
        from_dict(TraitRLConfig, {"grader": "llm-judge", "judge_backend": "opnai:x"}, "arms[1].config")


def test_study_config_with_a_misspelt_attacker_fails_at_load_and_writes_nothing(tmp_path, capsys):
    config = yaml.safe_load(MICRO.read_text())
    config["output_dir"] = str(tmp_path / "out")
    config["attacks"]["redteam"]["attacker"] = "opnai:gpt-4o-mini"
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(config))
    assert main(["plan", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "attacks.redteam.attacker: unknown backend kind 'opnai'" in err and "\n" not in err
    assert not (tmp_path / "out").exists()


def test_make_backend_builds_the_block_with_its_settings(monkeypatch, tmp_path):
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    backend = make_backend(BLOCK, category="judge", cache_path=tmp_path / "c.sqlite")
    assert isinstance(backend, OpenAIBackend)
    assert backend.spec == SPEC and backend.policy.max_attempts == 2
    assert backend._client.timeout == 5.0 and backend.where == "openai:judge at 127.0.0.1:9"
