"""Render a screen as a 16-colour xterm (TERM=xterm) shows it, for snapshot tests.

Textual draws in true colour and the terminal driver lowers colours to what the terminal has;
screenshots are always taken in true colour. This line filter does the lowering (Rich's own
downgrade to the 16 standard colours) and paints each of the 16 with xterm's default palette, so
a snapshot shows what an SRE on a 16-colour terminal sees."""

from __future__ import annotations

from rich.color import Color as RichColor
from rich.color import ColorSystem, ColorType
from rich.color_triplet import ColorTriplet
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.filter import LineFilter

XTERM_16 = [
    (0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205),
    (229, 229, 229), (127, 127, 127), (255, 0, 0), (0, 255, 0), (255, 255, 0), (92, 92, 255),
    (255, 0, 255), (0, 255, 255), (255, 255, 255),
]


def _lower(color: RichColor | None) -> RichColor | None:
    if color is None or color.type is ColorType.DEFAULT:
        return color
    standard = color.downgrade(ColorSystem.STANDARD)
    if standard.number is None:
        return standard
    return RichColor.from_triplet(ColorTriplet(*XTERM_16[standard.number]))


class Xterm16(LineFilter):
    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        out = []
        for text, style, control in segments:
            if style is not None:
                style = style + Style.from_color(_lower(style.color), _lower(style.bgcolor))
            out.append(Segment(text, style, control))
        return out


def as_xterm16(app):  # type: ignore[no-untyped-def]
    """The app, drawing as a 16-colour xterm would show it."""
    from rich.color import ColorSystem

    app._filters.append(Xterm16())
    app.console._color_system = ColorSystem.STANDARD  # what Rich detects for TERM=xterm
    return app
