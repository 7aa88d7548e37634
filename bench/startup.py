"""4. startup: spawn to first full paint of `drstui --demo`, and the ratio to a bare Textual app.

Both run in a 120x36 pseudo-terminal; the clock runs from spawn until the output holds a job
name (for drstui: any job of the seeded world, which is only there once the first Snapshot has
been painted; for bench/bare_app.py: its static rows). Median of N runs each, interleaved.
Includes the Python interpreter's own start-up (the same for both). drstui's bytecode is compiled
first, as the first run leaves it on a default Python: a machine that sets
PYTHONDONTWRITEBYTECODE (this project's own did) otherwise compiles every drstui module from
source on every start, while the installed Textual was compiled when pip installed it.
"""

from __future__ import annotations

import argparse
import statistics
import sys

if __package__ in (None, ""):
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, SEED, Figure, PtyChild, print_figures, python
from bench.idle import job_names


def time_to_marker(argv: list[str], markers: list[bytes], timeout: float = 20.0) -> float | None:
    child = PtyChild(argv)
    try:
        return child.wait_for(markers, timeout)
    finally:
        child.close()


def warm_bytecode() -> None:
    """Cache the bytecode of drstui and the bare app (into their __pycache__ folders)."""
    import compileall

    compileall.compile_dir(str(ROOT / "drstui"), quiet=1)
    compileall.compile_file(str(ROOT / "bench" / "bare_app.py"), quiet=1)


def run(*, quick: bool = False, runs: int | None = None, seed: int = SEED) -> list[Figure]:
    runs = runs or (3 if quick else 7)
    drstui_markers = [name.encode() for name in job_names(seed, None)]
    bare_markers = [b"DRS-orders-sync"]
    app_times, bare_times = [], []
    warm_bytecode()
    time_to_marker([python(), "-m", "drstui", "--demo", "--seed", str(seed)], drstui_markers)  # warm caches
    for _ in range(runs):
        app_times.append(time_to_marker([python(), "-m", "drstui", "--demo", "--seed", str(seed)], drstui_markers))
        bare_times.append(time_to_marker([python(), str(ROOT / "bench" / "bare_app.py")], bare_markers))
    if None in app_times or None in bare_times:
        return [Figure("startup to first full paint", None, "s", "< 1", "no paint seen within 20 s")]
    app, bare = statistics.median(app_times), statistics.median(bare_times)
    return [
        Figure(f"startup drstui --demo (median of {runs})", app, "s", "< 1",
               f"min {min(app_times):.3f}, max {max(app_times):.3f}"),
        Figure("startup bare Textual app, same widgets", bare, "s", "info",
               f"min {min(bare_times):.3f}, max {max(bare_times):.3f}"),
        Figure("startup ratio drstui / bare", app / bare, "x", "<= 1.5"),
        bare_import_figure(runs),
    ] + steps_figures(seed, runs)


def bare_import_figure(runs: int) -> Figure:
    """The bare app's imports (Textual and its widgets), for the first step below to be read by."""
    import subprocess

    code = ("import sys, time; sys.path.insert(0, sys.argv[1]); t = time.perf_counter(); "
            "import bench.bare_app; print(time.perf_counter() - t)")
    times = [float(subprocess.run([python(), "-c", code, str(ROOT)], capture_output=True, text=True,
                                  check=True).stdout) for _ in range(runs)]
    return Figure("startup bare app's imports (Textual)", 1000 * statistics.median(times), "ms", "info",
                  "the bare app's share of drstui's 'app imported' step below")


_STEPS = ("command line imported", "app imported", "demo world built", "sessions open",
          "first refresh started", "first refresh of every scope painted", "first frame drawn")


def startup_steps(seed: int) -> dict[str, float] | None:
    """One run of bench/startup_steps.py: seconds from its start to each step."""
    import json
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory(prefix="drstui-bench-") as folder:
        out = Path(folder) / "steps.json"
        child = PtyChild([python(), str(ROOT / "bench" / "startup_steps.py"), str(out),
                          "--demo", "--seed", str(seed)])
        try:
            child.pump(20.0)  # returns when the app quits (end of its output)
        finally:
            child.close()
        return json.loads(out.read_text()) if out.exists() else None


def steps_figures(seed: int, runs: int) -> list[Figure]:
    """How long each start-up step takes (median over runs), after the interpreter's own start."""
    runs_found = [found for found in (startup_steps(seed) for _ in range(runs)) if found]
    if not runs_found or any(step not in found["wall"] for found in runs_found for step in _STEPS):
        return [Figure("startup steps", None, "ms", "info", "the step timer did not finish")]
    figures, before = [], 0.0
    for step in _STEPS:
        at = statistics.median(found["wall"][step] for found in runs_found)
        figures.append(Figure(f"  step: {step}", 1000 * (at - before), "ms", "info",
                              f"at {1000 * at:.0f} ms"))
        before = at
    cpu = statistics.median(found["cpu"][_STEPS[-1]] for found in runs_found)
    figures.append(Figure("startup CPU to the first frame (drstui's process)", 1000 * cpu, "ms", "info",
                          "process time: other programs on the machine disturb it less than the wall time"))
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 runs instead of 7")
    parser.add_argument("--runs", type=int)
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args(argv)
    figures = run(quick=args.quick, runs=args.runs, seed=args.seed)
    print_figures(figures)
    return 0 if all(f.verdict != "FAIL" for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
