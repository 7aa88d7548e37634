"""What every action dialog shares: one Send button, a confirmation, one request in flight."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from textual.binding import Binding
from textual.widgets import Button

from drstui.monitor.source import MonitorError
from drstui.ui.dialogs.confirm import ConfirmRequestScreen
from drstui.ui.dialogs.frame import DialogScreen
from drstui.ui.plain import PlainStatic

ResultT = TypeVar("ResultT")


class ActionDialog(DialogScreen[ResultT | None], Generic[ResultT]):
    """Base of the create/export dialogs.

    Subclasses set SEND_BUTTON (the id of their Send button) and PROBLEMS_LINE (the id of the
    line that says what is wrong), and implement `validate_form` and `action_send`, which
    validates and then calls `confirm(...)`. Once confirmed, `sending` is set and the
    Send button disabled before `then()` starts the request, so a repeated key press or a
    second confirmation can never send it twice. The look (focus, toggles, the form scrolling
    above the problems line and the buttons) is DialogScreen's.
    """

    BINDINGS = [Binding("escape", "close", "Close")]
    SEND_BUTTON = ""
    PROBLEMS_LINE = ""
    BUSY_MESSAGE = "the request is on its way: wait for the answer"

    def __init__(self) -> None:
        super().__init__()
        self.sending = False
        self.problems: list[str] = []

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == self.SEND_BUTTON:
            self.action_send()
        else:
            self.action_close()

    def action_send(self) -> None:
        raise NotImplementedError

    def validate_form(self) -> Any:
        """Check the form, `show_problems`, and return what to send (None: nothing yet)."""
        raise NotImplementedError

    # -- the problems line -----------------------------------------------------------------
    def _say(self, text: str) -> None:
        self.query_one(f"#{self.PROBLEMS_LINE}", PlainStatic).update(text)

    def show_problems(self, problems: list[str]) -> None:
        """Keep and show what is wrong; Send is allowed only when nothing is (and none in flight)."""
        self.problems = problems
        self._say("\n".join(f"✘ {p}" for p in problems))
        self.query_one(f"#{self.SEND_BUTTON}", Button).disabled = bool(problems) or self.sending

    def refuse_send(self) -> None:
        self.notify("\n".join(self.problems), title="Not sent", severity="error")

    def ready_to_send(self) -> Any:
        """What Send should send now: the validated form, or None (one is in flight already, or
        the form is refused, and then the user is told why)."""
        if self.sending:
            return None
        checked = self.validate_form()
        if checked is None:
            self.refuse_send()
        return checked

    def check_choice(self, choice: Any, missing: str, check: Callable[[Any], None]) -> Any:
        """Validate one picked choice: `missing` when there is none, else what `check` (an
        Actions check that raises MonitorError) refuses. Shows the problems; returns the
        choice when there are none."""
        problems: list[str] = []
        if choice is None:
            problems.append(missing)
        else:
            try:
                check(choice)
            except MonitorError as error:
                problems.append(str(error))
        self.show_problems(problems)
        return None if problems else choice

    def show_sending(self) -> None:
        self._say("sending…")

    def show_send_failed(self, error: BaseException) -> None:
        """The request failed: the form may be sent again, and the error stays under it."""
        self.sending = False
        self.validate_form()
        self._say(f"✘ {error}")

    def confirm(self, title: str, summary: str, previews: Sequence[Any], then: Callable[[], None]) -> None:
        """Show exactly what will be sent; on yes (and only once), mark sending and `then()`."""

        def confirmed(ok: bool | None) -> None:
            if not ok or self.sending:
                return
            self.sending = True
            self.query_one(f"#{self.SEND_BUTTON}", Button).disabled = True
            then()

        self.app.push_screen(ConfirmRequestScreen(title, summary, list(previews)), callback=confirmed)

    def close_result(self) -> ResultT | None:
        """What the dialog returns when closed without (another) send."""
        return None

    def action_close(self) -> None:
        if self.sending:
            self.notify(self.BUSY_MESSAGE, severity="warning")
            return
        self.dismiss(self.close_result())
