"""`drstui snapshot --gate ready` (0 ready, 1 not ready, 2 unable to tell) and `drstui watch
--until ready` with --max-lag / --stable-for / --max-compare-age, on the simulator whose clock
the fake sleep advances (nothing really waits)."""

from __future__ import annotations

import io
import json

from drstui import cli
from drstui.config_schema import Settings
from drstui.headless import EXIT_CANNOT_TELL, EXIT_NOT_READY, EXIT_READY, run_snapshot, watch_loop
from drstui.monitor.cutover_log import CutoverLog, read_events
from drstui.monitor.readiness_changes import CUTOVER_READINESS, JOB_READINESS
from drstui.sim.world import JOB_A

from tests.test_headless import RUNNING_JOB, _fast_retries, make_rig  # noqa: F401 - fixtures

RECOVERING = RUNNING_JOB  # 45 s behind at the start, catches up within 100 s; consistent world


def settings(tmp_path, **limits) -> Settings:
    return Settings(demo=True, seed=7, refresh=5.0, download_dir=tmp_path / "dl", **limits)


async def gate(rig, job_ids):
    out, err = io.StringIO(), io.StringIO()
    try:
        status = await run_snapshot(rig.session, job_ids=job_ids, as_json=True, out=out, err=err, gate="ready")
    finally:
        await rig.session.aclose()
    return status, json.loads(out.getvalue()) if out.getvalue() else None, err.getvalue()


async def watch_ready(rig, job_ids, timeout=1800.0):
    out, err = io.StringIO(), io.StringIO()
    sleep = rig.sleeper()
    try:
        status = await watch_loop(rig.session, "ready", timeout, job_ids=job_ids, sleep=sleep, now=rig.now,
                                  out=out, err=err)
    finally:
        await rig.session.aclose()
    return status, out.getvalue().splitlines(), sleep.slept


async def test_gate_ready_is_0_when_the_set_is_ready(make_rig, tmp_path):
    # One refresh cannot watch the lag for a while: with --stable-for 0 the current lag decides.
    rig = make_rig(consistent_world=True, settings=settings(tmp_path, stable_for=0.0))
    job = rig.job_id(RECOVERING)
    rig.clock.advance(300)  # caught up, comparisons finished consistent
    status, document, err = await gate(rig, [job])
    assert status == EXIT_READY == document["exit_status"] and err == ""
    assert document["readiness"] == {"verdict": "ready", "reasons": []}
    assert document["summary"]["ready"] == 1
    replication = document["jobs"][0]["replication"]
    assert replication["lag_ms"] < 5000 and replication["source_ok"] is True and replication["target_ok"] is True
    assert replication["updated_at"] == "2025-01-15T08:35:00Z"


async def test_gate_ready_is_1_when_not_ready_with_the_reasons(make_rig, tmp_path):
    rig = make_rig(settings=settings(tmp_path))
    status, document, _ = await gate(rig, [JOB_A, rig.job_id(RECOVERING)])
    assert status == EXIT_NOT_READY == document["exit_status"]
    assert document["readiness"]["verdict"] == "not_ready"
    assert "DRS-orders-sync: object comparison: 5 types differ" in document["readiness"]["reasons"]
    assert "DRS-orders-mysql-001: lag 46 s > 5 s" in document["readiness"]["reasons"]


async def test_gate_ready_is_2_when_it_cannot_tell(make_rig, tmp_path):
    # Caught up and consistent, but one refresh has not seen the lag steady for 2 min.
    rig = make_rig(consistent_world=True, settings=settings(tmp_path))
    rig.clock.advance(300)
    status, document, _ = await gate(rig, [rig.job_id(RECOVERING)])
    assert status == EXIT_CANNOT_TELL == document["exit_status"]
    assert document["readiness"] == {"verdict": "unknown",
                                     "reasons": ["DRS-orders-mysql-001: lag under 5 s, watched for 0 s of 2 min"]}


async def test_gate_ready_is_2_when_the_api_cannot_be_reached(make_rig, tmp_path):
    rig = make_rig(settings=settings(tmp_path))
    rig.transport.refuse_connections = True
    status, document, err = await gate(rig, [])
    assert status == EXIT_CANNOT_TELL and document["readiness"] is None
    assert "cannot reach the API" in err


async def test_watch_until_ready_follows_the_job_to_go_and_logs_it(make_rig, tmp_path):
    log = CutoverLog(tmp_path / "cutover.jsonl")
    rig = make_rig(consistent_world=True, cutover_log=log, settings=settings(tmp_path))
    job = rig.job_id(RECOVERING)
    rig.session.monitor.replication.cutover_jobs = (job,)  # what --job sets (settings.cutover_jobs)
    status, lines, slept = await watch_ready(rig, [job])
    assert status == EXIT_READY
    assert lines[0].startswith("2025-01-15T08:30:00Z watching 1 job(s) until ready")
    assert lines[1].startswith("2025-01-15T08:30:00Z DRS-orders-mysql-001: NO-GO; lag 46 s > 5 s")
    assert any("DRS-orders-mysql-001: lag back under the threshold (" in line for line in lines)
    assert any(line.endswith(" GO: 1/1 ready") and "ready: GO" not in line for line in lines)
    assert any(line.endswith("DRS-orders-mysql-001: ready for cutover") for line in lines)
    assert lines[-1].endswith("ready: GO: 1/1 ready")
    # 100 s to catch up, then 2 min steady, in refreshes 5 s apart
    assert 220 <= sum(slept) <= 260 and set(slept) == {5.0}
    kinds = {(event.kind, event.new) for event in read_events(tmp_path / "cutover.jsonl")}
    assert {(JOB_READINESS, "ready"), (CUTOVER_READINESS, "ready")} <= kinds


async def test_watch_until_ready_honours_the_limits(make_rig, tmp_path):
    # --max-lag 60s: the 46 s lag is already fine; --stable-for 30s: steady soon enough.
    rig = make_rig(consistent_world=True, settings=settings(tmp_path, max_lag=60.0, stable_for=30.0))
    status, lines, slept = await watch_ready(rig, [rig.job_id(RECOVERING)])
    assert status == EXIT_READY
    assert sum(slept) < 100  # it did not wait for the lag to reach 5 s


async def test_watch_until_ready_times_out_with_1_when_not_ready(make_rig, tmp_path):
    rig = make_rig(settings=settings(tmp_path))
    status, lines, slept = await watch_ready(rig, [JOB_A], timeout=60)
    assert status == EXIT_NOT_READY
    assert lines[-1].startswith("2025-01-15T08:31:00Z timed out after 1m: NO-GO: 0/1 ready; "
                                "DRS-orders-sync: object comparison: 5 types differ")


async def test_watch_until_ready_times_out_with_2_when_it_cannot_tell(make_rig, tmp_path):
    rig = make_rig(consistent_world=True, settings=settings(tmp_path, stable_for=3600.0))
    rig.clock.advance(300)
    status, lines, _ = await watch_ready(rig, [rig.job_id(RECOVERING)], timeout=60)
    assert status == EXIT_CANNOT_TELL
    assert lines[-1].endswith("UNKNOWN: 0/1 ready; DRS-orders-mysql-001: lag under 5 s, watched for 60 s of 60 min")


def test_the_flags_parse():
    parser = cli.build_parser()
    args = parser.parse_args(["snapshot", "--gate", "ready", "--max-lag", "10s", "--job", "a"])
    assert (args.gate, args.max_lag, args.job_ids) == ("ready", "10s", ["a"])
    args = parser.parse_args(["watch", "--until", "ready", "--stable-for", "5m", "--max-compare-age", "2h"])
    assert (args.until, args.stable_for, args.max_compare_age) == ("ready", "5m", "2h")
