"""The Monitor end to end on the in-process simulator (real API clients, manual clock)."""

from __future__ import annotations

import pytest

from drstui.api.models import CompareObjectInfo, CreateCompareTaskRequest, DataLevelCompareInfo
from drstui.monitor import changes
from drstui.monitor.actions import Actions
from drstui.monitor.exports import SAVED, ExportRefused
from drstui.monitor.snapshot import LinkState, Verdict

from .sim_rig import make_rig

ORDERS_SYNC = "94800607-3cd8-4f7d-a340-63a10f8jb502"  # the fixtures' compare-capable job
ARCHIVE = "9a470239-2308-4bb5-a6bc-1040402fjb21"  # FULL_TRANSFER_STARTED, no comparisons


@pytest.fixture
async def rig(tmp_path):
    rig = make_rig(tmp_path)
    yield rig
    await rig.aclose()


def data_requests(rig) -> int:
    return sum(rig.core.count(name) for name in
               ("drs.line_overview", "drs.line_detail", "drs.content_overview", "drs.content_detail"))


async def test_refresh_shows_the_simulated_jobs(rig):
    snapshot = await rig.monitor.refresh()
    assert snapshot.connection.state == LinkState.OK
    assert len(snapshot.jobs) == 12 and all(not job.problems for job in snapshot.jobs)
    orders = snapshot.job(ORDERS_SYNC)
    assert orders.name == "DRS-orders-sync" and orders.verdict == Verdict.INCONSISTENT
    assert orders.object_comparison.verdict == Verdict.INCONSISTENT
    rows = orders.object_comparison.rows
    bad = [row.object_type for row in rows if row.result.value == "inconsistent"]
    assert "INDEX" in bad and [row.object_type for row in rows[: len(bad)]] == bad  # inconsistent first
    lines = next(c for c in orders.data_comparisons if c.compare_type == "lines")
    assert lines.tables[0].key == "orders.order_items" and lines.tables[0].diff_rows
    assert lines.export_status == "EXPORT_COMPLETE"
    assert orders.health_comparisons[0].types in (("object_comparison",), ("lines", "object_comparison"))
    assert snapshot.job(ARCHIVE).verdict == Verdict.NONE


async def test_created_comparison_progresses_and_then_is_no_longer_polled(rig):
    actions = Actions(rig.cloud, rig.monitor, rig.exports)
    await rig.monitor.refresh()
    asked = []
    rig.monitor.on_refresh_requested = lambda: asked.append(1)
    request = CreateCompareTaskRequest(
        ORDERS_SYNC, object_level=True,
        data_level=DataLevelCompareInfo("lines", compare_object_infos=(CompareObjectInfo("orders"),)))
    result = await actions.create_comparison(request)
    assert asked  # the new comparisons are fetched at once
    new_ids = set(result.created_ids)
    assert len(new_ids) == 2

    snapshot = await rig.monitor.refresh()
    started = [t for t in rig.monitor.last_transitions if t.kind == changes.COMPARISON_STARTED]
    assert {t.comparison_id for t in started} == new_ids
    orders = snapshot.job(ORDERS_SYNC)
    assert orders.object_comparison.compare_job_id in new_ids and not orders.object_comparison.finished
    assert orders.verdict in (Verdict.RUNNING, Verdict.INCONSISTENT)

    for _ in range(30):  # 30 x 5 s: long enough for both to finish
        rig.advance(5)
        snapshot = await rig.monitor.refresh()
    orders = snapshot.job(ORDERS_SYNC)
    new_lines = next(c for c in orders.data_comparisons if c.id in new_ids)
    assert orders.object_comparison.finished and new_lines.finished and new_lines.tables

    rig.core.reset_log()
    for _ in range(12):  # 60 s
        rig.advance(5)
        await rig.monitor.refresh()
    assert data_requests(rig) == 0  # every data comparison is finished and cached
    # A job that can still get new comparisons but whose comparisons have all finished is quiet:
    # its comparisons are asked for every 30 s (twice in 60 s), not every 5 s refresh (12 times);
    # the jobs that cannot get new ones are settled (never asked again while their status holds).
    comparable = sum(1 for job in snapshot.jobs if job.can_compare)
    assert 0 < comparable < len(snapshot.jobs)
    assert rig.core.count("drs.object_compare_overview") == 2 * comparable

    # An action (or r) asks about every job in the next refresh.
    rig.core.reset_log()
    rig.monitor.request_refresh()
    rig.advance(5)
    await rig.monitor.refresh()
    assert rig.core.count("drs.object_compare_overview") == comparable


async def test_one_job_failing_leaves_the_others_fresh(tmp_path):
    rig = make_rig(tmp_path)
    try:
        first = await rig.monitor.refresh()
        rig.core.faults.add(f"5xx=1@/v3/*/jobs/{ORDERS_SYNC}/object/compare")
        rig.advance(5)
        second = await rig.monitor.refresh()
        assert second.connection.state == LinkState.OK and second.taken_at == rig.now()
        orders = second.job(ORDERS_SYNC)
        assert orders.object_comparison == first.job(ORDERS_SYNC).object_comparison
        assert len(orders.problems) == 1 and orders.problems[0].startswith("object compare: HTTP 500")
        assert all(not job.problems for job in second.jobs if job.id != ORDERS_SYNC)
        rig.core.faults.clear()
        rig.advance(5)
        assert (await rig.monitor.refresh()).job(ORDERS_SYNC).problems == ()
    finally:
        await rig.aclose()


async def test_job_list_failure_goes_retrying_then_stale_then_recovers(rig):
    good = await rig.monitor.refresh()
    rig.core.faults.add("5xx=1,status=503@/v5/*/jobs")
    rig.advance(5)
    failing_since = rig.now()
    first = await rig.monitor.refresh()
    assert first.connection.state == LinkState.RETRYING
    assert first.connection.since == failing_since and "HTTP 503" in first.connection.reason
    assert first.taken_at == good.taken_at and first.jobs == good.jobs
    rig.advance(rig.monitor.next_delay())
    second = await rig.monitor.refresh()
    assert second.connection.state == LinkState.STALE and second.taken_at == good.taken_at
    assert [t.kind for t in rig.monitor.last_transitions] == [changes.CONNECTION]

    rig.core.faults.clear()
    rig.advance(rig.monitor.next_delay())
    back = await rig.monitor.refresh()
    assert back.connection.state == LinkState.OK and back.taken_at == rig.now()
    assert rig.monitor.last_transitions[0].message == "connection restored"


# (wrong-type is not here: the lenient models accept e.g. a count sent as "2".)
@pytest.mark.parametrize("fault", ["malformed", "timeout", "drop", "5xx"])
async def test_bad_answers_for_one_part_become_a_problem(tmp_path, fault):
    rig = make_rig(tmp_path)
    try:
        good = await rig.monitor.refresh()
        rig.core.faults.add(f"{fault}=1@/v3/*/jobs/{ORDERS_SYNC}/table/compare")
        snapshot = await rig.monitor.refresh()
        orders = snapshot.job(ORDERS_SYNC)
        assert snapshot.connection.state == LinkState.OK
        assert len(orders.problems) == 1 and orders.problems[0].startswith("data compare list: ")
        assert orders.data_comparisons == good.job(ORDERS_SYNC).data_comparisons
    finally:
        await rig.aclose()


async def test_unknown_enum_values_are_kept(tmp_path):
    rig = make_rig(tmp_path)
    try:
        rig.core.faults.add(f"unknown-enum=1@/v3/*/jobs/{ORDERS_SYNC}/object/compare")
        snapshot = await rig.monitor.refresh()
        comparison = snapshot.job(ORDERS_SYNC).object_comparison
        assert snapshot.job(ORDERS_SYNC).problems == ()
        assert comparison.status not in ("SUCCESSFUL", "RUNNING")  # the unknown value, kept as sent
        assert comparison.verdict in (Verdict.UNKNOWN, Verdict.INCONSISTENT)
    finally:
        await rig.aclose()


async def test_connection_refused_is_survived(rig):
    await rig.monitor.refresh()
    rig.transport.refuse_connections = True
    snapshot = await rig.monitor.refresh()
    assert snapshot.connection.state == LinkState.RETRYING
    # Which endpoint and why, said once ("connection failed: connection failed: ..." before).
    assert snapshot.connection.reason == "drs-sim.invalid: connection refused"
    assert snapshot.connection.host == "drs-sim.invalid"
    assert any("Connection refused" in line for line in snapshot.connection.details)
    rig.transport.refuse_connections = False
    assert (await rig.monitor.refresh()).connection.state == LinkState.OK


async def test_429_retry_after_is_honoured(rig):
    rig.core.faults.add("429=1,retry-after=40s@/v5/*/jobs")
    snapshot = await rig.monitor.refresh()
    assert snapshot.connection.state == LinkState.RETRYING
    assert rig.monitor.next_delay() == 40


async def test_wrong_password_stops_token_calls(tmp_path):
    rig = make_rig(tmp_path, auth="token", password="not-the-password")
    try:
        snapshot = await rig.monitor.refresh()
        assert snapshot.connection.state == LinkState.AUTH_FAILED
        assert "not-the-password" not in snapshot.connection.reason
        for _ in range(5):
            rig.advance(60)
            snapshot = await rig.monitor.refresh()
        assert snapshot.connection.state == LinkState.AUTH_FAILED
        assert rig.core.count("iam.create_token") == 1
        assert rig.core.count() == 1  # nothing else was even tried

        creds = rig.core.credentials  # the user types the right password
        rig.cloud.auth.set_credentials(creds.user, creds.password, creds.domain)
        rig.monitor.reset_auth()
        assert rig.monitor.snapshot.connection.state == LinkState.CONNECTING
        snapshot = await rig.monitor.refresh()
        assert snapshot.connection.state == LinkState.OK and len(snapshot.jobs) == 12
        assert rig.core.count("iam.create_token") == 2
    finally:
        await rig.aclose()


async def test_token_expiry_mid_session_is_renewed_without_a_visible_failure(tmp_path):
    rig = make_rig(tmp_path, auth="token", faults=["token-expiry=60s"])
    try:
        assert (await rig.monitor.refresh()).connection.state == LinkState.OK
        rig.advance(120)  # the token is now rejected (401 APIGW.0301): renewed once, call repeated
        snapshot = await rig.monitor.refresh()
        assert snapshot.connection.state == LinkState.OK
        assert all(not job.problems for job in snapshot.jobs)
        assert rig.core.count("iam.create_token") == 2
    finally:
        await rig.aclose()


async def test_clock_skew_is_reported_and_stops_signing(tmp_path):
    rig = make_rig(tmp_path, client_skew=20 * 60)
    try:
        snapshot = await rig.monitor.refresh()
        assert snapshot.connection.state == LinkState.AUTH_FAILED
        assert snapshot.connection.reason.startswith("clock skew")
        before = rig.core.count()
        await rig.monitor.refresh()
        assert rig.core.count() == before  # no lock-out loop
    finally:
        await rig.aclose()


async def test_export_is_downloaded_once_and_duplicates_are_refused(rig):
    actions = Actions(rig.cloud, rig.monitor, rig.exports)
    await rig.monitor.refresh()
    record = await actions.start_drs_export(ORDERS_SYNC, "objects_comparison")
    assert record.status == "requested"
    with pytest.raises(ExportRefused, match="already running"):
        await actions.start_drs_export(ORDERS_SYNC, "objects_comparison")

    snapshot = await rig.monitor.refresh()
    assert snapshot.exports[0].status == "EXPORTING"
    rig.advance(10)  # the simulator needs 5 s to generate the report
    await rig.monitor.refresh()
    await rig.exports.wait_idle()
    snapshot = await rig.monitor.refresh()
    saved = snapshot.exports[0]
    assert saved.status == SAVED and saved.saved_path
    assert rig.core.count("drs.download_result_file") == 1
    assert rig.core.count("drs.export_result_file") == 1
    files = list((rig.exports.download_dir).iterdir())
    assert len(files) == 1 and files[0].stat().st_size > 0

    for _ in range(3):  # later refreshes do not download it again
        rig.advance(5)
        await rig.monitor.refresh()
    await rig.exports.wait_idle()
    assert rig.core.count("drs.download_result_file") == 1


async def test_object_detail_drill_down(rig):
    await rig.monitor.refresh()
    rows = await rig.monitor.object_detail(ORDERS_SYNC, "INDEX", None)
    assert rows and rows[0].result.value == "inconsistent"
