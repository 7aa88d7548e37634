"""Narrow terminals: the jobs table keeps the verdicts, the lag and the status whole; names give
way first (cut in the middle), then statuses are written short; the engine may scroll."""

from __future__ import annotations

import pytest

from drstui.ui.column_fit import fit_widths, fits, short_job_status, text_width
from drstui.ui.help_screen import LEGEND

from .fakes import ScriptedSource, fixed_clock
from .settling import settle
from .test_multi_scope import _snap_app

MUST_STAY_WHOLE = ("ready", "lag", "verdict", "status")


def test_short_statuses_are_read_with_the_legend():
    assert short_job_status("INCRE_TRANSFER_STARTED") == "INCR run"
    assert short_job_status("INCRE_TRANSFER_FAILED") == "INCR FAIL"
    assert short_job_status("FULL_TRANSFER_COMPLETE") == "FULL done"
    assert short_job_status("RELEASE_CHILD_TRANSFER_COMPLETE") == "REL CHILD done"
    assert short_job_status("PAUSING") == "PAUSING"  # no short form: as it is
    assert "INCR = INCRE_TRANSFER" in LEGEND


def test_columns_give_way_in_order_down_to_their_minimum():
    natural = {"name": 30, "ready": 7, "issues": 10, "status": 22}
    assert fit_widths(natural, 100, [("name", 12), ("issues", 8)]) == {}
    assert fit_widths(natural, 60, [("name", 12), ("issues", 8)]) == {"name": 21}
    assert fit_widths(natural, 40, [("name", 12), ("issues", 8)]) == {"name": 12, "issues": 8}
    assert fits(natural, 49, [("name", 12), ("issues", 8)]) and not fits(natural, 48, [("name", 12), ("issues", 8)])


def cut_columns(app) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Cells whose text is wider than their column (the table would cut them)."""
    table = app.monitor.jobs_pane.table
    widths = {str(key.value): (column.content_width if column.auto_width else column.width)
              for key, column in table.columns.items()}
    keys = [str(key.value) for key in table.columns]
    cut = {}
    for row_key in table.keys_in_order:
        for key, cell in zip(keys, table.cells(row_key) or ()):
            if text_width(cell.text) > widths[key]:
                cut[key] = cell.text
    return cut


def visible_width(app) -> int:  # type: ignore[no-untyped-def]
    table = app.monitor.jobs_pane.table
    return sum(column.get_render_width(table) for key, column in table.columns.items() if key.value != "engine")


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_two_scopes_at_80_and_100_columns_keep_verdicts_lag_and_status_whole(size) -> None:  # type: ignore[no-untyped-def]
    app = _snap_app()
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        table = app.monitor.jobs_pane.table
        assert visible_width(app) <= table.scrollable_content_region.width  # all but Engine in view
        assert not set(cut_columns(app)) & set(MUST_STAY_WHOLE)
        names = [cells[1].text for cells in map(table.cells, table.keys_in_order) if cells]
        assert any("…" in name for name in names)  # the names gave way
        assert all(not name.endswith("…") for name in names)  # cut in the middle: the end stays


async def test_at_80_columns_statuses_are_short_and_at_160_whole() -> None:
    from drstui.ui.app import DrsTuiApp

    app = DrsTuiApp(ScriptedSource(), profile_label="prod", clock=fixed_clock, auto_refresh=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        pane = app.monitor.jobs_pane
        statuses = {cells[5].text for cells in map(pane.table.cells, pane.table.keys_in_order) if cells}
        assert pane.short_status and "INCR run" in statuses
        assert not set(cut_columns(app)) & set(MUST_STAY_WHOLE)
        await pilot.resize_terminal(160, 40)
        await settle(pilot)
        statuses = {cells[5].text for cells in map(pane.table.cells, pane.table.keys_in_order) if cells}
        assert not pane.short_status and "INCRE_TRANSFER_STARTED" in statuses
        assert cut_columns(app) == {}  # everything whole, the engine too


async def test_a_dozen_jobs_fit_whole_at_200x50_and_the_detail_keeps_most_rows(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    from .sim_app import make_rig

    rig = make_rig(Path(tmp_path) / "downloads")
    app = rig.app()
    try:
        async with app.run_test(size=(200, 50)) as pilot:
            await settle(pilot)
            screen = app.monitor
            table = screen.jobs_pane.table
            assert table.row_count == 12
            assert table.region.height >= table.row_count + 1  # every job and the header in view
            assert screen.detail_pane.region.height > screen.jobs_pane.region.height
    finally:
        await rig.session.aclose()
