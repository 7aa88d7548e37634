"""What the user can *do* (create a comparison, export results), validated before anything is
sent, then followed by an immediate refresh request so the screen shows the effect.

Every refusal is an ExportRefused/ActionRefused (both MonitorError) with one clear line; the
UI shows it as-is. Read-only mode refuses everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from drstui.api.models import CreateCompareTaskRequest, CreateCompareTaskResult
from drstui.monitor import reasons
from drstui.monitor.exports import ExportRefused, ExportTracker
from drstui.monitor.snapshot import ExportRecord
from drstui.monitor.source import MonitorError

READ_ONLY_MESSAGE = "drstui is in read-only mode: {what} is disabled (start without --read-only to allow it)"


class ActionRefused(MonitorError):
    """An action that was not sent because it would be refused or is not allowed."""


class Actions:
    """Create comparisons and start exports on behalf of the UI (or the CLI).

    `monitor` supplies the last Snapshot (for validation) and `request_refresh()`.
    """

    def __init__(self, cloud: Any, monitor: Any, exports: ExportTracker, *, read_only: bool = False) -> None:
        self._cloud = cloud
        self._monitor = monitor
        self._exports = exports
        self.read_only = read_only

    async def create_comparison(self, request: CreateCompareTaskRequest) -> CreateCompareTaskResult:
        """Create object- and/or data-level comparisons for one job (drs.md §5.1)."""
        self._refuse_if_read_only("creating a comparison")
        self._validate_comparison(request)
        try:
            result = await self._cloud.drs.create_compare_task(request)
        except Exception as error:
            raise MonitorError(f"comparison not created: {reasons.describe(error)}") from None
        finally:
            self._monitor.request_refresh()
        return result

    async def start_drs_export(
        self, job_id: str, compare_type: str, compare_job_id: str | None = None
    ) -> ExportRecord:
        """Start generating a comparison report; it is downloaded once ready."""
        self._refuse_if_read_only("exporting a comparison report")
        self._job(job_id)  # a job we know about
        if compare_type != "objects_comparison" and not compare_job_id:
            raise ExportRefused(f"a {compare_type} export needs the comparison's id")
        try:
            return await self._exports.start_drs(job_id, compare_type, compare_job_id)
        finally:
            self._monitor.request_refresh()

    async def run_sms_export(self, items: Sequence[Any]) -> ExportRecord:
        """Export SMS consistency results; more than 200 tasks are sent in calls of 200."""
        self._refuse_if_read_only("exporting SMS consistency results")
        if not items:
            raise ExportRefused("select at least one SMS task to export")
        task_ids = [getattr(item, "task_id", None) for item in items]
        if len(set(task_ids)) != len(task_ids):
            raise ExportRefused("the selection lists a task more than once")
        try:
            return await self._exports.run_sms(items)
        finally:
            self._monitor.request_refresh()

    # -- validation -----------------------------------------------------------------------------
    def _refuse_if_read_only(self, what: str) -> None:
        if self.read_only:
            raise ActionRefused(READ_ONLY_MESSAGE.format(what=what))

    def _job(self, job_id: str) -> Any:
        job = self._monitor.snapshot.job(job_id)
        if job is None:
            raise ActionRefused(f"job {job_id} is not in the last refresh; refresh and try again")
        return job

    def _validate_comparison(self, request: CreateCompareTaskRequest) -> None:
        job = self._job(request.job_id)
        if not job.can_compare:
            raise ActionRefused(
                f"{job.name} is {job.status}: comparisons can only be created while incremental "
                "transfer runs (INCRE_TRANSFER_STARTED)"
            )
        data = request.data_level
        if not request.object_level and data is None:
            raise ActionRefused("choose an object-level comparison, a data-level one, or both")
        if request.object_level and data is not None and data.compare_type == "contents":
            raise ActionRefused(
                "an object-level comparison and a value (contents) comparison cannot run at the "
                "same time: create them one after the other"
            )
