"""The simulator behind a loopback HTTP server in its own process, driven over stdin/stdout.

    python -m bench.simserver --seed 7 --jobs 50 --latency-ms 50
prints the URL on the first line, then answers one JSON line per command line read from stdin:
"counts", "reset", "cpu", "stop". Exits on "stop", on end of input, or after --lifetime seconds.
"""

from __future__ import annotations

import argparse
import json
import select
import sys
import time

if __package__ in (None, ""):
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--jobs", type=int, default=50)
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--lifetime", type=float, default=900.0)
    args = parser.parse_args(argv)

    from bench.common import cpu_seconds
    from drstui.sim import ManualClock, SimCore
    from drstui.sim.server import serve_in_thread

    # The official SDK signs with the real time: the simulated clock starts there and stands still.
    core = SimCore.create(seed=args.seed, clock=ManualClock(start=time.time()), jobs=args.jobs)
    if args.latency_ms:
        core.faults.add(f"latency={args.latency_ms:g}ms")
    server = serve_in_thread(core, "127.0.0.1", 0)
    print(json.dumps(server.url), flush=True)
    deadline = time.monotonic() + args.lifetime
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([sys.stdin], [], [], 1.0)
            if not ready:
                continue
            command = sys.stdin.readline().strip()
            if command in ("", "stop"):
                break
            if command == "counts":
                answer = dict(core.counts)
            elif command == "reset":
                core.reset_log()
                answer = True
            elif command == "cpu":
                answer = cpu_seconds()
            else:
                answer = {"error": f"unknown command {command!r}"}
            print(json.dumps(answer), flush=True)
    finally:
        server.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
