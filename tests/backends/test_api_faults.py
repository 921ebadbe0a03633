"""API backends under faults: cache keys, Retry-After, jitter, endpoint in errors, bounded concurrency, judge verdicts."""

from __future__ import annotations

import socket
import threading

import pytest

from study.backends.api import OpenAIBackend
from study.backends.factory import make_backend
from study.backends.spec import BackendSpec
from study.errors import BackendError
from study.graders import GradeRequest
from study.graders._judge import LLMJudgeGrader
from tests.backends.fault_server import FaultServer, verdict_for

CONV = [{"role": "user", "content": "hello"}]


@pytest.fixture(autouse=True)
def _no_real_keys(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-secret")
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)


def backend(url, tmp_path, *, cache="cache.sqlite", sleep=lambda s: None, **spec):
    fields = {"kind": "openai", "model": "judge", "base_url": url, "max_concurrency": 1, **spec}
    return OpenAIBackend(BackendSpec(**fields), cache_path=tmp_path / cache, base_delay=0.0, sleep=sleep)


def cached_rows(b) -> list:
    return list(b.cache._db.execute("SELECT key FROM responses"))


def test_cache_key_uses_the_effective_endpoint_from_openai_base_url(monkeypatch, tmp_path):
    with FaultServer() as first, FaultServer() as second:
        monkeypatch.setenv("OPENAI_BASE_URL", first.url)
        backend(None, tmp_path).generate([CONV])
        monkeypatch.setenv("OPENAI_BASE_URL", second.url)
        b = backend(None, tmp_path)
        assert b.endpoint == second.url
        b.generate([CONV])
        b.generate([CONV])
        assert (len(first.requests), len(second.requests)) == (1, 1), "each server answers once; the repeat is a cache hit"


@pytest.mark.parametrize("change", [
    {"max_new_tokens": 32}, {"temperature": 0.7}, {"temperature": 0.7, "seed": 1}, {"top_p": 0.9}, {"model": "other"},
])
def test_cache_key_covers_every_generation_parameter(change, tmp_path):
    base = {"max_new_tokens": 16, "temperature": 0.7 if "seed" in change else 0.0, "seed": 0, "top_p": 1.0}
    model = change.pop("model", "judge")
    with FaultServer() as server:
        backend(server.url, tmp_path).generate([CONV], **base)
        backend(server.url, tmp_path, model=model).generate([CONV], **{**base, **change})
        assert len(server.requests) == 2


def test_retry_after_is_honoured(tmp_path):
    waits = []
    with FaultServer(scripted=[429], retry_after=1.0) as server:
        assert backend(server.url, tmp_path, sleep=waits.append).generate([CONV]) == [verdict_for(CONV)]
        assert len(server.requests) == 2
    assert len(waits) == 1 and 1.0 <= waits[0] <= 1.1, waits


def test_retry_after_is_honoured_in_real_time(tmp_path):
    import time

    with FaultServer(scripted=[429], retry_after=0.3) as server:
        backend(server.url, tmp_path, sleep=time.sleep).generate([CONV])
        assert server.arrivals[1] - server.arrivals[0] >= 0.3


def test_retry_after_longer_than_the_cap_fails_at_once_naming_the_endpoint(tmp_path):
    with FaultServer(scripted=[429], retry_after=600) as server:
        with pytest.raises(BackendError, match=rf"127\.0\.0\.1:{server.port} asked to retry after 600 s"):
            backend(server.url, tmp_path).generate([CONV])
        assert len(server.requests) == 1


def test_jitter_is_seeded_once_per_backend_not_per_call(tmp_path):
    waits = []
    with FaultServer(scripted=[500, None, 500, None]) as server:
        spec = BackendSpec(kind="openai", model="judge", base_url=server.url, max_concurrency=1)
        b = OpenAIBackend(spec, cache_path=tmp_path / "c.sqlite", base_delay=1.0, jitter_seed=7, sleep=waits.append)
        b.generate([[{"role": "user", "content": "a"}]])
        b.generate([[{"role": "user", "content": "b"}]])
    assert len(waits) == 2 and waits[0] != waits[1], "a generator reseeded on every call repeats its first delay"
    assert all(0.5 <= w <= 1.0 for w in waits)


def test_permanent_failure_names_host_and_port(tmp_path):
    with FaultServer(scripted=[500] * 3) as server:
        with pytest.raises(BackendError, match=rf"^openai:judge at 127\.0\.0\.1:{server.port} failed 3 times") as info:
            backend(server.url, tmp_path, max_attempts=3).generate([CONV])
    assert "\n" not in str(info.value)


def test_client_error_names_host_and_port(tmp_path):
    with FaultServer(scripted=[401]) as server:
        with pytest.raises(BackendError, match=rf"127\.0\.0\.1:{server.port} rejected the request with HTTP 401"):
            backend(server.url, tmp_path).generate([CONV])


def test_in_flight_requests_are_bounded_per_backend_across_threads(tmp_path):
    convs = [[{"role": "user", "content": f"q{i}"}] for i in range(12)]
    with FaultServer(latency=0.15) as server:
        b = backend(server.url, tmp_path, max_concurrency=3)
        threads = [threading.Thread(target=b.generate, args=(convs[k::2],)) for k in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        assert server.in_flight_max == 3
        assert len(server.requests) == 12


def _judge_run(tmp_path, name, concurrency):
    requests = [GradeRequest(prompt=[{"role": "user", "content": f"question {i}"}], response=f"answer {i}",
                             rubric=(f"criterion {i}",)) for i in range(16)]
    with FaultServer(fault_rate=0.35, faults=(429, 500, 503, "malformed", "empty", "timeout"), seed=3,
                     retry_after=0.05, stall=0.6, latency=0.05) as server:
        spec = {"kind": "openai", "model": "judge", "base_url": server.url, "max_concurrency": concurrency,
                "max_attempts": 10, "timeout_s": 0.3}
        b = make_backend(spec, category="judge", cache_path=tmp_path / f"{name}.sqlite", base_delay=0.01)
        grades = LLMJudgeGrader(b).grade(requests)
        return grades, server


def test_sixteen_concurrent_judge_calls_under_faults_match_a_serial_run(tmp_path):
    serial, serial_server = _judge_run(tmp_path, "serial", 1)
    concurrent, concurrent_server = _judge_run(tmp_path, "concurrent", 16)
    assert [g.score for g in concurrent] == [g.score for g in serial]
    assert [g.detail for g in concurrent] == [g.detail for g in serial]
    assert serial_server.in_flight_max == 1 and concurrent_server.in_flight_max > 4
    assert serial_server.faults_sent > 0 and concurrent_server.faults_sent > 0
    assert all(g.detail["unparsed"] == 0 for g in serial)
    assert {g.score for g in serial} == {0.0, 1.0}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_judge_that_is_down_gives_one_line_naming_the_endpoint_and_caches_nothing(tmp_path):
    port = _closed_port()
    b = backend(f"http://127.0.0.1:{port}/v1", tmp_path, max_attempts=2)
    request = GradeRequest(prompt=CONV, response="hi", rubric=("greets",))
    with pytest.raises(BackendError, match=rf"127\.0\.0\.1:{port} failed 2 times.*APIConnectionError") as info:
        LLMJudgeGrader(b).grade([request])
    assert "\n" not in str(info.value)
    assert cached_rows(b) == []


def test_judge_returning_garbage_gives_one_line_naming_the_endpoint_and_caches_nothing(tmp_path):
    with FaultServer(fault_rate=1.0, faults=("malformed", "empty")) as server:
        b = backend(server.url, tmp_path, max_attempts=3)
        with pytest.raises(BackendError, match=rf"127\.0\.0\.1:{server.port} failed 3 times") as info:
            LLMJudgeGrader(b).grade([GradeRequest(prompt=CONV, response="hi", rubric=("greets",))])
    assert "\n" not in str(info.value)
    assert cached_rows(b) == []


def test_key_never_reaches_the_cache(tmp_path):
    with FaultServer() as server:
        b = backend(server.url, tmp_path)
        b.generate([CONV])
        assert server.requests[0]["auth"] == "Bearer sk-test-secret"
    assert b"sk-test-secret" not in (tmp_path / "cache.sqlite").read_bytes()
