"""The App's alerts, events view and trend: what it does with each refresh's transitions.

A mixin of DrsTuiApp (it uses the App's monitor screen, snapshot, pollers and notify): the
transitions of each refresh (the source's own, those it wrote to the cutover log, or
`changes.transitions` when it keeps none) go to the events history and the events view (`v`);
those alerts.alerts_for picks go to `alert()`: notification, bell (`b`), and `j` jumps to the
last one. Among several scopes a transition's job is known by (scope, id).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from drstui.monitor.changes import transitions
from drstui.monitor.scope import Scope, scoped_key
from drstui.monitor.snapshot import Snapshot
from drstui.monitor.transition import Transition
from drstui.ui.alerts import MAX_ALERT_TOASTS, NARROW_ALERT_TOASTS, alerts_for, toasts_for
from drstui.ui.differences_screen import DifferencesScreen
from drstui.ui.events_screen import EventsScreen, show_in_open_screens
from drstui.ui.formatting import one_line
from drstui.ui.help_screen import HelpScreen
from drstui.ui.object_detail_screen import ObjectDetailScreen


class EventsMixin:
    """Alerts, events and trends of DrsTuiApp."""

    # Provided by DrsTuiApp.
    event_history: Any
    last_alert: Any
    multi_scope: bool
    bell_enabled: bool
    source: Any
    snapshot: Snapshot | None
    received: Snapshot | None
    screen_stack: Any
    screen: Any
    monitor: Any

    # -- alerts, events, trend --------------------------------------------------------------
    def _start_history(self) -> None:
        """Earlier events from today's cutover log; the detail pane asks the source for trends."""
        earlier = getattr(self.source, "events", None)
        if callable(earlier):
            try:
                self.event_history.add(earlier(self.event_history.maxlen), earlier=True)
            except Exception as error:  # noqa: BLE001 - an unreadable log must not stop the monitor
                self.notify(one_line(f"cutover log not read: {error}", 120), severity="warning")
        if self.multi_scope:
            self.monitor.detail_pane.trend_series = self._trend_series
        else:
            self.monitor.detail_pane.trend_series = getattr(self.source, "trend_series", None)
        self.monitor.detail_pane.read_policies_with(
            lambda job: getattr(self.poller_for(job.scope).source, "compare_policies", None))

    def _trend_series(self, key: str) -> Sequence[int]:
        """The trend of the job known by `key`, from its own scope's source."""
        job = self.snapshot.job(key) if self.snapshot is not None else None
        series = getattr(self.poller_for(job.scope).source, "trend_series", None) if job else None
        return series(job.id) if callable(series) and job is not None else ()

    def _take_transitions(self, previous: Snapshot | None, snapshot: Snapshot) -> None:
        # The source's own transitions are those in its cutover log; a source without them
        # (or a Snapshot the app made after a failed poll) gets the same function applied here.
        own = getattr(self.source, "transitions_for", None)
        theirs = own(snapshot) if callable(own) else None
        found: list[Transition] = list(theirs) if theirs is not None else transitions(previous, snapshot)
        self._take_found(found, snapshot, baseline=previous is None)

    def job_key(self, scope: Scope | None, job_id: str | None) -> str | None:
        """How a transition's job is known on screen: its id, or (scope, id) among several."""
        if job_id is None:
            return None
        return scoped_key(scope, job_id) if self.multi_scope and scope is not None else job_id

    def _take_found(self, found: Sequence[Transition], snapshot: Snapshot, *, baseline: bool) -> None:
        if not found:
            return
        self.event_history.add(found)
        show_in_open_screens(self.screen_stack, *self._log_state())
        if baseline:
            return  # the first Snapshot is the baseline: its state is on screen, not news
        alerts = alerts_for(found, snapshot, key_of=self.job_key)
        narrow = 0 < self.size.width < 100
        shown, more = toasts_for(alerts, NARROW_ALERT_TOASTS if narrow else MAX_ALERT_TOASTS)
        for alert in shown:
            self.alert(alert, ring=False)
        if more:
            self.notify(f"+{more} more alerts: v shows every event", title="Alerts", severity="warning",
                        timeout=10)
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
