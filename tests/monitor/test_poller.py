"""Monitor.refresh on a fake cloud: conversion, caching, partial failure, staleness, auth."""

from __future__ import annotations

from datetime import timedelta

import pytest

from drstui.api.errors import ApiError
from drstui.monitor.job_reader import QUIET_JOB_SECONDS
from drstui.monitor.poller import Monitor
from drstui.monitor.snapshot import LinkState, TypeResult, Verdict
from drstui.monitor.source import MonitorError, MonitorSource

from .fakes import FakeClock, FakeCloud, RoundTrips, compare_job, fixture, timeout_error


def make(jobs: int = 3, **kwargs) -> tuple[Monitor, FakeCloud, FakeClock]:
    cloud = FakeCloud(jobs)
    clock = FakeClock()
    monitor = Monitor(cloud, profile="test", region="cn-north-4", project_id="p" * 32, now=clock, **kwargs)
    return monitor, cloud, clock


def test_monitor_is_a_monitor_source():
    monitor, _, _ = make()
    source: MonitorSource = monitor  # type-level contract; attributes exist at runtime
    assert callable(source.refresh) and callable(source.object_detail)


async def test_refresh_builds_jobs_and_verdicts():
    monitor, cloud, clock = make()
    cloud.drs.object_overview["job-001"] = fixture("drs_object_compare_overview.running_inconsistent")
    cloud.drs.jobs[2]["status"] = "SOMETHING_NEW"
    snapshot = await monitor.refresh()
    assert snapshot.connection.state == LinkState.OK
    assert snapshot.taken_at == clock.now and snapshot.sequence == 1
    assert [job.id for job in snapshot.jobs] == ["job-000", "job-001", "job-002"]
    assert snapshot.job("job-000").verdict == Verdict.CONSISTENT
    assert snapshot.job("job-001").verdict == Verdict.INCONSISTENT
    assert snapshot.job("job-002").status == "SOMETHING_NEW"  # unknown values kept
    assert snapshot.profile == "test" and snapshot.region == "cn-north-4"


async def test_job_rollup_failed_beats_inconsistent():
    monitor, cloud, _ = make(1)
    cloud.drs.object_overview["job-000"] = fixture("drs_object_compare_overview.running_inconsistent")
    cloud.drs.table_jobs["job-000"] = {"compare_jobs": [
        compare_job("c-lines", "lines", "FAILED", "2025-01-15T08:00:00Z")]}
    snapshot = await monitor.refresh()
    assert snapshot.job("job-000").verdict == Verdict.FAILED


async def test_no_object_comparison_is_not_a_problem():
    monitor, cloud, _ = make(1)
    cloud.drs.object_overview["job-000"] = ApiError(
        "No object-level comparison exists for this job.", status=400, error_code="DRS.10000010")
    snapshot = await monitor.refresh()
    job = snapshot.job("job-000")
    assert job.object_comparison is None and job.problems == () and job.verdict == Verdict.NONE


async def test_finished_data_comparisons_are_cached_and_not_polled_again():
    monitor, cloud, _ = make(1)
    cloud.drs.table_jobs["job-000"] = {"compare_jobs": [
        compare_job("c-old", "lines", "SUCCESSFUL", "2025-01-14T08:00:00Z"),
        compare_job("c-lines", "lines", "SUCCESSFUL", "2025-01-15T08:00:00Z"),
        compare_job("c-values", "contents", "RUNNING", "2025-01-15T09:00:00Z"),
    ]}
    first = await monitor.refresh()
    job = first.job("job-000")
    assert [c.id for c in job.data_comparisons] == ["c-values", "c-lines", "c-old"]  # newest first
    lines = job.data_comparisons[1]
    assert lines.verdict == Verdict.INCONSISTENT and lines.tables[0].key == "orders.order_items"
    assert job.data_comparisons[2].tables == ()  # older ones: status only
    assert cloud.drs.calls["line_compare_overview"] == 1
    assert cloud.drs.calls["content_compare_overview"] == 1
    assert monitor.cached_comparisons == 1

    # The export state of a cached comparison still follows the cheap list call.
    cloud.drs.table_jobs["job-000"]["compare_jobs"][1].update(export_status="EXPORT_COMPLETE",
                                                              report_remain_seconds=600)
    second = await monitor.refresh()
    assert cloud.drs.calls["line_compare_overview"] == 1  # finished: not polled again
    assert cloud.drs.calls["content_compare_overview"] == 2  # running: polled every time
    again = second.job("job-000").data_comparisons[1]
    assert again.export_status == "EXPORT_COMPLETE" and again.tables == lines.tables
    assert cloud.drs.calls["table_compare_jobs"] == 2 and cloud.drs.calls["object_compare_overview"] == 2

    # Comparisons that disappear from the list leave the cache.
    del cloud.drs.table_jobs["job-000"]["compare_jobs"][:2]
    await monitor.refresh()
    assert monitor.cached_comparisons == 0


async def test_calls_are_concurrent_but_bounded():
    monitor, cloud, _ = make(30, max_in_flight=5)
    cloud.drs.latency = 0.001
    await monitor.refresh()
    assert cloud.drs.peak_in_flight == 5
    assert cloud.drs.calls["object_compare_overview"] == 30


async def test_fifty_jobs_refresh_in_under_four_round_trips():
    """The quality bar, counted in virtual round trips (no clock, so never flaky).

    First refresh: list, per-job lists, row overview, then its per-database details (4 round
    trips). Afterwards the known databases' details go with the overview: 3 round trips.
    The wall-clock figure over real HTTP is measured by `python -m bench refresh`.
    """
    monitor, cloud, _ = make(50)
    cloud.drs.table_jobs["job-000"] = {"compare_jobs": [
        compare_job("c-lines", "lines", "RUNNING", "2025-01-15T08:00:00Z")]}
    first_trips = RoundTrips()
    cloud.drs.round_trips = first_trips
    snapshot = await first_trips.run(monitor.refresh())
    assert len(snapshot.jobs) == 50 and all(not job.problems for job in snapshot.jobs)
    assert first_trips.ticks <= 4, first_trips.ticks
    steady_trips = RoundTrips()
    cloud.drs.round_trips = steady_trips
    await steady_trips.run(monitor.refresh())
    assert steady_trips.ticks <= 3, steady_trips.ticks
    assert cloud.drs.peak_in_flight <= 100


async def test_one_failing_job_keeps_its_last_good_part():
    monitor, cloud, clock = make()
    first = await monitor.refresh()
    cloud.drs.faults[("object_compare_overview", "job-001")] = timeout_error()
    cloud.drs.object_overview["job-000"] = fixture("drs_object_compare_overview.running_inconsistent")
    clock.advance(QUIET_JOB_SECONDS)  # quiet jobs (every comparison finished) are read every 30 s
    second = await monitor.refresh()
    assert second.connection.state == LinkState.OK and second.taken_at == clock.now
    assert second.job("job-000").verdict == Verdict.INCONSISTENT  # the others update
    failed = second.job("job-001")
    assert failed.object_comparison == first.job("job-001").object_comparison  # last good kept
    assert failed.problems == ("object compare: timeout: request timed out",)
    del cloud.drs.faults[("object_compare_overview", "job-001")]
    third = await monitor.refresh()
    assert third.job("job-001").problems == ()


async def test_job_list_failure_keeps_snapshot_then_goes_stale_then_recovers():
    monitor, cloud, clock = make(interval=5.0)
    good = await monitor.refresh()
    cloud.drs.faults[("list_all_jobs", None)] = ApiError("Service Unavailable", status=503, error_code="SIM.0500")

    clock.advance(5)
    failed_at = clock.now
    first = await monitor.refresh()
    assert first.connection.state == LinkState.RETRYING
    assert first.connection.since == failed_at
    assert first.connection.reason == "HTTP 503 SIM.0500: Service Unavailable"
    assert first.taken_at == good.taken_at and first.jobs == good.jobs
    assert monitor.next_delay() == 10.0  # min(max(2 x 5, 5), 30)
    assert first.connection.next_retry_at == failed_at + timedelta(seconds=10)

    clock.advance(10)
    second = await monitor.refresh()
    assert second.connection.state == LinkState.STALE
    assert second.connection.since == failed_at and second.taken_at == good.taken_at
    assert monitor.next_delay() == 20.0
    clock.advance(20)
    await monitor.refresh()
    assert monitor.next_delay() == 30.0  # capped

    del cloud.drs.faults[("list_all_jobs", None)]
    clock.advance(30)
    back = await monitor.refresh()
    assert back.connection.state == LinkState.OK and back.connection.reason is None
    assert back.taken_at == clock.now and monitor.next_delay() == 5.0
    assert back.sequence == 5


async def test_retry_after_is_honoured():
    monitor, cloud, _ = make()
    cloud.drs.faults[("list_all_jobs", None)] = ApiError(
        "throttled", kind="throttled", status=429, error_code="APIGW.0308", retry_after=45)
    snapshot = await monitor.refresh()
    assert monitor.next_delay() == 45
    assert snapshot.connection.state == LinkState.RETRYING


async def test_throttled_part_slows_the_next_poll_even_when_the_list_works():
    monitor, cloud, _ = make()
    cloud.drs.faults[("health_compare_jobs", "job-002")] = ApiError(
        "throttled", kind="throttled", status=429, retry_after=12)
    snapshot = await monitor.refresh()
    assert snapshot.connection.state == LinkState.OK
    assert monitor.next_delay() == 12
    assert snapshot.job("job-002").problems == ("health compare: HTTP 429: throttled",)


async def test_wrong_password_stops_all_calls_until_reset():
    monitor, cloud, clock = make()
    cloud.drs.faults[("list_all_jobs", None)] = ApiError(
        "IAM login rejected: The username or password is wrong.", kind="auth", status=401,
        error_code="APIGW.0301", method="POST", path="/v3/auth/tokens")
    snapshot = await monitor.refresh()
    assert snapshot.connection.state == LinkState.AUTH_FAILED
    assert "password is wrong" in snapshot.connection.reason
    assert snapshot.connection.next_retry_at is None
    calls = sum(cloud.drs.calls.values())
    for _ in range(5):
        clock.advance(60)
        snapshot = await monitor.refresh()
    assert sum(cloud.drs.calls.values()) == calls  # no further calls at all
    assert snapshot.connection.state == LinkState.AUTH_FAILED
    with pytest.raises(MonitorError, match="credentials refused"):
        await monitor.object_detail("job-000", "TABLE", None)

    del cloud.drs.faults[("list_all_jobs", None)]
    monitor.reset_auth()
    assert cloud.auth_resets == 1
    snapshot = await monitor.refresh()
    assert snapshot.connection.state == LinkState.OK and len(snapshot.jobs) == 3


async def test_aksk_signature_failure_in_a_part_stops_calls():
    monitor, cloud, _ = make()
    cloud.drs.faults[("table_compare_jobs", "job-001")] = ApiError(
        "Incorrect IAM authentication information: verify aksk signature fail", kind="auth",
        status=401, error_code="APIGW.0301", path="/v3/p/jobs/job-001/table/compare")
    snapshot = await monitor.refresh()
    assert snapshot.connection.state == LinkState.AUTH_FAILED


async def test_clock_skew_is_reported_with_the_offset():
    monitor, cloud, clock = make()
    error = ApiError("Incorrect IAM authentication information: X-Sdk-Date expired (more than 15 min)",
                     kind="auth", status=401, error_code="APIGW.0301")
    error.server_date = "Wed, 15 Jan 2025 08:10:00 GMT"  # the clock is 20 min ahead
    cloud.drs.faults[("list_all_jobs", None)] = error
    snapshot = await monitor.refresh()
    assert snapshot.connection.state == LinkState.AUTH_FAILED
    assert snapshot.connection.reason.startswith("clock skew: this host's clock is 20 min ahead of the server")


async def test_expired_token_on_a_call_is_an_ordinary_retry():
    monitor, cloud, _ = make()
    cloud.drs.faults[("list_all_jobs", None)] = ApiError(
        "Incorrect IAM authentication information: token expired", kind="auth", status=401,
        error_code="APIGW.0301", path="/v5/p/jobs")
    snapshot = await monitor.refresh()
    assert snapshot.connection.state == LinkState.RETRYING


async def test_a_bug_below_never_escapes_refresh():
    monitor, cloud, _ = make()
    cloud.drs.faults[("list_all_jobs", None)] = RuntimeError("boom")
    snapshot = await monitor.refresh()
    assert snapshot.connection.state == LinkState.RETRYING
    assert snapshot.connection.reason == "RuntimeError: boom"
    cloud.drs.faults.clear()
    cloud.drs.faults[("object_compare_overview", "job-000")] = KeyError("x")
    snapshot = await monitor.refresh()
    assert snapshot.job("job-000").problems == ("object compare: KeyError: 'x'",)


async def test_object_detail_rows_and_errors():
    monitor, cloud, _ = make(1)
    await monitor.refresh()
    rows = await monitor.object_detail("job-000", "TABLE", None)
    assert [(r.source_value, r.result) for r in rows] == [
        ("order_items", TypeResult.INCONSISTENT), ("orders", TypeResult.CONSISTENT)]
    cloud.drs.faults[("object_compare_detail", None)] = timeout_error()
    with pytest.raises(MonitorError, match="TABLE objects of DRS-000 could not be loaded: timeout"):
        await monitor.object_detail("job-000", "TABLE", None)


async def test_job_filter_and_vanished_jobs():
    monitor, cloud, _ = make(3, job_ids=["job-001", "job-002"])
    snapshot = await monitor.refresh()
    assert [job.id for job in snapshot.jobs] == ["job-001", "job-002"]
    assert cloud.drs.calls_by_job[("object_compare_overview", "job-000")] == 0
    cloud.drs.jobs = cloud.drs.jobs[:2]
    snapshot = await monitor.refresh()
    assert [job.id for job in snapshot.jobs] == ["job-001"]


async def test_request_refresh_calls_the_hook():
    hits = []
    monitor, _, _ = make(on_refresh_requested=lambda: hits.append(1))
    monitor.request_refresh()
    assert hits == [1]
    make()[0].request_refresh()  # without a hook: nothing to call, no error


async def test_quiet_jobs_are_read_every_30_s_and_busy_ones_every_refresh():
    monitor, cloud, clock = make(3)
    cloud.drs.table_jobs["job-002"] = {"compare_jobs": [
        compare_job("c-run", "lines", "RUNNING", "2025-01-15T08:00:00Z")]}  # busy: a comparison runs
    await monitor.refresh()
    assert cloud.drs.calls["object_compare_overview"] == 3
    for _ in range(5):  # 25 s
        clock.advance(5)
        await monitor.refresh()
    # job-000 and job-001 are quiet (every comparison finished): not asked again yet.
    assert cloud.drs.calls["object_compare_overview"] == 3 + 5
    clock.advance(5)  # 30 s after they were read
    await monitor.refresh()
    assert cloud.drs.calls["object_compare_overview"] == 3 + 5 + 3
    # A status change in the job list is seen at once, and the job is read at once.
    cloud.drs.jobs[0]["status"] = "INCRE_TRANSFER_FAILED"
    clock.advance(5)
    snapshot = await monitor.refresh()
    assert snapshot.job("job-000").status == "INCRE_TRANSFER_FAILED"
    assert cloud.drs.calls["object_compare_overview"] == 3 + 5 + 3 + 2  # job-000 and the busy one
    # r (or an action) asks about every job in the next refresh.
    monitor.ask_about_everything_next()
    clock.advance(5)
    await monitor.refresh()
    # (job-000 has failed: it is settled, nothing about it can change; the other two are read.)
    assert cloud.drs.calls["object_compare_overview"] == 3 + 5 + 3 + 2 + 2
