"""Shared fixtures: the tiny model (random weights, real tokenizer) loaded once per session."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture(scope="session")
def tiny():
    from study.models import TINY, load_model

    return load_model(TINY)


@pytest.fixture(scope="session")
def embedded():
    from study.models import EMBEDDED, load_model

    return load_model(EMBEDDED)


@pytest.fixture(scope="session")
def llama_server(tmp_path_factory):
    """The embedded model behind a real OpenAI-compatible server (llama-cpp-python) on 127.0.0.1."""
    from study.models import embedded_gguf_file
    from tests.fixtures.llama_server import serve_gguf

    with serve_gguf(embedded_gguf_file(), tmp_path_factory.mktemp("llama-server")) as served:
        yield served


@pytest.fixture(autouse=True)
def _isolated_benchmark_registry():
    """Benchmarks a test registers (user JSONL files, decorators) do not leak into later tests."""
    from study.benchmarks import load_registry, registry

    load_registry()
    before = dict(registry._REGISTRY)
    yield
    registry._REGISTRY.clear()
    registry._REGISTRY.update(before)
