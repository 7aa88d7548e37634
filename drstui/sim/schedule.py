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

from .policy import KIND_OF_TYPE, PolicyState
from .world import DrsJob, World


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
