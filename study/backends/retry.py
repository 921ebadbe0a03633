"""Bounded retries with exponential backoff for transient API failures."""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass
from typing import Callable, TypeVar

from study.errors import BackendError

log = logging.getLogger(__name__)
T = TypeVar("T")


class TransientError(Exception):
    """A failure worth retrying: rate limit, server error, timeout, malformed body."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError(f"max_attempts must be >= 1, got {self.max_attempts}")

    def delay(self, attempt: int, rng: random.Random) -> float:
        return min(self.max_delay, self.base_delay * 2 ** attempt) * (0.5 + rng.random() / 2)


def with_retries(call: Callable[[], T], policy: RetryPolicy, what: str, sleep: Callable[[float], None] = time.sleep) -> T:
    rng = random.Random(0)
    last: Exception | None = None
    for attempt in range(policy.max_attempts):
        try:
            return call()
        except TransientError as exc:
            last = exc
            if attempt + 1 < policy.max_attempts:
                wait = policy.delay(attempt, rng)
                log.warning("%s failed (%s); retry %d/%d in %.1fs", what, exc, attempt + 1, policy.max_attempts - 1, wait)
                sleep(wait)
    raise BackendError(f"{what} failed {policy.max_attempts} times, last error: {last}; check the server or raise max_attempts")
