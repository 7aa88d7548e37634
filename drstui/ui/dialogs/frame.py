"""How every dialog looks and behaves at the keyboard, written once.

- Focus is seen without colour: the focused field carries a heavy bar `┃` on its left (a blank
  column of the same width when it is not focused, so nothing moves), and its current item
  (the toggle's label, the radio set's or list's highlighted option, the button) is shown
  inverted (foreground on background swapped) and bold.
- Toggles say their state in glyphs: `[x]` / `[ ]` for check boxes and database lists,
  `(•)` / `( )` for radio buttons.
- Below `DialogScreen.NARROW` columns, choices stack instead of running off the right edge.
- A dialog is a `.dialog-box` holding a `.dialog-body` (a VerticalScroll with the form) and a
  `.dialog-foot` docked at the bottom (the problems line and the buttons), so at any size down
  to 60x15 the buttons and what is wrong stay on screen while the form scrolls.
"""

from __future__ import annotations

from typing import Any, ClassVar, TypeVar

from rich.segment import Segment
from textual.containers import VerticalScroll
from textual.content import Content
from textual.events import Focus, Resize
from textual.screen import ModalScreen
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

ResultT = TypeVar("ResultT")
ValueT = TypeVar("ValueT")

TICKED = "[x]"
UNTICKED = "[ ]"


class _HonestToggle:
    """A toggle whose button is its state in characters, not a coloured block."""

    BUTTON_LEFT: ClassVar[str]
    BUTTON_INNER: ClassVar[str]
    BUTTON_RIGHT: ClassVar[str]
    BUTTON_INNER_OFF: ClassVar[str] = " "
    value: bool

    @property
    def _button(self) -> Content:
        inner = self.BUTTON_INNER if self.value else self.BUTTON_INNER_OFF
        style = self.get_visual_style("toggle--button")  # type: ignore[attr-defined]
        return Content.assemble((f"{self.BUTTON_LEFT}{inner}{self.BUTTON_RIGHT}", style))


class TickBox(_HonestToggle, Checkbox):
    """A check box drawn `[x]` ticked and `[ ]` not."""

    BUTTON_LEFT = "["
    BUTTON_INNER = "x"
    BUTTON_RIGHT = "]"


class Choice(_HonestToggle, RadioButton):
    """A radio button drawn `(•)` chosen and `( )` not."""

    BUTTON_LEFT = "("
    BUTTON_INNER = "•"
    BUTTON_RIGHT = ")"


class PickList(SelectionList[ValueT]):
    """A SelectionList drawn with `[x]` / `[ ]`, whose first option is highlighted as soon as it
    has the focus (and options), so Space picks at once."""

    def on_focus(self, _event: Focus) -> None:
        self._highlight_first()

    def add_options(self, items: Any) -> PickList[ValueT]:
        super().add_options(items)
        if self.has_focus:
            self._highlight_first()
        return self

    def _highlight_first(self) -> None:
        if self.highlighted is None and self.option_count:
            self.highlighted = 0

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        try:
            option = self.get_option_at_index(self.scroll_offset.y + y)
        except OptionDoesNotExist:
            return strip
        if len(segments) < 4:
            return strip
        # The base draws three cells of button then a space in the line's own style.
        line_style = segments[3].style
        mark = TICKED if option.value in self._selected else UNTICKED
        return Strip([Segment(mark, line_style), *segments[3:]], strip.cell_length)


class DialogBody(VerticalScroll, can_focus=False):
    """The form: it scrolls to the focused field but never takes the focus itself (an invisible
    focus is a lost keystroke)."""

    DEFAULT_CLASSES = "dialog-body"


FOCUS_BAR = "#5fafff"

DIALOG_CSS = f"""
DialogScreen {{ align: center middle; }}
DialogScreen .dialog-box {{
    width: 90; max-width: 100%; height: auto; max-height: 100%;
    border: round $accent; border-title-align: center; background: $surface; padding: 0 1;
}}
DialogScreen .dialog-body {{ height: auto; max-height: 100%; }}
DialogScreen .dialog-head {{ dock: top; height: auto; }}
DialogScreen .dialog-scroll {{ border-left: blank; }}
DialogScreen .dialog-scroll:focus {{ border-left: heavy {FOCUS_BAR}; }}
DialogScreen .dialog-foot {{ dock: bottom; height: auto; }}
DialogScreen .dialog-problems {{ color: $error; height: auto; max-height: 4; }}
DialogScreen .dialog-buttons {{ height: 1; align-horizontal: right; }}
DialogScreen .dialog-row {{ height: auto; }}
DialogScreen .dialog-label {{ width: 14; color: $text-muted; }}
DialogScreen .dialog-help {{ color: $text-muted; padding-left: 15; }}
DialogScreen .dialog-choices {{ layout: horizontal; height: auto; width: 1fr; }}
DialogScreen.-narrow RadioSet {{ layout: vertical; }}
DialogScreen.-narrow .dialog-choices {{ layout: grid; grid-size: 3; grid-columns: auto; grid-rows: 1; }}

DialogScreen Checkbox, DialogScreen RadioSet, DialogScreen Input, DialogScreen OptionList,
DialogScreen DataTable {{
    border: none; border-left: blank; padding: 0; background-tint: transparent;
}}
DialogScreen Checkbox:focus, DialogScreen RadioSet:focus, DialogScreen Input:focus,
DialogScreen OptionList:focus, DialogScreen DataTable:focus {{
    border: none; border-left: heavy {FOCUS_BAR}; padding: 0; background-tint: transparent;
}}
DialogScreen Checkbox {{ width: auto; height: 1; background: transparent; }}
DialogScreen .dialog-row > Checkbox {{ width: 1fr; }}
DialogScreen Input {{ width: 1fr; height: 1; }}
DialogScreen OptionList {{ height: auto; width: 1fr; }}
DialogScreen RadioSet {{ layout: horizontal; height: auto; width: 1fr; background: transparent; }}
DialogScreen RadioSet > RadioButton {{ width: auto; margin-right: 1; background: transparent; }}

DialogScreen ToggleButton > .toggle--button,
DialogScreen RadioSet > RadioButton > .toggle--button {{ color: $foreground; background: transparent; }}
DialogScreen ToggleButton.-on > .toggle--button,
DialogScreen RadioSet > RadioButton.-on > .toggle--button {{ color: $foreground; background: transparent; text-style: bold; }}
DialogScreen Checkbox:focus > .toggle--label,
DialogScreen RadioSet:focus > RadioButton.-selected > .toggle--label {{
    color: $background; background: $foreground; text-style: bold;
}}
DialogScreen RadioSet:blur > RadioButton.-selected > .toggle--label {{ background: transparent; }}
DialogScreen OptionList > .option-list--option-highlighted {{ text-style: none; }}
DialogScreen OptionList:focus > .option-list--option-highlighted {{
    color: $background; background: $foreground; text-style: bold;
}}

DialogScreen .dialog-buttons Button {{
    height: 1 !important; min-width: 10; margin-left: 1;
    border: none !important; border-left: blank !important; border-right: blank !important;
}}
DialogScreen .dialog-buttons Button:focus {{
    border-left: heavy {FOCUS_BAR} !important; border-right: heavy {FOCUS_BAR} !important;
    text-style: reverse bold;
}}
"""


class DialogScreen(ModalScreen[ResultT]):
    """A modal dialog with the shared look above. Below NARROW columns it is `-narrow`: radio
    sets stack their choices and rows of check boxes (`.dialog-choices`) wrap, so no choice is
    cut off at the right edge."""

    NARROW = 80
    DEFAULT_CSS = DIALOG_CSS

    def on_resize(self, event: Resize) -> None:
        self.set_class(event.size.width < self.NARROW, "-narrow")
