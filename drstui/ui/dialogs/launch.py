"""What keys c, e and s do: refuse clearly (read-only, no actions, no job), else open the dialog.

The App passes itself as an `ActionHost`: the few things these need, named here so that this
module never imports the App class.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from drstui.ui.dialogs import READ_ONLY_NOTICE

if TYPE_CHECKING:
    from drstui.monitor.actions import Actions
    from drstui.monitor.snapshot import JobView

NO_ACTIONS_NOTICE = "actions are not available with this data source"
NO_JOB_NOTICE = "select a job in the jobs pane first"


class ActionHost(Protocol):
    actions: Any
    read_only: bool
    clock: Callable[[], datetime]

    @property
    def selected_job(self) -> JobView | None: ...

    def notify(self, message: str, *, title: str = "", severity: Any = "information",
               timeout: float | None = None, markup: bool = True) -> None: ...

    def push_screen(self, screen: Any, callback: Any = None) -> Any: ...

    def show_pane(self, name: str) -> None: ...


def actions_or_refuse(app: ActionHost, what: str) -> Actions | None:
    """The Actions to use, or None after telling the user why not."""
    actions = app.actions
    if app.read_only or (actions is not None and actions.read_only):
        app.notify(f"{READ_ONLY_NOTICE} ({what} is not allowed; start without --read-only)",
                   title="READ-ONLY", severity="warning")
        return None
    if actions is None:
        app.notify(NO_ACTIONS_NOTICE, severity="warning")
        return None
    return actions


def open_create_comparison(app: ActionHost) -> None:
    from drstui.ui.dialogs.create_comparison import CreateComparisonScreen

    actions = actions_or_refuse(app, "creating a comparison")
    if actions is None:
        return
    job = app.selected_job
    if job is None:
        app.notify(NO_JOB_NOTICE, severity="warning")
        return
    # Opens even when the job cannot be compared: the form says why and Send stays disabled.
    app.push_screen(CreateComparisonScreen(job, actions, clock=app.clock))


def open_export_report(app: ActionHost) -> None:
    from drstui.ui.dialogs.export_report import ExportReportScreen

    actions = actions_or_refuse(app, "exporting a comparison report")
    if actions is None:
        return
    job = app.selected_job
    if job is None:
        app.notify(NO_JOB_NOTICE, severity="warning")
        return

    def shown(record: object) -> None:
        if record is not None:
            app.show_pane("exports")

    app.push_screen(ExportReportScreen(job, actions), callback=shown)


def open_sms_export(app: ActionHost) -> None:
    from drstui.ui.dialogs.sms_export import SmsExportScreen

    actions = actions_or_refuse(app, "exporting SMS consistency results")
    if actions is None:
        return
    app.push_screen(SmsExportScreen(actions))


def _highlighted_comparison(app: DrsTuiApp) -> str | None:
    """The comparison under the cursor of the detail pane's data table, if any."""
    from drstui.ui.detail_pane import DataCompareTable

    try:
        key = app.monitor.detail_pane.query_one(DataCompareTable).cursor_key
    except Exception:  # noqa: BLE001 - no table yet: no preference
        return None
    return key.split("/", 1)[0] if key else None


def open_compare_lifecycle(app: DrsTuiApp) -> None:
    from drstui.ui.dialogs.compare_lifecycle import CompareLifecycleScreen

    actions = actions_or_refuse(app, "cancelling, pausing or restarting a comparison")
    if actions is None:
        return
    job = app.selected_job
    if job is None:
        app.notify(NO_JOB_NOTICE, severity="warning")
        return
    if job.is_parent:
        app.notify(f"{job.name} is a multi-task parent: select one of its child jobs "
                   f"({', '.join(job.child_names)})", severity="warning")
        return
    app.push_screen(CompareLifecycleScreen(job, actions, compare_job_id=_highlighted_comparison(app)))
