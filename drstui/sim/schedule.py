"""Scheduled (periodic) comparisons of a simulated job: the v5 compare policy.

A policy runs on the weekdays of its ``period`` ("* * 1,3,5", 1 = Monday) inside the UTC window
``begin_time``–``end_time``: once at ``begin_time``, or every ``interval_hour`` hours from
``begin_time`` while inside the window. Like everything in the world, the schedule is computed
from the clock: :func:`catch_up` (called before each request) creates the comparison of the
latest slot that has passed and not run yet — never a backlog of missed slots.

When a slot comes while a comparison of the same kind is unfinished, ``conflict_strategy``
decides: ``cover`` cancels it and starts the new one, ``ignore`` (or none) skips this slot.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .world import DrsJob, World

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


def initial_policy(job: DrsJob) -> PolicyState:
    if job.engine.engine_type not in SUPPORTED_ENGINES:
        return PolicyState(status="NO_SUPPORT")
    return PolicyState()


def catch_up(world: World, now: float) -> None:
    """Run the latest due slot of every open policy (at most one per job per call)."""
    for job in list(world.project.jobs.values()):
        policy = job.compare_policy
        if policy is None or policy.status != "OPEN":
            continue
        if policy.last_slot is None:
            policy.last_slot = now  # opened now: only later slots count
            continue
        due = [s for s in policy.slots_between(policy.last_slot, now + 1e-6) if s > policy.last_slot]
        if due:
            policy.last_slot = due[-1]
            _run(world, job, policy, due[-1])


def _run(world: World, job: DrsJob, policy: PolicyState, at: float) -> None:
    kinds = [KIND_OF_TYPE[t] for t in policy.compare_type if t in KIND_OF_TYPE]
    for kind in kinds:
        unfinished = job.unfinished([kind], at)
        if unfinished and policy.conflict_strategy != "cover":
            continue
        for old in unfinished:
            old.timeline.cancelled_at = at
        world.add_comparison(job, kind, at, outcome="SUCCESSFUL")
