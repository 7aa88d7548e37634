"""Run drstui (or the bare app) with a CPU profiler that the bench switches on and off by signal.

    python bench/profiled.py OUT.prof drstui [drstui arguments...]
    python bench/profiled.py OUT.prof bare [--tick]

SIGUSR1 starts a cProfile of the main thread (the event loop) counting CPU time; SIGUSR2 stops
it and writes the stats to OUT.prof. So the profile covers exactly the window the bench
measures (an idle stretch), not start-up. Bench only: the app knows nothing about it.
"""

from __future__ import annotations

import cProfile
import signal
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def install(out: str) -> None:
    profiler = cProfile.Profile(time.process_time)

    def start(signum, frame) -> None:
        profiler.enable()

    def stop(signum, frame) -> None:
        profiler.disable()
        profiler.dump_stats(out)

    signal.signal(signal.SIGUSR1, start)
    signal.signal(signal.SIGUSR2, stop)


def main(argv: list[str]) -> int:
    out, program, *rest = argv
    install(out)
    if program == "drstui":
        from drstui.cli import main as drstui_main
        return drstui_main(rest)
    from bench.bare_app import BareApp
    BareApp(tick="--tick" in rest).run()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
