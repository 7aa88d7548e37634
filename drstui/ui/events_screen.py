"""The events view (`v`): every transition seen this session and earlier today, newest first.

`EventHistory` is what the app keeps (bounded): the day's cutover log read once at start, then
the transitions of every refresh. `EventsScreen` shows it as a keyed table (new events are
added by key, the cursor stays on its event), filterable with `/`; Enter jumps to the job.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Footer, Input

from drstui.monitor import changes
from drstui.monitor.transition import Transition
from drstui.ui.column_fit import short_job_status
from drstui.ui.formatting import DASH, clock_time, one_line, short_id
from drstui.ui.header import HeaderState, StatusLine
from drstui.ui.keyed_table import Cell, Column, KeyedTable, Row
from drstui.ui.messages import JumpTo
from drstui.ui.plain import PlainInput, PlainStatic
from drstui.ui.theme import Tone

MAX_EVENTS = 5000  # a long cutover day; older ones stay in the log file

SEVERITY_CELLS = {
    changes.INFO: Cell("info", Tone.PLAIN),
    changes.WARNING: Cell("warn", Tone.WARN),
    changes.ERROR: Cell("error", Tone.BAD),
}
SEVERITY_TONES = {changes.INFO: Tone.PLAIN, changes.WARNING: Tone.WARN, changes.ERROR: Tone.BAD}

KIND_LABELS = {
    changes.JOB_STATUS: "job status",
    changes.COMPARISON_STARTED: "started",
    changes.COMPARISON_STATUS: "status",
    changes.COMPARISON_VERDICT: "verdict",
    changes.OBJECT_COUNTS: "counts",
    changes.EXPORT_READY: "export ready",
    changes.EXPORT_FAILED: "export failed",
    changes.EXPORT_SAVED: "export saved",
    changes.CONNECTION: "connection",
}

SHORT_STATUSES_BELOW = 120  # columns

COLUMNS = (
    Column("time", "Time"),
    Column("severity", "Sev"),
    Column("job", "Job"),
    Column("kind", "Event"),
    Column("comparison", "Compare"),
    Column("change", "Old → new"),
    Column("counts", "Counts"),
    Column("message", "Message"),
)


@dataclass(frozen=True)
class Event:
    key: str
    transition: Transition
    earlier: bool  # read from the log at start, not seen by this session


class EventHistory:
    """The transitions the events view lists, oldest first, at most `maxlen`."""

    def __init__(self, maxlen: int = MAX_EVENTS) -> None:
        self.maxlen = maxlen
        self._events: deque[Event] = deque(maxlen=maxlen)
        self._count = 0
        self.session_count = 0

    def add(self, found: Iterable[Transition], *, earlier: bool = False) -> list[Event]:
        added = []
        for transition in found:
            self._count += 1
            event = Event(f"e{self._count}", transition, earlier)
            self._events.append(event)
            added.append(event)
        if not earlier:
            self.session_count += len(added)
        return added

    def newest_first(self) -> list[Event]:
        return list(reversed(self._events))

    def __len__(self) -> int:
        return len(self._events)


# -- rows -------------------------------------------------------------------------------------
def change_text(transition: Transition, *, short_statuses: bool = False) -> str:
    if transition.kind == changes.OBJECT_COUNTS:
        return "; ".join(
            f"{name} {_n(c.get('old_source'))}/{_n(c.get('old_target'))} → {_n(c.get('source'))}/{_n(c.get('target'))}"
            for name, c in transition.counts.items()
            if isinstance(c, dict)
        )
    if transition.old is None and transition.new is None:
        return DASH
    old, new = transition.old, transition.new
    if short_statuses and transition.kind == changes.JOB_STATUS:
        # FULL_TRANSFER_FAILED → INCRE_TRANSFER_STARTED does not fit 80 columns; the new state
        # is what matters, so both are written short (the legend is in the help).
        old, new = old and short_job_status(old), new and short_job_status(new)
    return f"{old or DASH} → {new or DASH}"


def counts_text(transition: Transition) -> str:
    counts = transition.counts
    if not counts or transition.kind == changes.OBJECT_COUNTS:
        return ""
    if "batches" in counts:
        failed = counts.get("failed_batches") or 0
        return f"{counts['batches']} batches, {failed} failed, {counts.get('tasks', 0)} tasks"
    return ", ".join(f"{value} {name}" for name, value in counts.items() if value and not isinstance(value, dict))


def _n(value: Any) -> str:
    return DASH if value is None else f"{value:,}" if isinstance(value, int) else str(value)


def event_cells(event: Event, *, short_statuses: bool = False) -> tuple[Cell, ...]:
    t = event.transition
    tone = SEVERITY_TONES.get(t.severity, Tone.PLAIN)
    if t.kind == changes.CONNECTION:
        job = "connection"
    else:
        job = t.job_name or short_id(t.job_id)
    return (
        Cell(clock_time(t.at), Tone.DIM if event.earlier else Tone.PLAIN),
        SEVERITY_CELLS.get(t.severity, Cell(t.severity)),
        Cell(one_line(job, 24), "bold"),
        Cell(KIND_LABELS.get(t.kind, t.kind)),
        Cell(short_id(t.comparison_id, 8) if t.comparison_id else DASH, Tone.PLAIN if t.comparison_id else Tone.DIM),
        Cell(one_line(change_text(t, short_statuses=short_statuses), 60), tone),
        Cell(counts_text(t)),
        Cell(one_line(t.message, 160), Tone.DIM),
    )


def matches(event: Event, needle: str) -> bool:
    if not needle:
        return True
    t = event.transition
    haystack = " ".join(
        str(part) for part in (
            t.job_name, t.job_id, t.comparison_id, t.kind, KIND_LABELS.get(t.kind), t.old, t.new,
            t.severity, t.message, clock_time(t.at),
        ) if part
    )
    return needle.lower() in haystack.lower()


# -- the screen -------------------------------------------------------------------------------
class EventsTable(KeyedTable):
    """One row per transition, newest first; row keys are Event keys."""


class EventsScreen(Screen[None]):
    BINDINGS = [
        Binding("escape", "back", "Back"),
        Binding("slash", "filter", "Filter", key_display="/"),
    ]

    DEFAULT_CSS = """
    EventsScreen > #events-title { height: auto; padding: 0 1; background: $boost; }
    EventsScreen > #events-filter { display: none; height: 1; border: none; padding: 0 1; }
    EventsScreen.-filtering > #events-filter { display: block; }
    EventsScreen > EventsTable { height: 1fr; }
    """

    def __init__(
        self,
        history: EventHistory,
        *,
        header: HeaderState,
        log_path: Path | None = None,
        log_error: str | None = None,
    ) -> None:
        super().__init__()
        self.history = history
        self._header = header
        self.log_path = log_path
        self.log_error = log_error
        self.filter_text = ""
        self._cells: dict[str, tuple[Cell, ...]] = {}
        self._short_cells = False  # whether the cached cells write job statuses short

    def compose(self) -> ComposeResult:
        yield StatusLine(self._header)
        yield PlainStatic("", id="events-title")
        yield PlainInput(placeholder="filter: job, comparison, state, text  (Enter keeps, Esc clears)", id="events-filter")
        yield EventsTable(COLUMNS, id="events-table")
        yield Footer()

    @property
    def table(self) -> EventsTable:
        return self.query_one(EventsTable)

    @property
    def visible_keys(self) -> list[str]:
        return self.table.keys_in_order

    @property
    def short_statuses(self) -> bool:
        """Under 120 columns job statuses in Old → new are written short (INCR run)."""
        return 0 < self.size.width < SHORT_STATUSES_BELOW

    def on_resize(self) -> None:
        if self._cells and self._short_cells != self.short_statuses:
            self._cells.clear()
            self.show_events()

    def on_mount(self) -> None:
        self.show_events()
        self.table.focus()

    def show_events(self, log_path: Path | None = None, log_error: str | None = None) -> int:
        """Bring the table up to date with the history (called when transitions arrive)."""
        if log_path is not None:
            self.log_path = log_path
        if log_error is not None:
            self.log_error = log_error
        rows: list[Row] = []
        self._short_cells = self.short_statuses
        listed = self.history.newest_first()
        for event in listed:
            if not matches(event, self.filter_text):
                continue
            cells = self._cells.get(event.key)
            if cells is None:
                cells = self._cells[event.key] = event_cells(event, short_statuses=self.short_statuses)
            rows.append((event.key, cells))
        live = {event.key for event in listed}
        for gone in [key for key in self._cells if key not in live]:
            del self._cells[gone]
        writes = self.table.sync(rows, highlight_changes=False)
        self._show_title(len(rows), len(listed))
        return writes

    def _show_title(self, shown: int, total: int) -> None:
        title = Text()
        title.append("Events", "bold")
        count = f"{shown} of {total}" if self.filter_text else f"{total}"
        title.append(f" · {count} · {self.history.session_count} this session · newest first", Tone.DIM)
        if self.filter_text:
            title.append(f" · filter: {self.filter_text!r}")
        title.append(" · enter: go to job · esc: back", Tone.DIM)
        title.append("\nlog: ")
        if self.log_path is not None:
            title.append(str(self.log_path))
        else:
            title.append("none (this source keeps no cutover log)", Tone.DIM)
        if self.log_error:
            title.append(f"  ✘ {self.log_error}", Tone.BAD)
        widget = self.query_one("#events-title", PlainStatic)
        if getattr(widget, "_shown_text", None) != title:
            widget._shown_text = title  # type: ignore[attr-defined]
            widget.update(title)

    # -- filter --------------------------------------------------------------------------------
    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self.show_events()

    def action_filter(self) -> None:
        self.add_class("-filtering")
        self.query_one("#events-filter", Input).focus()

    def clear_filter(self) -> None:
        box = self.query_one("#events-filter", Input)
        with box.prevent(Input.Changed):
            box.value = ""
        self.remove_class("-filtering")
        self.set_filter("")
        self.table.focus()

    @on(Input.Changed, "#events-filter")
    def _on_filter_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.set_filter(event.value.strip())

    @on(Input.Submitted, "#events-filter")
    def _on_filter_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.remove_class("-filtering")
        self.table.focus()

    def on_key(self, event: events.Key) -> None:
        # Esc while filtering (or filtered) clears the filter; the next Esc goes back.
        if event.key == "escape" and (self.filter_text or self.has_class("-filtering")):
            event.stop()
            event.prevent_default()
            self.clear_filter()

    # -- leaving -------------------------------------------------------------------------------
    def action_back(self) -> None:
        self.app.pop_screen()

    @on(DataTable.RowSelected, "#events-table")
    def _on_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        key = event.row_key.value
        chosen = next((e for e in self.history.newest_first() if e.key == key), None)
        if chosen is not None:
            self.post_message(JumpTo(chosen.transition.job_id, export=chosen.transition.kind in _EXPORT_KINDS))


_EXPORT_KINDS = frozenset({changes.EXPORT_READY, changes.EXPORT_FAILED, changes.EXPORT_SAVED})


def show_in_open_screens(screens: Sequence[Screen[Any]], log_path: Path | None, log_error: str | None) -> None:
    """Update every events view on the screen stack (there is at most one)."""
    for screen in screens:
        if isinstance(screen, EventsScreen) and screen.is_mounted:  # else on_mount shows them
            screen.show_events(log_path, log_error)
