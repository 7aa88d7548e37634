"""A scripted MonitorSource and fixed data for the UI tests (and, for now, the screenshots).

The data covers what a triage must show: a consistent job, an object comparison where TABLE and
VIEW differ, a running data comparison, a failed job, a paused job, a job whose last refresh
partly failed, a report export counting down and an SMS batch export with one failed batch.
"""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import datetime, timedelta, timezone
from pathlib import Path

from drstui.monitor.changes import Transition, transitions
from drstui.monitor.readiness import Thresholds, cutover_readiness, job_readiness
from drstui.monitor.snapshot import (
    Connection,
    DataComparison,
    ExportRecord,
    HealthComparison,
    JobView,
    LagPoint,
    LinkState,
    ObjectComparison,
    ObjectDetailRow,
    ObjectTypeRow,
    Replication,
    SmsBatchResult,
    Snapshot,
    TableRow,
    TypeResult,
    Verdict,
)
from drstui.monitor.source import MonitorError

NOW = datetime(2024, 4, 9, 7, 30, 0, tzinfo=timezone.utc)


def fixed_clock() -> datetime:
    return NOW


class Clock:
    """A clock the test moves by hand."""

    def __init__(self, start: datetime = NOW) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def _t(minutes_ago: float) -> datetime:
    return NOW - timedelta(minutes=minutes_ago)


C, I, P = TypeResult.CONSISTENT, TypeResult.INCONSISTENT, TypeResult.INCOMPLETE

BILLING_ID = "94800607-3cd8-4f7d-a340-63a10f8jb502"
ORDERS_ID = "f8688cfa-4e05-406f-a2e6-37a773cjb20y"
CRM_ID = "9a470239-2308-4bb5-a6bc-1040402fjb21"
ERP_ID = "2b1c7d40-11aa-4c3e-9d2e-5f6a7b8cjb31"
REPORTING_ID = "6e5d4c3b-2a19-4807-b6c5-d4e3f2a1jb44"
INVENTORY_ID = "0f1e2d3c-4b5a-4697-8877-665544jb5ab"

BILLING_OBJECT_COMPARE = "bfcdc4d9-f0ae-4108-be42-6974d60cd1d2"


def _table(db: str, table: str, source: int, target: int, code: int, text: str, result: TypeResult) -> TableRow:
    return TableRow(db, table, db, table, source, target, source - target, code, text, result)


def billing_job() -> JobView:
    return JobView(
        id=BILLING_ID,
        name="billing-core",
        status="INCRE_TRANSFER_STARTED",
        engine_type="mysql",
        job_direction="up",
        job_type="migration",
        create_time=_t(60 * 26),
        verdict=Verdict.INCONSISTENT,
        object_comparison=ObjectComparison(
            compare_job_id=BILLING_OBJECT_COMPARE,
            status="SUCCESSFUL",
            verdict=Verdict.INCONSISTENT,
            create_time=_t(42),
            start_time=_t(41),
            export_status="EXPORT_COMPLETE",
            report_remain_seconds=3540,
            rows=(
                ObjectTypeRow("DB", 3, 3, C),
                ObjectTypeRow("TABLE", 182, 179, I),
                ObjectTypeRow("VIEW", 14, 12, I),
                ObjectTypeRow("INDEX", 411, 411, C),
                ObjectTypeRow("ROUTINE", 9, 9, C),
                ObjectTypeRow("TRIGGER", 6, 6, C),
                ObjectTypeRow("EVENT", 2, None, P),
            ),
        ),
        data_comparisons=(
            DataComparison(
                id="5c0a9c7e-8d1b-4e8e-9b51-0d3f2e1a7c11",
                compare_type="lines",
                status="SUCCESSFUL",
                verdict=Verdict.INCONSISTENT,
                start_time=_t(30),
                end_time=_t(22),
                tables=(
                    _table("billing", "invoice_line", 1_204_332, 1_204_301, 0, "inconsistent", I),
                    _table("billing", "payment", 88_120, 88_119, 0, "inconsistent", I),
                    _table("billing", "customer", 52_004, 52_004, 2, "consistent", C),
                    _table("billing", "tariff", 311, 311, 2, "consistent", C),
                ),
            ),
        ),
        health_comparisons=(
            HealthComparison("118d1bdc-b3c8-48a0-af77-3400da6e9291", ("lines", "object_comparison"), "SUCCESSFUL", _t(180), _t(171)),
            HealthComparison("2a9e3f10-77c4-4b3e-a0d1-9f8e7d6c5b4a", ("object_comparison",), "RUNNING", _t(5), None),
        ),
    )


def orders_job() -> JobView:
    return JobView(
        id=ORDERS_ID,
        name="orders-prod",
        status="INCRE_TRANSFER_STARTED",
        engine_type="mysql",
        job_direction="up",
        create_time=_t(60 * 50),
        verdict=Verdict.CONSISTENT,
        object_comparison=ObjectComparison(
            compare_job_id="7d3e1c2b-5a4f-4e6d-8c9b-0a1b2c3d4e5f",
            status="SUCCESSFUL",
            verdict=Verdict.CONSISTENT,
            create_time=_t(90),
            start_time=_t(89),
            export_status="INIT",
            report_remain_seconds=-1,
            rows=(ObjectTypeRow("DB", 1, 1, C), ObjectTypeRow("TABLE", 64, 64, C), ObjectTypeRow("INDEX", 130, 130, C)),
        ),
        data_comparisons=(
            DataComparison(
                id="d1e2f3a4-b5c6-4d7e-8f90-a1b2c3d4e5f6",
                compare_type="lines",
                status="SUCCESSFUL",
                verdict=Verdict.CONSISTENT,
                start_time=_t(80),
                end_time=_t(70),
                tables=(_table("orders", "order", 9_880_112, 9_880_112, 2, "consistent", C),),
            ),
        ),
    )


def crm_job() -> JobView:
    return JobView(
        id=CRM_ID,
        name="crm-sync",
        status="INCRE_TRANSFER_STARTED",
        engine_type="mysql-to-gaussdbv5",
        job_direction="up",
        job_type="sync",
        create_time=_t(60 * 8),
        verdict=Verdict.RUNNING,
        data_comparisons=(
            DataComparison(
                id="a0b1c2d3-e4f5-4a6b-8c7d-9e0f1a2b3c4d",
                compare_type="contents",
                status="RUNNING",
                verdict=Verdict.RUNNING,
                start_time=_t(6),
                progress=45.0,
                tables=(
                    _table("crm", "contact", 402_118, 402_118, 2, "consistent", C),
                    TableRow("crm", "activity", "crm", "activity", 3_310_554, None, None, 5, "comparing", P),
                ),
            ),
        ),
    )


def erp_job() -> JobView:
    return JobView(
        id=ERP_ID,
        name="legacy-erp",
        status="FULL_TRANSFER_FAILED",
        engine_type="oracle-to-gaussdbv5",
        job_direction="up",
        create_time=_t(60 * 3),
        verdict=Verdict.FAILED,
        object_comparison=ObjectComparison(
            compare_job_id="c4d5e6f7-0819-4a2b-9c3d-4e5f60718293",
            status="FAILED",
            verdict=Verdict.FAILED,
            create_time=_t(50),
            start_time=_t(49),
            error_msg="DRS.M03303: source database connection failed",
        ),
    )


def reporting_job() -> JobView:
    return JobView(
        id=REPORTING_ID,
        name="reporting-replica",
        status="PAUSING",
        engine_type="mysql",
        job_direction="down",
        create_time=_t(60 * 72),
    )


def inventory_job() -> JobView:
    return JobView(
        id=INVENTORY_ID,
        name="inventory-dr",
        status="FULL_TRANSFER_STARTED",
        engine_type="mysql",
        job_direction="non-dbs",
        job_type="cloudDataGuard",
        create_time=_t(60 * 2),
        problems=("object comparison (HTTP 429, retrying)",),
    )


def exports() -> tuple[ExportRecord, ...]:
    return (
        ExportRecord(
            key="drs:billing-core:objects_comparison",
            kind="drs",
            status="EXPORT_COMPLETE",
            job_id=BILLING_ID,
            job_name="billing-core",
            compare_type="objects_comparison",
            compare_job_id=BILLING_OBJECT_COMPARE,
            report_remain_seconds=3600,
            remain_as_of=NOW - timedelta(seconds=60),
            saved_path="~/Downloads/drstui/billing-core-objects_comparison.zip",
        ),
        ExportRecord(
            key="drs:billing-core:lines",
            kind="drs",
            status="EXPORTING",
            job_id=BILLING_ID,
            job_name="billing-core",
            compare_type="lines",
            report_remain_seconds=-1,
            remain_as_of=NOW,
            message="report being generated",
        ),
        ExportRecord(
            key="sms:2024-04-09T07:12:40",
            kind="sms",
            status="PARTIAL_FAILED",
            message="1 of 2 calls failed",
            batches=(
                SmsBatchResult(1, 200, True, saved_path="~/Downloads/drstui/sms-consistency-1.zip"),
                SmsBatchResult(2, 37, False, error="SMS.9004: You do not have permission to perform this operation."),
            ),
        ),
    )


def snapshot(**changes: object) -> Snapshot:
    """The scripted Snapshot: six jobs, three exports, connection OK, data 3 s old."""
    base = Snapshot(
        profile="prod",
        region="cn-north-4",
        project_id="0a1b2c3d4e5f60718293a4b5c6d7e8f9",
        connection=Connection(LinkState.OK),
        taken_at=NOW - timedelta(seconds=3),
        jobs=(orders_job(), billing_job(), crm_job(), erp_job(), reporting_job(), inventory_job()),
        exports=exports(),
        sequence=1,
    )
    return dataclasses.replace(with_readiness(base), **changes)  # type: ignore[arg-type]


# -- replication figures and readiness (what drstui.monitor.replication would add) -------------
READINESS_LIMITS = Thresholds(max_lag=5, stable_for=120, max_compare_age=2 * 3600)


def lag_history(*values_ms: float | None) -> tuple[LagPoint, ...]:
    """Readings 5 s apart, the last one now."""
    count = len(values_ms)
    return tuple(LagPoint(NOW - timedelta(seconds=5 * (count - 1 - i)), v) for i, v in enumerate(values_ms))


def replications() -> dict[str, Replication]:
    calm = (900, 700, 650, 1200, 800, 600, 700, 900, 750, 820)
    return {
        ORDERS_ID: Replication(lag_ms=820, source_lag_ms=300, target_lag_ms=520, progress_percent=100,
                               source_ok=True, target_ok=True, updated_at=NOW - timedelta(seconds=4),
                               ddl_alarms=0, lag_state="under", lag_state_since=_t(12), lag_before="over",
                               lag_settled="under",
                               history=lag_history(4200, 6800, 3100, *calm)),
        BILLING_ID: Replication(lag_ms=1400, source_lag_ms=400, target_lag_ms=1000, progress_percent=100,
                                source_ok=True, target_ok=True, updated_at=NOW - timedelta(seconds=6),
                                ddl_alarms=2, lag_state="under", lag_state_since=_t(30), lag_before=None,
                                lag_settled="under",
                                history=lag_history(*calm, 1400)),
        CRM_ID: Replication(lag_ms=42_000, source_lag_ms=1000, target_lag_ms=41_000, progress_percent=100,
                            source_ok=True, target_ok=False, updated_at=NOW - timedelta(seconds=5),
                            ddl_alarms=0, lag_state="over", lag_state_since=_t(3), lag_before="under",
                            lag_settled="over",
                            history=lag_history(700, 800, 600, 3000, 9000, 15000, 21000, 27000, 33000,
                                                38000, 42000)),
        INVENTORY_ID: Replication(progress_percent=63, remaining_seconds=80 * 60, rpo_seconds=12,
                                  rto_seconds=30, updated_at=NOW - timedelta(seconds=8)),
    }


def with_readiness(base: Snapshot, cutover_ids: tuple[str, ...] | None = None) -> Snapshot:
    figures = replications()
    jobs = []
    for job in base.jobs:
        job = dataclasses.replace(job, replication=job.replication or figures.get(job.id))
        if cutover_ids is None or job.id in cutover_ids:
            job = dataclasses.replace(job, readiness=job_readiness(job, READINESS_LIMITS, NOW))
        jobs.append(job)
    return dataclasses.replace(base, jobs=tuple(jobs), readiness=cutover_readiness(jobs, cutover_ids))


def stale_snapshot() -> Snapshot:
    return snapshot(
        connection=Connection(
            LinkState.STALE,
            reason="timed out after 10 s reading drs.cn-north-4.myhuaweicloud.com",
            since=NOW - timedelta(minutes=4, seconds=12),
        ),
        taken_at=NOW - timedelta(minutes=4, seconds=15),
    )


def retrying_snapshot() -> Snapshot:
    return snapshot(
        connection=Connection(LinkState.RETRYING, reason="HTTP 503 from DRS", since=NOW - timedelta(seconds=8)),
        taken_at=NOW - timedelta(seconds=14),
    )


def replace_job(base: Snapshot, job_id: str, **changes: object) -> Snapshot:
    jobs = tuple(dataclasses.replace(job, **changes) if job.id == job_id else job for job in base.jobs)  # type: ignore[arg-type]
    return dataclasses.replace(base, jobs=jobs)


TABLE_DETAIL = (
    ObjectDetailRow("billing.invoice_archive", None, None, None, I, "missing in target"),
    ObjectDetailRow("billing.invoice", "billing.invoice", "42 columns", "41 columns", I, "column definitions differ"),
    ObjectDetailRow("billing.customer", "billing.customer", None, None, C),
    ObjectDetailRow("billing.tmp_load", None, None, None, I, "missing in target"),
    ObjectDetailRow("billing.tariff", "billing.tariff", None, None, C),
)


class ScriptedSource:
    """Returns the scripted Snapshots in order (the last one repeats); records how it is called.

    Set `gate` to an asyncio.Event to hold refresh() until the test sets it.
    """

    def __init__(
        self,
        snapshots: list[Snapshot] | None = None,
        *,
        details: dict[str, tuple[ObjectDetailRow, ...]] | None = None,
        detail_error: str | None = None,
    ) -> None:
        self.snapshots = list(snapshots or [snapshot()])
        self.details = details if details is not None else {"TABLE": TABLE_DETAIL}
        self.detail_error = detail_error
        self.gate: asyncio.Event | None = None
        self.calls = 0
        self.in_flight = 0
        self.max_in_flight = 0
        self.detail_calls: list[tuple[str, str, str | None]] = []

    def push(self, snapshot_: Snapshot) -> None:
        """The next refresh returns this Snapshot (and it repeats afterwards)."""
        self.snapshots = [snapshot_]

    async def refresh(self) -> Snapshot:
        self.calls += 1
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        try:
            if self.gate is not None:
                await self.gate.wait()
            if len(self.snapshots) > 1:
                return self.snapshots.pop(0)
            return self.snapshots[0]
        finally:
            self.in_flight -= 1

    async def object_detail(
        self, job_id: str, object_type: str, compare_job_id: str | None
    ) -> tuple[ObjectDetailRow, ...]:
        self.detail_calls.append((job_id, object_type, compare_job_id))
        if self.detail_error is not None:
            raise MonitorError(self.detail_error)
        return self.details.get(object_type, ())


class HistorySource(ScriptedSource):
    """A ScriptedSource with the optional MonitorHistory members, as `Monitor` has them.

    It finds transitions with `changes.transitions` (like the Monitor) and keeps them in
    `logged`, standing in for the cutover log; `earlier` is what "today's log" held before.
    """

    def __init__(
        self,
        snapshots: list[Snapshot] | None = None,
        *,
        trends: dict[str, list[int]] | None = None,
        earlier: list[Transition] | None = None,
        log_path: Path | None = Path("/var/log/drstui/cutover-20240409.jsonl"),
        log_error: str | None = None,
    ) -> None:
        super().__init__(snapshots)
        self.trends = trends or {}
        self.logged: list[Transition] = list(earlier or [])
        self.log_path = log_path
        self.log_error = log_error
        self.last: Snapshot | None = None
        self.last_found: list[Transition] = []

    async def refresh(self) -> Snapshot:
        result = await super().refresh()
        # The Monitor compares with its empty start Snapshot; nothing job-level comes of it.
        self.last_found = transitions(self.last, result) if self.last is not None else []
        self.logged.extend(self.last_found)
        self.last = result
        return result

    def transitions_for(self, snapshot_: Snapshot) -> list[Transition] | None:
        return self.last_found if snapshot_ is self.last else None

    def trend_series(self, job_id: str) -> list[int]:
        return self.trends.get(job_id, [])

    def events(self, limit: int | None = None) -> list[Transition]:
        return self.logged[-limit:] if limit else list(self.logged)

    def events_path(self) -> Path | None:
        return self.log_path

    def events_error(self) -> str | None:
        return self.log_error
