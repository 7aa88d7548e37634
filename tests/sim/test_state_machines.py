"""Time passes on the clock: comparisons progress, exports count down and expire."""

import pytest

from drstui.sim import SimCore
from drstui.sim.world import TERMINAL
from drstui.sim.xlsx import read_xlsx_cells

from .helpers import JOB_A, LINES_A, OBJECT_A, Caller, drs, drs5, v5_jobs

ONLY_LINES = {"conflict_policy": "cancel", "compare_type": "lines",
              "compare_object_infos": [{"db_name": "orders"}]}


@pytest.fixture
def reliable(clock) -> SimCore:
    """A world where every comparison succeeds, so progressions are exact."""
    return SimCore.create(seed=7, clock=clock, failure_rate=0.0)


def test_object_comparison_progresses_type_by_type(reliable: SimCore, clock):
    call = Caller(reliable)
    created = call.post(drs("/create-compare-task"), {"job_id": JOB_A, "object_level_compare_type": "objects"})
    compare_id = created.json()["object_level_compare_create_result"]["compare_task_id"]
    overview = call.get(drs(f"/{JOB_A}/object/compare")).json()
    assert overview["compare_job_id"] == compare_id
    assert overview["status"] == "WAITING_FOR_RUNNING" and overview["start_time"] == ""
    assert {r["status"] for r in overview["compare_result"]} == {3}
    seen_done = []
    statuses = []
    for _ in range(60):
        clock.advance(1)
        overview = call.get(drs(f"/{JOB_A}/object/compare")).json()
        statuses.append(overview["status"])
        seen_done.append(sum(r["status"] != 3 for r in overview["compare_result"]))
    assert statuses[-1] == "SUCCESSFUL" and "RUNNING" in statuses
    assert seen_done == sorted(seen_done)  # types only ever finish, one after another
    assert len(set(seen_done)) > 3
    results = {r["status"] for r in overview["compare_result"]}
    assert results <= {0, 2} and 0 in results  # job A's audit DB is missing in the target
    for entry in overview["compare_result"]:
        assert (entry["status"] == 2) == (entry["source_count"] == entry["target_count"])


def test_data_comparison_tables_fill_in(reliable: SimCore, clock):
    call = Caller(reliable)
    answer = call.post(drs("/create-compare-task"), {"job_id": JOB_A, "data_level_compare_info": ONLY_LINES})
    compare_id = answer.json()["data_level_compare_create_result"]["compare_task_id"]
    detail_path = drs(f"/{JOB_A}/compare/{compare_id}/line-detail")
    assert {r["status"] for r in call.get(detail_path).json()["table_line_compare_result_infos"]} == {6}
    clock.advance(6 + 30)  # queued at most 6 s, runs at least 30 s
    mid = call.get(detail_path).json()["table_line_compare_result_infos"]
    assert 5 in {r["status"] for r in mid}
    progress = call.get(drs5(f"/{JOB_A}/compare-progress/{compare_id}")).json()
    assert 0 < progress["full_info"]["progress"] < 100
    clock.advance(60)
    done = call.get(detail_path).json()["table_line_compare_result_infos"]
    assert {r["status"] for r in done} <= {0, 2}
    jobs = call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"]
    assert next(j for j in jobs if j["id"] == compare_id)["status"] == "SUCCESSFUL"
    assert call.get(drs5(f"/{JOB_A}/compare-progress/{compare_id}")).json()["full_info"]["progress"] == 100.0


def test_some_comparisons_fail_deterministically(clock):
    def outcomes(seed: int) -> list[str]:
        core = SimCore.create(seed=seed, clock=clock, failure_rate=0.5)
        job = core.world.project.jobs[JOB_A]
        return [core.world.add_comparison(job, "object", clock.now()).timeline.outcome for _ in range(20)]

    first = outcomes(3)
    assert first == outcomes(3)
    assert {"FAILED", "TIMEOUT_INTERRUPT", "SUCCESSFUL"} <= set(first)


def test_failed_comparison_leaves_types_unfinished(clock):
    core = SimCore.create(seed=7, clock=clock, failure_rate=1.0)
    call = Caller(core)
    call.post(drs("/create-compare-task"), {"job_id": JOB_A, "object_level_compare_type": "objects"})
    clock.advance(3600)
    overview = call.get(drs(f"/{JOB_A}/object/compare")).json()
    assert overview["status"] in ("FAILED", "TIMEOUT_INTERRUPT")
    assert overview["error_msg"]
    assert 3 in {r["status"] for r in overview["compare_result"]}


def test_cancel_comparison(reliable: SimCore, clock):
    call = Caller(reliable)
    answer = call.post(drs("/create-compare-task"), {"job_id": JOB_A, "data_level_compare_info": ONLY_LINES})
    compare_id = answer.json()["data_level_compare_create_result"]["compare_task_id"]
    clock.advance(10)
    assert call("DELETE", drs(f"/{JOB_A}/compare/{compare_id}")).json() == {}
    clock.advance(600)
    jobs = call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"]
    assert next(j for j in jobs if j["id"] == compare_id)["status"] == "CANCELLED"
    again = call("DELETE", drs(f"/{JOB_A}/compare/{compare_id}"))
    assert again.status == 400 and again.json()["error_code"] == "DRS.10000001"
    assert call("DELETE", drs(f"/{JOB_A}/compare/nope")).json()["error_code"] == "DRS.10000010"


def test_history_is_there_at_once(call: Caller):
    overview = call.get(drs(f"/{JOB_A}/object/compare")).json()
    assert overview["compare_job_id"] == OBJECT_A and overview["status"] == "SUCCESSFUL"
    assert 0 in {r["status"] for r in overview["compare_result"]}
    lines = call.get(drs(f"/{JOB_A}/compare/{LINES_A}/line-overview")).json()
    assert any(r["data_inconsistent_num"] for r in lines["data_compare_overview_infos"])
    listed = v5_jobs(call)
    assert {j["status"] for j in listed} >= {"INCRE_TRANSFER_STARTED", "INCRE_TRANSFER_FAILED", "FULL_TRANSFER_STARTED"}
    assert len({j["engine_type"] for j in listed}) >= 3
    running = [c for job in call.core.world.project.jobs.values() for c in job.comparisons
               if c.status(call.core.clock.now()) not in TERMINAL]
    assert running, "one job has a comparison in progress for the demo"


def test_export_counts_down_then_expires(clock, reliable: SimCore):
    call = Caller(reliable)
    path = drs(f"/{JOB_A}/compare/result/file")
    assert call.post(path, {"compare_type": "objects_comparison"}, headers={"Region": "cn-north-4"}).status == 200
    overview = call.get(drs(f"/{JOB_A}/object/compare")).json()
    assert (overview["export_status"], overview["report_remain_seconds"]) == ("EXPORTING", -1)
    download = call.get(path, {"compare_type": "objects_comparison"})
    assert download.status == 400 and "not ready" in download.json()["error_msg"]
    clock.advance(5)
    overview = call.get(drs(f"/{JOB_A}/object/compare")).json()
    assert (overview["export_status"], overview["report_remain_seconds"]) == ("EXPORT_COMPLETE", 300)
    clock.advance(100)
    assert call.get(drs(f"/{JOB_A}/object/compare")).json()["report_remain_seconds"] == 200
    download = call.get(path, {"compare_type": "objects_comparison"})
    assert download.status == 200
    assert download.headers["Content-Type"] == "application/octet-stream"
    assert f'filename="{JOB_A}-objects_comparison-{OBJECT_A}.xlsx"' in download.headers["Content-Disposition"]
    cells = read_xlsx_cells(download.body)
    assert "drstui simulator comparison report" in cells["xl/worksheets/sheet1.xml"]
    assert "INCONSISTENT" in cells["xl/worksheets/sheet2.xml"]
    clock.advance(200)
    overview = call.get(drs(f"/{JOB_A}/object/compare")).json()
    assert (overview["export_status"], overview["report_remain_seconds"]) == ("EXPORT_COMPLETE", 0)
    expired = call.get(path, {"compare_type": "objects_comparison"})
    assert expired.status == 400 and "expired" in expired.json()["error_msg"]
    call.post(path, {"compare_type": "objects_comparison"}, headers={"Region": "cn-north-4"})
    clock.advance(5)
    assert call.get(path, {"compare_type": "objects_comparison"}).status == 200


def test_data_level_export_and_repeated_request(call: Caller, clock):
    path = drs(f"/{JOB_A}/compare/result/file")
    body = {"compare_type": "lines", "compare_job_id": LINES_A}
    for _ in range(2):  # a repeated press while generating changes nothing
        assert call.post(path, body, headers={"Region": "cn-north-4"}).status == 200
        clock.advance(2)
    row = next(j for j in call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"] if j["id"] == LINES_A)
    assert row["export_status"] == "EXPORTING"
    clock.advance(1)
    row = next(j for j in call.get(drs(f"/{JOB_A}/table/compare")).json()["compare_jobs"] if j["id"] == LINES_A)
    assert row["export_status"] == "EXPORT_COMPLETE" and row["report_remain_seconds"] == 300
    download = call.get(path, {"compare_type": "lines", "compare_job_id": LINES_A})
    assert download.status == 200 and download.body[:2] == b"PK"


def test_health_compare_runs_on_schedule(call: Caller, clock):
    from .helpers import fixture
    waiting = "118d1bdc-b3c8-48a0-af77-3400da6e9291"
    detail = drs5(f"/{JOB_A}/health-compare-jobs/{waiting}")
    assert call.get(detail).json()["status"] == "WAITING_FOR_RUNNING"
    clock.advance(125)
    assert call.get(detail).json()["status"] == "RUNNING"
    clock.advance(60)
    done = call.get(detail).json()
    assert done["status"] == "SUCCESSFUL" and done["end_time"] and done["job_name"] == "DRS-orders-sync"
    listed = call.get(drs5(f"/{JOB_A}/health-compare-jobs"), {"status": "SUCCESSFUL"}).json()
    assert listed["count"] == 2
    assert fixture("drs_health_compare_jobs.json")["compare_jobs"][0]["id"] in {j["id"] for j in listed["compare_jobs"]}
