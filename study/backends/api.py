"""API chat backends: OpenAI (and any OpenAI-compatible server) and Anthropic.

Keys come from environment variables only. Every request goes through the
on-disk cache, so a re-run makes no repeated calls; transient failures (429,
5xx, timeouts, connection errors, malformed bodies) are retried with backoff.
Token usage is charged to the ledger on hits and misses alike, so a resumed run
counts the same work as an uninterrupted one.
"""

from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

from study.backends.cache import ResponseCache, request_key
from study.backends.retry import RetryPolicy, TransientError, with_retries
from study.compute import Ledger
from study.errors import BackendError
from study.paths import cache_dir
from study.types import Conversation

RETRYABLE_STATUS = {408, 409, 425, 429}


@dataclass(frozen=True)
class APIBackendConfig:
    model: str
    base_url: str | None = None
    api_key_env: str | None = None
    timeout: float = 60.0
    max_attempts: int = 5
    base_delay: float = 1.0
    concurrency: int = 4
    cache_path: Path | None = None
    extra: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.model:
            raise BackendError("API backend needs a model name (field `model`)")
        if self.concurrency < 1:
            raise BackendError(f"concurrency must be >= 1, got {self.concurrency}")


class _APIBackend:
    provider = ""
    default_key_env = ""

    def __init__(self, config: APIBackendConfig, ledger: Ledger | None = None, *, sleep=None):
        self.config = config
        self.ledger = ledger
        self.name = f"{self.provider}:{config.model}"
        self.policy = RetryPolicy(max_attempts=config.max_attempts, base_delay=config.base_delay)
        self.cache = ResponseCache(config.cache_path or cache_dir() / "api-responses.sqlite")
        self._sleep = sleep
        self._client = self._make_client(self._api_key())

    def _api_key(self) -> str:
        env = self.config.api_key_env or self.default_key_env
        key = os.environ.get(env)
        if key:
            return key
        if self.config.base_url and self.config.api_key_env is None:
            return "not-needed"  # local OpenAI-compatible servers usually ignore the key
        raise BackendError(f"{env} is not set; export it (API keys are read from the environment only)")

    def generate(
        self,
        conversations: Sequence[Conversation],
        max_new_tokens: int = 64,
        temperature: float = 0.0,
        seed: int = 0,
        top_p: float = 1.0,
    ) -> list[str]:
        return [e["text"] for e in self._entries(conversations, max_new_tokens, temperature, seed, top_p)]

    def _entries(self, conversations, max_new_tokens, temperature, seed, top_p, **options) -> list[dict]:
        def one(conv: Conversation) -> dict:
            request = {
                "provider": self.provider, "base_url": self.config.base_url, "model": self.config.model,
                "messages": list(conv), "max_tokens": max_new_tokens, "temperature": temperature,
                "top_p": top_p, "seed": seed if temperature > 0 else 0, **self.config.extra, **options,
            }
            key = request_key(request)
            entry = self.cache.get(key)
            if entry is None:
                kwargs = {"sleep": self._sleep} if self._sleep else {}
                entry = with_retries(lambda: self._call(request), self.policy, f"{self.name} request", **kwargs)
                self.cache.put(key, entry)
            if self.ledger is not None:
                self.ledger.charge_api(entry["input_tokens"], entry["output_tokens"])
            return entry

        if self.config.concurrency == 1 or len(conversations) <= 1:
            return [one(c) for c in conversations]
        with ThreadPoolExecutor(self.config.concurrency) as pool:
            return list(pool.map(one, conversations))

    def _make_client(self, api_key: str):
        raise NotImplementedError

    def _call(self, request: dict) -> dict:
        raise NotImplementedError


def _classify(exc: Exception, status: int | None, what: str) -> Exception:
    """Map a client exception to a retryable TransientError or a final one-line BackendError."""
    if status is None or status in RETRYABLE_STATUS or status >= 500:
        return TransientError(f"{type(exc).__name__}{f' {status}' if status else ''}")
    return BackendError(f"{what} rejected the request with HTTP {status} ({type(exc).__name__}); check the model name, key and parameters")


class OpenAIBackend(_APIBackend):
    """OpenAI chat completions; with ``base_url`` any compatible server (vLLM, Ollama, llama.cpp)."""

    provider = "openai"
    default_key_env = "OPENAI_API_KEY"

    def _make_client(self, api_key: str):
        import openai

        return openai.OpenAI(api_key=api_key, base_url=self.config.base_url, max_retries=0, timeout=self.config.timeout)

    def generate_with_logprobs(self, conversations: Sequence[Conversation], max_new_tokens: int = 3, top_logprobs: int = 5) -> list[dict]:
        """Greedy replies with the ``top_logprobs`` most likely tokens at each position:
        ``{"text": str, "top_logprobs": [[[token, logprob], ...] per position]}`` (an empty list when the server gives none)."""
        entries = self._entries(conversations, max_new_tokens, 0.0, 0, 1.0, logprobs=True, top_logprobs=top_logprobs)
        return [{"text": e["text"], "top_logprobs": e.get("top_logprobs", [])} for e in entries]

    def _call(self, request: dict) -> dict:
        import openai

        extra = {k: request[k] for k in ("logprobs", "top_logprobs") if k in request}
        try:
            resp = self._client.chat.completions.create(
                model=request["model"], messages=request["messages"], max_tokens=request["max_tokens"],
                temperature=request["temperature"], top_p=request["top_p"], seed=request["seed"], **extra,
            )
        except openai.APIStatusError as exc:
            raise _classify(exc, exc.status_code, self.name) from None
        except (openai.APIConnectionError, openai.APIResponseValidationError, ValueError) as exc:
            raise TransientError(type(exc).__name__) from None
        try:
            text = resp.choices[0].message.content
            usage = resp.usage
            if not isinstance(text, str):
                raise TypeError("content is not a string")
            entry = {"text": text, "input_tokens": int(usage.prompt_tokens), "output_tokens": int(usage.completion_tokens)}
        except (AttributeError, IndexError, TypeError, ValueError) as exc:
            raise TransientError(f"malformed response body ({exc})") from None
        if extra.get("logprobs"):
            content = getattr(getattr(resp.choices[0], "logprobs", None), "content", None) or []
            entry["top_logprobs"] = [[[t.token, float(t.logprob)] for t in (pos.top_logprobs or [])] for pos in content]
        return entry


class AnthropicBackend(_APIBackend):
    """Anthropic messages API (system turns go to the ``system`` field).

    Current Anthropic SDKs take no temperature or seed; sampling settings only
    distinguish cache entries here.
    """

    provider = "anthropic"
    default_key_env = "ANTHROPIC_API_KEY"

    def _make_client(self, api_key: str):
        import anthropic

        return anthropic.Anthropic(api_key=api_key, base_url=self.config.base_url, max_retries=0, timeout=self.config.timeout)

    def _call(self, request: dict) -> dict:
        import anthropic

        system = "\n\n".join(m["content"] for m in request["messages"] if m["role"] == "system")
        messages = [m for m in request["messages"] if m["role"] != "system"]
        kwargs = {"system": system} if system else {}
        try:
            resp = self._client.messages.create(
                model=request["model"], messages=messages, max_tokens=request["max_tokens"], **kwargs,
            )
        except anthropic.APIStatusError as exc:
            raise _classify(exc, exc.status_code, self.name) from None
        except (anthropic.APIConnectionError, anthropic.APIResponseValidationError, ValueError) as exc:
            raise TransientError(type(exc).__name__) from None
        try:
            text = "".join(block.text for block in resp.content if getattr(block, "type", "") == "text")
            return {"text": text, "input_tokens": int(resp.usage.input_tokens), "output_tokens": int(resp.usage.output_tokens)}
        except (AttributeError, TypeError, ValueError) as exc:
            raise TransientError(f"malformed response body ({exc})") from None
