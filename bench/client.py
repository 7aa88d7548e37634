"""client: drstui's CPU time per refresh and per request, beside bare httpx doing the same requests.

The simulator runs in its own process (bench/simserver.py, clock standing still, so every
steady refresh sees the same answers) behind a loopback HTTP server with a latency fault. In
this process: `Monitor.refresh()` on a real `CloudClient` (httpx, AK/SK signing, parsing,
Snapshot building, cutover bookkeeping), measured in process CPU time (`time.process_time`),
which the other processes on a shared machine barely disturb.

The floor: one steady refresh's requests are recorded as sent (method, URL, headers with their
signature, body) together with the dependency wave each was sent in (how many answers had come
back before it). A bare `httpx.AsyncClient` then sends exactly those requests, wave by wave,
each wave concurrently, and reads every body: what any Python HTTP client pays for the same
conversation. Monitor refreshes and floor replays alternate, N of each; medians are printed.

    python -m bench.client [--quick] [--jobs 50] [--latency 50] [--profile]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import statistics
import time
from dataclasses import dataclass

if __package__ in (None, ""):
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SEED, Figure, SimProcess, print_figures, ratio_figure

# Headers the bare client sets by itself, with the same values.
_CLIENT_HEADERS = frozenset({"host", "content-length", "connection", "accept", "accept-encoding",
                             "user-agent"})


@dataclass(frozen=True)
class SentRequest:
    method: str
    url: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    wave: int  # answers received before this request was sent


@contextlib.contextmanager
def recording(into: list[SentRequest]):
    """Record every request httpx puts on the wire (after signing) while active."""
    import httpx

    original = httpx.AsyncHTTPTransport.handle_async_request
    answered = 0

    async def handle(transport, request):
        nonlocal answered
        into.append(SentRequest(request.method, str(request.url),
                                tuple((k, v) for k, v in request.headers.items()
                                      if k.lower() not in _CLIENT_HEADERS),
                                request.content, answered))
        try:
            return await original(transport, request)
        finally:
            answered += 1

    httpx.AsyncHTTPTransport.handle_async_request = handle
    try:
        yield into
    finally:
        httpx.AsyncHTTPTransport.handle_async_request = original


def waves(requests: list[SentRequest]) -> list[list[SentRequest]]:
    grouped: dict[int, list[SentRequest]] = {}
    for request in requests:
        grouped.setdefault(request.wave, []).append(request)
    return [grouped[key] for key in sorted(grouped)]


async def replay(client, plan: list[list[SentRequest]]) -> int:
    """Send the recorded requests wave by wave with a bare client; returns the count."""
    async def one(request: SentRequest) -> None:
        response = await client.request(request.method, request.url, headers=list(request.headers),
                                        content=request.body or None)
        response.raise_for_status()

    for wave in plan:
        await asyncio.gather(*(one(request) for request in wave))
    return sum(len(wave) for wave in plan)


def monitor_for(url: str):
    from drstui.api import AkSkAuth, CloudClient, Endpoints
    from drstui.monitor.poller import Monitor
    from drstui.sim.credentials import SimCredentials

    creds = SimCredentials()
    cloud = CloudClient(creds.region, auth=AkSkAuth(creds.ak, creds.sk), project_id=creds.project_id,
                        endpoints=Endpoints.for_region(creds.region, endpoint=url))
    return cloud, Monitor(cloud, profile="bench", region=creds.region, project_id=creds.project_id)


@dataclass
class Measured:
    first_cpu: float
    first_requests: int
    steady_cpu: list[float]
    steady_requests: int
    floor_cpu: list[float]
    profile_text: str = ""


async def measure(sim: SimProcess, runs: int, *, profile: bool = False) -> Measured:
    import httpx

    cloud, monitor = monitor_for(sim.url)
    bare = httpx.AsyncClient()
    try:
        sim.reset()
        cpu = time.process_time()
        snapshot = await monitor.refresh()
        first_cpu = time.process_time() - cpu
        first_requests = sum(sim.counts().values())
        problems = [p for job in snapshot.jobs for p in job.problems]
        if problems or snapshot.connection.state.name != "OK":
            raise RuntimeError(f"monitor refresh had problems: {snapshot.connection} {problems[:3]}")
        await monitor.refresh()  # the first steady one (connections already open)
        sent: list[SentRequest] = []
        sim.reset()
        with recording(sent):
            await monitor.refresh()
        steady_requests = sum(sim.counts().values())
        plan = waves(sent)
        await replay(bare, plan)  # the bare client's connections open outside the measure
        steady, floor = [], []
        for _ in range(runs):
            cpu = time.process_time()
            await monitor.refresh()
            steady.append(time.process_time() - cpu)
            cpu = time.process_time()
            await replay(bare, plan)
            floor.append(time.process_time() - cpu)
        text = await _profile(monitor, runs) if profile else ""
        return Measured(first_cpu, first_requests, steady, steady_requests, floor, text)
    finally:
        await bare.aclose()
        await cloud.aclose()


async def _profile(monitor, runs: int) -> str:
    from bench.common import profile_report

    import cProfile
    profiler = cProfile.Profile(time.process_time)  # CPU, not wall time
    for _ in range(runs):
        profiler.enable()
        await monitor.refresh()
        profiler.disable()
    return profile_report(profiler, f"{runs} steady refreshes")


def run(*, quick: bool = False, latency_ms: float = 50.0, jobs: int = 50, seed: int = SEED,
        runs: int | None = None, profile: bool = False) -> list[Figure]:
    runs = runs or (5 if quick else 15)
    with SimProcess(seed=seed, jobs=jobs, latency_ms=latency_ms) as sim:
        result = asyncio.run(measure(sim, runs, profile=profile))
    if result.profile_text:
        print(result.profile_text, flush=True)
    steady = statistics.median(result.steady_cpu)
    floor = statistics.median(result.floor_cpu)
    n = result.steady_requests
    spread = f"min {min(result.steady_cpu) * 1000:.1f}, max {max(result.steady_cpu) * 1000:.1f} ms"
    return [
        Figure(f"client CPU, steady refresh of {jobs} jobs (median of {runs})", steady * 1000, "ms CPU",
               "info", f"{n} requests; {spread}"),
        Figure("client CPU, bare httpx, same requests (floor)", floor * 1000, "ms CPU", "info",
               f"min {min(result.floor_cpu) * 1000:.1f}, max {max(result.floor_cpu) * 1000:.1f} ms"),
        Figure("client CPU per request", steady / n * 1000, "ms CPU", "info",
               f"bare httpx {floor / n * 1000:.2f} ms"),
        ratio_figure("client CPU per request / bare httpx", steady, floor, "<= 2"),
        Figure(f"client CPU, first refresh of {jobs} jobs", result.first_cpu * 1000, "ms CPU", "info",
               f"{result.first_requests} requests, {result.first_cpu / result.first_requests * 1000:.2f} ms each"),
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="5 refreshes instead of 15")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--latency", type=float, default=50.0, help="simulated latency, ms (default 50)")
    parser.add_argument("--jobs", type=int, default=50)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--profile", action="store_true", help="print where steady refreshes spend CPU")
    args = parser.parse_args(argv)
    figures = run(quick=args.quick, latency_ms=args.latency, jobs=args.jobs, seed=args.seed,
                  runs=args.runs, profile=args.profile)
    print_figures(figures)
    return 0 if all(f.verdict != "FAIL" for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
