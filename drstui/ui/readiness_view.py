"""Cutover readiness on screen: the go/no-go line, the lag cell of the jobs pane and the
replication block of the detail pane. Every verdict carries a word and a glyph, never colour
alone (✔ GO, ✘ NO-GO, ? UNKNOWN)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from rich.text import Text
from textual.widget import Widget

from drstui.monitor.readiness import GO_WORDS, duration_text, lag_text
from drstui.monitor.snapshot import (
    CutoverReadiness,
    JobView,
    LagPoint,
    LinkState,
    Readiness,
    ReadinessVerdict,
    Replication,
    Snapshot,
)
from drstui.text import clean
from drstui.ui.formatting import DASH, clock_time
from drstui.ui.keyed_table import Cell
from drstui.ui.theme import Tone

# The verdict word as a badge: glyph + word, reverse video in its colour.
BADGES: dict[Readiness, tuple[str, str]] = {
    Readiness.READY: (f"✔ {GO_WORDS[Readiness.READY]}", "bold reverse green"),
    Readiness.NOT_READY: (f"✘ {GO_WORDS[Readiness.NOT_READY]}", "bold reverse red"),
    Readiness.UNKNOWN: (f"? {GO_WORDS[Readiness.UNKNOWN]}", "bold reverse yellow"),
}
SEPARATOR = " · "
BARS = "▁▂▃▄▅▆▇█"
SPARK_WIDTH = 32
_DATA_TOO_OLD = (LinkState.STALE, LinkState.AUTH_FAILED)


def badge(verdict: Readiness) -> Text:
    word, style = BADGES[verdict]
    text = Text()
    text.append(f" {word} ", style=style)  # (a Text's own style would colour the whole line)
    return text


def verdict_cell(verdict: ReadinessVerdict | None) -> Cell:
    """The job's own verdict in the jobs pane (– when it is not in the cutover set)."""
    if verdict is None:
        return Cell(DASH, Tone.DIM)
    word = {Readiness.READY: ("✔ GO", Tone.OK), Readiness.NOT_READY: ("✘ NO-GO", Tone.BAD),
            Readiness.UNKNOWN: ("? unknown", Tone.WARN)}[verdict.verdict]
    return Cell(*word)


def lag_cell(replication: Replication | None) -> Cell:
    """The lag, coloured by the threshold: over (▲, red), under (green), stale or unknown."""
    # live: the figure moves every refresh; that is not a change worth highlighting.
    if replication is None or (replication.lag_ms is None and not replication.stale):
        return Cell(DASH, Tone.DIM, live=True)
    if replication.stale:
        return Cell(f"stale {lag_text(replication.lag_ms)}", Tone.WARN, live=True)
    text = lag_text(replication.lag_ms)
    if replication.lag_state == "over":
        return Cell(f"▲ {text}", Tone.BAD, live=True)
    return Cell(text, Tone.OK, live=True)


# -- the go/no-go line ------------------------------------------------------------------------
@dataclass(frozen=True)
class GoNoGoState:
    readiness: CutoverReadiness | None = None
    connection: LinkState | None = None
    taken_at: datetime | None = None


def state_of(snapshot: Snapshot | None) -> GoNoGoState:
    if snapshot is None:
        return GoNoGoState()
    state = snapshot.connection.state
    # The data's time is on the line only once it is too old; a fresh refresh with the same
    # verdict leaves the line as it is (no repaint, no bytes to the terminal).
    taken_at = snapshot.taken_at if state in _DATA_TOO_OLD else None
    return GoNoGoState(snapshot.readiness, state, taken_at)


def go_no_go_line(state: GoNoGoState, width: int) -> Text:
    """`✘ NO-GO · 3/5 ready · orders-sync: lag 42 s > 5 s · billing: 2 tables differ`, cut to
    `width` at a reason boundary (the verdict and the count always stay)."""
    readiness = state.readiness
    if readiness is None:
        line = Text()
        line.append(" ◌ readiness: waiting for the first refresh", style=Tone.DIM)
        line.truncate(width, overflow="ellipsis")
        return line
    stale = state.connection in _DATA_TOO_OLD
    verdict = Readiness.UNKNOWN if stale else readiness.verdict
    line = badge(verdict)
    line.append(f" {readiness.ready}/{readiness.total} ready", style="bold")
    reasons = list(readiness.reasons)
    if stale:
        was = GO_WORDS[readiness.verdict]
        reasons = [f"data stale: was {was} at {clock_time(state.taken_at)}"]
    for index, reason in enumerate(reasons):
        rest = len(reasons) - index - 1
        more = f"{SEPARATOR}+{rest} more" if rest else ""
        if line.cell_len + len(SEPARATOR) + len(reason) + len(more) > width:
            if index == 0 and line.cell_len + len(SEPARATOR) + 8 <= width:
                line.append(SEPARATOR, style=Tone.DIM)
                line.append(reason)  # the first reason, cut: better than none
            else:
                line.append(f"{SEPARATOR}+{len(reasons) - index} more", style=Tone.DIM)
            break
        line.append(SEPARATOR, style=Tone.DIM)
        line.append(reason)
    line = clean(line)  # job names come from the API
    line.truncate(width, overflow="ellipsis")
    return line


class GoNoGoLine(Widget):
    """One line under the status line, on every layout: can we switch now?"""

    DEFAULT_CSS = """
    GoNoGoLine {
        height: 1;
        width: 100%;
    }
    """

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self._state = GoNoGoState()

    @property
    def state(self) -> GoNoGoState:
        return self._state

    def show(self, state: GoNoGoState) -> bool:
        if state == self._state:
            return False
        self._state = state
        self.refresh()
        return True

    def render(self) -> Text:
        return go_no_go_line(self._state, self.size.width or 80)


# -- the detail pane ---------------------------------------------------------------------------
def sparkline(points: Sequence[LagPoint], width: int = SPARK_WIDTH) -> str:
    """One bar per reading (the last `width`), 0 at the floor; a gap where it was unknown."""
    shown = list(points)[-width:]
    values = [p.lag_ms for p in shown]
    top = max((v for v in values if v is not None), default=0.0)
    steps = len(BARS) - 1
    bars = []
    for value in values:
        if value is None:
            bars.append("·")
        elif top <= 0 or value <= 0:
            bars.append(BARS[0])
        else:
            bars.append(BARS[max(1, round(value / top * steps))])
    return "".join(bars)


def readiness_text(job: JobView) -> Text | None:
    """The readiness and replication lines of the detail pane (None: nothing to show)."""
    rep, verdict = job.replication, job.readiness
    if rep is None and verdict is None:
        return None
    text = Text("Readiness ", style="bold")
    if verdict is None:
        text.append("not in the cutover set", Tone.DIM)
    else:
        text.append_text(badge(verdict.verdict))
        for reason in verdict.reasons:
            text.append("\n  • ")
            text.append(reason, Tone.BAD if verdict.verdict is Readiness.NOT_READY else Tone.WARN)
    if rep is None:
        return clean(text)
    text.append("\nLag ", style="bold")
    lag = lag_cell(rep)
    text.append(lag.text, lag.style)
    text.append(f" (source {lag_text(rep.source_lag_ms)} · target {lag_text(rep.target_lag_ms)})")
    if rep.history:
        spark = sparkline(rep.history)
        text.append(f"  {spark}", Tone.BAD if rep.lag_state == "over" else Tone.OK)
        shown = len(rep.history[-SPARK_WIDTH:])
        text.append(f" {shown} refresh{'es' if shown != 1 else ''}", Tone.DIM)
    if rep.updated_at is not None:
        text.append(f" · updated {clock_time(rep.updated_at)}", Tone.WARN if rep.stale else Tone.DIM)
    if rep.stale:
        text.append(f" (stale {duration_text(rep.stale_for_seconds)})", Tone.WARN)
    text.append("\nLinks ", style="bold")
    for index, (side, healthy) in enumerate((("source", rep.source_ok), ("target", rep.target_ok))):
        if index:
            text.append(" · ")
        label, tone = {True: ("✔ up", Tone.OK), False: ("✘ DOWN", Tone.BAD)}.get(healthy, ("? not known", Tone.DIM))  # type: ignore[arg-type]
        text.append(f"{side} ")
        text.append(label, tone)
    text.append("  Progress ", style="bold")
    text.append(f"{rep.progress_percent:.0f}%" if rep.progress_percent is not None else DASH)
    if rep.remaining_seconds:
        text.append(f" · ETA {duration_text(rep.remaining_seconds)}")
    if rep.rpo_seconds is not None or rep.rto_seconds is not None:
        text.append(f" · RPO {duration_text(rep.rpo_seconds)} · RTO {duration_text(rep.rto_seconds)}")
    if rep.ddl_alarms:
        text.append(f" · {rep.ddl_alarms} DDL alarm{'s' if rep.ddl_alarms > 1 else ''}", Tone.BAD)
    return clean(text)
