"""The exports pane: comparison-report exports and SMS batch exports, with expiry countdowns."""

from __future__ import annotations

import os
from datetime import datetime

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import DataTable

from drstui.monitor.snapshot import ExportRecord, SmsBatchResult
from drstui.ui.formatting import DASH, home_relative, human_duration, middle_ellipsis, one_line, remaining_seconds
from drstui.ui.keyed_table import Cell, Column, KeyedTable, Row
from drstui.ui.plain import set_title
from drstui.ui.theme import Tone, export_status_tone

COLUMNS = (
    Column("kind", "Kind"),
    Column("job", "Job / tasks"),
    Column("type", "Compare"),
    Column("status", "Status"),
    Column("expires", "Expires in", "right"),
    Column("outcome", "Saved to / message"),
)

EXPIRY_WARNING_SECONDS = 300  # under 5 minutes left: fetch it now


def expiry_cell(record: ExportRecord, now: datetime) -> Cell:
    left = remaining_seconds(record.report_remain_seconds, record.remain_as_of, now)
    if left is None:
        return Cell(DASH, Tone.DIM, "right", live=True)
    if left <= 0:
        return Cell("expired", Tone.BAD, "right", live=True)
    tone = Tone.WARN if left < EXPIRY_WARNING_SECONDS else Tone.PLAIN
    return Cell(human_duration(left), tone, "right", live=True)


FOLDER_WIDTH = 32  # a longer folder is cut in the middle; Enter on the row shows it whole


def saved_as(saved_path: str) -> str:
    """The file name whole (what users hand on), then the folder, shortened."""
    folder, _, name = saved_path.rpartition(os.sep)
    if not name:  # a path that ends in a separator: a folder, shortened as a whole
        return middle_ellipsis(home_relative(saved_path), FOLDER_WIDTH)
    return f"{name}  in {middle_ellipsis(home_relative(folder or os.sep), FOLDER_WIDTH)}"


def outcome_cell(saved_path: str | None, message: str | None, *, error: bool) -> Cell:
    """Where the file went, else why not (or what is happening)."""
    text = " · ".join(part for part in (saved_path and saved_as(saved_path), one_line(message, 100)) if part)
    if not text:
        return Cell(DASH, Tone.DIM)
    return Cell(text, Tone.BAD if error and not saved_path else Tone.PLAIN)


def export_cells(record: ExportRecord, now: datetime) -> tuple[Cell, ...]:
    if record.kind == "sms":
        tasks = sum(batch.task_count for batch in record.batches)
        job = f"{tasks} tasks in {len(record.batches)}" if record.batches else DASH
    else:
        job = record.job_name or record.job_id or DASH
    return (
        Cell(record.kind.upper(), "bold"),
        Cell(job),
        Cell(record.compare_type or DASH, "" if record.compare_type else Tone.DIM),
        Cell(record.status, export_status_tone(record.status)),
        expiry_cell(record, now),
        outcome_cell(record.saved_path, record.message, error=export_status_tone(record.status) is Tone.BAD),
    )


def full_outcome(record: ExportRecord) -> str:
    lines = [f"{record.status}: saved to {record.saved_path}" if record.saved_path else record.status]
    if record.message:
        lines.append(record.message)
    for batch in record.batches:
        lines.append(f"batch {batch.index}: " + (batch.saved_path or batch.error or DASH))
    return "\n".join(lines)


def batch_cells(batch: SmsBatchResult) -> tuple[Cell, ...]:
    status, tone = ("✔ ok", Tone.OK) if batch.ok else ("✘ error", Tone.BAD)
    return (
        Cell(f" └ batch {batch.index}", Tone.DIM),
        Cell(f"{batch.task_count} tasks"),
        Cell(DASH, Tone.DIM),
        Cell(status, tone),
        Cell(DASH, Tone.DIM, "right"),
        outcome_cell(batch.saved_path, batch.error, error=not batch.ok),
    )


def export_rows(exports: tuple[ExportRecord, ...], now: datetime) -> list[Row]:
    rows: list[Row] = []
    for record in exports:
        rows.append((record.key, export_cells(record, now)))
        for batch in record.batches:
            rows.append((f"{record.key}#batch{batch.index}", batch_cells(batch)))
    return rows


class ExportsTable(KeyedTable):
    """Exports, with SMS batch results as indented rows under their export."""


class ExportsPane(Vertical):
    DEFAULT_CSS = """
    ExportsPane > ExportsTable { height: 1fr; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._exports: tuple[ExportRecord, ...] = ()

    def on_mount(self) -> None:
        if not self.border_title:
            set_title(self, "3:Exports")

    def compose(self) -> ComposeResult:
        yield ExportsTable(COLUMNS, id="exports-table")

    @property
    def table(self) -> ExportsTable:
        return self.query_one(ExportsTable)

    def show_exports(self, exports: tuple[ExportRecord, ...], now: datetime, *, highlight_changes: bool) -> int:
        """Render the exports of a new Snapshot. Returns the DataTable calls made."""
        self._exports = exports
        writes = self.table.sync(export_rows(exports, now), highlight_changes=highlight_changes)
        title = f"3:Exports ({len(exports)})"
        set_title(self, title)
        return writes

    @on(DataTable.RowSelected, "#exports-table")
    def _on_row_selected(self, event: DataTable.RowSelected) -> None:
        """Enter on an export: its full paths and message, which the table cuts."""
        key = str(event.row_key.value)
        record = next((r for r in self._exports if r.key == key.split("#batch", 1)[0]), None)
        if record is not None:
            self.notify(full_outcome(record), title=f"Export: {record.job_name or record.kind.upper()}", timeout=30)

    def tick(self, now: datetime) -> int:
        """Advance the countdowns (once a second); only cells whose text changed are redrawn."""
        if not any(record.report_remain_seconds is not None for record in self._exports):
            return 0
        return self.table.sync(export_rows(self._exports, now), highlight_changes=False)
