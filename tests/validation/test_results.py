"""The committed validation results, the provenance record and the report section that shows them."""

import json

from study.graders import RefusalConfig, grader_provenance
from study.graders._head import HEADS_DIR, load_head
from study.report.validity import WARN, figures_table, grader_status, validity_section
from study.validation.sets import SETS
from study.validation.validate import EXTERNAL, GOALS, RESULTS_PATH, load_results, shipped_design


def test_results_are_for_the_shipped_heads_and_cover_every_external_set():
    res = load_results()
    assert res["parts"] == "reporting"
    for task in ("refusal", "harm"):
        assert res["heads"][task] == load_head(task).sha256, "results are stale: rerun study.validation.train"
        block = res["tasks"][task]
        assert block["goal"] == GOALS[task] and block["chosen"] in block["designs"]
        assert block["chosen"] == shipped_design(task), "the report's (shipped) design must be the default one"
        for s in EXTERNAL[task]:
            assert s in SETS
            fig = block["designs"][block["chosen"]]["sets"][s]
            assert fig["external"] and fig["n"] > 20
            assert fig["accuracy_ci"][0] <= fig["accuracy"] <= fig["accuracy_ci"][1]
            assert sum(fig["confusion"].values()) == fig["n"]


def test_heads_are_json_with_their_training_record():
    for task in ("refusal", "harm"):
        doc = json.loads((HEADS_DIR / f"{task}.json").read_text())
        assert doc["training"]["parts"] == "tuning" and doc["trained_on"]
        assert len(doc["weights"]) == doc["features"]["dim"] and 0 < doc["threshold"] < 1


def test_provenance_records_threshold_head_and_goal():
    p = grader_provenance()
    assert p["refusal"]["threshold"] == RefusalConfig().decision_threshold
    assert p["refusal"]["head_sha256"] == load_head("refusal").sha256
    assert isinstance(p["refusal"]["meets_goal"], bool) and p["rubric"]["validated"] is False
    assert p["circularity"]["rubric_benchmarks_scored_by_training_reward"] is False


def test_provenance_flags_circular_rubric_scoring():
    class Arm:
        name, method, config = "trait-rl", "trait-rl", {"reward": "rubric", "grader": "rubric-offline"}

    class Settings:
        rubric_grader, graders, judge_backend = "rubric-offline", "offline", None

    circ = grader_provenance(Settings(), [Arm()])["circularity"]
    assert circ["rubric_benchmarks_scored_by_training_reward"] and circ["arms"] == ["trait-rl"]
    Settings.rubric_grader = "llm-judge"
    assert not grader_provenance(Settings(), [Arm()])["circularity"]["rubric_benchmarks_scored_by_training_reward"]


def test_validity_section_shows_cis_and_warns_below_goal():
    res = load_results()
    table = figures_table(res)
    assert {"accuracy [95% CI]", "recall [95% CI]", "status"} <= set(table.columns)
    assert (table["status"] == WARN).any() == any(s != "ok" for s in grader_status(res).values())

    class Data:
        manifest = {"graders": {"circularity": {"rubric_benchmarks_scored_by_training_reward": True,
                                                "arms": ["trait-rl"], "grader": "rubric-offline"}}}

        def t(self, name):
            import pandas as pd

            return pd.DataFrame({"benchmark": ["ext-overrefusal", "ext-truthfulqa"]})

    sec = validity_section(Data())
    assert sec.title == "Measurement validity"
    texts = " ".join(b.text for b in sec.blocks)
    assert "Circularity" in texts and "reporting parts" in texts


def test_results_file_lives_in_the_package():
    assert RESULTS_PATH.is_file() and RESULTS_PATH.parent.name == "validity"
