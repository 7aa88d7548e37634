"""Readiness and lag-threshold transitions (alerts and cutover-log lines), on plain Snapshots and
end to end on the simulator, whose recovering job goes NO-GO -> GO as its clock advances."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

from drstui.monitor.changes import transitions
from drstui.monitor.cutover_log import CutoverLog, read_events
from drstui.monitor.readiness import Thresholds
from drstui.monitor.readiness_changes import CUTOVER_READINESS, JOB_READINESS, LAG_THRESHOLD
from drstui.monitor.snapshot import (
    Connection,
    CutoverReadiness,
    JobView,
    LinkState,
    Readiness,
    ReadinessVerdict,
    Replication,
    Snapshot,
)

from .sim_rig import make_rig

T0 = datetime(2025, 1, 15, 8, 30, tzinfo=timezone.utc)
OK = Connection(LinkState.OK)


def snap(at, job: JobView, overall: Readiness) -> Snapshot:
    cut = CutoverReadiness(overall, () if overall is Readiness.READY else ("orders: lag 42 s > 5 s",),
                           ready=int(overall is Readiness.READY), total=1, job_ids=(job.id,))
    return Snapshot("p", "r", "pid", OK, taken_at=at, jobs=(job,), readiness=cut)


def job(verdict: Readiness, lag_state: str, lag_ms: float, *reasons: str) -> JobView:
    return JobView("j1", "orders", "INCRE_TRANSFER_STARTED", readiness=ReadinessVerdict(verdict, reasons),
                   replication=Replication(lag_ms=lag_ms, lag_state=lag_state, lag_settled=lag_state))


def test_becoming_not_ready_and_crossing_the_threshold_are_told():
    before = snap(T0, job(Readiness.READY, "under", 900), Readiness.READY)
    after = snap(T0 + timedelta(seconds=5), job(Readiness.NOT_READY, "over", 42_000, "lag 42 s > 5 s"),
                 Readiness.NOT_READY)
    found = {t.kind: t for t in transitions(before, after)}
    lag = found[LAG_THRESHOLD]
    assert (lag.old, lag.new, lag.counts, lag.severity) == ("under", "over", {"lag_ms": 42_000}, "warning")
    assert lag.message == "orders: lag 42 s over the threshold"
    one = found[JOB_READINESS]
    assert (one.old, one.new, one.job_id) == ("ready", "not_ready", "j1")
    assert one.message == "orders: no longer ready: lag 42 s > 5 s"
    assert one.counts == {"reasons": ["lag 42 s > 5 s"]}
    overall = found[CUTOVER_READINESS]
    assert (overall.old, overall.new, overall.job_id) == ("ready", "not_ready", None)
    assert overall.message == "NO-GO: 0/1 ready · orders: lag 42 s > 5 s"


def test_becoming_ready_and_lag_back_under_are_told():
    before = snap(T0, job(Readiness.NOT_READY, "over", 42_000, "lag 42 s > 5 s"), Readiness.NOT_READY)
    after = snap(T0 + timedelta(seconds=5), job(Readiness.READY, "under", 900), Readiness.READY)
    messages = {t.kind: t.message for t in transitions(before, after)}
    assert messages == {LAG_THRESHOLD: "orders: lag back under the threshold (900 ms)",
                        JOB_READINESS: "orders: ready for cutover", CUTOVER_READINESS: "GO: 1/1 ready"}


def test_a_kept_snapshot_or_an_unchanged_verdict_tells_nothing():
    before = snap(T0, job(Readiness.READY, "under", 900), Readiness.READY)
    assert transitions(before, replace(before, connection=Connection(LinkState.RETRYING))) == [
        t for t in transitions(before, replace(before, connection=Connection(LinkState.RETRYING)))
        if t.kind == "connection"]
    same = snap(T0 + timedelta(seconds=5), job(Readiness.READY, "under", 1200), Readiness.READY)
    assert transitions(before, same) == []


async def test_on_the_simulator_the_recovering_job_goes_no_go_to_go_and_the_log_says_so(tmp_path):
    log = CutoverLog(tmp_path / "cutover.jsonl")
    rig = make_rig(tmp_path, cutover_log=log, thresholds=Thresholds(stable_for=120))
    try:
        recovering = rig.job_id("DRS-orders-mysql-001")  # 45 s behind at the start, catches up
        rig.monitor.replication.cutover_jobs = (recovering,)
        first = await rig.monitor.refresh()
        assert first.job(recovering).readiness.verdict is Readiness.NOT_READY
        assert first.readiness.verdict is Readiness.NOT_READY
        assert first.readiness.reasons[0].startswith("DRS-orders-mysql-001: lag 4")
        seen = []
        for _ in range(40):  # 40 refreshes, 10 simulated seconds apart
            rig.advance(10)
            snapshot = await rig.monitor.refresh()
            seen.append(snapshot.readiness.verdict)
            if snapshot.readiness.verdict is Readiness.READY:
                break
        assert seen[-1] is Readiness.READY, snapshot.readiness.reasons
        assert snapshot.readiness.total == 1 and snapshot.readiness.ready == 1
        kinds = [(e.kind, e.old, e.new) for e in read_events(log.path_for(rig.now()))]
        assert (LAG_THRESHOLD, "over", "under") in kinds
        assert (JOB_READINESS, "not_ready", "ready") in kinds
        assert kinds[-1] == (CUTOVER_READINESS, "not_ready", "ready") or (
            CUTOVER_READINESS, "not_ready", "ready") in kinds
    finally:
        await rig.aclose()
