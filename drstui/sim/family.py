"""Multi-task (parent/child) DRS jobs for the simulated world.

A parent job (``job_mode_role`` ``parent``) owns child jobs (``child``, ``job_mode``
``sync_child``). The job lists show the parent with its children in ``children[]``; the children
are not listed on their own, but every per-job call (detail, status, comparisons) works with a
child's id. Comparisons belong to the children: creating one on a parent is refused.

Opt in with ``WorldSettings.multi_task_jobs`` (number of parents, each with two children); the
default world has none, so adding them never changes the jobs other tests count.
"""

from __future__ import annotations

import random

from .world import JOB_WORDS, PolicyState, Table, World, _new_job

CHILD_STATES = ("INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED")


def add_multi_task_jobs(world: World, now: float) -> None:
    for index in range(world.settings.multi_task_jobs):
        rng = random.Random(f"{world.settings.seed}/family/{index}")
        word = JOB_WORDS[(index + 5) % len(JOB_WORDS)]
        parent = _new_job(world, world.new_job_id(rng), f"DRS-{word}-multi-{index + 1:02d}",
                          "INCRE_TRANSFER_STARTED", "mysql-to-mysql", [f"{word}_main"],
                          [Table(f"{word}_main", "accounts", 4200)], now - 3 * 86400)
        parent.mode_role = "parent"
        for number, status in enumerate(CHILD_STATES, start=1):
            db = f"{word}_shard{number}"
            tables = [Table(db, name, rng.randint(500, 90_000)) for name in ("accounts", "ledger", "events")]
            child = _new_job(world, world.new_job_id(rng), f"{parent.name}-child{number}", status,
                             "mysql-to-mysql", [db], tables, now - 3 * 86400)
            child.mode_role, child.parent_id = "child", parent.id
            if status == "INCRE_TRANSFER_FAILED":
                child.error_code, child.error_message = "DRS.10000001", "Failed."
            else:
                # A value comparison still running, so pause/restart and progress show at once.
                world.add_comparison(child, "contents", now - 20, rng=rng, outcome="SUCCESSFUL",
                                     force_inconsistent=("ledger",))
                child.compare_policy = PolicyState(status="OPEN", period="* * 1,2,3,4,5,6,7",
                                                   begin_time="22:00:00", end_time="23:59:59",
                                                   compare_type=["lines"], last_slot=now)
            parent.children.append(child)
