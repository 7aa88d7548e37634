"""Where `drstui --demo`'s start-up goes: run by bench/startup.py in a pty, writes its steps.

    python bench/startup_steps.py OUT.json [drstui arguments...]

Bench only (the app knows nothing of it): it wraps a few of the app's functions to note the
time of each step since this script started, runs `drstui` as the command line would, and
quits once the first Snapshot of every scope has been painted and that frame drawn; writes the
wall time and this process's CPU time at each step. Steps:
imports (the command line, then the Textual app and everything it pulls in), the demo's
simulated world, the sessions (clients, monitors), the app up to its first refresh, the first
refresh of all scopes, and the first frame with their jobs.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

START = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str]) -> int:
    out, *args = argv
    steps: dict[str, float] = {}
    cpu: dict[str, float] = {}  # this process's CPU time at each step (threads included)

    def note(step: str) -> None:
        steps.setdefault(step, time.perf_counter() - START)
        cpu.setdefault(step, time.process_time())

    import drstui.cli as cli
    note("command line imported")
    import drstui.wiring as wiring
    from drstui.monitor import poller
    from drstui.ui import app as app_module
    note("app imported")

    def around(owner, name: str, before: str | None, after: str | None, is_async: bool = False) -> None:
        original = getattr(owner, name)
        if is_async:
            async def wrapper(*a, **k):
                if before:
                    note(before)
                result = await original(*a, **k)
                if after:
                    note(after)
                return result
        else:
            def wrapper(*a, **k):
                if before:
                    note(before)
                result = original(*a, **k)
                if after:
                    note(after)
                return result
        setattr(owner, name, wrapper)

    around(wiring, "demo_scopes", None, "demo world built")
    around(wiring, "open_sessions", None, "sessions open")
    around(poller.Monitor, "refresh", "first refresh started", None, is_async=True)
    finished: list[object] = []
    original_paint = app_module.DrsTuiApp._paint

    def paint(self, snapshot) -> None:  # type: ignore[no-untyped-def]
        original_paint(self, snapshot)
        finished.append(snapshot)
        if len(finished) == len(self.pollers):
            note("first refresh of every scope painted")
            self.call_after_refresh(lambda: (note("first frame drawn"), self.exit()))

    app_module.DrsTuiApp._paint = paint
    try:
        return cli.main(args)
    finally:
        Path(out).write_text(json.dumps({"wall": steps, "cpu": cpu}))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
