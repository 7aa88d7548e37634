"""DRS response/request models (drs.md §5, §6). Raw enum values are kept as strings;
use the `*_enum`/`result` properties for typed access."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from ._parse import Reader
from .base import Model, extra_field
from .enums import (
    CompareResult,
    CompareStatus,
    ExportStatus,
    JobStatusValue,
    ObjectResult,
    content_phase_text,
    row_status_text,
    split_types,
)

# ---------------------------------------------------------------------------------------------
# Jobs
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobAction(Model):
    available_actions: tuple[str, ...] = ()
    unavailable_actions: tuple[str, ...] = ()
    current_action: str | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> JobAction:
        return cls(r.strs("available_actions"), r.strs("unavailable_actions"),
                   r.str("current_action"), extra=r.extra())


@dataclass(frozen=True)
class Job(Model):
    """One DRS job from the v5 list (JobListResp) or the v3 list (JobInfo)."""

    id: str | None
    name: str | None = None
    status: str | None = None
    description: str | None = None
    create_time: datetime | None = None
    create_time_raw: str | None = None
    engine_type: str | None = None
    net_type: str | None = None
    charging_mode: str | None = None
    billing_tag: bool | None = None
    job_direction: str | None = None
    job_type: str | None = None  # v5 job_type / v3 db_use_type
    task_type: str | None = None
    enterprise_project_id: str | None = None
    job_mode: str | None = None
    job_mode_role: str | None = None
    is_multi_az: bool | None = None
    node_role: str | None = None
    node_new_framework: bool | None = None  # v5 node_new_framework / v3 node_newFramework
    job_action: JobAction | None = None
    children: tuple[Job, ...] = ()
    error_msg: str | None = None  # v3 children carry one
    extra: dict[str, Any] = extra_field()

    @property
    def status_enum(self) -> JobStatusValue:
        return JobStatusValue.parse(self.status)

    @property
    def can_compare(self) -> bool:
        return self.status_enum.can_compare

    @classmethod
    def _read(cls, r: Reader) -> Job:
        created, created_raw = r.time("create_time")
        job_type = r.str("job_type")
        db_use_type = r.str("db_use_type")
        new_fw = r.bool("node_new_framework")
        new_fw_v3 = r.bool("node_newFramework")
        return cls(
            id=r.str("id"),
            name=r.str("name"),
            status=r.str("status"),
            description=r.str("description"),
            create_time=created,
            create_time_raw=created_raw,
            engine_type=r.str("engine_type"),
            net_type=r.str("net_type"),
            charging_mode=r.str("charging_mode"),
            billing_tag=r.bool("billing_tag"),
            job_direction=r.str("job_direction"),
            job_type=job_type if job_type is not None else db_use_type,
            task_type=r.str("task_type"),
            enterprise_project_id=r.str("enterprise_project_id"),
            job_mode=r.str("job_mode"),
            job_mode_role=r.str("job_mode_role"),
            is_multi_az=r.bool("is_multi_az"),
            node_role=r.str("node_role"),
            node_new_framework=new_fw if new_fw is not None else new_fw_v3,
            job_action=r.obj_("job_action", JobAction._read),
            children=r.objs("children", Job._read),
            error_msg=r.str("error_msg"),
            extra=r.extra(),
        )


@dataclass(frozen=True)
class JobList(Model):
    """A page of jobs; `total` is the match count ignoring paging (v5 total_count, v3 total_record)."""

    total: int | None
    jobs: tuple[Job, ...]
    api_version: str = "v5"
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> JobList:
        total = r.int("total_count")
        total_v3 = r.int("total_record")
        version = "v3" if total is None and total_v3 is not None else "v5"
        return cls(total if total is not None else total_v3, r.objs("jobs", Job._read),
                   version, extra=r.extra())


@dataclass(frozen=True)
class JobEndpoint(Model):
    """Main fields of a source/target endpoint in the v5 job detail."""

    db_type: str | None = None
    endpoint_type: str | None = None
    endpoint_role: str | None = None
    ip: str | None = None
    db_port: str | None = None
    db_name: str | None = None
    instance_id: str | None = None
    instance_name: str | None = None
    region: str | None = None
    endpoint: dict[str, Any] | None = None
    cloud: dict[str, Any] | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> JobEndpoint:
        inner = r.obj_("endpoint", lambda e: e)
        cloud = r.obj_("cloud", lambda c: c)
        return cls(
            db_type=r.str("db_type"),
            endpoint_type=r.str("endpoint_type"),
            endpoint_role=r.str("endpoint_role"),
            ip=inner.str("ip") if inner else None,
            db_port=inner.str("db_port") if inner else None,
            db_name=inner.str("db_name") if inner else None,
            instance_id=inner.str("instance_id") if inner else None,
            instance_name=inner.str("instance_name") if inner else None,
            region=cloud.str("region") if cloud else None,
            endpoint=dict(inner.obj) if inner else None,
            cloud=dict(cloud.obj) if cloud else None,
            extra=r.extra(),
        )


@dataclass(frozen=True)
class JobProgress(Model):
    """`progress_info` of the v5 job detail. The SDK declares progress and delays as strings:
    read leniently (a value that is not a number is None, not a failed job detail)."""

    progress: float | None = None
    incr_trans_delay: float | None = None
    incr_trans_delay_millis: float | None = None
    task_mode: str | None = None
    transfer_status: str | None = None
    process_time: str | None = None
    remaining_time: str | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> JobProgress:
        return cls(r.number("progress"), r.number("incr_trans_delay"),
                   r.number("incr_trans_delay_millis"), r.str("task_mode"),
                   r.str("transfer_status"), r.str("process_time"), r.str("remaining_time"),
                   extra=r.extra())


@dataclass(frozen=True)
class JobDetail(Model):
    """Main fields of the v5 job detail (`{"job": {...}}`; a bare job object is accepted)."""

    id: str | None
    status: str | None = None
    create_time: datetime | None = None
    create_time_raw: str | None = None
    name: str | None = None
    job_type: str | None = None
    engine_type: str | None = None
    job_direction: str | None = None
    task_type: str | None = None
    net_type: str | None = None
    charging_mode: str | None = None
    enterprise_project_id: str | None = None
    description: str | None = None
    tags: tuple[tuple[str, str], ...] = ()
    source_endpoints: tuple[JobEndpoint, ...] = ()
    target_endpoints: tuple[JobEndpoint, ...] = ()
    progress: JobProgress | None = None
    sync_mode: str | None = None
    task_version: str | None = None
    compare_result: dict[str, Any] | None = None  # type=compare; free-form, large
    base_info: dict[str, Any] | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def status_enum(self) -> JobStatusValue:
        return JobStatusValue.parse(self.status)

    @classmethod
    def _read(cls, r: Reader) -> JobDetail:
        if r.has("job"):
            job = r.obj_("job", lambda j: j)
            if job is None:
                return cls(id=None)
            r = job
        created, created_raw = r.time("create_time")
        base = r.obj_("base_info", lambda b: b)

        def base_str(key: str) -> str | None:
            return base.str(key) if base else None

        tags = base.objs("tags", lambda t: (t.str("key") or "", t.str("value") or "")) if base else ()
        return cls(
            id=r.str("id"),
            status=r.str("status"),
            create_time=created,
            create_time_raw=created_raw,
            name=base_str("name"),
            job_type=base_str("job_type"),
            engine_type=base_str("engine_type"),
            job_direction=base_str("job_direction"),
            task_type=base_str("task_type"),
            net_type=base_str("net_type"),
            charging_mode=base_str("charging_mode"),
            enterprise_project_id=base_str("enterprise_project_id"),
            description=base_str("description"),
            tags=tags,
            source_endpoints=r.objs("source_endpoint", JobEndpoint._read),
            target_endpoints=r.objs("target_endpoint", JobEndpoint._read),
            progress=r.obj_("progress_info", JobProgress._read),
            sync_mode=r.str("sync_mode"),
            task_version=r.str("task_version"),
            compare_result=r.dict("compare_result"),
            base_info=dict(base.obj) if base else None,
            extra=r.extra(),
        )


@dataclass(frozen=True)
class JobStatus(Model):
    """One item of the v3 batch-status answer (note `error_message`, not `error_msg`)."""

    id: str | None
    status: str | None = None
    error_code: str | None = None
    error_message: str | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def error_msg(self) -> str | None:
        return self.error_message

    @property
    def status_enum(self) -> JobStatusValue:
        return JobStatusValue.parse(self.status)

    @classmethod
    def _read(cls, r: Reader) -> JobStatus:
        message = r.str("error_message")
        if message is None:
            message = r.str("error_msg")
        return cls(r.str("id"), r.str("status"), r.str("error_code"), message, extra=r.extra())


@dataclass(frozen=True)
class JobStatusPage(Model):
    count: int | None
    results: tuple[JobStatus, ...]
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> JobStatusPage:
        return cls(r.int("count"), r.objs("results", JobStatus._read), extra=r.extra())


# ---------------------------------------------------------------------------------------------
# Create comparison task (request + result)
# ---------------------------------------------------------------------------------------------

DATA_COMPARE_TYPES = ("lines", "contents")
CONFLICT_POLICIES = ("keep", "cancel")


@dataclass(frozen=True)
class CompareObjectInfo:
    """One database (and optionally some of its tables) to compare."""

    db_name: str
    table_names: tuple[str, ...] | None = None  # None/() = all tables of the DB

    def __post_init__(self) -> None:
        if not isinstance(self.db_name, str) or not self.db_name:
            raise ValueError("CompareObjectInfo.db_name must be a non-empty string")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"db_name": self.db_name}
        if self.table_names:
            out["table_name"] = list(self.table_names)
        return out


@dataclass(frozen=True)
class DataLevelCompareInfo:
    compare_type: str  # "lines" (row counts) or "contents" (values)
    conflict_policy: str = "keep"  # keep an unfinished data compare, or "cancel" it
    compare_object_infos: tuple[CompareObjectInfo, ...] = ()
    compare_mode: str | None = None  # "quick_comparison" (allow-listed accounts only)
    start_time: str | None = None  # empty: start now

    def __post_init__(self) -> None:
        if self.compare_type not in DATA_COMPARE_TYPES:
            raise ValueError(f"compare_type must be one of {DATA_COMPARE_TYPES}, not {self.compare_type!r}")
        if self.conflict_policy not in CONFLICT_POLICIES:
            raise ValueError(f"conflict_policy must be one of {CONFLICT_POLICIES}, not {self.conflict_policy!r}")
        if not self.compare_object_infos and self.compare_mode != "quick_comparison":
            raise ValueError("compare_object_infos is required unless compare_mode is quick_comparison")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"conflict_policy": self.conflict_policy,
                               "compare_type": self.compare_type}
        if self.compare_mode:
            out["compare_mode"] = self.compare_mode
        if self.start_time:
            out["start_time"] = self.start_time
        if self.compare_object_infos:
            out["compare_object_infos"] = [o.to_json() for o in self.compare_object_infos]
        return out


@dataclass(frozen=True)
class CreateCompareTaskRequest:
    """Body of POST /v3/{project_id}/jobs/create-compare-task."""

    job_id: str
    object_level: bool = False  # also create an object-level comparison
    data_level: DataLevelCompareInfo | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.job_id, str) or not self.job_id:
            raise ValueError("job_id must be a non-empty string")

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"job_id": self.job_id}
        if self.object_level:
            out["object_level_compare_type"] = "objects"
        if self.data_level is not None:
            out["data_level_compare_info"] = self.data_level.to_json()
        return out


@dataclass(frozen=True)
class CompareCreateResult(Model):
    """Result for one part (object- or data-level) of create-compare-task."""

    compare_task_id: str | None = None
    error_code: str | None = None
    error_msg: str | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def ok(self) -> bool:
        return bool(self.compare_task_id) and not self.error_code

    @classmethod
    def _read(cls, r: Reader) -> CompareCreateResult:
        return cls(r.str("compare_task_id"), r.str("error_code"), r.str("error_msg"), extra=r.extra())


@dataclass(frozen=True)
class CreateCompareTaskResult(Model):
    """Answer of create-compare-task. Errors inside a part are kept here, not raised: the other
    part may have been created and its id must not be lost."""

    job_id: str | None = None
    object_level: CompareCreateResult | None = None
    data_level: CompareCreateResult | None = None
    error_code: str | None = None
    error_msg: str | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def errors(self) -> tuple[tuple[str, str | None, str | None], ...]:
        """(part, error_code, error_msg) for the top level and each failed part."""
        out = []
        if self.error_code:
            out.append(("request", self.error_code, self.error_msg))
        for part, result in (("object_level", self.object_level), ("data_level", self.data_level)):
            if result is not None and result.error_code:
                out.append((part, result.error_code, result.error_msg))
        return tuple(out)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def created_ids(self) -> tuple[str, ...]:
        return tuple(p.compare_task_id for p in (self.object_level, self.data_level)
                     if p is not None and p.compare_task_id)

    @classmethod
    def _read(cls, r: Reader) -> CreateCompareTaskResult:
        return cls(
            job_id=r.str("job_id"),
            object_level=r.obj_("object_level_compare_create_result", CompareCreateResult._read),
            data_level=r.obj_("data_level_compare_create_result", CompareCreateResult._read),
            error_code=r.str("error_code"),
            error_msg=r.str("error_msg"),
            extra=r.extra(),
        )


# ---------------------------------------------------------------------------------------------
# Object-level comparison
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectTypeResult(Model):
    """Counts for one object type; `status` is the integer 0/2/3 of §4.4."""

    type: str | None
    source_count: int | None = None
    target_count: int | None = None
    status: int | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def result(self) -> ObjectResult:
        return ObjectResult.parse(self.status)

    @classmethod
    def _read(cls, r: Reader) -> ObjectTypeResult:
        return cls(r.str("type"), r.int("source_count"), r.int("target_count"), r.int("status"),
                   extra=r.extra())


class _ReportState:
    """Status and report-file state shared by object and data-level comparisons."""

    status: str | None
    export_status: str | None
    report_remain_seconds: int | None

    @property
    def status_enum(self) -> CompareStatus:
        return CompareStatus.parse(self.status)

    @property
    def export_status_enum(self) -> ExportStatus:
        return ExportStatus.parse(self.export_status)

    @property
    def has_report(self) -> bool:
        return (self.export_status_enum is ExportStatus.EXPORT_COMPLETE
                and (self.report_remain_seconds or 0) > 0)


@dataclass(frozen=True)
class ObjectCompareOverview(_ReportState, Model):
    """GET /v3/{pid}/jobs/{job_id}/object/compare — the job's latest object comparison."""

    compare_job_id: str | None = None
    status: str | None = None
    export_status: str | None = None
    report_remain_seconds: int | None = None
    create_time: datetime | None = None
    create_time_raw: str | None = None
    start_time: datetime | None = None
    start_time_raw: str | None = None
    error_msg: str | None = None
    results: tuple[ObjectTypeResult, ...] = ()
    database_info: dict[str, Any] | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> ObjectCompareOverview:
        created, created_raw = r.time("create_time")
        started, started_raw = r.time("start_time")
        return cls(
            compare_job_id=r.str("compare_job_id"),
            status=r.str("status"),
            export_status=r.str("export_status"),
            report_remain_seconds=r.int("report_remain_seconds"),
            create_time=created,
            create_time_raw=created_raw,
            start_time=started,
            start_time_raw=started_raw,
            error_msg=r.str("error_msg"),
            results=r.objs("compare_result", ObjectTypeResult._read),
            database_info=r.dict("database_info"),
            extra=r.extra(),
        )


@dataclass(frozen=True)
class ObjectCompareRow(Model):
    """One object in an object-comparison detail (also used inside query-compare-result)."""

    source_db_name: str | None = None
    target_db_name: str | None = None
    source_db_value: str | None = None
    target_db_value: str | None = None
    status: int | None = None
    error_message: str | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def result(self) -> ObjectResult:
        return ObjectResult.parse(self.status)

    @classmethod
    def _read(cls, r: Reader) -> ObjectCompareRow:
        return cls(r.str("source_db_name"), r.str("target_db_name"), r.str("source_db_value"),
                   r.str("target_db_value"), r.int("status"), r.str("error_message"),
                   extra=r.extra())


@dataclass(frozen=True)
class ObjectCompareDetail(Model):
    """GET /v3/{pid}/jobs/{job_id}/object/compare/{object_type}."""

    count: int | None
    rows: tuple[ObjectCompareRow, ...]
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> ObjectCompareDetail:
        return cls(r.int("count"), r.objs("compare_detail", ObjectCompareRow._read), extra=r.extra())


# ---------------------------------------------------------------------------------------------
# Health comparisons (v5)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HealthCompareJob(Model):
    """A health comparison (detail or list item). `types` splits the comma-joined `type`."""

    id: str | None
    type: str | None = None
    types: tuple[str, ...] = ()
    status: str | None = None
    start_time: datetime | None = None
    start_time_raw: str | None = None
    end_time: datetime | None = None
    end_time_raw: str | None = None
    job_name: str | None = None
    compute_type: str | None = None
    database_info: dict[str, Any] | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def status_enum(self) -> CompareStatus:
        return CompareStatus.parse(self.status)

    @classmethod
    def _read(cls, r: Reader) -> HealthCompareJob:
        raw_type = r.str("type")
        started, started_raw = r.time("start_time")
        ended, ended_raw = r.time("end_time")
        return cls(
            id=r.str("id"),
            type=raw_type,
            types=split_types(raw_type),
            status=r.str("status"),
            start_time=started,
            start_time_raw=started_raw,
            end_time=ended,
            end_time_raw=ended_raw,
            job_name=r.str("job_name"),
            compute_type=r.str("compute_type"),
            database_info=r.dict("database_info"),
            extra=r.extra(),
        )


@dataclass(frozen=True)
class HealthCompareJobList(Model):
    count: int | None
    jobs: tuple[HealthCompareJob, ...]
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> HealthCompareJobList:
        return cls(r.int("count"), r.objs("compare_jobs", HealthCompareJob._read), extra=r.extra())


@dataclass(frozen=True)
class HealthObjectOverview(Model):
    results: tuple[ObjectTypeResult, ...]
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> HealthObjectOverview:
        return cls(r.objs("compare_result", ObjectTypeResult._read), extra=r.extra())


# ---------------------------------------------------------------------------------------------
# Data-level comparisons: list, row (line) and value (content) results, progress
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CompareJobInfo(_ReportState, Model):
    """A data-level comparison in the v3 table-compare list (or v5 job detail)."""

    id: str | None
    type: str | None = None
    status: str | None = None
    export_status: str | None = None
    report_remain_seconds: int | None = None
    start_time: datetime | None = None
    start_time_raw: str | None = None
    end_time: datetime | None = None
    end_time_raw: str | None = None
    options: dict[str, Any] | None = None
    compare_job_tag: dict[str, Any] | None = None
    proportion_value: str | None = None
    compute_type: str | None = None
    error_msg: str | None = None
    database_info: dict[str, Any] | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> CompareJobInfo:
        started, started_raw = r.time("start_time")
        ended, ended_raw = r.time("end_time")
        return cls(
            id=r.str("id"),
            type=r.str("type"),
            status=r.str("status"),
            export_status=r.str("export_status"),
            report_remain_seconds=r.int("report_remain_seconds"),
            start_time=started,
            start_time_raw=started_raw,
            end_time=ended,
            end_time_raw=ended_raw,
            options=r.dict("options"),
            compare_job_tag=r.dict("compare_job_tag"),
            proportion_value=r.str("proportion_value"),
            compute_type=r.str("compute_type"),
            error_msg=r.str("error_msg"),
            database_info=r.dict("database_info"),
            extra=r.extra(),
        )


@dataclass(frozen=True)
class CompareJobList(Model):
    count: int | None
    jobs: tuple[CompareJobInfo, ...]
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> CompareJobList:
        return cls(r.int("count"), r.objs("compare_jobs", CompareJobInfo._read), extra=r.extra())


@dataclass(frozen=True)
class DbCompareRow(Model):
    """Per-database row/value comparison counts (line-overview and content-overview rows).
    Line APIs name the DBs source_db_name/target_db_name, content APIs source_db/target_db."""

    source_db: str | None = None
    target_db: str | None = None
    status: int | None = None
    compare_num: int | None = None
    compare_end_num: int | None = None
    data_inconsistent_num: int | None = None
    uncomparable_num: int | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def status_text(self) -> str:
        return row_status_text(self.status)

    @classmethod
    def _read(cls, r: Reader) -> DbCompareRow:
        source = r.str("source_db_name")
        target = r.str("target_db_name")
        source_alt = r.str("source_db")
        target_alt = r.str("target_db")
        return cls(
            source_db=source if source is not None else source_alt,
            target_db=target if target is not None else target_alt,
            status=r.int("status"),
            compare_num=r.int("compare_num"),
            compare_end_num=r.int("compare_end_num"),
            data_inconsistent_num=r.int("data_inconsistent_num"),
            uncomparable_num=r.int("uncomparable_num"),
            extra=r.extra(),
        )


@dataclass(frozen=True)
class LineCompareOverview(Model):
    """GET …/compare/{compare_job_id}/line-overview."""

    total_count: int | None
    rows: tuple[DbCompareRow, ...]
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> LineCompareOverview:
        return cls(r.int("total_count"), r.objs("data_compare_overview_infos", DbCompareRow._read),
                   extra=r.extra())


@dataclass(frozen=True)
class ContentCompareOverview(Model):
    """GET …/compare/{compare_job_id}/content-overview."""

    total_count: int | None
    rows: tuple[DbCompareRow, ...]
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> ContentCompareOverview:
        return cls(r.int("total_count"), r.objs("content_compare_result_infos", DbCompareRow._read),
                   extra=r.extra())


@dataclass(frozen=True)
class LineDetailRow(Model):
    source_table_name: str | None = None
    source_row_num: int | None = None
    target_table_name: str | None = None
    target_row_num: int | None = None
    difference_row_num: int | None = None
    status: int | None = None
    compare_line_config_filter: str | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def status_text(self) -> str:
        return row_status_text(self.status)

    @classmethod
    def _read(cls, r: Reader) -> LineDetailRow:
        return cls(r.str("source_table_name"), r.int("source_row_num"), r.str("target_table_name"),
                   r.int("target_row_num"), r.int("difference_row_num"), r.int("status"),
                   r.str("compare_line_config_filter"), extra=r.extra())


@dataclass(frozen=True)
class LineCompareDetail(Model):
    """GET …/compare/{compare_job_id}/line-detail."""

    total_count: int | None
    rows: tuple[LineDetailRow, ...]
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> LineCompareDetail:
        return cls(r.int("total_count"), r.objs("table_line_compare_result_infos", LineDetailRow._read),
                   extra=r.extra())


@dataclass(frozen=True)
class ContentDetailRow(Model):
    """A table in the value comparison. `line_compare_result`/`content_compare_result` are
    booleans (true = consistent); `status` is the phase 1 comparing/2 done/3 waiting/4 cancelled."""

    source_db: str | None = None
    target_db: str | None = None
    source_table_name: str | None = None
    target_table_name: str | None = None
    source_row_num: int | None = None
    target_row_num: int | None = None
    difference_row_num: int | None = None
    line_compare_result: bool | None = None
    content_compare_result: bool | None = None
    message: str | None = None
    compare_line_config_filter: str | None = None
    status: int | None = None
    complete_shard_count: int | None = None
    total_shard_count: int | None = None
    progress: float | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def phase_text(self) -> str:
        return content_phase_text(self.status)

    @classmethod
    def _read(cls, r: Reader) -> ContentDetailRow:
        return cls(
            source_db=r.str("source_db"),
            target_db=r.str("target_db"),
            source_table_name=r.str("source_table_name"),
            target_table_name=r.str("target_table_name"),
            source_row_num=r.int("source_row_num"),
            target_row_num=r.int("target_row_num"),
            difference_row_num=r.int("difference_row_num"),
            line_compare_result=r.bool("line_compare_result"),
            content_compare_result=r.bool("content_compare_result"),
            message=r.str("message"),
            compare_line_config_filter=r.str("compare_line_config_filter"),
            status=r.int("status"),
            complete_shard_count=r.int("complete_shard_count"),
            total_shard_count=r.int("total_shard_count"),
            progress=r.float("progress"),
            extra=r.extra(),
        )


@dataclass(frozen=True)
class ContentCompareDetail(Model):
    """GET …/compare/{compare_job_id}/content-detail."""

    total_count: int | None
    rows: tuple[ContentDetailRow, ...]
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> ContentCompareDetail:
        return cls(r.int("total_count"), r.objs("content_compare_result_infos", ContentDetailRow._read),
                   extra=r.extra())


@dataclass(frozen=True)
class CompareProgress(Model):
    """GET /v5/{pid}/jobs/{job_id}/compare-progress/{compare_job_id}, flattened."""

    full_progress: float | None = None
    full_src_speed: str | None = None
    full_recheck_entities: int | None = None
    incre_delay: float | None = None
    incre_src_speed: str | None = None
    incre_rps: int | None = None
    incre_log_point: str | None = None
    incre_recheck_entities: int | None = None
    global_src_speed: str | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> CompareProgress:
        full = r.obj_("full_info", lambda x: x)
        incre = r.obj_("incre_info", lambda x: x)
        glob = r.obj_("global_info", lambda x: x)
        return cls(
            full_progress=full.float("progress") if full else None,
            full_src_speed=full.str("src_speed") if full else None,
            full_recheck_entities=full.int("recheck_entities") if full else None,
            incre_delay=incre.float("delay") if incre else None,
            incre_src_speed=incre.str("src_speed") if incre else None,
            incre_rps=incre.int("rps") if incre else None,
            incre_log_point=incre.str("log_point") if incre else None,
            incre_recheck_entities=incre.int("recheck_entities") if incre else None,
            global_src_speed=glob.str("src_speed") if glob else None,
            extra=r.extra(),
        )


# ---------------------------------------------------------------------------------------------
# query-compare-result (v3): everything about a set of comparisons in one answer
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObjectCompareSummary(Model):
    object_type: str | None = None
    object_compare_result: str | None = None
    source_count: int | None = None
    target_count: int | None = None
    diff_count: int | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def result(self) -> CompareResult:
        return CompareResult.parse(self.object_compare_result)

    @classmethod
    def _read(cls, r: Reader) -> ObjectCompareSummary:
        return cls(r.str("object_type"), r.str("object_compare_result"), r.int("source_count"),
                   r.int("target_count"), r.int("diff_count"), extra=r.extra())


@dataclass(frozen=True)
class ObjectLevelResults(Model):
    compare_task_id: str | None = None
    overview: tuple[ObjectCompareSummary, ...] = ()
    details: dict[str, tuple[ObjectCompareRow, ...]] = field(default_factory=dict)
    error_code: str | None = None
    error_msg: str | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> ObjectLevelResults:
        details_reader = r.obj_("object_compare_details", lambda x: x)
        details: dict[str, tuple[ObjectCompareRow, ...]] = {}
        if details_reader is not None:
            for key in list(details_reader.obj):
                details[str(key)] = details_reader.objs(str(key), ObjectCompareRow._read)
        return cls(
            compare_task_id=r.str("compare_task_id"),
            overview=r.objs("object_compare_overview", ObjectCompareSummary._read),
            details=details,
            error_code=r.str("error_code"),
            error_msg=r.str("error_msg"),
            extra=r.extra(),
        )


@dataclass(frozen=True)
class DbResult(Model):
    """Per-database result string of a row or value comparison."""

    source_db_name: str | None = None
    target_db_name: str | None = None
    result: str | None = None  # line_compare_result / content_compare_result
    extra: dict[str, Any] = extra_field()

    @property
    def result_enum(self) -> CompareResult:
        return CompareResult.parse(self.result)

    @classmethod
    def _read(cls, r: Reader) -> DbResult:
        line = r.str("line_compare_result")
        content = r.str("content_compare_result")
        return cls(r.str("source_db_name"), r.str("target_db_name"),
                   line if line is not None else content, extra=r.extra())


@dataclass(frozen=True)
class TableResult(Model):
    """A table in query-compare-result line/content details (result strings, §4.5)."""

    source_db_name: str | None = None
    target_db_name: str | None = None
    source_table_name: str | None = None
    target_table_name: str | None = None
    source_row_num: int | None = None
    target_row_num: int | None = None
    diff_row_num: int | None = None
    line_compare_result: str | None = None
    content_compare_result: str | None = None
    message: str | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def line_result(self) -> CompareResult:
        return CompareResult.parse(self.line_compare_result)

    @property
    def content_result(self) -> CompareResult:
        return CompareResult.parse(self.content_compare_result)

    @classmethod
    def _read(cls, r: Reader) -> TableResult:
        return cls(r.str("source_db_name"), r.str("target_db_name"), r.str("source_table_name"),
                   r.str("target_table_name"), r.int("source_row_num"), r.int("target_row_num"),
                   r.int("diff_row_num"), r.str("line_compare_result"),
                   r.str("content_compare_result"), r.str("message"), extra=r.extra())


@dataclass(frozen=True)
class LineDbDetails(Model):
    source_db_name: str | None = None
    tables: tuple[TableResult, ...] = ()
    count: int | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> LineDbDetails:
        return cls(r.str("source_db_name"), r.objs("line_compare_detail", TableResult._read),
                   r.int("line_compare_detail_count"), extra=r.extra())


@dataclass(frozen=True)
class LineLevelResults(Model):
    compare_task_id: str | None = None
    overview: tuple[DbResult, ...] = ()
    overview_count: int | None = None
    details: tuple[LineDbDetails, ...] = ()
    error_code: str | None = None
    error_msg: str | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> LineLevelResults:
        return cls(r.str("compare_task_id"), r.objs("line_compare_overview", DbResult._read),
                   r.int("line_compare_overview_count"),
                   r.objs("line_compare_details", LineDbDetails._read),
                   r.str("error_code"), r.str("error_msg"), extra=r.extra())


@dataclass(frozen=True)
class ContentDiff(Model):
    source_select_sql: str | None = None
    target_select_sql: str | None = None
    source_key_value: tuple[str, ...] = ()
    target_key_value: tuple[str, ...] = ()
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> ContentDiff:
        return cls(r.str("source_select_sql"), r.str("target_select_sql"),
                   r.strs("source_key_value"), r.strs("target_key_value"), extra=r.extra())


@dataclass(frozen=True)
class ContentTableDiffs(Model):
    source_db_name: str | None = None
    source_table_name: str | None = None
    diffs: tuple[ContentDiff, ...] = ()
    count: int | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> ContentTableDiffs:
        return cls(r.str("source_db_name"), r.str("source_table_name"),
                   r.objs("content_compare_diff", ContentDiff._read),
                   r.int("content_compare_diff_count"), extra=r.extra())


@dataclass(frozen=True)
class ContentDbDetails(Model):
    source_db_name: str | None = None
    compared: tuple[TableResult, ...] = ()
    compared_count: int | None = None
    uncompared: tuple[TableResult, ...] = ()
    uncompared_count: int | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> ContentDbDetails:
        return cls(r.str("source_db_name"), r.objs("content_compare_detail", TableResult._read),
                   r.int("content_compare_detail_count"),
                   r.objs("content_uncompare_detail", TableResult._read),
                   r.int("content_uncompare_detail_count"), extra=r.extra())


@dataclass(frozen=True)
class ContentLevelResults(Model):
    compare_task_id: str | None = None
    overview: tuple[DbResult, ...] = ()
    overview_count: int | None = None
    details: tuple[ContentDbDetails, ...] = ()
    diffs: tuple[ContentTableDiffs, ...] = ()
    error_code: str | None = None
    error_msg: str | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> ContentLevelResults:
        return cls(r.str("compare_task_id"), r.objs("content_compare_overview", DbResult._read),
                   r.int("content_compare_overview_count"),
                   r.objs("content_compare_details", ContentDbDetails._read),
                   r.objs("content_compare_diffs", ContentTableDiffs._read),
                   r.str("error_code"), r.str("error_msg"), extra=r.extra())


@dataclass(frozen=True)
class CompareTask(Model):
    compare_task_id: str | None = None
    compare_type: str | None = None
    compare_task_status: str | None = None
    create_time: datetime | None = None
    create_time_raw: str | None = None
    end_time: datetime | None = None
    end_time_raw: str | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def status_enum(self) -> CompareStatus:
        return CompareStatus.parse(self.compare_task_status)

    @classmethod
    def _read(cls, r: Reader) -> CompareTask:
        created, created_raw = r.time("create_time")
        ended, ended_raw = r.time("end_time")
        return cls(r.str("compare_task_id"), r.str("compare_type"), r.str("compare_task_status"),
                   created, created_raw, ended, ended_raw, extra=r.extra())


@dataclass(frozen=True)
class CompareTaskListResults(Model):
    tasks: tuple[CompareTask, ...] = ()
    count: int | None = None
    error_code: str | None = None
    error_msg: str | None = None
    extra: dict[str, Any] = extra_field()

    @classmethod
    def _read(cls, r: Reader) -> CompareTaskListResults:
        return cls(r.objs("compare_task_list", CompareTask._read), r.int("compare_task_list_count"),
                   r.str("error_code"), r.str("error_msg"), extra=r.extra())


@dataclass(frozen=True)
class CompareResultQuery(Model):
    """POST /v3/{pid}/jobs/query-compare-result. Errors inside each part are kept in the part."""

    job_id: str | None = None
    object_level: ObjectLevelResults | None = None
    line_level: LineLevelResults | None = None
    content_level: ContentLevelResults | None = None
    task_list: CompareTaskListResults | None = None
    error_code: str | None = None
    error_msg: str | None = None
    extra: dict[str, Any] = extra_field()

    @property
    def errors(self) -> tuple[tuple[str, str | None, str | None], ...]:
        out = []
        if self.error_code:
            out.append(("request", self.error_code, self.error_msg))
        for name, part in (("object_level", self.object_level), ("line_level", self.line_level),
                           ("content_level", self.content_level), ("task_list", self.task_list)):
            if part is not None and part.error_code:
                out.append((name, part.error_code, part.error_msg))
        return tuple(out)

    @classmethod
    def _read(cls, r: Reader) -> CompareResultQuery:
        return cls(
            job_id=r.str("job_id"),
            object_level=r.obj_("object_level_compare_results", ObjectLevelResults._read),
            line_level=r.obj_("line_compare_results", LineLevelResults._read),
            content_level=r.obj_("content_compare_results", ContentLevelResults._read),
            task_list=r.obj_("compare_task_list_results", CompareTaskListResults._read),
            error_code=r.str("error_code"),
            error_msg=r.str("error_msg"),
            extra=r.extra(),
        )


__all__ = [
    "JobAction",
    "Job",
    "JobList",
    "JobEndpoint",
    "JobProgress",
    "JobDetail",
    "JobStatus",
    "JobStatusPage",
    "CompareObjectInfo",
    "DataLevelCompareInfo",
    "CreateCompareTaskRequest",
    "CompareCreateResult",
    "CreateCompareTaskResult",
    "ObjectTypeResult",
    "ObjectCompareOverview",
    "ObjectCompareRow",
    "ObjectCompareDetail",
    "HealthCompareJob",
    "HealthCompareJobList",
    "HealthObjectOverview",
    "CompareJobInfo",
    "CompareJobList",
    "DbCompareRow",
    "LineCompareOverview",
    "ContentCompareOverview",
    "LineDetailRow",
    "LineCompareDetail",
    "ContentDetailRow",
    "ContentCompareDetail",
    "CompareProgress",
    "ObjectCompareSummary",
    "ObjectLevelResults",
    "DbResult",
    "TableResult",
    "LineDbDetails",
    "LineLevelResults",
    "ContentDiff",
    "ContentTableDiffs",
    "ContentDbDetails",
    "ContentLevelResults",
    "CompareTask",
    "CompareTaskListResults",
    "CompareResultQuery",
    "DATA_COMPARE_TYPES",
    "CONFLICT_POLICIES",
]
