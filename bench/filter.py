"""6. filter: 2,000 jobs and 20,000 object rows, one key press in the filter to the repaint.

The real DrsTuiApp in-process (`run_test`, 120x36, byte-counting driver so frames are really
rendered) on a Snapshot of 2,000 jobs, each with a 10-type object comparison (20,000 object
rows), built from the seeded simulator's jobs. `/` opens the filter, then each key press is
timed from just before `pilot.press()` to the last byte of the frame that shows the filtered
table (write timestamps from the driver), once the app is idle again. Median and max over the
typed keys ("mysql-00" then backspaces).
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from dataclasses import replace

if __package__ in (None, ""):
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.apphelp import ListSource, SteppedClock, counting_driver, settle
from bench.bytes import first_snapshot
from bench.common import SEED, Figure, print_figures

KEYS = list("mysql-00") + ["backspace"] * 4


def big_snapshot(base, jobs: int, types: int):
    from drstui.monitor.snapshot import ObjectTypeRow

    with_rows = next(j for j in base.jobs if j.object_comparison and j.object_comparison.rows)
    comparison = with_rows.object_comparison
    rows = list(comparison.rows)
    kinds = ["DB", "TABLE", "VIEW", "INDEX", "FUNCTION", "PROCEDURE", "TRIGGER", "SEQUENCE", "SYNONYM", "TYPE"]
    template = rows[0]
    rows = tuple(replace(template, object_type=kinds[i % len(kinds)], source_count=100 + i, target_count=100 + i)
                 for i in range(types))
    out = []
    for index in range(jobs):
        job = base.jobs[index % len(base.jobs)]
        out.append(replace(job, id=f"{job.id[:-5]}{index:05d}", name=f"{job.name}-{index:04d}",
                           object_comparison=replace(comparison, rows=rows)))
    return replace(base, jobs=tuple(out))


async def measure(seed: int, jobs: int, types: int) -> dict:
    from drstui.ui.app import DrsTuiApp

    clock = SteppedClock()
    snapshot = big_snapshot(await first_snapshot(seed, None, clock), jobs, types)
    source = ListSource([snapshot], now=clock)
    times, shown = [], []
    with counting_driver() as counter:
        app = DrsTuiApp(source, profile_label="bench", refresh_seconds=5, clock=clock, auto_refresh=False)
        async with app.run_test(size=(120, 36)) as pilot:
            started = time.perf_counter()
            await app.refresh_now()
            await settle(pilot, 4)
            first_paint = time.perf_counter() - started
            await pilot.press("slash")
            await settle(pilot)
            pane = app.monitor.jobs_pane
            for key in KEYS:
                mark = len(counter.log)
                before = time.perf_counter()
                await pilot.press(key)
                await settle(pilot, 2)
                frames = counter.log[mark:]
                if frames:
                    times.append(frames[-1][0] - before)
                shown.append((pane.filter_text, pane.table.row_count))
    return {"times": times, "shown": shown, "first_paint": first_paint,
            "rows": sum(len(j.object_comparison.rows) for j in snapshot.jobs)}


def run(*, quick: bool = False, seed: int = SEED, jobs: int = 2000, types: int = 10) -> list[Figure]:
    result = asyncio.run(measure(seed, jobs, types))
    times = result["times"]
    if not times:
        return [Figure("filter key press to repaint", None, "ms", "< 100", "no frame was written")]
    widest = max(result["shown"], key=lambda item: item[1])
    return [
        Figure(f"filter key to repaint, {jobs:,} jobs (median of {len(times)})", 1000 * statistics.median(times),
               "ms", "< 100", f"max {1000 * max(times):.0f} ms; rows shown {widest[1]:,} for {widest[0]!r} .. "
                               f"{min(n for _, n in result['shown']):,}"),
        Figure("first paint of that Snapshot", 1000 * result["first_paint"], "ms", "info",
               f"{result['rows']:,} object rows in it"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--jobs", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    figures = run(quick=args.quick, seed=args.seed, jobs=args.jobs)
    print_figures(figures)
    return 0 if all(f.verdict != "FAIL" for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
