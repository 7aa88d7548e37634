"""The official Huawei Cloud Python SDK (a client nobody here wrote) against the loopback simulator.

Every operation the simulator serves is called with ``BasicCredentials`` (AK/SK signing, the SDK's
own signer) and an endpoint override, and the answers must deserialise into the SDK's models.
The SDK signs with the real time, so the simulated clock starts at the real time here.
"""

import time
import warnings

import pytest

from drstui.sim import ManualClock, SimCore
from drstui.sim.server import serve_in_thread
from drstui.sim.xlsx import read_xlsx_cells

from .helpers import CONTENTS_A, HEALTH_A, JOB_A, LINES_A, SMS_SOURCE_1, SMS_TASK_1

sdk_core = pytest.importorskip("huaweicloudsdkcore")
from huaweicloudsdkcore.auth.credentials import BasicCredentials  # noqa: E402
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException  # noqa: E402
from huaweicloudsdkcore.http.http_config import HttpConfig  # noqa: E402
from huaweicloudsdkdrs.v3 import DrsClient as DrsV3, model as m3  # noqa: E402
from huaweicloudsdkdrs.v5 import DrsClient as DrsV5, model as m5  # noqa: E402
from huaweicloudsdksms.v3 import SmsClient, model as ms  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture(scope="module")
def sim():
    clock = ManualClock(start=time.time())
    core = SimCore.create(seed=7, clock=clock, failure_rate=0.0)
    server = serve_in_thread(core)
    yield core, clock, server
    server.close()


def _build(builder_cls, core, url, sk=None):
    creds = core.credentials
    config = HttpConfig.get_default_config()
    config.ignore_ssl_verification = True
    config.timeout = (5, 10)
    return (builder_cls.new_builder().with_credentials(BasicCredentials(creds.ak, sk or creds.sk, creds.project_id))
            .with_endpoint(url).with_http_config(config).build())


@pytest.fixture(scope="module")
def clients(sim):
    core, _, server = sim
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return _build(DrsV3, core, server.url), _build(DrsV5, core, server.url), _build(SmsClient, core, server.url)


def test_drs_v5_reads(clients):
    _, v5, _ = clients
    jobs = v5.list_jobs(m5.ListJobsRequest(job_type="sync", limit=5, offset=0, status="INCRE_TRANSFER_STARTED"))
    assert jobs.total_count >= 2 and all(j.status == "INCRE_TRANSFER_STARTED" for j in jobs.jobs)
    assert jobs.jobs[0].job_action.available_actions
    by_instance = [v5.list_jobs(m5.ListJobsRequest(job_type=t, instance_ids=["inst-a", "inst-b"], limit=10))
                   for t in ("migration", "sync", "cloudDataGuard", "replay")]
    assert sum(page.total_count for page in by_instance) == 12
    with pytest.raises(ClientRequestException) as refused:  # job_type is mandatory
        v5.list_jobs(m5.ListJobsRequest(limit=5))
    assert refused.value.status_code == 400 and refused.value.error_code == "DRS.10000001"
    detail = v5.show_job_detail(m5.ShowJobDetailRequest(job_id=JOB_A, type="overview"))
    assert detail.job.id == JOB_A and detail.job.base_info.name == "DRS-orders-sync"
    assert detail.job.target_endpoint[0].cloud.region == "cn-north-4"
    health = v5.show_health_compare_job_list(m5.ShowHealthCompareJobListRequest(job_id=JOB_A))
    assert health.count == 2 and health.compare_jobs[0].type == "lines,object_comparison"
    one = v5.show_health_compare_job_detail(m5.ShowHealthCompareJobDetailRequest(job_id=JOB_A, compare_job_id=HEALTH_A))
    assert one.status == "SUCCESSFUL" and one.job_name == "DRS-orders-sync"
    overview = v5.show_health_object_compare_job_overview(
        m5.ShowHealthObjectCompareJobOverviewRequest(job_id=JOB_A, compare_job_id=HEALTH_A))
    assert {r.type for r in overview.compare_result} == {"DB", "TABLE", "VIEW"}
    progress = v5.show_compare_progress(m5.ShowCompareProgressRequest(job_id=JOB_A, compare_job_id=LINES_A))
    assert progress.full_info.progress == 100.0


def test_drs_v3_reads(clients):
    v3, _, _ = clients
    listed = v3.show_job_list(m3.ShowJobListRequest(body=m3.QueryJobsReq(cur_page=1, per_page=5)))
    assert listed.total_record == 12 and len(listed.jobs) == 5
    status = v3.batch_list_job_status(m3.BatchListJobStatusRequest(
        body=m3.BatchQueryJobReqPage(jobs=[JOB_A, "f8688cfa-4e05-406f-a2e6-37a773cjb20y"],
                                     page_req=m3.PageReq(cur_page=1, per_page=0))))
    assert status.count == 2 and status.results[1].error_message == "Failed."
    overview = v3.list_obeject_level_compare_overview(m3.ListObejectLevelCompareOverviewRequest(job_id=JOB_A))
    assert overview.status == "SUCCESSFUL" and overview.compare_result[0].type == "DB"
    detail = v3.list_obeject_level_compare_detail(
        m3.ListObejectLevelCompareDetailRequest(job_id=JOB_A, compare_type="TABLE", limit=3, offset=0))
    assert detail.count == 16 and len(detail.compare_detail) == 3
    tables = v3.list_data_level_table_compare_jobs(m3.ListDataLevelTableCompareJobsRequest(job_id=JOB_A))
    assert {j.type for j in tables.compare_jobs} >= {"lines", "contents"}
    line_ov = v3.list_data_compare_overview(m3.ListDataCompareOverviewRequest(job_id=JOB_A, compare_job_id=LINES_A))
    assert line_ov.total_count == 2
    line_detail = v3.list_data_compare_detail(m3.ListDataCompareDetailRequest(
        job_id=JOB_A, compare_job_id=LINES_A, db_name="orders", type="compare", query_tb_name="order", limit=50))
    assert line_detail.table_line_compare_result_infos[0].source_table_name == "order_items"
    content_ov = v3.list_content_compare_overview(
        m3.ListContentCompareOverviewRequest(job_id=JOB_A, compare_job_id=CONTENTS_A))
    assert content_ov.content_compare_result_infos[0].source_db == "orders"
    content_detail = v3.list_content_compare_detail(
        m3.ListContentCompareDetailRequest(job_id=JOB_A, compare_job_id=CONTENTS_A, type="compare"))
    assert content_detail.content_compare_result_infos[0].line_compare_result is False
    diff = v3.list_content_compare_difference(m3.ListContentCompareDifferenceRequest(
        job_id=JOB_A, compare_job_id=CONTENTS_A, db_name="orders", table_name="order_items"))
    assert diff.count >= 1 and diff.contents_infos[0].source_key_value
    query = v3.list_compare_result(m3.ListCompareResultRequest(body=m3.QueryCompareResultReq(
        job_id=JOB_A, object_level_compare_id="dc1683d9-bdf2-4be9-967f-6ef0953369bc", line_compare_id=LINES_A,
        content_compare_id=CONTENTS_A, current_page=1, per_page=10)))
    assert query.line_compare_results.line_compare_overview_count == 2
    assert query.compare_task_list_results.compare_task_list_count == 3
    assert query.content_compare_results.content_compare_details


def test_drs_v3_actions(sim, clients):
    core, clock, _ = sim
    v3, _, _ = clients
    created = v3.create_compare_task(m3.CreateCompareTaskRequest(body=m3.CreateCompareTaskReq(
        job_id=JOB_A, object_level_compare_type="objects",
        data_level_compare_info=m3.CreateDataLevelCompareReq(
            conflict_policy="cancel", compare_type="lines",
            compare_object_infos=[m3.CompareObjectInfo(db_name="orders", table_name=["orders"])]))))
    lines_id = created.data_level_compare_create_result.compare_task_id
    assert created.object_level_compare_create_result.compare_task_id and lines_id
    kept = v3.create_compare_task(m3.CreateCompareTaskRequest(body=m3.CreateCompareTaskReq(
        job_id=JOB_A, data_level_compare_info=m3.CreateDataLevelCompareReq(
            conflict_policy="keep", compare_type="lines", compare_object_infos=[m3.CompareObjectInfo(db_name="orders")]))))
    assert kept.data_level_compare_create_result.error_code == "DRS.10000001"
    assert v3.delete_compare_job(m3.DeleteCompareJobRequest(job_id=JOB_A, compare_job_id=lines_id)) is not None
    v3.create_compare_result_file(m3.CreateCompareResultFileRequest(
        job_id=JOB_A, region="cn-north-4", body=m3.ExportCompareResultReq(compare_type="lines",
                                                                          compare_job_id=LINES_A, time_zone="GMT+08:00")))
    clock.advance(6)
    download = v3.download_compare_result_file(m3.DownloadCompareResultFileRequest(
        job_id=JOB_A, compare_type="lines", compare_job_id=LINES_A))
    chunks: list[bytes] = []
    download.consume_download_stream(lambda stream: chunks.append(stream.content))
    assert "order_items" in read_xlsx_cells(b"".join(chunks))["xl/worksheets/sheet2.xml"]
    assert core.count("drs.download_result_file") == 1


def test_drs_lifecycle_calls(sim, clients):
    """Pause/restart, the compare policy and the row-level differences, called by the SDK."""
    _, clock, _ = sim
    v3, v5, _ = clients
    created = v3.create_compare_task(m3.CreateCompareTaskRequest(body=m3.CreateCompareTaskReq(
        job_id=JOB_A, data_level_compare_info=m3.CreateDataLevelCompareReq(
            conflict_policy="cancel", compare_type="lines", compare_object_infos=[m3.CompareObjectInfo(db_name="orders")]))))
    compare_id = created.data_level_compare_create_result.compare_task_id
    clock.advance(10)
    ids = m5.OperateDataCompareJobReq(compare_job_ids=[compare_id])
    paused = v5.pause_compare_jobs(m5.PauseCompareJobsRequest(job_id=JOB_A, body=ids))
    assert paused.request_id and paused.status_code == 202
    restarted = v5.restart_compare_jobs(m5.RestartCompareJobsRequest(job_id=JOB_A, body=ids))
    assert restarted.request_id
    with pytest.raises(ClientRequestException) as raised:
        v5.restart_compare_jobs(m5.RestartCompareJobsRequest(job_id=JOB_A, body=ids))
    assert raised.value.status_code == 400
    with pytest.raises(ClientRequestException):
        v5.pause_compare_jobs(m5.PauseCompareJobsRequest(job_id=JOB_A))  # compare_job_ids is mandatory
    assert v5.show_compare_policy(m5.ShowComparePolicyRequest(job_id=JOB_A)).status == "CLOSED"
    v5.update_compare_policy(m5.UpdateComparePolicyRequest(job_id=JOB_A, body=m5.ModifyComparePolicyReq(
        action="open", period="* * 1,2,3,4,5,6,7", begin_time="00:00:00", end_time="23:00:00",
        compare_type=["lines"], compare_policy="normal", interval_hour=1, conflict_strategy="ignore")))
    policy = v5.show_compare_policy(m5.ShowComparePolicyRequest(job_id=JOB_A))
    assert policy.status == "OPEN" and policy.interval_hour == 1 and policy.next_compare_time.endswith("Z")
    v5.update_compare_policy(m5.UpdateComparePolicyRequest(job_id=JOB_A, body=m5.ModifyComparePolicyReq(action="close")))
    with pytest.raises(ClientRequestException):
        v5.update_compare_policy(m5.UpdateComparePolicyRequest(job_id=JOB_A, body=m5.ModifyComparePolicyReq(
            action="open")))  # opening needs a period, a window and compare types
    diff = v3.list_content_compare_difference(m3.ListContentCompareDifferenceRequest(
        job_id=JOB_A, compare_job_id=CONTENTS_A, limit=2, offset=0))
    assert diff.count >= 2 and len(diff.contents_infos) == 2
    assert diff.target_meta_is_null + diff.source_meta_is_null + diff.source_target_meta_not_null == diff.count


def test_drs_errors_reach_the_sdk(clients, sim):
    core, _, server = sim
    v3, _, _ = clients
    with pytest.raises(ClientRequestException) as raised:
        v3.list_obeject_level_compare_overview(m3.ListObejectLevelCompareOverviewRequest(job_id="nope"))
    assert raised.value.status_code == 400 and raised.value.error_code == "DRS.10000010"
    assert raised.value.request_id
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wrong = _build(DrsV3, core, server.url, sk="wrong-secret")
    with pytest.raises(ClientRequestException) as raised:
        wrong.list_obeject_level_compare_overview(m3.ListObejectLevelCompareOverviewRequest(job_id=JOB_A))
    assert raised.value.status_code == 401 and raised.value.error_code == "APIGW.0301"


def test_sms_operations(clients):
    _, _, sms = clients
    tasks = sms.list_tasks(ms.ListTasksRequest(limit=100, offset=0, state="MIGRATE_SUCCESS"))
    assert tasks.count >= 1 and tasks.tasks[0].source_server.id
    sources = sms.list_servers(ms.ListServersRequest(is_consistency_result_exist=True, limit=200))
    assert sources.count >= 1 and all(s.is_consistency_result_exist for s in sources.source_servers)
    result = sms.show_consistency_result(ms.ShowConsistencyResultRequest(task_id=SMS_TASK_1))
    assert result.task_id == SMS_TASK_1 and result.result_list
    exported = sms.export_consistency_results(ms.ExportConsistencyResultsRequest(
        body=ms.BatchGetConsistencyResultReq(task_info=[ms.BatchConsistencyReq(
            task_id=SMS_TASK_1, source_id=SMS_SOURCE_1, source_name="ecs-web-01")])))
    chunks: list[bytes] = []
    exported.consume_download_stream(lambda stream: chunks.append(stream.content))
    assert b"task_id,source_id" in b"".join(chunks)
    with pytest.raises(ClientRequestException) as raised:
        sms.show_consistency_result(ms.ShowConsistencyResultRequest(task_id="00000000-0000-4000-8000-000000000000"))
    assert raised.value.status_code == 404 and raised.value.error_code == "SMS.0404"


def test_sms_string_result_form_deserialises_cleanly():
    clock = ManualClock(start=time.time())
    core = SimCore.create(seed=7, clock=clock, sms_result_shape="strings")
    server = serve_in_thread(core)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            sms = _build(SmsClient, core, server.url)
        result = sms.show_consistency_result(ms.ShowConsistencyResultRequest(task_id=SMS_TASK_1))
        assert result.result_list[0].startswith('{"dir_check"')
    finally:
        server.close()


def test_children_deserialise_in_the_sdk_lists():
    clock = ManualClock(start=time.time())
    core = SimCore.create(seed=7, clock=clock, multi_task_jobs=1)
    server = serve_in_thread(core)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v3, v5 = _build(DrsV3, core, server.url), _build(DrsV5, core, server.url)
        jobs = [j for t in ("migration", "sync", "cloudDataGuard", "replay")
                for j in v5.list_jobs(m5.ListJobsRequest(job_type=t, limit=100)).jobs]
        parent = next(j for j in jobs if j.job_mode_role == "parent")
        assert [c.job_mode_role for c in parent.children] == ["child", "child"]
        assert parent.children[0].job_action.available_actions
        listed = v3.show_job_list(m3.ShowJobListRequest(body=m3.QueryJobsReq(cur_page=1, per_page=100))).jobs
        assert next(j for j in listed if j.id == parent.id).children[1].error_msg == "Failed."
    finally:
        server.close()


def _all_fields_set(model, skip=()):
    """Every attribute the SDK model declares came back (deserialized, not left None)."""
    missing = [name for name in model.openapi_types if name not in skip and getattr(model, name) is None]
    assert not missing, f"{type(model).__name__} lacks {missing}"


def test_drs_replication_reads(clients, sim):
    v3, v5, _ = clients
    core, _, _ = sim
    dr = next(j for j in core.world.project.jobs.values() if j.job_type == "cloudDataGuard")
    ddl_job = next(i for i, s in core.world.replication.items() if s.kind == "ddl")
    progress = v3.batch_list_progresses(m3.BatchListProgressesRequest(
        body=m3.BatchQueryProgressReq(jobs=[JOB_A, "9a470239-2308-4bb5-a6bc-1040402fjb21"])))
    assert progress.count == 2
    incremental, full = progress.results
    _all_fields_set(incremental, skip=("error_code", "error_msg"))
    assert isinstance(incremental.progress_map["data"], m3.ProgressInfo)
    _all_fields_set(incremental.progress_map["data"])
    assert full.apply_rows_rate == -1 and full.incre_trans_delay == "-"
    monitor = v5.show_monitor_data(m5.ShowMonitorDataRequest(job_id=JOB_A))
    _all_fields_set(monitor, skip=("x_request_id",) if hasattr(monitor, "x_request_id") else ())
    assert isinstance(monitor.src_delay, int) and monitor.is_dst_normal is True
    rpo = v3.batch_list_rpos_and_rtos(m3.BatchListRposAndRtosRequest(
        body=m3.BatchQueryRpoAndRtoReq(jobs=[dr.id])))
    assert rpo.count == 1
    _all_fields_set(rpo.results[0], skip=("error_code", "error_msg"))
    _all_fields_set(rpo.results[0].rpo_info)
    _all_fields_set(rpo.results[0].rto_info)
    ddls = v5.list_job_ddls(m5.ListJobDdlsRequest(job_id=ddl_job, limit=10, offset=0))
    assert ddls.count == 2
    for alarm in ddls.ddl_list:
        _all_fields_set(alarm)
    assert v5.list_job_ddls(m5.ListJobDdlsRequest(job_id=ddl_job, status=1)).ddl_list[0].status == 1


def test_sdk_finds_the_project_id_in_iam():
    """AK/SK without a project id: the SDK asks IAM ``GET /v3/projects?name=<region>`` (signed)
    for the region's project, then calls DRS with it."""
    from huaweicloudsdkcore.region.region import Region

    from drstui.sim.credentials import SimCredentials

    clock = ManualClock(start=time.time())
    creds = SimCredentials(ak="SDKPROJECTLOOKUP0001")  # its own key: the SDK caches per AK+region
    core = SimCore.create(seed=7, clock=clock, failure_rate=0.0, credentials=creds)
    server = serve_in_thread(core)
    try:
        config = HttpConfig.get_default_config()
        config.timeout = (5, 10)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            v5 = (DrsV5.new_builder()
                  .with_credentials(BasicCredentials(creds.ak, creds.sk).with_iam_endpoint(server.url))
                  .with_region(Region(creds.region, server.url)).with_http_config(config).build())
        jobs = v5.list_jobs(m5.ListJobsRequest(job_type="sync", limit=5))
        assert jobs.total_count == 6
        assert core.count("iam.list_projects") == 1
        lookup = next(r.request for r in core.received if r.endpoint == "iam.list_projects")
        assert lookup.query_dict() == {"name": creds.region} and lookup.header("authorization")
    finally:
        server.close()

