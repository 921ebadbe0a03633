"""One ChatBackend Protocol for the whole project (backends, graders, trait scenario generator)."""

from __future__ import annotations

import study.graders
import traits
from study.backends.base import ChatBackend, ScoringBackend
from study.backends.local import LocalBackend
from study.backends.served import ServedBackend
from study.backends.spec import BackendSpec


def test_graders_and_traits_use_the_backends_protocol():
    assert study.graders.ChatBackend is ChatBackend
    assert traits.ChatBackend is ChatBackend


def test_every_backend_satisfies_it(tiny):
    served = ServedBackend(BackendSpec(kind="openai-compatible", model="m", base_url="http://127.0.0.1:9/v1"))
    for backend in (LocalBackend(tiny), served):
        assert isinstance(backend, ChatBackend) and isinstance(backend, ScoringBackend)


def test_a_bare_generate_object_is_a_chat_backend_but_not_a_scoring_one():
    class Minimal:
        def generate(self, conversations, max_new_tokens, temperature, seed):
            return ["ok" for _ in conversations]

    assert isinstance(Minimal(), ChatBackend) and not isinstance(Minimal(), ScoringBackend)
