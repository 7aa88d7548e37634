"""The object count trend of a job as one line of text: a unicode sparkline and the numbers.

The values come from `MonitorHistory.trend_series` (one point per fresh refresh this session):
the object count gap, the sum over object types of |source count - target count|. It should
fall to 0 as the target catches up. Bars are scaled from 0 to the largest value shown, so a
gap that closes is seen to reach the floor.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from drstui.ui.theme import Tone

BARS = "▁▂▃▄▅▆▇█"
WIDTH = 32  # points shown (the newest); fits an 80-column detail pane with its numbers


def sparkline(values: Sequence[int], width: int = WIDTH) -> str:
    """One bar per value (the last `width`), 0 at the floor, the largest value at the top."""
    shown = list(values)[-width:] if width > 0 else []
    if not shown:
        return ""
    top = max(shown)
    if top <= 0:
        return BARS[0] * len(shown)
    steps = len(BARS) - 1
    # Any gap above 0 gets at least the second bar, so "almost closed" and "closed" differ.
    return "".join(BARS[0] if v <= 0 else BARS[max(1, round(v / top * steps))] for v in shown)


def trend_line(values: Sequence[int], width: int = WIDTH) -> Text | None:
    """`Count gap ▇▅▃▁ 0 (was 12, 4 refreshes)`, or None when there is nothing to plot."""
    if not values:
        return None
    now, first = values[-1], values[0]
    text = Text("Count gap ")
    text.append(sparkline(values, width), Tone.OK if now == 0 else Tone.WARN)
    text.append(f" {now:,}", "bold")
    points = len(values)
    history = f"was {first:,}, " if first != now else ""
    text.append(f" ({history}{points} refresh{'es' if points != 1 else ''})", Tone.DIM)
    return text
