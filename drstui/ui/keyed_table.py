"""A DataTable that is updated by row key, touching only what changed.

Every pane renders its rows as tuples of `Cell`s (plain, comparable values) and hands them to
`KeyedTable.sync`. The table compares them with what it shows and then only calls `update_cell`
for changed cells, `add_row` for new rows and `remove_row` for vanished ones (memray's pattern):
the cursor and scroll stay put and the terminal receives only the changed cells. A refresh where
nothing changed makes no DataTable call at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from rich.text import Text
from textual.coordinate import Coordinate
from textual.geometry import Region, Size
from textual.widget import Widget
from textual.widgets import DataTable

from drstui.text import visible
from drstui.ui.theme import CHANGED, Tone


@dataclass(frozen=True)
class Cell:
    """What one cell shows: text and style, compared by value to detect changes.

    The text is shown literally (a Text, never markup), with terminal controls made visible."""

    text: str
    style: str = Tone.PLAIN
    justify: Literal["left", "right"] = "left"
    # Counts down with the clock (export expiry): its ticks are not "changes" to highlight.
    live: bool = False

    def render(self, changed: bool = False) -> Text:
        style = f"{self.style} {CHANGED}".strip() if changed else str(self.style)
        return Text(visible(self.text), style=style, justify=self.justify, no_wrap=True, overflow="ellipsis")


def number(text: str, style: str = Tone.PLAIN) -> Cell:
    return Cell(text, style, justify="right")


Row = tuple[str, tuple[Cell, ...]]  # (row key, cells in column order)

# DataTable.remove_row re-indexes every row (O(rows)); past this many removals in one sync it
# is cheaper to clear() and add the wanted rows again (O(rows) once). Measured (bench/filter.py,
# 2,000 jobs): a filter key that hides 833 rows took 1,060 ms row by row.
REBUILD_AFTER_REMOVALS = 32


def unique_keys(rows: Sequence[Row]) -> Sequence[Row]:
    """`rows` with a repeated key made unique (`key#2`, `key#3`…), keeping every row.

    Keys come from the API (job ids, object types, table names), and an answer that lists the
    same one twice must not crash the table with a duplicate row key."""
    if len({key for key, _ in rows}) == len(rows):
        return rows
    seen: set[str] = set()
    unique: list[Row] = []
    for key, cells in rows:
        candidate, copy = key, 1
        while candidate in seen:
            copy += 1
            candidate = f"{key}#{copy}"
        seen.add(candidate)
        unique.append((candidate, cells))
    return unique


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    justify: Literal["left", "right"] = "left"


class KeyedTable(DataTable[Text]):
    """DataTable with keyed, minimal updates and one-refresh highlighting of changed cells."""

    _cell_refresh: Region | None = None  # set while _write_cell runs update_cell (see refresh)

    def __init__(self, columns: Sequence[Column], **kwargs: object) -> None:
        super().__init__(cursor_type="row", zebra_stripes=False, **kwargs)  # type: ignore[arg-type]
        self._column_keys = [column.key for column in columns]
        for column in columns:
            self.add_column(Text(column.label, justify=column.justify), key=column.key)
        self._shown: dict[str, tuple[Cell, ...]] = {}
        self._lit: dict[str, set[int]] = {}  # cells highlighted since the last refresh
        self._first_cell: dict[int, str] = {}  # id(first rendered cell) -> row key, for sorting
        self.writes = 0  # DataTable mutations made by sync(): tests and benchmarks read this

    def watch_virtual_size(self, old: Size, new: Size) -> None:
        # An auto-height table that gained or lost rows must make its containers re-layout.
        # DataTable measures rows only when idle, and the layout pass that follows can run
        # with the old height; asking again after the next refresh settles it.
        if old.height != new.height and self.is_attached:
            self.call_after_refresh(self._relayout)

    def _relayout(self) -> None:
        for ancestor in self.ancestors_with_self:
            if isinstance(ancestor, Widget):
                ancestor.refresh(layout=True)

    # -- queries ---------------------------------------------------------------------------
    @property
    def keys_in_order(self) -> list[str]:
        return [str(row.key.value) for row in self.ordered_rows]

    @property
    def cursor_key(self) -> str | None:
        if not self.row_count:
            return None
        row = min(self.cursor_row, self.row_count - 1)
        return str(self.ordered_rows[row].key.value)

    def cells(self, key: str) -> tuple[Cell, ...] | None:
        return self._shown.get(key)

    def highlighted_cells(self, key: str) -> set[int]:
        return set(self._lit.get(key, ()))

    def move_to(self, key: str) -> None:
        """Put the cursor on a row by key (no-op when it is already there or absent)."""
        if key in self._shown:
            index = self.get_row_index(key)
            if index != self.cursor_row:
                self.move_cursor(row=index, animate=False)

    def set_widths(self, widths: dict[str, int]) -> None:
        """Fix these columns' widths (their cells are cut with `…`); every other column takes
        its contents' width again. No-op when nothing changes."""
        changed = False
        for key, column in self.columns.items():
            wanted = widths.get(str(key.value))
            if wanted is None and not column.auto_width:
                column.auto_width, changed = True, True
            elif wanted is not None and (column.auto_width or column.width != wanted):
                column.auto_width, column.width, changed = False, wanted, True
        if changed:
            # DataTable has no public call for this: drop its rendered lines and let its
            # next idle pass measure the virtual width again.
            self._clear_caches()
            self._require_update_dimensions = True
            self.refresh()

    # -- the one way rows change -----------------------------------------------------------
    def sync(self, rows: Sequence[Row], *, highlight_changes: bool) -> int:
        """Make the table show exactly `rows`, in that order. Returns the DataTable calls made.

        highlight_changes=True (a new Snapshot): changed cells are highlighted and the highlight
        of the previous refresh is cleared. False (filter, sort, clock tick, other job): changed
        cells are shown plainly and earlier highlights are left alone.
        """
        before = self.writes
        cursor_key = self.cursor_key
        rows = unique_keys(rows)
        wanted = dict(rows)
        gone = [key for key in self._shown if key not in wanted]
        if len(gone) > REBUILD_AFTER_REMOVALS:
            self._rebuild(rows, highlight_changes)
        else:
            for key in gone:
                self._remove(key)
            for key, cells in rows:
                if key in self._shown:
                    self._update(key, cells, highlight_changes)
                else:
                    self._add(key, cells)
            self._reorder([key for key, _ in rows])
        if cursor_key is not None and cursor_key in self._shown and self.writes != before:
            self.move_to(cursor_key)  # keep the user on the same item, not the same line
        return self.writes - before

    def _add(self, key: str, cells: tuple[Cell, ...]) -> None:
        rendered = [cell.render() for cell in cells]
        self.add_row(*rendered, key=key)
        self._first_cell[id(rendered[0])] = key
        self._shown[key] = cells
        self.writes += 1

    def _rebuild(self, rows: Sequence[Row], highlight_changes: bool) -> None:
        """clear() and add `rows` again, highlighting as `_update` would have."""
        new_lit: dict[str, set[int]] = {}
        for key, cells in rows:
            old = self._shown.get(key)
            if old is None:
                continue
            lit = set() if highlight_changes else set(self._lit.get(key, ()))
            for index, (before, after) in enumerate(zip(old, cells, strict=True)):
                if before != after:
                    if highlight_changes and not after.live:
                        lit.add(index)
                    else:
                        lit.discard(index)
            if lit:
                new_lit[key] = lit
        self.clear()
        self._shown.clear()
        self._first_cell.clear()
        self._lit = new_lit
        for key, cells in rows:
            lit = new_lit.get(key, ())
            rendered = [cell.render(index in lit) for index, cell in enumerate(cells)]
            self.add_row(*rendered, key=key)
            self._first_cell[id(rendered[0])] = key
            self._shown[key] = cells
        self.writes += 1

    def _remove(self, key: str) -> None:
        first = self.get_row(key)[0]
        self._first_cell.pop(id(first), None)
        self.remove_row(key)
        del self._shown[key]
        self._lit.pop(key, None)
        self.writes += 1

    def _update(self, key: str, cells: tuple[Cell, ...], highlight_changes: bool) -> None:
        old = self._shown[key]
        lit = self._lit.get(key, set())
        new_lit: set[int] = set() if highlight_changes else set(lit)
        for index, (before, after) in enumerate(zip(old, cells, strict=True)):
            changed = before != after
            show_lit = changed and highlight_changes and not after.live
            if changed or (index in lit and not show_lit and highlight_changes):
                self._write_cell(key, index, after.render(show_lit))
            if show_lit:
                new_lit.add(index)
            elif changed:
                new_lit.discard(index)
        self._shown[key] = cells
        if new_lit:
            self._lit[key] = new_lit
        else:
            self._lit.pop(key, None)

    def _write_cell(self, key: str, index: int, value: Text) -> None:
        if index == 0:
            self._first_cell.pop(id(self.get_row(key)[0]), None)
            self._first_cell[id(value)] = key
        column_key = self._column_keys[index]
        old = self.get_cell(key, column_key)
        if isinstance(old, Text) and old.cell_len == value.cell_len and self.is_mounted:
            # Same width: no column can change size, so only this cell needs repainting.
            # DataTable.update_cell refreshes the whole table (every visible row goes to the
            # terminal again, ~3 KB for one changed count at 120x36); limit it to the cell.
            self._cell_refresh = Region(0, 0, 0, 0)
            try:
                self.update_cell(key, column_key, value)
            finally:
                self._cell_refresh = None
            self.refresh_coordinate(Coordinate(self.get_row_index(key), index))
        else:
            self.update_cell(key, column_key, value, update_width=True)
        self.writes += 1

    def refresh(self, *regions: Region, **kwargs: object) -> "KeyedTable":  # type: ignore[override]
        if self._cell_refresh is not None and not regions and not kwargs:
            # The full refresh update_cell asks for; _write_cell refreshes the cell instead.
            # Still drop the render caches the way a refresh does.
            return super().refresh(self._cell_refresh)  # type: ignore[return-value]
        return super().refresh(*regions, **kwargs)  # type: ignore[arg-type, return-value]

    def _reorder(self, order: list[str]) -> None:
        if self.keys_in_order == order:
            return
        rank = {key: position for position, key in enumerate(order)}
        # DataTable.sort hands the key function cell values, not row keys: we find the row by
        # the identity of the Text object in its first column.
        self.sort(self._column_keys[0], key=lambda first: rank[self._first_cell[id(first)]])
        self.writes += 1
