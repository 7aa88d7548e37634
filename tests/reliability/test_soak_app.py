"""Soak: the real app over a real Monitor on the simulator, thousands of refresh cycles with
faults switched on and off; widgets, timers, workers and asyncio tasks must stay flat."""

from __future__ import annotations

import asyncio
import gc
import time

from drstui.monitor.snapshot import LinkState

from .rig import ReliabilityRig, jobs_on_screen

CYCLES = 2000
TOGGLE_EVERY = 100
# One fault per block of 100 cycles (every other block is clean), on the job list or on one
# job's paths, so whole refreshes and single parts both fail and recover again and again.
FAULTS = [
    "5xx=1@/v5/*/jobs",
    "timeout=1,hang=30s@/v3/*/jobs/*/object/compare",
    "drop=0.5",
    "malformed=1@/v3/*/jobs/*/table/compare",
    "429=1,retry-after=7s@/v5/*/jobs",
    "refuse",
    "unknown-enum=0.3",
    "wrong-type=0.3",
    "5xx=0.3,status=502",
    "timeout=0.2",
]


def census(app) -> dict[str, int]:
    gc.collect()
    nodes = [app, *app.screen_stack, *app.query("*")]
    timers = sum(1 for node in nodes for timer in list(node._timers)
                 if timer._task is not None and not timer._task.done())
    return {
        "widgets": len(list(app.query("*"))),
        "screens": len(app.screen_stack),
        "timers": timers,
        "workers": len(app.workers),
        "tasks": len(asyncio.all_tasks()),
    }


def switch(rig: ReliabilityRig, cycle: int) -> None:
    rig.core.faults.clear()
    rig.transport.refuse_connections = False
    block = cycle // TOGGLE_EVERY
    if block % 2 == 0:
        return  # a clean block
    spec = FAULTS[(block // 2) % len(FAULTS)]
    if spec == "refuse":
        rig.transport.refuse_connections = True
    else:
        rig.core.faults.add(spec)


async def test_thousands_of_refreshes_with_faults_keep_the_app_flat(tmp_path):
    rig = ReliabilityRig(tmp_path, jobs=3)
    app = rig.app()
    started = time.perf_counter()
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            await app.refresh_now()
            await pilot.pause()
            states = set()
            after_100 = None
            for cycle in range(1, CYCLES + 1):
                if cycle % TOGGLE_EVERY == 0:
                    switch(rig, cycle)
                rig.advance(rig.monitor.next_delay())
                await app.refresh_now()
                states.add(app.received.connection.state)
                if cycle % 50 == 0:
                    await pilot.pause()  # let the screen catch up with the paints
                if cycle == 100:
                    after_100 = census(app)
            rig.core.faults.clear()
            rig.transport.refuse_connections = False
            rig.advance(rig.monitor.next_delay())
            await app.refresh_now()
            await pilot.pause()
            at_end = census(app)
            elapsed = time.perf_counter() - started
            print(f"\n{CYCLES} cycles in {elapsed:.1f}s; after 100: {after_100}; at end: {at_end}; "
                  f"sim requests {rig.core.count()}")
            # Flat: a leak of one per refresh would show thousands. Asyncio tasks may differ by a
            # few (toasts and alerts still on screen at either moment hold a task each).
            tasks_end, tasks_100 = at_end.pop("tasks"), after_100.pop("tasks")
            assert at_end == after_100
            assert abs(tasks_end - tasks_100) <= 5, (tasks_end, tasks_100)
            assert {LinkState.OK, LinkState.RETRYING, LinkState.STALE} <= states
            assert app.is_running and app.received.connection.state == LinkState.OK
            assert len(jobs_on_screen(app)) == 3 and app.received.jobs
            assert app.poll_count == CYCLES + 2
    finally:
        await rig.aclose()
