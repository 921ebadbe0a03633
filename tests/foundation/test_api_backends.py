from __future__ import annotations

import pytest

from study.backends.api import AnthropicBackend, OpenAIBackend
from study.backends.spec import BackendSpec
from study.compute import Ledger
from study.errors import BackendError
from tests.fakes import FakeAPIServer

CONV = [{"role": "system", "content": "be brief"}, {"role": "user", "content": "hello"}]


def make(kind, server, tmp_path, ledger=None, **kw):
    base = server.url if kind is OpenAIBackend else server.url.removesuffix("/v1")
    spec = BackendSpec(kind=kind.provider, model="m", base_url=base, max_concurrency=1, **kw)
    return kind(spec, ledger, cache_path=tmp_path / "cache.sqlite", base_delay=0.0, sleep=lambda s: None)


@pytest.fixture(autouse=True)
def keys(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "ak-test-secret")


@pytest.mark.parametrize("kind", [OpenAIBackend, AnthropicBackend])
def test_answer_usage_and_cache_hit(kind, tmp_path):
    ledger = Ledger(1000)
    with FakeAPIServer() as server:
        backend = make(kind, server, tmp_path, ledger)
        assert backend.generate([CONV]) == ["echo: hello"]
        assert backend.generate([CONV]) == ["echo: hello"]
        assert len(server.requests) == 1, "second identical request must come from the cache"
    assert ledger.api_tokens == {"input": 22, "output": 10}
    assert ledger.total_flops == 0
    assert backend.cache.hits == 1 and backend.cache.misses == 1


def test_cache_survives_new_backend_and_key_not_stored(tmp_path):
    with FakeAPIServer() as server:
        make(OpenAIBackend, server, tmp_path).generate([CONV])
        make(OpenAIBackend, server, tmp_path).generate([CONV])
        assert len(server.requests) == 1
    assert b"sk-test-secret" not in (tmp_path / "cache.sqlite").read_bytes()


def test_anthropic_sends_system_separately(tmp_path):
    with FakeAPIServer() as server:
        make(AnthropicBackend, server, tmp_path).generate([CONV])
        body = server.requests[0]["body"]
    assert body["system"] == "be brief"
    assert [m["role"] for m in body["messages"]] == ["user"]


@pytest.mark.parametrize("kind", [OpenAIBackend, AnthropicBackend])
@pytest.mark.parametrize("fault", [429, 500, 503, "malformed", "timeout"])
def test_transient_faults_are_retried(kind, fault, tmp_path):
    with FakeAPIServer(faults=[fault, fault], delay=1.5) as server:
        backend = make(kind, server, tmp_path, timeout_s=0.5, max_attempts=4)
        assert backend.generate([CONV]) == ["echo: hello"]
        assert len(server.requests) == 3


def test_malformed_but_valid_json_is_retried(tmp_path):
    with FakeAPIServer(faults=["empty"]) as server:
        assert make(OpenAIBackend, server, tmp_path).generate([CONV]) == ["echo: hello"]
        assert len(server.requests) == 2


@pytest.mark.parametrize("kind", [OpenAIBackend, AnthropicBackend])
def test_server_that_keeps_failing_gives_one_line_error(kind, tmp_path):
    with FakeAPIServer(faults=[500] * 10) as server:
        backend = make(kind, server, tmp_path, max_attempts=3)
        with pytest.raises(BackendError, match=r"failed 3 times.*raise max_attempts") as info:
            backend.generate([CONV])
        assert len(server.requests) == 3
    assert "\n" not in str(info.value)
    assert not list(backend.cache._db.execute("SELECT key FROM responses"))


def test_client_error_is_not_retried(tmp_path):
    with FakeAPIServer(faults=[401]) as server:
        with pytest.raises(BackendError, match="HTTP 401"):
            make(OpenAIBackend, server, tmp_path).generate([CONV])
        assert len(server.requests) == 1


def test_missing_key_names_the_variable(monkeypatch, tmp_path):
    monkeypatch.delenv("ANTHROPIC_API_KEY")
    with pytest.raises(BackendError, match="ANTHROPIC_API_KEY is not set"):
        AnthropicBackend(BackendSpec(kind="anthropic", model="m"), cache_path=tmp_path / "c.sqlite")


def test_local_server_needs_no_key(monkeypatch, tmp_path):
    monkeypatch.delenv("OPENAI_API_KEY")
    with FakeAPIServer() as server:
        assert make(OpenAIBackend, server, tmp_path).generate([CONV]) == ["echo: hello"]


def test_corrupt_cache_file(tmp_path):
    bad = tmp_path / "cache.sqlite"
    bad.write_bytes(b"this is not a sqlite database" * 100)
    with pytest.raises(BackendError, match="corrupt.*delete the file"):
        OpenAIBackend(BackendSpec(kind="openai", model="m"), cache_path=bad)


def test_concurrent_requests_keep_order(tmp_path):
    convs = [[{"role": "user", "content": f"q{i}"}] for i in range(8)]
    with FakeAPIServer() as server:
        spec = BackendSpec(kind="openai", model="m", base_url=server.url, max_concurrency=4)
        assert OpenAIBackend(spec, cache_path=tmp_path / "c.sqlite").generate(convs) == [f"echo: q{i}" for i in range(8)]
