"""3. bytes: what one refresh writes to the terminal when nothing changed, and when one count did.

The real DrsTuiApp runs in-process (`run_test`, 120x36) with a byte-counting driver (see
apphelp.py) and auto-refresh off. Its source hands out Snapshots made by the real Monitor on the
simulator (seed 7, 12 jobs, ManualClock): the first one, the same again (nothing changed), then
the same with one object count of the highlighted job's comparison +1 (one cell changes). The
app's clock is stepped by hand, so the once-a-second tick (data age, export countdowns) is
measured on its own: bytes per idle second, with the clock moving 1 s per real second.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from dataclasses import replace

if __package__ in (None, ""):
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.apphelp import ListSource, SteppedClock, counting_driver, settle
from bench.common import SEED, Figure, print_figures


async def first_snapshot(seed: int, jobs: int | None, clock: SteppedClock):
    from drstui.config import load_settings
    from drstui.sim import ManualClock
    from drstui.wiring import open_session

    settings = load_settings(demo=True, environ={}, seed=seed, jobs=jobs)
    session = open_session(settings, sim_clock=ManualClock(start=clock.now.timestamp()), now=clock)
    try:
        return await session.monitor.refresh()
    finally:
        await session.aclose()


def one_count_changed(snapshot, job_id: str):
    """The same Snapshot with one object count of one job +1 (or None if it has none)."""
    jobs = list(snapshot.jobs)
    for index, job in enumerate(jobs):
        if job.id != job_id or job.object_comparison is None or not job.object_comparison.rows:
            continue
        comparison = job.object_comparison
        row = comparison.rows[0]
        rows = (replace(row, source_count=(row.source_count or 0) + 1),) + comparison.rows[1:]
        jobs[index] = replace(job, object_comparison=replace(comparison, rows=rows))
        return replace(snapshot, jobs=tuple(jobs))
    return None


async def measure(seed: int, jobs: int | None, tick_seconds: int) -> dict[str, float]:
    from drstui.ui.app import DrsTuiApp

    clock = SteppedClock()
    snapshot = await first_snapshot(seed, jobs, clock)
    source = ListSource([snapshot], now=clock)
    with counting_driver() as counter:
        app = DrsTuiApp(source, profile_label="bench", refresh_seconds=5, clock=clock, auto_refresh=False)
        async with app.run_test(size=(120, 36)) as pilot:
            await app.refresh_now()
            await settle(pilot, 6)
            start_bytes = counter.total
            # Nothing changed: the same Snapshot again.
            before = counter.total
            clock.advance(5)  # one refresh interval later: new data time, same data
            await app.refresh_now()
            await settle(pilot)
            unchanged = counter.total - before
            # One count changed, in the job on screen (its detail pane shows the count).
            job_id = app.monitor.jobs_pane.highlighted_job_id
            changed_snapshot = one_count_changed(snapshot, job_id) or one_count_changed(
                snapshot, next(j.id for j in snapshot.jobs if j.object_comparison and j.object_comparison.rows))
            source.snapshots.append(changed_snapshot)
            before = counter.total
            clock.advance(5)
            await app.refresh_now()
            await settle(pilot)
            changed = counter.total - before
            writes = app.last_paint_writes
            # The clock alone: one second at a time.
            before = counter.total
            for _ in range(tick_seconds):
                clock.advance(1)
                await pilot.pause(1.0)
            ticking = (counter.total - before) / tick_seconds
    return {"first": start_bytes, "unchanged": unchanged, "changed": changed, "tick": ticking,
            "writes": writes}


def run(*, quick: bool = False, seed: int = SEED, jobs: int | None = None) -> list[Figure]:
    result = asyncio.run(measure(seed, jobs, 3 if quick else 10))
    return [
        Figure("bytes, refresh with nothing changed", result["unchanged"], "bytes", "< 200",
               "5 s later: only the data time in the status line differs"),
        Figure("bytes, refresh with one count changed", result["changed"], "bytes", "info",
               f"{result['writes']:.0f} DataTable call(s)"),
        Figure("bytes per idle second (clock tick)", result["tick"], "bytes/s", "info",
               "data age in the status line"),
        Figure("bytes, first full paint 120x36", result["first"], "bytes", "info"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--jobs", type=int)
    args = parser.parse_args(argv)
    figures = run(quick=args.quick, seed=args.seed, jobs=args.jobs)
    print_figures(figures)
    return 0 if all(f.verdict != "FAIL" for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
