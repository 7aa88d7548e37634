"""What changed between two Snapshots, as a list of one-line Transitions.

Used by the UI (notifications, highlights), by `drstui watch` (one line per transition) and by
the cutover log. A Snapshot that merely repeats the previous data (a failed refresh keeps the
last good one) produces no job transitions, only a connection one.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timezone
from typing import Any

from drstui.api.models.enums import CompareStatus, ExportStatus, JobStatusValue
from drstui.monitor.readiness_changes import readiness_transitions
from drstui.monitor.snapshot import (
    DOWNLOAD_FAILED,
    EXPIRED,
    FAILED,
    DataComparison,
    ExportRecord,
    HealthComparison,
    JobView,
    LinkState,
    ObjectComparison,
    Snapshot,
    TypeResult,
    Verdict,
)
from drstui.text import short_id
from drstui.monitor.transition import (  # re-exported: the vocabulary of transitions
    COMPARISON_STARTED,
    COMPARISON_STATUS,
    COMPARISON_VERDICT,
    CONNECTION,
    ERROR,
    EXPORT_FAILED,
    EXPORT_READY,
    EXPORT_SAVED,
    INFO,
    JOB_STATUS,
    OBJECT_COUNTS,
    WARNING,
    Transition,
)

_FAILED_LOCALLY = frozenset({FAILED, DOWNLOAD_FAILED, EXPIRED})  # beside the API's own failure


def transitions(old: Snapshot | None, new: Snapshot) -> list[Transition]:
    """Every change from `old` to `new`. The first snapshot (old is None) is the baseline."""
    if old is None:
        return []
    # Both None only before any answer and any failure; then the wall clock is all we have.
    at = new.taken_at or new.connection.since or datetime.now(timezone.utc)
    found: list[Transition] = list(_connection_changes(old, new, at))
    for job in new.jobs:
        found.extend(_job_changes(old.job(job.id), job, at))
    found.extend(_export_changes(old.exports, new.exports, at))
    found.extend(readiness_transitions(old, new, at))
    if new.scopes:  # a combined Snapshot: its transitions are found per scope, not here
        return found
    scope = new.scope
    return [replace(t, scope=scope) for t in found]


# -- connection -------------------------------------------------------------------------------
def _connection_changes(old: Snapshot, new: Snapshot, at: datetime) -> Iterator[Transition]:
    before, after = old.connection.state, new.connection.state
    if before == after or {before, after} <= {LinkState.CONNECTING, LinkState.OK}:
        return
    when = new.connection.since or at
    reason = new.connection.reason or "no reason given"
    if after == LinkState.OK:
        severity, text = INFO, "connection restored"
    elif after == LinkState.CONNECTING:
        severity, text = INFO, "reconnecting (credentials reset)"
    elif after == LinkState.AUTH_FAILED:
        severity, text = ERROR, reason  # already says "credentials refused: ..." or "clock skew: ..."
    elif after == LinkState.STALE:
        severity, text = WARNING, f"data is stale: {reason}"
    else:
        severity, text = WARNING, f"refresh failed, retrying: {reason}"
    yield Transition(when, None, None, None, CONNECTION, before.value, after.value, {}, severity, text)


# -- jobs -------------------------------------------------------------------------------------
def _job_changes(old: JobView | None, new: JobView, at: datetime) -> Iterator[Transition]:
    if old is None:
        return  # a job that just appeared has no "before"; it is simply shown
    if old.status != new.status:
        severity = ERROR if JobStatusValue.parse(new.status).is_failed else INFO
        yield _job_transition(
            at, new, None, JOB_STATUS, old.status, new.status, {}, severity,
            f"job status {old.status} → {new.status}",
        )
    yield from _object_changes(old.object_comparison, new.object_comparison, new, at)
    old_data = {comparison.id: comparison for comparison in old.data_comparisons}
    for comparison in new.data_comparisons:
        yield from _data_changes(old_data.get(comparison.id), comparison, new, at)
    old_health = {comparison.id: comparison for comparison in old.health_comparisons}
    for comparison in new.health_comparisons:
        yield from _health_changes(old_health.get(comparison.id), comparison, new, at)


def _object_changes(
    old: ObjectComparison | None, new: ObjectComparison | None, job: JobView, at: datetime
) -> Iterator[Transition]:
    if new is None:
        return
    label = "object comparison"
    if old is None or old.compare_job_id != new.compare_job_id:
        yield _started(at, job, new.compare_job_id, label, new.status)
        if new.verdict in _TOLD_VERDICTS:
            yield _verdict(at, job, new.compare_job_id, label, None, new.verdict, _row_counts(new))
        return
    if old.status != new.status:
        yield _status(at, job, new.compare_job_id, label, old.status, new.status)
    if old.verdict != new.verdict and new.verdict in _TOLD_VERDICTS:
        yield _verdict(at, job, new.compare_job_id, label, old.verdict, new.verdict, _row_counts(new))
    changed = _count_changes(old, new)
    if changed:
        summary = ", ".join(
            f"{name} {c['old_source']}/{c['old_target']} → {c['source']}/{c['target']}"
            for name, c in changed.items()
        )
        yield _job_transition(
            at, job, new.compare_job_id, OBJECT_COUNTS, None, None, changed, INFO,
            f"object counts (source/target): {summary}",
        )


def _data_changes(
    old: DataComparison | None, new: DataComparison, job: JobView, at: datetime
) -> Iterator[Transition]:
    label = f"{new.compare_type} comparison"
    if old is None:
        yield _started(at, job, new.id, label, new.status)
        if new.verdict in _TOLD_VERDICTS:
            yield _verdict(at, job, new.id, label, None, new.verdict, _table_counts(new))
        return
    if old.status != new.status:
        yield _status(at, job, new.id, label, old.status, new.status)
    if old.verdict != new.verdict and new.verdict in _TOLD_VERDICTS:
        yield _verdict(at, job, new.id, label, old.verdict, new.verdict, _table_counts(new))


def _health_changes(
    old: HealthComparison | None, new: HealthComparison, job: JobView, at: datetime
) -> Iterator[Transition]:
    label = f"health comparison ({','.join(new.types) or '?'})"
    if old is None:
        yield _started(at, job, new.id, label, new.status)
    elif old.status != new.status:
        yield _status(at, job, new.id, label, old.status, new.status)


# Verdicts a change *to* which is worth telling (running/unknown are just progress).
_TOLD_VERDICTS = frozenset({Verdict.CONSISTENT, Verdict.INCONSISTENT, Verdict.FAILED})
_VERDICT_SEVERITY = {Verdict.CONSISTENT: INFO, Verdict.INCONSISTENT: WARNING, Verdict.FAILED: ERROR}


def _started(at: datetime, job: JobView, cid: str, label: str, status: str) -> Transition:
    return _job_transition(
        at, job, cid, COMPARISON_STARTED, None, status, {}, INFO,
        f"{label} {short_id(cid)} started ({status})",
    )


def _status(at: datetime, job: JobView, cid: str, label: str, old: str, new: str) -> Transition:
    severity = ERROR if CompareStatus.parse(new).is_error else INFO
    return _job_transition(
        at, job, cid, COMPARISON_STATUS, old, new, {}, severity,
        f"{label} {short_id(cid)} {old} → {new}",
    )


def _verdict(
    at: datetime, job: JobView, cid: str, label: str,
    old: Verdict | None, new: Verdict, counts: dict[str, Any],
) -> Transition:
    detail = ", ".join(f"{count} {name}" for name, count in counts.items() if count)
    return _job_transition(
        at, job, cid, COMPARISON_VERDICT, old.value if old else None, new.value, counts,
        _VERDICT_SEVERITY[new],
        f"{label} {short_id(cid)} is {new.value}" + (f" ({detail})" if detail else ""),
    )


def _job_transition(
    at: datetime, job: JobView, cid: str | None, kind: str, old: str | None, new: str | None,
    counts: dict[str, Any], severity: str, text: str,
) -> Transition:
    return Transition(at, job.id, job.name, cid, kind, old, new, counts, severity, f"{job.name}: {text}")


def _row_counts(comparison: ObjectComparison) -> dict[str, int]:
    return _result_counts(row.result for row in comparison.rows)


def _table_counts(comparison: DataComparison) -> dict[str, int]:
    return _result_counts(table.result for table in comparison.tables)


def _result_counts(results: Iterator[TypeResult]) -> dict[str, int]:
    counts = {result.value: 0 for result in TypeResult}
    for result in results:
        counts[result.value] += 1
    return counts


def _count_changes(old: ObjectComparison, new: ObjectComparison) -> dict[str, dict[str, Any]]:
    before = {row.object_type: row for row in old.rows}
    changed: dict[str, dict[str, Any]] = {}
    for row in new.rows:
        prev = before.get(row.object_type)
        if prev is None or (prev.source_count, prev.target_count) != (row.source_count, row.target_count):
            changed[row.object_type] = {
                "source": row.source_count,
                "target": row.target_count,
                "old_source": prev.source_count if prev else None,
                "old_target": prev.target_count if prev else None,
            }
    return changed


# -- exports ----------------------------------------------------------------------------------
def _export_changes(
    old: tuple[ExportRecord, ...], new: tuple[ExportRecord, ...], at: datetime
) -> Iterator[Transition]:
    before = {record.key: record for record in old}
    for record in new:
        prev = before.get(record.key)
        what = _export_label(record)
        if record.saved_path and (prev is None or not prev.saved_path):
            yield _export_transition(at, record, EXPORT_SAVED, prev, INFO, f"{what} saved to {record.saved_path}")
            continue
        if prev is not None and prev.status == record.status:
            continue
        api_status = ExportStatus.parse(record.status)
        if api_status.is_ready:
            yield _export_transition(at, record, EXPORT_READY, prev, INFO, f"{what} is ready")
        elif api_status.is_failed or record.status in _FAILED_LOCALLY:
            why = f": {record.message}" if record.message else ""
            yield _export_transition(at, record, EXPORT_FAILED, prev, ERROR, f"{what} failed{why}")


def _export_label(record: ExportRecord) -> str:
    if record.kind == "sms":
        return f"SMS export {record.key}"
    who = record.job_name or record.job_id or "?"
    cid = f" {short_id(record.compare_job_id)}" if record.compare_job_id else ""
    return f"{who}: {record.compare_type} export{cid}"


def _export_transition(
    at: datetime, record: ExportRecord, kind: str, prev: ExportRecord | None, severity: str, text: str
) -> Transition:
    counts: dict[str, Any] = {}
    if record.batches:
        counts = {
            "batches": len(record.batches),
            "failed_batches": sum(1 for batch in record.batches if not batch.ok),
            "tasks": sum(batch.task_count for batch in record.batches),
        }
    if kind == EXPORT_SAVED and record.saved_path:
        counts["path"] = record.saved_path  # the file to hand on (drstui report lists it)
    return Transition(
        at, record.job_id, record.job_name, record.compare_job_id, kind,
        prev.status if prev else None, record.status, counts, severity, text,
    )


# -- helpers ----------------------------------------------------------------------------------
