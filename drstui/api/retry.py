"""When and how long to wait before repeating a failed call.

Only *safe* requests are ever repeated: GET/HEAD, plus POSTs the caller explicitly marks as
read-only (batch-status, query-compare-result, v3 job list). A POST that creates or exports
something is never repeated, whatever the failure.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import httpx

SAFE_METHODS = frozenset({"GET", "HEAD"})
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP-date."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        now = now or datetime.now(timezone.utc)
        return max(0.0, (when - now).total_seconds())
    if seconds != seconds or seconds in (float("inf"), float("-inf")):  # NaN / inf
        return None
    return max(0.0, seconds)


@dataclass
class RetryPolicy:
    """Exponential backoff with full jitter: attempt n waits uniform(0, min(cap, base*2**(n-1)))."""

    max_attempts: int = 4
    base: float = 0.5
    cap: float = 30.0
    # A Retry-After longer than this is not waited out inside a call: the error is raised
    # (kind "throttled", with retry_after) so the poller can back off instead of blocking.
    max_retry_after: float = 30.0
    rng: random.Random = field(default_factory=random.Random, repr=False)
    sleep: Callable[[float], Awaitable[None]] = field(default=asyncio.sleep, repr=False)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be >= 1")

    @classmethod
    def never(cls) -> RetryPolicy:
        return cls(max_attempts=1)

    @staticmethod
    def is_safe(method: str, marked_safe: bool = False) -> bool:
        return marked_safe or method.upper() in SAFE_METHODS

    def backoff(self, attempt: int) -> float:
        """Jittered delay after failed attempt number `attempt` (1-based)."""
        ceiling = min(self.cap, self.base * (2 ** (attempt - 1)))
        return self.rng.uniform(0.0, ceiling)

    def delay_after_status(self, attempt: int, status: int, retry_after: float | None,
                           safe: bool) -> float | None:
        """Seconds to wait before retrying after an HTTP status, or None to stop."""
        if not safe or status not in RETRY_STATUSES or attempt >= self.max_attempts:
            return None
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            return max(retry_after, 0.0)
        return self.backoff(attempt)

    def delay_after_exception(self, attempt: int, exc: Exception, safe: bool) -> float | None:
        """Seconds to wait before retrying after a transport error, or None to stop."""
        if not safe or attempt >= self.max_attempts:
            return None
        if isinstance(exc, (httpx.ConnectError, httpx.ConnectTimeout, httpx.ReadTimeout,
                            httpx.PoolTimeout, httpx.RemoteProtocolError, httpx.ReadError)):
            return self.backoff(attempt)
        return None
