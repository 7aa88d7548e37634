"""API models (drstui.api.models) -> Snapshot parts. Pure functions, no I/O.

The models keep raw enum values as strings/ints; classification into verdicts and results
happens here (via `classify`), so an unknown value shows as UNKNOWN instead of failing.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any

from drstui.api.models import (
    CompareJobInfo,
    ContentCompareDetail,
    ContentCompareOverview,
    ContentDetailRow,
    DbCompareRow,
    HealthCompareJob,
    Job,
    LineCompareDetail,
    LineCompareOverview,
    LineDetailRow,
    ObjectCompareOverview,
)
from drstui.api.models.enums import CompareStatus, content_phase_text
from drstui.monitor import classify
from drstui.monitor.snapshot import (
    CompareLive,
    DataComparison,
    HealthComparison,
    JobView,
    ObjectComparison,
    ObjectDetailRow,
    ObjectTypeRow,
    TableRow,
    TypeResult,
)


def _status(raw: str | None) -> str:
    """Raw status kept verbatim (unknown values too); a missing one reads 'UNKNOWN'."""
    return raw or "UNKNOWN"


# -- jobs -------------------------------------------------------------------------------------
def job_base(job: Job) -> JobView:
    """A JobView with only the job-list fields (the poller adds the comparisons)."""
    job_id = job.id or "?"
    return JobView(
        id=job_id,
        name=job.name or job_id,
        status=_status(job.status),
        engine_type=job.engine_type,
        job_direction=job.job_direction,
        job_type=job.job_type,
        create_time=job.create_time,
    )


# -- object-level comparison ------------------------------------------------------------------
def object_comparison(overview: ObjectCompareOverview) -> ObjectComparison | None:
    """The latest object comparison; None when the job never had one (no compare id)."""
    if not overview.compare_job_id:
        return None
    rows = tuple(
        ObjectTypeRow(
            object_type=entry.type or "?",
            source_count=entry.source_count,
            target_count=entry.target_count,
            result=classify.type_result(entry.status),
        )
        for entry in overview.results
    )
    status = _status(overview.status)
    return ObjectComparison(
        compare_job_id=overview.compare_job_id,
        status=status,
        verdict=classify.comparison_verdict(status, (row.result for row in rows)),
        create_time=overview.create_time,
        start_time=overview.start_time,
        export_status=overview.export_status,
        report_remain_seconds=overview.report_remain_seconds,
        error_msg=overview.error_msg or None,
        rows=_inconsistent_first(rows),
    )


def object_detail_rows(rows: Iterable[Any]) -> tuple[ObjectDetailRow, ...]:
    return _inconsistent_first(
        ObjectDetailRow(
            source_name=entry.source_db_name,
            target_name=entry.target_db_name,
            source_value=entry.source_db_value,
            target_value=entry.target_db_value,
            result=classify.type_result(entry.status),
            error_message=entry.error_message or None,
        )
        for entry in rows
    )


# -- data-level comparisons -------------------------------------------------------------------
def data_comparison_base(job: CompareJobInfo) -> DataComparison:
    """A data comparison from the table/compare list: status and export state, no tables."""
    status = _status(job.status)
    return DataComparison(
        id=job.id or "?",
        compare_type=job.type or "unknown",
        status=status,
        verdict=classify.status_verdict(status),
        start_time=job.start_time,
        end_time=job.end_time,
        export_status=job.export_status,
        report_remain_seconds=job.report_remain_seconds,
    )


def line_tables(
    overview: LineCompareOverview, details: Sequence[tuple[str | None, LineCompareDetail]]
) -> tuple[tuple[TableRow, ...], float | None, bool]:
    """(tables, progress %, overview reports an inconsistency) of a row-count comparison.

    line-detail rows do not name their database, so they are read per database:
    `details` pairs each database name with its detail answer.
    """
    tables = [_line_row(entry, db_name) for db_name, detail in details for entry in detail.rows]
    tables.extend(_database_problem_rows(overview.rows, tables))
    progress, inconsistent = _overview_numbers(overview.rows)
    return _inconsistent_first(tables), progress, inconsistent


def content_tables(
    overview: ContentCompareOverview, detail: ContentCompareDetail
) -> tuple[tuple[TableRow, ...], float | None, bool]:
    """(tables, progress %, overview reports an inconsistency) of a value comparison."""
    tables = [_content_row(entry) for entry in detail.rows]
    tables.extend(_database_problem_rows(overview.rows, tables))
    progress, inconsistent = _overview_numbers(overview.rows)
    return _inconsistent_first(tables), progress, inconsistent


def with_tables(
    base: DataComparison,
    tables: tuple[TableRow, ...],
    progress: float | None,
    overview_inconsistent: bool,
) -> DataComparison:
    """`base` (from the list) completed with its table results and verdict."""
    results = [table.result for table in tables]
    if overview_inconsistent:
        results.append(TypeResult.INCONSISTENT)
    running = CompareStatus.parse(base.status).is_active
    return replace(
        base,
        verdict=classify.comparison_verdict(base.status, results),
        progress=progress if running else None,
        tables=tables,
    )


def with_export_state(cached: DataComparison, latest: DataComparison) -> DataComparison:
    """A finished comparison's cached tables with the list's current export state."""
    if (cached.export_status, cached.report_remain_seconds) == (
        latest.export_status,
        latest.report_remain_seconds,
    ):
        return cached
    return replace(
        cached,
        export_status=latest.export_status,
        report_remain_seconds=latest.report_remain_seconds,
    )


def _line_row(entry: LineDetailRow, db_name: str | None) -> TableRow:
    code, status_text, result = classify.row_status(entry.status)
    return TableRow(
        source_db=db_name,
        source_table=entry.source_table_name,
        target_db=db_name,
        target_table=entry.target_table_name,
        source_rows=entry.source_row_num,
        target_rows=entry.target_row_num,
        diff_rows=entry.difference_row_num,
        status_code=code,
        status_text=status_text,
        result=result,
    )


def _content_row(entry: ContentDetailRow) -> TableRow:
    """content-detail rows carry booleans for the results and a small phase enum (not §4.6)."""
    phase = entry.status
    if phase in (1, 3):
        result = TypeResult.INCOMPLETE
    elif phase == 4:
        result = TypeResult.UNKNOWN
    elif entry.content_compare_result is False or entry.line_compare_result is False:
        result = TypeResult.INCONSISTENT
    elif entry.content_compare_result is True:
        result = TypeResult.CONSISTENT
    else:
        result = TypeResult.UNKNOWN
    if result in (TypeResult.CONSISTENT, TypeResult.INCONSISTENT):
        status_text = result.value
    else:
        status_text = content_phase_text(phase)
    if entry.message:
        status_text = f"{status_text}: {entry.message}"
    return TableRow(
        source_db=entry.source_db,
        source_table=entry.source_table_name,
        target_db=entry.target_db,
        target_table=entry.target_table_name,
        source_rows=entry.source_row_num,
        target_rows=entry.target_row_num,
        diff_rows=entry.difference_row_num,
        status_code=None,  # not a §4.6 code here
        status_text=status_text,
        result=result,
    )


def _database_problem_rows(databases: Sequence[DbCompareRow], tables: Sequence[TableRow]) -> list[TableRow]:
    """A database-level problem (e.g. 22 'target DB missing') has no table rows: show the DB."""
    named = {table.source_db for table in tables}
    rows = []
    for database in databases:
        code, status_text, result = classify.row_status(database.status)
        if database.source_db in named or code == 0:
            continue  # its tables (or an "inconsistent" DB's tables) already say it
        if result in (TypeResult.CONSISTENT, TypeResult.INCOMPLETE):
            continue
        rows.append(
            TableRow(
                source_db=database.source_db,
                source_table=None,
                target_db=database.target_db,
                target_table=None,
                source_rows=None,
                target_rows=None,
                diff_rows=None,
                status_code=code,
                status_text=status_text,
                result=result,
            )
        )
    return rows


def _overview_numbers(databases: Sequence[DbCompareRow]) -> tuple[float | None, bool]:
    total = sum(db.compare_num or 0 for db in databases)
    done = sum(db.compare_end_num or 0 for db in databases)
    inconsistent = any((db.data_inconsistent_num or 0) > 0 for db in databases)
    progress = round(100.0 * done / total, 1) if total else None
    return progress, inconsistent


# -- health comparisons -----------------------------------------------------------------------
def compare_live(progress: Any) -> CompareLive:
    """v5 compare-progress -> what the detail pane says about a running comparison."""
    rechecks = [n for n in (progress.full_recheck_entities, progress.incre_recheck_entities) if n is not None]
    return CompareLive(
        full_percent=progress.full_progress,
        incremental_delay=progress.incre_delay,
        recheck_rows=sum(rechecks) if rechecks else None,
        speed=progress.global_src_speed or progress.full_src_speed,
    )


def health_comparison(job: HealthCompareJob) -> HealthComparison:
    return HealthComparison(
        id=job.id or "?",
        types=job.types,
        status=_status(job.status),
        start_time=job.start_time,
        end_time=job.end_time,
    )


# -- ordering ---------------------------------------------------------------------------------
_RESULT_ORDER = {
    TypeResult.INCONSISTENT: 0,
    TypeResult.UNKNOWN: 1,
    TypeResult.INCOMPLETE: 2,
    TypeResult.CONSISTENT: 3,
}


def _inconsistent_first(rows: Iterable[Any]) -> tuple[Any, ...]:
    """Inconsistent first, then could-not-tell, incomplete, consistent; stable otherwise."""
    return tuple(sorted(rows, key=lambda row: _RESULT_ORDER.get(row.result, 1)))
