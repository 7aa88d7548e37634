"""The confirmation before anything is sent: the requests exactly as they will go out."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Button

from drstui.monitor.actions import RequestPreview
from drstui.ui.dialogs.frame import DialogScreen
from drstui.ui.plain import PlainStatic, set_title

# Header names that must never be shown, whatever a caller passes (credentials are added by the
# API layer's auth and never reach a preview, this is a second line of defence).
SECRET_HEADERS = frozenset({"authorization", "x-auth-token", "x-security-token", "x-subject-token"})


def request_text(previews: Sequence[RequestPreview]) -> Text:
    text = Text()
    for index, preview in enumerate(previews):
        if index:
            text.append("\n")
        if preview.label:
            text.append(f"{preview.label}\n", style="bold")
        text.append(f"{preview.method} ", style="bold")
        text.append(f"{preview.path}\n", style="bold cyan")
        for name, value in preview.headers:
            shown = "(hidden)" if name.lower() in SECRET_HEADERS else value
            text.append(f"{name}: ", style="dim")
            text.append(f"{shown}\n")
        text.append(preview.body_text())
        text.append("\n")
    return text


class ConfirmRequestScreen(DialogScreen[bool]):
    """Answers True once (Send), or False (Cancel / esc). A second Send press does nothing."""

    BINDINGS = [
        Binding("escape,n", "cancel", "Cancel"),
        Binding("y", "confirm", "Send"),
    ]

    DEFAULT_CSS = """
    ConfirmRequestScreen > #confirm-box { border: round $warning; }
    ConfirmRequestScreen #confirm-summary { margin-bottom: 1; }
    ConfirmRequestScreen #confirm-request { max-height: 18; background: $boost; }
    ConfirmRequestScreen #confirm-request-text { padding: 0 1; }
    """

    def __init__(self, title: str, summary: str, previews: Sequence[RequestPreview]) -> None:
        super().__init__()
        self._title = title
        self._summary = summary
        self.previews = tuple(previews)
        self.answered = False

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-box", classes="dialog-box") as box:
            set_title(box, self._title)
            box.border_subtitle = "y send · n / esc cancel"
            yield PlainStatic(Text(self._summary), id="confirm-summary", classes="dialog-head")
            with VerticalScroll(id="confirm-request", classes="dialog-body dialog-scroll"):
                yield PlainStatic(request_text(self.previews), id="confirm-request-text")
            with Vertical(classes="dialog-foot"):
                with Horizontal(id="confirm-buttons", classes="dialog-buttons"):
                    yield Button("Send", id="confirm-send", variant="warning")
                    yield Button("Cancel", id="confirm-cancel")

    def on_mount(self) -> None:
        self.query_one("#confirm-cancel", Button).focus()  # enter alone never sends

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "confirm-send":
            self.action_confirm()
        else:
            self.action_cancel()

    def action_confirm(self) -> None:
        if self.answered:
            return
        self.answered = True
        self.query_one("#confirm-send", Button).disabled = True
        self.dismiss(True)

    def action_cancel(self) -> None:
        if self.answered:
            return
        self.answered = True
        self.dismiss(False)
