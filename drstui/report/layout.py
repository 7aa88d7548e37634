"""What the report says, in order, as format-free blocks; html.py and markdown.py only draw them.

Block text is raw (API text included): each renderer cleans and escapes it for its format.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from drstui.report.chart import lag_chart, lag_label
from drstui.report.model import ComparisonSummary, Event, ExportFile, JobReport, Readiness, Report
from drstui.text import short_id

# Tones: how a renderer may colour a value (HTML classes; Markdown ignores them).
GOOD, BAD, WARN, BUSY, DIM = "good", "bad", "warn", "busy", "dim"
_VERDICT_TONES = {"consistent": GOOD, "inconsistent": WARN, "failed": BAD, "running": BUSY,
                  "none": DIM, "unknown": WARN, "ready": GOOD, "not_ready": BAD}
# The readiness verdict as the war room says it.
GO_NO_GO = {"ready": "GO", "not_ready": "NO-GO", "unknown": "UNKNOWN"}
_SEVERITY_TONES = {"error": BAD, "warning": WARN, "info": ""}


@dataclass(frozen=True)
class Cell:
    text: str
    tone: str = ""


@dataclass(frozen=True)
class Heading:
    level: int
    text: str
    anchor: str = ""


@dataclass(frozen=True)
class Facts:
    items: tuple[tuple[str, Cell], ...]


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    caption: str = ""


@dataclass(frozen=True)
class Note:
    text: str
    tone: str = ""


@dataclass(frozen=True)
class Chart:
    svg: str
    readings: Table = field(default_factory=lambda: Table((), ()))  # the same data, for Markdown


Block = Heading | Facts | Table | Note | Chart


def go_no_go(verdict: str) -> str:
    return GO_NO_GO.get(verdict, verdict.upper())


def tone_of(verdict: str | None) -> str:
    return _VERDICT_TONES.get((verdict or "").lower(), "")


def when(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%SZ") if at else "–"


def count(value: int | None) -> str:
    return "–" if value is None else f"{value:,}"


def blocks(report: Report) -> Iterator[Block]:
    yield Heading(1, "Cutover report" + (" (demo, simulated data)" if report.demo else ""))
    yield from _overview(report)
    yield from _summary(report)
    chart = lag_chart(report.jobs, report.since, report.until)
    if chart is not None:
        yield Heading(2, "Replication lag over time", "lag")
        yield Chart(chart, _readings(report.jobs))
    for job in report.jobs:
        yield from _job(job, report.demo)
    if report.other_exports:
        yield Heading(2, "Other exports (SMS consistency results)", "other-exports")
        yield _exports_table(report.other_exports)
    yield Heading(2, "Timeline of transitions", "timeline")
    if report.timeline:
        yield _timeline(report.timeline)
    else:
        yield Note("The cutover log has no transition in this window.", DIM)


def _overview(report: Report) -> Iterator[Block]:
    if report.offline:
        source = "the cutover log only (offline: no API call)"
    else:
        source = f"the cutover log and a snapshot taken {when(report.snapshot_taken_at)}"
    items = [
        ("Scope", Cell("; ".join(report.scopes) or "not known (log only)")),
        ("Window", Cell(f"{when(report.since)} → {when(report.until)}")),
        ("Generated", Cell(when(report.generated_at))),
        ("Built from", Cell(source)),
        ("Cutover log files", Cell(", ".join(report.log_files) or "none found")),
    ]
    if report.connection:
        items.append(("Connection", Cell(f"not ok when the snapshot was taken: {report.connection}", BAD)))
    yield Facts(tuple(items))


def _summary(report: Report) -> Iterator[Block]:
    yield Heading(2, "Go / no-go", "summary")
    readiness = report.readiness
    if readiness is not None:
        items = [("Readiness", Cell(go_no_go(readiness.verdict), tone_of(readiness.verdict)))]
        items += [("Reason", Cell(reason)) for reason in readiness.reasons]
        items += _readiness_origin(readiness)
        yield Facts(tuple(items))
    else:
        yield Note("No readiness verdict in the snapshot or the log: decide from the job "
                   "verdicts below.", DIM)
    counts = report.verdict_counts
    rows = tuple(
        (Cell(job.name), Cell(job.status or "–"), Cell(job.verdict, tone_of(job.verdict)),
         Cell(go_no_go(job.readiness.verdict) if job.readiness else "–",
              tone_of(job.readiness.verdict) if job.readiness else ""),
         Cell(_job_lag(job)), Cell(job.verdict_source))
        for job in report.jobs
    )
    if rows:
        caption = ", ".join(f"{n} {verdict}" for verdict, n in sorted(counts.items()))
        yield Table(("Job", "Status", "Final verdict", "Readiness", "Lag", "Verdict from"), rows,
                    f"{len(report.jobs)} job(s): {caption}")
    else:
        yield Note("No job in the snapshot or the log for this selection.", DIM)


def _readiness_origin(readiness: Readiness) -> list[tuple[str, Cell]]:
    if readiness.source != "log":
        return []
    return [("Readiness from", Cell(f"the cutover log, {when(readiness.at)}", DIM))]


def _job_lag(job: JobReport) -> str:
    value = job.replication.get("lag_ms") if job.replication else None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return lag_label(float(value))
    return lag_label(job.lag[-1].lag_ms) + " (log)" if job.lag else "–"


def _job(job: JobReport, demo: bool = False) -> Iterator[Block]:
    yield Heading(2, f"Job {job.name}", f"job-{job.id}")
    items = [("Scope", Cell(job.scope))] if job.scope else []
    items += [
        ("Job id", Cell(job.id)),
        ("Status", Cell(job.status or "not known")),
        ("Final verdict", Cell(job.verdict, tone_of(job.verdict))),
    ]
    if job.readiness is not None:
        items.append(("Readiness", Cell(go_no_go(job.readiness.verdict), tone_of(job.readiness.verdict))))
        items += [("Reason", Cell(reason)) for reason in job.readiness.reasons]
        items += _readiness_origin(job.readiness)
    for key, value in sorted(job.replication.items()):
        if isinstance(value, (str, int, float, bool)):  # None: not known, not worth a line
            is_ms = key.endswith("_ms") and isinstance(value, (int, float)) and not isinstance(value, bool)
            shown = lag_label(float(value)) if is_ms else value
            items.append((f"Replication {key}", Cell(str(shown))))
    items += [("Problem", Cell(problem, WARN)) for problem in job.problems]
    yield Facts(tuple(items))
    if job.comparisons:
        yield Heading(3, "Latest comparisons")
        yield Table(
            ("Type", "Comparison", "Status", "Verdict", "When", "Results", "Report export"),
            tuple(_comparison_row(c) for c in job.comparisons),
        )
        for comparison in job.comparisons:
            yield from _comparison_detail(job, comparison)
    else:
        yield Note("No comparison seen for this job.", DIM)
    yield Heading(3, "Exported report files")
    if job.exports:
        yield _exports_table(job.exports)
        if demo:
            yield Note("Demo: these files went to a temporary folder, removed after the rehearsal.", DIM)
    else:
        yield Note("No report exported by drstui in this window.", DIM)


def _comparison_row(comparison: ComparisonSummary) -> tuple[Cell, ...]:
    results = ", ".join(f"{n} {result}" for result, n in sorted(comparison.result_counts.items()))
    if comparison.tables_total is not None:
        results = f"{results} (of {comparison.tables_total} tables)" if results else f"{comparison.tables_total} tables"
    source = " (log)" if comparison.source == "log" else ""
    return (Cell(comparison.kind), Cell(short_id(comparison.id)), Cell(comparison.status or "–"),
            Cell(comparison.verdict + source, tone_of(comparison.verdict)), Cell(when(comparison.when)),
            Cell(results or "–"), Cell(comparison.export or "–"))


def _comparison_detail(job: JobReport, comparison: ComparisonSummary) -> Iterator[Block]:
    if comparison.types:
        yield Table(
            ("Object type", "Source", "Target", "Difference", "Result"),
            tuple((Cell(t.object_type), Cell(count(t.source)), Cell(count(t.target)),
                   Cell(count(t.difference), WARN if t.difference else ""),
                   Cell(t.result or "–", tone_of(t.result)))
                  for t in comparison.types),
            f"Object counts per type, comparison {short_id(comparison.id)}",
        )
    if comparison.differing_tables:
        yield Table(
            ("Table", "Source rows", "Target rows", "Differing rows", "Result"),
            tuple((Cell(t.name), Cell(count(t.source_rows)), Cell(count(t.target_rows)),
                   Cell(count(t.diff_rows), WARN if t.diff_rows else ""), Cell(t.result or "–", tone_of(t.result)))
                  for t in comparison.differing_tables),
            f"Tables that differed, {comparison.kind} comparison {short_id(comparison.id)}",
        )


def _exports_table(exports: Sequence[ExportFile]) -> Table:
    return Table(
        ("When", "Export", "Status", "File"),
        tuple((Cell(when(e.at)), Cell(e.what), Cell(e.status or "–", _SEVERITY_TONES.get("error") if e.status and "fail" in e.status.lower() else ""),
               Cell(e.path or "–")) for e in exports),
    )


def _timeline(events: Sequence[Event]) -> Table:
    return Table(
        ("Time", "Severity", "Job", "What", "Change", "Message"),
        tuple((Cell(when(e.at)), Cell(e.severity, _SEVERITY_TONES.get(e.severity, "")),
               Cell(e.job_name or e.job_id or "–"), Cell(e.kind),
               Cell(f"{e.old or '–'} → {e.new or '–'}" if (e.old or e.new) else "–"), Cell(e.message))
              for e in events),
        f"{len(events)} transition(s), oldest first",
    )


def _readings(jobs: Sequence[JobReport]) -> Table:
    return Table(
        ("Job", "Time", "Lag"),
        tuple((Cell(job.name), Cell(when(point.at)), Cell(lag_label(point.lag_ms)))
              for job in jobs for point in job.lag),
    )
