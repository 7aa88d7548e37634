"""ReplicationWatch: batch reads (O(jobs / batch) progress calls), last good figures kept, stale
detection from DRS's update time, the lag run against the threshold, DDLs read sparingly,
the v5 fallback; then the verdict on the Monitor's Snapshot. An injected clock, a fake DRS."""

from __future__ import annotations

import math
from collections import Counter
from datetime import datetime, timedelta

import pytest

from drstui.api.models.replication import (
    DdlAlarmList,
    JobRpoRtoList,
    MonitorData,
    ReplicationProgress,
)
from drstui.api.replication import PROGRESS_BATCH_MAX, _chunks
from drstui.monitor.readiness import Thresholds
from drstui.monitor.replication import ReplicationWatch
from drstui.monitor.readiness_changes import LAG_THRESHOLD, readiness_transitions
from drstui.monitor.snapshot import (
    Connection,
    DataComparison,
    JobView,
    LinkState,
    ObjectComparison,
    Readiness,
    Snapshot,
    Verdict,
)

from .fakes import FakeClock, T0, timeout_error


def iso(at: datetime) -> str:
    return at.strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeReplicationDrs:
    """The replication reads of the DRS client, answering with real models."""

    def __init__(self, clock: FakeClock) -> None:
        self.clock = clock
        self.calls: Counter[str] = Counter()
        self.lag_ms: dict[str, float] = {}
        self.frozen: set[str] = set()  # jobs whose update_time stands still
        self.frozen_at = clock.now
        self.target_ok = True
        self.alarms = 0
        self.fail: set[str] = set()
        self.leave_out: set[str] = set()  # jobs the batch answer does not mention

    def _updated(self, job_id: str) -> datetime:
        return self.frozen_at if job_id in self.frozen else self.clock.now

    async def batch_progress(self, job_ids):
        ids = list(job_ids)
        self.calls["batch_progress"] += math.ceil(len(ids) / PROGRESS_BATCH_MAX)  # as the client chunks
        assert all(len(chunk) <= PROGRESS_BATCH_MAX for chunk in _chunks(ids, PROGRESS_BATCH_MAX))
        if "batch_progress" in self.fail:
            raise timeout_error("/v3/p/jobs/batch-progress")
        return [self._progress(job_id) for job_id in ids if job_id not in self.leave_out]

    def _progress(self, job_id: str, key: str = "incre") -> ReplicationProgress:
        ms = int(self.lag_ms.get(job_id, 800))
        stamp = int(self._updated(job_id).timestamp() * 1000)
        return ReplicationProgress.from_json({
            "job_id": job_id, "progress": "100", f"{key}_trans_delay": str(ms // 1000),
            f"{key}_trans_delay_millis": str(ms), "process_time": str(stamp),
            "transfer_status": "INCRE_TRANSFER_STARTED", "remaining_time": "0",
            "apply_rows_rate": 300, "apply_bytes_rate": 2000})

    async def job_progress(self, job_id):
        self.calls["job_progress"] += 1
        return self._progress(job_id, "incr")

    async def monitor_data(self, job_id):
        self.calls["monitor_data"] += 1
        if "monitor_data" in self.fail:
            raise timeout_error("/v5/p/jobs/x/monitor-data")
        ms = self.lag_ms.get(job_id, 800)
        return MonitorData.from_json({"src_delay": 0, "dst_delay": round(ms / 1000), "is_src_normal": True,
                                      "is_dst_normal": self.target_ok, "update_time": iso(self._updated(job_id))})

    async def job_ddls(self, job_id, *, alarming_only=False, limit=10, offset=0):
        self.calls["job_ddls"] += 1
        assert alarming_only and limit == 1  # the count is all we need
        alarms = [{"seqno": i, "status": 1} for i in range(self.alarms)]
        return DdlAlarmList.from_json({"count": self.alarms, "ddl_list": alarms[:1]})

    async def batch_rpo_rto(self, job_ids):
        self.calls["batch_rpo_rto"] += 1
        return JobRpoRtoList.from_json({"count": 1, "results": [
            {"job_id": j, "rpo_info": {"delay": "3"}, "rto_info": {"delay": "8"}} for j in job_ids]}).results


def job(i: int, status: str = "INCRE_TRANSFER_STARTED", job_type: str = "sync") -> JobView:
    """A job whose comparisons are fine (finished consistent just now): only replication decides."""
    objects = ObjectComparison("o", "SUCCESSFUL", Verdict.CONSISTENT, start_time=T0)
    rows = DataComparison("d", "lines", "SUCCESSFUL", Verdict.CONSISTENT, end_time=T0)
    return JobView(f"job-{i}", f"job {i}", status, job_type=job_type, object_comparison=objects,
                   data_comparisons=(rows,))


async def call(method, *args, **kwargs):
    return await method(*args, **kwargs)


def make(clock: FakeClock, **options) -> tuple[ReplicationWatch, FakeReplicationDrs, list[BaseException]]:
    drs = FakeReplicationDrs(clock)
    watch = ReplicationWatch(drs, call=call, now=clock, thresholds=options.pop("thresholds", Thresholds()),
                             **options)
    return watch, drs, []


async def test_fifty_jobs_cost_three_progress_calls_and_one_monitor_read_per_watched_job():
    clock = FakeClock()
    watch, drs, noted = make(clock, cutover_jobs=["job-0", "job-1"])
    views = await watch.refresh([job(i) for i in range(50)], noted.append)
    assert drs.calls["batch_progress"] == 3  # ceil(50 / 20), not 50
    assert drs.calls["monitor_data"] == 2 and drs.calls["job_ddls"] == 2  # the cutover set only
    assert drs.calls["job_progress"] == 0
    assert views[0].replication.lag_ms == 800 and views[0].replication.target_lag_ms == 1000
    assert views[5].replication.lag_ms == 800 and views[5].replication.target_ok is None
    assert views[0].readiness is not None and views[5].readiness is None  # outside the set
    assert noted == []


async def test_ddl_alarms_are_read_at_most_once_a_minute():
    clock = FakeClock()
    watch, drs, noted = make(clock)
    drs.alarms = 2
    for _ in range(6):
        views = await watch.refresh([job(1)], noted.append)
        clock.advance(15)
    assert drs.calls["job_ddls"] == 2  # at 0 s and 60 s
    assert views[0].replication.ddl_alarms == 2
    assert "2 DDL alarms" in views[0].readiness.reasons


async def test_a_figure_whose_update_time_stands_still_becomes_stale():
    clock = FakeClock()
    watch, drs, noted = make(clock, thresholds=Thresholds(stale_after=120))
    drs.frozen.add("job-1")
    views = await watch.refresh([job(1)], noted.append)
    assert not views[0].replication.stale
    clock.advance(119)
    views = await watch.refresh([job(1)], noted.append)
    assert not views[0].replication.stale
    clock.advance(1)
    views = await watch.refresh([job(1)], noted.append)
    rep = views[0].replication
    assert rep.stale and rep.stale_for_seconds == 120 and rep.lag_state == "unknown"
    assert views[0].readiness.verdict is Readiness.UNKNOWN
    assert views[0].readiness.reasons[0] == "lag figure stale (not updated for 2 min)"
    drs.frozen.clear()  # DRS updates again
    clock.advance(5)
    views = await watch.refresh([job(1)], noted.append)
    assert not views[0].replication.stale


async def test_the_lag_run_against_the_threshold_and_the_stable_window():
    clock = FakeClock()
    watch, drs, noted = make(clock, thresholds=Thresholds(max_lag=5, stable_for=60))
    drs.lag_ms["job-1"] = 42_000
    views = await watch.refresh([job(1)], noted.append)
    assert views[0].replication.lag_state == "over" and views[0].replication.lag_before is None
    clock.advance(30)
    views = await watch.refresh([job(1)], noted.append)
    assert views[0].readiness.reasons[0] == "lag 42 s > 5 s for 30 s"
    drs.lag_ms["job-1"] = 900
    clock.advance(10)
    views = await watch.refresh([job(1)], noted.append)
    rep = views[0].replication
    assert (rep.lag_state, rep.lag_before, rep.lag_state_since) == ("under", "over", clock.now)
    assert views[0].readiness.verdict is Readiness.NOT_READY
    clock.advance(60)
    views = await watch.refresh([job(1)], noted.append)
    lag_reasons = [r for r in views[0].readiness.reasons if "lag" in r]
    assert lag_reasons == []  # steady for the window: the lag rule holds
    assert [p.lag_ms for p in views[0].replication.history] == [42_000, 42_000, 900, 900]


async def test_a_lag_crossing_is_told_once_it_holds_for_two_reads_and_a_blip_is_not():
    """The table and the verdict follow every read; the alert and the cutover log follow the side
    the lag settled on, so a batch load that pushes the lag over for one read rings no bell."""
    clock = FakeClock()
    watch, drs, noted = make(clock, thresholds=Thresholds(max_lag=5))

    async def read(lag_ms: float) -> JobView:
        drs.lag_ms["job-1"] = lag_ms
        clock.advance(5)
        return (await watch.refresh([job(1)], noted.append))[0]

    def told(before: JobView, after: JobView) -> list[tuple[str, str]]:
        at = clock.now
        old, new = (Snapshot("p", "r", "pid", Connection(LinkState.OK), taken_at=at - timedelta(seconds=t),
                             jobs=(one,))
                    for t, one in ((5, before), (0, after)))
        return [(t.old, t.new) for t in readiness_transitions(old, new, at) if t.kind == LAG_THRESHOLD]

    calm = await read(800)
    assert calm.replication.lag_settled is None  # one read: not settled yet
    calm2 = await read(900)
    assert calm2.replication.lag_settled == "under" and told(calm, calm2) == []
    blip = await read(42_000)
    assert blip.replication.lag_state == "over" and blip.replication.lag_settled == "under"
    assert blip.readiness.verdict is Readiness.NOT_READY  # the verdict does not wait
    assert told(calm2, blip) == []
    after_blip = await read(700)
    assert told(blip, after_blip) == []  # over for one read, then under: nothing to tell
    over = await read(42_000)
    held = await read(40_000)
    assert told(after_blip, over) == [] and told(over, held) == [("under", "over")]
    still = await read(41_000)
    assert told(held, still) == []  # told once
    under = await read(900)
    back = await read(800)
    assert told(still, under) == [] and told(under, back) == [("over", "under")]


async def test_a_failed_part_keeps_the_last_good_figures_and_says_so():
    clock = FakeClock()
    watch, drs, noted = make(clock)
    await watch.refresh([job(1)], noted.append)
    drs.fail.add("monitor_data")
    drs.target_ok = False  # not seen: the call fails
    clock.advance(5)
    views = await watch.refresh([job(1)], noted.append)
    rep = views[0].replication
    assert rep.target_ok is True and rep.target_lag_ms == 1000  # last good
    assert rep.problems == ("monitor data: timeout: request timed out",)
    assert views[0].readiness.verdict is not Readiness.READY
    assert len(noted) == 1  # told to the monitor (a refused credential would stop it)


async def test_the_v5_detail_is_the_fallback_when_the_batch_call_fails_or_leaves_a_job_out():
    clock = FakeClock()
    watch, drs, noted = make(clock, cutover_jobs=["job-1"])
    drs.fail.add("batch_progress")
    views = await watch.refresh([job(1), job(2)], noted.append)
    assert drs.calls["job_progress"] == 1  # only the watched job
    assert views[0].replication.lag_ms == 800 and views[0].replication.problems == ()
    assert views[1].replication.lag_ms is None
    assert views[1].replication.problems == ("progress: timeout: request timed out",)
    drs.fail.clear()
    drs.leave_out.add("job-1")
    await watch.refresh([job(1), job(2)], noted.append)
    assert drs.calls["job_progress"] == 2


async def test_rpo_and_rto_of_disaster_recovery_jobs_in_one_batch_call():
    clock = FakeClock()
    watch, drs, noted = make(clock)
    views = await watch.refresh([job(1, job_type="cloudDataGuard"), job(2, job_type="cloudDataGuard"),
                                 job(3)], noted.append)
    assert drs.calls["batch_rpo_rto"] == 1
    assert (views[0].replication.rpo_seconds, views[0].replication.rto_seconds) == (3, 8)
    assert views[2].replication.rpo_seconds is None


async def test_a_job_not_replicating_incrementally_costs_no_per_job_call():
    clock = FakeClock()
    watch, drs, noted = make(clock)
    views = await watch.refresh([job(1, status="FULL_TRANSFER_STARTED")], noted.append)
    assert drs.calls["monitor_data"] == drs.calls["job_ddls"] == 0
    assert views[0].replication.lag_ms is None
    assert views[0].readiness.verdict is Readiness.NOT_READY


async def test_jobs_that_leave_are_forgotten():
    clock = FakeClock()
    watch, drs, noted = make(clock)
    await watch.refresh([job(1), job(2)], noted.append)
    await watch.refresh([job(2)], noted.append)
    assert set(watch._tracks) == {"job-2"}
