"""Hardware profiles: how fast a cell's FLOPs run, how much memory a parameter takes, what a cell asks for.

``cpu-2core`` is measured: bench/study_phases.py on the quick config on the
2-core development machine (training cells spend their budget at about
5.5e10 FLOP/s including model loading; evaluation runs at about 1e11 FLOP/s of
the plan's nominal per-item estimate). The GPU profiles are not measured here:
they are the vendor's published dense BF16 peak (A100 SXM 312 TFLOP/s, H100
SXM 989 TFLOP/s, NVIDIA datasheets) times a stated model-FLOP utilisation
(MFU). RL training and evaluation are dominated by autoregressive decoding,
which is memory-bound, hence the low MFU assumptions (0.25 training, 0.10
evaluation); measure your own cluster and adjust before trusting a GPU-hour
figure.
"""

from __future__ import annotations

from dataclasses import dataclass

from study.errors import ConfigError


@dataclass(frozen=True)
class HardwareProfile:
    name: str
    description: str
    train_flops_per_s: float
    eval_flops_per_s: float
    weight_bytes: int  # bytes per parameter of a model held for inference (dtype)
    cpus_per_cell: int
    gpus_per_cell: int
    measured: bool

    def rate(self, kind: str) -> float:
        return self.train_flops_per_s if kind == "train" else self.eval_flops_per_s


A100_PEAK_BF16 = 312e12
H100_PEAK_BF16 = 989e12
TRAIN_MFU = 0.25
EVAL_MFU = 0.10

PROFILES = {
    "cpu-2core": HardwareProfile("cpu-2core", "2-core CPU, fp32 (measured with bench/study_phases.py)", 5.5e10, 1.0e11, 4, 1, 0, True),
    "a100": HardwareProfile("a100", f"1x A100 SXM, bf16: {A100_PEAK_BF16 / 1e12:.0f} TFLOP/s peak at MFU {TRAIN_MFU} train / {EVAL_MFU} eval",
                            A100_PEAK_BF16 * TRAIN_MFU, A100_PEAK_BF16 * EVAL_MFU, 2, 8, 1, False),
    "h100": HardwareProfile("h100", f"1x H100 SXM, bf16: {H100_PEAK_BF16 / 1e12:.0f} TFLOP/s peak at MFU {TRAIN_MFU} train / {EVAL_MFU} eval",
                            H100_PEAK_BF16 * TRAIN_MFU, H100_PEAK_BF16 * EVAL_MFU, 2, 8, 1, False),
}


def get_profile(name: str) -> HardwareProfile:
    profile = PROFILES.get(name)
    if profile is None:
        raise ConfigError(f"unknown hardware profile {name!r}; choose one of {', '.join(PROFILES)} (--hardware or executor.hardware)")
    return profile
