"""The comparison-detail pane: everything about the comparisons of the highlighted job."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import DataTable
from rich.text import Text

from drstui.monitor.snapshot import (
    DataComparison,
    HealthComparison,
    JobView,
    ObjectComparison,
    ObjectTypeRow,
    TableRow,
    TypeResult,
)
from drstui.ui.compare_sections import CompareLiveSection, ComparePolicySection
from drstui.ui.formatting import (
    DASH,
    count,
    date_time,
    one_line,
    short_date_time,
    short_id,
    signed_difference,
)
from drstui.ui.jobs_pane import engine_label, latest_data_comparisons
from drstui.ui.keyed_table import Cell, Column, KeyedTable, Row, number
from drstui.ui.plain import PlainStatic, set_title
from drstui.ui.readiness_view import readiness_text
from drstui.ui.trend_view import trend_line
from drstui.ui.theme import (
    Tone,
    compare_status_tone,
    export_status_tone,
    job_status_tone,
    result_label,
    verdict_label,
)

OBJECT_COLUMNS = (
    Column("type", "Object type"),
    Column("source", "Source", "right"),
    Column("target", "Target", "right"),
    Column("diff", "Diff", "right"),
    Column("result", "Result"),
)
HEALTH_COLUMNS = (
    Column("types", "Health comparison"),
    Column("status", "Status"),
    Column("start", "Started"),
    Column("end", "Ended"),
)
DATA_COLUMNS = (
    Column("type", "Type"),
    Column("table", "Table"),
    Column("source", "Source rows", "right"),
    Column("target", "Target rows", "right"),
    Column("diff", "Diff", "right"),
    Column("status", "Status"),
)


def _result_tone(result: TypeResult) -> str:
    return result_label(result)[1]


def object_row(row: ObjectTypeRow) -> tuple[Cell, ...]:
    text, tone = result_label(row.result)
    diff_tone = tone if row.difference else Tone.DIM
    return (
        Cell(row.object_type, "bold"),
        number(count(row.source_count)),
        number(count(row.target_count)),
        number(signed_difference(row.difference), diff_tone),
        Cell(text, tone),
    )


def health_row(health: HealthComparison) -> tuple[Cell, ...]:
    return (
        Cell(", ".join(health.types) or DASH),
        Cell(health.status, compare_status_tone(health.status)),
        Cell(short_date_time(health.start_time)),
        Cell(short_date_time(health.end_time), Tone.PLAIN if health.end_time else Tone.DIM),
    )


def table_name(table: TableRow) -> str:
    source = f"{table.source_db or DASH}.{table.source_table or DASH}"
    target = f"{table.target_db or DASH}.{table.target_table or DASH}"
    renamed = (table.target_db, table.target_table) != (table.source_db, table.source_table)
    return f"{source} → {target}" if renamed and (table.target_db or table.target_table) else source


def data_row(comparison: DataComparison, table: TableRow, superseded: bool = False) -> tuple[Cell, ...]:
    tone = _result_tone(table.result)
    marker = result_label(table.result)[0].split(" ")[0]  # ✔ / ✘ / ◌ / ?
    if superseded:  # an older run of the same kind: shown for reference, counts for nothing
        tone = Tone.DIM
    return (
        Cell(f"{comparison.compare_type} (superseded)" if superseded else comparison.compare_type,
             Tone.DIM if superseded else ""),
        Cell(table_name(table), "bold" if table.result is TypeResult.INCONSISTENT else ""),
        number(count(table.source_rows)),
        number(count(table.target_rows)),
        number(signed_difference(table.diff_rows), tone if table.diff_rows else Tone.DIM),
        Cell(f"{marker} {table.status_text}", tone),
    )


def object_rows(comparison: ObjectComparison | None) -> list[Row]:
    if comparison is None:
        return []
    return [(row.object_type, object_row(row)) for row in comparison.rows]


def data_rows(job: JobView) -> list[Row]:
    # The Snapshot already puts inconsistent tables first; we keep its order.
    latest = {comparison.id for comparison in latest_data_comparisons(job)}
    return [
        (f"{comparison.id}/{table.key}", data_row(comparison, table, comparison.id not in latest))
        for comparison in job.data_comparisons
        for table in comparison.tables
    ]


def first_differing(results: Sequence[TypeResult]) -> int:
    """The row of the first inconsistent result, in table order (0 if none differs)."""
    return next((i for i, result in enumerate(results) if result is TypeResult.INCONSISTENT), 0)


def job_summary(job: JobView) -> Text:
    """The header lines of the pane: the job, its object comparison and what failed to refresh."""
    text = Text()
    text.append(job.name, "bold")
    text.append(" · ")
    text.append(job.status, job_status_tone(job.status))
    text.append(f" · {engine_label(job)}")
    text.append(f" · id {short_id(job.id, 13)}", Tone.DIM)
    if job.create_time:
        text.append(f" · created {date_time(job.create_time)}", Tone.DIM)
    comparison = job.object_comparison
    text.append("\nObjects: ")
    if comparison is None:
        text.append("no object comparison yet", Tone.DIM)
    else:
        label, tone = verdict_label(comparison.verdict)
        text.append(label, tone)
        text.append(" · ")
        text.append(comparison.status, compare_status_tone(comparison.status))
        text.append(f" · created {date_time(comparison.create_time)}")
        text.append(f" · started {date_time(comparison.start_time)}")
        if comparison.export_status:
            text.append(" · export ")
            text.append(comparison.export_status, export_status_tone(comparison.export_status))
        if comparison.error_msg:
            text.append(f"\nerror: {one_line(comparison.error_msg, 200)}", Tone.BAD)
    if job.problems:
        text.append(f"\n⚠ not refreshed, shown as last seen: {', '.join(job.problems)}", Tone.WARN)
    return text


def data_summary(job: JobView) -> Text:
    """One line per data comparison: type, verdict, status, progress or times."""
    text = Text("Data comparisons", "bold")
    if not job.data_comparisons:
        text.append(": none yet", Tone.DIM)
        return text
    latest = {comparison.id for comparison in latest_data_comparisons(job)}
    for comparison in job.data_comparisons:
        label, tone = verdict_label(comparison.verdict)
        text.append("\n  ")
        if comparison.id not in latest:
            text.append("superseded ", Tone.DIM)
        text.append(f"{comparison.compare_type} {short_id(comparison.id)} ")
        text.append(label, tone)
        text.append(" · ")
        text.append(comparison.status, compare_status_tone(comparison.status))
        if comparison.progress is not None and not comparison.finished:
            text.append(f" {comparison.progress:.0f}%")
        differing = sum(1 for t in comparison.tables if t.result is TypeResult.INCONSISTENT)
        text.append(f" · {len(comparison.tables)} tables, {differing} differ")
        if comparison.export_status:
            text.append(" · export ")
            text.append(comparison.export_status, export_status_tone(comparison.export_status))
    return text


class ObjectTable(KeyedTable):
    """Object-comparison overview: one row per object type, Enter drills down."""


class HealthTable(KeyedTable):
    """Health-comparison jobs of the job."""


class DataCompareTable(KeyedTable):
    """Row/value comparison results per table, inconsistent first."""


class SectionTitle(PlainStatic):
    """A one-line heading inside the pane."""


class DetailPane(VerticalScroll, can_focus=False):
    """Shows one job; `show_job` is called with the highlighted job after every change.

    The pane scrolls as a whole (focusing a table brings it into view); each table also has a
    height limit and scrolls by itself, so a job with hundreds of tables stays usable.
    """

    DEFAULT_CSS = """
    DetailPane > #detail-summary { height: auto; padding: 0 1; }
    DetailPane > #detail-readiness { height: auto; padding: 0 1; }
    DetailPane > SectionTitle { height: auto; padding: 0 1; }
    DetailPane > ObjectTable { height: auto; max-height: 16; }
    DetailPane > HealthTable { height: auto; max-height: 6; }
    DetailPane > DataCompareTable { height: auto; max-height: 20; }
    DetailPane .-empty { display: none; }
    """

    class DrillDown(Message):
        """Enter on an object type: show which objects of that type differ."""

        def __init__(self, job_id: str, job_name: str, object_type: str, compare_job_id: str | None) -> None:
            super().__init__()
            self.job_id = job_id
            self.job_name = job_name
            self.object_type = object_type
            self.compare_job_id = compare_job_id

    class DifferencesWanted(Message):
        """Enter on a table of a data comparison: which rows differ (or why that cannot be shown)."""

        def __init__(self, job: JobView, comparison: DataComparison, table: TableRow) -> None:
            super().__init__()
            self.job = job
            self.comparison = comparison
            self.table = table

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.job: JobView | None = None
        # job id -> object count gap per refresh (MonitorHistory.trend_series); None: no trend.
        self.trend_series: Callable[[str], Sequence[int]] | None = None

    def on_mount(self) -> None:
        if not self.border_title:
            set_title(self, "2:Detail")

    def compose(self) -> ComposeResult:
        yield PlainStatic("No job selected.", id="detail-summary")
        yield PlainStatic("", id="detail-readiness")
        yield ComparePolicySection(id="compare-policy")
        yield SectionTitle("Object comparison", id="object-title")
        yield ObjectTable(OBJECT_COLUMNS, id="object-table")
        yield SectionTitle("Health comparisons", id="health-title")
        yield HealthTable(HEALTH_COLUMNS, id="health-table")
        yield SectionTitle("Data comparisons", id="data-title")
        yield CompareLiveSection(id="compare-live")
        yield DataCompareTable(DATA_COLUMNS, id="data-table")

    def read_policies_with(self, reader_for: Callable[[JobView], object] | None) -> None:
        """How to find a job's PolicyReader (its own scope's): its compare policy is read
        through it."""
        section = self.query_one(ComparePolicySection)
        section.reader_for = reader_for
        section.show(self.job, fresh=True)

    @property
    def highlighted_comparison_id(self) -> str | None:
        """The data comparison under the data table's cursor (None: no row)."""
        key = self.query_one(DataCompareTable).cursor_key
        return key.split("/", 1)[0] if key else None

    @property
    def tables(self) -> tuple[KeyedTable, ...]:
        return (self.query_one(ObjectTable), self.query_one(HealthTable), self.query_one(DataCompareTable))

    def show_job(self, job: JobView | None, *, highlight_changes: bool) -> int:
        """Render `job` (None: nothing selected). Returns the DataTable calls made.

        Changes are only highlighted when the same job is shown again after a refresh.
        """
        same_job = self.job is not None and job is not None and self.job.key == job.key
        highlight = highlight_changes and same_job
        self.job = job
        objects, health, data = self.tables
        self.query_one(CompareLiveSection).show(job)
        self.query_one(ComparePolicySection).show(job)
        writes = 0
        if job is None:
            self._set_static("#detail-summary", Text("No job selected.", Tone.DIM))
            self._set_static("#detail-readiness", Text(""))
            self.query_one("#detail-readiness").set_class(True, "-empty")
            for table in self.tables:
                writes += table.sync([], highlight_changes=False)
            self._set_empty(objects, True)
            self._set_empty(health, True)
            self._set_empty(data, True)
            self._set_titles(None)
            self._set_border_title("2:Detail")
            return writes
        where = f"{job.scope.label} · " if job.scope is not None else ""
        self._set_border_title(f"2:Detail · {where}{job.name}")
        summary = job_summary(job)
        trend = trend_line(self.trend_series(job.key)) if self.trend_series is not None else None
        if trend is not None:
            summary.append("\n")
            summary.append_text(trend)
        self._set_static("#detail-summary", summary)
        readiness = readiness_text(job)
        self._set_static("#detail-readiness", readiness or Text(""))
        self.query_one("#detail-readiness").set_class(readiness is None, "-empty")
        object_rows_ = object_rows(job.object_comparison)
        health_rows_ = [(h.id, health_row(h)) for h in job.health_comparisons]
        data_rows_ = data_rows(job)
        writes += objects.sync(object_rows_, highlight_changes=highlight)
        writes += health.sync(health_rows_, highlight_changes=highlight)
        writes += data.sync(data_rows_, highlight_changes=highlight)
        self._set_empty(objects, not object_rows_)
        self._set_empty(health, not health_rows_)
        self._set_empty(data, not data_rows_)
        self._set_titles(job)
        if not same_job:
            # Another job: each cursor starts on the first thing that differs (else the top),
            # not on whatever row number the previous job's cursor had reached.
            object_results = [row.result for row in job.object_comparison.rows] if job.object_comparison else []
            objects.move_cursor(row=first_differing(object_results), animate=False)
            data.move_cursor(row=first_differing([t.result for c in job.data_comparisons for t in c.tables]),
                             animate=False)
        return writes

    def _set_titles(self, job: JobView | None) -> None:
        objects_title = Text("Object comparison", "bold")
        health_title = Text("Health comparisons", "bold")
        if job is None:
            data_title = Text("")
        else:
            comparison = job.object_comparison
            if comparison is None:
                objects_title.append(": none yet", Tone.DIM)
            elif not comparison.rows:
                objects_title.append(f": no per-type results ({comparison.status})", Tone.DIM)
            else:
                differing = sum(1 for r in comparison.rows if r.result is TypeResult.INCONSISTENT)
                objects_title.append(f" · {len(comparison.rows)} types, {differing} differ", Tone.DIM)
                objects_title.append("  (Enter: which objects)", Tone.DIM)
            if not job.health_comparisons:
                health_title.append(": none", Tone.DIM)
            data_title = data_summary(job)
        self._set_static("#object-title", objects_title)
        self._set_static("#health-title", health_title)
        self._set_static("#data-title", data_title)

    def _set_static(self, selector: str, content: Text) -> None:
        widget = self.query_one(selector, PlainStatic)
        if getattr(widget, "_shown_text", None) != content:
            widget._shown_text = content  # type: ignore[attr-defined]
            widget.update_in_place(content)

    def _set_border_title(self, title: str) -> None:
        set_title(self, title)  # the job name comes from the API: never markup

    @staticmethod
    def _set_empty(table: KeyedTable, empty: bool) -> None:
        table.set_class(empty, "-empty")

    @on(DataTable.RowSelected, "#object-table")
    def _on_object_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        job = self.job
        if job is None or job.object_comparison is None or event.row_key.value is None:
            return
        self.post_message(
            self.DrillDown(job.key, job.name, str(event.row_key.value), job.object_comparison.compare_job_id)
        )

    @on(DataTable.RowSelected, "#data-table")
    def _on_data_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        job, key = self.job, event.row_key.value
        if job is None or key is None:
            return
        key = str(key).split("#", 1)[0]  # a repeated key was made unique with #n
        for comparison in job.data_comparisons:
            for table in comparison.tables:
                if f"{comparison.id}/{table.key}" == key:
                    self.post_message(self.DifferencesWanted(job, comparison, table))
                    return
