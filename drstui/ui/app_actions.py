"""The App's key actions: refresh, pause and the interval ladder, the dialogs that change
things (keys c, e, s, x, t), help and the object drill-down.

A mixin of DrsTuiApp (it uses the App's pollers, newest Snapshots, monitor screen and header).
"""

from __future__ import annotations

from typing import Any

from drstui.monitor.scope import Scope
from drstui.monitor.snapshot import LinkState, Snapshot
from drstui.ui.compare_sections import ComparePolicySection
from drstui.ui.dialogs.launch import (
    open_compare_lifecycle,
    open_compare_policy,
    open_create_comparison,
    open_export_report,
    open_sms_export,
)
from drstui.ui.object_detail_screen import ObjectDetailScreen
from drstui.ui.polling import clamp_refresh, next_step


class ActionsMixin:
    """Key actions of DrsTuiApp."""

    # Provided by DrsTuiApp.
    pollers: Any
    _latest: dict[Scope, Snapshot]
    snapshot: Snapshot | None
    paused: bool
    refresh_seconds: float
    selected_job: Any
    screen: Any
    monitor: Any

    # -- actions ---------------------------------------------------------------------------
    def action_refresh_now(self) -> None:
        # After AUTH FAILED the monitor makes no calls (no lock-out loop); an explicit `r` is
        # the user saying "I fixed the password / the clock": allow one more try.
        retried = False
        for poller in self.pollers:
            ask_everything = getattr(poller.source, "ask_about_everything_next", None)
            if ask_everything is not None:
                ask_everything()  # r is "show me now": jobs read less often are read too
            reset_auth = getattr(poller.source, "reset_auth", None)
            last = self._latest.get(poller.scope)
            if reset_auth is not None and last is not None and last.connection.state is LinkState.AUTH_FAILED:
                reset_auth()
                retried = True
        if retried:
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
        for poller in self.pollers:
            if poller.next_poll is not None:  # restart the wait with the new interval
                poller.schedule()
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
        job = self.snapshot.job(job_id) if self.snapshot is not None else None
        if job is not None:
            job_id = job.id  # the key names the scope; the API wants the job's own id
        self.push_screen(
            ObjectDetailScreen(
                self.poller_for(job.scope if job else None).source,
                job_id=job_id,
                job_name=job_name,
                object_type=object_type,
                compare_job_id=compare_job_id,
                header=self.header_state(),
            )
        )
