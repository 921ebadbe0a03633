"""Build a chat backend from its spec: a string, a typed block or a :class:`BackendSpec`."""

from __future__ import annotations

from typing import Any

from study.backends.base import ChatBackend
from study.backends.spec import BackendSpec, parse_backend_spec
from study.compute import Ledger


def make_backend(spec: str | dict | BackendSpec, ledger: Ledger | None = None, *, category: str = "generate", loaded=None,
                 where: str = "backend", **options: Any) -> ChatBackend:
    """``local[:model]`` runs here (``loaded`` reuses an already loaded model); API kinds go to their clients.

    ``category`` is the ledger account of a local model; API backends count tokens
    (``ledger.api_tokens``). ``options`` go to the API backend (``cache_path``, ``cache``, ...).
    """
    parsed = parse_backend_spec(spec, where)
    if parsed.kind == "local":
        from study.backends.local import LocalBackend
        from study.models import EMBEDDED, load_model

        return LocalBackend(loaded or load_model(parsed.model or EMBEDDED), ledger, category=category)
    if parsed.kind == "openai-compatible":
        from study.backends.served import ServedBackend

        return ServedBackend(parsed, ledger, **options)
    from study.backends.api import AnthropicBackend, OpenAIBackend

    return (OpenAIBackend if parsed.kind == "openai" else AnthropicBackend)(parsed, ledger, **options)
