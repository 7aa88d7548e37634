"""5. memory: after 10,000 refresh cycles vs after 100 (tracemalloc and RSS).

In-process: the real Monitor (with export tracker, cutover log off, trend on, as wired by
`open_session`) on the in-process simulator (seed 7, 12 jobs, no latency), its ManualClock
advanced 5 s per cycle so comparisons run, finish and new ones get listed; every 500 cycles a
fault is switched on for 50 cycles (5xx, 429, malformed, unknown enum in turn). Measured after
cycle 100 and after the last one, after a gc.collect(): tracemalloc's current traced size and
the process RSS (/proc/self/statm). Then, the same number of Snapshots (alternating two, so
every paint has changes) through the app (`run_test`), with RSS and tracemalloc again.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import sys
import time
import tracemalloc

if __package__ in (None, ""):
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SEED, Figure, print_figures, rss_bytes

FAULTS = ("5xx=0.3", "429=0.2", "malformed=0.1", "unknown-enum=0.1")
MB = 1024 * 1024


def _measure() -> tuple[int, int, int]:
    """(bytes traced by tracemalloc, RSS, objects tracked by the gc), after a collection."""
    gc.collect()
    traced = tracemalloc.get_traced_memory()[0] if tracemalloc.is_tracing() else 0
    return traced, rss_bytes(), len(gc.get_objects())


class _Tracer:
    """tracemalloc from cycle 1 to `until`: traced size at cycle 100 vs at `until`.

    tracemalloc makes each cycle ~5x slower, so it watches the first `until` cycles (a leak
    that grows per cycle shows in any span); RSS and the gc object count watch all cycles."""

    def __init__(self, until: int) -> None:
        self.until, self.at100, self.kept = until, None, None
        gc.collect()
        tracemalloc.start(1)

    def at(self, cycle: int) -> None:
        if cycle == 100:
            gc.collect()
            self.at100 = tracemalloc.get_traced_memory()[0]
        if cycle == self.until and tracemalloc.is_tracing():
            gc.collect()
            self.kept = tracemalloc.get_traced_memory()[0] - (self.at100 or 0)
            tracemalloc.stop()


async def _no_wait(seconds: float) -> None:
    """Retries happen (that code runs) but their backoff is not waited out in real time."""
    await asyncio.sleep(0)


def _stack(seed: int, jobs: int | None):
    """The wiring of open_session, with every clock on the simulated one (signatures included:
    10,000 cycles of 5 s are 14 simulated hours, far outside the 15 min a signature may be off)."""
    from datetime import datetime, timezone

    from drstui.api import AkSkAuth, CloudClient, Endpoints
    from drstui.api.retry import RetryPolicy
    from drstui.monitor.exports import ExportTracker
    from drstui.monitor.poller import Monitor
    from drstui.monitor.trend import TrendHistory
    from drstui.sim import ManualClock
    from drstui.sim.demo import demo_transport

    sim_clock = ManualClock(start=time.time())

    def now() -> datetime:
        return datetime.fromtimestamp(sim_clock.now(), timezone.utc)

    transport, creds = demo_transport(seed=seed, clock=sim_clock, jobs=jobs)
    cloud = CloudClient(creds.region, auth=AkSkAuth(creds.ak, creds.sk, clock=now), project_id=creds.project_id,
                        endpoints=Endpoints.for_region(creds.region, endpoint=creds.endpoint), transport=transport,
                        retry_policy=RetryPolicy(sleep=_no_wait))
    exports = ExportTracker(cloud, "/nonexistent-bench-downloads", region=creds.region, now=now)
    monitor = Monitor(cloud, region=creds.region, project_id=creds.project_id, now=now, exports=exports,
                      trend=TrendHistory())
    return sim_clock, transport.core, cloud, exports, monitor


async def monitor_cycles(cycles: int, seed: int, traced: int) -> dict:
    sim_clock, core, cloud, exports, monitor = _stack(seed, None)
    marks: dict = {"states": {}}
    tracer = _Tracer(100 + traced)
    try:
        for cycle in range(1, cycles + 1):
            if cycle % 500 == 0:
                core.faults.add(FAULTS[(cycle // 500) % len(FAULTS)])
            elif cycle % 500 == 50:
                core.faults.clear()
            sim_clock.advance(5)
            snapshot = await monitor.refresh()
            state = snapshot.connection.state.value
            marks["states"][state] = marks["states"].get(state, 0) + 1
            if cycle == 100:
                marks["at100"] = _measure()
            tracer.at(cycle)
        tracer.at(cycles + 1)
        marks["end"] = _measure()
        marks["traced"] = (tracer.kept, traced)
        marks["snapshot"] = monitor.snapshot
        marks["requests"] = core.count()
    finally:
        await exports.aclose()
        await cloud.aclose()
    return marks


async def app_cycles(cycles: int, snapshot, traced: int) -> dict:
    from dataclasses import replace

    from bench.apphelp import ListSource, SteppedClock, counting_driver, settle
    from bench.bytes import one_count_changed
    from drstui.ui.app import DrsTuiApp

    clock = SteppedClock()
    changed = one_count_changed(snapshot, next(
        j.id for j in snapshot.jobs if j.object_comparison and j.object_comparison.rows)) or snapshot
    source = ListSource([snapshot], now=clock)
    marks = {}
    tracer = _Tracer(100 + traced)
    with counting_driver():
        app = DrsTuiApp(source, profile_label="bench", refresh_seconds=5, clock=clock, auto_refresh=False)
        async with app.run_test(size=(120, 36)) as pilot:
            await app.refresh_now()
            await settle(pilot, 2)
            for cycle in range(1, cycles + 1):
                clock.advance(5)
                source.snapshots = [changed if cycle % 2 else snapshot]
                source.calls = 0
                await app.refresh_now()
                if cycle % 10 == 0:
                    await pilot.pause()
                if cycle == 100:
                    await settle(pilot, 1)
                    marks["at100"] = _measure()
                tracer.at(cycle)
            await settle(pilot, 1)
            tracer.at(cycles + 1)
            marks["end"] = _measure()
            marks["traced"] = (tracer.kept, traced)
    return marks


def run(*, quick: bool = False, cycles: int | None = None, app_cycles_n: int | None = None,
        seed: int = SEED) -> list[Figure]:
    cycles = cycles or (2000 if quick else 10_000)
    app_n = app_cycles_n or (500 if quick else 2_000)
    traced = 200 if quick else 500
    started = time.perf_counter()
    mon = asyncio.run(monitor_cycles(cycles, seed, traced))
    mon_seconds = time.perf_counter() - started
    started = time.perf_counter()
    ui = asyncio.run(app_cycles(app_n, mon["snapshot"], traced))
    app_seconds = time.perf_counter() - started
    states = ", ".join(f"{k} {v}" for k, v in sorted(mon["states"].items()))
    figures = []
    for label, marks, n, seconds in (("monitor", mon, cycles, mon_seconds), ("app", ui, app_n, app_seconds)):
        (_, r100, o100), (_, rend, oend) = marks["at100"], marks["end"]
        kept, window = marks["traced"]
        note = f"{r100 / MB:.0f} -> {rend / MB:.0f} MB; gc objects {o100:,} -> {oend:,}; {seconds:.0f} s"
        if label == "monitor":
            note += f"; {mon['requests']:,} requests, snapshots: {states}"
        figures.append(Figure(f"{label}: RSS growth, {n:,} vs 100 cycles", (rend - r100) / MB, "MB", "< 5", note))
        if kept is not None:
            figures.append(Figure(f"{label}: tracemalloc growth, {100 + window:,} vs 100 cycles", kept / MB, "MB",
                                  "< 5", "traced for the first cycles only (it slows each cycle ~5x)"))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="2,000 monitor / 500 app cycles")
    parser.add_argument("--cycles", type=int)
    parser.add_argument("--app-cycles", type=int)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    figures = run(quick=args.quick, cycles=args.cycles, app_cycles_n=args.app_cycles, seed=args.seed)
    print_figures(figures)
    return 0 if all(f.verdict != "FAIL" for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
