"""DrsTuiApp: routes each scope's Snapshots to the panes.

Data flows one way: a poll loop per scope (polling.py) → `SnapshotArrived(scope, snapshot)` →
the App → panes. With several scopes (profiles, regions, projects) the App keeps each one's
newest Snapshot and shows them combined (monitor/combine.py): jobs are known by (scope, id), and
one scope failing marks only its own jobs stale.

Extension points:
- `selected_job` is the job the user is looking at; `request_refresh()` asks for a poll right
  after an action (create comparison, export) went through.
- `read_only` is known here and shown in the header; action keys go in MonitorScreen.BINDINGS,
  their palette entries in commands.py, their help lines in help_screen.KEY_HELP.
- Dialogs are pushed as ModalScreens: Snapshots keep arriving meanwhile and are painted when
  the monitor screen is back on top (`apply_pending_snapshot`).
- Alerts, the events view and trends: app_events.py; the header lines, the clock and the
  connection details: app_header.py; the key actions and dialog launchers: app_actions.py.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable, Iterable, Sequence
from datetime import datetime
from pathlib import Path

from textual import events, on
from textual.app import App, SystemCommand
from textual.notifications import SeverityLevel
from textual.binding import Binding
from textual.screen import Screen
from textual.timer import Timer
from textual.worker import Worker

from drstui.monitor.combine import combine
from drstui.monitor.scope import Scope
from drstui.monitor.snapshot import JobView, LinkState, Snapshot
from drstui.monitor.source import MonitorSource
from drstui.monitor.changes import transitions
from drstui.logs import crash_summary, write_crash_report
from drstui.text import visible
from drstui.ui import messages
from drstui.ui.alerts import Alert
from drstui.ui.app_actions import ActionsMixin
from drstui.ui.app_events import EventsMixin
from drstui.ui.app_header import HeaderMixin
from drstui.ui.commands import system_commands
from drstui.ui.detail_pane import DetailPane
from drstui.ui.dialogs.launch import open_differences
from drstui.ui.events_screen import EventHistory
from drstui.ui.formatting import now_utc
from drstui.ui.link_status import empty_jobs_reason
from drstui.ui.monitor_screen import MonitorScreen
from drstui.ui.polling import (  # the interval ladder is re-exported: tests import it from here
    MAX_REFRESH_SECONDS,
    MIN_REFRESH_SECONDS,
    REFRESH_STEPS,
    ScopePoller,
    SnapshotArrived,
    clamp_refresh,
    next_step,
)

__all__ = ["MAX_REFRESH_SECONDS", "MIN_REFRESH_SECONDS", "REFRESH_STEPS", "DrsTuiApp", "clamp_refresh", "next_step"]

# A refresh still waiting for its answer after this long (or the interval, if longer) is overdue.
OVERDUE_AFTER = 5.0


# Textual's own palette entries that do not fit here: its "Keys" panel (ours is `?`), and
# "Screenshot", which fails when ~/Downloads is missing.
_TEXTUAL_COMMANDS_LEFT_OUT = frozenset({"Keys", "Screenshot"})


class DrsTuiApp(EventsMixin, HeaderMixin, ActionsMixin, App[int]):
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
        source: MonitorSource | None = None,
        *,
        profile_label: str,
        refresh_seconds: float = 5.0,
        clock: Callable[[], datetime] = now_utc,
        read_only: bool = False,
        insecure: bool = False,
        auto_refresh: bool = True,
        bell: bool = False,
        actions: object = None,
        scopes: Sequence[tuple[Scope, MonitorSource, object]] = (),
    ) -> None:
        """One `source` (with its `actions`), or several `scopes`: (scope, source, actions)."""
        super().__init__()
        self.bell_enabled = bell  # ring the terminal bell on alerts (App.bell is the ringing)
        self.event_history = EventHistory()
        self.last_alert: Alert | None = None
        if not scopes:
            if source is None:
                raise ValueError("DrsTuiApp needs a source or scopes")
            scopes = [(Scope(profile_label, "", ""), source, actions)]
        self.multi_scope = len(scopes) > 1
        self.pollers = [ScopePoller(self, scope, src, clock=clock) for scope, src, _ in scopes]
        self._actions = {scope: acts for scope, _, acts in scopes}
        self.source = self.pollers[0].source  # the first scope's (earlier events come from it)
        self.profile_label = profile_label
        self.refresh_seconds = clamp_refresh(refresh_seconds)
        self.clock = clock
        # --read-only, or a profile whose Actions are read-only: the header shows READ-ONLY.
        self.read_only = read_only or any(bool(getattr(a, "read_only", False)) for a in self._actions.values())
        self.insecure = insecure
        self.auto_poll = auto_refresh  # (DOMNode.auto_refresh means something else)
        self.paused = False
        self.snapshot: Snapshot | None = None  # the one on screen
        self.received: Snapshot | None = None  # the newest, maybe not painted yet
        self._latest: dict[Scope, Snapshot] = {}  # each scope's newest Snapshot
        self._pending: Snapshot | None = None
        self._ticker: Timer | None = None
        self.crash_report: Path | None = None  # written if the app crashed
        self._crash_message: str | None = None
        self.last_paint_writes = 0  # DataTable calls made by the last Snapshot painted

    # -- screens ---------------------------------------------------------------------------
    def get_default_screen(self) -> Screen:
        return MonitorScreen(self.header_state(), scoped=self.multi_scope)

    @property
    def monitor(self) -> MonitorScreen:
        screen = next(s for s in self.screen_stack if isinstance(s, MonitorScreen))
        return screen

    @property
    def actions(self) -> object:
        """drstui.monitor.actions.Actions of the selected job's scope (else the first scope's):
        the only way dialogs change anything (None: keys c/e/s explain they are unavailable)."""
        job = self.selected_job
        if job is not None and job.scope in self._actions:
            return self._actions[job.scope]
        return next(iter(self._actions.values()), None)

    def poller_for(self, scope: Scope | None) -> ScopePoller:
        return next((p for p in self.pollers if p.scope == scope), self.pollers[0])

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
        self.show_job_detail(message.job_id, focus=message.focus)

    @on(messages.OpenObjectDetail)
    def _on_open_object_detail(self, message: messages.OpenObjectDetail) -> None:
        if self._live_panes() is not None:
            self.open_object_detail(message.job_id, message.job_name, message.object_type, message.compare_job_id)

    @on(DetailPane.DifferencesWanted)
    def _on_differences_wanted(self, message: DetailPane.DifferencesWanted) -> None:
        open_differences(self, message.job, message.comparison, message.table,
                         reader=getattr(self.poller_for(message.job.scope).source, "differences", None), header=self.header_state())

    @on(messages.JumpTo)
    def _on_jump_to(self, message: messages.JumpTo) -> None:
        if self._live_panes() is not None:
            self.jump_to(message.job_id, export=message.export)

    @on(events.Mount)
    def _first_poll(self) -> None:
        """The first poll of every scope starts with the app, even with auto_refresh off."""
        self.request_refresh()

    def start_monitoring(self) -> None:
        """Called once the monitor screen is ready: earlier events, the 1 s tick, and what
        arrived before the screen was."""
        if self._ticker is None:
            self._start_history()
            self._ticker = self.set_interval(1.0, self._tick)  # data age and countdowns, once a second
            self.apply_pending_snapshot()

    # -- polling (the loops are in polling.py; one per scope) -----------------------------------
    @property
    def polling(self) -> bool:
        return any(p.polling for p in self.pollers)

    @property
    def slow_poll(self) -> bool:
        """A poll has been running for a second or more: worth a ⟳ in the header."""
        return any(p.slow for p in self.pollers)

    @property
    def overdue_seconds(self) -> float | None:
        """How long the longest refresh in flight has been running, once that is longer than
        the refresh interval (and OVERDUE_AFTER): the header then stops saying OK at once,
        instead of when the call deadline finally turns the data stale."""
        now = self.clock()
        running = [(now - p.started_at).total_seconds() for p in self.pollers if p.polling and p.started_at]
        longest = max(running, default=None)
        return longest if longest is not None and longest >= max(self.refresh_seconds, OVERDUE_AFTER) else None

    @property
    def poll_count(self) -> int:
        """Polls started, all scopes (tests check there is never more than wanted)."""
        return sum(p.poll_count for p in self.pollers)

    @property
    def _next_poll(self) -> Timer | None:
        return next((p.next_poll for p in self.pollers if p.next_poll is not None), None)

    def request_refresh(self) -> Worker[None]:
        """Start a poll of every scope now unless one is in flight; the first scope's worker."""
        workers = [p.request() for p in self.pollers]
        return workers[0]

    async def refresh_now(self) -> None:
        """Poll every scope now (or join the polls in flight) and wait until their Snapshots are shown."""
        for poller in list(self.pollers):
            await poller.refresh_now()

    def _schedule_next_poll(self) -> None:
        for poller in self.pollers:
            poller.schedule()

    def _cancel_next_poll(self) -> None:
        for poller in self.pollers:
            poller.cancel()

    @on(SnapshotArrived)
    def _on_snapshot_arrived(self, message: SnapshotArrived) -> None:
        try:
            if not self._exit and self.screen_stack:  # not while closing
                self.receive_scope_snapshot(message.scope, message.snapshot)
        finally:
            message.done()

    def receive_scope_snapshot(self, scope: Scope, snapshot: Snapshot) -> None:
        """One scope's new Snapshot: alert on its transitions, show the view with it."""
        previous = self._latest.get(scope)
        self._latest[scope] = snapshot
        if not self.multi_scope:
            self.receive_snapshot(snapshot)
            return
        own = getattr(self.poller_for(scope).source, "transitions_for", None)
        found = own(snapshot) if callable(own) else None
        if found is None:
            found = [dataclasses.replace(t, scope=scope) for t in transitions(previous, snapshot)]
        combined = combine([p.scope for p in self.pollers], self._latest, label=self.profile_label)
        self._take_found(found, combined, baseline=previous is None)
        self._show(combined)

    # -- snapshots -------------------------------------------------------------------------
    def receive_snapshot(self, snapshot: Snapshot) -> None:
        """Alert on transitions now; paint now, or when the monitor screen is back on top."""
        if self._exit:
            self.received = snapshot  # a poll that ended while the app quits: keep, show nothing
            return
        self._take_transitions(self.received, snapshot)
        self._show(snapshot)

    def _show(self, snapshot: Snapshot) -> None:
        self.received = snapshot
        if self._live_panes() is not None and self._ticker is not None and self.screen is self.monitor:
            self._paint(snapshot)
        else:
            self._pending = snapshot  # painted when the monitor screen is ready, or back on top
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
        states = {s.scope: s.connection.state for s in snapshot.scopes}
        writes = jobs_pane.show_jobs(snapshot.jobs, highlight_changes=highlight, scope_states=states)
        connection = snapshot.connection
        # Among several scopes each job says whether its own scope is stale (the Scope column);
        # the whole pane is dimmed only when every scope is.
        all_stale = connection.state in (LinkState.STALE, LinkState.AUTH_FAILED) and (
            not snapshot.scopes or all(s.connection.state in (LinkState.STALE, LinkState.AUTH_FAILED)
                                       for s in snapshot.scopes))
        jobs_pane.show_trust(
            stale_since=snapshot.taken_at if all_stale else None,
            empty_reason=empty_jobs_reason(connection),
        )
        job_id = jobs_pane.highlighted_job_id
        writes += detail_pane.show_job(snapshot.job(job_id) if job_id else None, highlight_changes=highlight)
        writes += exports_pane.show_exports(snapshot.exports, self.clock(), highlight_changes=highlight)
        self.last_paint_writes = writes

    def show_job_detail(self, job_id: str | None, *, focus: bool = False) -> None:
        """The highlighted job changed: show its detail (no highlighting, it is not a refresh).
        With ``focus`` (Enter on a job) the focus moves into the detail once its tables are filled:
        before, the pane has nothing to focus and the keys would still move the jobs cursor."""
        panes = self._live_panes()
        if panes is None:
            return  # a message that arrived while the screen is torn down
        detail = panes[1]
        if self.snapshot is None:
            return
        if detail.job is None or detail.job.key != job_id:
            detail.show_job(self.snapshot.job(job_id) if job_id else None, highlight_changes=False)
        if focus:
            self.monitor.show_pane("detail")

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
        title = {"job": "Job", "export": "Export", "readiness": "Cutover readiness",
                 "lag": "Replication lag"}.get(alert.subject, "Comparison")
        self.notify(alert.message, title=title, severity=alert.severity, timeout=10)
        if ring and self.bell_enabled:
            self.bell()

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title not in _TEXTUAL_COMMANDS_LEFT_OUT:
                yield command
        yield from system_commands(self)
