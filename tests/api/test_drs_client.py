"""Every DrsClient method against recorded JSON: URL, method, headers, body, parsed result."""

from __future__ import annotations

import httpx
import pytest

from drstui.api.drs import DrsClient
from drstui.api.errors import ApiError
from drstui.api.models.drs import CompareObjectInfo, CreateCompareTaskRequest, DataLevelCompareInfo

from .helpers import BASE, JOB_A, PID, VECTORS, Recorder, json_response, load, make_session

CMP = "9406224c-8063-436a-8fe2-796d87f054dc"


def client(rec: Recorder, policy=None, region="cn-north-4") -> DrsClient:
    return DrsClient(make_session(rec, policy), PID, region)


def url(path: str) -> str:
    return BASE + path


async def test_list_jobs_v5():
    rec = Recorder([json_response(200, load("drs_list_jobs.json"))])
    jobs = await client(rec).list_jobs(0, 50, status="INCRE_TRANSFER_STARTED")
    assert rec.last.method == "GET"
    assert str(rec.last.url) == url(f"/v5/{PID}/jobs?job_type=migration&limit=50&offset=0"
                                     "&status=INCRE_TRANSFER_STARTED")
    assert rec.last.headers["Content-Type"] == "application/json"
    assert rec.last.headers["X-Language"] == "en-us"
    assert rec.last.content == b""
    assert jobs.total == 3 and len(jobs.jobs) == 3


@pytest.mark.parametrize("answer", [
    json_response(404, {"error_code": "APIGW.0101", "error_msg": "The API does not exist"}),
    json_response(400, {"error_code": "DRS.10040001", "error_msg": "This API is not supported in this region"}),
])
async def test_list_jobs_falls_back_to_v3(answer):
    v3 = {"total_record": 1, "jobs": [{"id": JOB_A, "status": "INCRE_TRANSFER_STARTED",
                                        "db_use_type": "migration", "node_newFramework": True}]}
    rec = Recorder([answer, json_response(200, v3), json_response(200, v3)])
    drs = client(rec)
    jobs = await drs.list_jobs(0, 10)
    assert jobs.api_version == "v3" and jobs.jobs[0].node_new_framework is True
    assert rec.requests[1].method == "POST" and rec.requests[1].url.path == f"/v3/{PID}/jobs"
    assert rec.body(1) == {"cur_page": 1, "per_page": 10, "db_use_type": "migration",
                           "engine_type": "mysql"}
    await drs.list_jobs(20, 10)  # remembered: goes straight to v3
    assert len(rec.requests) == 3 and rec.body(2)["cur_page"] == 3


async def test_list_jobs_other_errors_not_hidden():
    rec = Recorder([json_response(400, load("drs_error_400_failed.json"))])
    with pytest.raises(ApiError) as info:
        await client(rec).list_jobs()
    assert info.value.error_code == "DRS.10000001" and len(rec.requests) == 1


async def test_list_all_jobs_pages():
    page = load("drs_list_jobs.json")
    first = dict(page, jobs=page["jobs"][:2])
    second = dict(page, jobs=page["jobs"][2:])
    empty = {"total_count": 0, "jobs": []}
    rec = Recorder([json_response(200, first), json_response(200, second)],
                   default=json_response(200, empty))
    jobs = await client(rec).list_all_jobs(page_size=2)
    assert sorted(j.id for j in jobs) == sorted(j["id"] for j in page["jobs"])
    times = [j.create_time for j in jobs]
    assert times == sorted(times, reverse=True)  # merged listings: newest first, as one list
    assert [r.url.params["offset"] for r in rec.requests[:2]] == ["0", "2"]


async def test_list_all_jobs_lists_every_job_type_v5():
    """The v5 list requires job_type: one listing per scenario, merged (duplicates once)."""
    by_type = {"migration": ["m1"], "sync": ["s1", "s2"], "cloudDataGuard": ["d1"], "replay": ["m1"]}

    def answer(request: httpx.Request) -> httpx.Response:
        ids = by_type[request.url.params["job_type"]]
        return json_response(200, {"total_count": len(ids), "jobs": [{"id": i} for i in ids]})

    rec = Recorder(default=answer)
    jobs = await client(rec).list_all_jobs()
    assert [j.id for j in jobs] == ["m1", "s1", "s2", "d1"]
    assert [r.url.params["job_type"] for r in rec.requests] == [
        "migration", "sync", "cloudDataGuard", "replay"]


async def test_list_all_jobs_v3_lists_every_db_use_type():
    v3 = {"total_record": 1, "jobs": [{"id": JOB_A, "db_use_type": "migration"}]}
    rec = Recorder([json_response(404, {"error_code": "APIGW.0101", "error_msg": "no such API"})],
                   default=json_response(200, v3))
    jobs = await client(rec).list_all_jobs()
    assert [j.id for j in jobs] == [JOB_A]
    assert [rec.body(i)["db_use_type"] for i in range(1, len(rec.requests))] == [
        "migration", "sync", "cloudDataGuard"]


async def test_show_job_detail():
    rec = Recorder([json_response(200, load("drs_job_detail.json"))])
    detail = await client(rec).show_job_detail(JOB_A, "progress")
    assert str(rec.last.url) == url(f"/v5/{PID}/jobs/{JOB_A}?type=progress")
    assert detail.progress.transfer_status == "INCRE_TRANSFER_STARTED"


async def test_batch_job_status_explicit_page_and_chunks():
    rec = Recorder(default=json_response(200, load("drs_batch_status.response.json")))
    ids = [f"job-{i:03d}" for i in range(150)] + ["job-000", ""]
    statuses = await client(rec).batch_job_status(ids)
    assert len(rec.requests) == 2
    first, second = rec.body(0), rec.body(1)
    assert rec.requests[0].url.path == f"/v3/{PID}/jobs/batch-status"
    assert len(first["jobs"]) == 100 and first["page_req"] == {"cur_page": 1, "per_page": 100}
    assert len(second["jobs"]) == 50 and second["page_req"] == {"cur_page": 1, "per_page": 50}
    assert len(statuses) == 4
    assert await client(Recorder()).batch_job_status([]) == []


async def test_batch_status_request_matches_fixture_shape():
    rec = Recorder([json_response(200, load("drs_batch_status.response.json"))])
    fixture = load("drs_batch_status.request.json")
    await client(rec).batch_job_status(fixture["jobs"])
    assert rec.body()["jobs"] == fixture["jobs"]
    assert set(rec.body()["page_req"]) == set(fixture["page_req"])


async def test_batch_status_post_is_retried_as_read_only(policy, sleeps):
    rec = Recorder([json_response(503, {}), json_response(200, load("drs_batch_status.response.json"))])
    await client(rec, policy).batch_job_status([JOB_A])
    assert len(rec.requests) == 2


async def test_create_compare_task():
    rec = Recorder([json_response(200, load("drs_create_compare_task.response.json"))])
    req = CreateCompareTaskRequest(JOB_A, object_level=True, data_level=DataLevelCompareInfo(
        "lines", "keep", (CompareObjectInfo("may_5", ("table_name_0", "table_name_1")),)))
    result = await client(rec).create_compare_task(req)
    assert rec.last.method == "POST"
    assert str(rec.last.url) == url(f"/v3/{PID}/jobs/create-compare-task")
    # Compact bytes, identical to the signing vector's body.
    assert rec.last.content.decode() == VECTORS["vectors"][1]["input"]["body"]
    assert result.created_ids == ("dc1683d9-bdf2-4be9-967f-6ef0953369bc",
                                  "08cad1f8-9de2-42fa-b8ce-6c36daf730f6")


async def test_create_compare_task_partial_error_kept():
    rec = Recorder([json_response(200, load("drs_create_compare_task.response_partial_error.json"))])
    result = await client(rec).create_compare_task(CreateCompareTaskRequest(JOB_A, object_level=True))
    assert result.object_level.ok and result.data_level.error_code == "DRS.10000001"


async def test_create_compare_task_top_level_error_raised():
    rec = Recorder([json_response(200, {"job_id": JOB_A, "error_code": "DRS.10000001",
                                        "error_msg": "Failed."})])
    with pytest.raises(ApiError) as info:
        await client(rec).create_compare_task(CreateCompareTaskRequest(JOB_A, object_level=True))
    assert info.value.status == 200 and info.value.error_code == "DRS.10000001"


async def test_create_compare_task_never_retried(policy, sleeps):
    rec = Recorder(default=json_response(503, {"error_code": "X", "error_msg": "busy"}))
    with pytest.raises(ApiError):
        await client(rec, policy).create_compare_task(CreateCompareTaskRequest(JOB_A, object_level=True))
    assert len(rec.requests) == 1 and sleeps.delays == []


async def test_object_compare_overview_and_not_found():
    rec = Recorder([json_response(200, load("drs_object_compare_overview.json")),
                    json_response(400, load("drs_error_400_task_not_found.json"))])
    drs = client(rec)
    ov = await drs.object_compare_overview(JOB_A)
    assert str(rec.last.url) == url(f"/v3/{PID}/jobs/{JOB_A}/object/compare")
    assert ov.compare_job_id == "bfcdc4d9-f0ae-4108-be42-6974d60cd1d2"
    with pytest.raises(ApiError) as info:
        await drs.object_compare_overview("missing")
    assert info.value.is_not_found and info.value.status == 400


async def test_path_ids_are_encoded_without_safe_chars():
    rec = Recorder([json_response(200, load("drs_object_compare_overview.json"))])
    await client(rec).object_compare_overview("a/b c")
    assert rec.last.url.raw_path == f"/v3/{PID}/jobs/a%2Fb%20c/object/compare".encode()


async def test_export_compare_result_file_with_region_header():
    rec = Recorder([json_response(200, "")])
    await client(rec).export_compare_result_file(JOB_A, "contents", "cn-north-4", CMP, "GMT+08:00")
    assert rec.last.method == "POST"
    assert str(rec.last.url) == url(f"/v3/{PID}/jobs/{JOB_A}/compare/result/file")
    assert rec.last.headers["Region"] == "cn-north-4"
    assert rec.body() == load("drs_export_compare_result_file.request.json")


async def test_export_objects_needs_no_compare_job_and_uses_client_region():
    rec = Recorder([httpx.Response(200, content=b"")])
    await client(rec, region="eu-west-101").export_compare_result_file(JOB_A, "objects_comparison")
    assert rec.body() == load("drs_export_compare_result_file.request_objects.json")
    assert rec.last.headers["Region"] == "eu-west-101"


@pytest.mark.parametrize("kwargs", [
    {"compare_type": "lines"}, {"compare_type": "random"}, {"compare_type": "contents"},
    {"compare_type": "objects"},  # easy to confuse with objects_comparison
])
async def test_export_validation(kwargs):
    rec = Recorder()
    with pytest.raises(ValueError):
        await client(rec).export_compare_result_file(JOB_A, region="cn-north-4", **kwargs)
    assert rec.requests == []


async def test_export_requires_region():
    with pytest.raises(ValueError):
        await client(Recorder(), region=None).export_compare_result_file(JOB_A, "objects_comparison")


async def test_export_never_retried(policy, sleeps):
    rec = Recorder(default=json_response(502, {}))
    with pytest.raises(ApiError):
        await client(rec, policy).export_compare_result_file(JOB_A, "objects_comparison")
    assert len(rec.requests) == 1


async def test_download_compare_result_file(tmp_path):
    content = b"PK\x03\x04fake-xlsx" * 1000
    rec = Recorder([httpx.Response(200, content=content, headers={
        "Content-Type": "application/octet-stream"})])
    path = await client(rec).download_compare_result_file(JOB_A, "lines", CMP, tmp_path)
    assert rec.last.method == "GET"
    assert str(rec.last.url) == url(f"/v3/{PID}/jobs/{JOB_A}/compare/result/file"
                                    f"?compare_job_id={CMP}&compare_type=lines")
    assert path == tmp_path / f"{JOB_A}-lines-{CMP}.xlsx"
    assert path.read_bytes() == content
    # A second download never overwrites the first.
    rec.responses.append(httpx.Response(200, content=b"second"))
    second = await client(rec).download_compare_result_file(JOB_A, "lines", CMP, tmp_path)
    assert second.name == f"{JOB_A}-lines-{CMP} (1).xlsx" and path.read_bytes() == content


async def test_download_uses_sanitised_content_disposition(tmp_path):
    rec = Recorder([httpx.Response(200, content=b"x", headers={
        "Content-Disposition": 'attachment; filename="../../etc/report.xlsx"'})])
    path = await client(rec).download_compare_result_file(JOB_A, "objects_comparison", None, tmp_path)
    assert path == tmp_path / "report.xlsx"


async def test_download_error_answer_leaves_no_file(tmp_path):
    rec = Recorder([json_response(400, load("drs_error_400_task_not_found.json")),
                    json_response(200, {"error_code": "DRS.10000001", "error_msg": "Failed."})])
    drs = client(rec)
    with pytest.raises(ApiError):
        await drs.download_compare_result_file(JOB_A, "lines", CMP, tmp_path)
    with pytest.raises(ApiError) as info:
        await drs.download_compare_result_file(JOB_A, "lines", CMP, tmp_path)
    assert info.value.error_code == "DRS.10000001"
    assert list(tmp_path.iterdir()) == []


async def test_download_interrupted_leaves_no_file(tmp_path):
    class Broken(httpx.AsyncByteStream):
        async def __aiter__(self):
            yield b"partial"
            raise httpx.ReadError("connection reset")

    rec = Recorder([httpx.Response(200, stream=Broken())])
    with pytest.raises(ApiError) as info:
        await client(rec).download_compare_result_file(JOB_A, "lines", CMP, tmp_path)
    assert info.value.kind == "connect"
    assert list(tmp_path.iterdir()) == []


async def test_object_compare_detail():
    rec = Recorder([json_response(200, load("drs_object_compare_detail_TABLE.json"))])
    detail = await client(rec).object_compare_detail(JOB_A, "TABLE", "bfcdc4d9", limit=500)
    assert str(rec.last.url) == url(f"/v3/{PID}/jobs/{JOB_A}/object/compare/TABLE"
                                    "?compare_job_id=bfcdc4d9&limit=500&offset=0")
    assert detail.rows[0].target_db_value == ""


@pytest.mark.parametrize("limit", [0, 1001])
async def test_limits_validated(limit):
    with pytest.raises(ValueError):
        await client(Recorder()).object_compare_detail(JOB_A, "TABLE", limit=limit)


async def test_line_overview_and_detail():
    rec = Recorder([json_response(200, load("drs_line_overview.json")),
                    json_response(200, load("drs_line_detail.json"))])
    drs = client(rec)
    ov = await drs.line_compare_overview(JOB_A, CMP, status=0)
    assert str(rec.last.url) == url(f"/v3/{PID}/jobs/{JOB_A}/compare/{CMP}/line-overview"
                                    "?limit=1000&offset=0&status=0")
    assert ov.total_count == 2
    detail = await drs.line_compare_detail(JOB_A, CMP, type="unCompare", db_name="sales db",
                                           query_tb_name="ordér+items*/v~1", limit=50, status=0)
    assert str(rec.last.url) == VECTORS["vectors"][3]["output"]["url"]
    assert detail.rows[0].difference_row_num == 2


async def test_content_overview_and_detail():
    rec = Recorder([json_response(200, load("drs_content_overview.json")),
                    json_response(200, load("drs_content_detail.json"))])
    drs = client(rec)
    ov = await drs.content_compare_overview(JOB_A, CMP)
    assert str(rec.last.url) == url(f"/v3/{PID}/jobs/{JOB_A}/compare/{CMP}/content-overview"
                                    "?limit=1000&offset=0")
    assert ov.rows[0].compare_num == 12
    detail = await drs.content_compare_detail(JOB_A, CMP, db_name="orders", type="compare")
    assert str(rec.last.url) == url(f"/v3/{PID}/jobs/{JOB_A}/compare/{CMP}/content-detail"
                                    "?db_name=orders&limit=1000&offset=0&type=compare")
    assert detail.rows[0].line_compare_result is False


async def test_table_compare_jobs():
    rec = Recorder([json_response(200, load("drs_table_compare_jobs.json"))])
    jobs = await client(rec).table_compare_jobs(JOB_A)
    assert str(rec.last.url) == url(f"/v3/{PID}/jobs/{JOB_A}/table/compare?limit=1000&offset=0")
    assert jobs.count == 2


async def test_health_compare_jobs():
    rec = Recorder([json_response(200, load("drs_health_compare_jobs.json"))])
    drs = client(rec)
    jobs = await drs.health_compare_jobs(JOB_A, status="SUCCESSFUL", limit=10)
    assert str(rec.last.url) == url(f"/v5/{PID}/jobs/{JOB_A}/health-compare-jobs"
                                    "?limit=10&offset=0&status=SUCCESSFUL")
    assert jobs.count == 2


async def test_cancel_compare():
    rec = Recorder([json_response(200, {})])
    await client(rec).cancel_compare(JOB_A, CMP)
    assert rec.last.method == "DELETE"
    assert str(rec.last.url) == url(f"/v3/{PID}/jobs/{JOB_A}/compare/{CMP}")


async def test_compare_progress():
    rec = Recorder([json_response(200, load("drs_compare_progress.json"))])
    progress = await client(rec).compare_progress(JOB_A, CMP)
    assert str(rec.last.url) == url(f"/v5/{PID}/jobs/{JOB_A}/compare-progress/{CMP}")
    assert progress.full_progress == 57.5


async def test_project_id_from_async_provider():
    async def provider():
        return "abc"

    rec = Recorder([json_response(200, load("drs_table_compare_jobs.json"))])
    drs = DrsClient(make_session(rec), provider, "cn-north-4")
    await drs.table_compare_jobs(JOB_A)
    assert rec.last.url.path.startswith("/v3/abc/")
