"""Every state reads in 16 colours, in 256 and without colour: distinct colours after the
16-colour lowering, and a glyph and a word of its own."""

from __future__ import annotations

from rich.color import Color, ColorSystem
from rich.style import Style

from drstui.monitor.snapshot import Connection, LinkState, Verdict
from drstui.ui.header import HeaderState, header_text
from drstui.ui.theme import Tone, VERDICT_LABELS, link_tone


def _sixteen(tone: Tone) -> int | None:
    color = Style.parse(str(tone)).color
    assert color is not None
    return color.downgrade(ColorSystem.STANDARD).number


def test_each_tone_lowers_to_its_own_bright_colour_in_16_colours() -> None:
    lowered = {tone: _sixteen(tone) for tone in (Tone.OK, Tone.WARN, Tone.BAD, Tone.DIFF, Tone.BUSY)}
    assert len(set(lowered.values())) == len(lowered), lowered
    # bright (8-15) and none is grey (7, 8) or black: readable on a black background
    assert all(number is not None and 9 <= number <= 14 for number in lowered.values()), lowered


def test_failed_and_inconsistent_differ_in_glyph_word_and_colour() -> None:
    failed, inconsistent = VERDICT_LABELS[Verdict.FAILED], VERDICT_LABELS[Verdict.INCONSISTENT]
    assert failed[0].split()[0] != inconsistent[0].split()[0]  # glyph
    assert failed[1] != inconsistent[1]
    glyphs = [label.split()[0] for label, _ in VERDICT_LABELS.values()]
    assert len(set(glyphs)) == len(glyphs)  # no colour needed to tell verdicts apart


def test_the_header_state_keeps_its_colour_not_dimmed_by_the_separators() -> None:
    line = header_text(HeaderState(profile="p", connection=Connection(LinkState.OK)), 120)
    start = line.plain.index("● OK")
    styles = [Style.parse(str(span.style)) for span in line.spans
              if span.start <= start < span.end]
    assert not any(style.dim for style in styles), line.spans
    assert any(style.color == Color.parse(str(link_tone(LinkState.OK))) for style in styles)
