"""Replication reads of DrsClient against recorded JSON: URL, method, body, batching, parsed result."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from drstui.api.drs import DrsClient
from drstui.api.errors import ApiError
from drstui.api.models.replication import MonitorData, ReplicationProgress, lenient_number
from drstui.api.replication import PROGRESS_BATCH_MAX, RPO_RTO_BATCH_MAX

from .helpers import BASE, JOB_A, PID, Recorder, json_response, load, make_session

JOB_C = "9a470239-2308-4bb5-a6bc-1040402fjb21"


def client(rec: Recorder) -> DrsClient:
    return DrsClient(make_session(rec), PID, "cn-north-4")


async def test_batch_progress_parses_string_numbers_and_quirks():
    rec = Recorder([json_response(200, load("drs_batch_progress.json"))])
    results = await client(rec).batch_progress([JOB_A, JOB_C, JOB_A, ""])
    assert rec.last.method == "POST"
    assert str(rec.last.url) == f"{BASE}/v3/{PID}/jobs/batch-progress"
    assert rec.body() == {"jobs": [JOB_A, JOB_C]}  # duplicates and blanks dropped
    a, c, missing = results
    assert a.job_id == JOB_A and a.progress_percent == 100.0
    assert a.delay_ms == 1250.0  # the millisecond twin wins over "1" s
    assert a.process_time == datetime(2025, 1, 15, 8, 29, 55, tzinfo=timezone.utc)
    assert a.incremental is True and a.apply_rows_rate == 320 and a.apply_bytes_rate == 81920
    assert a.phases is not None and a.phases["data"].completed_percent == 100.0
    assert a.task_mode == "FULL_INCR_TRANS" and a.transfer_status == "INCRE_TRANSFER_STARTED"
    # "-" and "" are unknown, -1 rates mean "not incremental yet"
    assert c.delay_ms is None and c.incremental is False and c.apply_rows_rate is None
    assert c.remaining_seconds == 1860.0 and c.progress_percent == 42.0
    assert missing.error_code == "DRS.10000010" and missing.delay_ms is None


async def test_batch_progress_splits_into_bounded_calls():
    ids = [f"job-{i:03d}" for i in range(PROGRESS_BATCH_MAX * 2 + 5)]

    def answer(request):
        import json
        jobs = json.loads(request.content)["jobs"]
        return json_response(200, {"count": len(jobs), "results": [{"job_id": j, "progress": "100"}
                                                                    for j in jobs]})

    rec = Recorder(default=None, responses=[answer, answer, answer])
    results = await client(rec).batch_progress(ids)
    assert [len(rec.body(i)["jobs"]) for i in range(3)] == [PROGRESS_BATCH_MAX, PROGRESS_BATCH_MAX, 5]
    assert [r.job_id for r in results] == ids


async def test_batch_progress_of_nothing_makes_no_call():
    rec = Recorder()
    assert await client(rec).batch_progress([]) == [] and rec.requests == []


async def test_job_progress_fallback_reads_the_v5_spelling():
    rec = Recorder([json_response(200, load("drs_job_detail_progress.json"))])
    progress = await client(rec).job_progress(JOB_A)
    assert str(rec.last.url) == f"{BASE}/v5/{PID}/jobs/{JOB_A}?type=progress"
    assert progress is not None and progress.job_id == JOB_A
    assert progress.delay_ms == 2300.0 and progress.progress_percent == 100.0
    assert "incr_trans_delay" not in progress.extra


async def test_job_progress_seconds_only_becomes_millis():
    progress = ReplicationProgress.from_json({"incr_trans_delay": "3"})
    assert progress.delay_ms == 3000.0


async def test_monitor_data():
    rec = Recorder([json_response(200, load("drs_monitor_data.json"))])
    data = await client(rec).monitor_data(JOB_A)
    assert rec.last.method == "GET" and str(rec.last.url) == f"{BASE}/v5/{PID}/jobs/{JOB_A}/monitor-data"
    assert data.is_src_normal is True and data.is_dst_normal is False
    assert data.source_lag_ms == 1000 and data.target_lag_ms == 42_000
    assert data.update_time == datetime(2025, 1, 15, 8, 29, 55, tzinfo=timezone.utc)
    assert data.apply_rate == 81920 and data.node_memory_size == 8192 and data.trans_lines == "58234001"
    assert data.extra == {}


def test_monitor_data_wrong_type_is_malformed_not_a_crash():
    with pytest.raises(ApiError) as info:
        MonitorData.from_json({"src_delay": {"x": 1}})
    assert info.value.kind == "malformed" and "src_delay" in str(info.value)


async def test_batch_rpo_rto():
    rec = Recorder([json_response(200, load("drs_batch_rpo_and_rto.json"))])
    results = await client(rec).batch_rpo_rto([JOB_A, JOB_C])
    assert rec.last.method == "POST" and rec.last.url.path == f"/v3/{PID}/jobs/batch-rpo-and-rto"
    assert rec.body() == {"jobs": [JOB_A, JOB_C]}
    dr, other = results
    assert dr.rpo is not None and dr.rpo.delay_seconds == 3.0 and dr.rto is not None
    assert dr.rto.delay_seconds == 7.0 and dr.rpo.time_raw == "2025-01-15 08:29:52"
    assert other.rpo is None and other.error_code == "DRS.10000001"
    assert RPO_RTO_BATCH_MAX >= 1


async def test_job_ddls():
    rec = Recorder([json_response(200, load("drs_job_ddls.json"))])
    ddls = await client(rec).job_ddls(JOB_A, alarming_only=True, limit=50)
    assert str(rec.last.url) == f"{BASE}/v5/{PID}/jobs/{JOB_A}/ddl?limit=50&offset=0&status=1"
    assert ddls.count == 2 and [d.alarming for d in ddls.alarms] == [True, False]
    assert ddls.alarms[0].ddl_text == "ALTER TABLE orders.orders DROP COLUMN legacy_flag"
    assert ddls.alarms[0].exe_result is False and ddls.alarms[1].clean_time == 1736920300000


async def test_job_ddls_checks_paging():
    with pytest.raises(ValueError):
        await client(Recorder()).job_ddls(JOB_A, limit=0)


@pytest.mark.parametrize("raw, expected", [
    ("12", 12.0), ("1.5", 1.5), ("", None), ("-", None), ("n/a", None), (None, None), (7, 7.0),
    ("nan", None), (True, None),
])
def test_lenient_number(raw, expected):
    assert lenient_number(raw) == expected
