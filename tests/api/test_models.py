"""Parsing every fixture, and the contract quirks of drs.md §4 / sms.md §3."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from drstui.api.errors import ApiError
from drstui.api.models import (
    CompareJobList,
    CompareProgress,
    CompareStatus,
    ConsistencyResult,
    ContentCompareDetail,
    ContentCompareOverview,
    CreateCompareTaskResult,
    ExportStatus,
    HealthCompareJob,
    HealthCompareJobList,
    Job,
    JobDetail,
    JobList,
    JobStatusPage,
    JobStatusValue,
    LineCompareDetail,
    LineCompareOverview,
    ObjectCompareDetail,
    ObjectCompareOverview,
    ObjectResult,
    SmsExportItem,
    SmsSourceList,
    SmsTaskList,
    TokenInfo,
    row_status_text,
)
from drstui.api.models.drs import (
    CompareObjectInfo,
    CreateCompareTaskRequest,
    DataLevelCompareInfo,
)

from drstui.api.models.lifecycle import CompareOperation, ComparePolicy, ContentDifference
from drstui.api.models.replication import DdlAlarmList, JobRpoRtoList, MonitorData, ReplicationProgressList

from .helpers import FIXTURES, JOB_A, load

# Every response fixture and the model that parses it.
RESPONSE_FIXTURES = {
    "drs_batch_progress.json": ReplicationProgressList,
    "drs_monitor_data.json": MonitorData,
    "drs_batch_rpo_and_rto.json": JobRpoRtoList,
    "drs_job_ddls.json": DdlAlarmList,
    "drs_job_detail_progress.json": JobDetail,
    "drs_batch_status.response.json": JobStatusPage,
    "drs_compare_pause.response.json": CompareOperation,
    "drs_compare_policy.json": ComparePolicy,
    "drs_compare_progress.json": CompareProgress,
    "drs_content_difference.json": ContentDifference,
    "drs_content_detail.json": ContentCompareDetail,
    "drs_content_overview.json": ContentCompareOverview,
    "drs_create_compare_task.response.json": CreateCompareTaskResult,
    "drs_create_compare_task.response_partial_error.json": CreateCompareTaskResult,
    "drs_health_compare_job_detail.json": HealthCompareJob,
    "drs_health_compare_jobs.json": HealthCompareJobList,
    "drs_job_detail.json": JobDetail,
    "drs_line_detail.json": LineCompareDetail,
    "drs_line_overview.json": LineCompareOverview,
    "drs_list_jobs.json": JobList,
    "drs_object_compare_detail_TABLE.json": ObjectCompareDetail,
    "drs_object_compare_overview.json": ObjectCompareOverview,
    "drs_object_compare_overview.running_inconsistent.json": ObjectCompareOverview,
    "drs_table_compare_jobs.json": CompareJobList,
    "iam_token.response.json": TokenInfo,
    "sms_consistency_result.json": ConsistencyResult,
    "sms_consistency_result.sdk_strings.json": ConsistencyResult,
    "sms_list_sources.json": SmsSourceList,
    "sms_list_tasks.json": SmsTaskList,
}
# Request bodies, error bodies and the two empty success bodies are covered elsewhere
# (client tests assert request bodies; test_errors parses the error files).
OTHER_FIXTURES = {
    "apigw_error_401_signature.json", "apigw_error_401_token.json",
    "drs_batch_status.request.json", "drs_create_compare_task.request.json",
    "drs_compare_pause.request.json", "drs_compare_policy.request.json",
    "drs_error_400_compare_pause_unsupported.json",
    "drs_error_400_failed.json", "drs_error_400_task_not_found.json",
    "drs_export_compare_result_file.request.json",
    "drs_export_compare_result_file.request_objects.json",
    "drs_export_compare_result_file.response.json", "drs_query_compare_result.request.json",
    # answers of calls the client does not make (the simulator serves them; its tests use these)
    "drs_query_compare_result.json", "drs_health_object_overview.json",
    "iam_token.request.json", "sms_error_400.json", "sms_error_403.json", "sms_error_404.json",
    "sms_export_consistency_results.request.json",
    "sms_export_consistency_results.response_doc_example.json",
}


def test_every_fixture_is_accounted_for():
    on_disk = {p.name for p in FIXTURES.glob("*.json")}
    assert on_disk == set(RESPONSE_FIXTURES) | OTHER_FIXTURES


@pytest.mark.parametrize("name,model", sorted(RESPONSE_FIXTURES.items()))
def test_fixture_parses(name, model):
    parsed = model.from_json(load(name))
    assert isinstance(parsed, model)
    repr(parsed)  # reprs must not blow up either


def test_list_jobs_v5():
    jobs = JobList.from_json(load("drs_list_jobs.json"))
    assert jobs.total == 3 and jobs.api_version == "v5"
    job = jobs.jobs[0]
    assert job.id == JOB_A and job.status_enum is JobStatusValue.INCRE_TRANSFER_STARTED
    assert job.can_compare and job.node_new_framework is True and job.billing_tag is True
    assert job.create_time == datetime(2025, 1, 15, 5, 20, tzinfo=timezone.utc)  # epoch-ms string
    assert job.create_time_raw == "1736918400000"
    assert job.job_action.available_actions == ("PAUSE", "FREE_RESOURCE", "CHANGE")
    assert jobs.jobs[1].status_enum.is_failed


def test_list_jobs_v3_shape():
    body = {"total_record": 1, "jobs": [{"id": "j", "db_use_type": "sync", "node_newFramework": False,
                                          "status": "SOMETHING_NEW", "children": [
                                              {"id": "c", "error_msg": "child broke"}]}]}
    jobs = JobList.from_json(body)
    assert jobs.total == 1 and jobs.api_version == "v3"
    job = jobs.jobs[0]
    assert job.job_type == "sync" and job.node_new_framework is False
    assert job.status == "SOMETHING_NEW" and job.status_enum is JobStatusValue.UNKNOWN
    assert job.children[0].error_msg == "child broke"


def test_job_detail_main_fields():
    detail = JobDetail.from_json(load("drs_job_detail.json"))
    assert detail.name == "DRS-orders-sync" and detail.engine_type == "mysql-to-mysql"
    assert detail.tags == (("team", "dba"),)
    assert detail.source_endpoints[0].ip == "192.168.0.10"
    assert detail.target_endpoints[0].region == "cn-north-4"
    assert detail.progress.progress == 100.0 and detail.progress.incr_trans_delay_millis == 120.0
    assert detail.sync_mode == "DB_LEVEL" and detail.extra == {}


@pytest.mark.parametrize("progress,delay,millis,expected", [
    ("42.5%", "3", "3000", (42.5, 3.0, 3000.0)),
    ("-", "", "N/A", (None, None, None)),
    ("unknown", "NaN", "12", (None, None, 12.0)),
    (57, 1.5, None, (57.0, 1.5, None)),
])
def test_job_progress_strings_read_leniently(progress, delay, millis, expected):
    """The SDK declares progress and the delays as strings: a value that is not a number must
    not fail the whole job detail."""
    raw = load("drs_job_detail.json")
    info = raw["job"]["progress_info"] if "job" in raw else raw["progress_info"]
    info.update(progress=progress, incr_trans_delay=delay, incr_trans_delay_millis=millis)
    detail = JobDetail.from_json(raw)
    got = detail.progress
    assert (got.progress, got.incr_trans_delay, got.incr_trans_delay_millis) == expected
    assert detail.name == "DRS-orders-sync"


def test_batch_status_error_message_spelling():
    page = JobStatusPage.from_json(load("drs_batch_status.response.json"))
    assert page.count == 2
    assert page.results[1].error_code == "DRS.10000001"
    assert page.results[1].error_message == page.results[1].error_msg == "Failed."


def test_create_result_keeps_partial_error():
    result = CreateCompareTaskResult.from_json(load("drs_create_compare_task.response_partial_error.json"))
    assert result.object_level.ok and result.object_level.compare_task_id.startswith("dc1683d9")
    assert not result.data_level.ok and result.data_level.error_code == "DRS.10000001"
    assert result.errors == (("data_level", "DRS.10000001", "Failed."),)
    assert result.created_ids == ("dc1683d9-bdf2-4be9-967f-6ef0953369bc",)
    assert not result.ok
    ok = CreateCompareTaskResult.from_json(load("drs_create_compare_task.response.json"))
    assert ok.ok and len(ok.created_ids) == 2


def test_object_overview_integer_results():
    ov = ObjectCompareOverview.from_json(load("drs_object_compare_overview.running_inconsistent.json"))
    assert ov.status_enum is CompareStatus.RUNNING and ov.status_enum.is_running
    assert ov.export_status_enum is ExportStatus.EXPORT_COMPLETE and ov.has_report
    assert [r.result for r in ov.results] == [ObjectResult.CONSISTENT, ObjectResult.INCONSISTENT,
                                              ObjectResult.NOT_FINISHED, ObjectResult.INCONSISTENT]
    seed = ObjectCompareOverview.from_json(load("drs_object_compare_overview.json"))
    assert seed.report_remain_seconds == -1 and not seed.has_report
    assert seed.status_enum.is_terminal
    assert ObjectResult.parse(1) is ObjectResult.UNKNOWN  # there is no 1


def test_health_types_split():
    job = HealthCompareJob.from_json(load("drs_health_compare_job_detail.json"))
    assert job.types == ("lines", "object_comparison") and job.type == "lines,object_comparison"
    listing = HealthCompareJobList.from_json(load("drs_health_compare_jobs.json"))
    assert listing.jobs[1].end_time is None and listing.jobs[1].end_time_raw == ""
    assert listing.jobs[1].status_enum is CompareStatus.WAITING_FOR_RUNNING


def test_line_and_content_rows():
    lo = LineCompareOverview.from_json(load("drs_line_overview.json"))
    assert lo.rows[1].status == 22 and lo.rows[1].status_text == "target DB missing"
    assert lo.rows[0].source_db == "orders"
    co = ContentCompareOverview.from_json(load("drs_content_overview.json"))
    assert co.rows[0].status_text == "comparing" and co.rows[0].source_db == "orders"
    cd = ContentCompareDetail.from_json(load("drs_content_detail.json"))
    assert cd.rows[0].line_compare_result is False and cd.rows[1].content_compare_result is True
    assert cd.rows[1].phase_text == "comparing" and cd.rows[1].progress == 50.0
    assert row_status_text(1) == "unknown status 1" and row_status_text(27) == "timed out"


def test_table_compare_jobs():
    jobs = CompareJobList.from_json(load("drs_table_compare_jobs.json"))
    assert jobs.jobs[0].export_status_enum is ExportStatus.EXPORTING
    assert jobs.jobs[1].options == {"contentCompareType": "static", "lobCompare": "ignore"}


def test_compare_progress_flat():
    p = CompareProgress.from_json(load("drs_compare_progress.json"))
    assert (p.full_progress, p.incre_rps, p.global_src_speed) == (57.5, 80, "1280 rows/s")


def test_sms_models():
    tasks = SmsTaskList.from_json(load("sms_list_tasks.json"))
    item = tasks.tasks[0].export_item()
    assert item == SmsExportItem("05a41be9-3ffe-4cc6-8d66-073590390001",
                                 "31806fb2-95bd-421f-ae35-b81b750d0001", "ecs-web-01")
    assert tasks.tasks[0].create_date == datetime(2025, 1, 15, 5, 20, tzinfo=timezone.utc)
    sources = SmsSourceList.from_json(load("sms_list_sources.json"))
    assert sources.sources[0].is_consistency_result_exist is True
    assert sources.sources[0].export_item().task_id == "05a41be9-3ffe-4cc6-8d66-073590390001"
    assert sources.sources[0].memory == 8589934592


def test_consistency_result_shapes():
    obj = ConsistencyResult.from_json(load("sms_consistency_result.json"))
    assert obj.latest.check_result == "success" and len(obj.latest.dirs) == 2
    assert obj.latest.dirs[0].num_target_miss_files == 1 and not obj.latest.dirs[0].consistent
    strings = ConsistencyResult.from_json(load("sms_consistency_result.sdk_strings.json"))
    assert strings.latest.dirs[0].dir_check == "/data"
    odd = ConsistencyResult.from_json({"task_id": "t", "result_list": ["not json at all"]})
    assert odd.latest.raw == "not json at all"
    flat = ConsistencyResult.from_json({"finished_time": 1736924000000, "consistency_result": [
        {"dir_check": "/x", "num_total_files": 1}]})
    assert flat.latest.dirs[0].dir_check == "/x" and flat.latest.finished_time is not None


def test_token_info():
    info = TokenInfo.from_json(load("iam_token.response.json"))
    assert info.project_id == "054ba152d480d55b2f5dc0069e7ddef0"
    assert info.expires_at == datetime(2025, 1, 16, 8, 30, tzinfo=timezone.utc)


def test_unknown_fields_and_enum_values_are_kept():
    job = Job.from_json({"id": "x", "status": "BRAND_NEW", "shiny": [1, 2]})
    assert job.extra == {"shiny": [1, 2]} and job.status == "BRAND_NEW"


@pytest.mark.parametrize(
    "model,body,where",
    [
        (ObjectCompareOverview, {"report_remain_seconds": "soon"}, "$.report_remain_seconds"),
        (ObjectCompareOverview, {"compare_result": {"type": "DB"}}, "$.compare_result"),
        (ObjectCompareOverview, {"compare_result": [{"status": "x"}]}, "$.compare_result[0].status"),
        (JobList, {"jobs": [{"id": ["a"]}]}, "$.jobs[0].id"),
        (ContentCompareDetail, {"content_compare_result_infos": [{"line_compare_result": "maybe"}]},
         "line_compare_result"),
        (SmsTaskList, {"tasks": "none"}, "$.tasks"),
        (JobList, [], "$"),
        (JobList, "text", "$"),
    ],
)
def test_wrong_types_are_malformed_with_path(model, body, where):
    with pytest.raises(ApiError) as info:
        model.from_json(body)
    assert info.value.kind == "malformed"
    assert where in info.value.error_msg


def test_lenient_numbers_and_times():
    row = LineCompareDetail.from_json({"table_line_compare_result_infos": [
        {"source_row_num": "1200", "target_row_num": 3.0, "status": ""}]}).rows[0]
    assert (row.source_row_num, row.target_row_num, row.status) == (1200, 3, None)
    job = Job.from_json({"id": "x", "create_time": "not a time"})
    assert job.create_time is None and job.create_time_raw == "not a time"
    job = Job.from_json({"id": "x", "create_time": "2024-04-09T07:00:57"})
    assert job.create_time.tzinfo is not None


def test_create_request_to_json_matches_fixture_and_vector():
    request = CreateCompareTaskRequest(
        JOB_A, object_level=True,
        data_level=DataLevelCompareInfo("lines", "keep", (CompareObjectInfo("may_5", ("table_name_0", "table_name_1")),)))
    fixture = load("drs_create_compare_task.request.json")
    expected = dict(fixture)
    expected["data_level_compare_info"] = {k: v for k, v in fixture["data_level_compare_info"].items()
                                           if v is not None}
    assert request.to_json() == expected


@pytest.mark.parametrize(
    "kwargs",
    [
        {"compare_type": "rows"},
        {"compare_type": "lines", "conflict_policy": "replace", "compare_object_infos": (CompareObjectInfo("d"),)},
        {"compare_type": "lines"},  # no objects and not quick mode
    ],
)
def test_data_level_validation(kwargs):
    with pytest.raises(ValueError):
        DataLevelCompareInfo(**kwargs)


def test_export_item_validation():
    with pytest.raises(ValueError):
        SmsExportItem("", "s", "n")
    with pytest.raises(ValueError):
        SmsExportItem("t", "s", "n" * 256)
    with pytest.raises(ValueError):
        SmsExportItem("t", 5, "n")  # type: ignore[arg-type]
