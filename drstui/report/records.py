"""The Report's records: what happened in a time window, per job, as plain frozen data (no I/O,
no format). Built by :func:`drstui.report.model.build_report`; read by the layout, HTML and
Markdown writers."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Mapping
from datetime import datetime
from typing import Any

@dataclass(frozen=True)
class Event:
    at: datetime
    job_id: str | None
    job_name: str | None
    comparison_id: str | None
    kind: str
    old: str | None
    new: str | None
    severity: str
    message: str
    counts: Mapping[str, Any] = field(default_factory=dict)
    scope: str = ""  # "profile · region · project" when the log line names it


@dataclass(frozen=True)
class Readiness:
    verdict: str  # as the readiness check says it: ready | not_ready | unknown
    reasons: tuple[str, ...] = ()
    at: datetime | None = None
    source: str = "snapshot"  # or "log": the last verdict the cutover log recorded


@dataclass(frozen=True)
class TypeCount:
    object_type: str
    source: int | None
    target: int | None
    difference: int | None
    result: str


@dataclass(frozen=True)
class TableDiff:
    name: str
    source_rows: int | None
    target_rows: int | None
    diff_rows: int | None
    result: str


@dataclass(frozen=True)
class ComparisonSummary:
    kind: str  # object | lines | contents | random | health (or what the API said)
    id: str
    status: str | None
    verdict: str
    when: datetime | None
    result_counts: Mapping[str, int] = field(default_factory=dict)  # consistent: n, ...
    types: tuple[TypeCount, ...] = ()
    tables_total: int | None = None
    differing_tables: tuple[TableDiff, ...] = ()
    export: str | None = None  # "EXPORT_COMPLETE, 245 s left to download"
    source: str = "snapshot"  # or "log"


@dataclass(frozen=True)
class ExportFile:
    at: datetime
    what: str
    status: str | None
    path: str | None
    message: str


@dataclass(frozen=True)
class LagPoint:
    at: datetime
    lag_ms: float


@dataclass(frozen=True)
class JobReport:
    id: str
    name: str
    status: str | None
    verdict: str
    verdict_source: str  # "snapshot", "log" or "none"
    scope: str = ""
    readiness: Readiness | None = None
    replication: Mapping[str, Any] = field(default_factory=dict)
    comparisons: tuple[ComparisonSummary, ...] = ()
    exports: tuple[ExportFile, ...] = ()
    lag: tuple[LagPoint, ...] = ()
    problems: tuple[str, ...] = ()


@dataclass(frozen=True)
class Report:
    generated_at: datetime
    since: datetime
    until: datetime
    scopes: tuple[str, ...]
    snapshot_taken_at: datetime | None
    connection: str | None  # the snapshot's connection state when not "ok"
    offline: bool
    log_files: tuple[str, ...]
    readiness: Readiness | None
    jobs: tuple[JobReport, ...]
    timeline: tuple[Event, ...]
    other_exports: tuple[ExportFile, ...] = ()  # SMS batch exports (no job)
    demo: bool = False

    @property
    def verdict_counts(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for job in self.jobs:
            counts[job.verdict] = counts.get(job.verdict, 0) + 1
        return counts

    @property
    def has_lag(self) -> bool:
        return any(job.lag for job in self.jobs)
