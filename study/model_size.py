"""Parameter counts of a model spec without loading its weights (for plans and sizing).

Order: a ``--model-params`` hint; the ``config.json`` of a local checkpoint,
of the tiny/embedded built-ins once cached, or of a hub id in the local hub
cache; else the architecture table below (copied from the published
``config.json`` of common hub models). The model is instantiated on PyTorch's
``meta`` device, so the count is exact for any transformers architecture and
costs no memory.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from study.errors import ConfigError

# Architecture fields from each model's published config.json (hub revision of 2025).
KNOWN_ARCHITECTURES: dict[str, dict] = {
    "tiny": dict(model_type="llama", vocab_size=49152, hidden_size=8, intermediate_size=32, num_hidden_layers=2,
                 num_attention_heads=2, num_key_value_heads=1, head_dim=4, tie_word_embeddings=True),
    "HuggingFaceTB/SmolLM2-135M-Instruct": dict(model_type="llama", vocab_size=49152, hidden_size=576, intermediate_size=1536,
                                                num_hidden_layers=30, num_attention_heads=9, num_key_value_heads=3, tie_word_embeddings=True),
    "HuggingFaceTB/SmolLM2-360M-Instruct": dict(model_type="llama", vocab_size=49152, hidden_size=960, intermediate_size=2560,
                                                num_hidden_layers=32, num_attention_heads=15, num_key_value_heads=5, tie_word_embeddings=True),
    "HuggingFaceTB/SmolLM2-1.7B-Instruct": dict(model_type="llama", vocab_size=49152, hidden_size=2048, intermediate_size=8192,
                                                num_hidden_layers=24, num_attention_heads=32, num_key_value_heads=32, tie_word_embeddings=True),
    "Qwen/Qwen2.5-0.5B-Instruct": dict(model_type="qwen2", vocab_size=151936, hidden_size=896, intermediate_size=4864,
                                       num_hidden_layers=24, num_attention_heads=14, num_key_value_heads=2, tie_word_embeddings=True),
    "Qwen/Qwen2.5-1.5B-Instruct": dict(model_type="qwen2", vocab_size=151936, hidden_size=1536, intermediate_size=8960,
                                       num_hidden_layers=28, num_attention_heads=12, num_key_value_heads=2, tie_word_embeddings=True),
    "Qwen/Qwen2.5-3B-Instruct": dict(model_type="qwen2", vocab_size=151936, hidden_size=2048, intermediate_size=11008,
                                     num_hidden_layers=36, num_attention_heads=16, num_key_value_heads=2, tie_word_embeddings=True),
    "Qwen/Qwen2.5-7B-Instruct": dict(model_type="qwen2", vocab_size=152064, hidden_size=3584, intermediate_size=18944,
                                     num_hidden_layers=28, num_attention_heads=28, num_key_value_heads=4, tie_word_embeddings=False),
    "meta-llama/Llama-3.1-8B-Instruct": dict(model_type="llama", vocab_size=128256, hidden_size=4096, intermediate_size=14336,
                                             num_hidden_layers=32, num_attention_heads=32, num_key_value_heads=8, tie_word_embeddings=False),
}
KNOWN_ARCHITECTURES["smollm2-135m-instruct"] = KNOWN_ARCHITECTURES["HuggingFaceTB/SmolLM2-135M-Instruct"]


@dataclass(frozen=True)
class ModelSize:
    total: int
    non_embedding: int
    source: str  # where the count came from (shown by `study plan`)


def model_size(spec: str, hint: int | None = None) -> ModelSize:
    if hint is not None:
        if hint <= 0:
            raise ConfigError(f"--model-params must be a positive parameter count, got {hint}")
        return ModelSize(hint, hint, "--model-params hint")
    config_file = _config_json(spec)
    if config_file is not None:
        data = json.loads(config_file.read_text(encoding="utf-8"))
        if "base_model_name_or_path" in data and "model_type" not in data:  # a LoRA adapter: size of its base
            return model_size(data["base_model_name_or_path"])
        return _count(data, str(config_file))
    if spec in KNOWN_ARCHITECTURES:
        return _count(KNOWN_ARCHITECTURES[spec], f"architecture table ({spec})")
    raise ConfigError(f"cannot size model {spec!r} without loading it (no local config.json, not in the hub cache, not a known id); "
                      "pass `study plan --model-params N` (its parameter count)")


def _config_json(spec: str) -> Path | None:
    from study import models

    if spec in (models.TINY, models.EMBEDDED):
        return None  # their cached checkpoints are built on first use; the table has their architecture
    path = Path(spec).expanduser()
    if path.is_dir():
        for name in ("config.json", "adapter_config.json"):
            if (path / name).exists():
                return path / name
        raise ConfigError(f"model directory {path} has no config.json; point base_model at a transformers checkpoint")
    if spec.count("/") == 1:
        try:
            from huggingface_hub import try_to_load_from_cache

            found = try_to_load_from_cache(spec, "config.json")
        except (ImportError, ValueError):
            return None
        return Path(found) if isinstance(found, str) else None
    return None


def _count(fields: dict, source: str) -> ModelSize:
    import torch
    from transformers import AutoConfig, AutoModelForCausalLM

    fields = {k: v for k, v in fields.items() if k not in ("architectures", "transformers_version", "auto_map")}
    try:
        config = AutoConfig.for_model(**fields)
    except (KeyError, ValueError) as exc:
        raise ConfigError(f"{source}: unsupported model_type ({exc}); pass `study plan --model-params N`") from None
    with torch.device("meta"):
        model = AutoModelForCausalLM.from_config(config)
    from study.models import non_embedding_params

    total = sum(p.numel() for p in {id(p): p for p in model.parameters()}.values())
    return ModelSize(int(total), int(non_embedding_params(model)), source)
