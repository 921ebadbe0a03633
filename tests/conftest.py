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
