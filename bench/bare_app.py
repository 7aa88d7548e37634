"""A bare Textual app with the same widget types as drstui's monitor screen, static rows.

The start-up baseline: a Static status line, the jobs pane (Input + DataTable), the detail
pane (Statics + three DataTables in a VerticalScroll), the exports DataTable, a Footer. No
data layer, no simulator, no worker: what Textual itself costs to reach the first full paint.
    python bench/bare_app.py [--tick]

With --tick it also rewrites the status line once a second with the data's age, as drstui's
1 Hz tick does: the floor for drstui's idle CPU.
"""

from __future__ import annotations

import sys
import time

from textual.app import App, ComposeResult
from textual.containers import Vertical, VerticalScroll
from textual.widgets import DataTable, Footer, Input, Static

NAMES = ["DRS-orders-sync", "DRS-billing-sync", "DRS-archive-full", "DRS-orders-mysql-001",
         "DRS-billing-oracle-002", "DRS-crm-postgresql-003", "DRS-ledger-postgresql-004",
         "DRS-catalog-mysql-005", "DRS-payments-mysql-006", "DRS-hr-oracle-007",
         "DRS-warehouse-postgresql-008", "DRS-loyalty-postgresql-009"]


class BareApp(App[None]):
    CSS = """
    .pane { border: round $panel-lighten-2; }
    #jobs { height: auto; max-height: 40%; }
    #jobs-filter { display: none; }
    #jobs-table { height: auto; }
    #detail { height: 1fr; }
    #exports { display: none; }
    #status { dock: top; height: 1; background: $panel; }
    """
    BINDINGS = [("q", "quit", "Quit"), ("r", "refresh", "Refresh"), ("p", "pause", "Pause")]
    STATUS = " drstui │ demo (simulator) · cn-north-4 │ ● OK │ {age} │ every 5s"

    def __init__(self, tick: bool = False) -> None:
        super().__init__()
        self.tick = tick
        self.started = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Static(self.STATUS.format(age="data 0s old"), id="status")
        with Vertical(id="jobs", classes="pane"):
            yield Input(id="jobs-filter")
            yield DataTable(id="jobs-table", cursor_type="row")
        with VerticalScroll(id="detail", classes="pane"):
            yield Static("DRS-orders-sync", id="detail-summary")
            yield Static("Object comparison")
            yield DataTable(id="object-table")
            yield Static("Health comparisons")
            yield DataTable(id="health-table")
            yield Static("Data comparisons")
            yield DataTable(id="data-table")
        with Vertical(id="exports", classes="pane"):
            yield DataTable(id="exports-table")
        yield Footer()

    def on_mount(self) -> None:
        jobs = self.query_one("#jobs-table", DataTable)
        jobs.add_columns("Job", "Comparison", "Issues", "Status", "Engine")
        for name in NAMES:
            jobs.add_row(name, "✔ consistent", "—", "INCRE_TRANSFER_STARTED", "mysql (up)", key=name)
        objects = self.query_one("#object-table", DataTable)
        objects.add_columns("Type", "Source", "Target", "Result")
        for kind in ("DB", "TABLE", "VIEW", "INDEX"):
            objects.add_row(kind, "16", "16", "consistent")
        self.query_one("#health-table", DataTable).add_columns("Id", "Type", "Status", "Started")
        self.query_one("#data-table", DataTable).add_columns("Type", "Status", "Progress", "Tables")
        self.query_one("#exports-table", DataTable).add_columns("Job", "File", "State")
        jobs.focus()
        if self.tick:
            self.set_interval(1.0, self.show_age)

    def show_age(self) -> None:
        age = int(time.monotonic() - self.started)
        # A one-line docked status line never changes size: no layout pass needed.
        self.query_one("#status", Static).update(self.STATUS.format(age=f"data {age}s old"), layout=False)


if __name__ == "__main__":
    BareApp(tick="--tick" in sys.argv[1:]).run()
    sys.exit(0)
