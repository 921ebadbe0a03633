"""Chat backends behind one interface (see :mod:`study.backends.base`).

A backend is named by a spec string:

* ``local`` / ``local:<model spec>``: a transformers model run here;
* ``openai:<model>`` (with optional ``base_url`` for vLLM, Ollama, llama.cpp);
* ``anthropic:<model>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from study.backends.base import ChatBackend, OptionScore, ScoringBackend
from study.compute import Ledger
from study.errors import ConfigError, UnknownNameError

KINDS = ("local", "openai", "anthropic")


@dataclass(frozen=True)
class BackendSpec:
    kind: str
    model: str = ""
    base_url: str | None = None
    api_key_env: str | None = None
    max_attempts: int = 5
    timeout: float = 60.0
    concurrency: int = 4

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise UnknownNameError("backend kind", self.kind, KINDS)
        if self.kind != "local" and not self.model:
            raise ConfigError(f"backend {self.kind!r} needs a model, e.g. '{self.kind}:MODEL_NAME'")

    @classmethod
    def parse(cls, text: str, **overrides) -> "BackendSpec":
        kind, _, model = text.partition(":")
        return cls(kind=kind.strip(), model=model.strip(), **overrides)


def make_api_backend(spec: BackendSpec, ledger: Ledger | None = None, cache_path: Path | None = None) -> ChatBackend:
    from study.backends.api import AnthropicBackend, APIBackendConfig, OpenAIBackend

    config = APIBackendConfig(
        model=spec.model, base_url=spec.base_url, api_key_env=spec.api_key_env, timeout=spec.timeout,
        max_attempts=spec.max_attempts, concurrency=spec.concurrency, cache_path=cache_path,
    )
    return (OpenAIBackend if spec.kind == "openai" else AnthropicBackend)(config, ledger)


__all__ = ["BackendSpec", "ChatBackend", "OptionScore", "ScoringBackend", "make_api_backend"]
