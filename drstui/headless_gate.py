"""Which jobs a headless command looks at, and the exit status they earn.

Pure functions of a Snapshot: `drstui snapshot` (and the report) gate on them once, `drstui
watch` after every refresh. The exit statuses are documented in `drstui.headless`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from drstui.headless_format import readiness_of
from drstui.logs import redact
from drstui.monitor import classify
from drstui.monitor.readiness import GO_WORDS
from drstui.monitor.snapshot import JobView, LinkState, Readiness, Snapshot, Verdict
from drstui.text import short_id

EXIT_CONSISTENT = 0
EXIT_NOT_CONSISTENT = 1
EXIT_UNREACHABLE = 2  # also: bad arguments
EXIT_BAD_ARGS = 2
# --gate ready / --until ready
EXIT_READY, EXIT_NOT_READY, EXIT_CANNOT_TELL = 0, 1, 2


def selected_jobs(snapshot: Snapshot, job_ids: Sequence[str]) -> tuple[JobView, ...]:
    """The jobs asked for with --job (in that order), or every job. Unknown ids are skipped."""
    if not job_ids:
        return snapshot.jobs
    # Among several scopes one id may name a job in each: all of them are selected.
    return tuple(job for job_id in unique_ids(job_ids) for job in snapshot.jobs if job.id == job_id)


def snapshot_status(snapshot: Snapshot, jobs: Sequence[JobView]) -> int:
    """Exit status of `drstui snapshot` for the selected `jobs` of this Snapshot (any scope
    not reached: 2, its jobs cannot be vouched for)."""
    if snapshot.connection.state != LinkState.OK:
        return EXIT_UNREACHABLE
    if jobs and all(job.verdict == Verdict.CONSISTENT and not job.problems for job in jobs):
        return EXIT_CONSISTENT
    return EXIT_NOT_CONSISTENT


def ready_status(snapshot: Snapshot, jobs: Sequence[JobView]) -> int:
    """Exit status of `drstui snapshot --gate ready`: 0 ready, 1 not ready, 2 unable to tell."""
    if snapshot.connection.state != LinkState.OK:
        return EXIT_UNREACHABLE
    readiness = readiness_of(snapshot, jobs)
    if readiness is None or readiness.verdict is Readiness.UNKNOWN:
        return EXIT_CANNOT_TELL
    return EXIT_READY if readiness.verdict is Readiness.READY else EXIT_NOT_READY


def unknown_job_ids(snapshot: Snapshot, job_ids: Iterable[str]) -> list[str]:
    known = {job.id for job in snapshot.jobs}
    return [job_id for job_id in unique_ids(job_ids) if job_id not in known]


def reached(snapshot: Snapshot) -> bool:
    """Some data came in: the one scope answered, or at least one of several did."""
    if snapshot.scopes:
        return any(s.connection.state == LinkState.OK for s in snapshot.scopes)
    return snapshot.connection.state == LinkState.OK


def unreached_text(snapshot: Snapshot) -> str:
    """The scopes (or the one API) that did not answer, for the stderr line."""
    failing = [s for s in snapshot.scopes if s.connection.state != LinkState.OK]
    if not failing:
        return f"({snapshot.connection.state.value}): {snapshot.connection.reason or 'no answer'}"
    return "; ".join(f"{s.scope.label} ({s.connection.state.value}): {s.connection.reason or 'no answer'}"
                     for s in failing)


def still_running(job: JobView) -> list[str]:
    """The job's latest comparisons that are not finished, e.g. ["object dc1683d9 RUNNING"]."""
    running: list[str] = []
    obj = job.object_comparison
    if obj is not None and not obj.finished:
        running.append(f"object {short_id(obj.compare_job_id)} {obj.status}")
    seen: set[str] = set()
    for comparison in job.data_comparisons:  # newest first: the first of each type is the latest
        if comparison.compare_type in seen:
            continue
        seen.add(comparison.compare_type)
        if not comparison.finished:
            running.append(f"{comparison.compare_type} {short_id(comparison.id)} {comparison.status}")
    if job.health_comparisons:
        health = job.health_comparisons[0]
        if classify.status_verdict(health.status) == Verdict.RUNNING:
            running.append(f"health {short_id(health.id)} {health.status}")
    return running


def watch_outcome(jobs: Sequence[JobView]) -> tuple[int | None, str]:
    """(exit status, why) once decided; (None, what is awaited) while waiting."""
    if not jobs:
        return EXIT_NOT_CONSISTENT, "no jobs to watch"
    waiting = [job for job in jobs if still_running(job) or job.problems]
    waiting_ids = {job.id for job in waiting}
    finished_bad = [job for job in jobs if job.id not in waiting_ids and job.verdict != Verdict.CONSISTENT]
    if finished_bad:
        names = ", ".join(f"{job.name} {verdict_text(job.verdict)}" for job in finished_bad)
        return EXIT_NOT_CONSISTENT, f"not consistent: {names}"
    if not waiting:
        return EXIT_CONSISTENT, f"consistent: all {len(jobs)} selected job(s)"
    return None, "still waiting for " + "; ".join(_waiting_text(job) for job in waiting)


def ready_outcome(snapshot: Snapshot, jobs: Sequence[JobView]) -> tuple[int | None, str]:
    """(0, why) once the cutover set is ready; (None, what is missing) while it is not."""
    if not jobs:
        return EXIT_CANNOT_TELL, "no jobs to watch"
    readiness = readiness_of(snapshot, jobs)
    if readiness is None:
        return None, "no data yet"
    text = f"{GO_WORDS[readiness.verdict]}: {readiness.ready}/{readiness.total} ready"
    if readiness.verdict is Readiness.READY:
        return EXIT_READY, f"ready: {text}"
    return None, text + "".join(f"; {reason}" for reason in readiness.reasons)


def verdict_text(verdict: Verdict) -> str:
    return "(no comparison)" if verdict == Verdict.NONE else verdict.value


def _waiting_text(job: JobView) -> str:
    parts = still_running(job) + [redact(problem) for problem in job.problems]
    return f"{job.name} ({', '.join(parts)})"


def unique_ids(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
