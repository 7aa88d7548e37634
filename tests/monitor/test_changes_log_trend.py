"""Transitions between scripted Snapshots, the cutover log they produce, and the trend history."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime, timedelta, timezone

from drstui.monitor import changes
from drstui.monitor.cutover_log import KEYS, CutoverLog, log_path_for, read_events
from drstui.monitor.snapshot import (
    Connection,
    DataComparison,
    ExportRecord,
    JobView,
    LinkState,
    ObjectComparison,
    ObjectTypeRow,
    Snapshot,
    TypeResult,
    Verdict,
)
from drstui.monitor.trend import TrendHistory

T0 = datetime(2025, 1, 15, 8, 30, tzinfo=timezone.utc)
OK = Connection(LinkState.OK)


def rows(table_target: int, result: TypeResult = TypeResult.CONSISTENT) -> tuple[ObjectTypeRow, ...]:
    return (ObjectTypeRow("TABLE", 42, table_target, result), ObjectTypeRow("DB", 3, 3, TypeResult.CONSISTENT))


def obj(cid: str, status: str, verdict: Verdict, table_target: int = 42,
        result: TypeResult = TypeResult.CONSISTENT) -> ObjectComparison:
    return ObjectComparison(cid, status, verdict, rows=rows(table_target, result))


def job(status: str = "INCRE_TRANSFER_STARTED", **parts) -> JobView:
    return JobView(id="job-1", name="DRS-orders", status=status, **parts)


def snap(at: datetime, *jobs: JobView, connection: Connection = OK, exports=()) -> Snapshot:
    return Snapshot("p", "cn-north-4", "pid", connection, taken_at=at, jobs=jobs, exports=exports)


def kinds(found) -> list[str]:
    return [t.kind for t in found]


def test_first_snapshot_is_the_baseline():
    assert changes.transitions(None, snap(T0, job())) == []


def test_scripted_comparison_lifecycle():
    s1 = snap(T0, job())
    s2 = snap(T0 + timedelta(seconds=5), job(object_comparison=obj("c1", "RUNNING", Verdict.RUNNING, 0,
                                                                     TypeResult.INCOMPLETE)))
    found = changes.transitions(s1, s2)
    assert kinds(found) == [changes.COMPARISON_STARTED]
    assert found[0].message == "DRS-orders: object comparison c1 started (RUNNING)"
    assert found[0].at == s2.taken_at and found[0].comparison_id == "c1"

    s3 = snap(T0 + timedelta(seconds=10), job(object_comparison=obj("c1", "RUNNING", Verdict.INCONSISTENT, 41,
                                                                      TypeResult.INCONSISTENT)))
    found = changes.transitions(s2, s3)
    assert kinds(found) == [changes.COMPARISON_VERDICT, changes.OBJECT_COUNTS]
    verdict, counts = found
    assert (verdict.old, verdict.new, verdict.severity) == ("running", "inconsistent", "warning")
    assert verdict.counts["inconsistent"] == 1 and verdict.counts["consistent"] == 1
    assert counts.counts == {"TABLE": {"source": 42, "target": 41, "old_source": 42, "old_target": 0}}

    s4 = snap(T0 + timedelta(seconds=15), job(object_comparison=obj("c1", "SUCCESSFUL", Verdict.INCONSISTENT,
                                                                      41, TypeResult.INCONSISTENT)))
    found = changes.transitions(s3, s4)
    assert kinds(found) == [changes.COMPARISON_STATUS]
    assert found[0].message == "DRS-orders: object comparison c1 RUNNING → SUCCESSFUL"

    assert changes.transitions(s4, replace(s4, taken_at=s4.taken_at + timedelta(seconds=5))) == []


def test_job_status_and_data_comparison_failure():
    running = DataComparison("d1", "lines", "RUNNING", Verdict.RUNNING)
    s1 = snap(T0, job(data_comparisons=(running,)))
    failed = replace(running, status="FAILED", verdict=Verdict.FAILED)
    s2 = snap(T0 + timedelta(seconds=5), job("INCRE_TRANSFER_FAILED", data_comparisons=(failed,)))
    found = changes.transitions(s1, s2)
    assert kinds(found) == [changes.JOB_STATUS, changes.COMPARISON_STATUS, changes.COMPARISON_VERDICT]
    assert [t.severity for t in found] == ["error", "error", "error"]
    assert found[2].message == "DRS-orders: lines comparison d1 is failed"


def test_connection_changes_are_told_once():
    good = snap(T0, job())
    retrying = replace(good, connection=Connection(LinkState.RETRYING, "timeout", T0 + timedelta(seconds=5)))
    stale = replace(good, connection=Connection(LinkState.STALE, "timeout", T0 + timedelta(seconds=5)))
    found = changes.transitions(good, retrying)
    assert kinds(found) == [changes.CONNECTION]
    assert found[0].message == "refresh failed, retrying: timeout" and found[0].job_id is None
    assert kinds(changes.transitions(retrying, stale)) == [changes.CONNECTION]
    assert changes.transitions(stale, stale) == []
    back = snap(T0 + timedelta(seconds=30), job())
    assert [t.message for t in changes.transitions(stale, back)] == ["connection restored"]
    refused = replace(good, connection=Connection(LinkState.AUTH_FAILED, "credentials refused: x", T0))
    assert [(t.severity, t.message) for t in changes.transitions(good, refused)] == [
        ("error", "credentials refused: x")]
    reset = replace(good, connection=Connection(LinkState.CONNECTING))
    assert [t.message for t in changes.transitions(refused, reset)] == ["reconnecting (credentials reset)"]


def test_export_transitions():
    base = ExportRecord("drs:job-1:lines:d1", "drs", "requested", job_id="job-1", job_name="DRS-orders",
                        compare_type="lines", compare_job_id="d1")
    s1 = snap(T0, job(), exports=(base,))
    ready = replace(base, status="EXPORT_COMPLETE", report_remain_seconds=300)
    s2 = snap(T0 + timedelta(seconds=5), job(), exports=(ready,))
    saved = replace(ready, status="saved", saved_path="/tmp/x.xlsx")
    s3 = snap(T0 + timedelta(seconds=10), job(), exports=(saved,))
    assert [t.kind for t in changes.transitions(s1, s2)] == [changes.EXPORT_READY]
    assert [t.message for t in changes.transitions(s2, s3)] == ["DRS-orders: lines export d1 saved to /tmp/x.xlsx"]
    failed = replace(base, status="EXPORT_COMMON_FAILED", message="DRS could not generate the report")
    found = changes.transitions(s1, snap(T0, job(), exports=(failed,)))
    assert [(t.kind, t.severity) for t in found] == [(changes.EXPORT_FAILED, "error")]


def test_cutover_log_golden_keys_and_round_trip(tmp_path):
    s1 = snap(T0, job())
    s2 = snap(T0 + timedelta(seconds=5), job(object_comparison=obj("c1", "RUNNING", Verdict.INCONSISTENT, 41,
                                                                     TypeResult.INCONSISTENT)))
    found = changes.transitions(s1, s2)
    with CutoverLog(directory=tmp_path) as log:
        log.append(found)
    path = log_path_for(T0, tmp_path)
    assert path.name == "cutover-20250115.jsonl"
    lines = path.read_text().splitlines()
    assert len(lines) == len(found) == 2
    first = json.loads(lines[0])
    assert tuple(first) == KEYS == ("time", "job_id", "job_name", "comparison_id", "kind", "old", "new",
                                    "counts", "severity", "message", "profile", "region", "project_id")
    assert first == {
        "time": "2025-01-15T08:30:05Z",
        "job_id": "job-1",
        "job_name": "DRS-orders",
        "comparison_id": "c1",
        "kind": "comparison_started",
        "old": None,
        "new": "RUNNING",
        "counts": {},
        "severity": "info",
        "message": "DRS-orders: object comparison c1 started (RUNNING)",
        # Whose job: the same id may exist in two projects watched together.
        "profile": "p",
        "region": "cn-north-4",
        "project_id": "pid",
    }
    assert json.loads(lines[1])["kind"] == "comparison_verdict"

    # Appending again (a new session) keeps what was there; a torn last line is skipped.
    with CutoverLog(path) as log:
        log.append(found[:1])
    with open(path, "a") as handle:
        handle.write('{"time": "2025-01-15T08:3')
    events = read_events(path)
    assert [e.kind for e in events] == ["comparison_started", "comparison_verdict", "comparison_started"]
    assert events[0] == found[0]
    assert read_events(path, limit=1)[0].kind == "comparison_started"
    assert read_events(tmp_path / "missing.jsonl") == []


def test_cutover_log_write_errors_do_not_raise(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("")
    log = CutoverLog(blocker / "cutover.jsonl")
    log.append(changes.transitions(snap(T0, job()), snap(T0, job("INCRE_TRANSFER_FAILED"))))
    assert log.last_error and log.written == 0


def test_trend_is_bounded_and_skips_kept_snapshots():
    trend = TrendHistory(maxlen=5)
    for i in range(12):
        trend.record(snap(T0 + timedelta(seconds=5 * i), job(object_comparison=obj(f"c{i}", "SUCCESSFUL",
                                                                                      Verdict.INCONSISTENT, i))))
    assert len(trend.points("job-1")) == 5
    assert trend.series("job-1", "TABLE") == [7, 8, 9, 10, 11]
    assert trend.difference_series("job-1") == [35, 34, 33, 32, 31]
    last = snap(T0 + timedelta(seconds=55), job(object_comparison=obj("c11", "SUCCESSFUL", Verdict.INCONSISTENT, 11)))
    trend.record(last)
    trend.record(replace(last, connection=Connection(LinkState.RETRYING)))  # same taken_at: no point
    assert len(trend.points("job-1")) == 5
    trend.record(snap(T0 + timedelta(seconds=60)))  # the job is gone: forgotten
    assert trend.job_count == 0 and len(trend) == 0


def test_trend_skips_a_running_comparison_whose_target_counts_still_read_zero():
    trend = TrendHistory()
    trend.record(snap(T0, job(object_comparison=obj("c1", "SUCCESSFUL", Verdict.INCONSISTENT, 40))))
    trend.record(snap(T0 + timedelta(seconds=5), job(object_comparison=obj("c2", "RUNNING", Verdict.RUNNING, 0))))
    trend.record(snap(T0 + timedelta(seconds=10), job(object_comparison=obj("c2", "SUCCESSFUL", Verdict.CONSISTENT, 42))))
    assert trend.difference_series("job-1") == [2, 0]  # no jump to 42 while c2 ran
