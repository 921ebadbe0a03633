from __future__ import annotations

import warnings

import pytest

from study.training import TrainingSettings, trl_args


@pytest.mark.parametrize("kind", ["sft", "dpo", "grpo"])
@pytest.mark.parametrize("checkpointing", [False, True])
def test_activation_checkpointing_follows_settings_without_deprecation_warning(tmp_path, kind, checkpointing):
    settings = TrainingSettings(activation_checkpointing=checkpointing, max_steps=3, batch_size=2)
    extra = {"num_generations": 2} if kind == "grpo" else {}
    with warnings.catch_warnings():
        warnings.simplefilter("error", FutureWarning)
        args = trl_args(kind, settings, tmp_path, seed=7, **extra)
    assert args.gradient_checkpointing is checkpointing
    assert getattr(args, "activation_checkpointing", checkpointing) is checkpointing
    assert (args.max_steps, args.seed, args.data_seed) == (3, 7, 7)
