"""ExportTracker and Actions on the fake cloud: follow, download once, refuse duplicates, validate."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from drstui.api.errors import ApiError
from drstui.api.models import CompareObjectInfo, CreateCompareTaskRequest, DataLevelCompareInfo, SmsExportItem
from drstui.monitor.actions import ActionRefused, Actions
from drstui.monitor.exports import DOWNLOAD_FAILED, EXPIRED, FAILED, SAVED, ExportRefused, ExportTracker, report_stem
from drstui.monitor.poller import Monitor
from drstui.monitor.source import MonitorError

from .fakes import FakeClock, FakeCloud, compare_job, timeout_error


@pytest.fixture
def setup(tmp_path):
    cloud = FakeCloud(2)
    clock = FakeClock()
    exports = ExportTracker(cloud, tmp_path / "dl", region="cn-north-4", now=clock)
    monitor = Monitor(cloud, now=clock, exports=exports)
    actions = Actions(cloud, monitor, exports)
    return cloud, clock, exports, monitor, actions


def set_object_export(cloud, job_id, status, remain):
    cloud.drs.object_overview[job_id].update(export_status=status, report_remain_seconds=remain)


async def test_object_export_followed_then_downloaded_once(setup):
    cloud, clock, exports, monitor, actions = setup
    asked = []
    monitor.on_refresh_requested = lambda: asked.append(1)
    await monitor.refresh()
    record = await actions.start_drs_export("job-000", "objects_comparison")
    assert record.status == "requested" and record.job_name == "DRS-000"
    assert cloud.drs.exports_started == [("job-000", "objects_comparison", None)]
    with pytest.raises(ExportRefused, match="objects_comparison export of DRS-000 .* is already running"):
        await actions.start_drs_export("job-000", "objects_comparison")

    set_object_export(cloud, "job-000", "EXPORTING", -1)
    snapshot = await monitor.refresh()
    assert snapshot.exports[0].status == "EXPORTING"

    set_object_export(cloud, "job-000", "EXPORT_COMPLETE", 300)
    clock.advance(5)
    snapshot = await monitor.refresh()
    assert snapshot.exports[0].status == "downloading"
    assert snapshot.exports[0].report_remain_seconds == 300 and snapshot.exports[0].remain_as_of == clock.now
    await exports.wait_idle()
    assert asked  # the download asks for a prompt refresh
    snapshot = await monitor.refresh()
    saved = snapshot.exports[0]
    assert saved.status == SAVED and saved.saved_path.endswith(".xlsx")
    # Named for whoever receives it: job name, kind, UTC time of the download.
    assert Path(saved.saved_path).name == f"DRS-000-objects-{clock.now.astimezone(timezone.utc):%Y%m%dT%H%M%SZ}.xlsx"
    for _ in range(3):
        await monitor.refresh()
    await exports.wait_idle()
    assert len(cloud.drs.downloads) == 1

    # Finished: the same export may be asked for again.
    await actions.start_drs_export("job-000", "objects_comparison")
    assert len(cloud.drs.exports_started) == 2


async def test_an_old_complete_report_is_not_taken_for_the_new_one(setup):
    cloud, clock, exports, monitor, actions = setup
    set_object_export(cloud, "job-001", "EXPORT_COMPLETE", 100)  # from an earlier export
    await monitor.refresh()
    await actions.start_drs_export("job-001", "objects_comparison")
    set_object_export(cloud, "job-001", "EXPORT_COMPLETE", 95)  # still the old file
    await monitor.refresh()
    await exports.wait_idle()
    assert cloud.drs.downloads == []
    set_object_export(cloud, "job-001", "EXPORT_COMPLETE", 300)  # the new file
    await monitor.refresh()
    await exports.wait_idle()
    assert cloud.drs.downloads == [("job-001", "objects_comparison", "bfcdc4d9-f0ae-4108-be42-6974d60cd1d2")]


async def test_data_export_failure_states(setup):
    cloud, clock, exports, monitor, actions = setup
    cloud.drs.table_jobs["job-000"] = {"compare_jobs": [
        compare_job("c1", "lines", "SUCCESSFUL", "2025-01-15T08:00:00Z")]}
    await monitor.refresh()
    with pytest.raises(ExportRefused, match="needs the comparison's id"):
        await actions.start_drs_export("job-000", "lines")
    await actions.start_drs_export("job-000", "lines", "c1")
    cloud.drs.table_jobs["job-000"]["compare_jobs"][0].update(export_status="EXPORT_COMMON_FAILED")
    snapshot = await monitor.refresh()
    assert (snapshot.exports[0].status, snapshot.exports[0].message) == (FAILED, "DRS could not generate the report")
    assert [t.kind for t in monitor.last_transitions] == ["export_failed"]


async def test_download_retries_then_gives_up(setup):
    cloud, clock, exports, monitor, actions = setup
    await monitor.refresh()
    await actions.start_drs_export("job-000", "objects_comparison")
    set_object_export(cloud, "job-000", "EXPORT_COMPLETE", 300)
    cloud.drs.download_error = timeout_error()
    for _ in range(3):
        await monitor.refresh()
        await exports.wait_idle()
    record = (await monitor.refresh()).exports[0]
    assert record.status == DOWNLOAD_FAILED and record.message.startswith("download failed: timeout")
    assert cloud.drs.calls["download_compare_result_file"] == 3


async def test_report_expired_before_download(setup):
    cloud, clock, exports, monitor, actions = setup
    await monitor.refresh()
    await actions.start_drs_export("job-000", "objects_comparison")
    set_object_export(cloud, "job-000", "EXPORT_COMPLETE", 0)
    assert (await monitor.refresh()).exports[0].status == EXPIRED


async def test_export_call_failure_is_a_clear_error(setup):
    cloud, clock, exports, monitor, actions = setup
    await monitor.refresh()
    cloud.drs.faults[("export_compare_result_file", None)] = ApiError(
        "Task not found. Check the task ID.", status=400, error_code="DRS.10000010")
    with pytest.raises(MonitorError, match="export not started: HTTP 400 DRS.10000010: Task not found"):
        await actions.start_drs_export("job-000", "objects_comparison")
    assert exports.records()[0].status == FAILED


def sms_items(count: int) -> list[SmsExportItem]:
    return [SmsExportItem(f"task-{i:04d}", f"src-{i:04d}", f"ecs-{i}") for i in range(count)]


async def test_sms_export_in_batches_of_200(setup):
    cloud, clock, exports, monitor, actions = setup
    cloud.sms.fail_batches = {2}
    record = await actions.run_sms_export(sms_items(450))
    assert cloud.sms.calls == [200, 200, 50]
    assert record.status == SAVED and record.message == "1 of 3 batch(es) failed"
    assert [(b.index, b.task_count, b.ok) for b in record.batches] == [(1, 200, True), (2, 200, False), (3, 50, True)]
    assert record.batches[1].error == "HTTP 403 SMS.9004: no permission"
    with pytest.raises(ExportRefused, match="at least one"):
        await actions.run_sms_export([])


async def test_actions_validate_before_sending(setup):
    cloud, clock, exports, monitor, actions = setup
    cloud.drs.jobs[1]["status"] = "FULL_TRANSFER_STARTED"
    await monitor.refresh()
    asked = []
    monitor.on_refresh_requested = lambda: asked.append(1)
    lines = DataLevelCompareInfo("lines", compare_object_infos=(CompareObjectInfo("orders"),))
    contents = DataLevelCompareInfo("contents", compare_object_infos=(CompareObjectInfo("orders"),))
    with pytest.raises(ActionRefused, match="DRS-001 is FULL_TRANSFER_STARTED: comparisons can only"):
        await actions.create_comparison(CreateCompareTaskRequest("job-001", object_level=True))
    with pytest.raises(ActionRefused, match="cannot run at the same time"):
        await actions.create_comparison(CreateCompareTaskRequest("job-000", object_level=True, data_level=contents))
    with pytest.raises(ActionRefused, match="not in the last refresh"):
        await actions.create_comparison(CreateCompareTaskRequest("job-999", object_level=True))
    assert cloud.drs.calls["create_compare_task"] == 0
    assert not asked

    await actions.create_comparison(CreateCompareTaskRequest("job-000", object_level=True, data_level=lines))
    assert cloud.drs.calls["create_compare_task"] == 1 and asked


async def test_read_only_refuses_everything(setup):
    cloud, clock, exports, monitor, actions = setup
    await monitor.refresh()
    actions.read_only = True
    with pytest.raises(ActionRefused, match="read-only mode: creating a comparison is disabled"):
        await actions.create_comparison(CreateCompareTaskRequest("job-000", object_level=True))
    with pytest.raises(ActionRefused, match="read-only"):
        await actions.start_drs_export("job-000", "objects_comparison")
    with pytest.raises(ActionRefused, match="read-only"):
        await actions.run_sms_export(sms_items(1))
    assert sum(cloud.drs.calls[name] for name in ("create_compare_task", "export_compare_result_file")) == 0
    assert cloud.sms.calls == []


def test_report_names_are_safe_and_readable():
    when = datetime(2026, 12, 5, 14, 3, 9, tzinfo=timezone(timedelta(hours=8)))
    assert report_stem("crm-sync", "lines", when) == "crm-sync-rows-20261205T060309Z"
    assert report_stem("orders", "contents", when) == "orders-values-20261205T060309Z"
    assert report_stem("订单 同步/主库", "objects_comparison", when) == "订单_同步_主库-objects-20261205T060309Z"
    # Escapes, bidi controls, markup and path parts never reach the name; nothing left -> "job".
    assert report_stem("..\x1b[31m[/]evil\u202e/../x", "lines", when) == "31m_evil_.._x-rows-20261205T060309Z"
    assert report_stem("\u202e", "lines", when) == "job-rows-20261205T060309Z"
    assert len(report_stem("a" * 300, "lines", when)) == 80 + len("-rows-20261205T060309Z")
