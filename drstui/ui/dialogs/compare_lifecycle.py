"""Key x: cancel, pause or restart a running comparison of the selected job.

Pick the comparison (the job's unfinished ones, from the Snapshot on screen) and what to do;
the confirmation shows the exact call: DELETE /v3/.../compare/{id} to cancel, POST
/v5/.../compare/pause or /compare/restart with {"compare_job_ids": [...]} to pause or continue.
Only row and value comparisons can be paused. drstui remembers the pauses it sent (the API has
no "paused" status) and shows them.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, OptionList, RadioSet
from textual.widgets.option_list import Option

from drstui.monitor.actions import Actions
from drstui.monitor.compare_actions import COMPARE_VERBS, CompareChoice
from drstui.monitor.snapshot import JobView
from drstui.monitor.source import MonitorError
from drstui.text import clean
from drstui.ui.dialogs.base import ActionDialog
from drstui.ui.dialogs.frame import Choice, DialogBody
from drstui.ui.formatting import short_id
from drstui.ui.plain import PlainStatic, set_title

VERB_LABELS = {"cancel": "cancel", "pause": "pause", "restart": "restart (continue)"}
VERB_MEANING = ("cancel: stop for good · pause: hold it, keep what was compared · "
                "restart: continue a paused one")


def choice_label(choice: CompareChoice) -> Text:
    text = Text()
    text.append(short_id(choice.compare_job_id), style="bold")
    text.append(f" · {choice.compare_type} · {choice.status}")
    if choice.progress is not None:
        text.append(f" {choice.progress:.0f}%")
    if choice.paused:
        text.append(" · PAUSED (by drstui)", style="bold")
    return text


def default_verb(choice: CompareChoice | None) -> str:
    if choice is None or "pause" not in choice.verbs:
        return "cancel"
    return "restart" if choice.paused else "pause"


class CompareLifecycleScreen(ActionDialog[str]):
    SEND_BUTTON = "cl-send"
    PROBLEMS_LINE = "cl-problems"

    DEFAULT_CSS = """
    CompareLifecycleScreen > #cl-box { border: round $warning; }
    CompareLifecycleScreen #cl-comparisons { max-height: 6; }
    """

    def __init__(self, job: JobView, actions: Actions, *, compare_job_id: str | None = None) -> None:
        super().__init__()
        self.job = job
        self.actions = actions
        self.choices = actions.compare_choices(job.id)
        start = next((i for i, c in enumerate(self.choices) if c.compare_job_id == compare_job_id), 0)
        self._start_index = start
        self.verb = default_verb(self.choices[start] if self.choices else None)

    def compose(self) -> ComposeResult:
        job = self.job
        with Vertical(id="cl-box", classes="dialog-box") as box:
            set_title(box, f"Cancel, pause or restart a comparison · {job.name}")
            box.border_subtitle = "tab next field · esc close"
            yield PlainStatic(Text.assemble(("Job ", "dim"), (job.name, "bold"),
                                            (f" · {job.status} · id {short_id(job.id, 13)}", "dim")),
                              classes="dialog-head")
            with DialogBody():
                with Horizontal(classes="dialog-row"):
                    yield PlainStatic("Comparison", classes="dialog-label")
                    yield OptionList(*[Option(clean(choice_label(c)), id=c.compare_job_id) for c in self.choices],
                                     id="cl-comparisons")
                with Horizontal(classes="dialog-row"):
                    yield PlainStatic("Action", classes="dialog-label")
                    with RadioSet(id="cl-verb"):
                        for verb in COMPARE_VERBS:
                            yield Choice(VERB_LABELS[verb], verb == self.verb, name=verb)
                yield PlainStatic(VERB_MEANING, id="cl-help", classes="dialog-help")
            with Vertical(classes="dialog-foot"):
                yield PlainStatic("", id="cl-problems", classes="dialog-problems")
                with Horizontal(id="cl-buttons", classes="dialog-buttons"):
                    yield Button("Send…", id="cl-send", variant="warning")
                    yield Button("Close", id="cl-close")

    def on_mount(self) -> None:
        options = self.query_one("#cl-comparisons", OptionList)
        if self.choices:
            options.highlighted = self._start_index
        options.focus()
        self.validate_form()

    @property
    def selected(self) -> CompareChoice | None:
        index = self.query_one("#cl-comparisons", OptionList).highlighted
        if index is None or not 0 <= index < len(self.choices):
            return None
        return self.choices[index]

    def validate_form(self) -> CompareChoice | None:
        return self.check_choice(
            self.selected, f"{self.job.name} has no running comparison",
            lambda choice: self.actions.check_compare_operation(self.job.id, choice.compare_job_id, self.verb))

    @on(RadioSet.Changed, "#cl-verb")
    def _verb_changed(self, event: RadioSet.Changed) -> None:
        self.verb = event.pressed.name or "cancel"
        self.validate_form()

    @on(OptionList.OptionHighlighted)
    def _comparison_changed(self) -> None:
        self.validate_form()

    def action_send(self) -> None:
        choice = self.ready_to_send()
        if choice is None:
            return
        verb = self.verb
        summary = {
            "cancel": "Cancel the {t} comparison {i} of {j}. It stops for good; start a new one with c.",
            "pause": "Pause the {t} comparison {i} of {j}. It keeps what it has compared; restart continues it.",
            "restart": "Continue the paused {t} comparison {i} of {j}.",
        }[verb].format(t=choice.compare_type, i=choice.compare_job_id, j=self.job.name)
        preview = self.actions.preview_compare_operation(self.job.id, choice.compare_job_id, verb)
        self.confirm(f"{verb.capitalize()} the comparison?", summary, [preview],
                     lambda: self._start(choice, verb))

    def _start(self, choice: CompareChoice, verb: str) -> None:
        self.show_sending()
        self.run_worker(self._send(choice, verb), group="cl-send")

    async def _send(self, choice: CompareChoice, verb: str) -> None:
        app = self.app
        try:
            done = await self.actions.operate_compare(self.job.id, choice.compare_job_id, verb)
        except MonitorError as error:
            self.show_send_failed(error)
            app.notify(str(error), title="Not done", severity="error", timeout=15)
            return
        app.notify(f"{done} ({self.job.name})", title="Comparison", timeout=8)
        self.dismiss(done)
