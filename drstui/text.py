"""Text that came from outside (the API, a file, the user) made safe to show.

Two things can go wrong when such text reaches a screen:

- markup: Rich/Textual parse `[...]` in plain strings, so a job named `a[/]b` raises on the
  first paint and `[@click=app.quit]X[/]` becomes an action. Outside text is therefore only
  ever put on screen as a `rich.text.Text` (or with markup off), never as a markup string.
- terminal controls: ESC, the 8-bit CSI (U+009B) and friends would reach the terminal and
  move the cursor, retitle the window or write the clipboard; bidirectional overrides
  (U+202E) reorder what is shown. `visible` replaces each such character with exactly one
  visible one (␛ for ESC, � for the rest), so the text keeps its length and Rich spans stay
  where they were.

Machine output (JSON, the cutover log) stays faithful: `json_dumps` escapes those characters
as `\\uXXXX` instead of dropping them.
"""

from __future__ import annotations

import dataclasses
import json
import re
from enum import Enum
from typing import Any, TypeVar

from rich.text import Text

REPLACEMENT = "\ufffd"
# C0 controls, DEL, C1 controls (U+0080..U+009F, U+009B is an 8-bit CSI), the bidirectional
# embeddings / overrides / isolates and marks, the Unicode line and paragraph separators, and
# lone surrogates (a JSON "\\ud800" decodes to one; it cannot even be encoded for a terminal).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]"
)
# In JSON, C0 controls are already escaped by the encoder; the rest is escaped by us.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ud800-\udfff]")

T = TypeVar("T")


def _picture(char: str) -> str:
    code = ord(char)
    if code < 0x20:
        return chr(0x2400 + code)  # the Unicode "control pictures": ␛ ␀ ␇ ␊ …
    if code == 0x7F:
        return "\u2421"  # ␡
    return REPLACEMENT


def _picture_keeping_newline(match: re.Match[str]) -> str:
    char = match.group()
    return char if char == "\n" else _picture(char)


def _picture_of(match: re.Match[str]) -> str:
    return _picture(match.group())


def is_visible(text: str) -> bool:
    """True if `text` has no character `visible` would replace (newlines allowed)."""
    return _UNSAFE.search(text.replace("\n", "")) is None


def visible(text: object, *, newlines: bool = False) -> str:
    """`text` with every control, bidi override and lone surrogate made visible, one for one.

    With `newlines`, line breaks are kept (multi-line messages); otherwise they are shown as ␊,
    so one value always stays on one line (table cells, titles, the header)."""
    if text is None:
        return ""
    if not isinstance(text, str):
        text = str(text)
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_picture_keeping_newline if newlines else _picture_of, text)


def plain(text: object, style: str = "", *, newlines: bool = False) -> Text:
    """Outside text as a Rich Text: shown literally (never parsed as markup), controls visible."""
    return Text(visible(text, newlines=newlines), style=style)


def clean(text: Text) -> Text:
    """A copy of `text` with controls made visible; styles and spans are kept (same length)."""
    if is_visible(text.plain):
        return text
    copy = text.copy()
    copy.plain = visible(text.plain, newlines=True)
    return copy


def visible_tree(value: T) -> T:
    """`value` (dataclasses, tuples, lists, dicts, strings) with every string made `visible`.

    For output that shows a whole structure to a person (the `drstui snapshot` table); enum
    members and other values are kept as they are. Unchanged parts are returned as they were."""
    return _tree(value)  # type: ignore[no-any-return]


def _tree(value: Any) -> Any:
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return visible(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {}
        for field in dataclasses.fields(value):
            if not field.init:
                continue
            old = getattr(value, field.name)
            new = _tree(old)
            if new is not old:
                changes[field.name] = new
        return dataclasses.replace(value, **changes) if changes else value
    if isinstance(value, (tuple, list)):
        items = [_tree(item) for item in value]
        if all(new is old for new, old in zip(items, value)):
            return value
        return type(value)(items) if isinstance(value, list) else tuple(items)
    if isinstance(value, dict):
        pairs = {_tree(key): _tree(item) for key, item in value.items()}
        if all(k in value and pairs[k] is value[k] for k in pairs):
            return value
        return pairs
    return value


def json_dumps(value: Any, **options: Any) -> str:
    """`json.dumps` that keeps non-ASCII text readable but escapes what a terminal would obey.

    C1 controls, bidi overrides, line separators and lone surrogates come out as `\\uXXXX`
    (JSON decoders give back the same string); C0 controls are escaped by `json` itself."""
    text = json.dumps(value, ensure_ascii=False, **options)
    # Outside string literals JSON is ASCII, so every match is inside a string: escaping is exact.
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def short_id(identifier: str | None, keep: int = 8, missing: str = "?") -> str:
    """The first characters of a long id, enough to recognise it in a message or a log line."""
    return identifier[:keep] if identifier else missing
