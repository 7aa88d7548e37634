"""KeyedTable: many removals rebuild the table (same result as row by row), and a same-width
cell change repaints only that cell (bench/bytes.py and bench/filter.py measure the gains)."""

from textual.app import App, ComposeResult

from drstui.ui.keyed_table import REBUILD_AFTER_REMOVALS, Cell, Column, KeyedTable

COLUMNS = (Column("name", "Name"), Column("count", "Count", "right"))


def rows(keys, count="1"):
    return [(k, (Cell(k), Cell(count))) for k in keys]


class TableApp(App[None]):
    def compose(self) -> ComposeResult:
        yield KeyedTable(COLUMNS)


async def test_many_removals_rebuild_with_order_cursor_and_highlights():
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(KeyedTable)
        keys = [f"k{i:03d}" for i in range(200)]
        table.sync(rows(keys), highlight_changes=False)
        table.move_to("k150")
        # k150 changes (highlighted), and far more than the threshold disappear.
        kept = [k for k in keys if int(k[1:]) % 4 == 0 or k == "k150"]
        assert len(keys) - len(kept) > REBUILD_AFTER_REMOVALS
        new_rows = [(k, (Cell(k), Cell("2" if k == "k150" else "1"))) for k in reversed(kept)]
        table.sync(new_rows, highlight_changes=True)
        await pilot.pause()
        assert table.keys_in_order == list(reversed(kept))
        assert table.cursor_key == "k150"
        assert table.highlighted_cells("k150") == {1}
        assert table.cells("k150")[1].text == "2"
        # Row-by-row path again afterwards: keyed state is consistent.
        table.sync(new_rows[:-3], highlight_changes=True)
        assert table.keys_in_order == list(reversed(kept))[:-3]
        assert table.highlighted_cells("k150") == set()


async def test_same_width_change_repaints_only_that_cell():
    app = TableApp()
    async with app.run_test(size=(60, 20)) as pilot:
        table = app.query_one(KeyedTable)
        table.sync(rows(["a", "b", "c"], "10"), highlight_changes=False)
        await pilot.pause()
        table._repaint_regions.clear()
        table.sync(rows(["a", "b", "c"], "10")[:1] + [("b", (Cell("b"), Cell("11")))] + rows(["c"], "10"),
                   highlight_changes=False)
        regions = [region for region in table._repaint_regions if region.area]
        assert regions and all(region.height == 1 for region in regions)
        assert str(table.get_cell("b", "count")) == "11"
        # A wider value still goes through the full (column-resizing) update.
        table.sync(rows(["a"], "10") + [("b", (Cell("b"), Cell("1000")))] + rows(["c"], "10"),
                   highlight_changes=False)
        await pilot.pause()
        assert str(table.get_cell("b", "count")) == "1000"
        assert table.columns[next(iter(k for k in table.columns if k.value == "count"))].content_width >= 4
