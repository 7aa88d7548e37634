"""A comparison cannot be created on a multi-task parent: its comparisons belong to its child
jobs. Key c on a parent offers the children; Enter on one opens the create form for it."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from drstui.monitor.snapshot import JobView
from drstui.text import clean
from drstui.ui.dialogs.frame import DialogScreen
from drstui.ui.plain import PlainStatic, set_title
from drstui.ui.theme import job_status_tone, verdict_label


def child_label(child: JobView) -> Text:
    text = Text()
    text.append(child.name, "bold")
    text.append(" · ")
    text.append(child.status, job_status_tone(child.status))
    label, tone = verdict_label(child.verdict)
    text.append(" · ")
    text.append(label, tone)
    return text


class ChildPickerScreen(DialogScreen[str | None]):
    """Answers the chosen child's id, or None (esc)."""

    BINDINGS = [Binding("escape", "close", "Close")]

    DEFAULT_CSS = """
    ChildPickerScreen > #cpick-box { width: 80; }
    ChildPickerScreen #cpick-children { max-height: 12; }
    """

    def __init__(self, parent_job: JobView, children: list[JobView]) -> None:
        super().__init__()
        self.parent_job = parent_job
        self.children_jobs = children

    def compose(self) -> ComposeResult:
        with Vertical(id="cpick-box", classes="dialog-box") as box:
            set_title(box, f"Create a comparison · {self.parent_job.name}")
            box.border_subtitle = "enter choose · esc close"
            yield PlainStatic(Text(f"{self.parent_job.name} is a multi-task parent: comparisons are created "
                                   "on its child jobs. Choose one:"), classes="dialog-head")
            yield OptionList(*[Option(clean(child_label(c)), id=c.id) for c in self.children_jobs],
                             id="cpick-children")

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        if self.children_jobs:
            options.highlighted = 0
        options.focus()

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_close(self) -> None:
        self.dismiss(None)
