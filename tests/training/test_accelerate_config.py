"""Shipped accelerate configs validate; a config that does not match the hardware is one line naming file and field."""

from __future__ import annotations

import importlib.util

import pytest
import yaml

from study.accelerate_config import SHIPPED_DIR, load_accelerate_config, resolve_accelerate_config
from study.cli import main
from study.errors import ConfigError

SHIPPED = sorted(p.stem for p in SHIPPED_DIR.glob("*.yaml"))


@pytest.fixture
def with_deepspeed(monkeypatch):
    """Pretend deepspeed is importable (it is a GPU-node dependency, not installed here)."""
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object() if name == "deepspeed" else real(name, *a))


def test_every_distributed_kind_is_shipped():
    assert SHIPPED == ["cpu-ddp", "ddp", "fsdp", "zero2", "zero3"]


@pytest.mark.parametrize("name", ["ddp", "fsdp", "zero2", "zero3"])
def test_gpu_configs_validate_on_an_eight_gpu_node(name, with_deepspeed):
    launch = load_accelerate_config(resolve_accelerate_config(name), gpus=8, cpus=64, dtypes={"bf16"})
    assert launch.num_processes == 8 and launch.dtype == "bf16" and not launch.use_cpu


def test_cpu_config_validates_on_this_machine():
    launch = load_accelerate_config(resolve_accelerate_config("cpu-ddp"), dtypes={"fp32"})
    assert (launch.distributed_type, launch.num_processes, launch.use_cpu) == ("MULTI_CPU", 2, True)


def _write(tmp_path, name="cpu-ddp", **changes):
    data = yaml.safe_load((SHIPPED_DIR / f"{name}.yaml").read_text())
    for key, value in changes.items():
        if isinstance(value, dict) and isinstance(data.get(key), dict):
            data[key].update(value)
        else:
            data[key] = value
    path = tmp_path / f"{name}.yaml"
    path.write_text(yaml.safe_dump(data))
    return path


@pytest.mark.parametrize("name,changes,hardware,match", [
    ("ddp", {}, {"gpus": 0}, r"distributed_type MULTI_GPU needs GPUs but none is visible; use study/configs/accelerate/cpu-ddp.yaml"),
    ("ddp", {}, {"gpus": 4}, r"num_processes 8 but only 4 GPU\(s\) are visible; set num_processes <= 4"),
    ("cpu-ddp", {"num_processes": 3}, {"cpus": 2}, r"num_processes 3 exceeds the 2 CPU core\(s\) here"),
    ("cpu-ddp", {"num_processes": 0}, {}, r"num_processes must be an integer >= 1, got 0"),
    ("cpu-ddp", {"mixed_precision": "fp16"}, {}, r"mixed_precision fp16 is not supported on the CPU"),
    ("cpu-ddp", {"mixed_precision": "fp8x"}, {}, r"mixed_precision 'fp8x' is not one of no, bf16, fp16"),
    ("cpu-ddp", {"distributed_type": "MULTI_TPU"}, {}, r"distributed_type 'MULTI_TPU' is not one of"),
    ("ddp", {"use_cpu": True}, {}, r"use_cpu with distributed_type MULTI_GPU; use distributed_type: MULTI_CPU"),
    ("fsdp", {"fsdp_config": {"fsdp_version": 3}}, {"gpus": 8}, r"fsdp_config\.fsdp_version must be 1 or 2, got 3"),
])
def test_mismatched_configs_name_file_and_field(tmp_path, name, changes, hardware, match):
    path = _write(tmp_path, name, **changes)
    with pytest.raises(ConfigError, match=match) as info:
        load_accelerate_config(path, **hardware)
    assert str(info.value).startswith(str(path)) and "\n" not in str(info.value)


def test_deepspeed_zero_stage_and_missing_package(tmp_path, with_deepspeed):
    path = _write(tmp_path, "zero2", deepspeed_config={"zero_stage": 5})
    with pytest.raises(ConfigError, match=r"deepspeed_config\.zero_stage must be 0, 1, 2 or 3, got 5"):
        load_accelerate_config(path, gpus=8)


@pytest.mark.skipif(importlib.util.find_spec("deepspeed") is not None, reason="deepspeed is installed here")
def test_deepspeed_missing_names_the_install():
    with pytest.raises(ConfigError, match=r"zero3\.yaml: distributed_type DEEPSPEED needs the deepspeed package; pip install deepspeed"):
        load_accelerate_config(resolve_accelerate_config("zero3"), gpus=8)


def test_mixed_precision_must_match_the_training_dtype():
    with pytest.raises(ConfigError, match=r"mixed_precision 'no' trains in fp32 but training\.dtype is bf16; set mixed_precision: 'bf16'"):
        load_accelerate_config(resolve_accelerate_config("cpu-ddp"), dtypes={"bf16"})


def test_invalid_yaml_and_unknown_name(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("distributed_type: [\n")
    with pytest.raises(ConfigError, match=r"bad\.yaml line \d+: invalid YAML"):
        load_accelerate_config(bad)
    with pytest.raises(ConfigError, match=r"accelerate config 'zero9' not found: .*\(cpu-ddp, ddp, fsdp, zero2, zero3\)"):
        resolve_accelerate_config("zero9")


def test_study_launch_validates_before_anything_starts(tmp_path, capsys):
    micro = tmp_path / "micro.yaml"
    raw = yaml.safe_load((SHIPPED_DIR.parents[2] / "tests" / "study" / "micro.yaml").read_text())
    raw["output_dir"] = str(tmp_path / "out")
    micro.write_text(yaml.safe_dump(raw))
    assert main(["launch", "ddp", str(micro), "--cell", "train-control-s0", "--dry-run"]) == 2
    assert "needs GPUs but none is visible" in capsys.readouterr().err
    assert main(["launch", "cpu-ddp", str(micro), "--cell", "eval-control-s0", "--dry-run"]) == 2
    assert "is not a train cell (eval); only train cells run under accelerate" in capsys.readouterr().err
    assert main(["launch", "cpu-ddp", str(micro), "--cell", "train-control-s0", "--dry-run",
                 "--set", "arms.control.config.training.dtype=bf16"]) == 2
    assert "set mixed_precision: 'bf16' or training.dtype: fp32" in capsys.readouterr().err
    assert main(["launch", "cpu-ddp", str(micro), "--cell", "train-control-s0", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "accelerate.commands.launch --multi_gpu --num_machines 1 --num_processes 2 --mixed_precision no" in out
    assert "-m study.cli run" in out and "--cell train-control-s0" in out
    assert not (tmp_path / "out").exists()


def test_gpu_launch_passes_the_validated_file(with_deepspeed, monkeypatch):
    from study.accelerate_config import LaunchConfig
    from study.commands.launch import accelerate_launch_args

    launch = LaunchConfig(path=SHIPPED_DIR / "zero3.yaml", distributed_type="DEEPSPEED", num_processes=8, mixed_precision="bf16", use_cpu=False)
    assert accelerate_launch_args(launch)[-2:] == ["--config_file", str(SHIPPED_DIR / "zero3.yaml")]
