"""One poll loop per scope: refresh its source, post `SnapshotArrived(scope, snapshot)`, wait.

Polls of one scope never overlap: one worker per poll, and the next poll is scheduled only when
the previous one has finished (dolphie's pattern), so a slow API never piles up requests and
never freezes the screen. Each scope waits its own backoff when its API fails or throttles, so
one region down never slows the others. The App reacts to the messages; it does not poll.
"""

from __future__ import annotations

import asyncio
import dataclasses
from collections.abc import Callable
from datetime import datetime
from typing import Any

from textual.message import Message
from textual.timer import Timer
from textual.worker import Worker

from drstui.monitor.scope import Scope
from drstui.monitor.snapshot import Connection, LinkState, Snapshot
from drstui.monitor.source import MonitorSource
from drstui.ui.formatting import one_line


MIN_REFRESH_SECONDS = 1.0
MAX_REFRESH_SECONDS = 300.0
# What + and - step through: small steps where they matter, big ones for "leave it running".
REFRESH_STEPS = (1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0)


def clamp_refresh(seconds: float) -> float:
    return min(MAX_REFRESH_SECONDS, max(MIN_REFRESH_SECONDS, float(seconds)))


def next_step(seconds: float, direction: int) -> float:
    """The next refresh interval up (+1) or down (-1) the ladder, within bounds."""
    if direction > 0:
        candidates = [step for step in REFRESH_STEPS if step > seconds]
        return candidates[0] if candidates else MAX_REFRESH_SECONDS
    candidates = [step for step in REFRESH_STEPS if step < seconds]
    return candidates[-1] if candidates else MIN_REFRESH_SECONDS


class SnapshotArrived(Message):
    """A scope's poll finished (well or not): its new Snapshot."""

    def __init__(self, scope: Scope, snapshot: Snapshot, handled: asyncio.Future[None] | None = None) -> None:
        super().__init__()
        self.scope = scope
        self.snapshot = snapshot
        self.handled = handled  # resolved by the App once the Snapshot is shown

    def done(self) -> None:
        if self.handled is not None and not self.handled.done():
            self.handled.set_result(None)


class ScopePoller:
    """The poll loop of one scope. `host` is the App: it runs the workers and timers, receives
    the messages, and says whether to keep polling (`auto_poll`, `paused`, `refresh_seconds`)."""

    def __init__(self, host: Any, scope: Scope, source: MonitorSource, *, clock: Callable[[], datetime]) -> None:
        self.host = host
        self.scope = scope
        self.source = source
        self.clock = clock
        self.last: Snapshot | None = None  # this scope's newest Snapshot
        self.poll_count = 0
        self.worker: Worker[None] | None = None
        self.started_at: datetime | None = None
        self.next_poll: Timer | None = None
        self._handled: asyncio.Future[None] | None = None

    @property
    def polling(self) -> bool:
        return self.worker is not None and not self.worker.is_finished

    @property
    def slow(self) -> bool:
        """Polling for a second or more: worth a ⟳ in the header (quick polls show nothing)."""
        started = self.started_at
        return self.polling and started is not None and (self.clock() - started).total_seconds() >= 1.0

    def request(self) -> Worker[None]:
        """Start a poll now unless one is in flight (then that one is returned)."""
        if self.worker is not None and not self.worker.is_finished:
            return self.worker
        self.cancel()
        self.worker = self.host.run_worker(self._poll(), name=f"poll {self.scope.key}", group="poll")
        return self.worker

    async def refresh_now(self) -> None:
        """Poll now (or join the poll in flight) and wait until the App has shown its Snapshot."""
        await self.request().wait()
        handled = self._handled
        if handled is None or not self.host.is_running:
            return
        # An App that crashed meanwhile never handles it: stop waiting then (run_test re-raises).
        crashed = asyncio.ensure_future(self.host._exception_event.wait())
        try:
            await asyncio.wait({handled, crashed}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            crashed.cancel()

    async def _poll(self) -> None:
        self.poll_count += 1
        self.started_at = self.clock()
        try:
            snapshot = await self.source.refresh()
        except Exception as error:  # noqa: BLE001 - the source promises not to raise; be safe
            snapshot = self._failed_snapshot(error)
        finally:
            self.worker = None
        self.last = snapshot
        self.schedule(snapshot)
        self._handled = asyncio.get_running_loop().create_future()
        self.host.post_message(SnapshotArrived(self.scope, snapshot, self._handled))

    def _failed_snapshot(self, error: Exception) -> Snapshot:
        reason = one_line(f"{type(error).__name__}: {error}", 120)
        connection = Connection(LinkState.RETRYING, reason=reason, since=self.clock())
        if self.last is not None:
            return dataclasses.replace(self.last, connection=connection)
        scope = self.scope
        return Snapshot(profile=scope.profile, region=scope.region, project_id=scope.project_id,
                        connection=connection)

    def schedule(self, snapshot: Snapshot | None = None) -> None:
        self.cancel()
        host = self.host
        if host.auto_poll and not host.paused and host.is_running:
            self.next_poll = host.set_timer(self.delay(snapshot or self.last), self._on_timer, name="next-poll")

    def delay(self, snapshot: Snapshot | None) -> float:
        """The refresh interval, or longer while this scope's API is failing or throttling us.

        The monitor knows the backoff (and any Retry-After); never poll sooner than it asks,
        so a bad night never turns into a request storm."""
        interval = max(self.host.refresh_seconds, self.budget_interval())
        backoff = getattr(self.source, "next_delay", None)
        if backoff is None or snapshot is None or snapshot.connection.state is LinkState.OK:
            return interval
        return max(interval, float(backoff()))

    def budget_interval(self) -> float:
        """How far apart this scope's refreshes must be to stay within its request budget."""
        budget = getattr(self.source, "budget_interval", None)
        return float(budget()) if budget is not None else 0.0

    def cancel(self) -> None:
        if self.next_poll is not None:
            self.next_poll.stop()
            self.next_poll = None

    def _on_timer(self) -> None:
        self.next_poll = None
        self.request()
