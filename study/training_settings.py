"""The optimisation settings every method shares; a plain config module (no torch/transformers import)."""

from __future__ import annotations

from dataclasses import dataclass, field

from study.errors import ConfigError


@dataclass(frozen=True)
class LoraSettings:
    enabled: bool = False
    r: int = 8
    alpha: int = 16
    dropout: float = 0.0
    target_modules: list[str] = field(default_factory=lambda: ["q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj"])

    def __post_init__(self) -> None:
        if self.r < 1:
            raise ConfigError(f"lora.r must be >= 1, got {self.r}")


@dataclass(frozen=True)
class TrainingSettings:
    learning_rate: float = 1e-5
    batch_size: int = 4
    gradient_accumulation_steps: int = 1
    max_steps: int = 1000
    warmup_steps: int = 0
    weight_decay: float = 0.0
    max_length: int = 512
    activation_checkpointing: bool = False
    dtype: str = "fp32"
    device: str = "auto"
    lora: LoraSettings = field(default_factory=LoraSettings)

    def __post_init__(self) -> None:
        from study.precision import check_values

        check_values(self.dtype, self.device, "training")
        if self.learning_rate <= 0:
            raise ConfigError(f"training.learning_rate must be positive, got {self.learning_rate}")
        for name in ("batch_size", "gradient_accumulation_steps", "max_steps", "max_length"):
            if getattr(self, name) < 1:
                raise ConfigError(f"training.{name} must be >= 1, got {getattr(self, name)}")
