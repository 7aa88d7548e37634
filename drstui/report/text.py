"""API text made safe for a report: one line, no control characters, escaped for the format.

Job names, table names and messages come from the API (or a hand-edited log) and may hold
markup, HTML, Markdown or terminal escapes; in the report they are always plain text.
"""

from __future__ import annotations

import html
import re

from drstui.logs import redact

# C0 and C1 controls, DEL, and the Unicode line/paragraph separators and bidi overrides that
# would reorder or split what a reader sees.
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
# Characters that make emphasis, code, links, tables or strike-through anywhere in a line; the
# renderers never put a value at the start of a line, where #, -, + and 1. would also count.
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")


def clean(value: object, limit: int = 300) -> str:
    """`value` as one line of plain text: controls shown as U+FFFD, secrets masked, cut at `limit`."""
    if value is None:
        return ""
    text = redact(str(value))
    text = _CONTROLS.sub("\N{REPLACEMENT CHARACTER}", text.replace("\n", " ").replace("\t", " "))
    text = " ".join(text.split(" ")).strip()
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
