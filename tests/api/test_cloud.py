"""CloudClient end to end over a MockTransport: the signed requests the clients produce are
byte-identical to the SDK's vectors, and the project id is found from token or IAM."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest

from drstui.api import AkSkAuth, CloudClient, Endpoints, TokenAuth, UnknownRegionError
from drstui.api.models.drs import CompareObjectInfo, CreateCompareTaskRequest, DataLevelCompareInfo
from drstui.api.models.sms import SmsExportItem

from .helpers import JOB_A, PID, VECTORS, Recorder, json_response, load

FIXED = datetime(2025, 1, 15, 8, 30, tzinfo=timezone.utc)
CREDS = VECTORS["credentials"]
CMP = "9406224c-8063-436a-8fe2-796d87f054dc"


def signed_cloud(rec: Recorder, *, language: str | None = "en-us", project_id: str | None = PID):
    auth = AkSkAuth(CREDS["ak"], CREDS["sk"], clock=lambda: FIXED)
    return CloudClient("cn-north-4", auth=auth, project_id=project_id, transport=rec.transport,
                       language=language)


def vector(name: str) -> dict:
    return next(v for v in VECTORS["vectors"] if v["name"] == name)


async def test_create_compare_task_signed_like_the_sdk():
    rec = Recorder([json_response(200, load("drs_create_compare_task.response.json"))])
    async with signed_cloud(rec) as cloud:
        await cloud.drs.create_compare_task(CreateCompareTaskRequest(
            JOB_A, object_level=True, data_level=DataLevelCompareInfo(
                "lines", "keep", (CompareObjectInfo("may_5", ("table_name_0", "table_name_1")),))))
    expected = vector("drs-create-compare-task-post-json")["output"]
    assert str(rec.last.url) == expected["url"]
    assert rec.last.headers["Authorization"] == expected["headers"]["Authorization"]
    assert rec.last.headers["X-Project-Id"] == PID


async def test_export_signed_like_the_sdk():
    rec = Recorder([json_response(200, "")])
    async with signed_cloud(rec) as cloud:
        await cloud.drs.export_compare_result_file(JOB_A, "contents", compare_job_id=CMP,
                                                   time_zone="GMT+08:00")
    expected = vector("drs-export-compare-result-file-region-header")["output"]
    assert rec.last.headers["Authorization"] == expected["headers"]["Authorization"]
    assert rec.last.headers["Region"] == "cn-north-4"


async def test_line_detail_signed_like_the_sdk():
    rec = Recorder([json_response(200, load("drs_line_detail.json"))])
    async with signed_cloud(rec, language=None) as cloud:
        await cloud.drs.line_compare_detail(JOB_A, CMP, type="unCompare", db_name="sales db",
                                            query_tb_name="ordér+items*/v~1", limit=50, status=0)
    expected = vector("drs-line-detail-special-query")["output"]
    assert str(rec.last.url) == expected["url"]
    assert rec.last.headers["Authorization"] == expected["headers"]["Authorization"]


async def test_sms_export_signed_like_the_sdk(tmp_path):
    rec = Recorder([httpx.Response(200, content=b"file")])
    async with signed_cloud(rec) as cloud:
        await cloud.sms.export_consistency_results([SmsExportItem(
            "05a41be9-3ffe-4cc6-8d66-073590390001", "31806fb2-95bd-421f-ae35-b81b750d0001",
            "ecs-web-01")], tmp_path)
    expected = vector("sms-export-consistency-results")["output"]
    assert rec.last.headers["Authorization"] == expected["headers"]["Authorization"]


async def test_sms_list_without_project_signed_like_the_sdk():
    rec = Recorder([json_response(200, load("sms_list_tasks.json"))])
    auth = AkSkAuth(CREDS["ak"], CREDS["sk"], clock=lambda: FIXED)
    cloud = CloudClient("cn-north-4", auth=auth, transport=rec.transport)  # language en-us
    await cloud.sms.list_tasks("MIGRATE_SUCCESS")
    expected = vector("sms-list-tasks-no-project-header")["output"]
    assert rec.last.headers["Authorization"] == expected["headers"]["Authorization"]
    assert "X-Project-Id" not in rec.last.headers
    await cloud.aclose()


async def test_aksk_without_project_id_looks_it_up_in_iam():
    rec = Recorder([json_response(200, {"projects": [{"id": PID, "name": "cn-north-4"}]}),
                    json_response(200, load("drs_table_compare_jobs.json"))])
    async with signed_cloud(rec, project_id=None) as cloud:
        await cloud.drs.table_compare_jobs(JOB_A)
    iam_req, drs_req = rec.requests
    assert str(iam_req.url) == "https://iam.cn-north-4.myhuaweicloud.com/v3/projects?name=cn-north-4"
    assert "Authorization" in iam_req.headers
    assert drs_req.url.path == f"/v3/{PID}/jobs/{JOB_A}/table/compare"
    assert drs_req.headers["X-Project-Id"] == PID


async def test_token_auth_project_from_token_and_one_host_for_all():
    seen = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append((request.method, request.url.host, request.url.path))
        if request.url.path == "/v3/auth/tokens":
            return httpx.Response(201, json=load("iam_token.response.json"),
                                  headers={"X-Subject-Token": "tok"})
        assert request.headers["X-Auth-Token"] == "tok"
        assert "Authorization" not in request.headers
        if request.url.path.startswith("/v3/tasks"):
            return json_response(200, load("sms_list_tasks.json"))
        return json_response(200, load("drs_object_compare_overview.json"))

    auth = TokenAuth(None, "drstui-operator", "pw", "example-account",
                     clock=lambda: FIXED)
    cloud = CloudClient("cn-north-4", auth=auth, transport=httpx.MockTransport(handler),
                        endpoints=Endpoints.for_region("cn-north-4", endpoint="http://127.0.0.1:8080"))
    await cloud.drs.object_compare_overview(JOB_A)
    await cloud.sms.list_tasks()
    assert seen == [("POST", "127.0.0.1", "/v3/auth/tokens"),
                    ("GET", "127.0.0.1", f"/v3/{PID}/jobs/{JOB_A}/object/compare"),
                    ("GET", "127.0.0.1", "/v3/tasks")]
    assert auth._body()["auth"]["scope"] == {"project": {"name": "cn-north-4"}}
    # DRS and SMS share one httpx client on the single simulator host.
    assert cloud.drs.http._client is cloud.sms.http._client
    await cloud.aclose()
    assert cloud.drs.http._client.is_closed


async def test_request_hook_sees_no_secrets():
    records = []
    rec = Recorder([json_response(200, load("drs_table_compare_jobs.json"))])
    auth = AkSkAuth(CREDS["ak"], CREDS["sk"], clock=lambda: FIXED)
    cloud = CloudClient("cn-north-4", auth=auth, project_id=PID, transport=rec.transport,
                        on_request=records.append)
    await cloud.drs.table_compare_jobs(JOB_A)
    assert len(records) == 1 and CREDS["sk"] not in repr(records[0])
    assert records[0].path == f"/v3/{PID}/jobs/{JOB_A}/table/compare"
    await cloud.aclose()


async def test_region_without_sms_has_clear_error():
    cloud = CloudClient("cn-east-3", auth=AkSkAuth("ak", "sk"), project_id=PID,
                        transport=Recorder().transport)
    assert not cloud.has_sms
    with pytest.raises(UnknownRegionError):
        cloud.sms
    await cloud.aclose()


async def test_x_language_only_where_the_api_defines_it(tmp_path):
    """Every DRS operation and the SMS export define X-Language; no other SMS call and no IAM
    call does, so none of those carries it."""
    rec = Recorder([json_response(200, {"projects": [{"id": PID, "name": "cn-north-4"}]}),
                    json_response(200, load("drs_table_compare_jobs.json")),
                    json_response(200, load("sms_list_tasks.json")),
                    json_response(200, load("sms_list_sources.json")),
                    httpx.Response(200, content=b"file")])
    async with signed_cloud(rec, project_id=None, language="en-us") as cloud:
        await cloud.drs.table_compare_jobs(JOB_A)
        await cloud.sms.list_tasks()
        await cloud.sms.list_sources()
        await cloud.sms.export_consistency_results([SmsExportItem("t-1", "s-1", "")], tmp_path)
    sent = {(r.url.host.split(".")[0], r.url.path.rsplit("/", 1)[-1]): r.headers.get("X-Language")
            for r in rec.requests}
    assert sent == {("iam", "projects"): None, ("drs", "compare"): "en-us", ("sms", "tasks"): None,
                    ("sms", "sources"): None, ("sms", "export"): "en-us"}
