"""The typed backend block every config field that names a backend accepts.

A backend is written either as a string (``local``, ``local:<model>``,
``openai:<model>``, ``anthropic:<model>``, ``<api kind>:<model>@<base_url>``)
or as a block::

    judge_backend:
      kind: openai-compatible
      model: smollm2-135m-instruct
      base_url: http://127.0.0.1:8000/v1
      api_key_env: MY_SERVER_KEY   # optional: the *name* of the variable holding the key
      timeout_s: 30
      max_attempts: 3
      max_concurrency: 4

Both parse into one frozen :class:`BackendSpec`, checked at config load
without loading weights or contacting anything. The spec never holds a key,
only the name of the environment variable it is read from.
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from study.errors import ConfigError

API_KINDS = ("openai", "anthropic", "openai-compatible")
KINDS = ("local",) + API_KINDS
MAX_ATTEMPTS = 20
MAX_CONCURRENCY = 64
MAX_TIMEOUT_S = 3600.0
_ENV_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


@dataclass(frozen=True)
class BackendSpec:
    """What a backend is and how to reach it.

    ``kind``: ``local`` (a transformers model run here), ``openai`` / ``anthropic``
    (their APIs; ``openai`` with ``base_url`` reaches any compatible server as a
    judge or attacker, responses cached), ``openai-compatible`` (a served policy:
    vLLM, llama-cpp-python; needs ``base_url``; never cached; can score answer
    options, see :mod:`study.backends.served`). ``model``: the model name the
    server answers to, or for ``local`` a model spec (built-in name, directory, hub
    id). ``tokenizer``: for ``openai-compatible``, a local model spec whose chat
    template renders prompts for option scoring (defaults to ``model`` when that
    is a built-in name).
    """

    kind: str
    model: str = ""
    base_url: str | None = None
    api_key_env: str | None = None
    timeout_s: float = 60.0
    max_attempts: int = 5
    max_concurrency: int = 4
    tokenizer: str | None = None

    def __post_init__(self) -> None:
        problem = _problem(self)
        if problem:
            field, message = problem
            raise ConfigError(f"{field}: {message}")

    @property
    def is_api(self) -> bool:
        return self.kind in API_KINDS

    @property
    def label(self) -> str:
        """Short human name, e.g. ``openai:gpt-4o-mini`` (never includes a key)."""
        return f"{self.kind}:{self.model}" if self.model else self.kind

    @classmethod
    def parse(cls, text: str, **overrides) -> BackendSpec:
        """The string form (kept for callers that have no field path to report)."""
        return parse_backend_spec(text if not overrides else {**_string_fields(text, "backend"), **overrides}, "backend")

    @classmethod
    def from_config(cls, value: Any, where: str) -> BackendSpec:
        return parse_backend_spec(value, where)


def parse_backend_spec(value: Any, where: str) -> BackendSpec:
    """A string, mapping or :class:`BackendSpec` -> a validated spec; errors name ``where.<field>``."""
    if isinstance(value, BackendSpec):
        return value
    if isinstance(value, str):
        fields = _string_fields(value, where)
    elif isinstance(value, Mapping):
        fields = dict(value)
        known = [f.name for f in dataclasses.fields(BackendSpec)]
        unknown = sorted(set(map(str, fields)) - set(known))
        if unknown:
            raise ConfigError(f"{where}: unknown field {unknown[0]!r}; known fields: {', '.join(sorted(known))}")
        if "kind" not in fields:
            raise ConfigError(f"{where}: missing field 'kind'; one of {', '.join(KINDS)}")
    else:
        raise ConfigError(f"{where}: expected a backend string such as 'openai:gpt-4o-mini' or a mapping with kind/model, "
                          f"got {type(value).__name__}")
    for name, expected in _TYPES.items():
        if name in fields and fields[name] is not None:
            fields[name] = _typed(fields[name], expected, f"{where}.{name}")
    try:
        return BackendSpec(**fields)
    except ConfigError as exc:
        raise ConfigError(f"{where}.{exc}") from None


_TYPES = {"kind": str, "model": str, "base_url": str, "api_key_env": str, "timeout_s": float, "max_attempts": int,
          "max_concurrency": int, "tokenizer": str}


def _typed(value: Any, expected: type, where: str) -> Any:
    if expected is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, expected) and not isinstance(value, bool):
        return value
    if where.endswith(".api_key_env"):
        raise ConfigError(f"{where}: expected the name of an environment variable, got a {type(value).__name__}")
    raise ConfigError(f"{where}: expected {expected.__name__}, got {value!r}")


def _string_fields(text: str, where: str) -> dict:
    kind, sep, rest = text.strip().partition(":")
    kind = kind.strip()
    if kind not in KINDS:
        raise ConfigError(f"{where}: unknown backend kind {kind!r} in {text!r}; known kinds: {', '.join(KINDS)}")
    rest = rest.strip()
    fields: dict = {"kind": kind, "model": rest}
    model, at, url = rest.rpartition("@")
    if kind in API_KINDS and at and url.startswith(("http://", "https://")):
        fields.update(model=model.strip(), base_url=url.strip())
    return fields


def _problem(spec: BackendSpec) -> tuple[str, str] | None:
    """The first invalid field and why, or None. Messages never echo a value that may be a secret."""
    if spec.kind not in KINDS:
        return "kind", f"unknown backend kind {spec.kind!r}; known kinds: {', '.join(KINDS)}"
    if spec.is_api and not spec.model.strip():
        return "model", f"backend {spec.kind!r} needs a model name, e.g. '{spec.kind}:MODEL_NAME'"
    if spec.kind == "local":
        for name in ("base_url", "api_key_env", "tokenizer"):
            if getattr(spec, name) is not None:
                return name, "only applies to API backends (kind openai, anthropic or openai-compatible)"
    if spec.kind == "openai-compatible" and not spec.base_url:
        return "base_url", ("kind 'openai-compatible' needs base_url, e.g. http://127.0.0.1:8000/v1 "
                            "(write the backend as a block, or 'openai-compatible:MODEL@http://HOST:PORT/v1')")
    if spec.base_url is not None:
        problem = _url_problem(spec.base_url)
        if problem:
            return "base_url", problem
    if spec.api_key_env is not None and not _ENV_NAME.fullmatch(spec.api_key_env):
        return "api_key_env", "must be the name of an environment variable (letters, digits, _), not the key itself"
    if not (isinstance(spec.timeout_s, (int, float)) and math.isfinite(spec.timeout_s) and 0 < spec.timeout_s <= MAX_TIMEOUT_S):
        return "timeout_s", f"must be a number of seconds in (0, {MAX_TIMEOUT_S:g}], got {spec.timeout_s!r}"
    if not (isinstance(spec.max_attempts, int) and 1 <= spec.max_attempts <= MAX_ATTEMPTS):
        return "max_attempts", f"must be an integer in [1, {MAX_ATTEMPTS}], got {spec.max_attempts!r}"
    if not (isinstance(spec.max_concurrency, int) and 1 <= spec.max_concurrency <= MAX_CONCURRENCY):
        return "max_concurrency", f"must be an integer in [1, {MAX_CONCURRENCY}], got {spec.max_concurrency!r}"
    if spec.kind == "local" and spec.model:
        from study.models import model_spec_problem

        problem = model_spec_problem(spec.model)
        if problem:
            return "model", problem
    return None


def _url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return "is not a valid URL; use e.g. http://127.0.0.1:8000/v1"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return "must be an http:// or https:// URL with a host, e.g. http://127.0.0.1:8000/v1"
    if parts.username or parts.password:
        return "must not contain credentials; put the key in an environment variable and name it in api_key_env"
    del port
    return None


def endpoint_of(base_url: str) -> str:
    """``host:port`` of an endpoint URL (the port defaulted from the scheme), for messages."""
    parts = urlsplit(str(base_url))
    port = parts.port or (443 if parts.scheme == "https" else 80)
    return f"{parts.hostname}:{port}"
