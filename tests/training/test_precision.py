"""dtype and device: validated against the hardware, applied to loading and to the TRL configs; FLOPs do not depend on them."""

from __future__ import annotations

import pytest
import torch

from study import precision
from study.errors import ConfigError
from study.training import TrainingSettings, trl_args


@pytest.mark.parametrize("kwargs,match", [
    ({"dtype": "fp64"}, r"training\.dtype: 'fp64' is not one of fp32, bf16, fp16"),
    ({"device": "gpu"}, r"training\.device: 'gpu' is not auto, cpu, cuda or cuda:N"),
    ({"device": "cuda:x"}, r"training\.device: 'cuda:x'"),
])
def test_bad_values_fail_at_config_load(kwargs, match):
    with pytest.raises(ConfigError, match=match):
        TrainingSettings(**kwargs)


def test_fp16_on_cpu_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"training\.dtype: fp16 is not supported on the CPU; set dtype: fp32"):
        trl_args("sft", TrainingSettings(dtype="fp16", device="cpu"), tmp_path, seed=0)


def test_bf16_on_a_cpu_without_native_bf16_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(precision, "cpu_supports_bf16", lambda: False)
    with pytest.raises(ConfigError, match=r"bf16 but this CPU has no native bf16 \(AVX512-BF16/AMX\); set dtype: fp32"):
        trl_args("grpo", TrainingSettings(dtype="bf16", device="cpu", batch_size=2), tmp_path, seed=0, num_generations=2)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU error")
def test_cuda_without_a_gpu_is_refused(tmp_path):
    with pytest.raises(ConfigError, match=r"training\.device: 'cuda' but no CUDA GPU is visible; set device: cpu"):
        trl_args("sft", TrainingSettings(device="cuda"), tmp_path, seed=0)


@pytest.mark.parametrize("dtype,flags", [("fp32", (False, False)), ("bf16", (True, False))])
def test_dtype_reaches_the_trl_config(tmp_path, monkeypatch, dtype, flags):
    monkeypatch.setattr(precision, "cpu_supports_bf16", lambda: True)
    args = trl_args("sft", TrainingSettings(dtype=dtype, device="cpu"), tmp_path, seed=0)
    assert (args.bf16, args.fp16) == flags and args.use_cpu


def test_launcher_mixed_precision_must_match_training_dtype(tmp_path, monkeypatch):
    monkeypatch.setenv("ACCELERATE_MIXED_PRECISION", "bf16")
    with pytest.raises(ConfigError, match=r"accelerate config mixed_precision: bf16 but training\.dtype: fp32; set mixed_precision to 'no'"):
        trl_args("sft", TrainingSettings(dtype="fp32", device="cpu"), tmp_path, seed=0)
    monkeypatch.setenv("ACCELERATE_MIXED_PRECISION", "no")
    assert trl_args("sft", TrainingSettings(dtype="fp32", device="cpu"), tmp_path, seed=0).bf16 is False


@pytest.mark.skipif(not precision.cpu_supports_bf16(), reason="this CPU has no native bf16")
def test_load_model_applies_dtype_and_keeps_the_parameter_count():
    from study.models import TINY, load_model

    fp32, bf16 = load_model(TINY), load_model(TINY, dtype="bf16", device="cpu")
    assert next(bf16.model.parameters()).dtype == torch.bfloat16
    assert next(fp32.model.parameters()).dtype == torch.float32
    assert bf16.n_params_non_embedding == fp32.n_params_non_embedding


def test_load_model_refuses_fp16_on_cpu():
    from study.models import TINY, load_model

    with pytest.raises(ConfigError, match=r"model\.dtype: fp16 is not supported on the CPU"):
        load_model(TINY, dtype="fp16", device="cpu")


def _sft_ledger(tmp_path, dtype: str):
    from datasets import Dataset
    from transformers import set_seed
    from trl import SFTTrainer

    from study.compute import Ledger
    from study.models import TINY, load_model
    from study.training import LedgerCallback, quiet

    set_seed(0)
    loaded = load_model(TINY, for_training=True)
    ledger = Ledger(loaded.n_params_non_embedding)
    rows = [{"messages": [{"role": "user", "content": f"Count to {i}."}, {"role": "assistant", "content": " ".join(map(str, range(i)))}]}
            for i in range(1, 9)]
    settings = TrainingSettings(learning_rate=1e-3, batch_size=2, max_steps=3, max_length=64, dtype=dtype, device="cpu")
    trainer = SFTTrainer(model=loaded.model, processing_class=loaded.tokenizer, train_dataset=Dataset.from_list(rows),
                         args=trl_args("sft", settings, tmp_path / dtype, 0, shuffle_dataset=False), callbacks=[LedgerCallback(ledger)])
    before = [p.detach().clone() for p in loaded.model.parameters()]
    quiet(trainer).train()
    changed = any(not torch.equal(a, b.detach()) for a, b in zip(before, loaded.model.parameters()))
    return ledger, changed


@pytest.mark.skipif(not precision.cpu_supports_bf16(), reason="this CPU has no native bf16")
def test_ledger_is_unchanged_by_dtype(tmp_path):
    fp32, changed32 = _sft_ledger(tmp_path, "fp32")
    bf16, changed16 = _sft_ledger(tmp_path, "bf16")
    assert changed32 and changed16  # both really trained
    assert fp32.tokens["train"] > 0
    assert bf16.to_dict() == fp32.to_dict()
