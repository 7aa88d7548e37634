"""DrsTuiApp: polls a MonitorSource and routes each Snapshot to the panes.

Data flows one way: `source.refresh()` → Snapshot → panes. Polls never overlap: one worker per
poll, and the next poll is scheduled only when the previous one has finished (dolphie's
pattern), so a slow API never piles up requests and never freezes the screen.

Extension points (issues 5 and 8):
- `selected_job` is the job the user is looking at; `request_refresh()` asks for a poll right
  after an action (create comparison, export) went through.
- `read_only` is known here and shown in the header; action keys go in MonitorScreen.BINDINGS,
  their palette entries in `get_system_commands`, their help lines in help_screen.KEY_HELP.
- Dialogs are pushed as ModalScreens: Snapshots keep arriving meanwhile and are painted when
  the monitor screen is back on top (`apply_pending_snapshot`).
- `alert()` receives every transition found by alerts.find_alerts (bell, cutover log, "jump to
  what alerted" hook in there).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable
from datetime import datetime

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker

from drstui.monitor.snapshot import Connection, JobView, LinkState, Snapshot
from drstui.monitor.source import MonitorSource
from drstui.ui.alerts import Alert, find_alerts
from drstui.ui.formatting import now_utc, one_line
from drstui.ui.header import HeaderState, StatusLine
from drstui.ui.help_screen import HelpScreen
from drstui.ui.monitor_screen import MonitorScreen
from drstui.ui.object_detail_screen import ObjectDetailScreen

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


class DrsTuiApp(App[int]):
    """The live monitor."""

    TITLE = "drstui"
    CSS_PATH = "styles.tcss"

    BINDINGS = [
        Binding("q", "quit", "Quit"),
        Binding("r", "refresh_now", "Refresh"),
        Binding("p", "toggle_pause", "Pause"),
        Binding("plus,equals_sign", "slower", "Slower", key_display="+", show=False),
        Binding("minus", "faster", "Faster", key_display="-", show=False),
        Binding("question_mark", "help", "Help", key_display="?"),
    ]

    def __init__(
        self,
        source: MonitorSource,
        *,
        profile_label: str,
        refresh_seconds: float = 5.0,
        clock: Callable[[], datetime] = now_utc,
        read_only: bool = False,
        insecure: bool = False,
        auto_refresh: bool = True,
    ) -> None:
        super().__init__()
        self.source = source
        self.profile_label = profile_label
        self.refresh_seconds = clamp_refresh(refresh_seconds)
        self.clock = clock
        self.read_only = read_only
        self.insecure = insecure
        self.auto_poll = auto_refresh  # (DOMNode.auto_refresh means something else)
        self.paused = False
        self.snapshot: Snapshot | None = None  # the one on screen
        self.received: Snapshot | None = None  # the newest, maybe not painted yet
        self._pending: Snapshot | None = None
        self._poll_worker: Worker[None] | None = None
        self._next_poll: Timer | None = None
        self._ticker: Timer | None = None
        self.poll_count = 0  # polls started (tests check there is never more than wanted)
        self.last_paint_writes = 0  # DataTable calls made by the last Snapshot painted

    # -- screens ---------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        return MonitorScreen(self.header_state())

    @property
    def monitor(self) -> MonitorScreen:
        screen = next(s for s in self.screen_stack if isinstance(s, MonitorScreen))
        return screen

    @property
    def selected_job(self) -> JobView | None:
        """The job highlighted in the jobs pane, as in the Snapshot on screen."""
        if self.snapshot is None:
            return None
        job_id = self.monitor.jobs_pane.highlighted_job_id
        return self.snapshot.job(job_id) if job_id else None

    def start_monitoring(self) -> None:
        """Called once the monitor screen is ready; the first poll happens even with auto_refresh off."""
        if self._ticker is None:
            self._ticker = self.set_interval(1.0, self._tick)  # data age and countdowns, once a second
            self.request_refresh()

    # -- polling ---------------------------------------------------------------------------
    @property
    def polling(self) -> bool:
        return self._poll_worker is not None and not self._poll_worker.is_finished

    def request_refresh(self) -> Worker[None]:
        """Start a poll now unless one is in flight (then that one is returned)."""
        if self._poll_worker is not None and not self._poll_worker.is_finished:
            return self._poll_worker
        self._cancel_next_poll()
        # Source failures are caught in _poll; anything else is a bug and should be seen.
        self._poll_worker = self.run_worker(self._poll(), name="poll", group="poll")
        return self._poll_worker

    async def refresh_now(self) -> None:
        """Poll now (or join the poll in flight) and wait until its Snapshot is handled."""
        await self.request_refresh().wait()

    async def _poll(self) -> None:
        self.poll_count += 1
        self._show_header()
        try:
            snapshot = await self.source.refresh()
        except Exception as error:  # noqa: BLE001 - the source promises not to raise; be safe
            snapshot = self._failed_snapshot(error)
        finally:
            self._poll_worker = None
            self._schedule_next_poll()
        self.receive_snapshot(snapshot)

    def _failed_snapshot(self, error: Exception) -> Snapshot:
        reason = one_line(f"{type(error).__name__}: {error}", 120)
        connection = Connection(LinkState.RETRYING, reason=reason, since=self.clock())
        if self.received is not None:
            return dataclasses.replace(self.received, connection=connection)
        return Snapshot(profile=self.profile_label, region="", project_id="", connection=connection)

    def _schedule_next_poll(self) -> None:
        self._cancel_next_poll()
        if self.auto_poll and not self.paused and self.is_running:
            self._next_poll = self.set_timer(self.refresh_seconds, self._on_poll_timer, name="next-poll")

    def _cancel_next_poll(self) -> None:
        if self._next_poll is not None:
            self._next_poll.stop()
            self._next_poll = None

    def _on_poll_timer(self) -> None:
        self._next_poll = None
        self.request_refresh()

    # -- snapshots -------------------------------------------------------------------------
    def receive_snapshot(self, snapshot: Snapshot) -> None:
        """Alert on transitions now; paint now, or when the monitor screen is back on top."""
        for alert in find_alerts(self.received, snapshot):
            self.alert(alert)
        self.received = snapshot
        if self.screen is self.monitor:
            self._paint(snapshot)
        else:
            self._pending = snapshot
        self._show_header()

    def apply_pending_snapshot(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            self._paint(pending)

    def _paint(self, snapshot: Snapshot) -> None:
        monitor = self.monitor
        highlight = self.snapshot is not None  # the first Snapshot is not a "change"
        self.snapshot = snapshot
        writes = monitor.jobs_pane.show_jobs(snapshot.jobs, highlight_changes=highlight)
        job_id = monitor.jobs_pane.highlighted_job_id
        writes += monitor.detail_pane.show_job(
            snapshot.job(job_id) if job_id else None, highlight_changes=highlight
        )
        writes += monitor.exports_pane.show_exports(snapshot.exports, self.clock(), highlight_changes=highlight)
        self.last_paint_writes = writes

    def show_job_detail(self, job_id: str | None) -> None:
        """The highlighted job changed: show its detail (no highlighting, it is not a refresh)."""
        detail = self.monitor.detail_pane
        if self.snapshot is None or (detail.job is not None and detail.job.id == job_id):
            return
        detail.show_job(self.snapshot.job(job_id) if job_id else None, highlight_changes=False)

    def alert(self, alert: Alert) -> None:
        """One transition worth telling the user about."""
        self.notify(alert.message, title="Comparison" if alert.subject != "job" else "Job",
                    severity=alert.severity, timeout=10)

    # -- header and clock ------------------------------------------------------------------
    def header_state(self) -> HeaderState:
        snapshot = self.received
        now = self.clock()
        return HeaderState(
            profile=self.profile_label,
            region=snapshot.region if snapshot else "",
            project_id=snapshot.project_id if snapshot else "",
            connection=snapshot.connection if snapshot else None,
            taken_at=snapshot.taken_at if snapshot else None,
            age_seconds=snapshot.age_seconds(now) if snapshot else None,
            refresh_seconds=self.refresh_seconds,
            paused=self.paused,
            polling=self.polling,
            read_only=self.read_only,
            insecure=self.insecure,
        )

    def _show_header(self) -> None:
        state = self.header_state()
        for screen in self.screen_stack:
            for line in screen.query(StatusLine):
                line.show(state)

    def _tick(self) -> None:
        self._show_header()
        if self.screen is self.monitor:
            self.monitor.exports_pane.tick(self.clock())

    # -- actions ---------------------------------------------------------------------------
    def action_refresh_now(self) -> None:
        self.request_refresh()

    def action_toggle_pause(self) -> None:
        self.paused = not self.paused
        if self.paused:
            self._cancel_next_poll()
        else:
            self.request_refresh()  # the data is old: catch up at once
        self._show_header()

    def set_refresh_seconds(self, seconds: float) -> None:
        self.refresh_seconds = clamp_refresh(seconds)
        if self._next_poll is not None:  # restart the wait with the new interval
            self._schedule_next_poll()
        self._show_header()

    def action_slower(self) -> None:
        self.set_refresh_seconds(next_step(self.refresh_seconds, +1))

    def action_faster(self) -> None:
        self.set_refresh_seconds(next_step(self.refresh_seconds, -1))

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def open_object_detail(self, job_id: str, job_name: str, object_type: str, compare_job_id: str | None) -> None:
        self.push_screen(
            ObjectDetailScreen(
                self.source,
                job_id=job_id,
                job_name=job_name,
                object_type=object_type,
                compare_job_id=compare_job_id,
                header=self.header_state(),
            )
        )

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        yield SystemCommand("Refresh now", "Poll the API once, now", self.action_refresh_now)
        yield SystemCommand(
            "Resume refresh" if self.paused else "Pause refresh",
            "Stop or restart automatic refresh (the data age keeps counting)",
            self.action_toggle_pause,
        )
        yield SystemCommand("Refresh less often", "Longer refresh interval (+)", self.action_slower)
        yield SystemCommand("Refresh more often", "Shorter refresh interval (-)", self.action_faster)
        monitor = self.monitor
        yield SystemCommand("Show jobs", "Jobs pane (1)", lambda: monitor.show_pane("jobs"))
        yield SystemCommand("Show comparison detail", "Detail of the highlighted job (2)", lambda: monitor.show_pane("detail"))
        yield SystemCommand("Show exports", "Exports pane (3)", lambda: monitor.show_pane("exports"))
        yield SystemCommand("Filter jobs", "Filter by name, id, engine, status (/)", monitor.action_filter)
        yield SystemCommand("Cycle job sort order", "Severity, name, status (o)", monitor.action_cycle_sort)
        yield SystemCommand("Keys", "List every key (?)", self.action_help)


