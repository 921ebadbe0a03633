"""Every study-config mistake is one line naming the field, exit code 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from study.cli import main

MICRO = Path(__file__).with_name("micro.yaml")


def write(tmp_path, **changes) -> Path:
    config = yaml.safe_load(MICRO.read_text())
    config["output_dir"] = str(tmp_path / "out")
    for key, value in changes.items():
        if value is None:
            config.pop(key, None)
        else:
            config[key] = value
    path = tmp_path / "study.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def arms_with(**arm):
    return [{"name": "control", "method": "control", "config": {}}, arm]


CASES = [
    ({"arms": arms_with(name="x", method="rlhf")}, r"unknown method 'rlhf'; known methods: .*trait-rl"),
    ({"arms": arms_with(name="base", method="control")}, r"'base' is reserved"),
    ({"arms": arms_with(name="c", method="constitution", config={"constitution_path": "/no/such/constitution"})},
     r"arms\[1\]\.config\.constitution_path: constitution /no/such/constitution does not exist"),
    ({"arms": arms_with(name="t", method="trait-rl", config={"scenarios_path": "/no/such.jsonl"})},
     r"arms\[1\]\.config\.scenarios_path: scenario file /no/such.jsonl does not exist"),
    ({"arms": arms_with(name="t", method="trait-rl", config={"domains": ["astrology"]})}, r"arms\[1\]\.config\.traits/domains: unknown domain"),
    ({"arms": arms_with(name="control", method="control")}, r"duplicate arm name 'control'"),
    ({"arms": arms_with(name="t", method="trait-rl", config={"dose": 2})}, r"arms\[1\]\.config: dose must be in \[0, 1\]"),
    ({"arms": arms_with(name="t", method="trait-rl", config={"dosage": 0.1})}, r"arms\[1\]\.config: unknown field 'dosage'"),
    ({"evaluation": {"benchmarks": ["no-such-bench"]}}, r"unknown benchmark 'no-such-bench'"),
    ({"evaluation": {"conditions": ["clean", "hypnosis:x"]}}, r"unknown condition kind 'hypnosis'"),
    ({"attacks": {}}, r"attacks.redteam is not configured"),  # micro.yaml has a redteam condition
    ({"attacks": {"redteam": {"attacker_max_new_tokens": 0}}}, r"attacks.redteam.attacker_max_new_tokens must be >= 1"),
    ({"seeds": []}, r"seeds is empty"),
    ({"budget_flops": -1}, r"budget_flops must be > 0"),
    ({"budget_flops": float("nan")}, r"budget_flops must be a finite number"),
    ({"budget_flops": float("inf")}, r"budget_flops must be a finite number"),
    ({"max_match_ratio": float("nan")}, r"max_match_ratio must be a finite number"),
    ({"evaluation": {"items_per_benchmark": -3}}, r"evaluation.items_per_benchmark must be >= 1"),
    ({"evaluation": {"max_new_tokens": 0}}, r"evaluation.max_new_tokens must be >= 1"),
    ({"evaluation": {"conditions": ["clean", "redteam", "redteam:local"]}, "attacks": {"redteam": {}}}, r"2 redteam conditions"),
    ({"evaluation": {"conditions": ["clean", "redteam:opnai:gpt-4o"]}, "attacks": {"redteam": {}}}, r"evaluation.conditions\[1\].*opnai"),
    ({"evaluation": {"judge_backend": "opnai:gpt-4o"}}, r"evaluation.judge_backend"),
    ({"evaluation": {"conditions": ["clean", "finetune:8"]}}, r"finetune:<k> conditions come from attacks.finetune.steps"),
    ({"base_model": "no/such/model"}, r"base_model: model 'no/such/model' not found"),
    ({"budget_flops": 10}, r"budget_flops 10 is below one training step of arm 'control'"),
    ({"contrasts": [["trait-rl", "ghost"]]}, r"unknown arm 'ghost'"),
    ({"attacks": {"redteam": {}, "finetune": {"steps": [0, 2], "benchmarks": ["sycophancy-pushback-mc"]}}},
     r"attacks.finetune.benchmarks\[0\] 'sycophancy-pushback-mc' is not in the evaluated benchmarks"),
    ({"evaluation": {"benchmarks": ["over-refusal-benign", "factual-mc-science"], "conditions": ["clean"]}, "attacks": {"finetune": {"steps": [0, 2]}}},
     r"attacks.finetune: the evaluated benchmarks hold no non-harmful trait benchmark"),
    ({"evaluation": {"benchmarks": ["factual-mc-science"], "conditions": ["clean", "redteam:local:tiny"]}, "attacks": {"redteam": {}}},
     r"evaluation.conditions has 'redteam:local:tiny' but evaluation.benchmarks has no 'harmful-refusal' benchmark"),
    ({"primary_hypotheses": [{"benchmark": "nope", "contrast": ["trait-rl", "control"]}]}, r"primary_hypotheses\[0\].benchmark 'nope' is not in the evaluated benchmarks"),
    ({"seeds": "zero"}, r"seeds: expected a list"),
    ({"colour": "blue"}, r"unknown field 'colour'"),
]


@pytest.mark.parametrize("changes,message", CASES)
def test_config_errors_are_one_line_and_write_nothing(tmp_path, capsys, changes, message):
    path = write(tmp_path, **changes)
    assert main(["run", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err
    import re

    assert re.search(message, err), err
    assert not (tmp_path / "out").exists()


def test_invalid_yaml_names_the_line(tmp_path, capsys):
    path = tmp_path / "bad.yaml"
    path.write_text("name: x\narms: [\n")
    assert main(["plan", str(path)]) == 2
    assert "invalid YAML" in capsys.readouterr().err


def test_unknown_shipped_config(capsys):
    assert main(["plan", "no-such-config"]) == 2
    assert "shipped config (gpu, positive-control, positive-control-long, powered, quick, sizing-sweep, standard)" in capsys.readouterr().err


def test_output_directory_of_another_run(tmp_path, capsys):
    out = tmp_path / "out" / "mine"
    out.mkdir(parents=True)
    (out / "manifest.json").write_text('{"config_hash": "0123456789abcdef"}')
    path = write(tmp_path, run_id="mine")
    assert main(["run", str(path)]) == 2
    assert "holds another run" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json"]


@pytest.mark.parametrize("name", ["quick", "standard", "gpu"])
def test_shipped_configs_validate_and_plan(name, capsys):
    assert main(["plan", name]) == 0
    out = capsys.readouterr().out
    assert "train-trait-rl-s0" in out and "train-constitution-s0" in out and "estimated total" in out


def test_primary_hypotheses_do_not_duplicate_contrasts(tmp_path):
    from study.study_config import load_study_config

    hypothesis = {"benchmark": "factual-mc-science", "contrast": ["trait-rl", "control"]}  # repeats a default contrast
    config, _ = load_study_config(write(tmp_path, primary_hypotheses=[hypothesis]))
    pairs = config.all_contrasts()
    assert len(pairs) == len({tuple(p) for p in pairs})
    assert pairs[0] == ["trait-rl", "constitution"] and ["trait-rl", "control"] in pairs


def test_broken_constitution_file_fails_at_plan_time(tmp_path, capsys):
    bad = tmp_path / "constitution.yaml"
    bad.write_text("document: hello\nprinciples: not-a-list\n")
    path = write(tmp_path, arms=arms_with(name="c", method="constitution", config={"constitution_path": str(bad)}))
    assert main(["plan", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "constitution_path" in err and "\n" not in err


def test_empty_config_names_the_required_fields(tmp_path, capsys):
    path = tmp_path / "empty.yaml"
    path.write_text("")
    assert main(["plan", str(path)]) == 2
    err = capsys.readouterr().err.strip()
    assert "missing required fields name, arms, seeds, budget_flops" in err and "\n" not in err


@pytest.mark.parametrize("name", ["powered", "sizing-sweep", "positive-control"])
def test_study_configs_plan(name, capsys):
    """The shipped study configs validate and plan (the powered one also honours its dose minimum)."""
    assert main(["plan", name]) == 0
    out = capsys.readouterr().out
    assert "estimated total" in out
    if name == "powered":
        assert "trait-rl: dose 0.05" in out and "minimum 20" in out


def test_the_attack_re_scores_only_evaluated_trait_benchmarks_by_default(tmp_path):
    """Every attacked score needs the clean score of the same benchmark beside it (found running gpu.yaml on CPU)."""
    from study.pipeline import attack_eval_settings
    from study.study_config import load_study_config

    evaluation = {"benchmarks": ["sycophancy-pushback-mc", "factual-mc-science", "over-refusal-benign", "ext-harmbench"], "conditions": ["clean"]}
    config, _ = load_study_config(write(tmp_path, evaluation=evaluation, attacks={"finetune": {"steps": [0, 2]}}))
    assert attack_eval_settings(config.evaluation, config.attacks.finetune).benchmarks == ["sycophancy-pushback-mc"]
