"""Lifecycle calls of DrsClient against recorded JSON: differences, pause/restart, compare policy."""

from __future__ import annotations

import pytest

from drstui.api.drs import DrsClient
from drstui.api.errors import ApiError
from drstui.api.models.lifecycle import (
    DIFFERENT,
    ONLY_IN_SOURCE,
    ONLY_IN_TARGET,
    ComparePolicy,
    ComparePolicyUpdate,
    ContentDifference,
    period_for,
    period_weekdays,
)
from drstui.api.retry import RetryPolicy

from .helpers import BASE, JOB_A, PID, Recorder, json_response, load, make_session

CMP = "9406224c-8063-436a-8fe2-796d87f054dc"
OTHER = "8c283eb4-65a9-4c6e-96fc-f268b0e3c443"


def client(rec: Recorder, policy=None) -> DrsClient:
    return DrsClient(make_session(rec, policy), PID, "cn-north-4")


async def test_content_difference_page_and_kinds():
    rec = Recorder([json_response(200, load("drs_content_difference.json"))])
    diff = await client(rec).content_difference(JOB_A, CMP, db_name="orders", table_name="order_items",
                                                limit=50, offset=100)
    assert rec.last.method == "GET"
    assert str(rec.last.url) == (BASE + f"/v3/{PID}/jobs/{JOB_A}/compare/{CMP}/content-difference"
                                 "?db_name=orders&limit=50&offset=100&table_name=order_items")
    assert (diff.count, diff.only_in_source, diff.only_in_target, diff.different) == (3, 1, 1, 1)
    assert [r.kind for r in diff.rows] == [ONLY_IN_SOURCE, ONLY_IN_TARGET, DIFFERENT]
    assert diff.rows[2].key_text == "1003, EU"
    assert diff.rows[0].select_sql.startswith("SELECT * FROM `orders`.`order_items`")


async def test_content_difference_omits_unset_filters():
    rec = Recorder([json_response(200, {"count": 0, "contents_infos": []})])
    diff = await client(rec).content_difference(JOB_A, CMP)
    assert rec.last.url.query == b"limit=100&offset=0"
    assert diff.count == 0 and diff.rows == ()


@pytest.mark.parametrize("kwargs", [{"limit": 0}, {"limit": 1001}, {"offset": -1}])
async def test_content_difference_refuses_bad_paging_before_sending(kwargs):
    rec = Recorder()
    with pytest.raises(ValueError):
        await client(rec).content_difference(JOB_A, CMP, **kwargs)
    assert rec.requests == []


def test_content_difference_is_lenient_and_names_bad_fields():
    parsed = ContentDifference.from_json({"count": "2", "contents_infos": [None, {"future": 1}], "new": True})
    assert parsed.count == 2 and len(parsed.rows) == 1 and parsed.extra == {"new": True}
    assert parsed.rows[0].kind == DIFFERENT and parsed.rows[0].extra == {"future": 1}
    with pytest.raises(ApiError) as info:
        ContentDifference.from_json({"contents_infos": [{"source_key_value": "1001"}]})
    assert "contents_infos[0].source_key_value" in str(info.value)


@pytest.mark.parametrize("verb", ["pause", "restart"])
async def test_pause_and_restart_send_the_ids_once(verb):
    rec = Recorder([json_response(202, load("drs_compare_pause.response.json"))])
    drs = client(rec, RetryPolicy(max_attempts=3))
    call = drs.pause_compare if verb == "pause" else drs.restart_compare
    result = await call(JOB_A, [OTHER, OTHER, ""])
    assert rec.last.method == "POST"
    assert str(rec.last.url) == BASE + f"/v5/{PID}/jobs/{JOB_A}/compare/{verb}"
    assert rec.body() == load("drs_compare_pause.request.json")
    assert result.request_id == OTHER


async def test_pause_is_not_retried_on_a_server_error():
    rec = Recorder([json_response(503, {"error_code": "SYS.0503", "error_msg": "busy"})] * 3)
    with pytest.raises(ApiError):
        await client(rec, RetryPolicy(max_attempts=3)).pause_compare(JOB_A, [CMP])
    assert len(rec.requests) == 1


async def test_pause_refusal_reaches_the_caller():
    rec = Recorder([json_response(400, load("drs_error_400_compare_pause_unsupported.json"))])
    with pytest.raises(ApiError) as info:
        await client(rec).restart_compare(JOB_A, [CMP])
    assert info.value.error_code == "DRS.M10018"


async def test_pause_needs_a_comparison():
    rec = Recorder()
    with pytest.raises(ValueError):
        await client(rec).pause_compare(JOB_A, [])
    assert rec.requests == []


async def test_show_compare_policy():
    rec = Recorder([json_response(200, load("drs_compare_policy.json"))])
    policy = await client(rec).show_compare_policy(JOB_A)
    assert rec.last.method == "GET"
    assert str(rec.last.url) == BASE + f"/v5/{PID}/jobs/{JOB_A}/compare-policy"
    assert policy.is_open and policy.supported and policy.weekdays == (1, 3, 5)
    assert policy.compare_type == ("object_comparison", "lines")
    assert policy.next_compare_time.isoformat() == "2023-06-12T08:00:00+00:00"
    assert (policy.interval_hour, policy.compare_policy, policy.conflict_strategy) == (2, "normal", "ignore")


def test_policy_not_supported_and_empty():
    assert not ComparePolicy.from_json({"status": "NO_SUPPORT"}).supported
    empty = ComparePolicy.from_json({})
    assert empty.supported and not empty.is_open and empty.weekdays == ()


async def test_update_compare_policy_sends_the_sdk_body():
    rec = Recorder([json_response(200, {})])
    update = ComparePolicyUpdate.checked(
        "open", period=period_for([7, 1, 2, 3, 4, 5, 6]), begin_time="00:00:00", end_time="04:00:00",
        compare_type=["lines", "contents"], compare_policy="normal", interval_hour=4,
        conflict_strategy="cover")
    await client(rec).update_compare_policy(JOB_A, update)
    assert rec.last.method == "PUT"
    assert str(rec.last.url) == BASE + f"/v5/{PID}/jobs/{JOB_A}/compare-policy"
    assert rec.body() == load("drs_compare_policy.request.json")


async def test_closing_the_policy_sends_only_the_action():
    rec = Recorder([json_response(200, {})])
    await client(rec).update_compare_policy(JOB_A, ComparePolicyUpdate.checked("close"))
    assert rec.body() == {"action": "close"}


@pytest.mark.parametrize("kwargs, reason", [
    ({"action": "enable"}, "action must be one of"),
    ({"action": "open", "begin_time": "00:00:00", "end_time": "04:00:00", "compare_type": ["lines"]},
     "period is required"),
    ({"action": "open", "period": "* * 8", "begin_time": "00:00:00", "end_time": "04:00:00",
      "compare_type": ["lines"]}, "period must look like"),
    ({"action": "open", "period": "* * 1", "begin_time": "24:00:00", "end_time": "04:00:00",
      "compare_type": ["lines"]}, "begin_time must be a UTC time"),
    ({"action": "open", "period": "* * 1", "begin_time": "00:00:00", "compare_type": ["lines"]},
     "end_time is required"),
    ({"action": "open", "period": "* * 1", "begin_time": "00:00:00", "end_time": "04:00:00"},
     "at least one compare type"),
    ({"action": "open", "period": "* * 1", "begin_time": "00:00:00", "end_time": "04:00:00",
      "compare_type": ["rows"]}, "unknown compare type"),
    ({"action": "close", "interval_hour": 0}, "interval_hour"),
    ({"action": "close", "compare_policy": "many"}, "compare_policy must be"),
    ({"action": "close", "conflict_strategy": "skip"}, "conflict_strategy must be"),
])
def test_policy_update_refuses_what_the_api_refuses(kwargs, reason):
    with pytest.raises(ValueError, match=reason):
        ComparePolicyUpdate.checked(**kwargs)


async def test_update_refuses_an_unchecked_body_before_sending():
    rec = Recorder()
    with pytest.raises(ValueError):
        await client(rec).update_compare_policy(JOB_A, ComparePolicyUpdate("open"))
    assert rec.requests == []


def test_period_helpers():
    assert period_weekdays("* * 1,2,3,4,5,6,7") == (1, 2, 3, 4, 5, 6, 7)
    assert period_weekdays("0 0 1") == () and period_weekdays("* * 1,,2") == ()
    assert period_for([5, 1, 3, 3]) == "* * 1,3,5"
