"""The jobs pane: every DRS job with its status and the verdict of its latest comparisons."""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, Input

from datetime import datetime

from drstui.monitor.scope import Scope
from drstui.monitor.snapshot import DataComparison, JobView, LinkState, TypeResult, Verdict
from drstui.ui.column_fit import fit_widths, fits, short_job_status, text_width
from drstui.ui.formatting import DASH, clock_time, middle_ellipsis
from drstui.ui.keyed_table import Cell, Column, KeyedTable, Row
from drstui.ui.plain import PlainInput, PlainStatic, set_title
from drstui.ui.readiness_view import lag_cell, verdict_cell
from drstui.ui.theme import VERDICT_SEVERITY, Tone, job_is_failed, job_status_tone, link_tone, verdict_label


class SortOrder(StrEnum):
    SEVERITY = "severity"  # failed and inconsistent first: what a triage needs
    NAME = "name"
    STATUS = "status"

    def next(self) -> SortOrder:
        members = list(SortOrder)
        return members[(members.index(self) + 1) % len(members)]


# Most important first, so a narrow terminal still shows the verdict without scrolling.
COLUMNS = (
    Column("name", "Job"),
    Column("ready", "Cutover"),
    Column("lag", "Lag"),
    Column("verdict", "Comparison"),
    Column("issues", "Issues"),
    Column("status", "Status"),
    Column("engine", "Engine"),
)
# Columns that give way when the table is too narrow, in order, each down to this many cells.
GIVE_WAY = (("name", 12), ("scope", 6), ("issues", 8))
# Several scopes in one view: which one each job belongs to, and whether its data is fresh.
SCOPE_COLUMN = Column("scope", "Scope")
# The glyph a scope's jobs carry when its data is not fresh (the header says the same).
STATE_GLYPH = {LinkState.OK: "", LinkState.CONNECTING: " ◌", LinkState.RETRYING: " ▲",
               LinkState.STALE: " ■ stale", LinkState.AUTH_FAILED: " ✘ auth"}


def engine_label(job: JobView) -> str:
    engine = job.engine_type or DASH
    return f"{engine} ({job.job_direction})" if job.job_direction else engine


def latest_data_comparisons(job: JobView) -> list[DataComparison]:
    """The latest data comparison of each kind (data_comparisons are newest first); the others
    are superseded and count for nothing."""
    seen: set[str] = set()
    latest = []
    for comparison in job.data_comparisons:
        if comparison.compare_type not in seen:
            seen.add(comparison.compare_type)
            latest.append(comparison)
    return latest


def issue_counts(job: JobView) -> tuple[int, int, bool]:
    """(object types and tables that differ in the latest comparison of each kind, parts that
    failed to refresh, whether one of those latest comparisons is still running)."""
    differing = 0
    running = False
    obj = job.object_comparison
    if obj is not None:
        if obj.finished:
            differing += sum(1 for row in obj.rows if row.result is TypeResult.INCONSISTENT)
        else:
            running = True  # a running comparison's counts are partial: not a difference
    for comparison in latest_data_comparisons(job):
        if comparison.finished:
            differing += sum(1 for table in comparison.tables if table.result is TypeResult.INCONSISTENT)
        else:
            running = True
    return differing, len(job.problems), running


def issues_cell(job: JobView) -> Cell:
    differing, stale, running = issue_counts(job)
    parts = []
    if differing:
        parts.append(f"{differing} differ")
    if running:
        parts.append("comparing…")
    if stale:
        parts.append(f"⚠ {stale} stale")
    if not parts:
        return Cell(DASH, Tone.DIM)
    return Cell(" · ".join(parts), Tone.BAD if differing else Tone.WARN if stale else Tone.BUSY)


def name_cell(job: JobView, width: int | None = None) -> Cell:
    """A child job sits indented under its parent; a parent says how many children it has.
    Cut to `width`, a name loses its middle: `DRS-bil…e-002` and `DRS-bil…-sync` stay two jobs."""
    if job.parent_id:
        text, style = f" └ {job.name}", ""
    elif job.is_parent:
        text, style = f"{job.name} ▾{len(job.child_ids)}", "bold"
    else:
        text, style = job.name, "bold"
    if width is not None and text_width(text) > width:
        text = middle_ellipsis(text, width, end_share=0.5)
    return Cell(text, style)


def with_children_under_parents(ordered: Sequence[JobView]) -> list[JobView]:
    """`ordered` with each child moved right under its parent (children keep their order);
    a child whose parent is not shown stays where it is."""
    shown = {job.id for job in ordered}
    children: dict[str, list[JobView]] = {}
    for job in ordered:
        if job.parent_id and job.parent_id in shown:
            children.setdefault(job.parent_id, []).append(job)
    out: list[JobView] = []
    for job in ordered:
        if job.parent_id and job.parent_id in shown:
            continue
        out.append(job)
        out.extend(children.get(job.id, ()))
    return out


def job_cells(job: JobView, *, short_status: bool = False, name_width: int | None = None) -> tuple[Cell, ...]:
    verdict_text, verdict_tone = verdict_label(job.verdict)
    status = short_job_status(job.status) if short_status else job.status
    return (
        name_cell(job, name_width),
        verdict_cell(job.readiness),
        lag_cell(job.replication),
        Cell(verdict_text, verdict_tone),
        issues_cell(job),
        Cell(status, job_status_tone(job.status)),
        Cell(engine_label(job)),
    )


def scope_cell(job: JobView, state: LinkState) -> Cell:
    label = job.scope.label if job.scope is not None else DASH
    return Cell(label + STATE_GLYPH.get(state, " ?"), Tone.DIM if state is LinkState.OK else link_tone(state))


def severity(job: JobView) -> int:
    if job_is_failed(job.status):
        return VERDICT_SEVERITY[Verdict.FAILED]
    return VERDICT_SEVERITY.get(job.verdict, 2)


def sort_jobs(jobs: Sequence[JobView], order: SortOrder) -> list[JobView]:
    if order is SortOrder.NAME:
        return sorted(jobs, key=lambda job: (job.name.lower(), job.key))
    if order is SortOrder.STATUS:
        return sorted(jobs, key=lambda job: (job.status, job.name.lower(), job.key))
    return sorted(jobs, key=lambda job: (severity(job), job.name.lower(), job.key))


def matches(job: JobView, needle: str) -> bool:
    """Case-insensitive substring match across name, id, engine and status (and verdict)."""
    if not needle:
        return True
    haystack = " ".join(
        (job.name, job.id, engine_label(job), job.status, str(job.verdict),
         job.scope.label if job.scope is not None else "")
    ).lower()
    return needle.lower() in haystack


NO_JOBS = "No DRS jobs listed for this project and region (or none match --job)."


class JobsTable(KeyedTable):
    """The jobs DataTable; its row keys are `JobView.key` (the DRS job id; among several
    scopes, (scope, id))."""


class JobsPane(Vertical):
    """Jobs table with a `/` filter and a sort order that cycles with `o`."""

    DEFAULT_CSS = """
    JobsPane > #jobs-filter { display: none; height: 1; border: none; padding: 0 1; }
    JobsPane.-filtering > #jobs-filter { display: block; }
    JobsPane > JobsTable { height: 1fr; }
    JobsPane > #jobs-empty { display: none; height: auto; padding: 0 1; color: $text-muted; }
    JobsPane.-empty-reason > #jobs-empty { display: block; }
    JobsPane.-stale.-can-dim > JobsTable { text-opacity: 60%; }
    """

    class JobHighlighted(Message):
        """The cursor moved to another job (None: no job is shown)."""

        def __init__(self, job_id: str | None) -> None:
            super().__init__()
            self.job_id = job_id

    class JobChosen(Message):
        """Enter on a job: the user wants its details."""

        def __init__(self, job_id: str) -> None:
            super().__init__()
            self.job_id = job_id

    def __init__(self, *, scoped: bool = False, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.scoped = scoped  # several scopes: a Scope column, stale marks per scope
        self._scope_states: dict[Scope, LinkState] = {}
        self._jobs: tuple[JobView, ...] = ()
        # Cache by job identity (and its scope's state).
        self._cells: dict[str, tuple[JobView, LinkState | None, tuple[Cell, ...]]] = {}
        self.job_order = SortOrder.SEVERITY
        self.filter_text = ""
        self._last_highlight: str | None = None
        self._stale_since: datetime | None = None
        self._stale = False
        self.short_status = False  # too narrow for INCRE_TRANSFER_STARTED: write INCR run
        self.name_width: int | None = None  # too narrow for the longest name: cut names to this

    def on_mount(self) -> None:
        if not self.border_title:
            set_title(self, "1:Jobs")

    def compose(self) -> ComposeResult:
        yield PlainInput(placeholder="filter: name, id, engine, status  (Enter keeps, Esc clears)", id="jobs-filter")
        yield PlainStatic("", id="jobs-empty")
        yield JobsTable(((SCOPE_COLUMN,) if self.scoped else ()) + COLUMNS, id="jobs-table")

    # -- public ----------------------------------------------------------------------------
    @property
    def table(self) -> JobsTable:
        return self.query_one(JobsTable)

    @property
    def highlighted_job_id(self) -> str | None:
        return self.table.cursor_key

    @property
    def visible_job_ids(self) -> list[str]:
        return self.table.keys_in_order

    def show_jobs(self, jobs: tuple[JobView, ...], *, highlight_changes: bool,
                  scope_states: dict[Scope, LinkState] | None = None) -> int:
        """Render a new list of jobs (from a Snapshot). Returns the DataTable calls made.

        `scope_states`: with several scopes, each one's connection state; the jobs of a scope
        that is not fresh say so in their Scope cell."""
        self._jobs = jobs
        self._scope_states = scope_states or {}
        return self._repaint(highlight_changes)

    def show_trust(self, *, stale_since: datetime | None, empty_reason: str | None) -> None:
        """Rows under a STALE / AUTH FAILED header are dimmed and the title says from when they
        are; an empty table says why it is empty."""
        self._stale, self._stale_since = stale_since is not None, stale_since
        self.set_class(self._stale, "-stale")
        # Dimmed colours lower to other hues in 16 colours (red to yellow, green to grey): there
        # the marked title and the bar say it, and the rows keep their colours.
        self.set_class(self.app.console.color_system not in ("standard", "windows"), "-can-dim")
        if not self._jobs:
            self.query_one("#jobs-empty", PlainStatic).update(empty_reason or NO_JOBS)
        self.set_class(not self._jobs, "-empty-reason")
        self._update_title()

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self._repaint(False)

    def cycle_sort(self) -> SortOrder:
        self.job_order = self.job_order.next()
        self._repaint(False)
        self._update_title()
        return self.job_order

    # -- rendering -------------------------------------------------------------------------
    def _rows(self) -> list[Row]:
        rows: list[Row] = []
        shown = sort_jobs([job for job in self._jobs if matches(job, self.filter_text)], self.job_order)
        for job in with_children_under_parents(shown):
            state = self._scope_states.get(job.scope, LinkState.OK) if self.scoped and job.scope else None
            cached = self._cells.get(job.key)
            if cached is None or cached[0] is not job or cached[1] is not state:
                cells = job_cells(job, short_status=self.short_status, name_width=self.name_width)
                if self.scoped:
                    cells = (scope_cell(job, state or LinkState.OK),) + cells
                cached = (job, state, cells)
                self._cells[job.key] = cached
            rows.append((job.key, cached[2]))
        return rows

    def _repaint(self, highlight_changes: bool) -> int:
        live_ids = {job.key for job in self._jobs}
        for stale_id in [job_id for job_id in self._cells if job_id not in live_ids]:
            del self._cells[stale_id]
        rows = self._rows()
        short_status, widths = self._column_plan(rows)
        if (short_status, widths.get("name")) != (self.short_status, self.name_width):
            self.short_status, self.name_width = short_status, widths.get("name")
            self._cells.clear()
            rows = self._rows()
        writes = self.table.sync(rows, highlight_changes=highlight_changes)
        self.table.set_widths(widths)
        self._update_title()
        self._announce_highlight()
        return writes

    def _column_plan(self, rows: list[Row]) -> tuple[bool, dict[str, int]]:
        """Short statuses or not, and the columns to narrow, for the table's width now: the
        cutover verdict, lag, comparison verdict and status stay whole; names give way first."""
        table = self.table
        # The rows about to be shown decide whether a vertical scrollbar takes its cells.
        available = table.content_region.width
        if len(rows) + 1 > table.content_region.height:
            available -= table.styles.scrollbar_size_vertical
        if available <= 0:
            return self.short_status, {}
        # Measured from the shown cells: all but the name and status (measured whole, from every
        # job, below) and the engine (the last column: the one left to scroll to).
        measured = [(index, str(key.value), column) for index, (key, column) in enumerate(table.columns.items())
                    if key.value not in ("name", "status", "engine")]
        natural = {key: text_width(str(column.label)) for _, key, column in measured}
        for _, cells in rows:
            for index, key, _ in measured:
                natural[key] = max(natural[key], text_width(cells[index].text))
        room = available - 2 * table.cell_padding * (len(natural) + 2)  # + name and status
        natural["name"] = max([text_width("Job"), *(text_width(name_cell(job).text) for job in self._jobs)])
        shown = [job.status for job in self._jobs]
        natural["status"] = max([text_width("Status"), *map(text_width, shown)])
        short = not fits(natural, room, GIVE_WAY)
        if short:
            natural["status"] = max([text_width("Status"), *(text_width(short_job_status(s)) for s in shown)])
        return short, fit_widths(natural, room, GIVE_WAY)

    def on_resize(self) -> None:
        # The table gets its new size in the same layout pass: plan the columns after it.
        self.call_after_refresh(self._repaint, False)

    def _update_title(self) -> None:
        shown, total = self.table.row_count, len(self._jobs)
        count = f"{shown} of {total}" if self.filter_text else f"{total}"
        title = f"1:Jobs ({count}) · sort: {self.job_order}"
        if self.filter_text:
            title += f" · filter: {self.filter_text!r}"
        if self._stale:
            title += f" · ■ STALE, as of {clock_time(self._stale_since)}"
        set_title(self, title)  # the filter is typed text: never markup

    def _announce_highlight(self) -> None:
        current = self.highlighted_job_id
        if current != self._last_highlight:
            self._last_highlight = current
            self.post_message(self.JobHighlighted(current))

    # -- events ----------------------------------------------------------------------------
    @on(DataTable.RowHighlighted, "#jobs-table")
    def _on_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._announce_highlight()

    @on(DataTable.RowSelected, "#jobs-table")
    def _on_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        if event.row_key.value is not None:
            self.post_message(self.JobChosen(str(event.row_key.value)))

    @on(Input.Changed, "#jobs-filter")
    def _on_filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.set_filter(event.value.strip())

    @on(Input.Submitted, "#jobs-filter")
    def _on_filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.remove_class("-filtering")
        self.table.focus()

    def on_key(self, event) -> None:  # type: ignore[no-untyped-def]
        # Esc in the filter (or on the table while filtered) clears the filter.
        if event.key == "escape" and (self.filter_text or self.has_class("-filtering")):
            event.stop()
            self.action_clear_filter()

    # -- actions ---------------------------------------------------------------------------
    def action_start_filter(self) -> None:
        self.add_class("-filtering")
        self.query_one("#jobs-filter", Input).focus()

    def action_clear_filter(self) -> None:
        filter_input = self.query_one("#jobs-filter", Input)
        with filter_input.prevent(Input.Changed):
            filter_input.value = ""
        self.remove_class("-filtering")
        self.set_filter("")
        self.table.focus()

