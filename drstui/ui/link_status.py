"""When the data cannot be trusted: the full-width bar under the status line, and `i`, the
connection details (full reason, endpoint, last good refresh, next retry).

The bar shows only at STALE and AUTH FAILED (retrying once is normal on a long night); it says
how old the data is and what to do next."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget

from drstui.monitor.snapshot import Connection, LinkState
from drstui.text import clean
from drstui.ui.formatting import clock_time, human_duration, one_line
from drstui.ui.plain import PlainStatic

NEXT_STEP_AUTH = "fix the credentials (config file or environment), then press r"
NEXT_STEP_STALE = "r: retry now"


def needs_bar(connection: Connection | None) -> bool:
    return connection is not None and connection.state in (LinkState.STALE, LinkState.AUTH_FAILED)


def bar_text(connection: Connection | None, taken_at: datetime | None, now: datetime, width: int) -> Text:
    """'■ STALE: data from 18:21:40, 3m old · host: why · next try 18:25:02 · r: retry now · i: details'."""
    if not needs_bar(connection):
        return Text("")
    assert connection is not None
    if taken_at is not None:
        data = f"data {human_duration((now - taken_at).total_seconds())} old ({clock_time(taken_at)})"
    else:
        data = "no data loaded yet"
    if connection.state is LinkState.AUTH_FAILED:
        head, steps = f"✘ AUTH FAILED: {data}", [NEXT_STEP_AUTH, "i: details"]
        if width < len(head) + len(NEXT_STEP_AUTH) + 16:
            head, steps = "✘ AUTH FAILED", ["fix the credentials, then r", "i: details"]
    else:
        head = f"■ STALE: {data}"
        steps = []
        if connection.next_retry_at is not None:
            steps.append(f"next try {clock_time(connection.next_retry_at)}")
        steps += [NEXT_STEP_STALE, "i: details"]
        if width < len(head) + 40:
            head, steps = f"■ STALE {data.split(' (')[0].removeprefix('data ')}", ["r: retry", "i: details"]
    reason = connection.reason or ""
    host = connection.host
    if host and reason.startswith(f"{host}: "):
        reason = f"{reason[len(host) + 2:]} ({host})"  # why first: a cut loses the host, not the why
    for optional in (steps, [s for s in steps if not s.startswith("next try")]):
        tail = " · ".join(optional)
        room = width - len(head) - len(tail) - 8
        if room >= min(len(reason), 30):
            break
    # Too narrow for a useful reason (the status line has it): keep the next step whole.
    cut = one_line(reason, room) if reason and room >= 16 else ""
    parts = [head, cut, tail] if cut else [head, tail]
    line = " · ".join(parts)
    text = Text(line if len(line) >= width else " " + line, style="bold")
    text.truncate(max(width, 1), overflow="ellipsis")
    return text


def empty_jobs_reason(connection: Connection | None) -> str | None:
    """Why the jobs table is empty, when it is for a reason other than 'no jobs'."""
    if connection is None or connection.state is LinkState.CONNECTING:
        return "Loading the job list…"
    if connection.state is LinkState.AUTH_FAILED:
        return ("No jobs shown: the credentials were refused before any job list was loaded. "
                f"{NEXT_STEP_AUTH[0].upper()}{NEXT_STEP_AUTH[1:]}; i: details.")
    if connection.state in (LinkState.STALE, LinkState.RETRYING) and connection.last_success is None:
        return ("No jobs shown: the job list could not be loaded yet "
                f"({one_line(connection.reason, 100)}). Retrying; i: details.")
    return None


def details_lines(connection: Connection | None, taken_at: datetime | None, now: datetime) -> list[str]:
    """Everything about the connection, for the `i` screen."""
    if connection is None:
        return ["Connecting: no answer yet."]
    lines = [f"State: {connection.state.value.upper().replace('-', ' ')}"]
    if connection.since is not None and connection.state is not LinkState.OK:
        lines.append(f"Since: {clock_time(connection.since)} ({human_duration((now - connection.since).total_seconds())} ago)")
    if connection.reason:
        lines.append(f"Reason: {connection.reason}")
    if connection.host:
        lines.append(f"Endpoint: {connection.host}")
    last = connection.last_success or taken_at
    lines.append(
        f"Last good refresh: {clock_time(last)} ({human_duration((now - last).total_seconds())} ago)"
        if last is not None else "Last good refresh: none this session"
    )
    if connection.state is LinkState.AUTH_FAILED:
        lines.append(f"Next retry: none (no calls, to avoid locking the account): {NEXT_STEP_AUTH}")
    elif connection.next_retry_at is not None:
        wait = max(0.0, (connection.next_retry_at - now).total_seconds())
        lines.append(f"Next retry: {clock_time(connection.next_retry_at)} (in {human_duration(wait)}); r: now")
    if connection.failures:
        lines.append(f"Failed refreshes in a row: {connection.failures}")
    if connection.details:
        lines.append("")
        lines += list(connection.details)
    return lines


class LinkBar(Widget):
    """The full-width bar under the status line: shown only while the data cannot be trusted."""

    DEFAULT_CSS = """
    LinkBar { height: 1; width: 100%; display: none; background: #d70000; color: #ffffff; }
    LinkBar.-shown { display: block; }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._state: tuple[Connection | None, datetime | None, datetime | None] = (None, None, None)

    def show(self, connection: Connection | None, taken_at: datetime | None, now: datetime) -> None:
        shown = needs_bar(connection)
        if not shown and not self.has_class("-shown") and self._state[:2] == (connection, taken_at):
            return  # hidden and staying hidden: the clock alone changes nothing on screen
        state = (connection, taken_at, now)
        if state == self._state:
            return
        self._state = state
        self.set_class(shown, "-shown")
        self.refresh()

    def render(self) -> Text:
        connection, taken_at, now = self._state
        if now is None:
            return Text("")
        # The reason comes from the API: shown as text, controls made visible.
        return clean(bar_text(connection, taken_at, now, self.size.width or 80))


class ConnectionScreen(ModalScreen[None]):
    """`i`: the whole story of the connection, one key away from the header."""

    BINDINGS = [Binding("escape,q,i", "close", "Close")]

    DEFAULT_CSS = """
    ConnectionScreen { align: center middle; }
    ConnectionScreen > VerticalScroll {
        width: auto; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; border-title-align: center; background: $surface; padding: 0 1;
    }
    ConnectionScreen #connection-details { width: auto; max-width: 100; }
    """

    def __init__(self, lines: list[str]) -> None:
        super().__init__()
        self.lines = lines

    def compose(self) -> ComposeResult:
        with VerticalScroll() as box:
            box.border_title = "Connection"
            box.border_subtitle = "esc closes"
            yield PlainStatic("\n".join(self.lines), id="connection-details")

    def action_close(self) -> None:
        self.dismiss(None)
