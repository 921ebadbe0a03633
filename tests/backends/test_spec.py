"""The typed backend block: string and mapping forms, validated at load without loading or contacting anything."""

from __future__ import annotations

import socket

import pytest

from study.backends.spec import BackendSpec, endpoint_of, parse_backend_spec
from study.errors import ConfigError

W = "evaluation.judge_backend"


@pytest.mark.parametrize("text, expected", [
    ("openai:gpt-4o-mini", BackendSpec(kind="openai", model="gpt-4o-mini")),
    ("anthropic:claude-3-5-haiku-latest", BackendSpec(kind="anthropic", model="claude-3-5-haiku-latest")),
    ("local", BackendSpec(kind="local")),
    ("local:tiny", BackendSpec(kind="local", model="tiny")),
    ("openai-compatible:smollm@http://127.0.0.1:8000/v1",
     BackendSpec(kind="openai-compatible", model="smollm", base_url="http://127.0.0.1:8000/v1")),
    ("openai:judge@http://localhost:9/v1", BackendSpec(kind="openai", model="judge", base_url="http://localhost:9/v1")),
])
def test_string_forms_parse_into_the_dataclass(text, expected):
    assert parse_backend_spec(text, W) == expected


def test_block_form_equals_string_form_and_keeps_every_field():
    block = {"kind": "openai", "model": "gpt-4o-mini", "base_url": "https://example.test/v1", "api_key_env": "MY_KEY",
             "timeout_s": 7, "max_attempts": 2, "max_concurrency": 8}
    spec = parse_backend_spec(block, W)
    assert spec == BackendSpec(kind="openai", model="gpt-4o-mini", base_url="https://example.test/v1", api_key_env="MY_KEY",
                               timeout_s=7.0, max_attempts=2, max_concurrency=8)
    assert parse_backend_spec({"kind": "openai", "model": "gpt-4o-mini"}, W) == parse_backend_spec("openai:gpt-4o-mini", W)
    assert parse_backend_spec(spec, W) is spec
    with pytest.raises(AttributeError):
        spec.model = "other"  # frozen


@pytest.mark.parametrize("value, match", [
    ("opnai:gpt-4o-mini", rf"^{W}: unknown backend kind 'opnai'.*known kinds: local, openai, anthropic, openai-compatible"),
    ("openai:", rf"^{W}\.model: backend 'openai' needs a model name"),
    ({"kind": "openai"}, rf"^{W}\.model: "),
    ({"model": "x"}, rf"^{W}: missing field 'kind'"),
    ({"kind": "openai", "model": "m", "timeout": 5}, rf"^{W}: unknown field 'timeout'; known fields: api_key_env, base_url"),
    ({"kind": "openai", "model": "m", "timeout_s": float("nan")}, rf"^{W}\.timeout_s: must be a number of seconds"),
    ({"kind": "openai", "model": "m", "timeout_s": -1}, rf"^{W}\.timeout_s: "),
    ({"kind": "openai", "model": "m", "timeout_s": "fast"}, rf"^{W}\.timeout_s: expected float"),
    ({"kind": "openai", "model": "m", "max_attempts": 0}, rf"^{W}\.max_attempts: must be an integer in \[1, 20\]"),
    ({"kind": "openai", "model": "m", "max_attempts": True}, rf"^{W}\.max_attempts: expected int"),
    ({"kind": "openai", "model": "m", "max_concurrency": 1000}, rf"^{W}\.max_concurrency: must be an integer in \[1, 64\]"),
    ({"kind": "openai", "model": "m", "base_url": "127.0.0.1:8000"}, rf"^{W}\.base_url: must be an http:// or https:// URL"),
    ({"kind": "openai", "model": "m", "base_url": "http://127.0.0.1:99999/v1"}, rf"^{W}\.base_url: is not a valid URL"),
    ({"kind": "openai-compatible", "model": "m"}, rf"^{W}\.base_url: kind 'openai-compatible' needs base_url"),
    ("openai-compatible:m", rf"^{W}\.base_url: kind 'openai-compatible' needs base_url"),
    ({"kind": "local", "base_url": "http://127.0.0.1:1/v1"}, rf"^{W}\.base_url: only applies to API backends"),
    ({"kind": "local", "model": "./no/such/dir"}, rf"^{W}\.model: model './no/such/dir' not found"),
    (42, rf"^{W}: expected a backend string"),
])
def test_bad_specs_give_one_line_naming_the_dotted_field(value, match):
    with pytest.raises(ConfigError, match=match) as info:
        parse_backend_spec(value, W)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("secret_field", [
    {"api_key_env": "sk-proj-THISISASECRET"},
    {"base_url": "https://user:sk-THISISASECRET@example.test/v1"},
])
def test_a_key_put_in_the_wrong_field_is_refused_and_never_echoed(secret_field):
    with pytest.raises(ConfigError) as info:
        parse_backend_spec({"kind": "openai", "model": "m", **secret_field}, W)
    assert "THISISASECRET" not in str(info.value)
    assert "environment variable" in str(info.value)


def test_spec_holds_only_the_variable_name(monkeypatch):
    monkeypatch.setenv("MY_KEY", "sk-very-secret")
    spec = parse_backend_spec({"kind": "openai", "model": "m", "api_key_env": "MY_KEY"}, W)
    assert "sk-very-secret" not in repr(spec)


def test_validation_contacts_nothing_and_loads_no_weights(monkeypatch, tmp_path):
    def no_network(*args, **kwargs):
        raise AssertionError("validation opened a socket")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr("study.models.load_model", lambda *a, **k: pytest.fail("validation loaded a model"))
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "model.safetensors").write_bytes(b"")
    parse_backend_spec({"kind": "openai-compatible", "model": "m", "base_url": "http://127.0.0.1:1/v1"}, W)
    parse_backend_spec(f"local:{tmp_path}", W)


def test_local_pickle_checkpoint_refused_at_load_naming_path_and_flag(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    (tmp_path / "pytorch_model.bin").write_bytes(b"")
    with pytest.raises(ConfigError, match=rf"^{W}\.model: model checkpoint {tmp_path} has only pickle weights.*--allow-pickle-checkpoints"):
        parse_backend_spec(f"local:{tmp_path}", W)


def test_endpoint_host_port():
    assert endpoint_of("http://127.0.0.1:8123/v1") == "127.0.0.1:8123"
    assert endpoint_of("https://api.openai.com/v1/") == "api.openai.com:443"
