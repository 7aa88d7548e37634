"""The Report: what happened in a time window, per job, as plain data (no I/O, no format).

Built from two sources, both optional:
- cutover-log records (dicts, one per JSON line; see drstui.monitor.cutover_log.KEYS), the
  history: transitions, comparison verdicts with their counts, exports saved with their path,
  readiness and lag changes when the log has them;
- a `drstui snapshot --json` document (schema 1), the present: each job's status, verdict,
  latest comparisons with per-type counts and tables, readiness and replication lag when the
  document has them.

Every key is read defensively: a field the document or log lacks (an older drstui, a log
written before readiness existed, a hand edit) shows as "not known", never as an error.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from drstui.monitor import changes
from drstui.monitor.classify import rollup
from drstui.monitor.snapshot import Verdict
from drstui.report.records import (  # re-exported: the Report is read from here
    ComparisonSummary,
    Event,
    ExportFile,
    JobReport,
    LagPoint,
    Readiness,
    Report,
    TableDiff,
    TypeCount,
)

# Cutover-log kinds of readiness changes (per job / for the cutover set) and the counts keys
# that carry a lag reading; read when present, and other kinds are kept in the timeline as
# they are.
READINESS_KINDS = frozenset({"job_readiness", "cutover_readiness"})
LAG_KEYS = ("lag_ms",)
UNKNOWN_READINESS = "unknown"
_EXPORT_KINDS = frozenset({changes.EXPORT_READY, changes.EXPORT_FAILED, changes.EXPORT_SAVED})
_SAVED_TO = re.compile(r" saved to (.+)$")
_LABEL = re.compile(r"^(object|lines|contents|random|health)\b")


# -- building ---------------------------------------------------------------------------------
def build_report(
    records: Iterable[Mapping[str, Any]],
    snapshot: Mapping[str, Any] | None,
    *,
    since: datetime,
    until: datetime,
    generated_at: datetime,
    job_ids: Sequence[str] = (),
    log_files: Sequence[str] = (),
    demo: bool = False,
) -> Report:
    """The Report of the window [since, until] for the selected jobs (all when `job_ids` is empty)."""
    selected = frozenset(job_ids)
    events = [event for event in (to_event(record) for record in records) if event is not None]
    events = sorted((e for e in events if since <= e.at <= until and _wanted(e, selected)),
                    key=lambda e: e.at)
    snapshot = snapshot if isinstance(snapshot, Mapping) else None
    doc_jobs = [job for job in _list(snapshot, "jobs") if isinstance(job, Mapping)]
    doc_jobs = [job for job in doc_jobs if not selected or _text(job.get("id")) in selected]
    taken_at = parse_time(snapshot.get("taken_at")) if snapshot else None

    by_job: dict[str, list[Event]] = {}
    names: dict[str, str] = {}
    for event in events:
        if event.job_id:
            by_job.setdefault(event.job_id, []).append(event)
            if event.job_name:
                names[event.job_id] = event.job_name

    jobs = [_job_from_document(job, by_job.pop(_text(job.get("id")), []), taken_at) for job in doc_jobs]
    for job_id in sorted(by_job, key=lambda j: (names.get(j, j).lower(), j)):
        jobs.append(_job_from_log(job_id, names.get(job_id, job_id), by_job[job_id]))

    connection = "; ".join(_connection_problems(snapshot)) or None
    return Report(
        generated_at=generated_at,
        since=since,
        until=until,
        scopes=_scopes(snapshot) or tuple(dict.fromkeys(e.scope for e in events if e.scope)),
        snapshot_taken_at=taken_at,
        connection=connection,
        offline=snapshot is None,
        log_files=tuple(log_files),
        readiness=_best_readiness(_readiness(_map(snapshot, "readiness"), taken_at),
                                  _readiness_from_log(events, None)),
        jobs=tuple(jobs),
        timeline=tuple(events),
        other_exports=tuple(_exports(e for e in events if not e.job_id)),
        demo=demo,
    )


def _wanted(event: Event, selected: frozenset[str]) -> bool:
    # Connection changes (no job) stay: they explain gaps in every job's history.
    return not selected or event.job_id is None or event.job_id in selected


def _scopes(snapshot: Mapping[str, Any] | None) -> tuple[str, ...]:
    """`profile · region · project` of each scope watched (`scopes[]` of a multi-scope document,
    else the document's own keys)."""
    if not snapshot:
        return ()
    listed = [s for s in _list(snapshot, "scopes") if isinstance(s, Mapping)] or [snapshot]
    return tuple(dict.fromkeys(label for label in map(scope_label, listed) if label))


def scope_label(source: Mapping[str, Any]) -> str:
    parts = [_text(source.get(key)) for key in ("profile", "region", "project_id")]
    return " · ".join(part for part in parts if part)


def _connection_problems(snapshot: Mapping[str, Any] | None) -> list[str]:
    """"state: reason" for each scope whose connection was not ok when the snapshot was taken."""
    if not snapshot:
        return []
    listed = [s for s in _list(snapshot, "scopes") if isinstance(s, Mapping)] or [snapshot]
    problems = []
    for scope in listed:
        connection = _map(scope, "connection")
        state = _text(connection.get("state"))
        if state and state != "ok":
            reason = _text(connection.get("reason"))
            where = f"{scope_label(scope)}: " if len(listed) > 1 else ""
            problems.append(f"{where}{state}" + (f" ({reason})" if reason else ""))
    return problems


def _job_from_document(job: Mapping[str, Any], events: list[Event], taken_at: datetime | None) -> JobReport:
    job_id = _text(job.get("id"))
    comparisons: list[ComparisonSummary] = []
    obj = _map(job, "object_comparison")
    if obj:
        types = tuple(_type_count(row) for row in _list(obj, "types") if isinstance(row, Mapping))
        comparisons.append(ComparisonSummary(
            kind="object", id=_text(obj.get("compare_job_id")), status=_opt(obj.get("status")),
            verdict=_text(obj.get("verdict")) or Verdict.UNKNOWN.value,
            when=parse_time(obj.get("start_time")) or parse_time(obj.get("create_time")),
            result_counts=_tally(t.result for t in types), types=types,
            export=_export_text(_map(obj, "export")),
        ))
    latest_per_type: set[str] = set()
    for data in _list(job, "data_comparisons"):
        if not isinstance(data, Mapping):
            continue
        kind = _text(data.get("type")) or "data"
        if kind in latest_per_type:
            continue  # newest first: the first of each type is the latest
        latest_per_type.add(kind)
        tables = [t for t in _list(data, "tables") if isinstance(t, Mapping)]
        comparisons.append(ComparisonSummary(
            kind=kind, id=_text(data.get("id")), status=_opt(data.get("status")),
            verdict=_text(data.get("verdict")) or Verdict.UNKNOWN.value,
            when=parse_time(data.get("end_time")) or parse_time(data.get("start_time")),
            result_counts=_table_counts(data, tables),
            tables_total=_int(data.get("tables_total")),
            differing_tables=tuple(_table_diff(t) for t in tables if _text(t.get("result")) != "consistent"),
            export=_export_text(_map(data, "export")),
        ))
    health = next((h for h in _list(job, "health_comparisons") if isinstance(h, Mapping)), None)
    if health is not None:
        comparisons.append(ComparisonSummary(
            kind="health", id=_text(health.get("id")), status=_opt(health.get("status")),
            verdict="–",  # a health comparison has a status, no verdict of its own
            when=parse_time(health.get("end_time")) or parse_time(health.get("start_time")),
        ))
    replication = _map(job, "replication")
    lag = _lag_points(events)
    now_lag = _number(replication.get("lag_ms")) if replication else None
    if now_lag is not None and taken_at is not None and not any(p.at == taken_at for p in lag):
        lag = (*lag, LagPoint(taken_at, now_lag))
    return JobReport(
        id=job_id,
        name=_text(job.get("name")) or job_id,
        status=_opt(job.get("status")),
        verdict=_text(job.get("verdict")) or Verdict.UNKNOWN.value,
        verdict_source="snapshot",
        scope=scope_label(_map(job, "scope")) or next((e.scope for e in events if e.scope), ""),
        readiness=_best_readiness(_readiness(_map(job, "readiness"), taken_at),
                                  _readiness_from_log(events, job_id)),
        replication=dict(replication),
        comparisons=tuple(comparisons),
        exports=tuple(_exports(events)),
        lag=lag,
        problems=tuple(_text(p) for p in _list(job, "problems")),
    )


def _job_from_log(job_id: str, name: str, events: list[Event]) -> JobReport:
    """A job the log mentions but the snapshot does not (offline, or the job is gone)."""
    comparisons = _comparisons_from_log(events)
    finished = [Verdict(c.verdict) for c in comparisons if c.verdict in Verdict._value2member_map_]
    statuses = [e.new for e in events if e.kind == changes.JOB_STATUS and e.new]
    return JobReport(
        id=job_id,
        name=name,
        status=statuses[-1] if statuses else None,
        verdict=rollup(finished).value if finished else Verdict.NONE.value,
        verdict_source="log" if finished else "none",
        scope=next((e.scope for e in events if e.scope), ""),
        readiness=_readiness_from_log(events, job_id),
        comparisons=tuple(comparisons),
        exports=tuple(_exports(events)),
        lag=_lag_points(events),
    )


def _comparisons_from_log(events: list[Event]) -> list[ComparisonSummary]:
    """The last word of the log on each comparison it mentions, latest of each kind only."""
    latest: dict[str, dict[str, Any]] = {}
    for event in events:
        if not event.comparison_id or event.kind in _EXPORT_KINDS:
            continue
        entry = latest.setdefault(event.comparison_id, {"kind": _label(event), "status": None,
                                                        "verdict": None, "counts": {}, "at": event.at})
        entry["at"] = event.at
        if event.kind in (changes.COMPARISON_STARTED, changes.COMPARISON_STATUS):
            entry["status"] = event.new
        elif event.kind == changes.COMPARISON_VERDICT:
            entry["verdict"] = event.new
            entry["counts"] = {k: v for k, v in event.counts.items() if isinstance(v, int)}
        elif event.kind == changes.OBJECT_COUNTS:
            entry.setdefault("types", {}).update(event.counts)
    per_kind: dict[str, ComparisonSummary] = {}
    for cid, entry in latest.items():
        types = tuple(
            TypeCount(name, _int(c.get("source")), _int(c.get("target")),
                      _difference(_int(c.get("source")), _int(c.get("target"))), "")
            for name, c in sorted(entry.get("types", {}).items()) if isinstance(c, Mapping)
        )
        summary = ComparisonSummary(
            kind=entry["kind"], id=cid, status=entry["status"],
            verdict=entry["verdict"] or (Verdict.RUNNING.value if entry["status"] else Verdict.UNKNOWN.value),
            when=entry["at"], result_counts=entry["counts"], types=types, source="log",
        )
        previous = per_kind.get(summary.kind)
        if previous is None or (previous.when or entry["at"]) <= entry["at"]:
            per_kind[summary.kind] = summary
    return sorted(per_kind.values(), key=lambda c: _KIND_ORDER.get(c.kind, 9))


_KIND_ORDER = {"object": 0, "lines": 1, "contents": 2, "random": 3, "health": 4}


def _label(event: Event) -> str:
    """"object", "lines", ... from a transition's message ("<job>: lines comparison 08ca… ...")."""
    text = event.message
    prefix = f"{event.job_name}: " if event.job_name else ""
    if prefix and text.startswith(prefix):
        text = text[len(prefix):]
    match = _LABEL.match(text)
    return match.group(1) if match else "comparison"


def _exports(events: Iterable[Event]) -> list[ExportFile]:
    found = []
    for event in events:
        if event.kind not in _EXPORT_KINDS:
            continue
        path = event.counts.get("path") if isinstance(event.counts.get("path"), str) else None
        if path is None and event.kind == changes.EXPORT_SAVED:
            match = _SAVED_TO.search(event.message)
            path = match.group(1) if match else None
        what = event.message.split(" saved to ")[0] if path else event.message
        found.append(ExportFile(event.at, what, event.new, path, event.message))
    return found


def _lag_points(events: Iterable[Event]) -> tuple[LagPoint, ...]:
    points = []
    for event in events:
        value = next((_number(event.counts.get(key)) for key in LAG_KEYS
                      if _number(event.counts.get(key)) is not None), None)
        if value is not None:
            points.append(LagPoint(event.at, value))
    return tuple(points)


def _readiness(block: Mapping[str, Any], at: datetime | None) -> Readiness | None:
    verdict = _text(block.get("verdict")) if block else ""
    if not verdict:
        return None
    reasons = tuple(_text(r) for r in _list(block, "reasons") if _text(r))
    return Readiness(verdict, reasons, at)


def _readiness_from_log(events: Sequence[Event], job_id: str | None) -> Readiness | None:
    for event in reversed(events):
        if event.kind in READINESS_KINDS and event.job_id == job_id and event.new:
            reasons = event.counts.get("reasons")
            listed = tuple(_text(r) for r in reasons) if isinstance(reasons, list) else ()
            return Readiness(event.new, listed or ((event.message,) if event.message else ()),
                             event.at, "log")
    return None


def _best_readiness(snapshot: Readiness | None, logged: Readiness | None) -> Readiness | None:
    """The snapshot's verdict, unless it could not tell (one refresh rarely can: the lag must
    have been steady for a while) and the log has what the running monitor decided."""
    if snapshot is None or (snapshot.verdict == UNKNOWN_READINESS and logged is not None):
        return logged
    return snapshot


def _type_count(row: Mapping[str, Any]) -> TypeCount:
    source, target = _int(row.get("source_count")), _int(row.get("target_count"))
    difference = _int(row.get("difference"))
    return TypeCount(_text(row.get("type")), source, target,
                     difference if difference is not None else _difference(source, target),
                     _text(row.get("result")))


def _table_diff(table: Mapping[str, Any]) -> TableDiff:
    name = ".".join(p for p in (_text(table.get("source_db")), _text(table.get("source_table"))) if p)
    return TableDiff(name or "?", _int(table.get("source_rows")), _int(table.get("target_rows")),
                     _int(table.get("diff_rows")), _text(table.get("result")))


def _export_text(export: Mapping[str, Any]) -> str | None:
    status = _text(export.get("status")) if export else ""
    if not status:
        return None
    remain = _int(export.get("remain_seconds"))
    return f"{status}, {remain} s left to download" if remain is not None else status


def _table_counts(data: Mapping[str, Any], tables: list[Mapping[str, Any]]) -> dict[str, int]:
    """How many tables differ: the document's own count (its table list may be cut short),
    else a count of the tables listed."""
    differing = _int(data.get("tables_inconsistent"))
    if differing is not None:
        return {"inconsistent": differing}
    return _tally(_text(t.get("result")) for t in tables)


def _tally(results: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for result in results:
        if result:
            counts[result] = counts.get(result, 0) + 1
    return counts


def _difference(source: int | None, target: int | None) -> int | None:
    return None if source is None or target is None else source - target


# -- reading records --------------------------------------------------------------------------
def to_event(record: Mapping[str, Any]) -> Event | None:
    """One log record as an Event; None when it has no usable time."""
    if not isinstance(record, Mapping):
        return None
    at = parse_time(record.get("time"))
    if at is None:
        return None
    counts = record.get("counts")
    return Event(
        at=at,
        job_id=_opt(record.get("job_id")),
        job_name=_opt(record.get("job_name")),
        comparison_id=_opt(record.get("comparison_id")),
        kind=_text(record.get("kind")),
        old=_opt(record.get("old")),
        new=_opt(record.get("new")),
        severity=_text(record.get("severity")) or "info",
        message=_text(record.get("message")),
        counts=dict(counts) if isinstance(counts, Mapping) else {},
        scope=scope_label(record),
    )


def parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        at = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return at if at.tzinfo else at.replace(tzinfo=timezone.utc)


def _map(source: Mapping[str, Any] | None, key: str) -> Mapping[str, Any]:
    value = source.get(key) if isinstance(source, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _list(source: Mapping[str, Any] | None, key: str) -> list[Any]:
    value = source.get(key) if isinstance(source, Mapping) else None
    return value if isinstance(value, list) else []


def _text(value: Any) -> str:
    return "" if value is None or isinstance(value, (dict, list)) else str(value)


def _opt(value: Any) -> str | None:
    return _text(value) or None


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            return None
    else:
        return None
    return number if math.isfinite(number) and number >= 0 else None


__all__ = ["Event", "Readiness", "TypeCount", "TableDiff", "ComparisonSummary", "ExportFile", "LagPoint", "JobReport", "Report", "build_report", "scope_label", "to_event", "parse_time"]
