"""Key s: batch-export SMS consistency results (docs/api/sms.md §3.1).

Lists the migration tasks with their source server and whether a consistency result exists;
space toggles a task, `a` selects every visible one, `n` clears; the filter narrows the list.
Export sends calls of at most 200 tasks (the API layer splits them), each answer saved as its
own file; the dialog shows each call's outcome and so does the exports pane.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, DataTable, Input

from drstui.monitor.actions import Actions, SmsTaskChoice, sms_call_count
from drstui.monitor.snapshot import ExportRecord
from drstui.monitor.source import MonitorError
from drstui.text import plain
from drstui.ui.dialogs.base import ActionDialog
from drstui.ui.dialogs.frame import TickBox
from drstui.ui.formatting import DASH
from drstui.ui.plain import PlainInput, PlainStatic
from drstui.ui.theme import Tone

COLUMNS = ("", "Task", "State", "Result", "Source server", "Source id", "Task id")


def tail_id(identifier: str, keep: int = 12) -> str:
    """The distinctive end of a UUID (task ids often share their start)."""
    return identifier if len(identifier) <= keep + 1 else f"…{identifier[-keep:]}"


def matches(choice: SmsTaskChoice, needle: str, only_with_result: bool) -> bool:
    if only_with_result and not choice.has_result:
        return False
    if not needle:
        return True
    haystack = " ".join((choice.task_name, choice.task_id, choice.source_name, choice.source_id, choice.state)).lower()
    return all(word in haystack for word in needle.lower().split())


def batch_lines(record: ExportRecord) -> list[Text]:
    """Per call: tasks, saved path, or the API's error."""
    lines = []
    for batch in record.batches:
        line = Text(f"call {batch.index}: {batch.task_count} task{'s' if batch.task_count != 1 else ''} ")
        if batch.ok:
            line.append("✔ saved ", style=Tone.OK)
            line.append(batch.saved_path or DASH)
        else:
            line.append("✘ ", style=Tone.BAD)
            line.append(batch.error or "failed", style=Tone.BAD)
        lines.append(line)
    return lines


class SmsTaskTable(DataTable[Text]):
    BINDINGS = [
        Binding("space", "toggle", "Toggle", show=False),
        Binding("a", "select_all", "All visible", show=False),
        Binding("n", "select_none", "None", show=False),
    ]

    def action_toggle(self) -> None:
        self.screen.toggle_current()  # type: ignore[attr-defined]

    def action_select_all(self) -> None:
        self.screen.select_all_visible()  # type: ignore[attr-defined]

    def action_select_none(self) -> None:
        self.screen.select_none()  # type: ignore[attr-defined]


class SmsExportScreen(ActionDialog[ExportRecord]):
    SEND_BUTTON = "sms-send"
    BUSY_MESSAGE = "the export is running: wait for it to finish"

    DEFAULT_CSS = """
    SmsExportScreen > #sms-box { width: 100%; max-width: 130; height: 100%; max-height: 40; padding: 0 1 0 0; }
    SmsExportScreen #sms-filter-row { height: auto; }
    SmsExportScreen Checkbox { margin-left: 1; }
    SmsExportScreen #sms-tasks { height: 1fr; }
    SmsExportScreen #sms-status { height: auto; }
    SmsExportScreen .dialog-foot { padding-left: 1; }
    SmsExportScreen #sms-results { height: auto; max-height: 6; }
    """

    def __init__(self, actions: Actions) -> None:
        super().__init__()
        self.actions = actions
        self.tasks: tuple[SmsTaskChoice, ...] = ()
        self.selected: set[str] = set()
        self.shown: list[SmsTaskChoice] = []
        self.loaded = False
        self.record: ExportRecord | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="sms-box", classes="dialog-box") as box:
            box.border_title = "Export SMS consistency results"
            box.border_subtitle = "space toggle · a all visible · n none · tab next · esc close"
            with Horizontal(id="sms-filter-row"):
                yield PlainInput(placeholder="filter: task, source, id or state", id="sms-filter")
                yield TickBox("only with a consistency result", False, id="sms-only-result")
            table = SmsTaskTable(id="sms-tasks", cursor_type="row", zebra_stripes=False)
            table.add_columns(*COLUMNS)
            yield table
            with Vertical(classes="dialog-foot"):
                yield PlainStatic("listing SMS migration tasks…", id="sms-status")
                yield PlainStatic("", id="sms-problems", classes="dialog-problems")
                yield PlainStatic("", id="sms-results")
                with Horizontal(id="sms-buttons", classes="dialog-buttons"):
                    yield Button("Export…", id="sms-send", variant="primary", disabled=True)
                    yield Button("Close", id="sms-cancel")

    def on_mount(self) -> None:
        self.query_one(SmsTaskTable).focus()
        self.run_worker(self._load(), group="sms-load", exclusive=True)

    async def _load(self) -> None:
        try:
            self.tasks = await self.actions.list_sms_tasks()
        except MonitorError as error:
            if not self.is_attached:
                return
            self.query_one("#sms-status", PlainStatic).update(Text(f"✘ {error}", style=Tone.BAD))
            return
        if not self.is_attached:
            return  # closed while loading: nothing to show it in
        self.loaded = True
        self.fill_table()

    # -- selection ----------------------------------------------------------------------------
    @property
    def selected_items(self) -> list:
        return [t.item for t in self.tasks if t.task_id in self.selected and t.item is not None]

    def fill_table(self) -> None:
        table = self.query_one(SmsTaskTable)
        needle = self.query_one("#sms-filter", Input).value.strip()
        only = self.query_one("#sms-only-result", Checkbox).value
        self.shown = [t for t in self.tasks if matches(t, needle, only)]
        cursor = table.cursor_row
        table.clear()
        for task in self.shown:
            table.add_row(*self._cells(task), key=task.task_id)
        if self.shown:
            table.move_cursor(row=min(cursor, len(self.shown) - 1))
        self.show_status()

    def _cells(self, task: SmsTaskChoice) -> tuple[Text, ...]:
        if task.item is None:
            mark = Text("–", style=Tone.DIM)
        else:
            mark = Text("[x]", style="bold") if task.task_id in self.selected else Text("[ ]")
        result = (Text("yes", style=Tone.OK) if task.has_result else
                  Text("no", style=Tone.DIM) if task.has_result is False else Text(DASH, style=Tone.DIM))
        return (mark, plain(task.task_name or DASH), plain(task.state or DASH), result,
                plain(task.source_name or DASH), plain(tail_id(task.source_id) if task.source_id else DASH),
                plain(tail_id(task.task_id), style=Tone.DIM))

    def _redraw_mark(self, task: SmsTaskChoice) -> None:
        table = self.query_one(SmsTaskTable)
        table.update_cell(task.task_id, table.ordered_columns[0].key, self._cells(task)[0])

    def toggle_current(self) -> None:
        if not self.shown:
            return
        row = self.query_one(SmsTaskTable).cursor_row
        if not 0 <= row < len(self.shown):
            return
        task = self.shown[row]
        if task.item is None:
            self.notify(f"{task.task_name or task.task_id} has no source server id: it cannot be exported",
                        severity="warning")
            return
        self.selected.symmetric_difference_update({task.task_id})
        self._redraw_mark(task)
        self.show_status()

    def select_all_visible(self) -> None:
        for task in self.shown:
            if task.item is not None and task.task_id not in self.selected:
                self.selected.add(task.task_id)
                self._redraw_mark(task)
        self.show_status()

    def select_none(self) -> None:
        chosen = [t for t in self.shown if t.task_id in self.selected]
        self.selected.clear()
        for task in chosen:
            self._redraw_mark(task)
        self.show_status()

    def show_status(self) -> None:
        count = len(self.selected_items)
        calls = sms_call_count(count)
        with_result = sum(1 for t in self.tasks if t.has_result)
        text = Text(f"{count} selected", style="bold")
        text.append(f" · {len(self.shown)} shown of {len(self.tasks)} tasks ({with_result} with a consistency result)")
        if count:
            text.append(f" · will be sent in {calls} call{'s' if calls != 1 else ''} of at most 200",
                        style=Tone.WARN if calls > 1 else "")
        self.query_one("#sms-status", PlainStatic).update(text)
        self.query_one("#sms-send", Button).disabled = self.sending or not self.loaded

    @on(Input.Changed, "#sms-filter")
    @on(Checkbox.Changed, "#sms-only-result")
    def _filter_changed(self) -> None:
        if self.loaded:
            self.fill_table()

    # -- sending ------------------------------------------------------------------------------
    def action_send(self) -> None:
        if self.sending:
            return
        items = self.selected_items
        try:
            self.actions.check_sms_export(items)
        except MonitorError as error:
            self.query_one("#sms-problems", PlainStatic).update(f"✘ {error}")
            self.notify(str(error), title="Not sent", severity="error")
            return
        self.query_one("#sms-problems", PlainStatic).update("")
        previews = self.actions.preview_sms_export(items)
        calls = len(previews)
        summary = (f"Export the consistency results of {len(items)} SMS task{'s' if len(items) != 1 else ''} "
                   f"in {calls} call{'s' if calls != 1 else ''} of at most 200; each answer is saved in "
                   f"{self.actions.download_dir}.")
        self.confirm("Export SMS consistency results?", summary, previews, lambda: self._start(items))

    def _start(self, items: list) -> None:
        self.query_one("#sms-results", PlainStatic).update("exporting…")
        self.run_worker(self._send(items), group="sms-send")

    async def _send(self, items: list) -> None:
        app = self.app
        results = self.query_one("#sms-results", PlainStatic)
        try:
            record = await self.actions.run_sms_export(items)
        except MonitorError as error:
            results.update(Text(f"✘ {error}", style=Tone.BAD))
            app.notify(str(error), title="SMS export failed", severity="error", timeout=15)
        else:
            self.record = record
            results.update(Text("\n").join(batch_lines(record)))
            failed = sum(1 for b in record.batches if not b.ok)
            summary = (f"{len(record.batches) - failed} of {len(record.batches)} call(s) saved"
                       + (f", {failed} failed" if failed else ""))
            app.notify(summary, title="SMS export", severity="warning" if failed else "information", timeout=15)
        finally:
            self.sending = False
            self.show_status()

    def close_result(self) -> ExportRecord | None:
        return self.record
