"""Headless commands for scripts, cron jobs and CI gates: `drstui snapshot` and `drstui watch`.

Both use the same stack as the app (`drstui.wiring.open_session`): `--demo` runs them on the
embedded simulator, a profile runs them against the cloud. Nothing here draws a UI.

drstui snapshot [--json] [--gate consistent|ready] [--job ID ...]
-----------------------------------------------------------------
One refresh, printed as a table for people or, with `--json`, as the document below; then exit.

With `--gate ready` the exit status is the cutover readiness of the selected jobs (the cutover
set: `--job`, else `cutover_jobs` of the profile, else every job; see drstui.monitor.readiness):
0 ready, 1 not ready, 2 unable to tell (data missing or stale, the API unreachable, bad
arguments). One refresh cannot watch the lag for `stable_for`: unless `--stable-for 0`, a lag
that is under the threshold is "not watched long enough" (2); `watch --until ready` watches it.

Exit status (the same for the table and for JSON):

    0  every selected job's comparisons finished consistent
    1  anything else: a comparison is inconsistent or failed, still running, a job has no
       comparison at all, a result could not be classified, or part of a job could not be read
       ("not consistent yet" is not consistent: a gate must not pass on it). No jobs at all is 1.
    2  the API could not be reached or refused the credentials (connection not "ok" after the
       refresh), or bad arguments: an unknown `--job` id, a bad flag. One line on stderr says why.

Without `--job` every job in the project is selected, including jobs that cannot be compared
(e.g. a failed or full-only job has no comparison, so it keeps the status at 1): select the jobs
that matter for the cutover with `--job`.

JSON schema, version 1 (`--json`). Keys are never removed or renamed within a version; new keys
may be added. Times are UTC ISO 8601 strings (`2025-01-15T08:30:00Z`) or null. Counts are
integers or null when the API did not say.

    {
      "schema_version": 1,
      "taken_at": "2025-01-15T08:30:00Z",     # when the data was fetched; null: never
      "profile": "prod", "region": "cn-north-4", "project_id": "054b...",
      "connection": {"state": "ok",            # ok | retrying | stale | auth-failed | connecting
                     "reason": null,           # one line, secrets removed, when not ok
                     "since": null},           # when the current non-ok state began
      "exit_status": 1,                        # the process exit status (see above)
      "readiness": null | {"verdict": "not_ready",   # ready | not_ready | unknown (the set)
                           "reasons": ["DRS-orders-sync: lag 42 s > 5 s for 3 min"]},
      "summary": {"jobs": 6, "consistent": 0, "inconsistent": 2, "failed": 1, "running": 1,
                  "none": 2, "unknown": 0,     # jobs per verdict; they add up to "jobs"
                  "with_problems": 0,          # jobs where part of the refresh failed
                  "ready": 0},                 # jobs whose readiness is "ready"
      "jobs": [{
        "id": "9480...jb502", "name": "DRS-orders-sync",
        "status": "INCRE_TRANSFER_STARTED",    # DRS job status, as the API says it
        "engine_type": "mysql-to-mysql", "job_type": "sync",
        "verdict": "inconsistent",             # consistent | inconsistent | failed | running
                                               # | none (no comparison) | unknown
                                               # roll-up: failed > inconsistent > running
                                               #          > unknown > consistent > none
        "object_comparison": null | {          # the latest object-level comparison
          "compare_job_id": "dc16...", "status": "SUCCESSFUL", "verdict": "inconsistent",
          "create_time": "...", "start_time": "...", "error": null,
          "export": null | {"status": "EXPORT_COMPLETE",  # the API's export_status: INIT
                            "remain_seconds": 245},     # (never exported), EXPORTING,
                                                        # EXPORT_COMPLETE, EXPORT_COMMON_FAILED;
                                                        # seconds the report can still be fetched
          "types": [{"type": "INDEX", "source_count": 32, "target_count": 23,
                     "difference": 9,           # source_count - target_count
                     "result": "inconsistent"}] # consistent | inconsistent | incomplete | unknown
        },
        "data_comparisons": [{                 # row (lines) / value (contents) / random
          "id": "08ca...", "type": "lines", "status": "SUCCESSFUL", "verdict": "inconsistent",
          "start_time": "...", "end_time": "...", "progress": null,  # percent while running
          "export": null | {"status": "...", "remain_seconds": 245},
          "tables_total": 13, "tables_inconsistent": 3,
          "live": null | {"full_percent": 42.0, "incremental_delay": 2.0,  # running only:
                          "recheck_rows": 3},  # v5 compare progress (rows re-checked: lag?)
          "tables": [{"source_db": "orders", "source_table": "order_items",
                      "target_db": "orders", "target_table": "order_items",
                      "source_rows": 1200, "target_rows": 1198, "diff_rows": 2,
                      "status_code": 0, "status": "...", "result": "inconsistent"}]
        }],                                    # newest first; inconsistent tables first
        "health_comparisons": [{"id": "...", "types": ["object_comparison"],
                                "status": "SUCCESSFUL", "start_time": "...", "end_time": "..."}],
        "problems": ["object compare: HTTP 500 ..."],  # parts that could not be read
        "parent_id": null, "children": [],     # multi-task jobs: a child names its parent,
                                               # a parent lists its children's ids
        "compare_policy": null | {"error": "..."} | {  # scheduled comparisons (v5), read once
          "status": "OPEN", "period": "* * 1,3,5", "weekdays": [1, 3, 5],  # 1 = Monday
          "begin_time": "22:00:00", "end_time": "23:59:59",  # UTC
          "compare_type": ["lines"], "interval_hour": null, "conflict_strategy": null,
          "next_compare_time": "..."},
        "readiness": null | {"verdict": "not_ready", "reasons": ["target link down"]},
        "replication": {"lag_ms": 42000, "source_lag_ms": 1000, "target_lag_ms": 41000,
                        "progress_percent": 100.0, "remaining_seconds": 0,
                        "source_ok": true, "target_ok": false,   # link health
                        "updated_at": "...",    # when DRS last updated the figures
                        "rpo_seconds": null, "rto_seconds": null}  # null where unknown
      }]
    }

When the API cannot be reached, `--json` still prints the document (with "jobs": [] and the
connection state) and the status is 2; an unknown `--job` id prints nothing on stdout.

drstui watch --until consistent|ready [--timeout 30m] [--job ID ...]
--------------------------------------------------------------------
`--until ready` waits until the cutover set is ready (limits: --max-lag, --stable-for,
--max-compare-age): 0 once it is; on timeout 1 if it is not ready, 2 if nobody can tell.

Refreshes every `refresh` seconds (backing off while the API fails, like the app) and prints
one line per transition (`drstui.monitor.changes`), e.g.

    2025-01-15T08:31:00Z DRS-orders-sync: object comparison dc1683d9 RUNNING → SUCCESSFUL

It first prints one line per selected job with its current state. A job is *finished* when
none of its latest comparisons (object, each data type, health) is still running and its
refresh had no problems; its verdict is then final. Exit status:

    0  every selected job finished consistent
    1  a selected job finished not consistent (inconsistent, failed, no comparison, unknown),
       or the timeout passed while the API answered ("timed out" line says what is still
       running)
    2  credentials refused; the timeout passed while the API was unreachable; or bad
       arguments (unknown `--job` id). While the API is merely unreachable, watch keeps
       retrying and prints a line when the connection state changes.

Every transition is also appended to the cutover log (`drstui.monitor.cutover_log`), the same
JSON-lines file the app writes, so a watch run from cron leaves the same record.

Output is plain text, never coloured unless stdout is a terminal (and NO_COLOR is unset);
error text is passed through `drstui.logs.redact`.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable, Iterable, Sequence
from datetime import datetime, timedelta
from typing import IO, Any

from drstui.headless_format import (
    iso,
    readiness_of,
    snapshot_document,
    snapshot_table,
    to_json,
    use_colour,
)
from drstui.logs import redact
from drstui.monitor import classify
from drstui.monitor.poller import utc_now
from drstui.monitor.readiness import GO_WORDS
from drstui.monitor.snapshot import JobView, LinkState, Readiness, Snapshot, Verdict
from drstui.monitor.source import MonitorError
from drstui.text import short_id, visible

EXIT_CONSISTENT = 0
EXIT_NOT_CONSISTENT = 1
EXIT_UNREACHABLE = 2  # also: bad arguments
EXIT_BAD_ARGS = 2
# --gate ready / --until ready
EXIT_READY, EXIT_NOT_READY, EXIT_CANNOT_TELL = 0, 1, 2


# -- the gate ---------------------------------------------------------------------------------
def selected_jobs(snapshot: Snapshot, job_ids: Sequence[str]) -> tuple[JobView, ...]:
    """The jobs asked for with --job (in that order), or every job. Unknown ids are skipped."""
    if not job_ids:
        return snapshot.jobs
    # Among several scopes one id may name a job in each: all of them are selected.
    return tuple(job for job_id in _unique(job_ids) for job in snapshot.jobs if job.id == job_id)


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
    return [job_id for job_id in _unique(job_ids) if job_id not in known]


def reached(snapshot: Snapshot) -> bool:
    """Some data came in: the one scope answered, or at least one of several did."""
    if snapshot.scopes:
        return any(s.connection.state == LinkState.OK for s in snapshot.scopes)
    return snapshot.connection.state == LinkState.OK


def _unreached(snapshot: Snapshot) -> str:
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
        names = ", ".join(f"{job.name} {_verdict_text(job.verdict)}" for job in finished_bad)
        return EXIT_NOT_CONSISTENT, f"not consistent: {names}"
    if not waiting:
        return EXIT_CONSISTENT, f"consistent: all {len(jobs)} selected job(s)"
    return None, "still waiting for " + "; ".join(_waiting_text(job) for job in waiting)


def _verdict_text(verdict: Verdict) -> str:
    return "(no comparison)" if verdict == Verdict.NONE else verdict.value


def _waiting_text(job: JobView) -> str:
    parts = still_running(job) + [redact(problem) for problem in job.problems]
    return f"{job.name} ({', '.join(parts)})"


# -- drstui snapshot --------------------------------------------------------------------------
def snapshot_command(settings: Any, args: Any) -> int:
    """`drstui snapshot`: called by drstui.cli with resolved Settings and the parsed flags."""
    from drstui.wiring import open_headless

    job_ids = _cutover_ids(settings, args)

    async def run() -> int:
        session = open_headless(settings, job_ids=job_ids or None)
        try:
            return await run_snapshot(session, job_ids=job_ids, as_json=bool(args.json),
                                      gate=getattr(args, "gate", "consistent"))
        finally:
            await session.aclose()

    return asyncio.run(run())


def unreachable_message(state: LinkState, reason: str | None) -> str:
    """Why there is no snapshot, in words (no internal state names): the API refused the
    credentials (it was reached), or it could not be reached."""
    if state == LinkState.AUTH_FAILED:
        return (f"drstui: the API refused the credentials: {reason or 'no reason given'} "
                "(fix them, then run again)")
    return f"drstui: cannot reach the API: {reason or 'no answer'}"


async def run_snapshot(
    session: Any,
    *,
    job_ids: Sequence[str] = (),
    as_json: bool = False,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
    colour: bool | None = None,
    gate: str = "consistent",
) -> int:
    """One refresh of `session.monitor`, printed to `out`; returns the exit status (of the
    consistency gate, or with gate="ready" of the readiness gate)."""
    out = out or sys.stdout
    err = err or sys.stderr
    snapshot = await session.monitor.refresh()
    if snapshot.connection.state != LinkState.OK:
        if snapshot.scopes:
            _say(err, f"drstui: cannot reach the API {_unreached(snapshot)}")
        else:
            _say(err, unreachable_message(snapshot.connection.state, snapshot.connection.reason))
    if not reached(snapshot):
        if as_json:
            _write(out, to_json(snapshot_document(snapshot, (), EXIT_UNREACHABLE)))
        return EXIT_UNREACHABLE
    unknown = unknown_job_ids(snapshot, job_ids)
    if unknown:
        _say(err, _unknown_jobs_message(snapshot, unknown, "snapshot"))
        return EXIT_BAD_ARGS
    jobs = selected_jobs(snapshot, job_ids)
    status = ready_status(snapshot, jobs) if gate == "ready" else snapshot_status(snapshot, jobs)
    if as_json:
        policies = await _policies(session.monitor, jobs)
        _write(out, to_json(snapshot_document(snapshot, jobs, status, policies)))
    else:
        colour = use_colour(out) if colour is None else colour
        _write(out, snapshot_table(snapshot, jobs, status, colour=colour, gate=gate))
    return status


async def _policies(monitor: Any, jobs: Sequence[JobView]) -> dict[str, Any]:
    """Each job's compare policy (or why it was not read); parents have none of their own."""
    reader = getattr(monitor, "compare_policies", None)
    if reader is None:
        return {}
    wanted = [job for job in jobs if not job.is_parent]

    async def one(job: JobView) -> Any:
        try:
            return await reader.policy(job.id)
        except MonitorError as error:
            return str(error)

    return dict(zip((job.id for job in wanted), await asyncio.gather(*(one(job) for job in wanted))))


# -- drstui watch -----------------------------------------------------------------------------
def watch_command(settings: Any, args: Any) -> int:
    """`drstui watch`: called by drstui.cli with resolved Settings and the parsed flags."""
    from drstui.wiring import cutover_log_for, open_headless

    job_ids = _cutover_ids(settings, args)

    async def run() -> int:
        with cutover_log_for(settings) as cutover_log:
            session = open_headless(settings, job_ids=job_ids or None, cutover_log=cutover_log)
            try:
                return await watch_loop(session, args.until, args.watch_timeout, job_ids=job_ids)
            finally:
                await session.aclose()
                if cutover_log.last_error:
                    _say(sys.stderr, f"drstui: {cutover_log.last_error}")

    return asyncio.run(run())


async def watch_loop(
    session: Any,
    until: str = "consistent",
    timeout: float | None = None,
    *,
    job_ids: Sequence[str] = (),
    sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    now: Callable[[], datetime] = utc_now,
    out: IO[str] | None = None,
    err: IO[str] | None = None,
) -> int:
    """Refresh `session.monitor` until the selected jobs are decided; returns the exit status.

    `sleep` and `now` are injectable so tests drive time (advance a simulator clock inside the
    fake sleep). Transition lines come from `monitor.last_transitions`; the monitor itself
    appends them to its cutover log, if it has one.
    """
    if until not in ("consistent", "ready"):
        raise ValueError(f"unknown --until condition: {until!r}")
    out = out or sys.stdout
    err = err or sys.stderr
    monitor = session.monitor
    started = now()
    deadline = started + timedelta(seconds=timeout) if timeout else None
    log = getattr(monitor, "cutover_log", None)
    where = f"; cutover log {log.path_for(started)}" if log is not None and hasattr(log, "path_for") else ""
    _line(out, started, f"watching {_selection(job_ids)} until {until} "
                        f"({'timeout ' + _duration(timeout) if timeout else 'no timeout'}){where}")
    baseline_told = False
    while True:
        snapshot = await monitor.refresh()
        for transition in monitor.last_transitions:
            if not job_ids or transition.job_id is None or transition.job_id in job_ids:
                _line(out, transition.at, transition.message)
        state = snapshot.connection.state
        if state == LinkState.AUTH_FAILED:
            _line(out, now(), f"giving up: {snapshot.connection.reason or 'credentials refused'}")
            return EXIT_UNREACHABLE
        if state == LinkState.OK:
            if not baseline_told:
                unknown = unknown_job_ids(snapshot, job_ids)
                if unknown:
                    _say(err, _unknown_jobs_message(snapshot, unknown, "watch"))
                    return EXIT_BAD_ARGS
                for job in selected_jobs(snapshot, job_ids):
                    text = _ready_text(job) if until == "ready" else _baseline_text(job)
                    _line(out, snapshot.taken_at or now(), text)
                baseline_told = True
            jobs = selected_jobs(snapshot, job_ids)
            status, why = ready_outcome(snapshot, jobs) if until == "ready" else watch_outcome(jobs)
            if status is not None:
                _line(out, now(), why)
                return status
        if deadline is not None and now() >= deadline:
            if state == LinkState.OK and until == "ready":
                jobs = selected_jobs(snapshot, job_ids)
                readiness = readiness_of(snapshot, jobs)
                _line(out, now(), f"timed out after {_duration(timeout)}: {ready_outcome(snapshot, jobs)[1]}")
                told = readiness is not None and readiness.verdict is Readiness.NOT_READY
                return EXIT_NOT_READY if told else EXIT_CANNOT_TELL
            if state == LinkState.OK:
                why = watch_outcome(selected_jobs(snapshot, job_ids))[1]
                _line(out, now(), f"timed out after {_duration(timeout)}: {why}")
                return EXIT_NOT_CONSISTENT
            reason = snapshot.connection.reason or "no answer"
            _line(out, now(), f"timed out after {_duration(timeout)} while the API is "
                              f"unreachable: {reason}")
            return EXIT_UNREACHABLE
        delay = monitor.next_delay()
        if deadline is not None:
            delay = min(delay, (deadline - now()).total_seconds())
        await sleep(max(delay, 0.0))


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


def _ready_text(job: JobView) -> str:
    if job.readiness is None:
        return f"{job.name}: readiness not known"
    reasons = "".join(f"; {reason}" for reason in job.readiness.reasons)
    return f"{job.name}: {GO_WORDS[job.readiness.verdict]}{reasons}"


def _cutover_ids(settings: Any, args: Any) -> list[str]:
    """--job, else the profile's cutover_jobs, else nothing (every job)."""
    return _unique(getattr(args, "job_ids", None) or getattr(settings, "cutover_jobs", None) or [])


def _baseline_text(job: JobView) -> str:
    running = still_running(job)
    text = f"{job.name}: {_verdict_text(job.verdict)}"
    if running:
        text += f" ({', '.join(running)})"
    if job.problems:
        text += f", problems: {'; '.join(job.problems)}"
    return text


def _selection(job_ids: Sequence[str]) -> str:
    if not job_ids:
        return "all jobs"
    return f"{len(job_ids)} job(s)"


# -- output helpers ---------------------------------------------------------------------------
def _unknown_jobs_message(snapshot: Snapshot, unknown: Sequence[str], command: str) -> str:
    where = f"project {snapshot.project_id} ({snapshot.region})" if snapshot.project_id else snapshot.region
    return (f"drstui {command}: unknown job id{'s' if len(unknown) > 1 else ''} "
            f"{', '.join(unknown)}: no such DRS job in {where} "
            f"(run 'drstui snapshot' without --job to list the jobs)")


def _line(out: IO[str], at: datetime, text: str) -> None:
    _say(out, f"{iso(at)} {text}")


def _say(out: IO[str], text: str) -> None:
    _write(out, visible(redact(text)) + "\n")  # one line each: names cannot add lines or escapes
    try:
        out.flush()  # a cron log or a pipe sees each line as it happens
    except (OSError, ValueError):
        pass


def _write(out: IO[str], text: str) -> None:
    """Write `text`, falling back to ASCII arrows where the stream cannot encode it."""
    encoding = getattr(out, "encoding", None)
    if encoding:
        try:
            text.encode(encoding)
        except UnicodeEncodeError:
            text = text.replace("→", "->").replace("…", "...")
            text = text.encode(encoding, "replace").decode(encoding)
        except LookupError:
            pass
    out.write(text)


def _duration(seconds: float | None) -> str:
    if not seconds:
        return "0s"
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    text = (f"{hours}h" if hours else "") + (f"{minutes}m" if minutes else "") + (f"{secs}s" if secs else "")
    return text or "0s"


def _unique(items: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(items))
