"""What the real service enforces, enforced by the simulator."""

import pytest

from drstui.sim import SimCore, SimRequest

from .helpers import (CONTENTS_A, JOB_A, JOB_B, JOB_C, LINES_A, SMS_SOURCE_1, SMS_TASK_1, Caller, drs, drs5, v5_jobs)

SYNC = {"job_type": "sync"}

LINES = {"conflict_policy": "keep", "compare_type": "lines", "compare_object_infos": [{"db_name": "orders"}]}
CONTENTS = {**LINES, "compare_type": "contents"}


def create(call: Caller, **body):
    return call.post(drs("/create-compare-task"), body)


def test_comparisons_only_while_incremental(call: Caller, core: SimCore):
    for job_id in (JOB_B, JOB_C):
        answer = create(call, job_id=job_id, object_level_compare_type="objects")
        assert answer.status == 400 and answer.json()["error_code"] == "DRS.10000001"
    paused = next(j for j in core.world.project.jobs.values() if j.status == "PAUSING")
    assert create(call, job_id=paused.id, object_level_compare_type="objects").status == 400
    assert create(call, job_id=JOB_A, object_level_compare_type="objects").status == 200


def test_keep_policy_refuses_a_second_data_comparison(call: Caller, core: SimCore):
    first = create(call, job_id=JOB_A, data_level_compare_info=LINES).json()["data_level_compare_create_result"]
    count = len(core.world.project.jobs[JOB_A].comparisons)
    second = create(call, job_id=JOB_A, data_level_compare_info=LINES)
    assert second.status == 200
    result = second.json()["data_level_compare_create_result"]
    assert "compare_task_id" not in result and result["error_code"] == "DRS.10000001"
    assert first["compare_task_id"] in result["error_msg"]
    assert len(core.world.project.jobs[JOB_A].comparisons) == count


def test_cancel_policy_replaces_the_unfinished_one(call: Caller, clock):
    first = create(call, job_id=JOB_A, data_level_compare_info=LINES).json()["data_level_compare_create_result"]
    clock.advance(1)
    second = create(call, job_id=JOB_A, data_level_compare_info={**LINES, "conflict_policy": "cancel"})
    new_id = second.json()["data_level_compare_create_result"]["compare_task_id"]
    jobs = {j["id"]: j["status"] for j in call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"]}
    assert jobs[first["compare_task_id"]] == "CANCELLED"
    assert jobs[new_id] == "WAITING_FOR_RUNNING"


def test_object_and_value_comparison_not_together(call: Caller, clock):
    both = create(call, job_id=JOB_A, object_level_compare_type="objects", data_level_compare_info=CONTENTS).json()
    assert "compare_task_id" in both["object_level_compare_create_result"]
    assert both["data_level_compare_create_result"]["error_code"] == "DRS.10000001"
    # While that object comparison runs, a value comparison alone is refused too ...
    alone = create(call, job_id=JOB_A, data_level_compare_info=CONTENTS).json()
    assert "error_code" in alone["data_level_compare_create_result"]
    # ... but rows are fine alongside objects.
    rows = create(call, job_id=JOB_A, data_level_compare_info=LINES).json()
    assert "compare_task_id" in rows["data_level_compare_create_result"]
    clock.advance(3600)
    later = create(call, job_id=JOB_A, data_level_compare_info=CONTENTS).json()
    assert "compare_task_id" in later["data_level_compare_create_result"]
    objects = create(call, job_id=JOB_A, object_level_compare_type="objects").json()
    assert "error_code" in objects["object_level_compare_create_result"]


@pytest.mark.parametrize("body", [
    {"job_id": JOB_A, "object_level_compare_type": "tables"},
    {"job_id": JOB_A, "data_level_compare_info": {**LINES, "conflict_policy": "maybe"}},
    {"job_id": JOB_A, "data_level_compare_info": {**LINES, "compare_type": "random"}},
    {"job_id": JOB_A, "data_level_compare_info": {"conflict_policy": "keep", "compare_type": "lines"}},
    {"job_id": JOB_A, "data_level_compare_info": {**LINES, "compare_object_infos": [{"table_name": ["x"]}]}},
    {"object_level_compare_type": "objects"},
])
def test_invalid_create_bodies(call: Caller, body):
    answer = create(call, **body)
    assert answer.status == 400 and answer.json()["error_code"] == "DRS.10000001"


def test_requested_tables_only(call: Caller, clock):
    info = {**LINES, "compare_object_infos": [{"db_name": "orders", "table_name": ["orders", "order_items"]}]}
    compare_id = create(call, job_id=JOB_A, data_level_compare_info=info).json()[
        "data_level_compare_create_result"]["compare_task_id"]
    assert call.get(drs(f"/{JOB_A}/compare/{compare_id}/line-detail")).json()["total_count"] == 2


@pytest.mark.parametrize("method,path", [
    ("POST", drs("/create-compare-task")), ("POST", drs("/batch-status")), ("POST", drs("/query-compare-result")),
    ("POST", drs("")), ("POST", drs(f"/{JOB_A}/compare/result/file")),
    ("POST", "/v3/tasks/consistency-results/export"), ("POST", "/v3/auth/tokens"),
])
@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b"", b"\xff\xfe"])
def test_malformed_bodies_are_400_with_a_code(call: Caller, method, path, body):
    answer = call(method, path, body=body, headers={"Region": "cn-north-4"}, auth="token")
    assert answer.status == 400
    assert answer.json()["error_code"].split(".")[0] in ("DRS", "SMS", "IAM")


def test_unknown_ids_are_drs_10000010(call: Caller):
    ghost = "00000000-0000-4000-8000-000000000000"
    for path in (drs(f"/{ghost}jb00/object/compare"), drs5(f"/{ghost}jb00"), drs(f"/{ghost}jb00/table/compare"),
                 drs(f"/{JOB_A}/compare/{ghost}/line-overview"), drs(f"/{JOB_A}/compare/{ghost}/content-detail"),
                 drs5(f"/{JOB_A}/health-compare-jobs/{ghost}"), drs5(f"/{JOB_A}/compare-progress/{ghost}")):
        answer = call.get(path)
        assert (answer.status, answer.json()["error_code"]) == (400, "DRS.10000010"), path
    assert create(call, job_id="nope", object_level_compare_type="objects").json()["error_code"] == "DRS.10000010"
    query = call.post(drs("/query-compare-result"), {"job_id": JOB_A, "line_compare_id": ghost,
                                                     "current_page": 1, "per_page": 10}).json()
    assert query["line_compare_results"]["error_code"] == "DRS.10000010"


def test_unknown_path_and_method(call: Caller):
    assert call.get("/v9/nothing").status == 404
    assert call.get("/v9/nothing").json()["error_code"] == "APIGW.0101"
    assert call("PUT", drs5("")).status == 404


def test_export_needs_region_and_compare_job_id(call: Caller):
    path = drs(f"/{JOB_A}/compare/result/file")
    no_region = call.post(path, {"compare_type": "objects_comparison"})
    assert no_region.status == 400 and "Region" in no_region.json()["error_msg"]
    for compare_type in ("contents", "lines", "random"):
        answer = call.post(path, {"compare_type": compare_type}, headers={"Region": "cn-north-4"})
        assert answer.status == 400 and "compare_job_id" in answer.json()["error_msg"]
        download = call.get(path, {"compare_type": compare_type})
        assert download.status == 400 and "compare_job_id" in download.json()["error_msg"]
    wrong_kind = call.post(path, {"compare_type": "lines", "compare_job_id": CONTENTS_A}, headers={"Region": "x"})
    assert wrong_kind.json()["error_code"] == "DRS.10000010"
    assert call.post(path, {"compare_type": "bogus"}, headers={"Region": "x"}).status == 400


def test_sms_export_limits(call: Caller, core: SimCore):
    path = "/v3/tasks/consistency-results/export"
    item = {"task_id": SMS_TASK_1, "source_id": SMS_SOURCE_1, "source_name": "ecs-web-01"}
    ok = call.post(path, {"task_info": [item]})
    assert ok.status == 200 and ok.headers["Content-Type"] == "application/octet-stream"
    assert 'filename="sms-consistency-results-' in ok.headers["Content-Disposition"]
    lines = ok.body.decode().splitlines()
    assert lines[0].startswith("task_id,source_id,source_name") and SMS_TASK_1 in lines[1]
    assert call.post(path, {"task_info": [item] * 200}).status == 200
    too_many = call.post(path, {"task_info": [item] * 201})
    assert too_many.status == 400 and too_many.json()["error_code"].startswith("SMS.")
    assert call.post(path, {"task_info": []}).status == 400
    assert call.post(path, {"task_info": [{"task_id": SMS_TASK_1}]}).status == 400
    unknown = call.post(path, {"task_info": [{**item, "task_id": "00000000-0000-4000-8000-000000000000"}]})
    assert unknown.status == 404 and unknown.json()["error_code"] == "SMS.0404"
    mismatch = call.post(path, {"task_info": [{**item, "source_id": "31806fb2-95bd-421f-ae35-b81b750d0002"}]})
    assert mismatch.status == 400
    assert call.post(path, {"task_info": [{**item, "source_name": "x" * 256}]}).status == 400
    assert call.post(path, {"task_info": [{**item, "source_name": None}]}).status == 400


def test_sms_export_items_may_be_empty(call: Caller):
    """task_id, source_id and source_name are mandatory but may be empty (0-255 characters)."""
    path = "/v3/tasks/consistency-results/export"
    item = {"task_id": SMS_TASK_1, "source_id": SMS_SOURCE_1, "source_name": "ecs-web-01"}
    for empty in ({**item, "source_name": ""}, {**item, "source_id": ""}, {**item, "task_id": ""}):
        answer = call.post(path, {"task_info": [empty]})
        assert answer.status == 200, (empty, answer.body)
        assert SMS_TASK_1 in answer.body.decode().splitlines()[1]


# ---------------------------------------------------------------------------------------------
# paging

def test_compare_detail_limit_and_offset(call: Caller):
    path = drs(f"/{JOB_A}/compare/{LINES_A}/line-detail")
    everything = call.get(path).json()
    assert everything["total_count"] == len(everything["table_line_compare_result_infos"]) == 12
    page = call.get(path, {"limit": 5, "offset": 10}).json()
    assert page["total_count"] == 12 and len(page["table_line_compare_result_infos"]) == 2
    assert page["table_line_compare_result_infos"][0] == everything["table_line_compare_result_infos"][10]
    for bad in ({"limit": 0}, {"limit": 1001}, {"offset": -1}, {"limit": "ten"}):
        answer = call.get(path, bad)
        assert answer.status == 400 and answer.json()["error_code"] == "DRS.10000001", bad
    assert call.get(path, {"limit": 1000}).status == 200
    uncompared = call.get(path, {"type": "unCompare"}).json()
    assert uncompared["total_count"] == 4 and {r["status"] for r in uncompared["table_line_compare_result_infos"]} == {22}
    assert call.get(path, {"type": "uncompare"}).status == 400
    assert call.get(path, {"status": 0}).json()["total_count"] >= 1


def test_batch_status_paging(call: Caller, core: SimCore):
    ids = list(core.world.project.jobs)[:12]
    path = drs("/batch-status")
    default = call.post(path, {"jobs": ids}).json()
    assert default["count"] == 5 and [r["id"] for r in default["results"]] == ids[:5]
    assert call.post(path, {"jobs": ids, "page_req": {"cur_page": 3, "per_page": 5}}).json()["count"] == 2
    assert call.post(path, {"jobs": ids, "page_req": {"cur_page": 1, "per_page": 0}}).json()["count"] == 12
    assert call.post(path, {"jobs": ids, "page_req": {"cur_page": 0, "per_page": 0}}).json()["count"] == 12
    for bad in ({"cur_page": 2, "per_page": 0}, {"cur_page": 4, "per_page": 5}, {"cur_page": 1, "per_page": 101},
                {"cur_page": 0, "per_page": 5}):
        assert call.post(path, {"jobs": ids, "page_req": bad}).status == 400, bad
    assert call.post(path, {"jobs": [JOB_A, JOB_A]}).status == 400
    assert call.post(path, {"jobs": [JOB_A, ""]}).status == 400
    assert call.post(path, {"jobs": []}).status == 400
    unknown = call.post(path, {"jobs": ["nope"]}).json()["results"][0]
    assert unknown["error_code"] == "DRS.10000010"


def test_v3_job_list_paging(call: Caller, core: SimCore):
    total = len(core.world.project.jobs)
    first = call.post(drs(""), {"cur_page": 1, "per_page": 5}).json()
    assert first["total_record"] == total and len(first["jobs"]) == 5
    assert "node_newFramework" in first["jobs"][0]
    assert len(call.post(drs(""), {}).json()["jobs"]) == min(10, total)
    assert len(call.post(drs(""), {"cur_page": 1, "per_page": 0}).json()["jobs"]) == total
    assert call.post(drs(""), {"cur_page": 2, "per_page": 0}).status == 400
    assert call.post(drs(""), {"per_page": 101}).status == 400
    pages = [j["id"] for p in (1, 2, 3) for j in call.post(drs(""), {"cur_page": p, "per_page": 5}).json()["jobs"]]
    assert len(pages) == len(set(pages)) == total


def test_v5_job_list_filters_and_paging(call: Caller, core: SimCore):
    sync = [j for j in core.world.project.jobs.values() if j.job_type == "sync" and j.parent_id is None]
    default = call.get(drs5(""), SYNC).json()
    assert default["total_count"] == len(sync) and len(default["jobs"]) == min(10, len(sync))
    assert {j["job_type"] for j in default["jobs"]} == {"sync"}
    incre = call.get(drs5(""), {**SYNC, "status": "INCRE_TRANSFER_STARTED", "limit": 100}).json()
    assert incre["jobs"] and {j["status"] for j in incre["jobs"]} == {"INCRE_TRANSFER_STARTED"}
    by_ids = v5_jobs(call, {"name": f"{JOB_A},{JOB_B}"})
    assert {j["id"] for j in by_ids} == {JOB_A, JOB_B}
    names = [j["name"] for j in call.get(drs5(""), {**SYNC, "sort_key": "name", "sort_dir": "asc",
                                                       "limit": 100}).json()["jobs"]]
    assert names == sorted(names)
    assert call.get(drs5(""), {**SYNC, "sort_key": "color"}).status == 400
    assert len(v5_jobs(call)) == len([j for j in core.world.project.jobs.values() if j.parent_id is None])


def test_v5_job_list_requires_job_type(call: Caller):
    """The service refuses the v5 list without its mandatory job_type (the SDK always sends it)."""
    for query in (None, {"limit": 10}, {"job_type": ""}, {"job_type": "everything"}):
        answer = call.get(drs5(""), query)
        assert answer.status == 400 and answer.json()["error_code"] == "DRS.10000001", query
    assert "job_type" in call.get(drs5("")).json()["error_msg"]


def test_health_list_paging(call: Caller):
    path = drs5(f"/{JOB_A}/health-compare-jobs")
    assert call.get(path, {"limit": 1}).json()["count"] == 2
    assert len(call.get(path, {"limit": 1, "offset": 1}).json()["compare_jobs"]) == 1
    assert call.get(path, {"limit": 0}).status == 400


def test_sms_paging_and_filters(call: Caller, clock):
    core = SimCore.create(seed=7, clock=clock, sms_tasks=450)
    big = Caller(core)
    tasks = big.get("/v3/tasks").json()
    assert tasks["count"] == 450 and len(tasks["tasks"]) == 100
    assert len(big.get("/v3/tasks", {"limit": 200, "offset": 400}).json()["tasks"]) == 50
    assert big.get("/v3/tasks", {"limit": 201}).status == 400
    assert big.get("/v3/tasks", {"offset": 65536}).status == 400
    sources = big.get("/v3/sources", {"limit": 0}).json()
    assert sources["count"] == 450 and len(sources["source_servers"]) == 200
    with_result = big.get("/v3/sources", {"is_consistency_result_exist": True, "limit": 200}).json()
    assert with_result["source_servers"] and all(s["is_consistency_result_exist"] for s in with_result["source_servers"])
    assert big.get("/v3/sources", {"is_consistency_result_exist": "maybe"}).status == 400
    assert big.get("/v3/tasks", {"state": "MIGRATE_SUCCESS"}).json()["count"] >= 1


def test_query_compare_result_needs_paging(call: Caller):
    path = drs("/query-compare-result")
    assert call.post(path, {"job_id": JOB_A}).status == 400
    assert call.post(path, {"job_id": JOB_A, "current_page": 1}).status == 400
    answer = call.post(path, {"job_id": JOB_A, "current_page": 1, "per_page": 1, "line_compare_id": LINES_A}).json()
    assert answer["compare_task_list_results"]["compare_task_list_count"] == 3
    assert len(answer["compare_task_list_results"]["compare_task_list"]) == 1
    assert answer["line_compare_results"]["line_compare_overview_count"] == 2


def test_request_ids_and_log(core: SimCore, call: Caller):
    call.get(drs5(""), SYNC)
    call.get(drs5(""), SYNC)
    call.get("/v3/tasks")
    assert core.count("drs.list_jobs") == 2
    assert core.count("sms.list_tasks") == 1
    assert core.count(path_glob="/v5/*") == 2
    assert core.log[-1].status == 200 and core.log[-1].endpoint == "sms.list_tasks"
    assert core.received[-1].request.header("x-auth-token")
    ids = [e for e in core.log]
    assert len(ids) == 4  # includes the login
    answer = core.handle(SimRequest("GET", drs5("")))
    assert len(answer.headers["X-Request-Id"]) == 32
