"""Object-level and health comparisons: per-type counts, the objects that differ."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from .._parse import Reader
from ..base import Model, extra_field, read_declared, wire
from ..enums import CompareStatus, ExportStatus, ObjectResult, split_types


class ReportState:
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


class _ObjectResultMixin:
    status: int | None

    @property
    def result(self) -> ObjectResult:
        return ObjectResult.parse(self.status)


@dataclass(frozen=True)
class ObjectTypeResult(_ObjectResultMixin, Model):
    """Counts for one object type; `status` is the integer 0/2/3 of the object result."""

    type: str | None
    source_count: int | None = None
    target_count: int | None = None
    status: int | None = None
    extra: dict[str, Any] = extra_field()


@dataclass(frozen=True)
class ObjectCompareOverview(ReportState, Model):
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
    results: tuple[ObjectTypeResult, ...] = wire("compare_result", default=())
    database_info: dict[str, Any] | None = None
    extra: dict[str, Any] = extra_field()


@dataclass(frozen=True)
class ObjectCompareRow(_ObjectResultMixin, Model):
    """One object in an object-comparison detail."""

    source_db_name: str | None = None
    target_db_name: str | None = None
    source_db_value: str | None = None
    target_db_value: str | None = None
    status: int | None = None
    error_message: str | None = None
    extra: dict[str, Any] = extra_field()


@dataclass(frozen=True)
class ObjectCompareDetail(Model):
    """GET /v3/{pid}/jobs/{job_id}/object/compare/{object_type}."""

    count: int | None
    rows: tuple[ObjectCompareRow, ...] = wire("compare_detail", default=())
    extra: dict[str, Any] = extra_field()


@dataclass(frozen=True)
class HealthCompareJob(Model):
    """A health comparison (list item). `types` splits the comma-joined `type`."""

    id: str | None
    type: str | None = None
    types: tuple[str, ...] = wire(kind="manual", default=())
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
        return read_declared(cls, r, types=split_types(r.str("type")))


@dataclass(frozen=True)
class HealthCompareJobList(Model):
    count: int | None
    jobs: tuple[HealthCompareJob, ...] = wire("compare_jobs", default=())
    extra: dict[str, Any] = extra_field()
