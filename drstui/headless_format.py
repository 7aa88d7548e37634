"""Rendering for the headless commands: a Snapshot as JSON (schema v1) or as a plain table.

Pure functions from `drstui.monitor.snapshot` objects to text; no I/O, no API. The JSON schema
is documented in `drstui.headless` (the module the integrator copies into the README).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone
from typing import IO, Any

from drstui.logs import redact
from drstui.text import json_dumps, short_id, visible_tree
from drstui.monitor.readiness import GO_WORDS, cutover_readiness, lag_text
from drstui.monitor.scope import Scope
from drstui.monitor.snapshot import (
    CutoverReadiness,
    DataComparison,
    HealthComparison,
    JobView,
    ObjectComparison,
    ObjectTypeRow,
    Readiness,
    ReadinessVerdict,
    Replication,
    ScopeState,
    Snapshot,
    TableRow,
    TypeResult,
    Verdict,
)

SCHEMA_VERSION = 1

# Summary keys, in the order they are printed. Every job counts under exactly one verdict.
SUMMARY_VERDICTS = (
    Verdict.CONSISTENT,
    Verdict.INCONSISTENT,
    Verdict.FAILED,
    Verdict.RUNNING,
    Verdict.NONE,
    Verdict.UNKNOWN,
)

# Room for a continuation line's text (after the 2 + 10 columns of indent), for 80 columns.
_DETAIL_WIDTH = 66


# -- shared helpers ---------------------------------------------------------------------------
def iso(at: datetime | None) -> str | None:
    """`2025-01-15T08:30:00Z` (UTC, seconds), or None."""
    if at is None:
        return None
    if at.tzinfo is None:
        at = at.replace(tzinfo=timezone.utc)
    return at.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _clean(text: str | None) -> str | None:
    return None if text is None else redact(text)


def summary(jobs: Sequence[JobView]) -> dict[str, int]:
    counts = {"jobs": len(jobs)}
    counts.update({verdict.value: 0 for verdict in SUMMARY_VERDICTS})
    for job in jobs:
        counts[job.verdict.value] = counts.get(job.verdict.value, 0) + 1
    counts["with_problems"] = sum(1 for job in jobs if job.problems)
    counts["ready"] = sum(1 for job in jobs if job.readiness is not None
                          and job.readiness.verdict is Readiness.READY)
    return counts


def readiness_of(snapshot: Snapshot, jobs: Sequence[JobView]) -> CutoverReadiness | None:
    """The verdict of the selected jobs (the cutover set); None before any data."""
    if snapshot.taken_at is None:
        return None
    return cutover_readiness(jobs, None)


# -- JSON -------------------------------------------------------------------------------------
def snapshot_document(snapshot: Snapshot, jobs: Sequence[JobView], exit_status: int,
                      policies: dict[str, Any] | None = None) -> dict[str, Any]:
    """The JSON document of `drstui snapshot --json` (schema v1, see drstui.headless).
    `policies`: job id -> compare policy (an api ComparePolicy, or an error message) where read."""
    connection = snapshot.connection
    return {
        "schema_version": SCHEMA_VERSION,
        "taken_at": iso(snapshot.taken_at),
        "profile": snapshot.profile,
        "region": snapshot.region,
        "project_id": snapshot.project_id,
        "connection": {
            "state": connection.state.value,
            "reason": _clean(connection.reason),
            "since": iso(connection.since),
        },
        "exit_status": exit_status,
        "readiness": _readiness(readiness_of(snapshot, jobs)),
        "summary": summary(jobs),
        "jobs": [_job(job, job.scope or snapshot.scope, (policies or {}).get(job.id)) for job in jobs],
        # Every scope watched (one without --profile repeated or a view), each on its own.
        "scopes": _scopes(snapshot),
    }


def _scopes(snapshot: Snapshot) -> list[dict[str, Any]]:
    states = snapshot.scopes or (ScopeState(snapshot.scope, snapshot.connection, snapshot.taken_at,
                                            len(snapshot.jobs)),)
    return [{
        **state.scope.as_dict(),
        "connection": {
            "state": state.connection.state.value,
            "reason": _clean(state.connection.reason),
            "since": iso(state.connection.since),
        },
        "taken_at": iso(state.taken_at),
    } for state in states]


def to_json(document: dict[str, Any]) -> str:
    # Faithful, but a terminal showing it obeys no escape, 8-bit CSI or bidi override in a name.
    return json_dumps(document, indent=2) + "\n"


def _job(job: JobView, scope: Scope, policy: Any = None) -> dict[str, Any]:
    return {
        "id": job.id,
        "scope": scope.as_dict(),  # (scope, id) names the job: one id may be in two projects
        "name": job.name,
        "status": job.status,
        "engine_type": job.engine_type,
        "job_type": job.job_type,
        "verdict": job.verdict.value,
        "object_comparison": _object(job.object_comparison),
        "data_comparisons": [_data(comparison) for comparison in job.data_comparisons],
        "health_comparisons": [_health(comparison) for comparison in job.health_comparisons],
        "problems": [redact(problem) for problem in job.problems],
        "parent_id": job.parent_id,
        "children": list(job.child_ids),
        "compare_policy": _policy(policy),
        "readiness": _readiness(job.readiness),
        "replication": _replication(job.replication),
    }


def _policy(policy: Any) -> dict[str, Any] | None:
    """The scheduled comparisons of a job (v5 compare-policy), or why they were not read."""
    if policy is None:
        return None
    if isinstance(policy, str):
        return {"error": redact(policy)}
    return {
        "status": policy.status, "period": policy.period, "weekdays": list(policy.weekdays),
        "begin_time": policy.begin_time, "end_time": policy.end_time,
        "compare_type": list(policy.compare_type), "interval_hour": policy.interval_hour,
        "conflict_strategy": policy.conflict_strategy, "next_compare_time": iso(policy.next_compare_time),
    }


def _live(comparison: DataComparison) -> dict[str, Any] | None:
    live = comparison.live
    if live is None:
        return None
    return {"full_percent": live.full_percent, "incremental_delay": live.incremental_delay,
            "recheck_rows": live.recheck_rows}


def _readiness(readiness: ReadinessVerdict | None) -> dict[str, Any] | None:
    if readiness is None:
        return None
    return {"verdict": readiness.verdict.value, "reasons": [redact(r) for r in readiness.reasons]}


def _replication(rep: Replication | None) -> dict[str, Any]:
    """Replication figures (lags in ms, times in s); null where unknown."""
    rep = rep or Replication()
    return {
        "lag_ms": _int_or_none(rep.lag_ms),
        "source_lag_ms": _int_or_none(rep.source_lag_ms),
        "target_lag_ms": _int_or_none(rep.target_lag_ms),
        "progress_percent": rep.progress_percent,
        "remaining_seconds": _int_or_none(rep.remaining_seconds),
        "source_ok": rep.source_ok,
        "target_ok": rep.target_ok,
        "updated_at": iso(rep.updated_at),
        "rpo_seconds": _int_or_none(rep.rpo_seconds),
        "rto_seconds": _int_or_none(rep.rto_seconds),
    }


def _int_or_none(value: float | None) -> int | None:
    return None if value is None else int(round(value))


def _export(status: str | None, remain: int | None) -> dict[str, Any] | None:
    if not status:
        return None
    return {"status": status, "remain_seconds": remain if remain is not None and remain >= 0 else None}


def _object(comparison: ObjectComparison | None) -> dict[str, Any] | None:
    if comparison is None:
        return None
    return {
        "compare_job_id": comparison.compare_job_id,
        "status": comparison.status,
        "verdict": comparison.verdict.value,
        "create_time": iso(comparison.create_time),
        "start_time": iso(comparison.start_time),
        "error": _clean(comparison.error_msg),
        "export": _export(comparison.export_status, comparison.report_remain_seconds),
        "types": [_type(row) for row in comparison.rows],
    }


def _type(row: ObjectTypeRow) -> dict[str, Any]:
    return {
        "type": row.object_type,
        "source_count": row.source_count,
        "target_count": row.target_count,
        "difference": row.difference,
        "result": row.result.value,
    }


def _data(comparison: DataComparison) -> dict[str, Any]:
    return {
        "id": comparison.id,
        "type": comparison.compare_type,
        "status": comparison.status,
        "verdict": comparison.verdict.value,
        "start_time": iso(comparison.start_time),
        "end_time": iso(comparison.end_time),
        "progress": comparison.progress,
        "export": _export(comparison.export_status, comparison.report_remain_seconds),
        "tables_total": len(comparison.tables),
        "tables_inconsistent": _inconsistent_tables(comparison),
        "tables": [_table(table) for table in comparison.tables],
        "live": _live(comparison),
    }


def _table(table: TableRow) -> dict[str, Any]:
    return {
        "source_db": table.source_db,
        "source_table": table.source_table,
        "target_db": table.target_db,
        "target_table": table.target_table,
        "source_rows": table.source_rows,
        "target_rows": table.target_rows,
        "diff_rows": table.diff_rows,
        "status_code": table.status_code,
        "status": table.status_text,
        "result": table.result.value,
    }


def _health(comparison: HealthComparison) -> dict[str, Any]:
    return {
        "id": comparison.id,
        "types": list(comparison.types),
        "status": comparison.status,
        "start_time": iso(comparison.start_time),
        "end_time": iso(comparison.end_time),
    }


def _inconsistent_tables(comparison: DataComparison) -> int:
    return sum(1 for table in comparison.tables if table.result == TypeResult.INCONSISTENT)


# -- the table for people ---------------------------------------------------------------------
_COLOURS = {
    Verdict.CONSISTENT: "32",  # green
    Verdict.INCONSISTENT: "33",  # yellow
    Verdict.FAILED: "31",  # red
    Verdict.RUNNING: "36",  # cyan
    Verdict.NONE: "2",  # dim
    Verdict.UNKNOWN: "35",  # magenta
}


def use_colour(out: IO[str], environ: dict[str, str] | None = None) -> bool:
    """Colour only on a terminal, and never with NO_COLOR set or TERM=dumb."""
    environ = os.environ if environ is None else environ  # type: ignore[assignment]
    if "NO_COLOR" in environ or environ.get("TERM") == "dumb":
        return False
    isatty = getattr(out, "isatty", None)
    return bool(isatty and isatty())


class _Painter:
    def __init__(self, colour: bool) -> None:
        self.colour = colour

    def verdict(self, verdict: Verdict, width: int = 0) -> str:
        text = verdict.value.ljust(width)
        if not self.colour:
            return text
        return f"\x1b[{_COLOURS.get(verdict, '0')}m{text}\x1b[0m"


def snapshot_table(
    snapshot: Snapshot, jobs: Sequence[JobView], exit_status: int, *, colour: bool = False,
    gate: str = "consistent",
) -> str:
    """`drstui snapshot` without --json: a header, one block per job, a summary line.

    Names and messages are the API's: their terminal controls are made visible first (our own
    colours are added afterwards)."""
    snapshot, jobs = visible_tree((snapshot, tuple(jobs)))
    paint = _Painter(colour)
    connection = snapshot.connection
    where = f"profile {snapshot.profile}  region {snapshot.region}  project {snapshot.project_id}"
    if len(snapshot.scopes) > 1:  # a view of several: each scope's region and project
        where = f"view {snapshot.profile}  " + "  ".join(
            f"{s.scope.label} ({s.scope.region}, project {s.scope.project_id})" for s in snapshot.scopes)
    lines = [
        where,
        f"taken {iso(snapshot.taken_at) or 'never'}  connection {connection.state.value}"
        + (f": {redact(connection.reason)}" if connection.reason else ""),
        "",
    ]
    if jobs:
        lines.append(f"{'JOB':<32} {'STATUS':<24} VERDICT")
    for job in jobs:
        lines.append(f"{_cut(job.name, 32):<32} {_cut(job.status, 24):<24} {paint.verdict(job.verdict)}")
        lines.extend("  " + line for line in _job_details(job, paint))
    if jobs:
        lines.append("")
    readiness = readiness_of(snapshot, jobs)
    if readiness is not None:
        lines.append(_cut(f"readiness {GO_WORDS[readiness.verdict]}: {readiness.ready}/{readiness.total} "
                          f"ready" + "".join(f"; {reason}" for reason in readiness.reasons), 80))
    lines.append(summary_line(jobs, exit_status, gate))
    return "\n".join(lines) + "\n"


def summary_line(jobs: Sequence[JobView], exit_status: int, gate: str = "consistent") -> str:
    counts = summary(jobs)
    parts = [f"{counts[v.value]} {v.value}" for v in SUMMARY_VERDICTS if counts[v.value] or v in (
        Verdict.CONSISTENT, Verdict.INCONSISTENT, Verdict.FAILED, Verdict.RUNNING)]
    if counts["with_problems"]:
        parts.append(f"{counts['with_problems']} with problems")
    jobs_text = f"{counts['jobs']} job{'' if counts['jobs'] == 1 else 's'}"
    meaning = READY_EXIT_MEANING if gate == "ready" else EXIT_MEANING
    return f"{jobs_text}: {', '.join(parts)}\nexit {exit_status}: {meaning[exit_status]}"


EXIT_MEANING = {
    0: "all consistent",
    1: "not all consistent",
    2: "API unreachable or bad arguments",
}
READY_EXIT_MEANING = {
    0: "ready for cutover",
    1: "not ready",
    2: "unable to tell (data missing or stale, API unreachable or bad arguments)",
}


def _job_details(job: JobView, paint: _Painter) -> Iterable[str]:
    yield f"{'id':<9} {job.id}"
    obj = job.object_comparison
    if obj is not None:
        yield f"{'objects':<9} {short_id(obj.compare_job_id)} {obj.status:<19} {paint.verdict(obj.verdict)}"
        yield from _detail(_type_differences(obj))
        if obj.error_msg:
            yield f"{'':<9} error: {redact(obj.error_msg)}"  # in full: it says what to do
    seen: set[str] = set()
    for comparison in job.data_comparisons:  # newest first: the latest of each type
        if comparison.compare_type in seen:
            continue
        seen.add(comparison.compare_type)
        yield f"{_cut(comparison.compare_type, 9):<9} {short_id(comparison.id)} {comparison.status:<19} " \
              f"{paint.verdict(comparison.verdict)}"
        yield from _detail(_table_differences(comparison))
    if job.health_comparisons:
        health = job.health_comparisons[0]
        yield f"{'health':<9} {short_id(health.id)} {health.status:<19} {','.join(health.types)}"
    exports = list(_exports(job))
    if exports:
        yield f"{'exports':<9} {'; '.join(exports)}"
    for problem in job.problems:
        yield f"{'problem':<9} {redact(problem)}"
    if job.readiness is not None:
        word = GO_WORDS[job.readiness.verdict]
        yield from _detail_line("ready", f"{word}" + "".join(f"; {r}" for r in job.readiness.reasons))
    rep = job.replication
    if rep is not None and (rep.lag_ms is not None or rep.stale):
        links = {True: "up", False: "DOWN", None: "?"}
        text = (f"{lag_text(rep.lag_ms)}{' (stale)' if rep.stale else ''} (source "
                f"{lag_text(rep.source_lag_ms)}, target {lag_text(rep.target_lag_ms)}), links source "
                f"{links[rep.source_ok]} / target {links[rep.target_ok]}")
        yield from _detail_line("lag", text)


def _detail_line(label: str, text: str) -> Iterable[str]:
    yield f"{label:<9} {_cut(text, _DETAIL_WIDTH + 2)}"


def _detail(text: str) -> Iterable[str]:
    """A continuation line under a comparison, kept within 80 columns."""
    if text:
        yield f"{'':<9} {_cut(text, _DETAIL_WIDTH)}"


def _type_differences(comparison: ObjectComparison) -> str:
    differing = [row for row in comparison.rows if row.result == TypeResult.INCONSISTENT]
    if not differing:
        if not comparison.rows:
            return ""
        incomplete = sum(1 for row in comparison.rows if row.result == TypeResult.INCOMPLETE)
        done = len(comparison.rows) - incomplete
        return f"{done}/{len(comparison.rows)} types compared" if incomplete else \
            f"{len(comparison.rows)} types, none differ"
    head = "differ (source/target): "
    return head + _named(
        [f"{row.object_type} {_count(row.source_count)}/{_count(row.target_count)}" for row in differing],
        _DETAIL_WIDTH - len(head))


def _table_differences(comparison: DataComparison) -> str:
    done = f"{comparison.progress:.0f}% done, " if comparison.progress is not None and not comparison.finished else ""
    if not comparison.tables:
        return done.rstrip(", ")
    differing = [table for table in comparison.tables if table.result == TypeResult.INCONSISTENT]
    head = f"{done}{len(differing)}/{len(comparison.tables)} tables differ"
    if not differing:
        return head
    return f"{head}: " + _named([_table_name(table) for table in differing], _DETAIL_WIDTH - len(head) - 2)


def _named(names: Sequence[str], room: int) -> str:
    """As many of `names` as fit in `room` columns, then "+N more"."""
    shown: list[str] = []
    for index, name in enumerate(names):
        rest = len(names) - index - 1
        more = len(f" +{rest} more") if rest else 0
        if shown and len(", ".join([*shown, name])) + more > room:
            break
        shown.append(name)
    left = len(names) - len(shown)
    return ", ".join(shown) + (f" +{left} more" if left else "")


def _table_name(table: TableRow) -> str:
    if table.source_table:
        return f"{table.source_db}.{table.source_table}"
    return f"{table.source_db} ({table.status_text})"


def _exports(job: JobView) -> Iterable[str]:
    """Reports that are being generated or ready to download."""
    candidates: list[tuple[str, str, str | None, int | None]] = []
    if job.object_comparison is not None:
        obj = job.object_comparison
        candidates.append(("objects", obj.compare_job_id, obj.export_status, obj.report_remain_seconds))
    candidates.extend((c.compare_type, c.id, c.export_status, c.report_remain_seconds)
                      for c in job.data_comparisons)
    for kind, cid, status, remain in candidates:
        if status == "EXPORT_COMPLETE" and remain is not None and remain > 0:
            yield f"{kind} {short_id(cid)} report ready, {remain} s left"
        elif status == "EXPORTING":
            yield f"{kind} {short_id(cid)} report being generated"
        elif status == "EXPORT_COMMON_FAILED":
            yield f"{kind} {short_id(cid)} report export failed"


def _count(value: int | None) -> str:
    return "?" if value is None else str(value)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
