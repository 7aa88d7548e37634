"""alone: idle CPU of the app by itself, beside a bare Textual app with the same 1 Hz tick.

`drstui sim` serves 20 jobs from ANOTHER process on a loopback port, its clock crawling
(`--speed 1e-6`), so nothing changes: the app only ticks its data age once a second and
refreshes every 5 s (the real HTTP client, AK/SK signing, parsing, Snapshot, repaint of what
differs). Beside it, at the same time, bench/bare_app.py --tick: the same widget types, the
status line rewritten once a second, no data layer. Both run in 120x36 ptys whose output is
read and thrown away; CPU is utime+stime from /proc over the same windows. Several windows,
medians printed, with the ratio app / bare.

The bare app sends no requests, and HTTP is most of what an idle refresh costs. So a second
floor: the bare app plus what bare httpx spends on the requests the app sent in those windows
(the simulator logs them; one steady refresh's signed requests are then replayed by a bare
`httpx.AsyncClient`, as bench/client.py does, for its CPU per request). The ratio to that floor
is what the app's own code adds.

    python -m bench.alone [--quick] [--windows 3] [--seconds 20] [--jobs 20] [--profile]

--profile runs both under bench/profiled.py and prints where their CPU went during the
windows (main thread only: Textual writes to the terminal from its own thread).
"""

from __future__ import annotations

import argparse
import re
import statistics
import subprocess
import sys
import tempfile
import time

if __package__ in (None, ""):
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import (ROOT, SEED, Figure, PtyChild, cpu_seconds, print_figures, pump_all, python,
                          ratio_figure)
from bench.idle import job_names

_URL = re.compile(r"on (http://\S+)")


class SimServer:
    """`drstui sim` in its own process on a free loopback port; `requests` counts the requests
    it logged (`--verbose`, one line each on its stderr, read by a thread)."""

    def __init__(self, *, seed: int, jobs: int) -> None:
        import threading

        self.proc = subprocess.Popen(
            [python(), "-m", "drstui", "sim", "--port", "0", "--seed", str(seed), "--jobs", str(jobs),
             "--speed", "1e-6", "--verbose"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True,
            cwd=str(ROOT))
        self.requests = 0
        threading.Thread(target=self._count, daemon=True).start()
        line = self.proc.stdout.readline()
        match = _URL.search(line)
        if not match:
            self.close()
            raise RuntimeError(f"drstui sim did not start: {line!r}")
        self.url = match.group(1)

    def _count(self) -> None:
        for line in self.proc.stderr:
            if '"GET ' in line or '"POST ' in line or '"PUT ' in line or '"DELETE ' in line:
                self.requests += 1

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)


def app_argv(url: str, refresh: float, profile_to: str | None) -> list[str]:
    from drstui.sim.credentials import SimCredentials

    creds = SimCredentials()
    args = ["--endpoint", url, "--region", creds.region, "--project-id", creds.project_id,
            "--refresh", f"{refresh:g}"]
    if profile_to:
        return [python(), str(ROOT / "bench" / "profiled.py"), profile_to, "drstui", *args]
    return [python(), "-m", "drstui", *args]


def bare_argv(profile_to: str | None) -> list[str]:
    if profile_to:
        return [python(), str(ROOT / "bench" / "profiled.py"), profile_to, "bare", "--tick"]
    return [python(), str(ROOT / "bench" / "bare_app.py"), "--tick"]


def run(*, quick: bool = False, windows: int = 3, seconds: float | None = None, jobs: int = 20,
        refresh: float = 5.0, seed: int = SEED, profile: bool = False) -> list[Figure]:
    import signal

    from drstui.sim.credentials import SimCredentials

    # 30 s: each window holds the same work, six refreshes and one re-read of the quiet jobs
    # (every QUIET_JOB_SECONDS); 20 s windows held one re-read or none, and their shares spread.
    window = seconds or (5.0 if quick else 30.0)
    creds = SimCredentials()
    with tempfile.TemporaryDirectory(prefix="drstui-bench-") as home:
        env = {"HUAWEICLOUD_SDK_AK": creds.ak, "HUAWEICLOUD_SDK_SK": creds.sk}
        app_prof = f"{home}/app.prof" if profile else None
        bare_prof = f"{home}/bare.prof" if profile else None
        sim = SimServer(seed=seed, jobs=jobs)
        app = bare = None
        try:
            app = PtyChild(app_argv(sim.url, refresh, app_prof), env=env)
            bare = PtyChild(bare_argv(bare_prof), env=env)
            if app.wait_for([n.encode() for n in job_names(seed, jobs)], timeout=30) is None:
                return [Figure("idle CPU, app alone", None, "% of a core", "info", "the app did not paint its jobs")]
            if bare.wait_for(b"DRS-orders-sync", timeout=30) is None:
                return [Figure("idle CPU, bare app", None, "% of a core", "info", "the bare app did not paint")]
            pump_all([app, bare], 2 * refresh)  # start-up work (first refreshes, layout) done
            for child in (app, bare):
                child.keep_output = False
            if profile:
                for child in (app, bare):
                    child.proc.send_signal(signal.SIGUSR1)
            app_shares, bare_shares, sim_shares, rates = [], [], [], []
            for _ in range(windows):
                a0, b0, s0, t0 = cpu_seconds(app.pid), cpu_seconds(bare.pid), cpu_seconds(sim.proc.pid), time.perf_counter()
                r0 = sim.requests
                pump_all([app, bare], window)
                a1, b1, s1, t1 = cpu_seconds(app.pid), cpu_seconds(bare.pid), cpu_seconds(sim.proc.pid), time.perf_counter()
                app_shares.append(100 * (a1 - a0) / (t1 - t0))
                bare_shares.append(100 * (b1 - b0) / (t1 - t0))
                sim_shares.append(100 * (s1 - s0) / (t1 - t0))
                rates.append((sim.requests - r0) / (t1 - t0))
            if profile:
                for child in (app, bare):
                    child.proc.send_signal(signal.SIGUSR2)
                pump_all([app, bare], 1.0)
            for child in (app, bare):
                child.close()  # gone before the floor's replay, so they do not compete with it
            per_request = bare_httpx_cpu_per_request(sim.url)
        finally:
            for child in (app, bare):
                if child is not None:
                    child.close()
            sim.close()
        if profile:
            _print_profiles(app_prof, bare_prof, windows * window)
    app_cpu, bare_cpu = statistics.median(app_shares), statistics.median(bare_shares)
    span = f"{windows} windows of {window:g} s"
    rate = statistics.median(rates)
    http_floor = 100 * rate * per_request
    # Each window beside its own floor (its own requests), then the median of those ratios.
    ratios = [a / (b + 100 * r * per_request) for a, b, r in zip(app_shares, bare_shares, rates)]
    return [
        Figure(f"idle CPU, app alone, {jobs} jobs every {refresh:g} s", app_cpu, "% of a core", "info",
               f"median of {span}: " + ", ".join(f"{x:.2f}" for x in app_shares)),
        Figure("idle CPU, bare Textual app, same 1 Hz tick (floor)", bare_cpu, "% of a core", "info",
               "same windows: " + ", ".join(f"{x:.2f}" for x in bare_shares)),
        ratio_figure("idle CPU app alone / bare app", app_cpu, bare_cpu, "<= 3"),
        Figure("idle CPU, the simulator process serving it", statistics.median(sim_shares), "% of a core",
               "info", "not the app's cost: the cloud's"),
        Figure("idle requests the app sent", rate, "per second", "info",
               f"{rate * refresh:.1f} per {refresh:g} s refresh (the simulator's log)"),
        Figure("idle CPU, bare app + bare httpx for those requests (floor)", bare_cpu + http_floor,
               "% of a core", "info",
               f"{bare_cpu:.2f} + {http_floor:.2f} (bare httpx {per_request * 1000:.2f} ms CPU per request)"),
        Figure("idle CPU app alone / (bare app + bare httpx)", statistics.median(ratios), "x", "info",
               "median of the windows' own ratios: " + ", ".join(f"{x:.2f}" for x in ratios)),
    ]


def bare_httpx_cpu_per_request(url: str, runs: int = 5) -> float:
    """CPU seconds per request of a bare httpx.AsyncClient sending one steady refresh's requests
    (recorded as drstui signed them) to the simulator, wave by wave."""
    import asyncio

    async def measure() -> float:
        import httpx

        from bench.client import SentRequest, monitor_for, recording, replay, waves

        cloud, monitor = monitor_for(url)
        try:
            await monitor.refresh()
            await monitor.refresh()
            sent: list[SentRequest] = []
            with recording(sent):
                await monitor.refresh()
        finally:
            await cloud.aclose()
        plan = waves(sent)
        async with httpx.AsyncClient() as bare:
            await replay(bare, plan)  # connections opened outside the measure
            costs = []
            for _ in range(runs):
                started = time.process_time()
                count = await replay(bare, plan)
                costs.append((time.process_time() - started) / count)
        return statistics.median(costs)

    return asyncio.run(measure())


def _print_profiles(app_prof: str | None, bare_prof: str | None, seconds: float) -> None:
    import pstats

    from bench.common import profile_report

    for title, path in (("drstui alone", app_prof), ("bare app", bare_prof)):
        try:
            pstats.Stats(path)  # readable?
        except (OSError, TypeError):
            print(f"## profile: {title}: no profile written", flush=True)
            continue
        print(profile_report(path, f"{title}, main thread, {seconds:g} idle seconds"), flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="windows of 5 s instead of 30 s")
    parser.add_argument("--windows", type=int, default=3)
    parser.add_argument("--seconds", type=float, help="length of one window")
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--refresh", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--profile", action="store_true", help="print where the idle CPU went")
    args = parser.parse_args(argv)
    figures = run(quick=args.quick, windows=args.windows, seconds=args.seconds, jobs=args.jobs,
                  refresh=args.refresh, seed=args.seed, profile=args.profile)
    print_figures(figures)
    return 0 if all(f.verdict != "FAIL" for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
