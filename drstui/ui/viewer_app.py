"""The browser view's app: the monitor with every action removed.

A viewer in the war room watches; it never creates a comparison, exports a report or batches
SMS results. The keys c, e and s are gone (not bound, not in the footer, not in the palette),
the header says READ-ONLY, and the app holds no Actions object, so even a dialog opened some
other way would have nothing to send with.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import SystemCommand
from textual.screen import Screen

from drstui.monitor.source import MonitorSource
from drstui.ui.app import DrsTuiApp
from drstui.ui.monitor_screen import CHANGING_ACTIONS

# The app actions that change something in the cloud (keys c, e, s).
_CHANGING_COMMANDS = frozenset({
    "Create comparison", "Export comparison report", "Export SMS consistency results",
    "Cancel, pause or restart a comparison", "Edit scheduled comparisons",
})


class ViewerApp(DrsTuiApp):
    """DrsTuiApp for `drstui serve`: read-only, without action keys or commands."""

    TITLE = "drstui (read-only view)"

    def __init__(self, source: MonitorSource | None = None, *, notice: str | None = None, **options: object) -> None:
        options.pop("actions", None)
        options.pop("read_only", None)
        super().__init__(source, read_only=True, actions=None, **options)  # type: ignore[arg-type]
        self.notice = notice  # e.g. "served on 0.0.0.0: anyone who reaches the port sees this"

    def on_mount(self) -> None:
        if self.notice:
            self.notify(self.notice, title="Shared view", severity="warning", timeout=30)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides the binding from the footer and refuses the key.
        if action in CHANGING_ACTIONS:
            return False
        return super().check_action(action, parameters)

    def action_create_comparison(self) -> None:
        """Not available in the browser view."""

    def action_export_report(self) -> None:
        """Not available in the browser view."""

    def action_sms_export(self) -> None:
        """Not available in the browser view."""

    def action_compare_lifecycle(self) -> None:
        """Not available in the browser view."""

    def action_compare_policy(self) -> None:
        """Not available in the browser view."""

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            if command.title not in _CHANGING_COMMANDS:
                yield command
