"""Widgets and setters that show text as text: never as markup, never with terminal controls.

Job, table and object names, error messages and what the user types reach many places of the
screen. These are the only ways the UI puts such text there (see drstui.text for why):
`PlainStatic` for static text, `PlainInput` for what is typed or pasted, `set_title` for border
titles, `drstui.text.plain` for list prompts;
tables go through `keyed_table.Cell`, notifications through `DrsTuiApp.notify`.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.visual import visualize
from textual.widget import Widget
from textual.widgets import Input, Static

from drstui.text import clean, plain, visible


def safe_content(content: Any, *, newlines: bool = True) -> Any:
    """A str becomes literal Text, a Text gets its controls made visible; other renderables
    (our own tables) pass unchanged."""
    if isinstance(content, str):
        return plain(content, newlines=newlines)
    if isinstance(content, Text):
        return clean(content)
    return content


class PlainStatic(Static):
    """A Static whose strings are shown literally, with controls made visible."""

    def __init__(self, content: Any = "", **kwargs: Any) -> None:
        kwargs["markup"] = False
        super().__init__(safe_content(content), **kwargs)

    def update(self, content: Any = "", *, layout: bool = True) -> None:
        super().update(safe_content(content), layout=layout)

    def update_in_place(self, content: Any) -> None:
        """`update`, laying the screen out again only when the text's height changes: a new
        lag figure or age in a line of the same height repaints this widget alone, not the
        whole screen (a full layout and repaint on every refresh)."""
        content = safe_content(content)
        width = self.content_region.width
        sized_by_content = self.styles.width is not None and self.styles.width.is_auto
        if not width or sized_by_content or not self.display:
            super().update(content)
            return
        before = self.visual.get_height(self.styles, width)
        after = visualize(self, content, markup=False).get_height(self.styles, width)
        super().update(content, layout=after != before)


def set_title(widget: Widget, title: str | Text, *, subtitle: bool = False) -> None:
    """Set a border (sub)title from text that may come from the API; redraw only on change."""
    text = safe_content(title, newlines=False)
    cache = "_plain_subtitle" if subtitle else "_plain_title"
    if getattr(widget, cache, None) == text:
        return
    setattr(widget, cache, text)
    if subtitle:
        widget.border_subtitle = text
    else:
        widget.border_title = text



class PlainInput(Input):
    """An Input whose value never holds a terminal control: a pasted ESC, 8-bit CSI or bidi
    override is replaced, as it arrives, by its visible picture (␛, �)."""

    def validate_value(self, value: str) -> str:
        return visible(value)
