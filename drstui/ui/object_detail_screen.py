"""Drill-down: the objects of one type in an object-level comparison (which objects differ)."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Footer

from drstui.monitor.snapshot import ObjectDetailRow, TypeResult
from drstui.monitor.source import MonitorError, MonitorSource
from drstui.ui.formatting import DASH, one_line, short_id
from drstui.ui.header import HeaderState, StatusLine
from drstui.ui.keyed_table import Cell, Column, KeyedTable, Row
from drstui.ui.plain import PlainStatic
from drstui.ui.theme import Tone, result_label

COLUMNS = (
    Column("source", "Source object"),
    Column("target", "Target object"),
    Column("source_value", "Source value"),
    Column("target_value", "Target value"),
    Column("result", "Result"),
    Column("message", "Message"),
)


def detail_rows(rows: tuple[ObjectDetailRow, ...]) -> list[Row]:
    # Differences first, otherwise in the API's order (sorted() is stable).
    ordered = sorted(rows, key=lambda row: row.result is not TypeResult.INCONSISTENT)
    result: list[Row] = []
    for index, row in enumerate(ordered):
        text, tone = result_label(row.result)
        result.append(
            (
                f"{index}",
                (
                    Cell(row.source_name or DASH, "bold" if row.result is TypeResult.INCONSISTENT else ""),
                    Cell(row.target_name or DASH, "" if row.target_name else Tone.DIM),
                    Cell(one_line(row.source_value, 60) or DASH),
                    Cell(one_line(row.target_value, 60) or DASH),
                    Cell(text, tone),
                    Cell(one_line(row.error_message, 120) or DASH, Tone.BAD if row.error_message else Tone.DIM),
                ),
            )
        )
    return result


class ObjectDetailTable(KeyedTable):
    """The objects of one type."""


class ObjectDetailScreen(Screen[None]):
    """Loads `source.object_detail(...)` in a worker; shows loading, rows, or the error."""

    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("r", "reload", "Reload"),
    ]

    DEFAULT_CSS = """
    ObjectDetailScreen > #object-detail-title { height: auto; padding: 0 1; background: $boost; }
    ObjectDetailScreen > #object-detail-status { height: auto; padding: 0 1; }
    ObjectDetailScreen > ObjectDetailTable { height: 1fr; }
    """

    def __init__(
        self,
        source: MonitorSource,
        *,
        job_id: str,
        job_name: str,
        object_type: str,
        compare_job_id: str | None,
        header: HeaderState,
    ) -> None:
        super().__init__()
        self.source = source
        self.job_id = job_id
        self.job_name = job_name
        self.object_type = object_type
        self.compare_job_id = compare_job_id
        self._header = header
        self.rows: tuple[ObjectDetailRow, ...] | None = None
        self.error: str | None = None

    def compose(self) -> ComposeResult:
        yield StatusLine(self._header)
        title = Text()
        title.append(f"{self.job_name} › {self.object_type}", "bold")
        title.append(f"  object comparison {short_id(self.compare_job_id)} · esc: back · r: reload", Tone.DIM)
        yield PlainStatic(title, id="object-detail-title")
        yield PlainStatic("", id="object-detail-status")
        yield ObjectDetailTable(COLUMNS, id="object-detail-table")
        yield Footer()

    def on_mount(self) -> None:
        self.action_reload()

    def action_reload(self) -> None:
        self.run_worker(self._load(), name="object-detail", group="object-detail", exclusive=True)

    def action_back(self) -> None:
        self.app.pop_screen()

    async def _load(self) -> None:
        status = self.query_one("#object-detail-status", PlainStatic)
        status.update(Text(f"⟳ Loading {self.object_type} objects…", Tone.BUSY))
        try:
            rows = await self.source.object_detail(self.job_id, self.object_type, self.compare_job_id)
        except MonitorError as error:
            if not self.is_attached:
                return
            self._show_error(str(error))
            return
        except Exception as error:  # noqa: BLE001 - a bug in a source must not kill the monitor
            if not self.is_attached:
                return
            self._show_error(f"unexpected {type(error).__name__}: {error}")
            return
        if not self.is_attached:
            return  # closed while loading: nothing to show it in
        self.rows = tuple(rows)
        self.error = None
        differing = sum(1 for row in rows if row.result is TypeResult.INCONSISTENT)
        summary = Text(f"{len(rows)} {self.object_type} objects, ")
        summary.append(f"{differing} differ", Tone.BAD if differing else Tone.OK)
        if not rows:
            summary = Text(f"No {self.object_type} objects in this comparison.", Tone.DIM)
        status.update(summary)
        table = self.query_one(ObjectDetailTable)
        table.display = True
        table.sync(detail_rows(self.rows), highlight_changes=False)
        table.focus()

    def _show_error(self, message: str) -> None:
        self.error = one_line(message, 300)
        self.query_one("#object-detail-status", PlainStatic).update(
            Text(f"✘ Could not load the {self.object_type} objects: {self.error}\n"
                 "  r: try again · esc: back", Tone.BAD)
        )
        self.query_one(ObjectDetailTable).display = False
