"""The status line at the top: where we are, how fresh the data is, and whether we can trust it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from rich.cells import cell_len
from rich.console import Console
from rich.style import Style
from rich.text import Text
from textual.geometry import Region
from textual.widget import Widget

from drstui.monitor.snapshot import Connection, LinkState
from drstui.text import clean
from drstui.ui.formatting import clock_time, human_duration, one_line, short_id
from drstui.ui.theme import Tone, link_tone

SEPARATOR = " │ "


@dataclass(frozen=True)
class ScopeHeader:
    """One scope of a multi-scope view, as the header shows it: `sh1 ■ STALE 4m`."""

    label: str
    connection: Connection | None = None
    age_seconds: float | None = None


@dataclass(frozen=True)
class HeaderState:
    """Everything the status line shows; compared by value so an unchanged line is not redrawn."""

    profile: str
    region: str = ""
    project_id: str = ""
    connection: Connection | None = None
    taken_at: datetime | None = None
    age_seconds: float | None = None
    refresh_seconds: float = 5.0
    # The request budget spaces refreshes further apart than refresh_seconds (None: it does not).
    budget_seconds: float | None = None
    paused: bool = False
    polling: bool = False
    read_only: bool = False
    insecure: bool = False
    # Seconds the refresh in flight has been waiting for its answer, once that is longer than
    # a refresh should take (None: nothing is overdue).
    overdue_seconds: float | None = None
    scopes: tuple[ScopeHeader, ...] = ()  # several scopes: one compact state each


def connection_text(connection: Connection | None, reason_limit: int = 60,
                    overdue_seconds: float | None = None) -> Text:
    """OK / OVERDUE / retrying (reason) / STALE since HH:MM:SS (reason) / AUTH FAILED (reason)."""
    if connection is None:
        return Text("◌ connecting…", style=Tone.BUSY)
    state = connection.state
    reason = one_line(connection.reason, reason_limit)
    suffix = f" ({reason})" if reason else ""
    if state is LinkState.OK and overdue_seconds is not None:
        # The last refresh went well, but the next one has no answer yet: no longer "OK".
        return Text(f"◔ OVERDUE, no answer for {human_duration(overdue_seconds)}", style=Tone.WARN)
    if state is LinkState.OK:
        label = "● OK"
    elif state is LinkState.RETRYING:
        label = f"▲ retrying{suffix}"
    elif state is LinkState.STALE:
        since = f" since {clock_time(connection.since)}" if connection.since else ""
        label = f"■ STALE{since}{suffix}"
    elif state is LinkState.AUTH_FAILED:
        label = f"✘ AUTH FAILED{suffix}"
    elif state is LinkState.CONNECTING:
        label = "◌ connecting…"
    else:
        label = f"? {state}{suffix}"
    return Text(label, style=link_tone(state))


_SCOPE_WORD = {LinkState.OK: "●", LinkState.CONNECTING: "◌", LinkState.RETRYING: "▲ retrying",
               LinkState.STALE: "■ STALE", LinkState.AUTH_FAILED: "✘ AUTH FAILED"}
_SCOPE_GLYPH = {LinkState.OK: "●", LinkState.CONNECTING: "◌", LinkState.RETRYING: "▲",
                LinkState.STALE: "■", LinkState.AUTH_FAILED: "✘"}


def scopes_text(scopes: tuple[ScopeHeader, ...], *, words: bool = True) -> Text:
    """One compact state per scope: `bj4 ● sh1 ■ STALE 4m` (a scope not OK says how old its data is)."""
    text = Text()
    for index, scope in enumerate(scopes):
        if index:
            text.append(" ")
        state = scope.connection.state if scope.connection is not None else LinkState.CONNECTING
        text.append(f"{scope.label} ", style="bold")
        mark = (_SCOPE_WORD if words else _SCOPE_GLYPH).get(state, "?")
        if state not in (LinkState.OK, LinkState.CONNECTING) and scope.age_seconds is not None:
            mark += f" {human_duration(scope.age_seconds)}"
        text.append(mark, style=link_tone(state))
    return text


# Narrowing steps: (longest connection reason, drop level). Parts whose rank is at or below the
# drop level are left out; the connection state, data age and flags always stay.
_STEPS = ((60, 0), (60, 1), (60, 2), (60, 3), (40, 3), (40, 4), (32, 4), (24, 5), (16, 5), (10, 5))


def header_text(state: HeaderState, width: int) -> Text:
    """Build the line, dropping the least useful parts first when the terminal is narrow."""
    for reason_limit, drop in _STEPS:
        line = _compose(state, reason_limit, drop)
        if line.cell_len <= width:
            return line
    line.truncate(width, overflow="ellipsis")
    return line


def _compose(state: HeaderState, reason_limit: int, drop: int) -> Text:
    # Ranks: 1 project id, 2 app name, 3 refresh cadence, 4 region, 5 wall-clock time of the data.
    parts: list[Text] = []
    if drop < 2:
        parts.append(Text("drstui", style="bold"))
    if state.scopes:
        parts.append(scopes_text(state.scopes, words=drop < 4))
    else:
        where = [state.profile]
        if drop < 4:
            where.append(state.region)
        if drop < 1:
            where.append(short_id(state.project_id))
        parts.append(Text(" · ".join(part for part in where if part), style="bold"))
        parts.append(connection_text(state.connection, reason_limit, state.overdue_seconds))

    if state.taken_at is None:
        parts.append(Text("no data yet", style=Tone.DIM))
    else:
        age = human_duration(state.age_seconds)
        parts.append(Text(f"data {clock_time(state.taken_at)}, {age} old" if drop < 5 else f"{age} old"))

    if state.paused:
        parts.append(Text(" PAUSED ", style="bold #000000 on #ffd700"))
    elif drop < 3:
        if state.budget_seconds is not None:
            # Say it: the data is older than the interval suggests, and why.
            cadence, tone = f"every {human_duration(state.budget_seconds)} (request budget)", Tone.WARN
        else:
            cadence, tone = f"every {human_duration(state.refresh_seconds)}", Tone.DIM
        parts.append(Text(cadence + (" ⟳" if state.polling else ""), style=tone))
    if state.read_only:
        parts.append(Text("READ-ONLY", style="bold"))
    if state.insecure:
        label = "TLS VERIFY OFF" if drop < 3 else "TLS OFF"
        parts.append(Text(f"⚠ {label}", style="bold #ffffff on #d70000"))
    # Profile, region and the connection reason come from the config and the API.
    # The separator's dim must be a span: as the joiner's base style, Text.join would dim the
    # whole line (the state colours with it, to grey in 16 colours).
    separator = Text()
    separator.append(SEPARATOR, style=Tone.DIM)
    return clean(Text(" ") + separator.join(parts))


class StatusLine(Widget):
    """A one-line, docked status line (replaces Textual's Header to save rows)."""

    DEFAULT_CSS = """
    StatusLine {
        dock: top;
        height: 1;
        width: 100%;
        background: #262626;  /* black in 16 colours, so every state colour reads on it */
    }
    """

    def __init__(self, state: HeaderState, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._state = state
        # The line last built, and its cells: each 1 Hz tick builds the new line once and
        # compares it with these, instead of building the old one again (and again to paint).
        self._built: tuple[HeaderState, int, Text] | None = None
        self._cells: tuple[HeaderState, int, list[tuple[str, Style | None]]] | None = None

    @property
    def state(self) -> HeaderState:
        return self._state

    def show(self, state: HeaderState) -> bool:
        """Show a new state; returns False (and redraws nothing) when it is unchanged.

        Only the cells that differ are repainted: the once-a-second age tick then sends a few
        bytes over SSH instead of the whole line (~290 bytes at 120 columns)."""
        if state == self._state:
            return False
        width = self.size.width
        if not self.is_mounted or not width:
            self._state = state
            self.refresh()
            return True
        before = self._cells_of(self._state, width)
        self._state = state
        after = self._cells_of(state, width)
        changed = [x for x, (old, new) in enumerate(zip(before, after)) if old != new]
        if changed:
            self.refresh(Region(changed[0], 0, changed[-1] - changed[0] + 1, 1))
        return True

    def render(self) -> Text:
        return self._line(self._state, self.size.width or 80)

    def _line(self, state: HeaderState, width: int) -> Text:
        if self._built is None or self._built[:2] != (state, width):
            self._built = (state, width, header_text(state, width))
        return self._built[2]

    def _cells_of(self, state: HeaderState, width: int) -> list[tuple[str, Style | None]]:
        if self._cells is None or self._cells[:2] != (state, width):
            self._cells = (state, width, _cells(self._line(state, width), self.app.console, width))
        return self._cells[2]


def _cells(text: Text, console: Console, width: int) -> list[tuple[str, Style | None]]:
    """The line as one (character, style) per terminal cell, padded to `width`."""
    cells: list[tuple[str, Style | None]] = []
    for segment in text.render(console):
        for char in segment.text:
            cells.append((char, segment.style))
            if cell_len(char) == 2:
                cells.append(("", segment.style))
    cells.extend([(" ", None)] * (width - len(cells)))
    return cells[:width]
