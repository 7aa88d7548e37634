"""Soak: thousands of refreshes with comparisons coming and going, faults on and off, and
exports; the monitor's memory structures and asyncio tasks must stay bounded."""

from __future__ import annotations

import asyncio
import gc

from drstui.monitor.cutover_log import CutoverLog
from drstui.monitor.exports import ExportRefused, ExportTracker
from drstui.monitor.poller import Monitor
from drstui.monitor.trend import TrendHistory

from .fakes import FakeClock, FakeCloud, compare_job, timeout_error

JOBS = 5
CYCLES = 2000
HISTORY = 4  # comparisons the fake API keeps listing per job


def step(cloud: FakeCloud, cycle: int) -> None:
    """Script one cycle: new comparisons, finishing ones, faults, export states."""
    drs = cloud.drs
    for index, job in enumerate(drs.jobs):
        job_id = job["id"]
        listed = drs.table_jobs[job_id]["compare_jobs"]
        if cycle % 10 == index % 10:  # every 10 cycles each job starts a new comparison
            kind = "lines" if cycle % 20 < 10 else "contents"
            listed.insert(0, compare_job(f"{job_id}-c{cycle}", kind, "RUNNING",
                                         f"2025-01-15T08:{cycle // 60 % 60:02d}:{cycle % 60:02d}Z"))
            del listed[HISTORY:]
        for entry in listed[1:]:
            entry["status"] = "SUCCESSFUL"
        overview = drs.object_overview[job_id]
        overview["compare_result"][1]["target_count"] = cycle % 7
        overview["export_status"] = "EXPORT_COMPLETE" if cycle % 30 > 20 else "EXPORTING"
        overview["report_remain_seconds"] = 300 + cycle
    drs.faults.clear()
    if cycle % 100 < 10:
        drs.faults[("list_all_jobs", None)] = timeout_error()  # whole refreshes fail
    elif cycle % 7 == 0:
        drs.faults[("object_compare_overview", drs.jobs[cycle % JOBS]["id"])] = timeout_error()
        drs.faults[("line_compare_detail", None)] = timeout_error()


def live_objects() -> int:
    gc.collect()
    return len(gc.get_objects())


async def test_soak_memory_and_tasks_stay_bounded(tmp_path):
    cloud = FakeCloud(JOBS)
    clock = FakeClock()
    trend = TrendHistory(maxlen=120)
    exports = ExportTracker(cloud, tmp_path / "dl", region="cn-north-4", now=clock, keep_finished=20)
    with CutoverLog(tmp_path / "cutover.jsonl") as log:
        monitor = Monitor(cloud, now=clock, exports=exports, trend=trend, cutover_log=log)
        tasks_before = len(asyncio.all_tasks())
        baseline = 0
        for cycle in range(CYCLES):
            step(cloud, cycle)
            if cycle % 15 == 0:
                try:
                    await exports.start_drs(cloud.drs.jobs[cycle % JOBS]["id"], "objects_comparison")
                except ExportRefused:
                    pass  # one is still running for that job: refused, as it should be
            clock.advance(monitor.next_delay())
            await monitor.refresh()
            await exports.wait_idle()
            if cycle == 500:
                baseline = live_objects()
        final = live_objects()

    assert log.written > 1000  # the run really produced transitions
    assert len(cloud.drs.downloads) > 10
    assert len(monitor.snapshot.jobs) == JOBS
    assert len(monitor._jobs) == JOBS
    assert monitor.cached_comparisons <= JOBS * HISTORY
    assert all(len(memory.line_databases) <= HISTORY for memory in monitor._jobs.values())
    assert len(trend) <= JOBS * 120 and trend.job_count <= JOBS
    assert len(exports) <= 20 + JOBS
    assert len(monitor.snapshot.exports) == len(exports)
    assert len(asyncio.all_tasks()) == tasks_before
    # Live objects after 2000 cycles vs after 500: flat (small noise from whichever
    # comparisons and exports happen to be in flight at the end).
    assert final - baseline < 2_000, (baseline, final)
