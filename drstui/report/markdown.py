"""The report as Markdown (CommonMark with pipe tables): readable as plain text, pastes into a
ticket or a wiki. The lag chart becomes a table of readings."""

from __future__ import annotations

from drstui.report.layout import Block, Chart, Facts, Heading, Note, Table, blocks
from drstui.report.model import Report
from drstui.report.text import md


def render_markdown(report: Report) -> str:
    parts = [_block(block) for block in blocks(report)]
    parts.append(f"_Made by drstui report at {report.generated_at.strftime('%Y-%m-%d %H:%M:%SZ')}. "
                 "Times are UTC._")
    return "\n\n".join(parts) + "\n"


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        return f"{'#' * block.level} {md(block.text)}"
    if isinstance(block, Facts):
        return "\n".join(f"- **{md(label)}**: {md(cell.text, 2000)}" for label, cell in block.items)
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Note):
        return f"_{md(block.text)}_"
    if isinstance(block, Chart):
        return "Lag readings (the HTML report draws them as a chart):\n\n" + _table(block.readings)
    raise TypeError(f"unknown block {block!r}")


def _table(table: Table) -> str:
    lines = []
    if table.caption:
        lines += [f"_{md(table.caption)}_", ""]
    lines.append("| " + " | ".join(md(title) for title in table.headers) + " |")
    lines.append("|" + "|".join(" --- " for _ in table.headers) + "|")
    lines += ["| " + " | ".join(md(cell.text, 2000) for cell in row) + " |" for row in table.rows]
    return "\n".join(lines)
