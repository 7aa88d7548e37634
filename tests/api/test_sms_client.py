"""SmsClient against recorded JSON, and the batch export (chunks of 200, files, errors)."""

from __future__ import annotations

from datetime import datetime, timezone

import httpx
import pytest

from drstui.api.errors import ApiError
from drstui.api.models.sms import SmsExportItem
from drstui.api.sms import SmsClient

from .helpers import VECTORS, Recorder, json_response, load, make_session

SMS = "https://sms.cn-north-4.myhuaweicloud.com"
T0 = datetime(2025, 1, 15, 8, 30, tzinfo=timezone.utc)


def client(rec: Recorder, policy=None) -> SmsClient:
    return SmsClient(make_session(rec, policy, base=SMS), clock=lambda: T0)


def items(n: int) -> list[SmsExportItem]:
    return [SmsExportItem(f"task-{i:04d}", f"src-{i:04d}", f"ecs-{i}") for i in range(n)]


async def test_list_tasks():
    rec = Recorder([json_response(200, load("sms_list_tasks.json"))])
    tasks = await client(rec).list_tasks("MIGRATE_SUCCESS")
    assert rec.last.method == "GET"
    assert str(rec.last.url) == VECTORS["vectors"][6]["output"]["url"]
    assert rec.last.headers["Content-Type"] == "application/json"
    assert tasks.count == 2 and tasks.tasks[0].source_server.name == "ecs-web-01"


async def test_list_all_tasks_pages_until_count():
    page = load("sms_list_tasks.json")
    rec = Recorder([json_response(200, dict(page, tasks=page["tasks"][:1])),
                    json_response(200, dict(page, tasks=page["tasks"][1:]))])
    tasks = await client(rec).list_all_tasks(page_size=1)
    assert [t.id for t in tasks] == [t["id"] for t in page["tasks"]]
    assert [r.url.params["offset"] for r in rec.requests] == ["0", "1"]


async def test_list_sources_with_boolean_filter():
    rec = Recorder([json_response(200, load("sms_list_sources.json"))])
    sources = await client(rec).list_sources(is_consistency_result_exist=True)
    assert str(rec.last.url) == SMS + "/v3/sources?is_consistency_result_exist=true&limit=200&offset=0"
    assert sources.sources[0].current_task.id == "05a41be9-3ffe-4cc6-8d66-073590390001"


async def test_list_all_sources():
    rec = Recorder([json_response(200, load("sms_list_sources.json"))])
    sources = await client(rec).list_all_sources(True)
    assert len(sources) == 2 and len(rec.requests) == 1


async def test_consistency_result_both_shapes():
    rec = Recorder([json_response(200, load("sms_consistency_result.json")),
                    json_response(200, load("sms_consistency_result.sdk_strings.json")),
                    json_response(404, load("sms_error_404.json"))])
    sms = client(rec)
    first = await sms.consistency_result("05a41be9-3ffe-4cc6-8d66-073590390001")
    assert rec.last.url.path == "/v3/tasks/05a41be9-3ffe-4cc6-8d66-073590390001/consistency-result"
    assert len(first.latest.dirs) == 2
    second = await sms.consistency_result("05a41be9-3ffe-4cc6-8d66-073590390001")
    assert second.latest.dirs[0].num_different_files == 2
    with pytest.raises(ApiError) as info:
        await sms.consistency_result("nope")
    assert info.value.status == 404 and info.value.is_not_found


async def test_export_one_batch_binary(tmp_path):
    rec = Recorder([httpx.Response(200, content=b"PK\x03\x04zip",
                                   headers={"Content-Type": "application/zip"})])
    fixture = load("sms_export_consistency_results.request.json")
    export_items = [SmsExportItem(i["task_id"], i["source_id"], i["source_name"])
                    for i in fixture["task_info"]]
    results = await client(rec).export_consistency_results(export_items, tmp_path)
    assert rec.last.method == "POST"
    assert str(rec.last.url) == SMS + "/v3/tasks/consistency-results/export"
    assert rec.last.headers["Content-Type"] == "application/json;charset=utf-8"
    assert rec.body() == {"task_info": [{"task_id": i["task_id"], "source_id": i["source_id"],
                                         "source_name": i["source_name"]} for i in fixture["task_info"]]}
    assert len(results) == 1 and results[0].ok and results[0].items_count == 2
    assert results[0].path == tmp_path / "sms-consistency-20250115T083000Z-batch1.zip"
    assert results[0].path.read_bytes() == b"PK\x03\x04zip"


async def test_export_body_matches_signing_vector(tmp_path):
    rec = Recorder([httpx.Response(200, content=b"x")])
    await client(rec).export_consistency_results(
        [SmsExportItem("05a41be9-3ffe-4cc6-8d66-073590390001", "31806fb2-95bd-421f-ae35-b81b750d0001",
                       "ecs-web-01")], tmp_path)
    assert rec.last.content.decode() == VECTORS["vectors"][5]["input"]["body"]


async def test_export_splits_into_calls_of_200_and_continues_after_errors(tmp_path):
    rec = Recorder([httpx.Response(200, content=b"one", headers={
                        "Content-Disposition": 'attachment; filename="results.xlsx"'}),
                    json_response(400, load("sms_error_400.json")),
                    json_response(200, {})])
    results = await client(rec).export_consistency_results(items(450), tmp_path)
    assert [len(rec.body(i)["task_info"]) for i in range(3)] == [200, 200, 50]
    assert rec.body(1)["task_info"][0]["task_id"] == "task-0200"
    assert [r.ok for r in results] == [True, False, True]
    assert [r.batch_index for r in results] == [1, 2, 3]
    assert results[0].path.name == "results.xlsx"
    assert results[1].error.error_code == "SMS.1801" and results[1].path is None
    assert results[2].json_body == {} and results[2].path.suffix == ".json"
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "results.xlsx", "sms-consistency-20250115T083000Z-batch3.json"]


async def test_export_403_details_kept(tmp_path):
    rec = Recorder([json_response(403, load("sms_error_403.json"))])
    results = await client(rec).export_consistency_results(items(1), tmp_path)
    assert not results[0].ok and results[0].error.details[0]["error_code"] == "SMS.9004"
    assert "SMS.9004" in results[0].error_text


async def test_export_json_error_in_200(tmp_path):
    rec = Recorder([json_response(200, {"error_code": "SMS.1801", "error_msg": "bad"})])
    results = await client(rec).export_consistency_results(items(1), tmp_path)
    assert not results[0].ok and results[0].error.error_code == "SMS.1801"
    assert list(tmp_path.iterdir()) == []


async def test_export_never_retried(policy, sleeps, tmp_path):
    rec = Recorder(default=json_response(503, {}))
    results = await client(rec, policy).export_consistency_results(items(3), tmp_path)
    assert len(rec.requests) == 1 and sleeps.delays == [] and not results[0].ok


async def test_export_validation(tmp_path):
    with pytest.raises(ValueError):
        await client(Recorder()).export_consistency_results([], tmp_path)
    with pytest.raises(TypeError):
        await client(Recorder()).export_consistency_results([{"task_id": "x"}], tmp_path)
    with pytest.raises(ValueError):
        await client(Recorder()).export_consistency_results(items(2), tmp_path, batch_size=201)


async def test_task_and_source_export_items():
    rec = Recorder([json_response(200, load("sms_list_tasks.json")),
                    json_response(200, load("sms_list_sources.json"))])
    sms = client(rec)
    from_tasks = [t.export_item() for t in (await sms.list_tasks()).tasks]
    from_sources = [s.export_item() for s in (await sms.list_sources()).sources]
    assert from_tasks == from_sources
