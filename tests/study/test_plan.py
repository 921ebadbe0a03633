"""`study plan` sizing: the config's own model, per-hardware wall time, memory, sbatch resources, unreachable budgets."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from study.cli import main
from study.errors import ConfigError

MICRO = Path(__file__).with_name("micro.yaml")
GPU = Path(__file__).resolve().parents[2] / "study" / "configs" / "gpu.yaml"


def cells_of(out: str) -> dict[str, list[str]]:
    return {line.split()[0]: line.split() for line in out.splitlines() if re.match(r"^(train|eval|attack)-", line)}


def seconds(text: str) -> float:
    return float(text[:-1]) * {"s": 1, "m": 60, "h": 3600}[text[-1]]


def test_model_size_reads_the_architecture_without_loading_weights(tiny):
    from study.model_size import model_size
    from study.models import TINY, resolve_model

    assert model_size(TINY).non_embedding == tiny.n_params_non_embedding
    from_dir = model_size(str(resolve_model(TINY)))
    assert from_dir.non_embedding == tiny.n_params_non_embedding and from_dir.source.endswith("config.json")
    assert model_size("smollm2-135m-instruct").non_embedding == 106_203_456  # the embedded model, counted when loaded
    assert 1.30e9 < model_size("Qwen/Qwen2.5-1.5B-Instruct").non_embedding < 1.32e9  # published: 1.31B non-embedding


def test_unknown_model_needs_a_hint():
    from study.model_size import model_size

    with pytest.raises(ConfigError, match="--model-params"):
        model_size("some-org/unknown-model-xyz")
    assert model_size("some-org/unknown-model-xyz", 7_000_000).non_embedding == 7_000_000


def test_gpu_plan_uses_its_model_and_the_hardware_profile(capsys):
    assert main(["plan", "gpu", "--hardware", "cpu-2core"]) == 0
    cpu = capsys.readouterr().out
    assert "1,310,340,608 non-embedding parameters" in cpu
    assert main(["plan", "quick"]) == 0
    quick = capsys.readouterr().out
    assert main(["plan", "gpu", "--hardware", "a100"]) == 0
    a100 = capsys.readouterr().out
    assert main(["plan", "gpu", "--hardware", "h100"]) == 0
    h100 = capsys.readouterr().out
    assert "a100" in a100 and "MFU" in a100 and "estimated total" in h100
    gpu_cells, quick_cells = cells_of(cpu), cells_of(quick)
    # eval FLOPs per item scale with the model: 1.31e9 / 1.06e8 non-embedding parameters
    per_item = lambda cells: float(cells["eval-base-s0"][3])
    assert per_item(gpu_cells) > per_item(quick_cells)
    t_cpu, t_a100, t_h100 = (seconds(cells_of(o)["train-control-s0"][4]) for o in (cpu, a100, h100))
    assert t_cpu / t_a100 == pytest.approx(312e12 * 0.25 / 5.5e10, rel=0.05)
    assert t_a100 / t_h100 == pytest.approx(989 / 312, rel=0.05)
    memory = {c: float(parts[5][:-1]) for c, parts in cells_of(a100).items()}
    assert memory["eval-base-s0"] > 3.0, "1.5B parameters in bf16 take > 3 GB"


def test_plan_prints_sbatch_resources_per_cell(capsys):
    assert main(["plan", "gpu", "--executor", "slurm", "--hardware", "a100", "--slurm-partition", "gpu"]) == 0
    out = capsys.readouterr().out.splitlines()
    sbatch = [line for line in out if line.strip().startswith("sbatch ")]
    assert len(sbatch) == len([line for line in out if re.match(r"^(train|eval|attack)-", line)])
    first = sbatch[0]
    for option in ("--job-name=", "--cpus-per-task=8", "--gpus-per-node=1", "--mem=", "--time=", "--partition=gpu"):
        assert option in first


def test_bad_hardware_profile_is_one_line(capsys):
    assert main(["plan", str(MICRO), "--hardware", "tpu-v9"]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "cpu-2core, a100, h100" in err


def unreachable_gpu(tmp_path) -> Path:
    """gpu.yaml as it shipped before: GRPO arms with max_steps 200 reach about 16% of the 5e17 budget."""
    config = yaml.safe_load(GPU.read_text())
    for arm in config["arms"]:
        if arm["method"] in ("control", "trait-rl"):
            arm["config"]["training"]["max_steps"] = 200
    config["output_dir"] = str(tmp_path / "out")
    path = tmp_path / "gpu-old.yaml"
    path.write_text(yaml.safe_dump(config))
    return path


def test_plan_refuses_an_arm_that_cannot_reach_its_budget(tmp_path, capsys):
    assert main(["plan", str(unreachable_gpu(tmp_path))]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1
    assert "arm 'control'" in err and "16% of budget_flops" in err and "raise arms[0].config.training.max_steps" in err
    assert not (tmp_path / "out").exists()


def test_run_refuses_it_before_training(tmp_path, capsys):
    config = yaml.safe_load(MICRO.read_text())
    config["arms"][0]["config"]["training"]["max_steps"] = 10  # control: 10 GRPO steps spend ~2.4e7 of 6e7
    config["output_dir"] = str(tmp_path / "out")
    path = tmp_path / "micro-short.yaml"
    path.write_text(yaml.safe_dump(config))
    assert main(["plan", str(path)]) == 2
    assert "training.max_steps" in capsys.readouterr().err
    assert main(["run", str(path), "--run-dir", str(tmp_path / "run")]) == 2
    assert "arm 'control' can spend at most" in capsys.readouterr().err
    assert not (tmp_path / "run").exists()


def test_shipped_configs_can_reach_their_budgets():
    from study.model_size import model_size
    from study.plan import check_reachable
    from study.study_config import load_study_config

    for name in ("quick", "standard", "gpu"):
        config, _ = load_study_config(GPU.with_name(f"{name}.yaml"))
        check_reachable(config, model_size(config.base_model).non_embedding)


def test_plan_refuses_a_budget_below_one_training_step_like_the_run(tmp_path, capsys):
    """Regression: `study plan` passed a budget that `study run` then refused (one step of an arm did not fit)."""
    out = tmp_path / "out"
    assert main(["plan", str(MICRO), "--set", "budget_flops=1e6", "--set", f"output_dir={out}"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "below one training step of arm 'control'" in err[0] and "raise budget_flops" in err[0]
    assert not out.exists()
