"""The report as one HTML file: inline CSS and SVG, no script, nothing fetched from anywhere."""

from __future__ import annotations

import re

from drstui.report.layout import Block, Cell, Chart, Facts, Heading, Note, Table, blocks
from drstui.report.model import Report
from drstui.report.text import h

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2em auto; max-width: 1100px; padding: 0 1em;
       color: #1b1b1b; line-height: 1.4; }
h1 { border-bottom: 2px solid #333; padding-bottom: .2em; }
h2 { margin-top: 2em; border-bottom: 1px solid #ccc; }
table { border-collapse: collapse; margin: .5em 0 1em; font-size: 14px; }
th, td { border: 1px solid #ccc; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
caption { text-align: left; font-style: italic; padding: 2px 0; }
dl.facts { display: grid; grid-template-columns: max-content auto; gap: 2px 1em; }
dl.facts dt { font-weight: bold; } dl.facts dd { margin: 0; }
.good { color: #11692b; font-weight: bold; } .bad { color: #b00020; font-weight: bold; }
.warn { color: #8a5a00; font-weight: bold; } .busy { color: #005a8a; } .dim { color: #666; }
p.note { font-style: italic; }
footer { margin-top: 3em; color: #666; font-size: 12px; }
"""
# Content-Security-Policy of the file itself: even if some text slipped through unescaped, no
# script runs and nothing loads from elsewhere.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def render_html(report: Report) -> str:
    title = "Cutover report" + (f" – {report.scopes[0]}" if report.scopes else "")
    body = "\n".join(_block(block) for block in blocks(report))
    return (
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<meta http-equiv=\"Content-Security-Policy\" content=\"{CSP}\">\n"
        f"<title>{h(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n"
        f"<footer>Made by drstui report at {h(report.generated_at.strftime('%Y-%m-%d %H:%M:%SZ'))}. "
        "Times are UTC.</footer>\n</body>\n</html>\n"
    )


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        anchor = f' id="{_anchor(block.anchor)}"' if block.anchor else ""
        return f"<h{block.level}{anchor}>{h(block.text)}</h{block.level}>"
    if isinstance(block, Facts):
        items = "".join(f"<dt>{h(label)}</dt><dd>{_cell(cell)}</dd>" for label, cell in block.items)
        return f'<dl class="facts">{items}</dl>'
    if isinstance(block, Table):
        caption = f"<caption>{h(block.caption)}</caption>" if block.caption else ""
        head = "".join(f"<th>{h(title)}</th>" for title in block.headers)
        rows = "".join("<tr>" + "".join(f"<td>{_cell(cell)}</td>" for cell in row) + "</tr>"
                       for row in block.rows)
        return f"<table>{caption}<thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"
    if isinstance(block, Note):
        tone = f" {block.tone}" if block.tone else ""
        return f'<p class="note{tone}">{h(block.text)}</p>'
    if isinstance(block, Chart):
        return f'<figure class="chart">{block.svg}</figure>'  # built from escaped parts (chart.py)
    raise TypeError(f"unknown block {block!r}")


def _cell(cell: Cell) -> str:
    text = h(cell.text, 2000)
    return f'<span class="{cell.tone}">{text}</span>' if cell.tone else text


def _anchor(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)[:80]
