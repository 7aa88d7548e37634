"""Calls that do not depend on each other go out together: a refresh costs round trips, not
requests. Each test holds the matching requests until all are in flight at once; code that
sent them one after another would never get there (and fail on the timeout)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest

from drstui.api.drs import DrsClient
from drstui.api.errors import ApiError
from drstui.api.retry import RetryPolicy
from drstui.api.transport import HttpSession

from .helpers import BASE, PID, json_response

HOLD_LIMIT = 10.0  # seconds; only reached when the requests were not sent together


class Gate:
    """An async MockTransport handler: requests that `holds(request)` wait until `count` of them
    are in flight at the same time; the rest are answered at once."""

    def __init__(self, count: int, holds, answer) -> None:
        self.count = count
        self.holds = holds
        self.answer = answer
        self.held = 0
        self.open = asyncio.Event()
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        await request.aread()
        self.requests.append(request)
        if self.holds(request):
            self.held += 1
            if self.held >= self.count:
                self.open.set()
            await asyncio.wait_for(self.open.wait(), HOLD_LIMIT)
        return self.answer(request)


def drs_client(gate: Gate) -> DrsClient:
    session = HttpSession(BASE, transport=httpx.MockTransport(gate), retry_policy=RetryPolicy(max_attempts=1))
    return DrsClient(session, PID, "cn-north-4")


def job_list(request: httpx.Request) -> httpx.Response:
    job_type = request.url.params["job_type"]
    return json_response(200, {"total_count": 1, "jobs": [{"id": f"{job_type}-1"}]})


async def test_the_job_types_after_the_first_are_listed_at_once():
    gate = Gate(3, lambda r: r.url.params["job_type"] != "migration", job_list)
    jobs = await drs_client(gate).list_all_jobs()
    assert sorted(job.id for job in jobs) == ["cloudDataGuard-1", "migration-1", "replay-1", "sync-1"]
    # The first type alone, first: it says which list the region offers.
    assert gate.requests[0].url.params["job_type"] == "migration"


async def test_a_failing_first_type_costs_one_call():
    def refuse(request: httpx.Request) -> httpx.Response:
        return json_response(503, {"error_code": "APIGW.0203", "error_msg": "service unavailable"})

    gate = Gate(99, lambda r: False, refuse)
    with pytest.raises(ApiError):
        await drs_client(gate).list_all_jobs()
    assert len(gate.requests) == 1


async def test_progress_batches_go_out_together():
    def progress(request: httpx.Request) -> httpx.Response:
        ids = json.loads(request.content)["jobs"]
        return json_response(200, {"count": len(ids), "results": [{"job_id": i} for i in ids]})

    gate = Gate(3, lambda r: r.url.path.endswith("/batch-progress"), progress)
    ids = [f"job-{n}" for n in range(45)]  # 20 + 20 + 5
    answers = await drs_client(gate).batch_progress(ids)
    assert [a.job_id for a in answers] == ids  # in the order asked
    assert sorted(len(json.loads(r.content)["jobs"]) for r in gate.requests) == [5, 20, 20]
