"""Chat backends behind one interface (see :mod:`study.backends.base`).

A backend is named by a spec, a string or a typed block (see
:mod:`study.backends.spec`), and built by :func:`study.backends.factory.make_backend`:

* ``local`` / ``local:<model spec>``: a transformers model run here;
* ``openai:<model>`` (with optional ``base_url`` for vLLM, Ollama, llama.cpp as judges/attackers);
* ``anthropic:<model>``;
* ``openai-compatible`` with ``base_url``: a served policy (generation and option scoring).
"""

from __future__ import annotations

from study.backends.base import ChatBackend, OptionScore, ScoringBackend
from study.backends.spec import API_KINDS, KINDS, BackendSpec, parse_backend_spec

__all__ = ["API_KINDS", "KINDS", "BackendSpec", "ChatBackend", "OptionScore", "ScoringBackend", "parse_backend_spec"]
