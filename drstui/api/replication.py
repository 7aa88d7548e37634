"""Replication reads of the DRS client: progress and lag, link health, RPO/RTO, DDL alarms.

A mixin of :class:`drstui.api.drs.DrsClient` (it uses the client's `http`, `_p` and `_job`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import replace
from typing import Any

from .models.replication import (
    DDL_ALARMING,
    DdlAlarmList,
    JobRpoRto,
    JobRpoRtoList,
    MonitorData,
    ReplicationProgress,
    ReplicationProgressList,
)

# The API states no maximum of job ids per batch call: stay well inside what the sibling
# batch-status call accepts (100), so one refused call never hides a whole fleet.
PROGRESS_BATCH_MAX = 20
RPO_RTO_BATCH_MAX = 20
DDL_PAGE_MAX = 100


def _unique(job_ids: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(j for j in job_ids if j))


def _chunks(ids: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


class ReplicationReads:
    """Needs `http`, `_p(version, tail)` and `_job(version, job_id, tail)` from DrsClient."""

    http: Any
    _p: Any
    _job: Any

    async def batch_progress(self, job_ids: Iterable[str]) -> list[ReplicationProgress]:
        """Progress and lag of many jobs, in calls of at most PROGRESS_BATCH_MAX ids."""
        path = await self._p("v3", "/jobs/batch-progress")

        async def one(chunk: list[str]) -> list[ReplicationProgress]:
            resp = await self.http.request_json("POST", path, json_body={"jobs": chunk}, safe=True)
            return list(ReplicationProgressList.from_json(resp.data).results)

        # The batches at once: one round trip, not one per 20 jobs.
        answers = await asyncio.gather(*(one(c) for c in _chunks(_unique(job_ids), PROGRESS_BATCH_MAX)))
        return [progress for answer in answers for progress in answer]

    async def job_progress(self, job_id: str) -> ReplicationProgress | None:
        """One job's progress from the v5 job detail (`type=progress`): the per-job fallback."""
        resp = await self.http.request_json("GET", await self._job("v5", job_id),
                                            params={"type": "progress"})
        data = resp.data if isinstance(resp.data, dict) else {}
        job = data.get("job", data)
        info = job.get("progress_info") if isinstance(job, dict) else None
        if info is None:
            return None
        progress = ReplicationProgress.from_json(info)
        return progress if progress.job_id else _with_job_id(progress, job_id)

    async def monitor_data(self, job_id: str) -> MonitorData:
        resp = await self.http.request_json("GET", await self._job("v5", job_id, "/monitor-data"))
        return MonitorData.from_json(resp.data if resp.data is not None else {})

    async def batch_rpo_rto(self, job_ids: Iterable[str]) -> list[JobRpoRto]:
        """RPO/RTO of disaster-recovery jobs, in calls of at most RPO_RTO_BATCH_MAX ids."""
        path = await self._p("v3", "/jobs/batch-rpo-and-rto")

        async def one(chunk: list[str]) -> list[JobRpoRto]:
            resp = await self.http.request_json("POST", path, json_body={"jobs": chunk}, safe=True)
            return list(JobRpoRtoList.from_json(resp.data).results)

        answers = await asyncio.gather(*(one(c) for c in _chunks(_unique(job_ids), RPO_RTO_BATCH_MAX)))
        return [rpo_rto for answer in answers for rpo_rto in answer]

    async def job_ddls(self, job_id: str, *, alarming_only: bool = False, limit: int = 10,
                       offset: int = 0) -> DdlAlarmList:
        """DDLs seen on the source; `alarming_only` asks for status 1 (the ones that block)."""
        if not 1 <= limit <= DDL_PAGE_MAX:
            raise ValueError(f"limit must be between 1 and {DDL_PAGE_MAX}, not {limit}")
        if offset < 0:
            raise ValueError(f"offset must be >= 0, not {offset}")
        params: dict[str, Any] = {"offset": offset, "limit": limit}
        if alarming_only:
            params["status"] = DDL_ALARMING
        resp = await self.http.request_json("GET", await self._job("v5", job_id, "/ddl"),
                                            params=params)
        return DdlAlarmList.from_json(resp.data if resp.data is not None else {})


def _with_job_id(progress: ReplicationProgress, job_id: str) -> ReplicationProgress:
    return replace(progress, job_id=job_id)
