"""Retry/backoff decisions and the HTTP session's behaviour under faults (injected sleep)."""

from __future__ import annotations

import random
from datetime import datetime, timezone

import httpx
import pytest

from drstui.api.errors import ApiError
from drstui.api.retry import RetryPolicy, parse_retry_after
from drstui.api.transport import HttpSession

from .helpers import Recorder, json_response, make_session

FIXED = datetime(2025, 1, 15, 8, 30, tzinfo=timezone.utc)


def test_backoff_full_jitter_bounded_by_cap():
    policy = RetryPolicy(base=0.5, cap=30.0, rng=random.Random(1))
    for attempt in range(1, 12):
        ceiling = min(30.0, 0.5 * 2 ** (attempt - 1))
        assert 0.0 <= policy.backoff(attempt) <= ceiling


def test_backoff_deterministic_with_seeded_rng():
    a = [RetryPolicy(rng=random.Random(3)).backoff(n) for n in (1, 2, 3)]
    b = [RetryPolicy(rng=random.Random(3)).backoff(n) for n in (1, 2, 3)]
    assert a == b


@pytest.mark.parametrize("status,safe,expected", [
    (500, True, True), (502, True, True), (503, True, True), (504, True, True), (429, True, True),
    (501, True, False), (400, True, False), (401, True, False), (404, True, False),
    (500, False, False), (429, False, False),
])
def test_status_decisions(status, safe, expected):
    policy = RetryPolicy(rng=random.Random(0))
    assert (policy.delay_after_status(1, status, None, safe) is not None) is expected


def test_bounded_attempts():
    policy = RetryPolicy(max_attempts=3)
    assert policy.delay_after_status(2, 503, None, True) is not None
    assert policy.delay_after_status(3, 503, None, True) is None


def test_retry_after_honoured_and_long_ones_not_waited():
    policy = RetryPolicy(max_retry_after=30)
    assert policy.delay_after_status(1, 429, 7.0, True) == 7.0
    assert policy.delay_after_status(1, 429, 120.0, True) is None


def test_parse_retry_after():
    assert parse_retry_after("5") == 5.0
    assert parse_retry_after(" 2.5 ") == 2.5
    assert parse_retry_after("Wed, 15 Jan 2025 08:30:10 GMT", now=FIXED) == 10.0
    assert parse_retry_after("Wed, 15 Jan 2025 08:00:00 GMT", now=FIXED) == 0.0
    assert parse_retry_after("soon") is None and parse_retry_after(None) is None
    assert parse_retry_after("-3") == 0.0


@pytest.mark.parametrize("exc,retry", [
    (httpx.ConnectError("refused"), True), (httpx.ReadTimeout("slow"), True),
    (httpx.ConnectTimeout("slow"), True), (httpx.RemoteProtocolError("dropped"), True),
    (httpx.WriteError("x"), False),
])
def test_exception_decisions(exc, retry):
    assert (RetryPolicy().delay_after_exception(1, exc, True) is not None) is retry
    assert RetryPolicy().delay_after_exception(1, exc, False) is None


def test_is_safe():
    assert RetryPolicy.is_safe("GET") and RetryPolicy.is_safe("head")
    assert not RetryPolicy.is_safe("POST") and not RetryPolicy.is_safe("DELETE")
    assert RetryPolicy.is_safe("POST", marked_safe=True)


# -- session behaviour ------------------------------------------------------------------------
async def test_get_retried_on_5xx_then_succeeds(policy, sleeps):
    rec = Recorder([json_response(503, {"error_code": "X", "error_msg": "busy"}),
                    json_response(502, {}), json_response(200, {"ok": 1})])
    resp = await make_session(rec, policy).request_json("GET", "/v3/x")
    assert resp.data == {"ok": 1}
    assert len(rec.requests) == 3 and len(sleeps.delays) == 2
    assert sleeps.delays[0] <= 0.5 and sleeps.delays[1] <= 1.0


async def test_attempts_are_bounded(policy, sleeps):
    rec = Recorder(default=json_response(500, {"error_code": "DRS.500", "error_msg": "boom"}))
    with pytest.raises(ApiError) as info:
        await make_session(rec, policy).request_json("GET", "/v3/x")
    assert len(rec.requests) == 4 and len(sleeps.delays) == 3
    assert info.value.status == 500 and info.value.error_code == "DRS.500"


async def test_429_retry_after_seconds_honoured(policy, sleeps):
    rec = Recorder([json_response(429, {"error_code": "APIGW.0308", "error_msg": "throttled"},
                                  {"Retry-After": "3"}),
                    json_response(200, {})])
    await make_session(rec, policy).request_json("GET", "/v3/x")
    assert sleeps.delays == [3.0]


async def test_429_retry_after_http_date(policy, sleeps):
    rec = Recorder([json_response(429, {}, {"Retry-After": "Wed, 15 Jan 2025 08:30:04 GMT"}),
                    json_response(200, {})])
    await make_session(rec, policy, clock=lambda: FIXED).request_json("GET", "/v3/x")
    assert sleeps.delays == [4.0]


async def test_429_with_long_retry_after_raises_throttled(policy, sleeps):
    rec = Recorder([json_response(429, {"error_code": "APIGW.0308", "error_msg": "slow down"},
                                  {"Retry-After": "300"})])
    with pytest.raises(ApiError) as info:
        await make_session(rec, policy).request_json("GET", "/v3/x")
    assert info.value.kind == "throttled" and info.value.retry_after == 300
    assert sleeps.delays == [] and len(rec.requests) == 1


@pytest.mark.parametrize("status", [500, 503, 429])
async def test_unsafe_post_never_retried(policy, sleeps, status):
    rec = Recorder(default=json_response(status, {"error_code": "E", "error_msg": "no"}))
    with pytest.raises(ApiError):
        await make_session(rec, policy).request_json("POST", "/v3/p/jobs/create-compare-task",
                                                     json_body={"job_id": "j"})
    assert len(rec.requests) == 1 and sleeps.delays == []


async def test_unsafe_post_not_retried_on_timeout(policy, sleeps):
    rec = Recorder([httpx.ReadTimeout("slow")])
    with pytest.raises(ApiError) as info:
        await make_session(rec, policy).request_json("POST", "/v3/tasks/consistency-results/export",
                                                     json_body={})
    assert info.value.kind == "timeout" and len(rec.requests) == 1


async def test_marked_safe_post_is_retried(policy, sleeps):
    rec = Recorder([json_response(503, {}), json_response(200, {"results": [], "count": 0})])
    await make_session(rec, policy).request_json("POST", "/v3/p/jobs/batch-status",
                                                 json_body={"jobs": []}, safe=True)
    assert len(rec.requests) == 2 and rec.requests[0].content == rec.requests[1].content


async def test_timeouts_and_connect_errors_mapped_and_retried(policy, sleeps):
    rec = Recorder([httpx.ReadTimeout("slow"), httpx.ConnectError("refused"),
                    json_response(200, {"a": 1})])
    resp = await make_session(rec, policy).request_json("GET", "/v3/x")
    assert resp.data == {"a": 1} and len(sleeps.delays) == 2


async def test_exhausted_timeouts_raise_timeout_kind(sleeps):
    rec = Recorder(default=None, responses=[httpx.ReadTimeout("slow")] * 2)
    policy = RetryPolicy(max_attempts=2, rng=random.Random(0), sleep=sleeps)
    with pytest.raises(ApiError) as info:
        await make_session(rec, policy).request_json("GET", "/v3/x")
    assert info.value.kind == "timeout" and info.value.path == "/v3/x"


async def test_connect_error_kind_and_no_proxy_password():
    rec = Recorder([httpx.ConnectError("proxy http://bob:hunter2@proxy:3128 refused")])
    with pytest.raises(ApiError) as info:
        await make_session(rec).request_json("GET", "/v3/x")
    assert info.value.kind == "connect" and "hunter2" not in str(info.value)


async def test_malformed_json_raises_malformed():
    rec = Recorder([httpx.Response(200, content=b"{not json", headers={"X-Request-Id": "r9"})])
    with pytest.raises(ApiError) as info:
        await make_session(rec).request_json("GET", "/v3/x")
    assert info.value.kind == "malformed" and info.value.request_id == "r9"


async def test_200_with_error_code_raises():
    rec = Recorder([json_response(200, {"error_code": "DRS.10000001", "error_msg": "Failed."},
                                  {"X-Request-Id": "abc"})])
    with pytest.raises(ApiError) as info:
        await make_session(rec).request_json("GET", "/v3/x")
    assert info.value.status == 200 and info.value.error_code == "DRS.10000001"
    assert info.value.request_id == "abc"


async def test_request_headers_body_and_hook():
    records = []
    rec = Recorder([json_response(200, {})])
    session = make_session(rec, language="zh-cn", on_request=records.append)
    await session.request_json("POST", "/v3/x", params={"b": "x y", "a": 1}, json_body={"k": "é"})
    req = rec.last
    assert str(req.url) == "https://drs.cn-north-4.myhuaweicloud.com/v3/x?a=1&b=x%20y"
    assert req.headers["Content-Type"] == "application/json"
    assert req.headers["X-Language"] == "zh-cn"
    assert req.content == '{"k":"é"}'.encode()
    assert len(records) == 1 and records[0].status == 200 and records[0].path == "/v3/x"
    assert records[0].method == "POST"


async def test_hook_failure_does_not_break_calls():
    def broken(_record):
        raise RuntimeError("logging is down")

    rec = Recorder([json_response(200, {"x": 1})])
    resp = await make_session(rec, on_request=broken).request_json("GET", "/v3/x")
    assert resp.data == {"x": 1}


async def test_empty_body_is_none():
    rec = Recorder([httpx.Response(200, content=b"")])
    assert (await make_session(rec).request_json("GET", "/v3/x")).data is None


async def test_session_context_manager_closes_own_client():
    rec = Recorder([json_response(200, {})])
    async with HttpSession("https://h", transport=rec.transport) as session:
        await session.request_json("GET", "/")
    assert session._client.is_closed



async def test_ca_bundle_path_accepted_without_deprecation_warning():
    import warnings

    import certifi  # an httpx dependency: a real CA bundle path

    from drstui.api.transport import make_client

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        client = make_client(verify=certifi.where())
    await client.aclose()
