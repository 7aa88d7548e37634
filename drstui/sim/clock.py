"""Injectable clocks. The simulator never reads the system time directly.

* :class:`ManualClock` — tests: time stands still until ``advance(seconds)``.
* :class:`WallClock` — ``drstui sim`` and ``--demo``: real time, optionally sped up by ``speed``
  so comparisons progress visibly faster. Signature freshness (``X-Sdk-Date`` within 15 min) is
  always checked against :meth:`Clock.signing_now`, which stays real time even when sped up —
  otherwise a fast demo clock would reject every honestly signed request after a few minutes.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Protocol

# 2025-01-15T08:30:00Z: the X-Sdk-Date of tests/data/signing-vectors.json.
DEFAULT_START = 1736929800.0


class Clock(Protocol):
    def now(self) -> float:
        """Simulated time, epoch seconds (drives state machines and token expiry)."""

    def signing_now(self) -> float:
        """Time that ``X-Sdk-Date`` is compared with, epoch seconds."""


class ManualClock:
    def __init__(self, start: float = DEFAULT_START) -> None:
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def signing_now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("time only moves forward")
        self._now += seconds
        return self._now

    def set(self, epoch_seconds: float) -> None:
        self._now = float(epoch_seconds)


class WallClock:
    def __init__(self, speed: float = 1.0) -> None:
        if speed <= 0:
            raise ValueError("speed must be positive")
        self.speed = speed
        self._start_wall = time.time()
        self._start_mono = time.monotonic()

    def now(self) -> float:
        return self._start_wall + (time.monotonic() - self._start_mono) * self.speed

    def signing_now(self) -> float:
        return time.time()


def iso_utc(epoch_seconds: float) -> str:
    """``2024-04-09T07:00:57Z``, the format of the compare APIs."""
    return datetime.fromtimestamp(epoch_seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def iso_utc_micro(epoch_seconds: float) -> str:
    """``2025-01-16T08:30:00.000000Z``, the format of IAM token times."""
    return datetime.fromtimestamp(epoch_seconds, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def epoch_millis(epoch_seconds: float) -> int:
    return int(round(epoch_seconds * 1000))
