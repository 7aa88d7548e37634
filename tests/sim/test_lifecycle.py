"""Comparison lifecycle in the simulator: pause/restart/cancel transitions and the compare policy
that schedules the next run, all on the manual clock."""

from datetime import datetime, timezone

import pytest

from drstui.sim import SimCore

from .helpers import JOB_A, Caller, drs, drs5, v5_jobs

LINES = {"conflict_policy": "cancel", "compare_type": "lines", "compare_object_infos": [{"db_name": "orders"}]}
OPEN_DAILY = {"action": "open", "period": "* * 1,2,3,4,5,6,7", "begin_time": "10:00:00",
              "end_time": "12:00:00", "compare_type": ["lines"]}


@pytest.fixture
def reliable(clock) -> SimCore:
    return SimCore.create(seed=7, clock=clock, failure_rate=0.0)


@pytest.fixture
def call(reliable) -> Caller:
    return Caller(reliable, auth="aksk")  # signed per request: days can pass without a token expiring


def _running_lines(call: Caller, clock) -> str:
    answer = call.post(drs("/create-compare-task"), {"job_id": JOB_A, "data_level_compare_info": LINES})
    compare_id = answer.json()["data_level_compare_create_result"]["compare_task_id"]
    clock.advance(10)  # past the queue (2-6 s)
    assert _status(call, compare_id) == "RUNNING"
    return compare_id


def _status(call: Caller, compare_id: str) -> str:
    jobs = call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"]
    return next(j["status"] for j in jobs if j["id"] == compare_id)


def _progress(call: Caller, compare_id: str) -> float:
    return call.get(drs5(f"/{JOB_A}/compare-progress/{compare_id}")).json()["full_info"]["progress"]


def _operate(call: Caller, verb: str, ids, job: str = JOB_A):
    return call.post(drs5(f"/{job}/compare/{verb}"), {"compare_job_ids": ids} if ids is not None else {})


def test_pause_freezes_progress_and_restart_resumes_it(call, clock):
    compare_id = _running_lines(call, clock)
    answer = _operate(call, "pause", [compare_id])
    assert answer.status == 202 and answer.json()["request_id"]
    frozen = _progress(call, compare_id)
    clock.advance(600)
    assert _progress(call, compare_id) == frozen and _status(call, compare_id) == "RUNNING"
    assert _operate(call, "pause", [compare_id]).status == 400  # already paused
    assert _operate(call, "restart", [compare_id]).status == 202
    clock.advance(1)
    assert _progress(call, compare_id) > frozen
    assert _operate(call, "restart", [compare_id]).status == 400  # not paused any more
    clock.advance(120)
    assert _status(call, compare_id) == "SUCCESSFUL" and _progress(call, compare_id) == 100.0
    assert _operate(call, "pause", [compare_id]).status == 400  # finished


def test_a_paused_comparison_can_be_cancelled(call, clock):
    compare_id = _running_lines(call, clock)
    _operate(call, "pause", [compare_id])
    assert call("DELETE", drs(f"/{JOB_A}/compare/{compare_id}")).status == 200
    assert _status(call, compare_id) == "CANCELLED"
    assert _operate(call, "restart", [compare_id]).status == 400
    assert call("DELETE", drs(f"/{JOB_A}/compare/{compare_id}")).status == 400  # already over


def test_pause_refuses_what_the_api_refuses_and_changes_nothing(call, clock, reliable):
    compare_id = _running_lines(call, clock)
    missing = _operate(call, "pause", None)
    assert missing.status == 400 and "compare_job_ids" in missing.json()["error_msg"]
    assert _operate(call, "pause", []).status == 400
    unknown = _operate(call, "pause", [compare_id, "00000000-0000-4000-8000-000000000000"])
    assert unknown.status == 400 and unknown.json()["error_code"] == "DRS.10000010"
    assert not reliable.world.project.jobs[JOB_A].comparison(compare_id).timeline.is_paused(clock.now())
    object_id = "dc1683d9-bdf2-4be9-967f-6ef0953369bc"
    assert _operate(call, "pause", [object_id]).json()["error_code"] == "DRS.10000010"
    other = next(j for j in reliable.world.project.jobs.values() if j.engine.engine_type.startswith("oracle"))
    refused = _operate(call, "pause", [compare_id], job=other.id)
    assert refused.status == 400 and refused.json()["error_code"] == "DRS.M10018"


def test_policy_reads_closed_or_unsupported(call, reliable):
    policy = call.get(drs5(f"/{JOB_A}/compare-policy")).json()
    assert policy["status"] == "CLOSED" and policy["next_compare_time"] == ""
    other = next(j for j in reliable.world.project.jobs.values() if j.engine.engine_type != "mysql-to-mysql")
    assert call.get(drs5(f"/{other.id}/compare-policy")).json() == {"status": "NO_SUPPORT"}
    refused = call("PUT", drs5(f"/{other.id}/compare-policy"), body=OPEN_DAILY)
    assert refused.status == 400


@pytest.mark.parametrize("change", [
    {"action": None}, {"action": "enable"}, {"period": None}, {"period": "* * 8"}, {"begin_time": None},
    {"end_time": "4:00"}, {"compare_type": []}, {"compare_type": ["rows"]}, {"interval_hour": 0},
    {"compare_policy": "many"}, {"conflict_strategy": "skip"},
])
def test_policy_update_refusals(call, change):
    body = {k: v for k, v in {**OPEN_DAILY, **change}.items() if v is not None}
    answer = call("PUT", drs5(f"/{JOB_A}/compare-policy"), body=body)
    assert answer.status == 400 and answer.json()["error_code"] == "DRS.10000001"
    assert call.get(drs5(f"/{JOB_A}/compare-policy")).json()["status"] == "CLOSED"


def test_open_policy_schedules_and_runs_the_next_comparison(call, clock):
    assert call("PUT", drs5(f"/{JOB_A}/compare-policy"), body=OPEN_DAILY).status == 200
    policy = call.get(drs5(f"/{JOB_A}/compare-policy")).json()
    assert policy["status"] == "OPEN" and policy["compare_type"] == ["lines"]
    # The clock starts at 08:30 UTC: the next run is at 10:00 the same day.
    assert policy["next_compare_time"] == "2025-01-15T10:00:00Z"
    before = len(call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"])
    clock.advance(90 * 60 - 1)
    assert len(call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"]) == before
    clock.advance(2)
    jobs = call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"]
    assert len(jobs) == before + 1 and jobs[-1]["type"] == "lines"
    assert jobs[-1]["status"] == "WAITING_FOR_RUNNING"
    assert call.get(drs5(f"/{JOB_A}/compare-policy")).json()["next_compare_time"] == "2025-01-16T10:00:00Z"
    clock.advance(3 * 86400)  # days pass unobserved: only the latest slot runs, no backlog
    assert len(call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"]) == before + 2
    call("PUT", drs5(f"/{JOB_A}/compare-policy"), body={"action": "close"})
    clock.advance(2 * 86400)
    assert len(call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"]) == before + 2
    assert call.get(drs5(f"/{JOB_A}/compare-policy")).json()["status"] == "CLOSED"


def test_hourly_policy_and_conflict_strategy(call, clock):
    body = {**OPEN_DAILY, "interval_hour": 1, "compare_type": ["lines"]}
    call("PUT", drs5(f"/{JOB_A}/compare-policy"), body=body)
    clock.advance(90 * 60)  # 10:00: the first slot runs
    first = call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"][-1]
    assert call.get(drs5(f"/{JOB_A}/compare-policy")).json()["next_compare_time"] == "2025-01-15T11:00:00Z"
    clock.advance(10)
    assert _operate(call, "pause", [first["id"]]).status == 202
    clock.advance(3600)  # 11:00 comes while the paused run is unfinished: ignored by default
    jobs = call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"]
    assert jobs[-1]["id"] == first["id"]
    call("PUT", drs5(f"/{JOB_A}/compare-policy"), body={**body, "conflict_strategy": "cover"})
    clock.advance(3600)  # 12:00 is the window's end: no slot; the next day's 10:00 covers it
    assert call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"][-1]["id"] == first["id"]
    when = datetime(2025, 1, 16, 10, 0, tzinfo=timezone.utc).timestamp()
    clock.set(when)
    jobs = call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"]
    assert jobs[-1]["id"] != first["id"] and _status(call, first["id"]) == "CANCELLED"


@pytest.fixture
def families(clock) -> SimCore:
    return SimCore.create(seed=7, clock=clock, failure_rate=0.0, multi_task_jobs=1)


def test_children_are_listed_inside_their_parent(families):
    call = Caller(families)
    listed = {"jobs": v5_jobs(call)}
    assert len(listed["jobs"]) == 13  # the 12 jobs plus one parent; its children are inside it
    parent = next(j for j in listed["jobs"] if j["job_mode_role"] == "parent")
    children = parent["children"]
    assert [c["job_mode_role"] for c in children] == ["child", "child"]
    assert {c["status"] for c in children} == {"INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED"}
    assert not {c["id"] for c in children} & {j["id"] for j in listed["jobs"]}
    v3 = call.post(drs(""), {"cur_page": 1, "per_page": 100}).json()
    v3_parent = next(j for j in v3["jobs"] if j["id"] == parent["id"])
    assert [c["error_msg"] for c in v3_parent["children"]] == ["", "Failed."]
    status = call.post(drs("/batch-status"), {"jobs": [c["id"] for c in children],
                                              "page_req": {"cur_page": 1, "per_page": 0}}).json()
    assert [r["status"] for r in status["results"]] == [c["status"] for c in children]


def test_a_parent_cannot_create_a_comparison_but_its_child_can(families):
    call = Caller(families)
    parent = next(j for j in families.world.project.jobs.values() if j.mode_role == "parent")
    refused = call.post(drs("/create-compare-task"), {"job_id": parent.id, "object_level_compare_type": "objects"})
    assert refused.status == 400 and "child" in refused.json()["error_msg"]
    child = parent.children[0]
    lines = {**LINES, "compare_object_infos": [{"db_name": child.databases[0]}]}
    created = call.post(drs("/create-compare-task"), {"job_id": child.id, "data_level_compare_info": lines})
    assert created.status == 200 and created.json()["data_level_compare_create_result"]["compare_task_id"]


def test_paused_comparison_reports_no_throughput(families, clock):
    call = Caller(families)
    child = next(j for j in families.world.project.jobs.values() if j.mode_role == "child" and j.comparisons)
    running = child.comparisons[-1]
    progress = call.get(drs5(f"/{child.id}/compare-progress/{running.id}")).json()
    assert progress["incre_info"]["rps"] > 0 and progress["full_info"]["recheck_entities"] > 0
    call.post(drs5(f"/{child.id}/compare/pause"), {"compare_job_ids": [running.id]})
    paused = call.get(drs5(f"/{child.id}/compare-progress/{running.id}")).json()
    assert paused["incre_info"]["rps"] == 0 and paused["full_info"]["src_speed"] == "0 rows/s"


def test_differences_name_the_side_each_row_is_on(call, clock, reliable):
    job = reliable.world.project.jobs[JOB_A]
    contents = job.latest("contents")
    answer = call.get(drs(f"/{JOB_A}/compare/{contents.id}/content-difference"), {"limit": 1000}).json()
    rows = answer["contents_infos"]
    assert answer["count"] == len(rows) > 0
    only_source = sum(1 for r in rows if r["source_key_value"] and not r["target_key_value"])
    only_target = sum(1 for r in rows if r["target_key_value"] and not r["source_key_value"])
    assert (answer["target_meta_is_null"], answer["source_meta_is_null"]) == (only_source, only_target)
    assert answer["source_target_meta_not_null"] == len(rows) - only_source - only_target
    assert all(r["select_sql"].startswith("SELECT * FROM `") for r in rows)
    paged = call.get(drs(f"/{JOB_A}/compare/{contents.id}/content-difference"), {"limit": 1, "offset": 1}).json()
    assert paged["count"] == answer["count"] and paged["contents_infos"] == rows[1:2]
    assert call.get(drs(f"/{JOB_A}/compare/{contents.id}/content-difference"), {"limit": 1001}).status == 400
