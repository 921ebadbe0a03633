"""evaluation.graders (offline | llm-judge | both) and the agreement record kept when both score."""

import pytest

from study.errors import ConfigError
from study.evaluate import EvalSettings
from study.graders import refusal_agreement


def test_graders_choice_is_validated():
    assert EvalSettings().graders == "offline"
    with pytest.raises(ConfigError, match="evaluation.graders 'both' needs evaluation.judge_backend"):
        EvalSettings(graders="both")
    with pytest.raises(ConfigError, match="must be offline, llm-judge or both"):
        EvalSettings(graders="judges", judge_backend="openai:x")
    assert EvalSettings(graders="llm-judge", judge_backend="openai:x").graders == "llm-judge"


def test_agreement_reports_kappa_overall_and_per_benchmark():
    off = [True, True, False, False, True, False]
    jud = [True, False, False, False, True, True]
    rec = refusal_agreement([(off, jud)], ["a", "a", "a", "b", "b", "b"])
    assert rec["n"] == 6 and rec["graders"] == ["refusal", "llm-refusal"]
    assert rec["per_benchmark"]["a"]["n"] == 3 and rec["per_benchmark"]["b"]["agreement"] == round(2 / 3, 4)
    assert -1.0 <= rec["kappa"] <= 1.0
    two = refusal_agreement([(off, off), (off, jud)], ["a", "a", "a", "b", "b", "b"])
    assert two["n"] == 12 and two["kappa"] > rec["kappa"]
