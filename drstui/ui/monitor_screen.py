"""The main screen: status line, the three panes, the footer; pane switching and layout.

Layout by terminal height (Textual breakpoints), so every size reads well:
- under 32 rows (80x24): one pane at a time, keys 1/2/3 or tab switch;
- 32 to 49 rows: the jobs pane on top, below it the detail pane or (key 3) the exports pane;
- 50 rows and more: all three stacked.
"""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import DataTable

from drstui.ui.compact_footer import CompactFooter
from drstui.ui.detail_pane import DetailPane
from drstui.ui.exports_pane import ExportsPane
from drstui.ui.header import HeaderState, StatusLine
from drstui.ui.jobs_pane import JobsPane
from drstui.ui.link_status import LinkBar
from drstui.ui.readiness_view import GoNoGoLine
from drstui.ui.messages import MonitorReady, MonitorResumed, OpenObjectDetail, ShowJobDetail

PANES = ("jobs", "detail", "exports")
# The app actions that change something in the cloud: out of the footer when read-only (the
# keys still say why they do nothing).
CHANGING_ACTIONS = frozenset({"create_comparison", "export_report", "sms_export", "compare_lifecycle",
                              "compare_policy"})


class MonitorScreen(Screen[None]):
    VERTICAL_BREAKPOINTS = [(0, "-short"), (32, "-medium"), (50, "-tall")]

    BINDINGS = [
        Binding("1", "show_pane('jobs')", "Panes", key_display="1-3"),
        Binding("2", "show_pane('detail')", "Detail", show=False),
        Binding("3", "show_pane('exports')", "Exports", show=False),
        Binding("4", "app.events", "Events", show=False),
        Binding("tab", "cycle_focus(1)", "Next", show=False, priority=True),
        Binding("shift+tab", "cycle_focus(-1)", "Previous", show=False, priority=True),
        Binding("slash", "filter", "Filter", key_display="/"),
        Binding("o", "cycle_sort", "Sort", show=False),
        Binding("c", "app.create_comparison", "Compare"),
        Binding("e", "app.export_report", "Export"),
        Binding("s", "app.sms_export", "SMS"),
        Binding("x", "app.compare_lifecycle", "Stop/pause", show=False),
        Binding("t", "app.compare_policy", "Schedule", show=False),
    ]

    def __init__(self, header: HeaderState, *, scoped: bool = False) -> None:
        super().__init__()
        self._header = header
        self._scoped = scoped  # several scopes: the jobs pane shows each job's scope
        self.active_pane = "jobs"
        self.lower_pane = "detail"  # what sits under the jobs pane in the medium layout

    def compose(self) -> ComposeResult:
        yield StatusLine(self._header)
        yield GoNoGoLine()
        yield LinkBar(id="link-bar")
        # Kept, not queried: the 1 Hz tick and every refresh reach them (a query walks the DOM).
        self._panes = (JobsPane(scoped=self._scoped, id="jobs", classes="pane -active"),
                       DetailPane(id="detail", classes="pane -lower"),
                       ExportsPane(id="exports", classes="pane"))
        yield from self._panes
        # Compact, without the palette hint (ctrl+p still works; ? lists every key): the
        # keys that matter must fit in 80 columns.
        yield CompactFooter(show_command_palette=False)

    @property
    def jobs_pane(self) -> JobsPane:
        return self._panes[0]

    @property
    def detail_pane(self) -> DetailPane:
        return self._panes[1]

    @property
    def exports_pane(self) -> ExportsPane:
        return self._panes[2]

    def live_panes(self) -> tuple[JobsPane, DetailPane, ExportsPane] | None:
        """The three panes, or None while this screen is not (or no longer) in the DOM.

        A timer or a poll that finishes while the app quits (or the screen is torn down, its
        children removed one by one) must find nothing to paint rather than raise NoMatches."""
        if not self.is_attached or self._closing:
            return None
        panes = getattr(self, "_panes", None)
        if panes is None or not all(pane.is_attached for pane in panes):
            return None
        return panes

    @property
    def one_pane_at_a_time(self) -> bool:
        return self.has_class("-short")

    def on_mount(self) -> None:
        if getattr(self.app, "read_only", False):
            self._hide_changing_keys()
        self.jobs_pane.table.focus()
        self.post_message(MonitorReady())

    def _hide_changing_keys(self) -> None:
        """Read-only: c / e / s leave the footer (pressed, they still explain why not)."""
        from dataclasses import replace

        for key, bindings in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [
                replace(b, show=False) if b.action.removeprefix("app.") in CHANGING_ACTIONS else b
                for b in bindings
            ]
        self.refresh_bindings()

    def on_screen_resume(self) -> None:
        # Snapshots that arrived while another screen was on top are painted now.
        self.post_message(MonitorResumed())

    # -- panes and focus -------------------------------------------------------------------
    def focus_targets(self) -> list[Widget]:
        """Tables in tab order, skipping empty (hidden) ones."""
        targets: list[Widget] = [self.jobs_pane.table]
        targets += [table for table in self.detail_pane.tables if not table.has_class("-empty")]
        targets.append(self.exports_pane.table)
        return targets

    def pane_of(self, widget: Widget | None) -> str | None:
        node = widget
        while node is not None:
            if node.id in PANES and node.has_class("pane"):
                return node.id
            node = node.parent  # type: ignore[assignment]
        return None

    def show_pane(self, name: str, focus: bool = True) -> None:
        if name not in PANES:
            return
        self.active_pane = name
        if name != "jobs":
            self.lower_pane = name
        for pane in self.query(".pane"):
            pane.set_class(pane.id == name, "-active")
            pane.set_class(pane.id == self.lower_pane, "-lower")
        if focus:
            current = self.pane_of(self.focused)
            if current != name:
                first = next((t for t in self.focus_targets() if self.pane_of(t) == name), None)
                if first is not None:
                    first.focus()

    def action_show_pane(self, name: str) -> None:
        self.show_pane(name)

    def action_cycle_focus(self, step: int) -> None:
        targets = self.focus_targets()
        focused = self.focused
        if isinstance(focused, DataTable) and focused in targets:
            index = (targets.index(focused) + step) % len(targets)
        else:
            owner = self.pane_of(focused) or self.active_pane
            index = next((i for i, t in enumerate(targets) if self.pane_of(t) == owner), 0)
        target = targets[index]
        self.show_pane(self.pane_of(target) or "jobs", focus=False)
        target.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Focus moved (tab, mouse, a key): the pane holding it becomes the active one.
        pane = self.pane_of(event.widget)
        if pane is not None and pane != self.active_pane:
            self.show_pane(pane, focus=False)

    # -- jobs ------------------------------------------------------------------------------
    def action_filter(self) -> None:
        self.show_pane("jobs", focus=False)
        self.jobs_pane.action_start_filter()

    def action_cycle_sort(self) -> None:
        self.jobs_pane.cycle_sort()

    @on(JobsPane.JobHighlighted)
    def _on_job_highlighted(self, event: JobsPane.JobHighlighted) -> None:
        self.post_message(ShowJobDetail(event.job_id))

    @on(JobsPane.JobChosen)
    def _on_job_chosen(self, event: JobsPane.JobChosen) -> None:
        self.show_pane("detail")
        self.post_message(ShowJobDetail(event.job_id, focus=True))

    @on(DetailPane.DrillDown)
    def _on_drill_down(self, event: DetailPane.DrillDown) -> None:
        self.post_message(OpenObjectDetail(event.job_id, event.job_name, event.object_type, event.compare_job_id))
