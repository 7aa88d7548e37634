"""Key e: export a comparison report of the selected job (docs/api/drs.md §5.4).

Pick the compare type and the compare job (from the job's comparisons in the Snapshot on
screen); the confirmation shows the call with its Region header and time_zone. The export only
*starts* generating the file: the exports pane follows export_status and the tracker downloads
the file into the download directory once it is complete.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, OptionList, RadioSet
from textual.widgets.option_list import Option

from drstui.monitor.actions import EXPORT_COMPARE_TYPES, Actions
from drstui.monitor.snapshot import ExportRecord, JobView
from drstui.monitor.source import MonitorError
from drstui.text import clean
from drstui.ui.dialogs.base import ActionDialog
from drstui.ui.dialogs.frame import Choice, DialogBody
from drstui.ui.formatting import DASH, short_date_time, short_id
from drstui.ui.plain import PlainStatic, set_title

TYPE_LABELS = {
    "objects_comparison": "objects",
    "lines": "lines",
    "contents": "contents",
    "random": "random",
}
TYPE_MEANING = "objects: structure · lines: row counts · contents: values · random: sampled rows"


@dataclass(frozen=True)
class ExportChoice:
    """One comparison that can be exported."""

    compare_type: str  # export spelling: objects_comparison | lines | contents | random
    compare_job_id: str | None  # None: the latest object comparison (the API picks it)
    shown_id: str | None
    status: str
    export_status: str | None
    started: str

    @property
    def key(self) -> str:
        return f"{self.compare_type}:{self.compare_job_id or 'latest'}"

    def label(self) -> Text:
        text = Text()
        text.append(short_id(self.shown_id) if self.shown_id else "latest", style="bold")
        if self.compare_type == "objects_comparison":
            text.append(" latest", style="dim")
        text.append(f" · {self.status}")
        text.append(f" · started {self.started}", style="dim")
        text.append(f" · report {self.export_status or DASH}", style="dim")
        return text


def export_choices(job: JobView) -> dict[str, list[ExportChoice]]:
    """The job's comparisons by export compare type."""
    choices: dict[str, list[ExportChoice]] = {kind: [] for kind in EXPORT_COMPARE_TYPES}
    oc = job.object_comparison
    if oc is not None:
        choices["objects_comparison"].append(
            ExportChoice("objects_comparison", None, oc.compare_job_id, oc.status, oc.export_status,
                         short_date_time(oc.start_time or oc.create_time))
        )
    for dc in job.data_comparisons:
        if dc.compare_type in choices:
            choices[dc.compare_type].append(
                ExportChoice(dc.compare_type, dc.id, dc.id, dc.status, dc.export_status,
                             short_date_time(dc.start_time))
            )
    return choices


class ExportReportScreen(ActionDialog[ExportRecord]):
    SEND_BUTTON = "ex-send"
    PROBLEMS_LINE = "ex-problems"
    NARROW = 90  # the four compare types need about 80 columns in a row

    DEFAULT_CSS = """
    ExportReportScreen #ex-jobs { max-height: 8; }
    ExportReportScreen #ex-note { color: $text-muted; margin-top: 1; }
    """

    def __init__(self, job: JobView, actions: Actions) -> None:
        super().__init__()
        self.job = job
        self.actions = actions
        self.choices = export_choices(job)
        self.compare_type = next((k for k in EXPORT_COMPARE_TYPES if self.choices[k]), "objects_comparison")

    def compose(self) -> ComposeResult:
        job = self.job
        with Vertical(id="ex-box", classes="dialog-box") as box:
            set_title(box, f"Export comparison report · {job.name}")
            box.border_subtitle = "tab next field · esc close"
            yield PlainStatic(Text.assemble(("Job ", "dim"), (job.name, "bold"), (f" · {job.status} · id {short_id(job.id, 13)}", "dim")),
                              classes="dialog-head")
            with DialogBody():
                yield from self.compose_form()
            with Vertical(classes="dialog-foot"):
                yield PlainStatic("", id="ex-problems", classes="dialog-problems")
                with Horizontal(id="ex-buttons", classes="dialog-buttons"):
                    yield Button("Export…", id="ex-send", variant="primary")
                    yield Button("Cancel", id="ex-cancel")

    def compose_form(self) -> ComposeResult:
        with Horizontal(classes="dialog-row"):
            yield PlainStatic("Compare type", classes="dialog-label")
            with RadioSet(id="ex-type"):
                for kind in EXPORT_COMPARE_TYPES:
                    count = len(self.choices[kind])
                    yield Choice(f"{TYPE_LABELS[kind]} ({count})", kind == self.compare_type, name=kind)
        yield PlainStatic(TYPE_MEANING, id="ex-type-help", classes="dialog-help")
        with Horizontal(classes="dialog-row"):
            yield PlainStatic("Comparison", classes="dialog-label")
            yield OptionList(id="ex-jobs")
        yield PlainStatic(
            f"The report is generated by DRS, followed in the exports pane (3) and downloaded to "
            f"{self.actions.download_dir} when complete (never overwriting a file).",
            id="ex-note",
        )

    def on_mount(self) -> None:
        self._fill_jobs()

    def _fill_jobs(self) -> None:
        jobs = self.query_one("#ex-jobs", OptionList)
        jobs.clear_options()
        choices = self.choices[self.compare_type]
        jobs.add_options([Option(clean(choice.label()), id=choice.key) for choice in choices])
        if choices:
            jobs.highlighted = 0
        self.validate_form()

    @property
    def selected(self) -> ExportChoice | None:
        jobs = self.query_one("#ex-jobs", OptionList)
        index = jobs.highlighted
        choices = self.choices[self.compare_type]
        if index is None or not 0 <= index < len(choices):
            return None
        return choices[index]

    def validate_form(self) -> ExportChoice | None:
        return self.check_choice(
            self.selected, f"{self.job.name} has no {self.compare_type} comparison to export",
            lambda choice: self.actions.check_drs_export(self.job.id, choice.compare_type, choice.compare_job_id))

    @on(RadioSet.Changed, "#ex-type")
    def _type_changed(self, event: RadioSet.Changed) -> None:
        self.compare_type = event.pressed.name or "objects_comparison"
        self._fill_jobs()

    @on(OptionList.OptionHighlighted)
    def _job_changed(self) -> None:
        self.validate_form()

    def action_send(self) -> None:
        choice = self.ready_to_send()
        if choice is None:
            return
        target = f"comparison {choice.compare_job_id}" if choice.compare_job_id else "the latest object comparison"
        summary = (f"Generate the {choice.compare_type} report of {target} of {self.job.name}. "
                   "DRS prepares the file; drstui downloads it when it is complete.")
        preview = self.actions.preview_drs_export(self.job.id, choice.compare_type, choice.compare_job_id)
        self.confirm("Export comparison report?", summary, [preview], lambda: self._start(choice))

    def _start(self, choice: ExportChoice) -> None:
        self.show_sending()
        self.run_worker(self._send(choice), group="ex-send")

    async def _send(self, choice: ExportChoice) -> None:
        app = self.app
        try:
            record = await self.actions.start_drs_export(self.job.id, choice.compare_type, choice.compare_job_id)
        except MonitorError as error:
            self.show_send_failed(error)
            app.notify(str(error), title="Export not started", severity="error", timeout=15)
            return
        app.notify(
            f"{choice.compare_type} report of {self.job.name} is being generated; "
            f"it is downloaded to {self.actions.download_dir} when complete (exports pane, key 3)",
            title="Export started", timeout=10,
        )
        self.dismiss(record)
