"""The App's header lines and clock: what every screen's status line, go/no-go line and
link bar show, repainted with each Snapshot and once a second; `i` opens the connection's
full story.

A mixin of DrsTuiApp (it uses the App's pollers, newest Snapshots, clock and screens).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from drstui.monitor.scope import Scope
from drstui.monitor.snapshot import Snapshot
from drstui.ui.header import HeaderState, ScopeHeader, StatusLine
from drstui.ui.link_status import ConnectionScreen, LinkBar, details_lines
from drstui.ui.readiness_view import GoNoGoLine, state_of


class HeaderMixin:
    """Header, status lines and the connection details of DrsTuiApp."""

    # Provided by DrsTuiApp.
    received: Snapshot | None
    _latest: dict[Scope, Snapshot]
    clock: Callable[[], datetime]
    multi_scope: bool
    pollers: Any
    profile_label: str
    refresh_seconds: float
    paused: bool
    read_only: bool
    insecure: bool
    slow_poll: bool
    overdue_seconds: float | None
    screen_stack: Any
    screen: Any
    monitor: Any
    _exit: bool

    # -- the connection's full story (i) ---------------------------------------------------
    def action_connection_details(self) -> None:
        """`i`: the full reason, the endpoint, the last good refresh and the next retry."""
        if isinstance(self.screen, ConnectionScreen):
            return
        now = self.clock()
        if not self.multi_scope:
            received = self.received
            self.push_screen(ConnectionScreen(details_lines(
                received.connection if received else None, received.taken_at if received else None, now)))
            return
        lines: list[str] = []
        for poller in self.pollers:  # each scope's own story: one region down is not the others'
            last = self._latest.get(poller.scope)
            if lines:
                lines.append("")
            lines.append(f"── {poller.scope.label} · {poller.scope.region} · {poller.scope.project_id}")
            lines += details_lines(last.connection if last else None, last.taken_at if last else None, now)
        self.push_screen(ConnectionScreen(lines))

    # -- header and clock ------------------------------------------------------------------
    def header_state(self) -> HeaderState:
        snapshot = self.received
        now = self.clock()
        scopes: tuple[ScopeHeader, ...] = ()
        if self.multi_scope:
            scopes = tuple(
                ScopeHeader(p.scope.label, last.connection if last else None,
                            last.age_seconds(now) if last else None)
                for p in self.pollers for last in [self._latest.get(p.scope)]
            )
        return HeaderState(
            scopes=scopes,
            profile=self.profile_label,
            region=snapshot.region if snapshot else "",
            project_id=snapshot.project_id if snapshot else "",
            connection=snapshot.connection if snapshot else None,
            taken_at=snapshot.taken_at if snapshot else None,
            age_seconds=snapshot.age_seconds(now) if snapshot else None,
            refresh_seconds=self.refresh_seconds,
            budget_seconds=self._budget_seconds(),
            paused=self.paused,
            polling=self.slow_poll,
            read_only=self.read_only,
            insecure=self.insecure,
            overdue_seconds=self.overdue_seconds,
        )

    def _budget_seconds(self) -> float | None:
        """The slowest scope's budget interval, when it is what sets the pace."""
        slowest = max((p.budget_interval() for p in self.pollers), default=0.0)
        return slowest if slowest > self.refresh_seconds else None

    def _show_header(self) -> None:
        if self._exit:
            return
        state = self.header_state()
        received = self.received
        verdict = state_of(received)
        for screen in self.screen_stack:
            # Each screen yields its status line itself: no walk of the whole DOM every second.
            for line in screen.query_children(StatusLine):
                line.show(state)
            for go_line in screen.query_children(GoNoGoLine):
                go_line.show(verdict)  # the verdict as received, even under a dialog
            for bar in screen.query_children(LinkBar):
                bar.show(received.connection if received else None,
                         received.taken_at if received else None, self.clock())

    def _tick(self) -> None:
        panes = self._live_panes()
        if panes is None:
            return  # the once-a-second tick can fire while the screen is torn down
        self._show_header()
        if self.screen is self.monitor:
            panes[2].tick(self.clock())
