"""The connection state shown in the header, and how long to wait before the next poll.

Kept apart from the poller so the state machine (OK -> RETRYING -> STALE -> OK, AUTH_FAILED
until reset) and the backoff can be tested with plain numbers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from drstui.monitor.snapshot import Connection, LinkState

# Cap on a server-sent Retry-After we honour: a broken header must not park us for a day.
MAX_RETRY_AFTER = 600.0
# Refreshes that failed in a row before the data is called stale.
STALE_AFTER_FAILURES = 2


class LinkTracker:
    """Follows refresh outcomes; answers `connection()` and `next_delay()`."""

    def __init__(self, interval: float) -> None:
        self.interval = interval
        self.state = LinkState.CONNECTING
        self.reason: str | None = None
        self.since: datetime | None = None
        self.failures = 0  # refreshes failed in a row
        self.last_success: datetime | None = None
        self.next_retry_at: datetime | None = None
        self.host: str | None = None
        self.details: tuple[str, ...] = ()
        self._retry_after: float | None = None

    # -- outcomes ----------------------------------------------------------------------------
    def succeeded(self, at: datetime, retry_after: float | None = None) -> None:
        """The job list answered. `retry_after`: a part of the refresh was throttled anyway."""
        self.state = LinkState.OK
        self.reason = None
        self.since = None
        self.failures = 0
        self.host, self.details = None, ()
        self.last_success = at
        self._retry_after = _clamp(retry_after)
        delay = self.next_delay()
        self.next_retry_at = at + timedelta(seconds=delay) if self._retry_after else None

    def failed(
        self, at: datetime, reason: str, retry_after: float | None = None, *,
        host: str | None = None, details: tuple[str, ...] = (),
    ) -> None:
        self.failures += 1
        self.host, self.details = host, details
        self._retry_after = _clamp(retry_after)
        if self.state not in (LinkState.RETRYING, LinkState.STALE):
            self.since = at
        self.state = LinkState.STALE if self._is_stale(at) else LinkState.RETRYING
        self.reason = reason
        self.next_retry_at = at + timedelta(seconds=self.next_delay())

    def auth_failed(
        self, at: datetime, reason: str, *, host: str | None = None, details: tuple[str, ...] = ()
    ) -> None:
        """Credentials refused: no more calls until `reset()`; no retry time to show."""
        self.host, self.details = host, details
        if self.state != LinkState.AUTH_FAILED:
            self.since = at
        self.state = LinkState.AUTH_FAILED
        self.reason = reason
        self.next_retry_at = None

    def reset(self) -> None:
        """The user fixed the credentials (or the clock): try again from scratch."""
        self.state = LinkState.CONNECTING
        self.reason = None
        self.since = None
        self.failures = 0
        self.next_retry_at = None
        self.host, self.details = None, ()
        self._retry_after = None

    # -- answers -----------------------------------------------------------------------------
    @property
    def blocked(self) -> bool:
        return self.state == LinkState.AUTH_FAILED

    def next_delay(self) -> float:
        """Seconds until the next poll should start.

        OK: the refresh interval. After failures: min(max(2 x interval, 5), 30) growing
        x2 per further failure up to 30 s (or the interval, if longer), never less than a
        429's Retry-After. Auth failure: a long, calm value (the monitor makes no calls).
        """
        if self.state == LinkState.AUTH_FAILED:
            return max(self.interval, 30.0)
        if self.failures == 0:
            delay = self.interval
        else:
            ceiling = max(30.0, self.interval)
            first = min(max(2 * self.interval, 5.0), ceiling)
            delay = min(first * 2 ** (self.failures - 1), ceiling)
        if self._retry_after is not None:
            delay = max(delay, self._retry_after)
        return delay

    def connection(self) -> Connection:
        return Connection(
            state=self.state, reason=self.reason, since=self.since, next_retry_at=self.next_retry_at,
            host=self.host, details=self.details, last_success=self.last_success,
            failures=self.failures,
        )

    def _is_stale(self, at: datetime) -> bool:
        if self.failures >= STALE_AFTER_FAILURES:
            return True
        if self.last_success is None:
            return False  # nothing shown yet, so nothing can be stale
        return (at - self.last_success).total_seconds() > 2 * self.interval


def _clamp(retry_after: float | None) -> float | None:
    if retry_after is None or retry_after <= 0:
        return None
    return min(float(retry_after), MAX_RETRY_AFTER)
