"""Key t: the job's scheduled comparisons (PUT /v5/{project_id}/jobs/{job_id}/compare-policy).

Open or close the policy; when open: the weekdays, the UTC window (HH:mm:ss), the compare types,
optionally every N hours inside the window and what to do when a comparison still runs. The
form refuses, before anything is sent, what the API refuses (ComparePolicyUpdate.problems):
opening needs weekdays, both times and at least one type; times are HH:mm:ss; hours a whole
number of at least 1. The confirmation shows the exact body.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, RadioSet

from drstui.api.models.lifecycle import POLICY_COMPARE_TYPES, ComparePolicy, ComparePolicyUpdate, period_for
from drstui.monitor.actions import Actions
from drstui.monitor.snapshot import JobView
from drstui.monitor.source import MonitorError
from drstui.ui.compare_sections import WEEKDAYS
from drstui.ui.dialogs.base import ActionDialog
from drstui.ui.dialogs.frame import Choice, DialogBody, TickBox
from drstui.ui.formatting import short_id
from drstui.ui.plain import PlainStatic, set_title

TYPE_LABELS = {"object_comparison": "objects", "lines": "row counts", "account": "accounts",
               "contents": "values"}
STRATEGIES = (("", "not set"), ("cover", "cancel it, start anew"), ("ignore", "skip this run"))


class ComparePolicyScreen(ActionDialog[ComparePolicy]):
    SEND_BUTTON = "cp-send"
    PROBLEMS_LINE = "cp-problems"

    DEFAULT_CSS = """
    ComparePolicyScreen .dialog-label { width: 13; }
    ComparePolicyScreen.-narrow #cp-types { grid-size: 2; }
    ComparePolicyScreen Input { width: 12; }
    ComparePolicyScreen .cp-to { width: 4; }
    ComparePolicyScreen #cp-hint { color: $text-muted; }
    """

    def __init__(self, job: JobView, actions: Actions, policy: ComparePolicy | None) -> None:
        super().__init__()
        self.job = job
        self.actions = actions
        self.current = policy or ComparePolicy()
        self.action = "close" if self.current.status and not self.current.is_open else "open"

    def compose(self) -> ComposeResult:
        job, policy = self.job, self.current
        days = set(policy.weekdays or range(1, 8))
        types = set(policy.compare_type or ("lines",))
        with Vertical(id="cp-box", classes="dialog-box") as box:
            set_title(box, f"Scheduled comparisons · {job.name}")
            box.border_subtitle = "tab next field · space toggles · esc close"
            yield PlainStatic(Text.assemble(("Job ", "dim"), (job.name, "bold"),
                                            (f" · id {short_id(job.id, 13)} · now {policy.status or 'unknown'}", "dim")),
                              classes="dialog-head")
            with DialogBody():
                yield from self.compose_form(days, types)
            with Vertical(classes="dialog-foot"):
                yield PlainStatic("", id="cp-problems", classes="dialog-problems")
                with Horizontal(id="cp-buttons", classes="dialog-buttons"):
                    yield Button("Save…", id="cp-send", variant="primary")
                    yield Button("Cancel", id="cp-cancel")

    def compose_form(self, days: set[int], types: set[str]) -> ComposeResult:
        policy = self.current
        with Horizontal(classes="dialog-row"):
            yield PlainStatic("Policy", classes="dialog-label")
            with RadioSet(id="cp-action"):
                yield Choice("open (run on schedule)", self.action == "open", name="open")
                yield Choice("close", self.action == "close", name="close")
        with Horizontal(classes="dialog-row"):
            yield PlainStatic("Weekdays", classes="dialog-label")
            with Horizontal(classes="dialog-choices"):
                for n, name in enumerate(WEEKDAYS, start=1):
                    yield TickBox(name, n in days, name=f"day{n}", classes="cp-day")
        with Horizontal(classes="dialog-row"):
            yield PlainStatic("Window (UTC)", classes="dialog-label")
            yield Input(policy.begin_time or "22:00:00", placeholder="HH:mm:ss", id="cp-begin")
            yield PlainStatic(" to", classes="cp-to")
            yield Input(policy.end_time or "23:59:59", placeholder="HH:mm:ss", id="cp-end")
        with Horizontal(classes="dialog-row"):
            yield PlainStatic("Compare", classes="dialog-label")
            with Horizontal(id="cp-types", classes="dialog-choices"):
                for kind in POLICY_COMPARE_TYPES:
                    yield TickBox(TYPE_LABELS[kind], kind in types, name=kind, classes="cp-type")
        with Horizontal(classes="dialog-row"):
            yield PlainStatic("Every N hours", classes="dialog-label")
            yield Input(str(policy.interval_hour or ""), placeholder="once", id="cp-interval")
            yield PlainStatic("  empty: once per window", id="cp-hint")
        with Horizontal(classes="dialog-row"):
            yield PlainStatic("If one runs", classes="dialog-label")
            with RadioSet(id="cp-conflict"):
                for value, label in STRATEGIES:
                    yield Choice(label, (policy.conflict_strategy or "") == value, name=value or "unset")

    def on_mount(self) -> None:
        self.query_one("#cp-action", RadioSet).focus()
        self.validate_form()

    # -- the form ----------------------------------------------------------------------------
    def update_from_form(self) -> tuple[ComparePolicyUpdate | None, list[str]]:
        """The request the form describes, or the reasons it would be refused."""
        problems: list[str] = []
        if self.action == "close":
            update = ComparePolicyUpdate("close")  # the other fields are set aside
        else:
            interval_text = self.query_one("#cp-interval", Input).value.strip()
            interval: int | None = None
            if interval_text:
                try:
                    interval = int(interval_text)
                except ValueError:
                    problems.append(f"every N hours must be a whole number, not {interval_text!r}")
            conflict = self.query_one("#cp-conflict", RadioSet).pressed_button
            strategy = conflict.name if conflict is not None and conflict.name != "unset" else None
            days = [n for n in range(1, 8) if self.checked(f"day{n}")]
            chosen = {kind for kind in POLICY_COMPARE_TYPES if self.checked(kind)}
            update = ComparePolicyUpdate(
                "open", period_for(days) if days else None,
                self.query_one("#cp-begin", Input).value.strip() or None,
                self.query_one("#cp-end", Input).value.strip() or None,
                tuple(t for t in POLICY_COMPARE_TYPES if t in chosen),
                self.current.compare_policy, interval, strategy)
            if not days:
                problems.append("choose at least one weekday")
            # The model's own reasons (what the API refuses); "period" is the weekdays above.
            problems += [p for p in update.problems() if not p.startswith("period")]
        if not problems:
            try:
                self.actions.check_policy_update(self.job.id, update)
            except MonitorError as error:
                problems.append(str(error))
        return (None if problems else update), problems

    def checked(self, name: str) -> bool:
        return any(box.value for box in self.query(Checkbox) if box.name == name)

    def validate_form(self) -> ComparePolicyUpdate | None:
        update, problems = self.update_from_form()
        self.show_problems(problems)
        for field in self.query(".cp-day, .cp-type, #cp-begin, #cp-end, #cp-interval, #cp-conflict"):
            field.disabled = self.action == "close"
        return update

    @on(RadioSet.Changed, "#cp-action")
    def _action_changed(self, event: RadioSet.Changed) -> None:
        self.action = event.pressed.name or "open"
        self.validate_form()

    @on(RadioSet.Changed, "#cp-conflict")
    @on(Checkbox.Changed)
    @on(Input.Changed)
    def _field_changed(self, event: Any) -> None:
        event.stop()
        self.validate_form()

    # -- sending -----------------------------------------------------------------------------
    def action_send(self) -> None:
        update = self.ready_to_send()
        if update is None:
            return
        summary = (f"Close the scheduled comparisons of {self.job.name}." if update.action == "close" else
                   f"Run the comparisons of {self.job.name} on schedule (times in UTC); this replaces "
                   "the current policy.")
        preview = self.actions.preview_policy_update(self.job.id, update)
        self.confirm("Change the compare policy?", summary, [preview], lambda: self._start(update))

    def _start(self, update: ComparePolicyUpdate) -> None:
        self.show_sending()
        self.run_worker(self._send(update), group="cp-send")

    async def _send(self, update: ComparePolicyUpdate) -> None:
        app = self.app
        try:
            policy = await self.actions.update_policy(self.job.id, update)
        except MonitorError as error:
            self.show_send_failed(error)
            app.notify(str(error), title="Policy not changed", severity="error", timeout=15)
            return
        app.notify(f"compare policy of {self.job.name}: {policy.status or 'changed'}",
                   title="Scheduled comparisons", timeout=8)
        self.dismiss(policy)

