"""Cutover readiness: can we switch now? One verdict per job and one for the cutover set.

Pure functions of a JobView (its comparisons and its `Replication` figures), the thresholds and
the time; no I/O, so every rule is tested alone with an injected clock.

A job is **ready** when all of these hold:

1. it replicates incrementally (job status INCRE_TRANSFER_STARTED);
2. its lag figure is known and fresh (DRS's update time still moves: a frozen figure is stale,
   not zero);
3. the lag is at or under `max_lag`, and has been for `stable_for` (as watched by the monitor);
4. both the source and the target link are healthy;
5. the latest object comparison and the latest data comparison (rows or values) finished
   consistent, and are younger than `max_compare_age`;
6. no DDL alarm is open.

A rule that is broken makes the job **not_ready**, with a concrete reason ("lag 42 s > 5 s for
3 min", "target link down", "row comparison: 3 tables differ", "last value comparison 3 h old",
"2 DDL alarms"). A rule that cannot be checked (data missing or stale, or not watched for long
enough yet) makes it **unknown**, unless another rule already says not_ready. The cutover set is
ready only when every job in it is; not_ready when one is not; unknown otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from drstui.api.models.enums import CompareStatus
from drstui.monitor.snapshot import (
    CutoverReadiness,
    DataComparison,
    JobView,
    ObjectComparison,
    Readiness,
    ReadinessVerdict,
    Replication,
    TypeResult,
    Verdict,
)

INCREMENTAL_STATUS = "INCRE_TRANSFER_STARTED"
# Comparison kinds that count as "the latest data comparison" (random sampling has no verdict
# of its own beyond its status).
DATA_KINDS = {"lines": "row comparison", "contents": "value comparison"}

# Lag run states, as the replication tracker records them (Replication.lag_state / lag_before).
OVER, UNDER, UNKNOWN = "over", "under", "unknown"
_ENDED = {"FAILED": "failed", "TIMEOUT_INTERRUPT": "timed out", "CANCELLED": "cancelled"}


@dataclass(frozen=True)
class Thresholds:
    """The limits of a ready job, in seconds. Defaults a careful SRE would pick; a profile
    (max_lag, stable_for, max_compare_age) and flags override them."""

    max_lag: float = 5.0  # replication lag at or under this ...
    stable_for: float = 120.0  # ... for at least this long
    max_compare_age: float = 3600.0  # the latest comparisons no older than this
    stale_after: float = 120.0  # a lag figure whose update time stands still this long is stale

    @property
    def max_lag_ms(self) -> float:
        return self.max_lag * 1000


DEFAULT_THRESHOLDS = Thresholds()


def duration_text(seconds: float | None) -> str:
    """42 s, 3 min, 2 h 5 min, 3 d: how long, in words an engineer reads at a glance."""
    if seconds is None:
        return "?"
    whole = max(0, int(round(seconds)))
    if whole < 120:
        return f"{whole} s"
    minutes = whole // 60
    if minutes < 120:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes} min" if minutes and hours < 10 else f"{hours} h"
    return f"{hours // 24} d"


def lag_text(lag_ms: float | None) -> str:
    """A lag as people say it: 350 ms, 4.2 s, 42 s, 3 min."""
    if lag_ms is None:
        return "?"
    if lag_ms < 1000:
        return f"{lag_ms:.0f} ms"
    seconds = lag_ms / 1000
    if seconds < 10:
        return f"{seconds:.1f} s"
    return duration_text(seconds)


def threshold_text(seconds: float) -> str:
    return f"{seconds:g} s" if seconds < 120 else duration_text(seconds)


# -- one job ----------------------------------------------------------------------------------
def job_readiness(job: JobView, thresholds: Thresholds, now: datetime) -> ReadinessVerdict:
    """The verdict for one job (see the module docstring for the rules)."""
    not_ready: list[str] = []
    unknown: list[str] = []
    if job.status != INCREMENTAL_STATUS:
        not_ready.append(f"job {job.status}, not replicating incrementally")
    else:
        _replication_rules(job.replication, thresholds, now, not_ready, unknown)
    _comparison_rules(job, thresholds, now, not_ready, unknown)
    if not_ready:
        return ReadinessVerdict(Readiness.NOT_READY, tuple(not_ready + unknown))
    if unknown:
        return ReadinessVerdict(Readiness.UNKNOWN, tuple(unknown))
    return ReadinessVerdict(Readiness.READY)


def _replication_rules(rep: Replication | None, t: Thresholds, now: datetime,
                       not_ready: list[str], unknown: list[str]) -> None:
    if rep is None:
        unknown.append("no replication figures")
        return
    _lag_rules(rep, t, now, not_ready, unknown)
    for side, healthy in (("source", rep.source_ok), ("target", rep.target_ok)):
        if healthy is False:
            not_ready.append(f"{side} link down")
        elif healthy is None:
            unknown.append(f"{side} link health not known")
    if rep.ddl_alarms:
        not_ready.append(f"{rep.ddl_alarms} DDL alarm{'s' if rep.ddl_alarms > 1 else ''}")
    elif rep.ddl_alarms is None:
        unknown.append("DDL alarms not read")
    unknown.extend(rep.problems)


def _lag_rules(rep: Replication, t: Thresholds, now: datetime,
               not_ready: list[str], unknown: list[str]) -> None:
    if rep.stale:
        unknown.append(f"lag figure stale (not updated for {duration_text(rep.stale_for_seconds)})")
        return
    if rep.lag_ms is None:
        unknown.append("lag not known")
        return
    limit = threshold_text(t.max_lag)
    run = (now - rep.lag_state_since).total_seconds() if rep.lag_state_since else None
    if rep.lag_ms > t.max_lag_ms:
        text = f"lag {lag_text(rep.lag_ms)} > {limit}"
        if run is not None and run >= 1 and rep.lag_state == OVER:
            text += f" for {duration_text(run)}"
        not_ready.append(text)
        return
    if rep.lag_state != UNDER or run is None:
        unknown.append(f"lag {lag_text(rep.lag_ms)} not watched long enough")
        return
    if run >= t.stable_for:
        return
    steady = f"lag under {limit} for only {duration_text(run)} (needs {duration_text(t.stable_for)})"
    if rep.lag_before == OVER:
        not_ready.append(steady)
    else:  # just started watching, or the figure was unknown before: cannot tell yet
        unknown.append(steady)


def _comparison_rules(job: JobView, t: Thresholds, now: datetime,
                      not_ready: list[str], unknown: list[str]) -> None:
    obj = job.object_comparison
    if obj is None:
        not_ready.append("no object comparison")
    else:
        _one_comparison("object comparison", obj.verdict, obj.status, _object_differences(obj),
                        obj.start_time or obj.create_time, t, now, not_ready, unknown)
    data = latest_data_comparison(job)
    if data is None:
        not_ready.append("no row or value comparison")
    else:
        label = DATA_KINDS.get(data.compare_type, f"{data.compare_type} comparison")
        differing = sum(1 for table in data.tables if table.result is TypeResult.INCONSISTENT)
        detail = f"{differing} table{'s' if differing != 1 else ''} differ" if differing else ""
        _one_comparison(label, data.verdict, data.status, detail, data.end_time or data.start_time,
                        t, now, not_ready, unknown)


def _one_comparison(label: str, verdict: Verdict, status: str, detail: str, when: datetime | None,
                    t: Thresholds, now: datetime, not_ready: list[str], unknown: list[str]) -> None:
    if not CompareStatus.parse(status).is_terminal:
        not_ready.append(f"{label} comparing…")
        return
    if verdict is Verdict.INCONSISTENT:
        not_ready.append(f"{label}: {detail or 'inconsistent'}")
        return
    if verdict is not Verdict.CONSISTENT:
        not_ready.append(f"{label} {_ENDED.get(status, verdict.value)}")
        return
    if when is None:
        unknown.append(f"{label} time not known")
        return
    age = (now - when).total_seconds()
    if age > t.max_compare_age:
        not_ready.append(f"last {label} {duration_text(age)} old")


def _object_differences(obj: ObjectComparison) -> str:
    differing = sum(1 for row in obj.rows if row.result is TypeResult.INCONSISTENT)
    return f"{differing} type{'s' if differing != 1 else ''} differ" if differing else ""


def latest_data_comparison(job: JobView) -> DataComparison | None:
    """The newest row or value comparison (data_comparisons are newest first)."""
    return next((c for c in job.data_comparisons if c.compare_type in DATA_KINDS), None)


# -- the cutover set --------------------------------------------------------------------------
def cutover_readiness(jobs: Sequence[JobView], cutover_ids: Iterable[str] | None) -> CutoverReadiness:
    """The verdict of the set: `cutover_ids` (pinned jobs, in that order), or every job.

    Each job must already carry its `readiness`. A pinned job that is not listed is unknown."""
    by_id = {job.id: job for job in jobs}
    ids = list(dict.fromkeys(cutover_ids)) if cutover_ids else [job.id for job in jobs]
    ready = 0
    not_ready: list[str] = []
    unknown: list[str] = []
    for job_id in ids:
        job = by_id.get(job_id)
        if job is None:
            unknown.append(f"{job_id}: job not found")
            continue
        verdict = job.readiness or ReadinessVerdict(Readiness.UNKNOWN, ("not evaluated",))
        first = verdict.reasons[0] if verdict.reasons else verdict.verdict.value
        if verdict.verdict is Readiness.READY:
            ready += 1
        elif verdict.verdict is Readiness.NOT_READY:
            not_ready.append(f"{job.name}: {first}")
        else:
            unknown.append(f"{job.name}: {first}")
    if not ids:
        overall, reasons = Readiness.UNKNOWN, ["no jobs in the cutover set"]
    elif not_ready:
        overall, reasons = Readiness.NOT_READY, not_ready + unknown
    elif unknown:
        overall, reasons = Readiness.UNKNOWN, unknown
    else:
        overall, reasons = Readiness.READY, []
    return CutoverReadiness(overall, tuple(reasons), ready=ready, total=len(ids), job_ids=tuple(ids))


GO_WORDS = {Readiness.READY: "GO", Readiness.NOT_READY: "NO-GO", Readiness.UNKNOWN: "UNKNOWN"}


def go_no_go_text(readiness: CutoverReadiness, *, limit: int | None = None) -> str:
    """`NO-GO · 3/5 ready · orders-sync: lag 42 s · billing: 2 tables differ` (plain text)."""
    text = f"{GO_WORDS[readiness.verdict]} · {readiness.ready}/{readiness.total} ready"
    for reason in readiness.reasons:
        candidate = f"{text} · {reason}"
        if limit is not None and len(candidate) > limit:
            break
        text = candidate
    return text
