"""Simulated replication endpoints: shapes, refusals, scenarios over an advanced clock, faults."""

from __future__ import annotations

import pytest

from drstui.sim import ManualClock, SimCore

from .helpers import JOB_A, JOB_C, Caller, drs, drs5

RECOVERS = "0fd630f1-f29d-4da9-953f-48f1a09jb3e2"
LINK_DOWN = "0f4205b4-907a-40c3-9012-f037b64cjbvy"
FROZEN = "9be4bcfc-49b6-4a08-b2e6-cc3ababcjb7w"
DR = "1df9fd78-9c65-4938-ab05-37e65afjb3di"
DDL = "e25a7605-aec6-4024-9bd8-6d40fc8jbe95"


@pytest.fixture
def sim():
    clock = ManualClock()
    core = SimCore.create(seed=7, clock=clock)
    call = Caller(core)
    return core, clock, call


def _progress(call, *ids):
    answer = call.post(drs("/batch-progress"), {"jobs": list(ids)})
    assert answer.status == 200, answer.body
    return {r["job_id"]: r for r in answer.json()["results"]}


def _monitor(call, job_id):
    answer = call.get(drs5(f"/{job_id}/monitor-data"))
    assert answer.status == 200, answer.body
    return answer.json()


def test_scenarios_are_assigned_to_the_expected_jobs(sim):
    core, _, _ = sim
    kinds = {job_id: s.kind for job_id, s in core.world.replication.items()}
    assert kinds[JOB_A] == "spiky" and kinds[RECOVERS] == "recovers" and kinds[LINK_DOWN] == "link_down"
    assert kinds[FROZEN] == "frozen" and kinds[DR] == "dr" and kinds[DDL] == "ddl"
    assert core.world.project.jobs[DR].job_type == "cloudDataGuard"


def test_batch_progress_shapes_strings_and_not_incremental_yet(sim):
    _, _, call = sim
    results = _progress(call, JOB_A, JOB_C, "no-such-job")
    a, c, missing = results[JOB_A], results[JOB_C], results["no-such-job"]
    assert a["transfer_status"] == "INCRE_TRANSFER_STARTED" and a["progress"] == "100"
    assert isinstance(a["incre_trans_delay_millis"], str) and int(a["incre_trans_delay_millis"]) < 5000
    assert isinstance(a["apply_rows_rate"], int) and a["apply_rows_rate"] > 0
    assert c["apply_rows_rate"] == -1 and c["incre_trans_delay"] == "-" and int(c["remaining_time"]) > 0
    assert set(a["progress_map"]) == {"structure", "data", "index"}
    assert missing["error_code"] == "DRS.10000010"


@pytest.mark.parametrize("body", [{}, {"jobs": []}, {"jobs": "x"}, {"jobs": [JOB_A, JOB_A]},
                                  {"jobs": [f"j{i}" for i in range(101)]}])
def test_batch_calls_refuse_bad_bodies(sim, body):
    _, _, call = sim
    for path in ("/batch-progress", "/batch-rpo-and-rto"):
        answer = call.post(drs(path), body)
        assert answer.status == 400 and answer.json()["error_code"] == "DRS.10000001"


def test_recovering_target_catches_up(sim):
    _, clock, call = sim
    first = _monitor(call, RECOVERS)
    assert first["dst_delay"] >= 40 and first["is_dst_normal"] is True
    clock.advance(120)
    later = _monitor(call, RECOVERS)
    assert later["dst_delay"] <= 1 and later["update_time"] != first["update_time"]
    assert int(_progress(call, RECOVERS)[RECOVERS]["incre_trans_delay_millis"]) < 2000


def test_link_goes_down_for_a_while_and_lag_grows(sim):
    _, clock, call = sim
    assert _monitor(call, LINK_DOWN)["is_dst_normal"] is True
    clock.advance(150)
    down = _monitor(call, LINK_DOWN)
    assert down["is_dst_normal"] is False and down["is_src_normal"] is True and down["dst_delay"] >= 50
    clock.advance(120)
    assert _monitor(call, LINK_DOWN)["is_dst_normal"] is True


def test_frozen_update_time_stops_moving(sim):
    _, clock, call = sim
    clock.advance(70)
    before = _monitor(call, FROZEN)
    clock.advance(600)
    after = _monitor(call, FROZEN)
    assert after["update_time"] == before["update_time"]
    assert after["dst_delay"] == before["dst_delay"]
    assert _progress(call, FROZEN)[FROZEN]["process_time"] == _progress(call, FROZEN)[FROZEN]["process_time"]
    # a healthy job's figures move on
    assert _monitor(call, JOB_A)["update_time"] > before["update_time"]


def test_spiky_job_lag_spikes_above_five_seconds_then_settles(sim):
    _, clock, call = sim
    seen = []
    for _ in range(60):
        seen.append(_monitor(call, JOB_A)["dst_delay"])
        clock.advance(10)
    assert max(seen) >= 8 and seen.count(0) + seen.count(1) > 40


def test_rpo_rto_for_dr_job_only(sim):
    _, _, call = sim
    answer = call.post(drs("/batch-rpo-and-rto"), {"jobs": [DR, JOB_A, "nope"]})
    assert answer.status == 200
    dr, other, missing = answer.json()["results"]
    assert dr["job_id"] == DR and int(dr["rpo_info"]["delay"]) >= 0 and int(dr["rto_info"]["delay"]) >= 5
    assert len(dr["rpo_info"]["time"]) == 19 and dr["rpo_info"]["check_point"].startswith("mysql-bin")
    assert other["error_code"] == "DRS.10000001" and "rpo_info" not in other
    assert missing["error_code"] == "DRS.10000010"


def test_ddl_alarm_list_filters_and_pages(sim):
    _, _, call = sim
    everything = call.get(drs5(f"/{DDL}/ddl")).json()
    assert everything["count"] == 2 and [d["status"] for d in everything["ddl_list"]] == [1, 0]
    alarming = call.get(drs5(f"/{DDL}/ddl"), {"status": 1}).json()
    assert alarming["count"] == 1 and "DROP COLUMN" in alarming["ddl_list"][0]["ddl_text"]
    assert call.get(drs5(f"/{DDL}/ddl"), {"limit": 1, "offset": 1}).json()["ddl_list"][0]["status"] == 0
    assert call.get(drs5(f"/{JOB_A}/ddl")).json() == {"count": 0, "ddl_list": []}
    for bad in ({"limit": 0}, {"limit": 101}, {"offset": -1}, {"status": 2}):
        assert call.get(drs5(f"/{DDL}/ddl"), bad).status == 400
    assert call.get(drs5("/nope/ddl")).json()["error_code"] == "DRS.10000010"


def test_faults_apply_to_the_new_paths(sim):
    core, _, call = sim
    core.faults.add("5xx=1@/v5/*/jobs/*/monitor-data")
    assert call.get(drs5(f"/{JOB_A}/monitor-data")).status == 500
    assert call.get(drs5(f"/{JOB_A}/ddl")).status == 200
    core.faults.add("429=1@/v3/*/jobs/batch-progress")
    assert call.post(drs("/batch-progress"), {"jobs": [JOB_A]}).status == 429
    assert core.count("drs.monitor_data") == 1 and core.count("drs.batch_progress") == 1


def test_recovering_job_comparisons_are_consistent(sim):
    core, _, _ = sim
    job = core.world.project.jobs[RECOVERS]
    assert job.comparisons and all(r.consistent for c in job.comparisons for t in c.types for r in t.rows)
    assert all(t.final_status == 2 for c in job.comparisons for t in c.tables)
