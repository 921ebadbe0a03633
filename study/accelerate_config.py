"""Validate an ``accelerate launch`` config file against this machine before launching.

The shipped files live in ``study/configs/accelerate/`` (DDP, DeepSpeed ZeRO-2/3,
FSDP, and two CPU processes); any file in accelerate's own format is accepted.
A file is parsed as YAML, checked field by field (known ``distributed_type``,
``num_processes`` >= 1, ``mixed_precision``, ``zero_stage``, ``fsdp_version``),
then against the hardware: the processes must fit the visible devices (GPUs,
or CPU cores for ``MULTI_CPU``), the mixed precision must be supported there
and agree with the arms' ``training.dtype``, and DeepSpeed must be installed
for ``DEEPSPEED``. Finally accelerate's own loader must accept the file. Every
failure is one :class:`ConfigError` line naming the file, the field and the fix.
"""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass
from pathlib import Path

from study.config_parse import read_yaml
from study.errors import ConfigError

SHIPPED_DIR = Path(__file__).resolve().parent / "configs" / "accelerate"
DISTRIBUTED_TYPES = ("NO", "MULTI_CPU", "MULTI_GPU", "DEEPSPEED", "FSDP")
MIXED_PRECISION = {"no": "fp32", "bf16": "bf16", "fp16": "fp16"}


@dataclass(frozen=True)
class LaunchConfig:
    path: Path
    distributed_type: str
    num_processes: int
    mixed_precision: str
    use_cpu: bool

    @property
    def dtype(self) -> str:
        """The ``training.dtype`` this launch trains in."""
        return MIXED_PRECISION[self.mixed_precision]


def resolve_accelerate_config(name: str) -> Path:
    """A path, or the name of a shipped accelerate config (ddp, zero2, zero3, fsdp, cpu-ddp)."""
    from study.inputs import resolve_named_file

    return resolve_named_file(name, SHIPPED_DIR, "accelerate config")


def load_accelerate_config(path: Path, *, gpus: int | None = None, cpus: int | None = None,
                           dtypes: set[str] | None = None) -> LaunchConfig:
    """Parse and validate ``path``; ``gpus``/``cpus`` default to what this machine has (tests pass them)."""
    path = Path(path)
    data = _read(path)
    where = str(path)
    dist_type = str(data.get("distributed_type", "NO"))
    if dist_type not in DISTRIBUTED_TYPES:
        raise ConfigError(f"{where}: distributed_type {dist_type!r} is not one of {', '.join(DISTRIBUTED_TYPES)}")
    nproc = data.get("num_processes", 1)
    if not isinstance(nproc, int) or isinstance(nproc, bool) or nproc < 1:
        raise ConfigError(f"{where}: num_processes must be an integer >= 1, got {nproc!r}")
    mixed = str(data.get("mixed_precision", "no"))
    if mixed not in MIXED_PRECISION:
        raise ConfigError(f"{where}: mixed_precision {mixed!r} is not one of {', '.join(MIXED_PRECISION)}")
    use_cpu = bool(data.get("use_cpu", False)) or dist_type == "MULTI_CPU"
    if dist_type == "DEEPSPEED":
        stage = (data.get("deepspeed_config") or {}).get("zero_stage")
        if stage not in (0, 1, 2, 3):
            raise ConfigError(f"{where}: deepspeed_config.zero_stage must be 0, 1, 2 or 3, got {stage!r}")
        if importlib.util.find_spec("deepspeed") is None:
            raise ConfigError(f"{where}: distributed_type DEEPSPEED needs the deepspeed package; pip install deepspeed (on the GPU nodes)")
    if dist_type == "FSDP":
        version = (data.get("fsdp_config") or {}).get("fsdp_version", 1)
        if version not in (1, 2):
            raise ConfigError(f"{where}: fsdp_config.fsdp_version must be 1 or 2, got {version!r}")
    _check_hardware(where, dist_type, nproc, mixed, use_cpu, gpus, cpus)
    if dtypes:
        wanted = MIXED_PRECISION[mixed]
        other = sorted(dtypes - {wanted})
        if other:
            fix = next(k for k, v in MIXED_PRECISION.items() if v == other[0])
            raise ConfigError(f"{where}: mixed_precision {mixed!r} trains in {wanted} but training.dtype is {other[0]}; "
                              f"set mixed_precision: {fix!r} or training.dtype: {wanted}")
    _accelerate_accepts(path)
    return LaunchConfig(path=path, distributed_type=dist_type, num_processes=nproc, mixed_precision=mixed, use_cpu=use_cpu)


def _read(path: Path) -> dict:
    data = read_yaml(path, "accelerate config")
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: expected a mapping of accelerate fields, got {type(data).__name__}")
    return data


def _check_hardware(where: str, dist_type: str, nproc: int, mixed: str, use_cpu: bool, gpus: int | None, cpus: int | None) -> None:
    import torch

    gpus = torch.cuda.device_count() if gpus is None else gpus
    cpus = (os.cpu_count() or 1) if cpus is None else cpus
    if use_cpu:
        if dist_type not in ("NO", "MULTI_CPU"):
            raise ConfigError(f"{where}: use_cpu with distributed_type {dist_type}; use distributed_type: MULTI_CPU for CPU processes")
        if nproc > cpus:
            raise ConfigError(f"{where}: num_processes {nproc} exceeds the {cpus} CPU core(s) here; set num_processes <= {cpus}")
        if mixed == "fp16":
            raise ConfigError(f"{where}: mixed_precision fp16 is not supported on the CPU; set mixed_precision: 'no' (or bf16 on AVX512-BF16/AMX)")
        if mixed == "bf16":
            from study.precision import cpu_supports_bf16

            if not cpu_supports_bf16():
                raise ConfigError(f"{where}: mixed_precision bf16 but this CPU has no native bf16; set mixed_precision: 'no'")
        return
    if gpus == 0:
        raise ConfigError(f"{where}: distributed_type {dist_type} needs GPUs but none is visible; use study/configs/accelerate/cpu-ddp.yaml on a CPU machine")
    if nproc > gpus:
        raise ConfigError(f"{where}: num_processes {nproc} but only {gpus} GPU(s) are visible; set num_processes <= {gpus}")
    if mixed == "bf16" and torch.cuda.is_available() and not torch.cuda.is_bf16_supported():
        raise ConfigError(f"{where}: mixed_precision bf16 needs an Ampere or newer GPU; set mixed_precision: fp16")


def _accelerate_accepts(path: Path) -> None:
    from accelerate.commands.config.config_args import load_config_from_file

    try:
        load_config_from_file(str(path))
    except (TypeError, ValueError, KeyError) as exc:
        raise ConfigError(f"{path}: accelerate rejects the file ({type(exc).__name__}: {exc}); compare with study/configs/accelerate/ddp.yaml") from None
