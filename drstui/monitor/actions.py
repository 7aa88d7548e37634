"""What the user can *do* (create a comparison, export results), validated before anything is
sent, then followed by an immediate refresh request so the screen shows the effect.

Every refusal is an ExportRefused/ActionRefused (both MonitorError) with one clear line; the
UI shows it as-is. Read-only mode refuses everything.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# What the confirmation shows (method, path, headers, body) uses the API layer's own paths,
# types and limits: the requests are the API's, the preview names them from there.
from drstui.api.drs import CREATE_COMPARE_PATH, RESULT_FILE_PATH as DRS_EXPORT_PATH
from drstui.api.drs import REPORT_TYPES as EXPORT_COMPARE_TYPES
from drstui.api.models import CreateCompareTaskRequest, CreateCompareTaskResult, SmsExportItem
from drstui.api.sms import EXPORT_BATCH_MAX as SMS_CALL_MAX, EXPORT_PATH as SMS_EXPORT_PATH
from drstui.api.transport import SMS_EXPORT_CONTENT_TYPE
from drstui.monitor import reasons
from drstui.monitor.action_types import JSON_CONTENT_TYPE, READ_ONLY_MESSAGE, ActionRefused, RequestPreview
from drstui.monitor.compare_actions import CompareLifecycleActions
from drstui.monitor.exports import ExportRefused, ExportTracker, drs_key, sms_key
from drstui.monitor.snapshot import ExportRecord
from drstui.monitor.errors import OutcomeUnknown, outcome_unknown
from drstui.monitor.source import MonitorError
from drstui.text import short_id


@dataclass(frozen=True)
class SmsTaskChoice:
    """One SMS migration task as the batch-export dialog lists it."""

    task_id: str
    task_name: str
    state: str
    source_id: str
    source_name: str
    has_result: bool | None  # None: the source list did not say
    item: SmsExportItem | None  # None: the task lacks the ids an export needs


@dataclass(frozen=True)
class CompareObjects:
    """Databases (and the tables known for them) of a job, for the create-comparison picker."""

    databases: tuple[str, ...]
    tables: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (db, tables) where known
    origin: str = ""  # where the names came from, or why there are none


def sms_call_count(selected: int) -> int:
    """Export calls needed for this many tasks (at most 200 a call)."""
    return -(-selected // SMS_CALL_MAX) if selected > 0 else 0


class Actions(CompareLifecycleActions):
    """Create comparisons and start exports on behalf of the UI (or the CLI); cancel, pause
    and restart comparisons and change the compare policy (the mixin).

    `monitor` supplies the last Snapshot (for validation) and `request_refresh()`.
    """

    def __init__(self, cloud: Any, monitor: Any, exports: ExportTracker, *, read_only: bool = False) -> None:
        self._cloud = cloud
        self._monitor = monitor
        self._exports = exports
        self.read_only = read_only
        self._creating: set[str] = set()  # jobs with a create-compare-task call in flight
        self._operating: set[str] = set()  # job/comparison pairs with a lifecycle call in flight
        self._policy_sending: set[str] = set()
        self.paused_comparisons: set[str] = set()  # paused by drstui (the API does not say)
        # Jobs whose last create's answer was lost -> when the data then on screen was fetched.
        self._unknown_creates: dict[str, Any] = {}

    @property
    def download_dir(self) -> Any:
        """Where reports and SMS exports are saved."""
        return self._exports.download_dir

    # -- create comparison ----------------------------------------------------------------------
    def check_comparison(self, request: CreateCompareTaskRequest) -> None:
        """Raise ActionRefused with the reason if this request must not be sent."""
        self._refuse_if_read_only("creating a comparison")
        self._validate_comparison(request)
        if request.job_id in self._creating:
            raise ActionRefused(
                f"a comparison for {self._job(request.job_id).name} is already being created; "
                "wait for its answer"
            )
        if request.job_id in self._unknown_creates:
            if self._monitor.snapshot.taken_at == self._unknown_creates[request.job_id]:
                raise ActionRefused(
                    f"the last comparison sent for {self._job(request.job_id).name} may have been "
                    "created (its answer was lost): wait for the next refresh to see it in the "
                    "list before sending another"
                )
            del self._unknown_creates[request.job_id]

    def preview_comparison(self, request: CreateCompareTaskRequest) -> RequestPreview:
        return RequestPreview(
            "POST",
            CREATE_COMPARE_PATH.format(project_id=self._project_id()),
            (("Content-Type", JSON_CONTENT_TYPE),),
            request.to_json(),
        )

    async def create_comparison(self, request: CreateCompareTaskRequest) -> CreateCompareTaskResult:
        """Create object- and/or data-level comparisons for one job (docs/api/drs.md §5.1).

        Never sent twice at once for the same job: a second call while one is in flight is
        refused."""
        self.check_comparison(request)
        self._creating.add(request.job_id)  # claimed before the first await
        try:
            result = await self._cloud.drs.create_compare_task(request)
        except Exception as error:
            if outcome_unknown(error):
                self._unknown_creates[request.job_id] = self._monitor.snapshot.taken_at
                raise OutcomeUnknown(
                    f"outcome unknown: the request may have reached DRS but its answer was lost "
                    f"({reasons.describe(error)}); do not send it again: the next refresh shows "
                    "the new comparison if it was created"
                ) from None
            raise MonitorError(f"comparison not created: {reasons.describe(error)}") from None
        finally:
            self._creating.discard(request.job_id)
            self._monitor.request_refresh()
        return result

    async def list_compare_objects(self, job_id: str) -> CompareObjects:
        """Databases of a job as its latest row (else value) comparison lists them, with the
        tables the last refresh saw; empty (with the reason) when the job has none yet."""
        job = self._job(job_id)
        candidates = [dc for dc in job.data_comparisons if dc.compare_type in ("lines", "contents")]
        if not candidates:
            return CompareObjects((), (), "no row or value comparison yet: type the names")
        latest = next((dc for dc in candidates if dc.compare_type == "lines"), candidates[0])
        try:
            if latest.compare_type == "lines":
                overview = await self._cloud.drs.line_compare_overview(job_id, latest.id)
            else:
                overview = await self._cloud.drs.content_compare_overview(job_id, latest.id)
        except Exception as error:
            raise MonitorError(f"databases not listed: {reasons.describe(error)}") from None
        databases = tuple(dict.fromkeys(row.source_db for row in overview.rows if row.source_db))
        tables: dict[str, list[str]] = {}
        for dc in candidates:
            for table in dc.tables:
                if table.source_db and table.source_table:
                    names = tables.setdefault(table.source_db, [])
                    if table.source_table not in names:
                        names.append(table.source_table)
        origin = f"from the {latest.compare_type} comparison {short_id(latest.id)}"
        return CompareObjects(
            databases,
            tuple((db, tuple(sorted(names))) for db, names in sorted(tables.items())),
            origin,
        )

    # -- DRS report export ----------------------------------------------------------------------
    def check_drs_export(self, job_id: str, compare_type: str, compare_job_id: str | None = None) -> None:
        """Raise ActionRefused/ExportRefused with the reason if this export must not start."""
        self._refuse_if_read_only("exporting a comparison report")
        self._job(job_id)  # a job we know about
        if compare_type not in EXPORT_COMPARE_TYPES:
            raise ExportRefused(f"compare type must be one of {', '.join(EXPORT_COMPARE_TYPES)}")
        if compare_type != "objects_comparison" and not compare_job_id:
            raise ExportRefused(f"a {compare_type} export needs the comparison's id")
        self._exports.refuse_if_running(drs_key(job_id, compare_type, compare_job_id))

    def preview_drs_export(
        self, job_id: str, compare_type: str, compare_job_id: str | None = None
    ) -> RequestPreview:
        body: dict[str, Any] = {"compare_type": compare_type}
        if compare_job_id:
            body["compare_job_id"] = compare_job_id
        if self._exports.time_zone:
            body["time_zone"] = self._exports.time_zone
        return RequestPreview(
            "POST",
            DRS_EXPORT_PATH.format(project_id=self._project_id(), job_id=job_id),
            (("Region", self._exports.region), ("Content-Type", JSON_CONTENT_TYPE)),
            body,
        )

    async def start_drs_export(
        self, job_id: str, compare_type: str, compare_job_id: str | None = None
    ) -> ExportRecord:
        """Start generating a comparison report; it is downloaded once ready."""
        self.check_drs_export(job_id, compare_type, compare_job_id)
        try:
            return await self._exports.start_drs(job_id, compare_type, compare_job_id)
        finally:
            self._monitor.request_refresh()

    # -- SMS batch export -----------------------------------------------------------------------
    async def list_sms_tasks(self) -> tuple[SmsTaskChoice, ...]:
        """SMS migration tasks with their source server and whether a consistency result exists
        (GET /v3/tasks, and GET /v3/sources?is_consistency_result_exist=true)."""
        try:
            tasks = await self._cloud.sms.list_all_tasks()
            with_result = await self._cloud.sms.list_all_sources(is_consistency_result_exist=True)
        except Exception as error:
            raise MonitorError(f"SMS tasks not listed: {reasons.describe(error)}") from None
        sources_with_result = {source.id for source in with_result if source.id}
        choices = []
        for task in tasks:
            source = task.source_server
            source_id = (source.id if source else None) or ""
            choices.append(
                SmsTaskChoice(
                    task_id=task.id or "",
                    task_name=task.name or "",
                    state=task.state or "",
                    source_id=source_id,
                    source_name=(source.name if source else None) or "",
                    has_result=(source_id in sources_with_result) if source_id else None,
                    item=task.export_item(),
                )
            )
        return tuple(choices)

    def check_sms_export(self, items: Sequence[Any]) -> None:
        self._refuse_if_read_only("exporting SMS consistency results")
        if not items:
            raise ExportRefused("select at least one SMS task to export")
        task_ids = [getattr(item, "task_id", None) for item in items]
        if len(set(task_ids)) != len(task_ids):
            raise ExportRefused("the selection lists a task more than once")
        self._exports.refuse_if_running(sms_key(items))

    def preview_sms_export(self, items: Sequence[SmsExportItem]) -> tuple[RequestPreview, ...]:
        """One preview per export call (at most 200 tasks each), as the API layer splits them."""
        calls = [list(items[i : i + SMS_CALL_MAX]) for i in range(0, len(items), SMS_CALL_MAX)]
        return tuple(
            RequestPreview(
                "POST",
                SMS_EXPORT_PATH,
                (("Content-Type", SMS_EXPORT_CONTENT_TYPE),),
                {"task_info": [item.to_json() for item in call]},
                label=f"call {index} of {len(calls)} ({len(call)} task{'s' if len(call) != 1 else ''})",
            )
            for index, call in enumerate(calls, start=1)
        )

    async def run_sms_export(self, items: Sequence[Any]) -> ExportRecord:
        """Export SMS consistency results; more than 200 tasks are sent in calls of 200."""
        self.check_sms_export(items)
        try:
            return await self._exports.run_sms(items)
        finally:
            self._monitor.request_refresh()

    # -- validation -----------------------------------------------------------------------------
    def _refuse_if_read_only(self, what: str) -> None:
        if self.read_only:
            raise ActionRefused(READ_ONLY_MESSAGE.format(what=what))

    def _project_id(self) -> str:
        return self._monitor.snapshot.project_id or "{project_id}"

    def _job(self, job_id: str) -> Any:
        job = self._monitor.snapshot.job(job_id)
        if job is None:
            raise ActionRefused(f"job {job_id} is not in the last refresh; refresh and try again")
        return job

    def _validate_comparison(self, request: CreateCompareTaskRequest) -> None:
        job = self._job(request.job_id)
        if job.is_parent:
            children = ", ".join(job.child_names) or "its child jobs"
            raise ActionRefused(
                f"{job.name} is a multi-task parent: comparisons are created on its child jobs ({children})"
            )
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
