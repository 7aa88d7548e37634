"""Enter on an inconsistent table of a value comparison: which rows differ.

The differing keys, each row only in the source, only in the target, or on both sides with
different values, and the SQL that selects it on each side, in pages (`]` next, `[` previous).
`w` writes the SQL of every differing row to a file in the download directory and copies it to
the clipboard where the terminal supports it (OSC 52).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer

from drstui.monitor.differences import PAGE_ROWS, DifferenceLine, DifferencePage, sql_filename, sql_text
from drstui.monitor.source import MonitorError
from drstui.text import plain
from drstui.ui.formatting import DASH, one_line, short_id
from drstui.ui.header import HeaderState, StatusLine
from drstui.ui.keyed_table import Cell, Column, KeyedTable, Row
from drstui.ui.plain import PlainStatic
from drstui.ui.theme import Tone

COLUMNS = (
    Column("kind", "Where"),
    Column("key", "Key"),
    Column("source_sql", "SQL on the source"),
    Column("target_sql", "SQL on the target"),
)
KIND_TONES = {"only in source": Tone.BAD, "only in target": Tone.WARN, "different": Tone.BAD}


def difference_rows(page: DifferencePage) -> list[Row]:
    return [
        (
            f"{page.offset + index}",
            (
                Cell(line.kind, KIND_TONES.get(line.kind, Tone.PLAIN)),
                Cell(one_line(line.key, 40) or DASH, "bold"),
                Cell(one_line(line.source_sql, 200) or DASH, Tone.PLAIN if line.source_sql else Tone.DIM),
                Cell(one_line(line.target_sql, 200) or DASH, Tone.PLAIN if line.target_sql else Tone.DIM),
            ),
        )
        for index, line in enumerate(page.rows)
    ]


def page_summary(page: DifferencePage) -> Text:
    text = Text()
    text.append(f"{page.total} differing rows", Tone.BAD if page.total else Tone.OK)
    text.append(f": {page.only_in_source or 0} only in source · {page.only_in_target or 0} only in target"
                f" · {page.different or 0} different")
    if page.rows:
        first, last = page.offset + 1, page.offset + len(page.rows)
        text.append(f"   page {page.page_number} of {page.page_count} (rows {first}-{last})", Tone.DIM)
    elif page.total == 0:
        text = Text("No differing rows listed for this table (yet).", Tone.DIM)
    return text


class DifferencesTable(KeyedTable):
    """The differing rows of one page."""


class DifferencesScreen(Screen[None]):
    """Loads pages through `reader` (the Monitor's DifferenceReader) in a worker."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("right_square_bracket", "page(1)", "Next page", key_display="]"),
        Binding("left_square_bracket", "page(-1)", "Prev page", key_display="["),
        Binding("w", "write_sql", "Write SQL"),
        Binding("r", "reload", "Reload"),
    ]

    PAGE_SIZE = PAGE_ROWS

    DEFAULT_CSS = """
    DifferencesScreen > #diff-title { height: auto; padding: 0 1; background: $boost; }
    DifferencesScreen > #diff-status { height: auto; padding: 0 1; }
    DifferencesScreen > DifferencesTable { height: 1fr; }
    DifferencesScreen > #diff-sql { height: auto; max-height: 6; padding: 0 1; background: $boost; }
    """

    def __init__(self, reader: Any, *, job_id: str, job_name: str, compare_job_id: str, db_name: str,
                 table_name: str, header: HeaderState, download_dir: Path | None) -> None:
        super().__init__()
        self.reader = reader
        self.job_id = job_id
        self.job_name = job_name
        self.compare_job_id = compare_job_id
        self.db_name = db_name
        self.table_name = table_name
        self._header = header
        self.download_dir = download_dir
        self.page: DifferencePage | None = None
        self.page_offset = 0
        self.error: str | None = None
        self.saved_path: Path | None = None
        self.writing = False

    def compose(self) -> ComposeResult:
        yield StatusLine(self._header)
        title = Text()
        title.append(f"{self.job_name} › {self.db_name}.{self.table_name}", "bold")
        title.append(f"  value comparison {short_id(self.compare_job_id)} · rows that differ", Tone.DIM)
        yield PlainStatic(title, id="diff-title")
        yield PlainStatic("", id="diff-status")
        yield DifferencesTable(COLUMNS, id="diff-table")
        yield PlainStatic("", id="diff-sql")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    # -- loading ---------------------------------------------------------------------------
    def action_reload(self) -> None:
        self.run_worker(self._load(self.page_offset), name="differences", group="differences", exclusive=True)

    def action_page(self, step: int) -> None:
        page = self.page
        if page is None or (step > 0 and not page.has_next) or (step < 0 and not page.has_previous):
            self.notify("No more pages that way", timeout=2)
            return
        self.page_offset = max(0, page.offset + step * page.limit)
        self.action_reload()

    def action_back(self) -> None:
        self.app.pop_screen()

    async def _load(self, offset: int) -> None:
        status = self.query_one("#diff-status", PlainStatic)
        status.update(Text("⟳ Loading the differing rows…", Tone.BUSY))
        try:
            page = await self.reader.page(self.job_id, self.compare_job_id, self.db_name, self.table_name,
                                          offset=offset, limit=self.PAGE_SIZE)
        except MonitorError as error:
            self._show_error(str(error))
            return
        except Exception as error:  # noqa: BLE001 - a bug in a source must not kill the monitor
            self._show_error(f"unexpected {type(error).__name__}: {error}")
            return
        self.page, self.error = page, None
        status.update(page_summary(page))
        table = self.query_one(DifferencesTable)
        table.display = True
        table.sync(difference_rows(page), highlight_changes=False)
        table.focus()
        self._show_sql(table.cursor_key)

    def _show_error(self, message: str) -> None:
        self.error = one_line(message, 300)
        self.query_one("#diff-status", PlainStatic).update(
            Text(f"✘ {self.error}\n  r: try again · esc: back", Tone.BAD))
        self.query_one(DifferencesTable).display = False

    # -- the SQL of the highlighted row ------------------------------------------------------
    def _line(self, key: str | None) -> DifferenceLine | None:
        page = self.page
        if page is None or key is None or not key.isdigit():
            return None
        index = int(key) - page.offset
        return page.rows[index] if 0 <= index < len(page.rows) else None

    def _show_sql(self, key: str | None) -> None:
        line = self._line(key)
        text = Text()
        if line is not None:
            text.append("source: ", Tone.DIM)
            text.append_text(plain(line.source_sql or DASH))
            text.append("\ntarget: ", Tone.DIM)
            text.append_text(plain(line.target_sql or DASH))
        self.query_one("#diff-sql", PlainStatic).update(text)

    @on(DataTable.RowHighlighted, "#diff-table")
    def _on_highlight(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self._show_sql(str(event.row_key.value) if event.row_key.value is not None else None)

    # -- writing the SQL -------------------------------------------------------------------
    def action_write_sql(self) -> None:
        if self.page is None:
            self.notify("Nothing loaded yet", severity="warning", timeout=3)
            return
        if self.download_dir is None:
            self.notify("No download directory in this view: the SQL cannot be written",
                        severity="warning", timeout=5)
            return
        if self.writing:
            self.notify("The SQL file is being written", timeout=3)
            return
        self.writing = True
        self.run_worker(self._write(self.page, self.download_dir), group="differences-write")

    async def _write(self, page: DifferencePage, directory: Path) -> None:
        from drstui.monitor.differences import save_sql

        try:
            rows = await self.reader.all_rows(page)
            text = sql_text(self.job_name, page, rows)
            path = await save_sql(directory, sql_filename(page), text)
        except MonitorError as error:
            self.notify(str(error), title="SQL not written", severity="error", timeout=10)
            return
        finally:
            self.writing = False
        self.saved_path = path
        self.app.copy_to_clipboard(text)  # OSC 52: terminals without it ignore it
        self.notify(f"{len(rows)} rows' SQL written to {path} (and copied where the terminal allows)",
                    title="SQL saved", timeout=10)
