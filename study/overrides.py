"""``--set key.path=value`` overrides of a study config, applied to the raw YAML dict before validation.

Paths are dotted keys into the YAML; a list is indexed by position (``arms.0``
or ``arms[0]``) or, for a list of named mappings such as ``arms``, by name
(``arms.trait-rl.config.dose=0.1``). The value is read as YAML
(``3`` -> int, ``true`` -> bool, ``[0, 1]`` -> list, ``null`` -> remove an optional
section), so an override means exactly what the same text would mean in the file.
The overridden dict is validated like the file itself, and it is the dict the
run is hashed from: a run with overrides gets its own run directory.

Example (the GPU config on a CPU with the embedded model)::

    study run gpu --set base_model=smollm2-135m-instruct --set budget_flops=2e13 \\
        --set arms.trait-rl.config.training.dtype=fp32
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

from study.errors import ConfigError, StudyError

_INDEX = re.compile(r"\[(\d+)\]")


def parse_override(text: str) -> tuple[list[str], Any]:
    key, sep, value = text.partition("=")
    key = key.strip()
    if not sep or not key:
        raise ConfigError(f"--set {text!r}: expected KEY.PATH=VALUE, e.g. --set base_model=smollm2-135m-instruct")
    parts = [p for p in _INDEX.sub(r".\1", key).split(".")]
    if any(not p for p in parts):
        raise ConfigError(f"--set {text!r}: empty segment in key {key!r}")
    try:
        parsed = yaml.safe_load(value) if value.strip() else ""
    except yaml.YAMLError:
        raise ConfigError(f"--set {text!r}: value {value!r} is not valid YAML; quote it") from None
    return parts, parsed


def apply_overrides(raw: dict, overrides: list[str]) -> dict:
    """A copy of ``raw`` with every ``KEY.PATH=VALUE`` in ``overrides`` applied, in order."""
    out = copy.deepcopy(raw) if raw is not None else {}
    if not isinstance(out, dict):
        raise ConfigError(f"--set needs a config that is a mapping, got {type(out).__name__}")
    for text in overrides:
        parts, value = parse_override(text)
        node: Any = out
        for depth, part in enumerate(parts):
            last = depth == len(parts) - 1
            where = ".".join(parts[: depth + 1])
            if isinstance(node, dict):
                if last:
                    node[part] = value
                else:
                    if node.get(part) is None:
                        node[part] = {}
                    node = node[part]
            elif isinstance(node, list):
                index = _list_index(node, part, where, text)
                if last:
                    node[index] = value
                else:
                    node = node[index]
            else:
                raise ConfigError(f"--set {text!r}: {'.'.join(parts[:depth])} is a {type(node).__name__}, not a mapping or list")
    return out


def _list_index(items: list, part: str, where: str, text: str) -> int:
    if part.isdigit():
        index = int(part)
        if index >= len(items):
            raise ConfigError(f"--set {text!r}: {where} is out of range (the list has {len(items)} entries)")
        return index
    names = [item.get("name") for item in items if isinstance(item, dict)]
    for i, item in enumerate(items):
        if isinstance(item, dict) and item.get("name") == part:
            return i
    raise ConfigError(f"--set {text!r}: no entry named {part!r} at {where}; names are {', '.join(map(str, names)) or '(none)'}")


def load_config(path: Path, overrides: list[str] | None = None):
    """:func:`study.study_config.load_study_config`, then the overrides, validated the same way."""
    from study.config_parse import from_dict
    from study.study_config import StudyConfig, load_study_config, validate_names

    config, raw = load_study_config(path)
    if not overrides:
        return config, raw
    raw = apply_overrides(raw, list(overrides))
    try:
        config = from_dict(StudyConfig, raw, str(path))
        validate_names(config)
    except StudyError as exc:
        msg = str(exc)
        raise ConfigError(f"{msg if msg.startswith(str(path)) else f'{path}: {msg}'} (after --set overrides)") from None
    return config, raw
