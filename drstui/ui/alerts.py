"""Which transitions deserve a notification (and the bell).

One source of truth: the transitions are those of `drstui.monitor.changes.transitions` (the
ones the Monitor writes to the cutover log and `drstui watch` prints). This module only picks
the ones worth interrupting the engineer for and words them, naming what differs from the
Snapshot they lead to:

- a comparison finished: verdict consistent (information), inconsistent (warning), failed (error);
- a comparison ended FAILED / TIMEOUT_INTERRUPT (error) or CANCELLED (warning) without a verdict;
- a job failed (error);
- a report export became ready or was saved (information), or failed (error);
- a job or the cutover set became ready (information) or stopped being ready (warning), and a
  job's replication lag crossed the threshold and stayed there for two reads (over: warning,
  back under: information).

At most one alert per comparison (or export, or job) per refresh: the most severe. The first
Snapshot is the baseline and raises nothing; a job that (re)appears is shown, not announced.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Literal

from drstui.api.models.enums import CompareStatus, JobStatusValue
from drstui.monitor import changes
from drstui.monitor.readiness_changes import CUTOVER_READINESS, JOB_READINESS, LAG_THRESHOLD
from drstui.monitor.scope import Scope
from drstui.monitor.transition import Transition
from drstui.monitor.snapshot import JobView, Snapshot, TypeResult
from drstui.ui.formatting import short_id

Severity = Literal["information", "warning", "error"]

_SEVERITY: dict[str, Severity] = {changes.INFO: "information", changes.WARNING: "warning", changes.ERROR: "error"}
_RANK = {"information": 0, "warning": 1, "error": 2}
_EXPORT_KINDS = (changes.EXPORT_READY, changes.EXPORT_SAVED, changes.EXPORT_FAILED)
_READINESS_KINDS = (JOB_READINESS, CUTOVER_READINESS, LAG_THRESHOLD)


@dataclass(frozen=True)
class Alert:
    job_id: str | None  # None for an SMS export
    job_name: str | None
    subject: str  # "object comparison", "lines comparison 1a2b3c4d…", "job", "export"
    subject_id: str | None  # compare job id, or the job id for job-level alerts
    old_state: str | None
    new_state: str
    severity: Severity
    message: str
    kind: str = ""  # the Transition kind it came from
    at: datetime | None = None


KeyOf = Callable[[Scope | None, str | None], str | None]


def _bare_id(scope: Scope | None, job_id: str | None) -> str | None:
    return job_id


def alerts_for(found: Sequence[Transition], current: Snapshot, *, key_of: KeyOf = _bare_id) -> list[Alert]:
    """The transitions of one refresh worth a notification, worded with `current`'s details.

    `key_of` says how a transition's job is known in `current` (its id; among several scopes,
    (scope, id)): the Alert's `job_id` is that key, and its text names the scope."""
    chosen: dict[tuple[str, str | None, str | None, str], Alert] = {}
    # Verdicts first: on equal severity, "is FAILED" says more than "RUNNING → FAILED".
    for transition in sorted(found, key=lambda t: t.kind != changes.COMPARISON_VERDICT):
        job_key = key_of(transition.scope, transition.job_id)
        if job_key != transition.job_id and transition.scope is not None:
            transition = replace(transition, job_id=job_key,
                                 job_name=f"{transition.scope.label} · {transition.job_name or '?'}",
                                 message=f"{transition.scope.label} · {transition.message}")
        elif transition.job_id is None and key_of(transition.scope, "") != "" and transition.scope is not None:
            transition = replace(transition, message=f"{transition.scope.label} · {transition.message}")
        alert = _alert(transition, current)
        if alert is None:
            continue
        # SMS exports have neither job nor comparison: their text tells them apart.
        key = (alert.subject, alert.job_id, alert.subject_id, alert.message if alert.subject == "export" else "")
        earlier = chosen.get(key)
        if earlier is None or _RANK[alert.severity] > _RANK[earlier.severity]:
            chosen[key] = alert
    return list(chosen.values())


# Toasts one refresh may raise: a region coming back or the first readiness verdicts can bring
# dozens of alerts, and a stack of toasts would cover the jobs they are about.
MAX_ALERT_TOASTS = 3
NARROW_ALERT_TOASTS = 2  # under 100 columns a toast is half the width and several lines tall
_SUBJECT_ORDER = {"readiness": 0, "job": 1, "lag": 2}  # then comparisons, then exports


def toasts_for(alerts: Sequence[Alert], most: int = MAX_ALERT_TOASTS) -> tuple[list[Alert], int]:
    """The alerts to show as toasts, at most `most` with the count (the most severe, in their
    order; the most severe last, so `j` jumps to it) and how many more there are (said in one
    toast; all are in the events)."""
    if len(alerts) <= most:
        return list(alerts), 0
    keep = max(1, most - 1)

    def weight(i: int) -> tuple[int, int]:
        # The most severe first; on equal severity the verdict of the whole cutover, then a
        # job's go/no-go, then the rest.
        alert = alerts[i]
        whole_cutover = alert.subject == "readiness" and alert.job_id is None
        return _RANK[alert.severity], 1 if whole_cutover else -_SUBJECT_ORDER.get(alert.subject, len(_SUBJECT_ORDER))

    ranked = sorted(range(len(alerts)), key=weight, reverse=True)[:keep]
    return [alerts[i] for i in sorted(ranked, key=lambda i: (weight(i), -i))], len(alerts) - keep


def _alert(transition: Transition, current: Snapshot) -> Alert | None:
    kind = transition.kind
    job = current.job(transition.job_id) if transition.job_id else None
    name = transition.job_name or (job.name if job else None) or "?"
    if kind == changes.JOB_STATUS:
        if not JobStatusValue.parse(transition.new).is_failed:
            return None
        return Alert(transition.job_id, name, "job", transition.job_id, transition.old, transition.new or "",
                     "error", f"{name}: job is now {transition.new}", kind, transition.at)
    if kind == changes.COMPARISON_VERDICT:
        subject, detail = _comparison(job, transition.comparison_id)
        new = (transition.new or "").upper()
        text = f"{name}: {subject} is {new}"
        if detail and transition.new == "inconsistent":
            text += f" ({detail} differ)"
        return Alert(transition.job_id, name, subject, transition.comparison_id, transition.old,
                     transition.new or "", _SEVERITY.get(transition.severity, "warning"), text, kind,
                     transition.at)
    ended = CompareStatus.parse(transition.new)
    if kind == changes.COMPARISON_STATUS and ended.verified_nothing:
        subject, _ = _comparison(job, transition.comparison_id)
        severity: Severity = "error" if ended.is_error else "warning"  # cancelled: a warning
        return Alert(transition.job_id, name, subject, transition.comparison_id, transition.old,
                     transition.new, severity, f"{name}: {subject} {transition.old} → {transition.new}",
                     kind, transition.at)
    if kind in _EXPORT_KINDS:
        return Alert(transition.job_id, transition.job_name, "export", transition.comparison_id, transition.old, transition.new or "",
                     _SEVERITY.get(transition.severity, "information"), transition.message, kind,
                     transition.at)
    if kind in _READINESS_KINDS:
        # Readiness changes and lag crossings: the monitor already words them.
        subject = "lag" if kind == LAG_THRESHOLD else "readiness"
        subject_id = transition.job_id or "cutover"
        return Alert(transition.job_id, transition.job_name, subject, subject_id, transition.old,
                     transition.new or "", _SEVERITY.get(transition.severity, "information"),
                     transition.message, kind, transition.at)
    return None  # started, progress, counts, connection: the events view and header show them


def _comparison(job: JobView | None, compare_id: str | None) -> tuple[str, str]:
    """(how to name the comparison, what differs in it) from the Snapshot."""
    if job is None or compare_id is None:
        return f"comparison {short_id(compare_id)}", ""
    objects = job.object_comparison
    if objects is not None and objects.compare_job_id == compare_id:
        differing = [r.object_type for r in objects.rows if r.result is TypeResult.INCONSISTENT]
        return "object comparison", ", ".join(differing)
    for comparison in job.data_comparisons:
        if comparison.id == compare_id:
            differing = [t.key for t in comparison.tables if t.result is TypeResult.INCONSISTENT]
            detail = ", ".join(differing[:3]) + (f" +{len(differing) - 3}" if len(differing) > 3 else "")
            return f"{comparison.compare_type} comparison {short_id(comparison.id)}", detail
    for health in job.health_comparisons:
        if health.id == compare_id:
            return f"health comparison {short_id(health.id)}", ""
    return f"comparison {short_id(compare_id)}", ""
