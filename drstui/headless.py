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

This module holds the two commands; the job selection and exit statuses are in
`drstui.headless_gate`, the watch loop in `drstui.headless_watch`, the line writing in
`drstui.headless_output`, the table and the JSON document in `drstui.headless_format`.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Sequence
from typing import IO, Any

from drstui.headless_format import snapshot_document, snapshot_table, to_json, use_colour
from drstui.headless_gate import (
    EXIT_BAD_ARGS,
    EXIT_CANNOT_TELL,
    EXIT_CONSISTENT,
    EXIT_NOT_CONSISTENT,
    EXIT_NOT_READY,
    EXIT_READY,
    EXIT_UNREACHABLE,
    ready_status,
    reached,
    selected_jobs,
    snapshot_status,
    unique_ids,
    unknown_job_ids,
    unreached_text,
)
from drstui.headless_output import say, unknown_jobs_message, write
from drstui.headless_watch import watch_loop
from drstui.monitor.snapshot import JobView, LinkState
from drstui.monitor.source import MonitorError


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
            say(err, f"drstui: cannot reach the API {unreached_text(snapshot)}")
        else:
            say(err, unreachable_message(snapshot.connection.state, snapshot.connection.reason))
    if not reached(snapshot):
        if as_json:
            write(out, to_json(snapshot_document(snapshot, (), EXIT_UNREACHABLE)))
        return EXIT_UNREACHABLE
    unknown = unknown_job_ids(snapshot, job_ids)
    if unknown:
        say(err, unknown_jobs_message(snapshot, unknown, "snapshot"))
        return EXIT_BAD_ARGS
    jobs = selected_jobs(snapshot, job_ids)
    status = ready_status(snapshot, jobs) if gate == "ready" else snapshot_status(snapshot, jobs)
    if as_json:
        policies = await _policies(session.monitor, jobs)
        write(out, to_json(snapshot_document(snapshot, jobs, status, policies)))
    else:
        colour = use_colour(out) if colour is None else colour
        write(out, snapshot_table(snapshot, jobs, status, colour=colour, gate=gate))
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
                    say(sys.stderr, f"drstui: {cutover_log.last_error}")

    return asyncio.run(run())


def _cutover_ids(settings: Any, args: Any) -> list[str]:
    """--job, else the profile's cutover_jobs, else nothing (every job)."""
    return unique_ids(getattr(args, "job_ids", None) or getattr(settings, "cutover_jobs", None) or [])


__all__ = [
    "EXIT_BAD_ARGS", "EXIT_CANNOT_TELL", "EXIT_CONSISTENT", "EXIT_NOT_CONSISTENT", "EXIT_NOT_READY",
    "EXIT_READY", "EXIT_UNREACHABLE", "run_snapshot", "selected_jobs", "snapshot_command",
    "snapshot_status", "unreachable_message", "watch_command", "watch_loop",
]
