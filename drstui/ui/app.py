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
- Alerts: the transitions of each refresh (the source's own, those it wrote to the
  cutover log, or `changes.transitions` when it keeps none) go to the events history and the
  events view (`v`); those alerts.alerts_for picks go to `alert()`: notification, bell (`b`),
  and `j` jumps to the last one.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

from textual import on
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker

from drstui.monitor.snapshot import Connection, JobView, LinkState, Snapshot
from drstui.monitor.source import MonitorSource
from drstui.monitor.changes import transitions
from drstui.monitor.transition import Transition
from drstui.logs import crash_summary, write_crash_report
from drstui.text import visible
from drstui.ui import messages
from drstui.ui.alerts import Alert, alerts_for
from drstui.ui.compare_sections import ComparePolicySection
from drstui.ui.detail_pane import DetailPane
from drstui.ui.dialogs.launch import (
    open_compare_lifecycle,
    open_compare_policy,
    open_create_comparison,
    open_differences,
    open_export_report,
    open_sms_export,
)
from drstui.ui.events_screen import EventHistory, EventsScreen, show_in_open_screens
from drstui.ui.formatting import now_utc, one_line
from drstui.ui.header import HeaderState, StatusLine
from drstui.ui.link_status import ConnectionScreen, LinkBar, details_lines, empty_jobs_reason
from drstui.ui.monitor_screen import MonitorScreen

MIN_REFRESH_SECONDS = 1.0
MAX_REFRESH_SECONDS = 300.0
# What + and - step through: small steps where they matter, big ones for "leave it running".
REFRESH_STEPS = (1.0, 2.0, 3.0, 5.0, 10.0, 15.0, 30.0, 60.0, 120.0, 300.0)
# A refresh still waiting for its answer after this long (or the interval, if longer) is overdue.
OVERDUE_AFTER = 5.0


# Textual's own palette entries that do not fit here: its "Keys" panel (ours is `?`), and
# "Screenshot", which fails when ~/Downloads is missing.
_TEXTUAL_COMMANDS_LEFT_OUT = frozenset({"Keys", "Screenshot"})


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
        Binding("v", "events", "Events", show=False),
        Binding("j", "jump_to_alert", "Jump to alert", show=False),
        Binding("b", "toggle_bell", "Bell", show=False),
        Binding("i", "connection_details", "Connection", show=False),
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
        bell: bool = False,
        actions: object = None,
    ) -> None:
        super().__init__()
        self.bell_enabled = bell  # ring the terminal bell on alerts (App.bell is the ringing)
        self.event_history = EventHistory()
        self.last_alert: Alert | None = None
        self.source = source
        self.profile_label = profile_label
        self.refresh_seconds = clamp_refresh(refresh_seconds)
        self.clock = clock
        # --read-only, or a profile whose Actions are read-only: the header shows READ-ONLY.
        self.read_only = read_only or bool(getattr(actions, "read_only", False))
        self.insecure = insecure
        self.auto_poll = auto_refresh  # (DOMNode.auto_refresh means something else)
        # drstui.monitor.actions.Actions: the only way dialogs change anything (None: keys c/e/s
        # explain that actions are unavailable).
        self.actions = actions
        self.paused = False
        self.snapshot: Snapshot | None = None  # the one on screen
        self.received: Snapshot | None = None  # the newest, maybe not painted yet
        self._pending: Snapshot | None = None
        self._poll_worker: Worker[None] | None = None
        self._poll_started_at: datetime | None = None
        self._next_poll: Timer | None = None
        self._ticker: Timer | None = None
        self.poll_count = 0  # polls started (tests check there is never more than wanted)
        self.crash_report: Path | None = None  # written if the app crashed
        self._crash_message: str | None = None
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

    def show_pane(self, name: str) -> None:
        self.monitor.show_pane(name)

    # -- what screens ask (messages; they never import this class) ---------------------------
    @on(messages.MonitorReady)
    def _on_monitor_ready(self) -> None:
        self.start_monitoring()

    @on(messages.MonitorResumed)
    def _on_monitor_resumed(self) -> None:
        self.apply_pending_snapshot()

    @on(messages.ShowJobDetail)
    def _on_show_job_detail(self, message: messages.ShowJobDetail) -> None:
        self.show_job_detail(message.job_id)

    @on(messages.OpenObjectDetail)
    def _on_open_object_detail(self, message: messages.OpenObjectDetail) -> None:
        self.open_object_detail(message.job_id, message.job_name, message.object_type, message.compare_job_id)

    @on(DetailPane.DifferencesWanted)
    def _on_differences_wanted(self, message: DetailPane.DifferencesWanted) -> None:
        open_differences(self, message.job, message.comparison, message.table,
                         reader=getattr(self.source, "differences", None), header=self.header_state())

    @on(messages.JumpTo)
    def _on_jump_to(self, message: messages.JumpTo) -> None:
        self.jump_to(message.job_id, export=message.export)

    def start_monitoring(self) -> None:
        """Called once the monitor screen is ready; the first poll happens even with auto_refresh off."""
        if self._ticker is None:
            self._start_history()
            self._ticker = self.set_interval(1.0, self._tick)  # data age and countdowns, once a second
            self.request_refresh()

    # -- polling ---------------------------------------------------------------------------
    @property
    def polling(self) -> bool:
        return self._poll_worker is not None and not self._poll_worker.is_finished

    @property
    def slow_poll(self) -> bool:
        """A poll has been running for a second or more: worth a ⟳ in the header.

        Quick polls show nothing, so a refresh that changes nothing sends almost nothing to
        the terminal; the once-a-second tick reveals a slow one."""
        started = self._poll_started_at
        return self.polling and started is not None and (self.clock() - started).total_seconds() >= 1.0

    @property
    def overdue_seconds(self) -> float | None:
        """How long the refresh in flight has been running, once that is longer than the
        refresh interval (and OVERDUE_AFTER): the header then stops saying OK at once, instead
        of when the call deadline finally turns the data stale."""
        started = self._poll_started_at
        if not self.polling or started is None:
            return None
        running = (self.clock() - started).total_seconds()
        return running if running >= max(self.refresh_seconds, OVERDUE_AFTER) else None

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
        self._poll_started_at = self.clock()
        try:
            snapshot = await self.source.refresh()
        except Exception as error:  # noqa: BLE001 - the source promises not to raise; be safe
            snapshot = self._failed_snapshot(error)
        finally:
            self._poll_worker = None
        self._schedule_next_poll(snapshot)
        self.receive_snapshot(snapshot)

    def _failed_snapshot(self, error: Exception) -> Snapshot:
        reason = one_line(f"{type(error).__name__}: {error}", 120)
        connection = Connection(LinkState.RETRYING, reason=reason, since=self.clock())
        if self.received is not None:
            return dataclasses.replace(self.received, connection=connection)
        return Snapshot(profile=self.profile_label, region="", project_id="", connection=connection)

    def _schedule_next_poll(self, snapshot: Snapshot | None = None) -> None:
        self._cancel_next_poll()
        if self.auto_poll and not self.paused and self.is_running:
            delay = self._next_poll_delay(snapshot or self.received)
            self._next_poll = self.set_timer(delay, self._on_poll_timer, name="next-poll")

    def _next_poll_delay(self, snapshot: Snapshot | None) -> float:
        """The refresh interval, or longer while the API is failing or throttling us.

        The monitor knows the backoff (and any Retry-After); never poll sooner than it asks,
        so a bad night never turns into a request storm."""
        backoff = getattr(self.source, "next_delay", None)
        if backoff is None or snapshot is None or snapshot.connection.state is LinkState.OK:
            return self.refresh_seconds
        return max(self.refresh_seconds, float(backoff()))

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
        if self._live_panes() is None:
            self.received = snapshot  # a poll that ended while the app quits: keep, show nothing
            return
        self._take_transitions(self.received, snapshot)
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

    def _live_panes(self):  # type: ignore[no-untyped-def]
        """The monitor's panes, or None while the app quits or the screen is torn down."""
        if self._exit:
            return None
        monitor = next((s for s in self.screen_stack if isinstance(s, MonitorScreen)), None)
        return monitor.live_panes() if monitor is not None else None

    def _paint(self, snapshot: Snapshot) -> None:
        panes = self._live_panes()
        if panes is None:
            return  # quitting: nothing left to paint
        jobs_pane, detail_pane, exports_pane = panes
        highlight = self.snapshot is not None  # the first Snapshot is not a "change"
        self.snapshot = snapshot
        writes = jobs_pane.show_jobs(snapshot.jobs, highlight_changes=highlight)
        connection = snapshot.connection
        jobs_pane.show_trust(
            stale_since=snapshot.taken_at if connection.state in (LinkState.STALE, LinkState.AUTH_FAILED) else None,
            empty_reason=empty_jobs_reason(connection),
        )
        job_id = jobs_pane.highlighted_job_id
        writes += detail_pane.show_job(snapshot.job(job_id) if job_id else None, highlight_changes=highlight)
        writes += exports_pane.show_exports(snapshot.exports, self.clock(), highlight_changes=highlight)
        self.last_paint_writes = writes

    def show_job_detail(self, job_id: str | None) -> None:
        """The highlighted job changed: show its detail (no highlighting, it is not a refresh)."""
        detail = self.monitor.detail_pane
        if self.snapshot is None or (detail.job is not None and detail.job.id == job_id):
            return
        detail.show_job(self.snapshot.job(job_id) if job_id else None, highlight_changes=False)

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Every notification (the app's, a screen's, a widget's) ends here: its text names jobs,
        tables and API errors, so it is shown literally, with terminal controls made visible."""
        del markup  # never markup: `[/]` in a table name must not crash the toast that reports it
        super().notify(visible(message, newlines=True), title=visible(title), severity=severity,
                       timeout=timeout, markup=False)

    def _handle_exception(self, error: Exception) -> None:
        """A crash (a bug: the monitor catches what the API does). Textual would print a
        traceback with every local variable (hundreds of KB of answers, maybe secrets); we
        print two lines and write the traceback, redacted and without locals, to a file."""
        self._return_code = 1
        if self._exception is None:  # run_test re-raises it, so tests still see the bug
            self._exception = error
            self._exception_event.set()
        report = write_crash_report(error)
        self.crash_report = report
        self._crash_message = crash_summary(error, report)
        self._close_messages_no_wait()

    def _print_error_renderables(self) -> None:
        """After the terminal is restored: our crash lines as plain text (never wrapped or cut:
        the path must stay whole, to be copied), instead of Textual's traceback."""
        if self._crash_message is None:
            super()._print_error_renderables()
            return
        self._exit_renderables.clear()
        sys.stderr.write(self._crash_message + "\n")
        sys.stderr.flush()

    def alert(self, alert: Alert, *, ring: bool = True) -> None:
        """One transition worth telling the user about."""
        self.last_alert = alert
        title = {"job": "Job", "export": "Export"}.get(alert.subject, "Comparison")
        self.notify(alert.message, title=title, severity=alert.severity, timeout=10)
        if ring and self.bell_enabled:
            self.bell()

    # -- alerts, events, trend --------------------------------------------------------------
    def _start_history(self) -> None:
        """Earlier events from today's cutover log; the detail pane asks the source for trends."""
        earlier = getattr(self.source, "events", None)
        if callable(earlier):
            try:
                self.event_history.add(earlier(self.event_history.maxlen), earlier=True)
            except Exception as error:  # noqa: BLE001 - an unreadable log must not stop the monitor
                self.notify(one_line(f"cutover log not read: {error}", 120), severity="warning")
        self.monitor.detail_pane.trend_series = getattr(self.source, "trend_series", None)
        self.monitor.detail_pane.policy_reader = getattr(self.source, "compare_policies", None)

    def _take_transitions(self, previous: Snapshot | None, snapshot: Snapshot) -> None:
        # The source's own transitions are those in its cutover log; a source without them
        # (or a Snapshot the app made after a failed poll) gets the same function applied here.
        own = getattr(self.source, "transitions_for", None)
        theirs = own(snapshot) if callable(own) else None
        found: list[Transition] = list(theirs) if theirs is not None else transitions(previous, snapshot)
        if not found:
            return
        self.event_history.add(found)
        show_in_open_screens(self.screen_stack, *self._log_state())
        if previous is None:
            return  # the first Snapshot is the baseline: its state is on screen, not news
        alerts = alerts_for(found, snapshot)
        for alert in alerts:
            self.alert(alert, ring=False)
        if alerts and self.bell_enabled:
            self.bell()  # once per refresh, however many alerts

    def _log_state(self) -> tuple[Path | None, str | None]:
        path = getattr(self.source, "events_path", None)
        error = getattr(self.source, "events_error", None)
        return (path() if callable(path) else None, error() if callable(error) else None)

    def action_events(self) -> None:
        if isinstance(self.screen, EventsScreen):
            return
        log_path, log_error = self._log_state()
        self.push_screen(EventsScreen(self.event_history, header=self.header_state(),
                                      log_path=log_path, log_error=log_error))

    def action_connection_details(self) -> None:
        """`i`: the full reason, the endpoint, the last good refresh and the next retry."""
        if isinstance(self.screen, ConnectionScreen):
            return
        received = self.received
        self.push_screen(ConnectionScreen(details_lines(
            received.connection if received else None, received.taken_at if received else None, self.clock()
        )))

    def action_toggle_bell(self) -> None:
        self.bell_enabled = not self.bell_enabled
        self.notify("Bell on: it rings on alerts" if self.bell_enabled else "Bell off", timeout=3)

    def action_jump_to_alert(self) -> None:
        alert = self.last_alert
        if alert is None:
            self.notify("Nothing has alerted yet this session", timeout=3)
            return
        self.jump_to(alert.job_id, export=alert.subject == "export")

    def jump_to(self, job_id: str | None, *, export: bool = False) -> bool:
        """Back to the monitor screen with `job_id` selected and its detail shown (an export
        without a job: the exports pane). False if a dialog is open or the job is gone."""
        from drstui.ui.differences_screen import DifferencesScreen
        from drstui.ui.help_screen import HelpScreen
        from drstui.ui.object_detail_screen import ObjectDetailScreen

        while self.screen is not self.monitor and isinstance(
            self.screen, (EventsScreen, HelpScreen, ObjectDetailScreen, DifferencesScreen)
        ):
            self.pop_screen()
        if self.screen is not self.monitor:
            return False  # a dialog is open: leave it alone
        self.apply_pending_snapshot()
        monitor = self.monitor
        if job_id is None:
            monitor.show_pane("exports" if export else "jobs")
            return export
        jobs = monitor.jobs_pane
        if job_id not in jobs.visible_job_ids and jobs.filter_text:
            jobs.action_clear_filter()
        if job_id not in jobs.visible_job_ids:
            self.notify("That job is no longer listed", severity="warning", timeout=5)
            return False
        jobs.table.move_to(job_id)
        self.show_job_detail(job_id)
        monitor.show_pane("detail")
        return True

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
            polling=self.slow_poll,
            read_only=self.read_only,
            insecure=self.insecure,
            overdue_seconds=self.overdue_seconds,
        )

    def _show_header(self) -> None:
        if self._exit:
            return
        state = self.header_state()
        received = self.received
        for screen in self.screen_stack:
            # Each screen yields its status line itself: no walk of the whole DOM every second.
            for line in screen.query_children(StatusLine):
                line.show(state)
            for bar in screen.query(LinkBar):
                bar.show(received.connection if received else None,
                         received.taken_at if received else None, self.clock())

    def _tick(self) -> None:
        panes = self._live_panes()
        if panes is None:
            return  # the once-a-second tick can fire while the screen is torn down
        self._show_header()
        if self.screen is self.monitor:
            panes[2].tick(self.clock())

    # -- actions ---------------------------------------------------------------------------
    def action_refresh_now(self) -> None:
        # After AUTH FAILED the monitor makes no calls (no lock-out loop); an explicit `r` is
        # the user saying "I fixed the password / the clock": allow one more try.
        reset_auth = getattr(self.source, "reset_auth", None)
        if (
            reset_auth is not None
            and self.received is not None
            and self.received.connection.state is LinkState.AUTH_FAILED
        ):
            reset_auth()
            self.notify("Trying the credentials again…", timeout=3)
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

    # Keys c / e / s: the dialogs live in drstui/ui/dialogs/.
    def action_create_comparison(self) -> None:
        open_create_comparison(self)

    def action_export_report(self) -> None:
        open_export_report(self)

    def action_sms_export(self) -> None:
        open_sms_export(self)

    def action_compare_lifecycle(self) -> None:
        open_compare_lifecycle(self, self.monitor.detail_pane.highlighted_comparison_id)

    def action_compare_policy(self) -> None:
        section = self.monitor.detail_pane.query_one(ComparePolicySection)
        open_compare_policy(self, section.policy, lambda: section.show(self.selected_job, fresh=True))

    def action_help(self) -> None:
        from drstui.ui.help_screen import HelpScreen  # screens the first paint does not need

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def open_object_detail(self, job_id: str, job_name: str, object_type: str, compare_job_id: str | None) -> None:
        from drstui.ui.object_detail_screen import ObjectDetailScreen

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
        for command in super().get_system_commands(screen):
            if command.title not in _TEXTUAL_COMMANDS_LEFT_OUT:
                yield command
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
        yield SystemCommand("Show events", "Transitions this session and earlier today, cutover log (v)",
                            self.action_events)
        yield SystemCommand("Jump to last alert", "Select the job that alerted last and show it (j)",
                            self.action_jump_to_alert)
        yield SystemCommand("Turn bell off" if self.bell_enabled else "Turn bell on",
                            "Ring the terminal bell on alerts (b)", self.action_toggle_bell)
        yield SystemCommand("Create comparison", "Object- and/or data-level, for the highlighted job (c)", self.action_create_comparison)
        yield SystemCommand("Export comparison report", "Generate and download a report of the highlighted job (e)", self.action_export_report)
        yield SystemCommand("Cancel, pause or restart a comparison",
                            "A running comparison of the highlighted job (x)", self.action_compare_lifecycle)
        yield SystemCommand("Edit scheduled comparisons", "The compare policy of the highlighted job (t)",
                            self.action_compare_policy)
        yield SystemCommand("Export SMS consistency results", "Batch export for many SMS tasks (s)", self.action_sms_export)
        yield SystemCommand("Connection details", "Full reason, endpoint, last good refresh, next retry (i)",
                            self.action_connection_details)
        yield SystemCommand("Keys", "List every key (?)", self.action_help)


