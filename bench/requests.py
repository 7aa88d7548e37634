"""requests: API requests per refresh of 50 jobs, by call, with the replication reads.

The Monitor on the in-process simulator (seed 7, 50 jobs, simulated clock standing still but
for the steps below); the simulator's request log is counted per refresh. Progress and lag must
cost O(jobs / batch size) calls (`batch-progress`, at most 20 ids each), not one per job;
monitor data is per job (the API has no batch form) and read only for the jobs of the cutover
set that replicate incrementally; DDL alarms at most once a minute per such job.

    python -m bench.requests [--jobs 50] [--cutover N]
"""

from __future__ import annotations

import argparse
import asyncio
import math
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

from bench.common import SEED, Figure, print_figures
from drstui.api.replication import PROGRESS_BATCH_MAX
from drstui.config_schema import Settings
from drstui.sim.clock import ManualClock
from drstui.sim.core import SimCore
from drstui.sim.transport import SimTransport
from drstui.wiring import open_session

REPLICATION = tuple(f"drs.{name}" for name in ("batch_progress", "job_progress", "monitor_data", "job_ddls",
                                                 "batch_rpo_rto"))


class _Clock(ManualClock):
    def signing_now(self) -> float:  # the client signs with real time
        return time.time()


async def _no_sleep(_seconds: float) -> None:
    return None


async def measure(seed: int, jobs: int, cutover: int | None) -> dict[str, Counter[str]]:
    clock = _Clock()
    core = SimCore.create(seed=seed, clock=clock, jobs=jobs)
    ids = list(core.world.project.jobs)
    pinned = tuple(ids[:cutover]) if cutover else None
    with tempfile.TemporaryDirectory() as scratch:
        settings = Settings(demo=True, seed=seed, download_dir=Path(scratch), cutover_jobs=pinned)
        session = open_session(settings, transport=SimTransport(core, sleeper=_no_sleep),
                               now=lambda: datetime.fromtimestamp(clock.now(), timezone.utc))
        counts: dict[str, Counter[str]] = {}
        try:
            for label, step in (("first", 0), ("steady", 5), ("steady+ddl", 60)):
                clock.advance(step)
                before = len(core.received)
                await session.monitor.refresh()
                counts[label] = Counter(r.endpoint for r in list(core.received)[before:])
        finally:
            await session.aclose()
    return counts


def run(*, quick: bool = False, seed: int = SEED, jobs: int = 50, cutover: int | None = None) -> list[Figure]:
    del quick  # one pass is quick already
    counts = asyncio.run(measure(seed, jobs, cutover))
    figures = []
    batches = math.ceil(jobs / PROGRESS_BATCH_MAX)
    for label, counter in counts.items():
        replication = sum(counter[name] for name in REPLICATION)
        detail = ", ".join(f"{name} {counter[name]}" for name in REPLICATION if counter[name])
        figures.append(Figure(f"requests per {label} refresh of {jobs} jobs, all", sum(counter.values()),
                              "requests", "info", f"of which replication {replication}: {detail}"))
        figures.append(Figure(f"batch-progress calls per {label} refresh of {jobs} jobs",
                              counter["drs.batch_progress"], "requests", f"<= {batches}",
                              f"ceil({jobs} / {PROGRESS_BATCH_MAX}); not one per job"))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--jobs", type=int, default=50)
    parser.add_argument("--cutover", type=int, help="pin the first N jobs as the cutover set")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    figures = run(seed=args.seed, jobs=args.jobs, cutover=args.cutover)
    print_figures(figures)
    return 0 if all(f.verdict != "FAIL" for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
