"""Checker registry: names -> deterministic response checkers with validated params.

A checker is ``fn(response: str, **params) -> float`` returning a score in
[0, 1]. Parameters are declared at registration with one validator each, so a
bad target (wrong type, missing or unexpected parameter) fails with a one-line
:class:`ConfigError` when items are built, not halfway through an evaluation.
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass
from typing import Any, Callable

from study.errors import ConfigError, UnknownNameError

Validator = Callable[[str, str, Any], Any]


@dataclass(frozen=True)
class CheckerSpec:
    name: str
    fn: Callable[..., float]
    params: dict[str, Validator]
    defaults: dict[str, Any]
    doc: str


_CHECKERS: dict[str, CheckerSpec] = {}


def register(name: str, **validators: Validator) -> Callable[[Callable[..., float]], Callable[..., float]]:
    """Register ``fn`` as checker ``name``; ``validators`` maps each param to its validator."""

    def wrap(fn: Callable[..., float]) -> Callable[..., float]:
        sig = inspect.signature(fn)
        declared = [p for p in sig.parameters if p != "response"]
        if sorted(declared) != sorted(validators):
            raise TypeError(f"checker {name!r}: validators {sorted(validators)} do not match params {sorted(declared)}")
        defaults = {p: v.default for p, v in sig.parameters.items() if p != "response" and v.default is not inspect.Parameter.empty}
        if name in _CHECKERS:
            raise TypeError(f"checker {name!r} registered twice")
        doc = (fn.__doc__ or "").strip().splitlines()[0] if fn.__doc__ else ""
        _CHECKERS[name] = CheckerSpec(name, fn, dict(validators), defaults, doc)
        return fn

    return wrap


def get_checker(name: str) -> CheckerSpec:
    if name not in _CHECKERS:
        raise UnknownNameError("checker", name, list(_CHECKERS))
    return _CHECKERS[name]


def checker_names() -> list[str]:
    return sorted(_CHECKERS)


def validate(name: str, **params: Any) -> dict[str, Any]:
    """Return ``params`` normalised for checker ``name``; raise ConfigError naming the fix."""
    spec = get_checker(name)
    unexpected = sorted(set(params) - set(spec.params))
    if unexpected:
        raise ConfigError(f"checker {name!r}: unexpected param(s) {unexpected}; accepted: {sorted(spec.params) or 'none'}")
    missing = sorted(set(spec.params) - set(params) - set(spec.defaults))
    if missing:
        raise ConfigError(f"checker {name!r}: missing param(s) {missing}; accepted: {sorted(spec.params)}")
    out = dict(spec.defaults)
    for key, value in params.items():
        out[key] = spec.params[key](name, key, value)
    return out


def check(name: str, response: str, **params: Any) -> float:
    """Score ``response`` with checker ``name``; the result is a float in [0, 1]."""
    if not isinstance(response, str):
        raise ConfigError(f"checker {name!r}: response must be str, got {type(response).__name__}")
    clean = validate(name, **params)
    score = float(get_checker(name).fn(response, **clean))
    return min(1.0, max(0.0, score))


def split_target(target: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """Split an ``Item.target`` like ``{"checker": "max_words", "n": 60}`` into name and params."""
    if not isinstance(target, dict) or not isinstance(target.get("checker"), str):
        raise ConfigError(f"checker target {target!r} needs a 'checker' key naming a checker")
    params = {k: v for k, v in target.items() if k != "checker"}
    return target["checker"], params


def check_target(target: dict[str, Any], response: str) -> float:
    name, params = split_target(target)
    return check(name, response, **params)


def target(name: str, **params: Any) -> dict[str, Any]:
    """Build a validated ``Item.target`` dict for checker ``name``."""
    validate(name, **params)
    return {"checker": name, **params}


# ----- parameter validators -------------------------------------------------------------


def pos_int(name: str, key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ConfigError(f"checker {name!r}: param {key!r} must be a positive int, got {value!r}")
    return value


def opt_pos_int(name: str, key: str, value: Any) -> int | None:
    return None if value is None else pos_int(name, key, value)


def text(name: str, key: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ConfigError(f"checker {name!r}: param {key!r} must be a non-empty string, got {value!r}")
    return value


def text_list(name: str, key: str, value: Any) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, (list, tuple)) or not value:
        raise ConfigError(f"checker {name!r}: param {key!r} must be a non-empty list of strings, got {value!r}")
    return tuple(text(name, key, v) for v in value)


def flag(name: str, key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"checker {name!r}: param {key!r} must be true or false, got {value!r}")
    return value


def one_of(*choices: str) -> Validator:
    def check_choice(name: str, key: str, value: Any) -> str:
        if value not in choices:
            raise ConfigError(f"checker {name!r}: param {key!r} must be one of {list(choices)}, got {value!r}")
        return value

    return check_choice
