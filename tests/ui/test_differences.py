"""Enter on an inconsistent table of a value comparison, end to end against the simulator."""

from __future__ import annotations

from textual.widgets import Static

from drstui.sim.world import CONTENTS_COMPARE_A, JOB_A, LINES_COMPARE_A
from drstui.ui.detail_pane import DataCompareTable
from drstui.ui.differences_screen import DifferencesScreen, DifferencesTable
from drstui.ui.monitor_screen import MonitorScreen

from .sim_app import DIALOG, make_rig, select_job, settle


def notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


async def enter_on_table(pilot, compare_id: str, table_key: str) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await select_job(pilot, JOB_A)
    await pilot.press("enter")  # the job's detail
    await settle(pilot)
    table = pilot.app.monitor.detail_pane.query_one(DataCompareTable)
    table.focus()
    table.move_to(f"{compare_id}/{table_key}")
    await pilot.pause()
    await pilot.press("enter")
    await settle(pilot)


def status(screen: DifferencesScreen) -> str:
    return str(screen.query_one("#diff-status", Static).render())


async def test_differences_of_an_inconsistent_table_with_paging(tmp_path, monkeypatch) -> None:
    monkeypatch.setattr(DifferencesScreen, "PAGE_SIZE", 3)
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        await enter_on_table(pilot, CONTENTS_COMPARE_A, "orders.invoices")
        screen = app.screen
        assert isinstance(screen, DifferencesScreen)
        asked = rig.requests("drs.content_difference")
        assert len(asked) == 1
        page = screen.page
        assert page is not None and page.total == 4
        assert (page.only_in_source or 0) + (page.only_in_target or 0) + (page.different or 0) == 4
        assert "4 differing rows" in status(screen) and "page 1 of 2" in status(screen)
        assert screen.query_one(DifferencesTable).row_count == 3
        sql = str(screen.query_one("#diff-sql", Static).render())
        assert "SELECT * FROM `orders`.`invoices`" in sql

        await pilot.press("right_square_bracket")
        await settle(pilot)
        assert screen.page.offset == 3 and screen.query_one(DifferencesTable).row_count == 1
        assert "page 2 of 2" in status(screen)
        await pilot.press("right_square_bracket")  # no page 3: nothing asked
        await settle(pilot)
        assert len(rig.requests("drs.content_difference")) == 2
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert screen.page.offset == 0

        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MonitorScreen)


async def test_w_writes_the_sql_into_the_download_directory_never_over_a_file(tmp_path) -> None:
    downloads = tmp_path / "downloads"
    rig = make_rig(downloads)
    app = rig.app()
    copied: list[str] = []
    app.copy_to_clipboard = copied.append  # type: ignore[method-assign]
    async with app.run_test(size=DIALOG) as pilot:
        await enter_on_table(pilot, CONTENTS_COMPARE_A, "orders.order_items")
        screen = app.screen
        assert isinstance(screen, DifferencesScreen)
        await pilot.press("w")
        await settle(pilot)
        first = screen.saved_path
        assert first is not None and first.parent == downloads
        text = first.read_text(encoding="utf-8")
        assert "-- 2 differing rows: 2 only in source" in text
        assert text.count("SELECT * FROM `orders`.`order_items` WHERE id = 100") == 4  # 2 rows x 2 sides
        assert copied == [text]
        await pilot.press("w")
        await settle(pilot)
        assert screen.saved_path != first and first.read_text(encoding="utf-8") == text
        assert {p.name for p in downloads.iterdir()} == {first.name, screen.saved_path.name}
        assert any("written to" in n for n in notes(app))


async def test_enter_elsewhere_explains_instead_of_opening(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        await enter_on_table(pilot, LINES_COMPARE_A, "orders.order_items")  # a row-count comparison
        assert isinstance(app.screen, MonitorScreen)
        assert any("value (contents) comparisons only" in n for n in notes(app))
        await enter_on_table(pilot, CONTENTS_COMPARE_A, "orders.orders")  # consistent
        assert isinstance(app.screen, MonitorScreen)
        assert any("not inconsistent" in n for n in notes(app))
        assert rig.requests("drs.content_difference") == []


async def test_a_failed_read_is_said_and_can_be_retried(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        await settle(pilot)
        await select_job(pilot, JOB_A)
        await pilot.press("enter")
        await settle(pilot)
        # The Snapshot still lists the comparison; the API no longer knows it.
        job = rig.core.world.project.jobs[JOB_A]
        kept = job.comparisons
        job.comparisons = [c for c in kept if c.id != CONTENTS_COMPARE_A]
        table = app.monitor.detail_pane.query_one(DataCompareTable)
        table.focus()
        table.move_to(f"{CONTENTS_COMPARE_A}/orders.order_items")
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, DifferencesScreen)
        assert "not loaded" in status(screen) and "r: try again" in status(screen)
        assert not screen.query_one(DifferencesTable).display
        job.comparisons = kept
        await pilot.press("r")
        await settle(pilot)
        assert "2 differing rows" in status(screen)
        assert screen.query_one(DifferencesTable).display
