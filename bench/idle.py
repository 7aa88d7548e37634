"""2. idle: CPU of `drstui --demo --jobs 20 --refresh 5` in a pseudo-terminal, after start-up.

Twice: as a user starts it (two simulated regions) and with one region (`--profile`).

The app runs as a child process on a 120x36 pty; its output is read and thrown away all the
time (as a terminal would). CPU = utime+stime from /proc/<pid>/stat over the window, divided by
the window: the share of one core. `--demo` runs the simulator in the same process (in-process
transport, simulated clock at 10x), so its cost is included: an upper bound for a real profile
(where the simulator's work happens in the cloud, and TLS + httpx happen here instead).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SEED, Figure, PtyChild, cpu_seconds, print_figures, python


def job_names(seed: int, jobs: int | None) -> list[str]:
    from drstui.sim import SimCore
    return [job.name for job in SimCore.create(seed=seed, jobs=jobs).world.project.jobs.values()]


def run(*, quick: bool = False, seconds: float | None = None, jobs: int = 20, refresh: float = 5.0,
        seed: int = SEED) -> list[Figure]:
    from drstui.sim.credentials import SIM_REGIONS

    window = seconds or (10.0 if quick else 60.0)
    base = ["--demo", "--jobs", str(jobs), "--refresh", f"{refresh:g}", "--seed", str(seed)]
    # `--demo` as a user starts it watches two simulated regions; `--profile` keeps one (the
    # shape the < 2 % target was set for, before the demo showed several regions).
    both = _measure(base, seed, jobs, window)
    name, region, project_id = SIM_REGIONS[0]
    with tempfile.TemporaryDirectory(prefix="drstui-bench-") as home:
        config = Path(home) / "config.toml"
        config.write_text(f'[profiles.{name}]\nregion = "{region}"\nproject_id = "{project_id}"\n')
        one = _measure([*base, "--config", str(config), "--profile", name], seed, jobs, window)
    figures = []
    for label, found in ((f"2 regions x {jobs} jobs", both), (f"1 region, {jobs} jobs", one)):
        if found is None:
            figures.append(Figure(f"idle CPU, demo, {label}", None, "% of a core", "< 2",
                                  "the app did not paint its jobs"))
            continue
        share, output, elapsed = found
        figures += [
            Figure(f"idle CPU, demo, {label} every {refresh:g} s ({elapsed:.0f} s)", share, "% of a core",
                   "< 2" if label.startswith("1 region") else "info",
                   "includes the in-process simulator, its clock at 10x (jobs and comparisons move)"),
            Figure(f"idle terminal output, demo, {label}", output, "bytes/s", "info",
                   "clock tick + refreshes with simulated progress"),
        ]
    return figures


def _measure(args: list[str], seed: int, jobs: int, window: float) -> tuple[float, float, float] | None:
    """(CPU share of a core, terminal bytes per second, seconds measured) after start-up."""
    marker = [name.encode() for name in job_names(seed, jobs)]
    child = PtyChild([python(), "-m", "drstui", *args], keep_output=True)
    try:
        if child.wait_for(marker, timeout=30) is None:
            return None
        child.pump(2.0)  # let start-up work (first refreshes, layout) finish
        child.keep_output = False
        cpu0, bytes0, t0 = cpu_seconds(child.pid), child.total_bytes, time.perf_counter()
        child.pump(window)
        cpu1, bytes1, t1 = cpu_seconds(child.pid), child.total_bytes, time.perf_counter()
    finally:
        child.close()
    elapsed = t1 - t0
    return 100 * (cpu1 - cpu0) / elapsed, (bytes1 - bytes0) / elapsed, elapsed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 s instead of 60 s")
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--jobs", type=int, default=20)
    parser.add_argument("--refresh", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    figures = run(quick=args.quick, seconds=args.seconds, jobs=args.jobs, refresh=args.refresh, seed=args.seed)
    print_figures(figures)
    return 0 if all(f.verdict != "FAIL" for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
