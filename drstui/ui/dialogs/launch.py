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
    from drstui.monitor.snapshot import DataComparison, JobView, TableRow

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


def actions_and_job(app: ActionHost, what: str) -> tuple[Actions, JobView] | None:
    """The Actions and the highlighted job, or None after telling the user why not."""
    actions = actions_or_refuse(app, what)
    if actions is None:
        return None
    job = app.selected_job
    if job is None:
        app.notify(NO_JOB_NOTICE, severity="warning")
        return None
    return actions, job


def open_create_comparison(app: ActionHost) -> None:
    from drstui.ui.dialogs.create_comparison import CreateComparisonScreen

    chosen = actions_and_job(app, "creating a comparison")
    if chosen is None:
        return
    actions, job = chosen
    if job.is_parent:
        open_child_picker(app, job, lambda child: app.push_screen(
            CreateComparisonScreen(child, actions, clock=app.clock)))
        return
    # Opens even when the job cannot be compared: the form says why and Send stays disabled.
    app.push_screen(CreateComparisonScreen(job, actions, clock=app.clock))


def open_child_picker(app: ActionHost, parent: JobView, then: Callable[[JobView], object]) -> None:
    """Offer the children of a multi-task parent; `then(child)` with the one chosen."""
    from drstui.ui.dialogs.child_picker import ChildPickerScreen

    snapshot = getattr(app, "snapshot", None)
    children = [c for c in (snapshot.job(i) if snapshot else None for i in parent.child_ids) if c is not None]
    if not children:
        app.notify(f"{parent.name} is a multi-task parent and none of its child jobs is listed",
                   severity="warning")
        return

    def chosen(child_id: str | None) -> None:
        child = next((c for c in children if c.id == child_id), None)
        if child is not None:
            then(child)

    app.push_screen(ChildPickerScreen(parent, children), callback=chosen)


def open_export_report(app: ActionHost) -> None:
    from drstui.ui.dialogs.export_report import ExportReportScreen

    chosen = actions_and_job(app, "exporting a comparison report")
    if chosen is None:
        return
    actions, job = chosen

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


def open_compare_lifecycle(app: ActionHost, compare_job_id: str | None = None) -> None:
    """Key x; `compare_job_id`: the comparison under the detail pane's cursor, if any."""
    from drstui.ui.dialogs.compare_lifecycle import CompareLifecycleScreen

    chosen = actions_and_job(app, "cancelling, pausing or restarting a comparison")
    if chosen is None:
        return
    actions, job = chosen
    if job.is_parent:
        app.notify(f"{job.name} is a multi-task parent: select one of its child jobs "
                   f"({', '.join(job.child_names)})", severity="warning")
        return
    app.push_screen(CompareLifecycleScreen(job, actions, compare_job_id=compare_job_id))


def open_differences(app: ActionHost, job: JobView, comparison: DataComparison, table: TableRow, *,
                     reader: Any, header: Any) -> None:
    """Enter on a table of a data comparison: its differing rows, or why they cannot be shown.
    `reader`: the source's DifferenceReader (None: this source has none)."""
    from drstui.monitor.snapshot import TypeResult
    from drstui.ui.differences_screen import DifferencesScreen

    name = f"{table.source_db}.{table.source_table}"
    if comparison.compare_type != "contents":
        app.notify(f"{name}: differing rows are listed for value (contents) comparisons only; "
                   "create one with c", timeout=6)
        return
    if table.result is not TypeResult.INCONSISTENT:
        app.notify(f"{name} is not inconsistent in this comparison: no differing rows to show", timeout=5)
        return
    if reader is None or not table.source_db or not table.source_table:
        app.notify("differing rows are not available with this data source", severity="warning")
        return
    actions = app.actions
    download_dir = getattr(actions, "download_dir", None) if actions is not None else None
    app.push_screen(DifferencesScreen(
        reader, job_id=job.id, job_name=job.name, compare_job_id=comparison.id, db_name=table.source_db,
        table_name=table.source_table, header=header, download_dir=download_dir))


def open_compare_policy(app: ActionHost, policy: Any, on_saved: Callable[[], None]) -> None:
    """Key t: edit the highlighted job's compare policy (`policy`: the one last read, or None)."""
    from drstui.ui.dialogs.compare_policy import ComparePolicyScreen

    chosen = actions_and_job(app, "changing the compare policy")
    if chosen is None:
        return
    actions, job = chosen
    if job.is_parent:
        app.notify(f"{job.name} is a multi-task parent: set the policy on its child jobs "
                   f"({', '.join(job.child_names)})", severity="warning")
        return
    if policy is not None and not policy.supported:
        app.notify(f"{job.name}: scheduled comparisons are not supported for this job", severity="warning")
        return

    def saved(result: object) -> None:
        if result is not None:
            on_saved()

    app.push_screen(ComparePolicyScreen(job, actions, policy), callback=saved)
