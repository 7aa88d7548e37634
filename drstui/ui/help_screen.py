"""`?`: every key, in one place (a new key is added to KEY_HELP with its binding)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen

from drstui.ui.column_fit import STATUS_LEGEND
from drstui.ui.plain import PlainStatic

# (section, key, what it does)
KEY_HELP: list[tuple[str, str, str]] = [
    ("Panes", "1 / 2 / 3", "jobs / comparison detail / exports (one at a time in small terminals)"),
    ("Panes", "tab / shift+tab", "next / previous table"),
    ("Panes", "↑ ↓ PgUp PgDn", "move in a table"),
    ("Panes", "enter", "jobs: the job's detail · object types: which objects differ"),
    ("Panes", "enter", "value-comparison tables: which rows differ ([ ] pages, w writes the SQL)"),
    ("Panes", "esc", "clear the filter · leave the drill-down or this help"),
    ("Jobs", "/", "filter jobs by name, id, engine or status"),
    ("Jobs", "o", "cycle the sort: severity (problems first), name, status"),
    ("Actions", "c", "create a comparison for the highlighted job (object- and/or data-level)"),
    ("Actions", "e", "export a comparison report; the exports pane follows it and saves the file"),
    ("Actions", "s", "batch-export SMS consistency results (calls of at most 200 tasks)"),
    ("Actions", "x", "cancel, pause or restart a running comparison (the one under the cursor)"),
    ("Actions", "t", "scheduled comparisons: open / close the compare policy, days, UTC window, types"),
    ("Actions", "", "each asks for confirmation first; all disabled with --read-only"),
    ("Alerts", "v / 4", "events: every transition this session and earlier today (cutover log)"),
    ("Alerts", "j", "jump to what alerted last: its job, selected, with its detail"),
    ("Alerts", "b", "terminal bell on alerts on / off (start with --bell)"),
    ("Refresh", "r", "refresh now (never starts a second poll while one runs)"),
    ("Refresh", "i", "connection details: full reason, endpoint, last good refresh, next retry"),
    ("Refresh", "p", "pause / resume automatic refresh (the data age keeps counting)"),
    ("Refresh", "+ / -", "refresh less / more often (1 s to 5 min)"),
    ("App", "ctrl+p", "command palette: every action by name"),
    ("App", "?", "this help"),
    ("App", "q", "quit"),
]

LEGEND = (
    "Cells shown in reverse video changed in the last refresh. "
    "✔ consistent  ✘ inconsistent  ⊘ failed  ◌ running / incomplete  – none yet. "
    "Header: ● OK, ▲ retrying, ■ STALE (data is old), ✘ AUTH FAILED. "
    "Count gap ▇▅▃▁: per refresh, the sum over object types of |source − target|. "
    "Engine (up) / (down) / (non-dbs): the job's direction: into the cloud (for disaster recovery: "
    "this cloud is the standby), out of the cloud (this cloud is the primary), self-built. "
    + STATUS_LEGEND
)


def help_table() -> Table:
    table = Table(box=None, show_header=False, padding=(0, 2, 0, 0), expand=False)
    table.add_column(style="bold")
    table.add_column(style="bold cyan", no_wrap=True)
    table.add_column()
    last_section = None
    for section, key, text in KEY_HELP:
        # Text cells: a rich Table would read `[...]` in a plain string as markup.
        table.add_row(Text(section if section != last_section else ""), Text(key), Text(text))
        last_section = section
    return table


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,q,question_mark", "close", "Close"),
    ]

    DEFAULT_CSS = """
    HelpScreen { align: center middle; }
    HelpScreen > VerticalScroll {
        width: auto; max-width: 100%; height: auto; max-height: 100%;
        border: round $accent; border-title-align: center; background: $surface; padding: 0 1;
    }
    HelpScreen #help-legend { width: 1fr; margin-top: 1; color: $text-muted; }
    """

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "drstui keys"
            box.border_subtitle = "esc closes"
            yield PlainStatic(help_table(), id="help-keys")
            yield PlainStatic(Text(LEGEND), id="help-legend")

    def action_close(self) -> None:
        self.dismiss(None)
