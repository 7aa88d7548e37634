"""API text made safe for a report: one line, no control characters, escaped for the format.

Job names, table names and messages come from the API (or a hand-edited log) and may hold
markup, HTML, Markdown or terminal escapes; in the report they are always plain text.
"""

from __future__ import annotations

import html
import re

from drstui.logs import redact
from drstui.text import visible

# Characters that make emphasis, code, links, tables or strike-through anywhere in a line; the
# renderers never put a value at the start of a line, where #, -, + and 1. would also count.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def clean(value: object, limit: int = 300) -> str:
    """`value` as one line of plain text: line breaks as spaces, other controls and bidi
    overrides made visible (␛, �), secrets masked, cut at `limit`."""
    if value is None:
        return ""
    text = redact(str(value))
    text = visible(text.replace("\r\n", " ").replace("\n", " ").replace("\t", " ")).strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def h(value: object, limit: int = 300) -> str:
    """Cleaned and escaped for HTML text and attribute values."""
    return html.escape(clean(value, limit), quote=True)


def md(value: object, limit: int = 300) -> str:
    """Cleaned and escaped for Markdown (table cells included): no emphasis, link, code or
    HTML can come out of it."""
    text = clean(value, limit)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", text)
