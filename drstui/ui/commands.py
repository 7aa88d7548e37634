"""The App's entries in the command palette (ctrl+p): every action has one."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.app import SystemCommand


def system_commands(app: Any) -> Iterable[SystemCommand]:
    """`app` is the DrsTuiApp (not imported: it imports this module)."""
    yield SystemCommand("Refresh now", "Poll the API once, now", app.action_refresh_now)
    yield SystemCommand(
        "Resume refresh" if app.paused else "Pause refresh",
        "Stop or restart automatic refresh (the data age keeps counting)",
        app.action_toggle_pause,
    )
    yield SystemCommand("Refresh less often", "Longer refresh interval (+)", app.action_slower)
    yield SystemCommand("Refresh more often", "Shorter refresh interval (-)", app.action_faster)
    monitor = app.monitor
    yield SystemCommand("Show jobs", "Jobs pane (1)", lambda: monitor.show_pane("jobs"))
    yield SystemCommand("Show comparison detail", "Detail of the highlighted job (2)", lambda: monitor.show_pane("detail"))
    yield SystemCommand("Show exports", "Exports pane (3)", lambda: monitor.show_pane("exports"))
    yield SystemCommand("Filter jobs", "Filter by name, id, engine, status (/)", monitor.action_filter)
    yield SystemCommand("Cycle job sort order", "Severity, name, status (o)", monitor.action_cycle_sort)
    yield SystemCommand("Show events", "Transitions this session and earlier today, cutover log (v)",
                        app.action_events)
    yield SystemCommand("Jump to last alert", "Select the job that alerted last and show it (j)",
                        app.action_jump_to_alert)
    yield SystemCommand("Turn bell off" if app.bell_enabled else "Turn bell on",
                        "Ring the terminal bell on alerts (b)", app.action_toggle_bell)
    yield SystemCommand("Create comparison", "Object- and/or data-level, for the highlighted job (c)", app.action_create_comparison)
    yield SystemCommand("Export comparison report", "Generate and download a report of the highlighted job (e)", app.action_export_report)
    yield SystemCommand("Cancel, pause or restart a comparison",
                        "A running comparison of the highlighted job (x)", app.action_compare_lifecycle)
    yield SystemCommand("Edit scheduled comparisons", "The compare policy of the highlighted job (t)",
                        app.action_compare_policy)
    yield SystemCommand("Export SMS consistency results", "Batch export for many SMS tasks (s)", app.action_sms_export)
    yield SystemCommand("Connection details", "Full reason, endpoint, last good refresh, next retry (i)",
                        app.action_connection_details)
    yield SystemCommand("Keys", "List every key (?)", app.action_help)
