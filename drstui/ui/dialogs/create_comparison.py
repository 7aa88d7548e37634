"""Key c: create an object-level and/or data-level comparison for the selected job (docs/api/drs.md §5.1).

The form refuses what the API would refuse and says why before anything is sent; Send opens the
confirmation; the answer (one compare_task_id per part, or that part's error) is notified and the
comparison pane refreshed at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Checkbox, Input, RadioSet, SelectionList

from drstui.api.models import CompareObjectInfo, CreateCompareTaskRequest, CreateCompareTaskResult, DataLevelCompareInfo
from drstui.monitor.actions import Actions, CompareObjects
from drstui.monitor.snapshot import JobView
from drstui.monitor.source import MonitorError
from drstui.text import plain
from drstui.ui.dialogs.base import ActionDialog
from drstui.ui.dialogs.frame import Choice, DialogBody, PickList, TickBox
from drstui.ui.formatting import short_id
from drstui.ui.plain import PlainInput, PlainStatic, set_title

DATA_LEVEL_CHOICES = (("none", "none"), ("lines", "rows (lines)"), ("contents", "values (contents)"))
CONFLICT_HELP = (
    "keep: if a data-level comparison is unfinished, none is created; "
    "cancel: the unfinished one is cancelled and this one starts"
)
START_TIME_FORMATS = ("%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M")
NAME = re.compile(r"^[\w$#@-]{1,128}$")  # letters (any script), digits, _ $ # @ -


# -- parsing (pure, unit-tested) --------------------------------------------------------------
def parse_objects(text: str) -> tuple[list[tuple[str, str | None]], list[str]]:
    """`db1.table_a, db1.table_b, db2` → [(db1, table_a), (db1, table_b), (db2, None)], errors.

    Entries are separated by commas, spaces or new lines; each is `db` or `db.table`."""
    entries: list[tuple[str, str | None]] = []
    errors: list[str] = []
    for raw in re.split(r"[,\s]+", text.strip()):
        if not raw:
            continue
        parts = raw.split(".")
        if len(parts) > 2:
            errors.append(f"'{raw}': write db or db.table (one dot)")
            continue
        db, table = parts[0], (parts[1] if len(parts) == 2 else None)
        if not db:
            errors.append(f"'{raw}': the database name is empty")
        elif table is not None and not table:
            errors.append(f"'{raw}': the table name is empty")
        elif not NAME.match(db):
            errors.append(f"'{raw}': '{db}' is not a database name (letters, digits, _ $ # @ -)")
        elif table is not None and not NAME.match(table):
            errors.append(f"'{raw}': '{table}' is not a table name (letters, digits, _ $ # @ -)")
        else:
            entries.append((db, table))
    return entries, errors


def compare_objects(entries: Iterable[tuple[str, str | None]]) -> tuple[CompareObjectInfo, ...]:
    """Group by database; a whole database wins over some of its tables. Order kept."""
    tables: dict[str, list[str] | None] = {}
    for db, table in entries:
        if table is None:
            tables[db] = None
        elif db not in tables:
            tables[db] = [table]
        elif tables[db] is not None and table not in tables[db]:  # type: ignore[operator]
            tables[db].append(table)  # type: ignore[union-attr]
    return tuple(CompareObjectInfo(db, tuple(names) if names else None) for db, names in tables.items())


def parse_start_time(text: str, now: datetime) -> tuple[str | None, str | None]:
    """Empty → (None, None): start now. Else (UTC `YYYY-MM-DDTHH:MM:SSZ`, None) or (None, error)."""
    text = text.strip()
    if not text:
        return None, None
    for fmt in START_TIME_FORMATS:
        try:
            when = datetime.strptime(text, fmt).replace(tzinfo=timezone.utc)
        except ValueError:
            continue
        if when < now.replace(microsecond=0) and (now - when).total_seconds() >= 60:
            return None, f"start time {text} is in the past (now {now:%Y-%m-%d %H:%M} UTC): leave it empty to start now"
        return when.strftime("%Y-%m-%dT%H:%M:%SZ"), None
    return None, f"start time '{text}': use UTC YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD HH:MM"


@dataclass
class CompareForm:
    """What the user entered."""

    object_level: bool = True
    data_level: str = "none"  # none | lines | contents
    conflict_policy: str = "keep"
    start_time: str = ""
    picked_databases: list[str] = field(default_factory=list)
    typed_objects: str = ""


def build_request(job: JobView, form: CompareForm, now: datetime) -> tuple[CreateCompareTaskRequest | None, list[str]]:
    """The request, or the reasons it would be refused (one line each)."""
    problems: list[str] = []
    if not job.can_compare:
        problems.append(
            f"{job.name} is {job.status}: comparisons can only be created while incremental "
            "transfer runs (INCRE_TRANSFER_STARTED)"
        )
    wants_data = form.data_level in ("lines", "contents")
    if not form.object_level and not wants_data:
        problems.append("choose an object-level comparison, a data-level one, or both")
    if form.object_level and form.data_level == "contents":
        problems.append(
            "object-level and value (contents) comparisons cannot run at the same time: "
            "create them one after the other, or choose rows (lines)"
        )
    entries, entry_errors = parse_objects(form.typed_objects)
    start_time, start_error = parse_start_time(form.start_time, now)
    data_level = None
    if wants_data:
        problems.extend(entry_errors)
        if start_error:
            problems.append(start_error)
        objects = compare_objects([(db, None) for db in form.picked_databases] + entries)
        if not objects and not entry_errors:
            problems.append("a data-level comparison needs at least one database: pick one or type db or db.table")
        if objects:
            data_level = DataLevelCompareInfo(
                form.data_level, form.conflict_policy, objects, start_time=start_time
            )
    elif form.start_time.strip() or form.typed_objects.strip() or form.picked_databases:
        problems.append("start time and databases/tables apply to a data-level comparison only: choose rows or values")
    if problems:
        return None, problems
    return CreateCompareTaskRequest(job.id, object_level=form.object_level, data_level=data_level), []


def result_lines(request: CreateCompareTaskRequest, result: CreateCompareTaskResult) -> list[str]:
    """One line per part: the new compare id, or the part's error (code: message)."""
    lines = []
    parts = []
    if request.object_level:
        parts.append(("object-level", result.object_level))
    if request.data_level is not None:
        parts.append((f"data-level ({request.data_level.compare_type})", result.data_level))
    for label, part in parts:
        if part is None:
            lines.append(f"{label}: no answer for this part")
        elif part.compare_task_id and not part.error_code:
            lines.append(f"{label}: created {part.compare_task_id}")
        else:
            lines.append(f"{label}: {part.error_code or 'error'}: {part.error_msg or 'not created'}")
    if result.error_code:
        lines.append(f"request: {result.error_code}: {result.error_msg or ''}".rstrip(": "))
    return lines


# -- the dialog -----------------------------------------------------------------------------
class CreateComparisonScreen(ActionDialog[CreateCompareTaskResult]):
    SEND_BUTTON = "cc-send"
    PROBLEMS_LINE = "cc-problems"

    DEFAULT_CSS = """
    CreateComparisonScreen > #cc-box { width: 96; }
    CreateComparisonScreen #cc-databases { max-height: 5; }
    """

    def __init__(self, job: JobView, actions: Actions, *, clock: Callable[[], datetime]) -> None:
        super().__init__()
        self.job = job
        self.actions = actions
        self.clock = clock
        self.form = CompareForm()
        self.objects: CompareObjects | None = None

    def compose(self) -> ComposeResult:
        job = self.job
        with Vertical(id="cc-box", classes="dialog-box") as box:
            set_title(box, f"Create comparison · {job.name}")
            box.border_subtitle = "tab next field · esc close"
            yield PlainStatic(Text.assemble(("Job ", "dim"), (job.name, "bold"), (f" · {job.status} · id {short_id(job.id, 13)}", "dim")), classes="dialog-head")
            with DialogBody(id="cc-form"):
                with Horizontal(classes="dialog-row"):
                    yield PlainStatic("Object-level", classes="dialog-label")
                    yield TickBox("objects (structure: DB, TABLE, VIEW, …)", self.form.object_level, id="cc-object-level")
                with Horizontal(classes="dialog-row"):
                    yield PlainStatic("Data-level", classes="dialog-label")
                    with RadioSet(id="cc-data-level"):
                        for value, label in DATA_LEVEL_CHOICES:
                            yield Choice(label, value == self.form.data_level, name=value)
                with Horizontal(classes="dialog-row"):
                    yield PlainStatic("Conflict", classes="dialog-label")
                    with RadioSet(id="cc-conflict"):
                        yield Choice("keep", True, name="keep")
                        yield Choice("cancel", False, name="cancel")
                yield PlainStatic(CONFLICT_HELP, id="cc-conflict-help", classes="dialog-help")
                with Horizontal(classes="dialog-row"):
                    yield PlainStatic("Start (UTC)", classes="dialog-label")
                    yield PlainInput(placeholder="empty = now · 2025-01-15T09:00:00Z or 2025-01-15 09:00", id="cc-start-time")
                with Horizontal(classes="dialog-row"):
                    yield PlainStatic("Databases", classes="dialog-label")
                    yield PickList[str](id="cc-databases")
                yield PlainStatic("listing the job's databases…", id="cc-db-note", classes="dialog-help")
                with Horizontal(classes="dialog-row"):
                    yield PlainStatic("or type", classes="dialog-label")
                    yield PlainInput(placeholder="db1.table_a, db1.table_b, db2", id="cc-objects")
            with Vertical(classes="dialog-foot"):
                yield PlainStatic("", id="cc-problems", classes="dialog-problems")
                with Horizontal(id="cc-buttons", classes="dialog-buttons"):
                    yield Button("Send…", id="cc-send", variant="primary")
                    yield Button("Cancel", id="cc-cancel")

    def on_mount(self) -> None:
        self.validate_form()
        self.run_worker(self._load_objects(), group="cc-load", exclusive=True)

    async def _load_objects(self) -> None:
        try:
            self.objects = await self.actions.list_compare_objects(self.job.id)
        except MonitorError as error:
            if self.is_attached:
                self.query_one("#cc-db-note", PlainStatic).update(f"{error} · type the names")
            return
        if not self.is_attached:
            return  # closed while loading: nothing to show it in
        note = self.query_one("#cc-db-note", PlainStatic)
        picker = self.query_one("#cc-databases", SelectionList)
        picker.add_options([(plain(db), db) for db in self.objects.databases])
        tables = sum(len(names) for _, names in self.objects.tables)
        known = f" · {tables} table(s) seen, type db.table to restrict" if tables else ""
        note.update(f"{len(self.objects.databases)} database(s) {self.objects.origin}{known}"
                    if self.objects.databases else self.objects.origin)

    # -- form state ---------------------------------------------------------------------------
    def read_form(self) -> CompareForm:
        data = self.query_one("#cc-data-level", RadioSet).pressed_button
        conflict = self.query_one("#cc-conflict", RadioSet).pressed_button
        return CompareForm(
            object_level=self.query_one("#cc-object-level", Checkbox).value,
            data_level=(data.name if data else None) or "none",
            conflict_policy=(conflict.name if conflict else None) or "keep",
            start_time=self.query_one("#cc-start-time", Input).value,
            picked_databases=list(self.query_one("#cc-databases", SelectionList).selected),
            typed_objects=self.query_one("#cc-objects", Input).value,
        )

    def validate_form(self) -> CreateCompareTaskRequest | None:
        self.form = self.read_form()
        request, problems = build_request(self.job, self.form, self.clock())
        if request is not None:
            try:
                self.actions.check_comparison(request)
            except MonitorError as error:
                problems = [str(error)]
                request = None
        self.show_problems(problems)
        return request

    @on(Checkbox.Changed)
    @on(RadioSet.Changed)
    @on(Input.Changed)
    @on(SelectionList.SelectedChanged)
    def _changed(self) -> None:
        if self.is_mounted:
            self.validate_form()

    # -- sending ------------------------------------------------------------------------------
    def action_send(self) -> None:
        request = self.ready_to_send()
        if request is None:
            return
        parts = (["object-level"] if request.object_level else []) + (
            [f"data-level ({request.data_level.compare_type}, conflict policy {request.data_level.conflict_policy})"]
            if request.data_level else [])
        summary = f"Create {' and '.join(parts)} comparison for {self.job.name}."
        self.confirm("Create comparison?", summary, [self.actions.preview_comparison(request)],
                     lambda: self._start(request))

    def _start(self, request: CreateCompareTaskRequest) -> None:
        self.show_sending()
        self.run_worker(self._send(request), group="cc-send", exclusive=False)

    async def _send(self, request: CreateCompareTaskRequest) -> None:
        app = self.app
        try:
            result = await self.actions.create_comparison(request)
        except MonitorError as error:
            self.show_send_failed(error)
            app.notify(str(error), title="Comparison not created", severity="error", timeout=15)
            return
        lines = result_lines(request, result)
        severity = "information" if result.ok else ("warning" if result.created_ids else "error")
        app.notify("\n".join(lines), title=f"Comparison · {self.job.name}", severity=severity, timeout=20)
        self.dismiss(result)
