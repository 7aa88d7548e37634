"""Replication behaviour of simulated jobs: lag, link health, figure freshness, RPO/RTO, DDLs.

Like the rest of the world, everything is computed from the clock on each read. Scenarios (the
first incremental jobs, in world order, get them; the others are ``steady``):

* ``spiky`` (the first, fixture job A): small lag with a batch load on the source every 10 min
  that pushes the target lag to 8–20 s for 30 s;
* ``recovers``: starts 45 s behind, catches up within 100 s, then stays calm; its comparisons
  are consistent, so it goes NO-GO -> GO a few minutes after start (repeats every 20 min);
* ``link_down``: the target connection drops 90 s after start for 2 min (every 15 min), and
  the target lag grows while it is down;
* ``frozen``: its figures stop updating 60 s after start (``update_time`` stands still);
* ``dr``: a disaster-recovery job with RPO/RTO;
* ``ddl``: an alarming DDL waits for someone to look at it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

SCENARIO_ORDER = ("spiky", "recovers", "link_down", "frozen", "dr", "ddl")
DR_JOB_TYPE = "cloudDataGuard"
SPIKE_PERIOD, SPIKE_SECONDS = 600.0, 30.0
RECOVER_PERIOD, RECOVER_SECONDS, RECOVER_FROM_MS = 1200.0, 100.0, 45_000.0
LINK_PERIOD, LINK_DOWN_AT, LINK_DOWN_SECONDS = 900.0, 90.0, 120.0
FREEZE_AFTER = 60.0
NOISE_BUCKET = 10.0  # the figures change every 10 simulated seconds
FULL_TRANSFER_RATE = 0.02  # percent per second while a full transfer runs


@dataclass
class ReplicationScenario:
    kind: str
    start: float  # the world's start time
    seed: str
    ddls: list[dict[str, Any]] = field(default_factory=list)

    def _noise(self, now: float, salt: str) -> float:
        bucket = int(now // NOISE_BUCKET)
        return random.Random(f"{self.seed}/{salt}/{bucket}").random()

    def figures_time(self, now: float) -> float:
        """When DRS last refreshed the figures (frozen for the ``frozen`` job)."""
        if self.kind == "frozen":
            now = min(now, self.start + FREEZE_AFTER)
        return now - now % NOISE_BUCKET

    def _elapsed(self, now: float, period: float) -> float:
        return (now - self.start) % period

    def lag_ms(self, now: float) -> tuple[float, float]:
        """(source lag, target lag) in milliseconds."""
        now = self.figures_time(now)
        source = 100 + 500 * self._noise(now, "src")
        target = 200 + 700 * self._noise(now, "dst")
        if self.kind == "spiky":
            phase = (now - self.start + SPIKE_PERIOD - 120) % SPIKE_PERIOD
            if phase < SPIKE_SECONDS:
                source += 1500
                target = 8000 + 12000 * self._noise(now, "spike")
        elif self.kind == "recovers":
            phase = self._elapsed(now, RECOVER_PERIOD)
            if phase < RECOVER_SECONDS:
                target += RECOVER_FROM_MS * (1 - phase / RECOVER_SECONDS)
        elif self.kind == "link_down":
            down_for = self._elapsed(now, LINK_PERIOD) - LINK_DOWN_AT
            if 0 <= down_for < LINK_DOWN_SECONDS:
                target += down_for * 1000
        return source, target

    def links(self, now: float) -> tuple[bool, bool]:
        if self.kind == "link_down":
            down_for = self._elapsed(now, LINK_PERIOD) - LINK_DOWN_AT
            return True, not 0 <= down_for < LINK_DOWN_SECONDS
        return True, True

    def rpo_rto_seconds(self, now: float) -> tuple[int, int]:
        source, target = self.lag_ms(now)
        return round((source + target) / 1000), round(target / 1000) + 5

    def alarming_ddls(self) -> int:
        return sum(1 for ddl in self.ddls if ddl["status"] == 1)
