"""9. scale: 5 scopes x 100 jobs in one view (several regions and projects watched together).

Requests and time: five simulators, each in its own process behind loopback HTTP with a
`latency` fault (50 ms per request, server side), one per scope; drstui refreshes the five
scopes at once (`ScopeSet`: one Monitor, client and backoff per scope) and combines their
Snapshots. Requests per refresh come from the simulators' request logs; client CPU is this
process's CPU time (`time.process_time`, stable across machines, unlike wall time on shared
cores); wall is the time the combined refresh took.

Memory: five in-process simulators (no HTTP, simulated clock moving 5 s per refresh) refreshed
1,000 times (`--quick`: 100); the figures are the process's resident memory (RSS, /proc) and the
count of live Python objects after the run, and their growth over its second half (a leak grows
both; a one-off cache does not). `--heap` measures the Python heap with tracemalloc instead:
exact, but it makes every allocation ~3x slower (100 refreshes took 4 min 41 s).

Filter: the real DrsTuiApp on the combined 500-job Snapshot, `/` then one key press to the
repaint (as bench/filter.py does for 2,000 jobs of one scope).
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import time
import tracemalloc
from dataclasses import replace
from datetime import datetime, timezone

if __package__ in (None, ""):
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SEED, Figure, SimProcess, print_figures

SCOPES = 5
JOBS = 100


def _scope(index: int):
    from drstui.monitor.scope import Scope
    from drstui.sim.credentials import SimCredentials

    creds = SimCredentials()
    return Scope(f"scope{index + 1}", creds.region, creds.project_id)


async def _http_refreshes(urls: list[str], sims: list[SimProcess], runs: int) -> dict:
    from drstui.api import AkSkAuth, CloudClient, Endpoints
    from drstui.monitor.combine import ScopeSet
    from drstui.monitor.poller import Monitor
    from drstui.sim.credentials import SimCredentials

    creds = SimCredentials()
    clouds = [CloudClient(creds.region, auth=AkSkAuth(creds.ak, creds.sk), project_id=creds.project_id,
                          endpoints=Endpoints.for_region(creds.region, endpoint=url)) for url in urls]
    try:
        monitors = [(_scope(i), Monitor(cloud, profile=_scope(i).profile, region=creds.region,
                                        project_id=creds.project_id)) for i, cloud in enumerate(clouds)]
        scopes = ScopeSet(monitors, label="bench")
        results = []
        for run in range(runs + 1):
            for sim in sims:
                sim.reset()
            cpu, wall = time.process_time(), time.perf_counter()
            snapshot = await scopes.refresh()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            requests = sum(sum(sim.counts().values()) for sim in sims)
            bad = [s for s in snapshot.scopes if s.connection.state.name != "OK"]
            if bad or len(snapshot.jobs) != SCOPES * JOBS:
                raise RuntimeError(f"refresh {run}: {len(snapshot.jobs)} jobs, scopes not ok: {bad[:1]}")
            results.append((requests, cpu, wall))
        return {"first": results[0], "steady": results[1:]}
    finally:
        for cloud in clouds:
            await cloud.aclose()


def requests_and_time(seed: int, runs: int, latency_ms: float) -> list[Figure]:
    sims = [SimProcess(seed=seed + i, jobs=JOBS, latency_ms=latency_ms, lifetime=600) for i in range(SCOPES)]
    try:
        found = asyncio.run(_http_refreshes([s.url for s in sims], sims, runs))
    finally:
        for sim in sims:
            sim.close()
    (first_requests, first_cpu, first_wall), steady = found["first"], found["steady"]
    requests = statistics.median(r for r, _, _ in steady)
    cpu = statistics.median(c for _, c, _ in steady)
    wall = statistics.median(w for _, _, w in steady)
    trip = latency_ms / 1000
    return [
        Figure(f"scale {SCOPES}x{JOBS}: requests, first refresh", first_requests, "requests", "info",
               f"{first_requests / (SCOPES * JOBS):.2f} per job"),
        Figure(f"scale {SCOPES}x{JOBS}: requests per refresh (median of {len(steady)})", requests, "requests",
               "info", f"{requests / (SCOPES * JOBS):.2f} per job; at a 5 s refresh "
                       f"{requests / 5:.0f} requests/s over {SCOPES} scopes"),
        Figure(f"scale {SCOPES}x{JOBS}: client CPU per refresh", 1000 * cpu, "ms", "info",
               f"first refresh {1000 * first_cpu:.0f} ms; {1000 * cpu / max(requests, 1):.2f} ms per request"),
        Figure(f"scale {SCOPES}x{JOBS}: wall per refresh", wall / trip, "round trips", "info",
               f"{1000 * wall:.0f} ms at {latency_ms:.0f} ms latency; first {1000 * first_wall:.0f} ms"),
    ]


def _rss_bytes() -> int:
    import os

    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _gauge(heap: bool) -> tuple[int, int]:
    """(bytes, live objects) now, after a full collection: the traced heap or the RSS."""
    gc.collect()
    held = tracemalloc.get_traced_memory()[0] if heap else _rss_bytes()
    return held, len(gc.get_objects())


async def _memory(seed: int, refreshes: int, heap: bool) -> dict:
    from drstui.api import AkSkAuth, CloudClient, Endpoints
    from drstui.monitor.combine import ScopeSet
    from drstui.monitor.poller import Monitor
    from drstui.sim.clock import ManualClock
    from drstui.sim.demo import demo_transport

    class Clock(ManualClock):
        def signing_now(self) -> float:
            return time.time()

    clock = Clock()
    now = lambda: datetime.fromtimestamp(clock.now(), timezone.utc)  # noqa: E731
    clouds, monitors = [], []
    for index in range(SCOPES):
        transport, creds = demo_transport(seed=seed + index, clock=clock, jobs=JOBS)
        cloud = CloudClient(creds.region, auth=AkSkAuth(creds.ak, creds.sk), project_id=creds.project_id,
                            endpoints=Endpoints.for_region(creds.region, endpoint=creds.endpoint), transport=transport)
        clouds.append(cloud)
        monitors.append((_scope(index), Monitor(cloud, profile=_scope(index).profile, region=creds.region,
                                                project_id=creds.project_id, now=now)))
    scopes = ScopeSet(monitors, label="bench")
    started = time.perf_counter()
    try:
        half = (0, 0)
        for run in range(refreshes):
            clock.advance(5)
            await scopes.refresh()
            if run == refreshes // 2:
                half = _gauge(heap)
            if (run + 1) % 100 == 0:
                print(f"# scale memory: {run + 1} refreshes, {time.perf_counter() - started:.0f} s",
                      file=sys.stderr, flush=True)
        end = _gauge(heap)
        peak = tracemalloc.get_traced_memory()[1] if heap else 0
        return {"held": end[0], "growth": end[0] - half[0], "objects": end[1],
                "object_growth": end[1] - half[1], "peak": peak,
                "seconds": time.perf_counter() - started}
    finally:
        for cloud in clouds:
            await cloud.aclose()


def memory(seed: int, refreshes: int, *, heap: bool = False) -> list[Figure]:
    if heap:
        tracemalloc.start()
    try:
        found = asyncio.run(_memory(seed, refreshes, heap))
    finally:
        if heap:
            tracemalloc.stop()
    last = refreshes - refreshes // 2 - 1
    what = "Python heap (tracemalloc)" if heap else "resident memory (RSS)"
    note = (f"grew {found['growth'] / 2**10:.0f} KiB over the last {last}; clients, monitors and "
            f"5 in-process simulators; {found['seconds'] / refreshes:.2f} s per refresh")
    if heap:
        note += f"; peak {found['peak'] / 2**20:.1f} MiB"
    return [
        Figure(f"scale {SCOPES}x{JOBS}: {what} after {refreshes:,} refreshes", found["held"] / 2**20,
               "MiB", "info", note),
        Figure(f"scale {SCOPES}x{JOBS}: live Python objects after {refreshes:,} refreshes",
               found["objects"], "objects", "info",
               f"{found['object_growth']:+,} over the last {last} refreshes"),
    ]


async def _filter(seed: int) -> tuple[list[float], int]:
    from bench.apphelp import SteppedClock, counting_driver, settle
    from drstui.monitor.snapshot import Connection, LinkState, Snapshot
    from drstui.ui.app import DrsTuiApp

    from bench.bytes import first_snapshot

    clock = SteppedClock()
    base = await first_snapshot(seed, None, clock)
    jobs = tuple(base.jobs[i % len(base.jobs)] for i in range(JOBS))
    jobs = tuple(replace(j, id=f"{j.id[:-4]}{i:04d}", name=f"{j.name}-{i:03d}") for i, j in enumerate(jobs))

    class Source:
        def __init__(self, scope) -> None:
            self.snapshot = Snapshot(scope.profile, scope.region, scope.project_id, Connection(LinkState.OK),
                                     taken_at=clock(), jobs=jobs, sequence=1)

        async def refresh(self):
            return self.snapshot

        async def object_detail(self, *args):
            return ()

    times: list[float] = []
    with counting_driver() as counter:
        app = DrsTuiApp(profile_label="bench", clock=clock, auto_refresh=False,
                        scopes=[(_scope(i), Source(_scope(i)), None) for i in range(SCOPES)])
        async with app.run_test(size=(120, 36)) as pilot:
            await app.refresh_now()
            await settle(pilot, 4)
            rows = app.monitor.jobs_pane.table.row_count
            await pilot.press("slash")
            await settle(pilot)
            for key in list("oracle") + ["backspace"] * 3:
                mark = len(counter.log)
                before = time.perf_counter()
                await pilot.press(key)
                await settle(pilot, 2)
                frames = counter.log[mark:]
                if frames:
                    times.append(frames[-1][0] - before)
    return times, rows


def filter_key(seed: int) -> list[Figure]:
    times, rows = asyncio.run(_filter(seed))
    if not times:
        return [Figure(f"scale {SCOPES}x{JOBS}: filter key to repaint", None, "ms", "< 100", "no frame written")]
    return [Figure(f"scale {SCOPES}x{JOBS}: filter key to repaint (median of {len(times)})",
                   1000 * statistics.median(times), "ms", "< 100",
                   f"max {1000 * max(times):.0f} ms; {rows} rows before filtering")]


def run(*, quick: bool = False, seed: int = SEED, latency_ms: float = 50.0, runs: int | None = None,
        refreshes: int | None = None, parts: tuple[str, ...] = ("requests", "memory", "filter"),
        heap: bool = False) -> list[Figure]:
    figures: list[Figure] = []
    if "requests" in parts:
        figures += requests_and_time(seed, runs or (3 if quick else 10), latency_ms)
    if "memory" in parts:
        figures += memory(seed, refreshes or (100 if quick else 1000), heap=heap)
    if "filter" in parts:
        figures += filter_key(seed)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--latency", type=float, default=50.0)
    parser.add_argument("--runs", type=int, default=None, help="steady refreshes timed over HTTP")
    parser.add_argument("--refreshes", type=int, default=None, help="refreshes of the memory run")
    parser.add_argument("--only", choices=("requests", "memory", "filter"), action="append")
    parser.add_argument("--heap", action="store_true",
                        help="memory: the Python heap by tracemalloc (exact, ~3x slower) instead of RSS")
    args = parser.parse_args(argv)
    figures = run(quick=args.quick, seed=args.seed, latency_ms=args.latency, runs=args.runs,
                  refreshes=args.refreshes, parts=tuple(args.only or ("requests", "memory", "filter")),
                  heap=args.heap)
    print_figures(figures)
    return 0 if all(f.verdict != "FAIL" for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
