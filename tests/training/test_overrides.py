"""``--set key.path=value`` overrides: applied to the raw config, validated like the file, one-line errors."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from study.cli import main
from study.errors import ConfigError
from study.overrides import apply_overrides, load_config

MICRO = Path(__file__).resolve().parents[1] / "study" / "micro.yaml"
GPU = Path(__file__).resolve().parents[2] / "study" / "configs" / "gpu.yaml"


def test_dotted_paths_list_indices_arm_names_and_yaml_values():
    raw = {"base_model": "x", "seeds": [0], "arms": [{"name": "control", "config": {}}, {"name": "trait-rl", "config": {"dose": 0.05}}],
           "attacks": {"redteam": {"behaviours": 4}}}
    out = apply_overrides(raw, [
        "base_model=tiny", "seeds=[0, 1]", "arms.trait-rl.config.dose=0.1", "arms[0].config.training.max_steps=3",
        "arms.1.config.use_vllm=true", "attacks.redteam=null", "evaluation.items_per_benchmark=2",
    ])
    assert out["base_model"] == "tiny" and out["seeds"] == [0, 1]
    assert out["arms"][1]["config"] == {"dose": 0.1, "use_vllm": True}
    assert out["arms"][0]["config"] == {"training": {"max_steps": 3}}
    assert out["attacks"]["redteam"] is None
    assert out["evaluation"] == {"items_per_benchmark": 2}
    assert raw["base_model"] == "x" and raw["arms"][1]["config"] == {"dose": 0.05}  # the input is not mutated


@pytest.mark.parametrize("override,match", [
    ("base_model", r"expected KEY.PATH=VALUE"),
    ("=3", r"expected KEY.PATH=VALUE"),
    ("arms..config=1", r"empty segment"),
    ("arms.ghost.config.dose=0.1", r"no entry named 'ghost' at arms\.ghost; names are control, trait-rl"),
    ("arms.7.config.dose=0.1", r"arms\.7 is out of range \(the list has 2 entries\)"),
    ("seeds.0.x=1", r"seeds\.0 is a int, not a mapping or list"),
    ("base_model=[unclosed", r"not valid YAML"),
])
def test_bad_overrides_name_the_problem(override, match):
    raw = {"base_model": "x", "seeds": [0], "arms": [{"name": "control"}, {"name": "trait-rl"}]}
    with pytest.raises(ConfigError, match=match):
        apply_overrides(raw, [override])


def test_overridden_config_is_validated_like_the_file():
    config, raw = load_config(MICRO, ["arms.trait-rl.config.dose=0.25", "budget_flops=7e7"])
    assert config.budget_flops == 7e7 and raw["arms"][2]["config"]["dose"] == 0.25
    with pytest.raises(ConfigError, match=r"arms\[2\]\.config: unknown field 'dosage'.*\(after --set overrides\)"):
        load_config(MICRO, ["arms.trait-rl.config.dosage=0.25"])
    with pytest.raises(ConfigError, match=r"training\.dtype: 'fp64' is not one of fp32, bf16, fp16"):
        load_config(MICRO, ["arms.control.config.training.dtype=fp64"])


def test_cli_set_flag_errors_are_one_line_exit_2_nothing_written(tmp_path, capsys):
    config = yaml.safe_load(MICRO.read_text())
    config["output_dir"] = str(tmp_path / "out")
    path = tmp_path / "micro.yaml"
    path.write_text(yaml.safe_dump(config))
    assert main(["run", str(path), "--set", "arms.control.config.num_generations=1"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err and "num_generations must be >= 2" in err
    assert not (tmp_path / "out").exists()


def test_gpu_config_plans_with_the_embedded_model_swapped_in(capsys):
    # 2e14: enough GRPO steps of 8 prompts for the 5% dose to be honoured exactly (a smaller budget is refused)
    sets = ["base_model=smollm2-135m-instruct", "budget_flops=2e14", "arms.trait-rl.config.min_trait_scenarios=1"]
    assert main(["plan", str(GPU), *[arg for s in sets for arg in ("--set", s)]]) == 0
    assert "train-trait-rl-s0" in capsys.readouterr().out
