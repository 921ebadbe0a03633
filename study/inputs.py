"""Cheap checks of the inputs a config references, run at load so a typo fails in the first second.

Nothing here loads weights or contacts an endpoint: a model spec must be a
built-in name, a checkpoint directory with a config, or a well-formed hub id
(whether that id is in the local cache is known only when loading, which
``study run`` does before it writes anything); a file must exist and parse.
"""

from __future__ import annotations

import re
from pathlib import Path

from study.errors import ConfigError

HUB_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*/[A-Za-z0-9][A-Za-z0-9_.-]*")


def check_model_spec(spec: str, where: str) -> None:
    """``spec`` names a model: a built-in, a directory with a config, or a hub id ``org/name``."""
    from study.models import EMBEDDED, TINY

    if not isinstance(spec, str) or not spec.strip():
        raise ConfigError(f"{where}: empty model spec; use {EMBEDDED}, a checkpoint directory or a hub id org/name")
    if spec in (EMBEDDED, TINY):
        return
    path = Path(spec).expanduser()
    if path.is_dir():
        if not ((path / "config.json").exists() or (path / "adapter_config.json").exists()):
            raise ConfigError(f"{where}: model directory {path} has no config.json or adapter_config.json; point it at a transformers checkpoint")
        return
    if not is_hub_id(spec):
        raise ConfigError(f"{where}: model {spec!r} not found: not a built-in ({EMBEDDED}, {TINY}), "
                          "not a directory, not a hub id of the form org/name")


def is_hub_id(spec: str) -> bool:
    """``org/name`` as the hub spells it (dots allowed: Qwen/Qwen2.5-1.5B-Instruct); whether it is cached is checked when loading."""
    return HUB_ID.fullmatch(spec) is not None and not spec.endswith((".gguf", ".bin", ".safetensors", ".pt"))


def check_file(path: str | Path, where: str, what: str) -> Path:
    """``path`` exists and is a readable file (its content is checked by the caller's parser)."""
    p = Path(path).expanduser()
    if not p.exists():
        raise ConfigError(f"{where}: {what} {p} does not exist; fix the path")
    return p


def resolve_named_file(name: str, shipped_dir: Path, what: str) -> Path:
    """``name`` as a path, else the shipped ``<shipped_dir>/<name>.yaml``; a one-line error lists the shipped names."""
    path = Path(name)
    if path.exists():
        return path
    shipped = shipped_dir / f"{name}.yaml"
    if shipped.exists():
        return shipped
    known = ", ".join(sorted(p.stem for p in shipped_dir.glob("*.yaml")))
    raise ConfigError(f"{what} {name!r} not found: not a file and not a shipped config ({known})")
