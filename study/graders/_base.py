"""Helpers shared by grader classes: config validation and small maths."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from study.errors import ConfigError


def build_config(cls: type, grader: str, kwargs: dict[str, Any]):
    """Instantiate a config dataclass, turning unknown keys into a one-line ConfigError."""
    names = {f.name for f in dataclasses.fields(cls)}
    unknown = sorted(set(kwargs) - names)
    if unknown:
        raise ConfigError(f"grader {grader!r}: unknown config key(s) {unknown}; valid keys: {sorted(names)}")
    return cls(**kwargs)


def build_nested(config, grader: str) -> None:
    """Turn every nested config given as a dict (``refusal: {...}``, ``penalties: {...}``) into its dataclass, in place.

    For frozen grader configs: the field's type is read from its default value's class."""
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if isinstance(value, dict) and f.default_factory is not dataclasses.MISSING:
            default = f.default_factory()
            if dataclasses.is_dataclass(default):
                object.__setattr__(config, f.name, build_config(type(default), grader, value))


def check(cond: bool, grader: str, msg: str) -> None:
    if not cond:
        raise ConfigError(f"grader {grader!r}: {msg}")


def ramp(x: float, lo: float, hi: float) -> float:
    """0 below lo, 1 above hi, linear in between."""
    if hi <= lo:
        return float(x >= hi)
    return min(1.0, max(0.0, (x - lo) / (hi - lo)))


def sigmoid(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def clip01(x: float) -> float:
    return min(1.0, max(0.0, float(x)))
