"""API chat backends: OpenAI (and any OpenAI-compatible server) and Anthropic.

Keys come from the environment variable the spec names (``api_key_env``, else
the provider's default) and are never written anywhere. Requests go through
the on-disk cache, keyed on the *effective* endpoint (the configured
``base_url``, else what the client resolved, e.g. from ``OPENAI_BASE_URL``),
the model and every generation parameter, so a re-run makes no repeated calls
and two servers never share answers. Transient failures (429, 5xx, timeouts,
connection errors, malformed bodies) are retried with backoff that honours
``Retry-After``; at most ``max_concurrency`` requests are in flight per backend.
Token usage is charged to the ledger on hits and misses alike, so a resumed run
counts the same work as an uninterrupted one.
"""

from __future__ import annotations

import os
import random
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from study.backends.base import check_max_new_tokens
from study.backends.cache import ResponseCache, request_key
from study.backends.retry import RetryPolicy, TransientError, retry_after_seconds, with_retries
from study.backends.spec import BackendSpec, endpoint_of
from study.compute import Ledger
from study.errors import BackendError
from study.paths import cache_dir
from study.types import Conversation

RETRYABLE_STATUS = {408, 409, 425, 429}


class APIBackend:
    """Shared machinery: key, client, cache, bounded concurrency, retries. Subclasses implement ``_call``."""

    provider = ""
    default_key_env: str | None = None
    cache_by_default = True

    def __init__(self, spec: BackendSpec, ledger: Ledger | None = None, *, cache_path: Path | None = None,
                 cache: bool | None = None, base_delay: float = 1.0, jitter_seed: int | None = None,
                 sleep: Callable[[float], None] = time.sleep):
        if not spec.is_api:
            raise BackendError(f"{spec.label} is not an API backend spec")
        self.spec = spec
        self.ledger = ledger
        self.name = f"{self.provider}:{spec.model}"
        self.policy = RetryPolicy(max_attempts=spec.max_attempts, base_delay=base_delay)
        self._rng = random.Random(jitter_seed)  # seeded once per backend: concurrent retries spread out
        self._sleep = sleep
        self._slots = threading.BoundedSemaphore(spec.max_concurrency)
        self.cache = ResponseCache(cache_path or cache_dir() / "api-responses.sqlite") \
            if (self.cache_by_default if cache is None else cache) else None
        self._client = self._make_client(self._api_key())
        self.endpoint = str(self._client.base_url).rstrip("/")
        self.where = f"{self.name} at {endpoint_of(self.endpoint)}"

    def _api_key(self) -> str:
        env = self.spec.api_key_env or self.default_key_env
        key = os.environ.get(env) if env else None
        if key:
            return key
        if self.spec.api_key_env is None and (env is None or self._custom_endpoint()):
            return "not-needed"  # local OpenAI-compatible servers usually ignore the key
        raise BackendError(f"{env} is not set; export it (API keys are read from the environment only)")

    def _custom_endpoint(self) -> bool:
        return self.spec.base_url is not None

    def generate(self, conversations: Sequence[Conversation], max_new_tokens: int = 64, temperature: float = 0.0,
                 seed: int = 0, top_p: float = 1.0) -> list[str]:
        check_max_new_tokens(max_new_tokens)
        requests = [self.chat_request(c, max_new_tokens, temperature, seed, top_p) for c in conversations]
        return [e["text"] for e in self.fetch(requests)]

    def chat_request(self, conv: Conversation, max_new_tokens: int, temperature: float, seed: int, top_p: float) -> dict:
        """Everything that determines the answer; the cache key is its hash (greedy requests ignore the seed)."""
        return {
            "api": "chat", "provider": self.provider, "endpoint": self.endpoint, "model": self.spec.model,
            "messages": [dict(m) for m in conv], "max_tokens": int(max_new_tokens), "temperature": float(temperature),
            "top_p": float(top_p), "seed": int(seed) if temperature > 0 else 0,
        }

    def fetch(self, requests: Sequence[dict]) -> list[dict]:
        """One entry per request, in order: from the cache, else from the server (identical requests sent once)."""
        keys = [request_key(r) for r in requests]
        entries: dict[str, dict] = {}
        missing: dict[str, dict] = {}
        for key, request in zip(keys, requests):
            if key in entries or key in missing:
                continue
            cached = self.cache.get(key) if self.cache is not None else None
            if cached is None:
                missing[key] = request
            else:
                entries[key] = cached
        if missing:
            todo = list(missing.items())
            workers = min(self.spec.max_concurrency, len(todo))
            if workers == 1:
                fetched = [self._fetch_one(r) for _, r in todo]
            else:
                with ThreadPoolExecutor(workers) as pool:
                    fetched = list(pool.map(lambda kr: self._fetch_one(kr[1]), todo))
            for (key, _), entry in zip(todo, fetched):
                entries[key] = entry
                if self.cache is not None:
                    self.cache.put(key, entry)
        out = [entries[k] for k in keys]
        if self.ledger is not None:
            for e in out:
                self.ledger.charge_api(e["input_tokens"], e["output_tokens"])
        return out

    def _fetch_one(self, request: dict) -> dict:
        return with_retries(lambda: self._guarded(request), self.policy, self.where, self._rng, self._sleep)

    def _guarded(self, request: dict) -> dict:
        with self._slots:
            return self._call(request)

    def _make_client(self, api_key: str):
        raise NotImplementedError

    def _call(self, request: dict) -> dict:
        raise NotImplementedError

    def close(self) -> None:
        if self.cache is not None:
            self.cache.close()


def classify(exc: Exception, status: int | None, where: str) -> Exception:
    """Map a client exception to a retryable TransientError or a final one-line BackendError."""
    if status is None or status in RETRYABLE_STATUS or status >= 500:
        response = getattr(exc, "response", None)
        wait = retry_after_seconds(getattr(response, "headers", None))
        return TransientError(f"{type(exc).__name__}{f' {status}' if status else ''}", retry_after=wait)
    return BackendError(f"{where} rejected the request with HTTP {status} ({type(exc).__name__}); "
                        "check the model name, key and parameters")


class OpenAIBackend(APIBackend):
    """OpenAI chat completions; with ``base_url`` (or ``OPENAI_BASE_URL``) any compatible server."""

    provider = "openai"
    default_key_env = "OPENAI_API_KEY"

    def _custom_endpoint(self) -> bool:
        return self.spec.base_url is not None or bool(os.environ.get("OPENAI_BASE_URL"))

    def _make_client(self, api_key: str):
        import openai

        return openai.OpenAI(api_key=api_key, base_url=self.spec.base_url, max_retries=0, timeout=self.spec.timeout_s)

    def generate_with_logprobs(self, conversations: Sequence[Conversation], max_new_tokens: int = 3, top_logprobs: int = 5) -> list[dict]:
        """Greedy replies with the ``top_logprobs`` most likely tokens at each position:
        ``{"text": str, "top_logprobs": [[[token, logprob], ...] per position]}`` (an empty list when the server gives none)."""
        requests = [{**self.chat_request(c, max_new_tokens, 0.0, 0, 1.0), "logprobs": True, "top_logprobs": int(top_logprobs)}
                    for c in conversations]
        entries = self.fetch(requests)
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
            raise classify(exc, exc.status_code, self.where) from None
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


class AnthropicBackend(APIBackend):
    """Anthropic messages API (system turns go to the ``system`` field).

    Current Anthropic SDKs take no temperature or seed; sampling settings only
    distinguish cache entries here.
    """

    provider = "anthropic"
    default_key_env = "ANTHROPIC_API_KEY"

    def _make_client(self, api_key: str):
        import anthropic

        return anthropic.Anthropic(api_key=api_key, base_url=self.spec.base_url, max_retries=0, timeout=self.spec.timeout_s)

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
            raise classify(exc, exc.status_code, self.where) from None
        except (anthropic.APIConnectionError, anthropic.APIResponseValidationError, ValueError) as exc:
            raise TransientError(type(exc).__name__) from None
        try:
            text = "".join(block.text for block in resp.content if getattr(block, "type", "") == "text")
            return {"text": text, "input_tokens": int(resp.usage.input_tokens), "output_tokens": int(resp.usage.output_tokens)}
        except (AttributeError, TypeError, ValueError) as exc:
            raise TransientError(f"malformed response body ({exc})") from None
