"""The status line repaints only the cells that changed (bench/bytes.py: the 1 Hz age tick)."""

from datetime import datetime, timezone

from textual.app import App, ComposeResult

from drstui.ui.header import HeaderState, StatusLine

TAKEN = datetime(2025, 1, 15, 8, 30, tzinfo=timezone.utc)


class HeaderApp(App[None]):
    def compose(self) -> ComposeResult:
        yield StatusLine(HeaderState(profile="p", taken_at=TAKEN, age_seconds=1))


async def test_age_tick_dirties_only_the_changed_cells():
    app = HeaderApp()
    async with app.run_test(size=(100, 5)) as pilot:
        line = app.query_one(StatusLine)
        await pilot.pause()
        line._repaint_regions.clear()
        assert line.show(HeaderState(profile="p", taken_at=TAKEN, age_seconds=2))
        regions = list(line._repaint_regions)
        assert len(regions) == 1 and regions[0].width == 1 and regions[0].x > 10
        assert "2s old" in line.render().plain
        assert not line.show(HeaderState(profile="p", taken_at=TAKEN, age_seconds=2))  # unchanged
