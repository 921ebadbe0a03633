"""Bounded retries with exponential backoff for transient API failures.

A server that answers 429/503 with ``Retry-After`` (seconds or an HTTP date;
OpenAI also sends ``retry-after-ms``) is waited on for at least that long, plus
up to 10% jitter. Jitter comes from one generator per backend, seeded once, so
concurrent requests that fail together do not retry in lockstep.
"""

from __future__ import annotations

import email.utils
import logging
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TypeVar

from study.errors import BackendError

log = logging.getLogger(__name__)
T = TypeVar("T")


class TransientError(Exception):
    """A failure worth retrying: rate limit, server error, timeout, malformed body."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_retry_after: float = 120.0  # a server asking for a longer wait is treated as down

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1, got {self.max_attempts}")

    def delay(self, attempt: int, rng: random.Random, retry_after: float | None = None) -> float:
        if retry_after is not None:
            return retry_after * (1.0 + rng.random() / 10)
        return min(self.max_delay, self.base_delay * 2 ** attempt) * (0.5 + rng.random() / 2)


def retry_after_seconds(headers: Mapping[str, str] | None, now: float | None = None) -> float | None:
    """Seconds a response asks the client to wait (``retry-after-ms`` or ``Retry-After``), or None."""
    if not headers:
        return None
    lower = {str(k).lower(): str(v) for k, v in headers.items()}
    try:
        if "retry-after-ms" in lower:
            return max(0.0, float(lower["retry-after-ms"]) / 1000)
        if "retry-after" in lower:
            value = lower["retry-after"].strip()
            try:
                return max(0.0, float(value))
            except ValueError:
                when = email.utils.parsedate_to_datetime(value)
                return max(0.0, when.timestamp() - (time.time() if now is None else now))
    except (TypeError, ValueError, OverflowError):
        return None
    return None


def with_retries(call: Callable[[], T], policy: RetryPolicy, what: str, rng: random.Random,
                 sleep: Callable[[float], None] = time.sleep) -> T:
    """Run ``call`` until it succeeds or ``policy.max_attempts`` transient failures; ``what`` names the endpoint."""
    last: TransientError | None = None
    for attempt in range(policy.max_attempts):
        try:
            return call()
        except TransientError as exc:
            last = exc
            if exc.retry_after is not None and exc.retry_after > policy.max_retry_after:
                raise BackendError(f"{what} asked to retry after {exc.retry_after:.0f} s (Retry-After), more than the "
                                   f"{policy.max_retry_after:.0f} s a backend waits; try again later") from None
            if attempt + 1 < policy.max_attempts:
                wait = policy.delay(attempt, rng, exc.retry_after)
                log.warning("%s failed (%s); retry %d/%d in %.2fs", what, exc, attempt + 1, policy.max_attempts - 1, wait)
                sleep(wait)
    raise BackendError(f"{what} failed {policy.max_attempts} times, last error: {last}; check the server or raise max_attempts")
