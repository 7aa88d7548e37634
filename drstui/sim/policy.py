"""The v5 compare policy of a simulated job (scheduled comparisons): its state and its slots.

A policy runs on the weekdays of its ``period`` ("* * 1,3,5", 1 = Monday) inside the UTC window
``begin_time``–``end_time``: once at ``begin_time``, or every ``interval_hour`` hours from
``begin_time`` while inside the window. schedule.py runs the slots that came due.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone

SUPPORTED_ENGINES = ("mysql-to-mysql",)  # the simulated engines the policy API supports
KIND_OF_TYPE = {"object_comparison": "object", "lines": "lines", "contents": "contents"}
LOOKAHEAD_DAYS = 8  # a week of weekdays always holds the next slot of a valid period


@dataclass
class PolicyState:
    status: str = "CLOSED"  # OPEN / CLOSED / NO_SUPPORT
    period: str = "* * 1,2,3,4,5,6,7"
    begin_time: str = "00:00:00"
    end_time: str = "04:00:00"
    compare_type: list[str] = field(default_factory=lambda: ["lines"])
    compare_policy: str = "normal"
    interval_hour: int | None = None
    conflict_strategy: str | None = None
    last_slot: float | None = None  # the latest slot that has run (or was skipped)

    def weekdays(self) -> set[int]:
        return {int(d) for d in self.period.split()[-1].split(",")}

    def slots_between(self, start: float, end: float) -> list[float]:
        """Run times (epoch seconds) in [start, end), in order."""
        out: list[float] = []
        day = datetime.fromtimestamp(start, timezone.utc).date() - timedelta(days=1)
        last_day = datetime.fromtimestamp(end, timezone.utc).date()
        begin, stop = _clock(self.begin_time), _clock(self.end_time)
        while day <= last_day:
            if day.isoweekday() in self.weekdays():
                first = datetime.combine(day, begin, timezone.utc)
                window_end = datetime.combine(day, stop, timezone.utc)
                if window_end <= first:
                    window_end += timedelta(days=1)  # a window across midnight
                step = timedelta(hours=self.interval_hour) if self.interval_hour else None
                slot = first
                while slot < window_end:
                    if start <= slot.timestamp() < end:
                        out.append(slot.timestamp())
                    if step is None:
                        break
                    slot += step
            day += timedelta(days=1)
        return sorted(out)

    def next_run(self, now: float) -> float | None:
        if self.status != "OPEN":
            return None
        upcoming = [s for s in self.slots_between(now, now + LOOKAHEAD_DAYS * 86400)
                    if self.last_slot is None or s > self.last_slot]
        return upcoming[0] if upcoming else None


def _clock(text: str) -> time:
    hours, minutes, seconds = (int(p) for p in text.split(":"))
    return time(hours, minutes, seconds)


def initial_policy(engine_type: str) -> PolicyState:
    if engine_type not in SUPPORTED_ENGINES:
        return PolicyState(status="NO_SUPPORT")
    return PolicyState()
