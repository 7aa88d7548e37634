"""A fake DRS/SMS cloud for monitor tests: answers built from the API fixtures, real models,
per-call fault injection, call counting and an in-flight high-water mark."""

from __future__ import annotations

import asyncio
import copy
import json
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from drstui.api.errors import ApiError
from drstui.api.models import (
    CompareJobList,
    ContentCompareDetail,
    ContentCompareOverview,
    HealthCompareJobList,
    Job,
    LineCompareDetail,
    LineCompareOverview,
    ObjectCompareDetail,
    ObjectCompareOverview,
)
from drstui.api.sms import SmsExportBatchResult

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "fixtures"
T0 = datetime(2025, 1, 15, 8, 30, tzinfo=timezone.utc)


def _copy(data: Any) -> Any:
    """Answers are parsed, never mutated, by the models: a shallow copy is enough."""
    return copy.copy(data)


def fixture(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


class FakeClock:
    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


def job_json(job_id: str, name: str, status: str = "INCRE_TRANSFER_STARTED") -> dict[str, Any]:
    return {"id": job_id, "name": name, "status": status, "engine_type": "mysql-to-mysql",
            "job_direction": "up", "job_type": "sync", "create_time": "1736918400000"}


def timeout_error(path: str = "/v3/x") -> ApiError:
    return ApiError("request timed out", kind="timeout", path=path)


class FakeDrs:
    """Per-job answers as JSON dicts (mutable by tests); methods return real models."""

    def __init__(self, jobs: int = 3) -> None:
        self.jobs: list[dict[str, Any]] = [job_json(f"job-{i:03d}", f"DRS-{i:03d}") for i in range(jobs)]
        self.object_overview: dict[str, dict[str, Any] | ApiError] = {}
        self.table_jobs: dict[str, dict[str, Any]] = {}
        self.health_jobs: dict[str, dict[str, Any]] = {}
        self.line_overview = fixture("drs_line_overview")
        self.line_detail = fixture("drs_line_detail")
        self.content_overview = fixture("drs_content_overview")
        self.content_detail = fixture("drs_content_detail")
        self.object_detail = fixture("drs_object_compare_detail_TABLE")
        for job in self.jobs:
            self.object_overview[job["id"]] = fixture("drs_object_compare_overview")
            self.table_jobs[job["id"]] = {"count": 0, "compare_jobs": []}
            self.health_jobs[job["id"]] = {"count": 0, "compare_jobs": []}
        # (method name, job id or None for any) -> exception raised instead of answering
        self.faults: dict[tuple[str, str | None], BaseException] = {}
        self.calls: Counter[str] = Counter()
        self.calls_by_job: Counter[tuple[str, str]] = Counter()
        self.in_flight = 0
        self.peak_in_flight = 0
        self.latency: float = 0.0  # seconds of asyncio.sleep per call (0: just yield)
        # Virtual latency: every call waits for the next tick of this clock (see RoundTrips).
        self.round_trips: RoundTrips | None = None
        self.exports_started: list[tuple[str, str, str | None]] = []
        self.downloads: list[tuple[str, str, str | None]] = []
        self.download_error: BaseException | None = None

    async def _answer(self, method: str, job_id: str | None = None) -> None:
        self.calls[method] += 1
        if job_id is not None:
            self.calls_by_job[(method, job_id)] += 1
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        try:
            if self.round_trips is not None:
                await self.round_trips.wait()
            else:
                await asyncio.sleep(self.latency)
        finally:
            self.in_flight -= 1
        fault = self.faults.get((method, job_id)) or self.faults.get((method, None))
        if fault is not None:
            raise fault

    # -- reads ------------------------------------------------------------------------------
    async def list_all_jobs(self) -> list[Job]:
        await self._answer("list_all_jobs")
        return [Job.from_json(_copy(job)) for job in self.jobs]

    async def object_compare_overview(self, job_id: str) -> ObjectCompareOverview:
        await self._answer("object_compare_overview", job_id)
        answer = self.object_overview[job_id]
        if isinstance(answer, BaseException):
            raise answer
        return ObjectCompareOverview.from_json(_copy(answer))

    async def object_compare_detail(self, job_id: str, object_type: str, compare_job_id=None,
                                    limit: int = 1000, offset: int = 0) -> ObjectCompareDetail:
        await self._answer("object_compare_detail", job_id)
        return ObjectCompareDetail.from_json(_copy(self.object_detail))

    async def table_compare_jobs(self, job_id: str) -> CompareJobList:
        await self._answer("table_compare_jobs", job_id)
        return CompareJobList.from_json(_copy(self.table_jobs[job_id]))

    async def health_compare_jobs(self, job_id: str) -> HealthCompareJobList:
        await self._answer("health_compare_jobs", job_id)
        return HealthCompareJobList.from_json(_copy(self.health_jobs[job_id]))

    async def line_compare_overview(self, job_id: str, compare_job_id: str) -> LineCompareOverview:
        await self._answer("line_compare_overview", job_id)
        return LineCompareOverview.from_json(_copy(self.line_overview))

    async def line_compare_detail(self, job_id: str, compare_job_id: str, *, db_name=None) -> LineCompareDetail:
        await self._answer("line_compare_detail", job_id)
        detail = _copy(self.line_detail)
        if db_name != "orders":  # the fixture's tables belong to "orders"
            detail = {"total_count": 0, "table_line_compare_result_infos": []}
        return LineCompareDetail.from_json(detail)

    async def content_compare_overview(self, job_id: str, compare_job_id: str) -> ContentCompareOverview:
        await self._answer("content_compare_overview", job_id)
        return ContentCompareOverview.from_json(_copy(self.content_overview))

    async def content_compare_detail(self, job_id: str, compare_job_id: str) -> ContentCompareDetail:
        await self._answer("content_compare_detail", job_id)
        return ContentCompareDetail.from_json(_copy(self.content_detail))

    # -- writes -----------------------------------------------------------------------------
    async def export_compare_result_file(self, job_id, compare_type, region=None, compare_job_id=None,
                                         time_zone=None) -> None:
        await self._answer("export_compare_result_file", job_id)
        self.exports_started.append((job_id, compare_type, compare_job_id))

    async def download_compare_result_file(self, job_id, compare_type, compare_job_id, dest_dir,
                                           region=None, *, name_stem=None) -> Path:
        await self._answer("download_compare_result_file", job_id)
        if self.download_error is not None:
            raise self.download_error
        self.downloads.append((job_id, compare_type, compare_job_id))
        path = Path(dest_dir) / f"{name_stem or f'{job_id}-{compare_type}-{compare_job_id or 0}'}.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"xlsx")
        return path

    async def create_compare_task(self, request):
        await self._answer("create_compare_task", request.job_id)
        return request


class FakeSms:
    def __init__(self) -> None:
        self.calls: list[int] = []  # item counts per export call
        self.fail_batches: set[int] = set()

    async def export_consistency_results(self, items, dest_dir) -> list[SmsExportBatchResult]:
        items = list(items)
        results = []
        for index, start in enumerate(range(0, len(items), 200), start=1):
            batch = items[start:start + 200]
            self.calls.append(len(batch))
            if index in self.fail_batches:
                error = ApiError("no permission", status=403, error_code="SMS.9004")
                results.append(SmsExportBatchResult(index, len(batch), False, error=error))
            else:
                path = Path(dest_dir) / f"sms-batch{index}.xlsx"
                results.append(SmsExportBatchResult(index, len(batch), True, path=path))
        return results


class FakeCloud:
    def __init__(self, jobs: int = 3) -> None:
        self.drs = FakeDrs(jobs)
        self.sms = FakeSms()
        self.auth_resets = 0

    def reset_auth(self) -> None:
        self.auth_resets += 1


def compare_job(compare_id: str, compare_type: str, status: str, start: str,
                export_status: str = "INIT", remain: int = -1) -> dict[str, Any]:
    return {"id": compare_id, "type": compare_type, "status": status, "start_time": start,
            "end_time": "", "export_status": export_status, "report_remain_seconds": remain}


class RoundTrips:
    """Virtual network latency that counts round trips instead of timing them.

    Every call waits for the next tick; `run()` lets all runnable code reach its next call,
    then ticks, and counts ticks until the coroutine is done. Calls sent together share a
    tick, so the count is the length of the longest chain of calls that had to wait for each
    other: what wall time would be in round trips, with no clock and no flakiness.
    """

    def __init__(self) -> None:
        self._gate = asyncio.Event()
        self.ticks = 0

    async def wait(self) -> None:
        await self._gate.wait()

    async def run(self, coro):  # type: ignore[no-untyped-def]
        task = asyncio.ensure_future(coro)
        while True:
            for _ in range(200):  # no real I/O here: a bounded number of yields settles it
                await asyncio.sleep(0)
            if task.done():
                return task.result()
            self.ticks += 1
            gate, self._gate = self._gate, asyncio.Event()
            gate.set()
