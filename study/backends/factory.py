"""Build a chat backend from its spec string (see :mod:`study.backends`)."""

from __future__ import annotations

from study.backends import BackendSpec, make_api_backend
from study.backends.base import ChatBackend
from study.compute import Ledger
from study.models import EMBEDDED


def make_backend(spec: str | BackendSpec, ledger: Ledger | None = None, *, category: str = "generate", loaded=None, **overrides) -> ChatBackend:
    """``local[:model]`` runs here (``loaded`` reuses an already loaded model); API kinds go to their clients."""
    parsed = spec if isinstance(spec, BackendSpec) else BackendSpec.parse(spec, **overrides)
    if parsed.kind == "local":
        from study.backends.local import LocalBackend
        from study.models import load_model

        return LocalBackend(loaded or load_model(parsed.model or EMBEDDED), ledger, category=category)
    return make_api_backend(parsed, ledger)
