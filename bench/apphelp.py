"""Running DrsTuiApp in-process (`run_test`) with a driver that counts what a terminal would get.

Textual's headless driver renders nothing (App._display skips headless apps). `counting_driver()`
swaps in a headless driver that says it is *not* headless and counts the bytes of every
`write`, so the compositor's real output (cursor moves, styles, text, synchronized-update
markers) is measured exactly as it would go to a terminal, without a terminal.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone


@dataclass
class ByteCounter:
    total: int = 0
    writes: int = 0
    log: list[tuple[float, int]] = field(default_factory=list)  # (perf_counter, bytes)
    keep: list[str] | None = None  # the data itself, when a caller wants to look at it

    def add(self, data: str) -> None:
        size = len(data.encode("utf-8", errors="replace"))
        self.total += size
        self.writes += 1
        if self.keep is not None:
            self.keep.append(data)
        if len(self.log) < 100_000:
            self.log.append((time.perf_counter(), size))


COUNTER = ByteCounter()


@contextlib.contextmanager
def counting_driver():
    """While active, `app.run_test()` uses a byte-counting, rendering headless driver."""
    import textual.drivers.headless_driver as module

    original = module.HeadlessDriver

    class CountingDriver(original):  # type: ignore[misc, valid-type]
        @property
        def is_headless(self) -> bool:  # make App._display render
            return False

        def write(self, data: str) -> None:
            COUNTER.add(data)

        def flush(self) -> None:
            pass

    module.HeadlessDriver = CountingDriver
    try:
        yield COUNTER
    finally:
        module.HeadlessDriver = original


class SteppedClock:
    """A UTC clock for the app (header age, export countdowns) that moves only when told."""

    def __init__(self, start: datetime | None = None) -> None:
        # Real time at start: AK/SK signatures carry the real time and the simulator checks it.
        self.now = start or datetime.now(timezone.utc).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


class ListSource:
    """A MonitorSource that hands out prepared Snapshots (the last one again when run out)."""

    def __init__(self, snapshots: list, detail: Callable | None = None,
                 now: Callable[[], datetime] | None = None) -> None:
        self.snapshots = list(snapshots)
        self._now = now  # stamp taken_at as a real refresh would (the header shows it)
        self.calls = 0
        self._detail = detail
        self.interval = 5.0

    async def refresh(self):
        from dataclasses import replace

        index = min(self.calls, len(self.snapshots) - 1)
        self.calls += 1
        snapshot = replace(self.snapshots[index], sequence=self.calls)
        if self._now is not None:
            snapshot = replace(snapshot, taken_at=self._now())
        return snapshot

    async def object_detail(self, job_id, object_type, compare_job_id):
        return self._detail(job_id, object_type, compare_job_id) if self._detail else ()

    def next_delay(self) -> float:
        return self.interval

    def request_refresh(self) -> None:
        pass


async def settle(pilot, rounds: int = 3) -> None:
    """Let messages, layout and the screen update run (a frame is written at most every 1/60 s)."""
    for _ in range(rounds):
        await pilot.pause()
        await pilot.pause(0.05)
