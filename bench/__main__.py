"""python -m bench [--quick] [--profile] [NAME ...]: run the benchmarks, one line per figure.

NAME is any of: refresh client idle alone bytes startup memory filter scale (default: all, in
that order). `client` and `alone` measure the app by itself beside its floor (bare httpx, a bare
Textual app) and print the ratio; --profile makes them also print where the CPU went.
--quick shortens the long ones (idle 10 s instead of 60 s, memory 2,000 cycles instead of
10,000, fewer start-up runs); the default runs the full targets. Exit status 1 if any FAIL.
Linux only (/proc, pty).
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time

if __package__ in (None, ""):
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import SEED, Figure, print_figures

NAMES = ("refresh", "client", "idle", "alone", "bytes", "startup", "memory", "filter", "scale",
         "requests")
PROFILED = ("client", "alone")  # the benchmarks that take --profile


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("names", nargs="*", metavar="NAME",
                        help=f"one or more of: {' '.join(NAMES)} (default: all)")
    parser.add_argument("--quick", action="store_true", help="shorter runs (not the full targets)")
    parser.add_argument("--latency", type=float, default=50.0, help="refresh: simulated latency in ms")
    parser.add_argument("--seed", type=int, default=SEED, help="simulator seed (default 7)")
    parser.add_argument("--profile", action="store_true",
                        help=f"{' and '.join(PROFILED)}: print a CPU profile (cProfile) of what they measure")
    args = parser.parse_args(argv)
    unknown = [name for name in args.names if name not in NAMES]
    if unknown:
        parser.error(f"unknown benchmark {unknown[0]!r} (choose from {', '.join(NAMES)})")
    names = args.names or list(NAMES)
    figures: list[Figure] = []
    started = time.perf_counter()
    for name in names:
        module = importlib.import_module(f"bench.{name}")
        kwargs = {"quick": args.quick, "seed": args.seed}
        if name in ("refresh", "client", "scale"):
            kwargs["latency_ms"] = args.latency
        if name in PROFILED:
            kwargs["profile"] = args.profile
        print(f"# {name} ...", file=sys.stderr, flush=True)
        try:
            figures.extend(module.run(**kwargs))
        except Exception as error:  # one broken bench must not hide the others
            figures.append(Figure(name, None, "", "runs", f"{type(error).__name__}: {error}"))
    print_figures(figures)
    print(f"# {len(figures)} figures in {time.perf_counter() - started:.0f} s"
          f"{' (--quick)' if args.quick else ''}", file=sys.stderr)
    return 0 if all(f.verdict != "FAIL" for f in figures) else 1


if __name__ == "__main__":
    raise SystemExit(main())
