"""The readiness rules one by one: each reason, stale lag, thresholds, the stable window,
missing data -> unknown, and the cutover set. Pure functions, an injected time."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta, timezone

import pytest

from drstui.monitor.readiness import (
    Thresholds,
    cutover_readiness,
    duration_text,
    go_no_go_text,
    job_readiness,
    lag_text,
)
from drstui.monitor.snapshot import (
    DataComparison,
    JobView,
    ObjectComparison,
    ObjectTypeRow,
    Readiness,
    ReadinessVerdict,
    Replication,
    TableRow,
    TypeResult,
    Verdict,
)

NOW = datetime(2025, 1, 15, 9, 0, tzinfo=timezone.utc)
T = Thresholds(max_lag=5, stable_for=120, max_compare_age=3600)


def ago(seconds: float) -> datetime:
    return NOW - timedelta(seconds=seconds)


def table(name: str, result: TypeResult) -> TableRow:
    return TableRow("db", name, "db", name, 10, 10 if result is TypeResult.CONSISTENT else 9, 0, 2, "x", result)


def objects(verdict=Verdict.CONSISTENT, status="SUCCESSFUL", started=600.0, differing=0) -> ObjectComparison:
    rows = tuple(ObjectTypeRow(f"T{i}", 3, 2, TypeResult.INCONSISTENT) for i in range(differing))
    rows += (ObjectTypeRow("TABLE", 5, 5, TypeResult.CONSISTENT),)
    return ObjectComparison("obj-1", status, verdict, start_time=ago(started), rows=rows)


def data(kind="lines", verdict=Verdict.CONSISTENT, status="SUCCESSFUL", ended=300.0, differing=0,
         cid="d1") -> DataComparison:
    tables = tuple(table(f"t{i}", TypeResult.INCONSISTENT) for i in range(differing))
    tables += (table("ok", TypeResult.CONSISTENT),)
    return DataComparison(cid, kind, status, verdict, start_time=ago(ended + 60), end_time=ago(ended),
                          tables=tables)


def replication(**changes) -> Replication:
    base = Replication(lag_ms=800, source_lag_ms=300, target_lag_ms=500, source_ok=True, target_ok=True,
                       updated_at=ago(5), ddl_alarms=0, lag_state="under", lag_state_since=ago(600),
                       lag_before="over")
    return replace(base, **changes)


def ready_job(**changes) -> JobView:
    job = JobView("job-1", "orders-sync", "INCRE_TRANSFER_STARTED", object_comparison=objects(),
                  data_comparisons=(data(),), replication=replication())
    return replace(job, **changes)


def verdict_of(job: JobView, thresholds: Thresholds = T) -> ReadinessVerdict:
    return job_readiness(job, thresholds, NOW)


def test_ready_when_every_rule_holds():
    assert verdict_of(ready_job()) == ReadinessVerdict(Readiness.READY, ())


def test_lag_over_the_threshold_says_by_how_much_and_for_how_long():
    job = ready_job(replication=replication(lag_ms=42_000, lag_state="over", lag_state_since=ago(180),
                                            lag_before="under"))
    assert verdict_of(job) == ReadinessVerdict(Readiness.NOT_READY, ("lag 42 s > 5 s for 3 min",))


def test_the_threshold_is_what_the_profile_or_flags_say():
    job = ready_job(replication=replication(lag_ms=42_000, lag_state="under"))
    assert verdict_of(job, Thresholds(max_lag=60)).verdict is Readiness.READY
    assert verdict_of(job, Thresholds(max_lag=5)).verdict is Readiness.NOT_READY


def test_lag_at_the_threshold_counts_as_under():
    assert verdict_of(ready_job(replication=replication(lag_ms=5000))).verdict is Readiness.READY


def test_lag_back_under_but_not_for_stable_for_is_not_ready():
    job = ready_job(replication=replication(lag_state_since=ago(40), lag_before="over"))
    assert verdict_of(job) == ReadinessVerdict(
        Readiness.NOT_READY, ("lag under 5 s for only 40 s (needs 2 min)",))
    # ... and ready once the window has passed
    assert verdict_of(job, replace(T, stable_for=30)).verdict is Readiness.READY


def test_lag_under_since_watching_began_is_unknown_until_the_window_has_passed():
    job = ready_job(replication=replication(lag_state_since=ago(40), lag_before=None))
    assert verdict_of(job).verdict is Readiness.UNKNOWN
    assert verdict_of(job).reasons == ("lag under 5 s for only 40 s (needs 2 min)",)
    later = ready_job(replication=replication(lag_state_since=ago(121), lag_before=None))
    assert verdict_of(later).verdict is Readiness.READY


def test_a_stale_lag_figure_is_unknown_not_zero():
    job = ready_job(replication=replication(lag_ms=0, stale=True, stale_for_seconds=300, lag_state="unknown"))
    assert verdict_of(job) == ReadinessVerdict(Readiness.UNKNOWN,
                                               ("lag figure stale (not updated for 5 min)",))


def test_missing_figures_are_unknown():
    assert verdict_of(ready_job(replication=None)) == ReadinessVerdict(Readiness.UNKNOWN,
                                                                        ("no replication figures",))
    job = ready_job(replication=replication(lag_ms=None, lag_state="unknown", target_ok=None, ddl_alarms=None))
    assert verdict_of(job) == ReadinessVerdict(
        Readiness.UNKNOWN, ("lag not known", "target link health not known", "DDL alarms not read"))


@pytest.mark.parametrize("side", ["source", "target"])
def test_a_link_down_is_not_ready(side):
    job = ready_job(replication=replication(**{f"{side}_ok": False}))
    assert verdict_of(job) == ReadinessVerdict(Readiness.NOT_READY, (f"{side} link down",))


def test_open_ddl_alarms_are_not_ready():
    assert verdict_of(ready_job(replication=replication(ddl_alarms=2))).reasons == ("2 DDL alarms",)
    assert verdict_of(ready_job(replication=replication(ddl_alarms=1))).reasons == ("1 DDL alarm",)


def test_a_part_that_could_not_be_read_makes_it_unknown():
    job = ready_job(replication=replication(problems=("monitor data: HTTP 500",)))
    assert verdict_of(job) == ReadinessVerdict(Readiness.UNKNOWN, ("monitor data: HTTP 500",))


def test_a_job_that_does_not_replicate_incrementally_is_not_ready():
    job = ready_job(status="FULL_TRANSFER_STARTED", replication=None)
    assert verdict_of(job) == ReadinessVerdict(
        Readiness.NOT_READY, ("job FULL_TRANSFER_STARTED, not replicating incrementally",))


def test_comparison_differences_are_named():
    job = ready_job(object_comparison=objects(Verdict.INCONSISTENT, differing=2),
                    data_comparisons=(data(differing=3),))
    job = replace(job, data_comparisons=(data(verdict=Verdict.INCONSISTENT, differing=3),))
    assert verdict_of(job) == ReadinessVerdict(
        Readiness.NOT_READY, ("object comparison: 2 types differ", "row comparison: 3 tables differ"))


def test_a_value_comparison_is_the_latest_data_comparison_when_newer():
    job = ready_job(data_comparisons=(data("contents", Verdict.INCONSISTENT, differing=1, cid="v"),
                                      data("lines", cid="r")))
    assert verdict_of(job).reasons == ("value comparison: 1 table differ",)


def test_old_comparisons_are_not_ready():
    job = ready_job(data_comparisons=(data("contents", ended=3 * 3600),),
                    object_comparison=objects(started=2 * 3600))
    assert verdict_of(job).reasons == ("last object comparison 2 h old", "last value comparison 3 h old")
    assert verdict_of(job, replace(T, max_compare_age=4 * 3600)).verdict is Readiness.READY


def test_running_missing_and_failed_comparisons_are_not_ready():
    running = ready_job(object_comparison=objects(Verdict.RUNNING, "RUNNING"))
    assert verdict_of(running).reasons == ("object comparison comparing…",)
    missing = ready_job(object_comparison=None, data_comparisons=())
    assert verdict_of(missing).reasons == ("no object comparison", "no row or value comparison")
    failed = ready_job(data_comparisons=(data(verdict=Verdict.FAILED, status="TIMEOUT_INTERRUPT"),))
    assert verdict_of(failed).reasons == ("row comparison timed out",)


def test_not_ready_wins_over_unknown_and_keeps_both_reasons():
    job = ready_job(replication=replication(target_ok=False, ddl_alarms=None))
    assert verdict_of(job) == ReadinessVerdict(Readiness.NOT_READY, ("target link down", "DDL alarms not read"))


# -- the cutover set --------------------------------------------------------------------------
def judged(job: JobView) -> JobView:
    return replace(job, readiness=verdict_of(job))


def test_the_set_is_ready_only_when_every_job_is():
    a = judged(ready_job())
    b = judged(ready_job(id="job-2", name="billing"))
    assert cutover_readiness([a, b], None) == replace(
        cutover_readiness([a, b], None), verdict=Readiness.READY, reasons=(), ready=2, total=2)
    bad = judged(ready_job(id="job-2", name="billing",
                           data_comparisons=(data(verdict=Verdict.INCONSISTENT, differing=2),)))
    verdict = cutover_readiness([a, bad], None)
    assert (verdict.verdict, verdict.ready, verdict.total) == (Readiness.NOT_READY, 1, 2)
    assert verdict.reasons == ("billing: row comparison: 2 tables differ",)
    assert go_no_go_text(verdict) == "NO-GO · 1/2 ready · billing: row comparison: 2 tables differ"


def test_the_set_is_unknown_when_a_job_cannot_be_judged_and_none_is_not_ready():
    a = judged(ready_job())
    frozen = judged(ready_job(id="job-3", name="frozen", replication=replication(stale=True, stale_for_seconds=200)))
    verdict = cutover_readiness([a, frozen], None)
    assert verdict.verdict is Readiness.UNKNOWN
    assert verdict.reasons == ("frozen: lag figure stale (not updated for 3 min)",)


def test_a_pinned_set_counts_only_its_jobs_and_a_missing_one_is_unknown():
    a = judged(ready_job())
    other = judged(ready_job(id="job-9", name="not-pinned", replication=replication(target_ok=False)))
    verdict = cutover_readiness([a, other], ["job-1"])
    assert (verdict.verdict, verdict.ready, verdict.total) == (Readiness.READY, 1, 1)
    assert go_no_go_text(verdict) == "GO · 1/1 ready"
    gone = cutover_readiness([a, other], ["job-1", "job-404"])
    assert gone.verdict is Readiness.UNKNOWN and gone.reasons == ("job-404: job not found",)


def test_no_jobs_at_all_is_unknown():
    assert cutover_readiness([], None).verdict is Readiness.UNKNOWN


def test_the_go_no_go_line_keeps_within_a_limit():
    a = judged(ready_job(replication=replication(target_ok=False)))
    b = judged(ready_job(id="b", name="billing", replication=replication(ddl_alarms=3)))
    verdict = cutover_readiness([a, b], None)
    assert go_no_go_text(verdict) == "NO-GO · 0/2 ready · orders-sync: target link down · billing: 3 DDL alarms"
    assert go_no_go_text(verdict, limit=52) == "NO-GO · 0/2 ready · orders-sync: target link down"


def test_texts():
    assert [lag_text(v) for v in (None, 350, 4200, 42_000, 200_000)] == ["?", "350 ms", "4.2 s", "42 s", "3 min"]
    assert [duration_text(v) for v in (5, 119, 180, 3 * 3600 + 600, 30 * 3600, 72 * 3600)] == [
        "5 s", "119 s", "3 min", "3 h 10 min", "30 h", "3 d"]
