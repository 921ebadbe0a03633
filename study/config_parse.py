"""Strict construction of config dataclasses from YAML/JSON dicts.

Unknown keys, missing required keys, wrong types, non-finite numbers and values
outside a field's declared bounds fail with a one-line :class:`ConfigError`
naming the dotted path of the field (``arms[2].config.dose``) and what was
expected. Fields declare their documentation and bounds with :func:`setting`
(TRL-style ``help`` metadata); ``docs/study-config.md`` is generated from it.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from pathlib import Path
from typing import Any, TypeVar

from study.errors import ConfigError

T = TypeVar("T")
BOUNDS = {"ge": (lambda v, b: v >= b, ">="), "gt": (lambda v, b: v > b, ">"),
          "le": (lambda v, b: v <= b, "<="), "lt": (lambda v, b: v < b, "<")}


def read_yaml(path: Path, what: str) -> Any:
    """The YAML document in ``path``; an unreadable file or a syntax error is a one-line ConfigError naming
    ``what`` (e.g. "study config") or the line."""
    import yaml

    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read {what} {path}: {exc.strerror}") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{where}: invalid YAML; fix the syntax") from None


def setting(default: Any = dataclasses.MISSING, *, help: str, default_factory: Any = dataclasses.MISSING,
            ge: float | None = None, gt: float | None = None, le: float | None = None, lt: float | None = None,
            non_empty: bool = False) -> Any:
    """A dataclass field with its documentation and the bounds :func:`from_dict` enforces."""
    bounds = {k: v for k, v in {"ge": ge, "gt": gt, "le": le, "lt": lt}.items() if v is not None}
    metadata = {"help": help, "bounds": bounds, "non_empty": non_empty}
    if default_factory is not dataclasses.MISSING:
        return dataclasses.field(default_factory=default_factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def from_dict(cls: type[T], data: Any, where: str) -> T:
    if isinstance(data, cls):
        return data
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: expected a mapping of {cls.__name__} fields, got {type(data).__name__}")
    fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise ConfigError(f"{where}: unknown field {unknown[0]!r}; known fields: {', '.join(sorted(fields))}")
    missing = [n for n, f in fields.items() if n not in data and f.default is dataclasses.MISSING
               and f.default_factory is dataclasses.MISSING]
    if missing:
        raise ConfigError(f"{where}: missing required field{'s' if len(missing) > 1 else ''} {', '.join(missing)}")
    hints = typing.get_type_hints(cls)
    kwargs = {name: _coerce(hints[name], value, f"{where}.{name}") for name, value in data.items()}
    for name, value in kwargs.items():
        check_bounds(fields[name], value, f"{where}.{name}")
    try:
        return cls(**kwargs)
    except (ConfigError, TypeError, ValueError) as exc:
        msg = str(exc)
        raise ConfigError(msg if msg.startswith(where) else f"{where}: {msg}") from None


def check_bounds(f: dataclasses.Field, value: Any, where: str) -> None:
    """Enforce the bounds a :func:`setting` declares (on a number, or on every number of a list)."""
    meta = f.metadata or {}
    if meta.get("non_empty") and value is not None and len(value) == 0:
        raise ConfigError(f"{where} must not be empty")
    values = value if isinstance(value, (list, tuple)) else [value]
    for v in values:
        if not isinstance(v, (int, float)) or isinstance(v, bool):
            continue
        for key, bound in meta.get("bounds", {}).items():
            ok, sign = BOUNDS[key]
            if not ok(v, bound):
                raise ConfigError(f"{where} must be {sign} {bound:g}, got {v!r}")


def _coerce(tp: Any, value: Any, where: str) -> Any:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any:
        return value
    if origin in (typing.Union, types.UnionType):
        if value is None and type(None) in args:
            return None
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(arg, value, where)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(errors[0] if errors else f"{where}: invalid value {value!r}")
    if origin is typing.Literal:
        if value not in args:
            raise ConfigError(f"{where}: {value!r} is not one of {', '.join(map(repr, args))}")
        return value
    if isinstance(tp, type) and hasattr(tp, "from_config"):  # a type that parses its own forms (e.g. BackendSpec)
        return tp.from_config(value, where)
    if dataclasses.is_dataclass(tp):
        return from_dict(tp, value, where)
    if origin in (list, tuple):
        if not isinstance(value, (list, tuple)):
            raise ConfigError(f"{where}: expected a list, got {type(value).__name__}")
        inner = args[0] if args else Any
        items = [_coerce(inner, v, f"{where}[{i}]") for i, v in enumerate(value)]
        return tuple(items) if origin is tuple else items
    if origin is dict:
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: expected a mapping, got {type(value).__name__}")
        return dict(value)
    if tp is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return _finite(float(value), where)
    if tp is float and isinstance(value, str):
        try:
            return _finite(float(value), where)
        except ValueError:
            pass
    if tp in (int, str, bool) and isinstance(value, tp) and not (tp is int and isinstance(value, bool)):
        return value
    if isinstance(tp, type) and tp not in (int, float, str, bool) and isinstance(value, tp):
        return value
    raise ConfigError(f"{where}: expected {getattr(tp, '__name__', tp)}, got {value!r}")


def _finite(value: float, where: str) -> float:
    if not math.isfinite(value):
        raise ConfigError(f"{where} must be a finite number, got {value!r}")
    return value
