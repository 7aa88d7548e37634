"""Which changes between two Snapshots deserve a notification.

Pure functions: the app calls `find_alerts(previous, current)` for every new Snapshot and shows
each Alert with `notify()`. Issue 8 (bell, cutover log, "jump to what alerted") builds on the same
Alert records, so they carry ids and not just text.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from drstui.monitor.snapshot import JobView, Snapshot, TypeResult, Verdict
from drstui.ui.formatting import short_id
from drstui.ui.theme import job_is_failed

Severity = Literal["information", "warning", "error"]


@dataclass(frozen=True)
class Alert:
    job_id: str
    job_name: str
    subject: str  # "object comparison", "lines comparison 1a2b3c4d", "job"
    subject_id: str  # compare job id, or the job id for job-level alerts
    old_state: str | None
    new_state: str
    severity: Severity
    message: str


@dataclass(frozen=True)
class _Seen:
    subject: str
    verdict: Verdict
    detail: str


def _comparisons(job: JobView) -> dict[str, _Seen]:
    seen: dict[str, _Seen] = {}
    if job.object_comparison is not None:
        differing = [r.object_type for r in job.object_comparison.rows if r.result is TypeResult.INCONSISTENT]
        seen[job.object_comparison.compare_job_id] = _Seen(
            "object comparison", job.object_comparison.verdict, ", ".join(differing)
        )
    for comparison in job.data_comparisons:
        differing = [t.key for t in comparison.tables if t.result is TypeResult.INCONSISTENT]
        detail = ", ".join(differing[:3]) + (f" +{len(differing) - 3}" if len(differing) > 3 else "")
        seen[comparison.id] = _Seen(
            f"{comparison.compare_type} comparison {short_id(comparison.id)}", comparison.verdict, detail
        )
    return seen


def find_alerts(previous: Snapshot | None, current: Snapshot) -> list[Alert]:
    """Comparisons that turned inconsistent or failed, and jobs that failed, since `previous`.

    The first Snapshot is the baseline: it raises nothing (the screen shows the state).
    """
    if previous is None:
        return []
    alerts: list[Alert] = []
    for job in current.jobs:
        before = previous.job(job.id)
        if job_is_failed(job.status) and (before is None or before.status != job.status):
            alerts.append(
                Alert(job.id, job.name, "job", job.id, before.status if before else None, job.status,
                      "error", f"{job.name}: job is now {job.status}")
            )
        old = _comparisons(before) if before is not None else {}
        for compare_id, seen in _comparisons(job).items():
            if seen.verdict not in (Verdict.INCONSISTENT, Verdict.FAILED):
                continue
            earlier = old.get(compare_id)
            if earlier is not None and earlier.verdict == seen.verdict:
                continue
            severity: Severity = "error" if seen.verdict is Verdict.FAILED else "warning"
            detail = f" ({seen.detail} differ)" if seen.detail and seen.verdict is Verdict.INCONSISTENT else ""
            alerts.append(
                Alert(job.id, job.name, seen.subject, compare_id,
                      str(earlier.verdict) if earlier else None, str(seen.verdict), severity,
                      f"{job.name}: {seen.subject} is {seen.verdict.upper()}{detail}")
            )
    return alerts
