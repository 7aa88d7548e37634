"""Data-level comparisons: the table-compare list, row (line) and value (content) results, and
the v5 comparison progress."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from ..base import Model, extra_field, wire
from ..enums import content_phase_text, row_status_text
from .objects import ReportState


class _RowStatusMixin:
    status: int | None

    @property
    def status_text(self) -> str:
        return row_status_text(self.status)


@dataclass(frozen=True)
class CompareJobInfo(ReportState, Model):
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


@dataclass(frozen=True)
class CompareJobList(Model):
    count: int | None
    jobs: tuple[CompareJobInfo, ...] = wire("compare_jobs", default=())
    extra: dict[str, Any] = extra_field()


@dataclass(frozen=True)
class DbCompareRow(_RowStatusMixin, Model):
    """Per-database row/value comparison counts (line-overview and content-overview rows).
    Line APIs name the DBs source_db_name/target_db_name, content APIs source_db/target_db."""

    source_db: str | None = wire("source_db_name", "source_db")
    target_db: str | None = wire("target_db_name", "target_db")
    status: int | None = None
    compare_num: int | None = None
    compare_end_num: int | None = None
    data_inconsistent_num: int | None = None
    uncomparable_num: int | None = None
    extra: dict[str, Any] = extra_field()


@dataclass(frozen=True)
class LineCompareOverview(Model):
    """GET …/compare/{compare_job_id}/line-overview."""

    total_count: int | None
    rows: tuple[DbCompareRow, ...] = wire("data_compare_overview_infos", default=())
    extra: dict[str, Any] = extra_field()


@dataclass(frozen=True)
class ContentCompareOverview(Model):
    """GET …/compare/{compare_job_id}/content-overview."""

    total_count: int | None
    rows: tuple[DbCompareRow, ...] = wire("content_compare_result_infos", default=())
    extra: dict[str, Any] = extra_field()


@dataclass(frozen=True)
class LineDetailRow(_RowStatusMixin, Model):
    source_table_name: str | None = None
    source_row_num: int | None = None
    target_table_name: str | None = None
    target_row_num: int | None = None
    difference_row_num: int | None = None
    status: int | None = None
    compare_line_config_filter: str | None = None
    extra: dict[str, Any] = extra_field()


@dataclass(frozen=True)
class LineCompareDetail(Model):
    """GET …/compare/{compare_job_id}/line-detail."""

    total_count: int | None
    rows: tuple[LineDetailRow, ...] = wire("table_line_compare_result_infos", default=())
    extra: dict[str, Any] = extra_field()


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


@dataclass(frozen=True)
class ContentCompareDetail(Model):
    """GET …/compare/{compare_job_id}/content-detail."""

    total_count: int | None
    rows: tuple[ContentDetailRow, ...] = wire("content_compare_result_infos", default=())
    extra: dict[str, Any] = extra_field()


@dataclass(frozen=True)
class CompareProgress(Model):
    """GET /v5/{pid}/jobs/{job_id}/compare-progress/{compare_job_id}, flattened."""

    full_progress: float | None = wire("full_info.progress")
    full_src_speed: str | None = wire("full_info.src_speed")
    full_recheck_entities: int | None = wire("full_info.recheck_entities")
    incre_delay: float | None = wire("incre_info.delay")
    incre_src_speed: str | None = wire("incre_info.src_speed")
    incre_rps: int | None = wire("incre_info.rps")
    incre_log_point: str | None = wire("incre_info.log_point")
    incre_recheck_entities: int | None = wire("incre_info.recheck_entities")
    global_src_speed: str | None = wire("global_info.src_speed")
    extra: dict[str, Any] = extra_field()
