"""What every action dialog shares: one Send button, a confirmation, one request in flight."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Button

from drstui.ui.dialogs.confirm import ConfirmRequestScreen

ResultT = TypeVar("ResultT")


class ActionDialog(ModalScreen[ResultT | None], Generic[ResultT]):
    """Base of the create/export dialogs.

    Subclasses set SEND_BUTTON (the id of their Send button) and implement `action_send`,
    which validates and then calls `confirm(...)`. Once confirmed, `sending` is set and the
    Send button disabled before `then()` starts the request, so a repeated key press or a
    second confirmation can never send it twice.
    """

    BINDINGS = [Binding("escape", "close", "Close")]
    SEND_BUTTON = ""
    BUSY_MESSAGE = "the request is on its way: wait for the answer"

    def __init__(self) -> None:
        super().__init__()
        self.sending = False

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == self.SEND_BUTTON:
            self.action_send()
        else:
            self.action_close()

    def action_send(self) -> None:
        raise NotImplementedError

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
