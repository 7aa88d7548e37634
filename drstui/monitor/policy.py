"""The jobs' scheduled comparisons (v5 compare-policy), read on demand for the detail pane.

One GET per job at most every `max_age` seconds (moving the cursor over the jobs must not turn
into a request per key press); after a change the caller asks again with `fresh=True`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from drstui.api.models.lifecycle import ComparePolicy
from drstui.monitor import reasons
from drstui.monitor.snapshot import utc_now
from drstui.monitor.source import MonitorError

MAX_AGE_SECONDS = 60.0


class PolicyReader:
    def __init__(self, drs: Any, now: Callable[[], datetime] = utc_now, max_age: float = MAX_AGE_SECONDS) -> None:
        self._drs = drs
        self._now = now
        self._max_age = max_age
        self._cache: dict[str, tuple[datetime, ComparePolicy]] = {}

    def cached(self, job_id: str) -> ComparePolicy | None:
        """The last policy read for this job (any age), without a call."""
        hit = self._cache.get(job_id)
        return hit[1] if hit else None

    async def policy(self, job_id: str, *, fresh: bool = False) -> ComparePolicy:
        """MonitorError (one line) when it cannot be read."""
        hit = self._cache.get(job_id)
        now = self._now()
        if hit and not fresh and (now - hit[0]).total_seconds() < self._max_age:
            return hit[1]
        try:
            policy = await self._drs.show_compare_policy(job_id)
        except Exception as error:
            raise MonitorError(f"compare policy not read: {reasons.describe(error)}") from None
        self._cache[job_id] = (now, policy)
        if len(self._cache) > 1000:  # bounded: the oldest reading goes
            del self._cache[min(self._cache, key=lambda k: self._cache[k][0])]
        return policy
