"""Numeric precision and device placement, checked against the hardware before any work starts.

``dtype`` is one of ``fp32``, ``bf16``, ``fp16``; ``device`` is ``auto`` (the
first GPU when there is one, else the CPU), ``cpu``, ``cuda`` or ``cuda:N``.

Rules (decided here, documented in docs/scaling-training.md):

* ``fp16`` on a CPU is refused: PyTorch's CPU kernels for half precision are
  incomplete and Trainer's fp16 mixed precision needs a CUDA grad scaler.
* ``bf16`` on a CPU is allowed only when oneDNN reports native bf16 support
  (AVX512-BF16 / AMX); otherwise refused (no silent fallback to fp32, because
  a run would then not be what its config says).
* ``bf16`` on a GPU needs one that supports it (Ampere or newer).

For training, ``dtype`` selects mixed precision (the trainer's ``bf16``/``fp16``
flags: fp32 master weights, low-precision autocast); for evaluation it is the
dtype the weights are loaded in. FLOPs do not depend on it.
"""

from __future__ import annotations

from study.errors import ConfigError

DTYPES = ("fp32", "bf16", "fp16")


def check_values(dtype: str, device: str, where: str) -> None:
    """Static checks (no hardware): a known dtype and a well-formed device name."""
    if dtype not in DTYPES:
        raise ConfigError(f"{where}.dtype: {dtype!r} is not one of {', '.join(DTYPES)}")
    if not (device in ("auto", "cpu", "cuda") or (device.startswith("cuda:") and device[5:].isdigit())):
        raise ConfigError(f"{where}.device: {device!r} is not auto, cpu, cuda or cuda:N")


def resolve_device(device: str) -> str:
    """``auto`` is this process's GPU (``cuda:LOCAL_RANK`` under a multi-process launch) or the CPU."""
    import os

    import torch

    if device == "auto":
        if not torch.cuda.is_available():
            return "cpu"
        local = os.environ.get("LOCAL_RANK")
        return f"cuda:{local}" if local is not None else "cuda"
    return device


def cpu_supports_bf16() -> bool:
    import torch

    try:
        return bool(torch.ops.mkldnn._is_mkldnn_bf16_supported())
    except (AttributeError, RuntimeError):
        return False


def check_hardware(dtype: str, device: str, where: str) -> str:
    """Refuse a dtype/device pair this machine cannot run; return the resolved device."""
    import torch

    check_values(dtype, device, where)
    resolved = resolve_device(device)
    if resolved.startswith("cuda"):
        if not torch.cuda.is_available():
            raise ConfigError(f"{where}.device: {device!r} but no CUDA GPU is visible; set device: cpu (or auto)")
        index = int(resolved[5:]) if ":" in resolved else 0
        if index >= torch.cuda.device_count():
            raise ConfigError(f"{where}.device: {device!r} but only {torch.cuda.device_count()} GPU(s) are visible")
        if dtype == "bf16" and not torch.cuda.is_bf16_supported():
            raise ConfigError(f"{where}.dtype: bf16 needs an Ampere or newer GPU; set dtype: fp16 or fp32")
    else:
        if dtype == "fp16":
            raise ConfigError(f"{where}.dtype: fp16 is not supported on the CPU; set dtype: fp32 (or bf16 on a CPU with AVX512-BF16/AMX)")
        if dtype == "bf16" and not cpu_supports_bf16():
            raise ConfigError(f"{where}.dtype: bf16 but this CPU has no native bf16 (AVX512-BF16/AMX); set dtype: fp32")
    return resolved


def torch_dtype(dtype: str):
    import torch

    return {"fp32": torch.float32, "bf16": torch.bfloat16, "fp16": torch.float16}[dtype]
