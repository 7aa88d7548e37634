"""Functional tests: drive the app with keys and check what it does (no sleeps, no timers racing)."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

import pytest
from textual.widgets import DataTable, Input

from drstui.monitor.snapshot import ObjectTypeRow, TypeResult, Verdict
from drstui.ui.app import MAX_REFRESH_SECONDS, MIN_REFRESH_SECONDS, DrsTuiApp
from drstui.ui.detail_pane import DetailPane, ObjectTable
from drstui.ui.exports_pane import ExportsPane
from drstui.ui.help_screen import HelpScreen
from drstui.ui.jobs_pane import JobsPane, SortOrder
from drstui.ui.keyed_table import KeyedTable
from drstui.ui.monitor_screen import MonitorScreen
from drstui.ui.object_detail_screen import ObjectDetailScreen

from .fakes import (
    BILLING_ID,
    BILLING_OBJECT_COMPARE,
    CRM_ID,
    ERP_ID,
    ORDERS_ID,
    Clock,
    ScriptedSource,
    billing_job,
    fixed_clock,
    orders_job,
    replace_job,
    snapshot,
)

WIDE = (120, 36)
SMALL = (80, 24)


def make_app(source: ScriptedSource | None = None, **options: object) -> DrsTuiApp:
    options.setdefault("clock", fixed_clock)
    return DrsTuiApp(
        source or ScriptedSource(), profile_label="prod", auto_refresh=False, **options  # type: ignore[arg-type]
    )


async def settle(app: DrsTuiApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()


def monitor(app: DrsTuiApp) -> MonitorScreen:
    return app.monitor


def header_line(app: DrsTuiApp) -> str:
    from drstui.ui.header import StatusLine, header_text

    line = app.screen.query_one(StatusLine)
    return header_text(line.state, 200).plain


# -- first paint and navigation ------------------------------------------------------------
async def test_first_poll_paints_jobs_worst_first() -> None:
    source = ScriptedSource()
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        jobs = monitor(app).jobs_pane
        assert source.calls == 1
        assert jobs.visible_job_ids[:2] == [ERP_ID, BILLING_ID]  # failed, then inconsistent
        assert jobs.visible_job_ids[-1] == ORDERS_ID  # consistent last
        assert monitor(app).detail_pane.job is not None
        assert monitor(app).detail_pane.job.id == ERP_ID


async def test_moving_the_cursor_shows_that_jobs_detail() -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("down")
        detail = monitor(app).detail_pane
        assert detail.job is not None and detail.job.id == BILLING_ID
        assert app.selected_job is not None and app.selected_job.id == BILLING_ID
        objects = detail.query_one(ObjectTable)
        assert objects.keys_in_order == ["DB", "TABLE", "VIEW", "INDEX", "ROUTINE", "TRIGGER", "EVENT"]
        data_keys = detail.query_one("#data-table", KeyedTable).keys_in_order
        assert data_keys[0].endswith("billing.invoice_line")  # inconsistent first, Snapshot order kept


async def test_number_keys_and_tab_move_between_panes() -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        screen = monitor(app)
        await pilot.press("down", "2")
        assert screen.pane_of(app.focused) == "detail"
        await pilot.press("3")
        assert screen.pane_of(app.focused) == "exports"
        await pilot.press("1")
        assert app.focused is screen.jobs_pane.table
        # tab: jobs → object types → health → data comparisons → exports → jobs
        visited = []
        for _ in range(5):
            await pilot.press("tab")
            visited.append(app.focused.id if app.focused else None)
        assert visited == ["object-table", "health-table", "data-table", "exports-table", "jobs-table"]
        await pilot.press("shift+tab")
        assert app.focused is not None and app.focused.id == "exports-table"


async def test_enter_on_a_job_opens_its_detail_one_pane_at_a_time() -> None:
    app = make_app()
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        screen = monitor(app)
        assert screen.one_pane_at_a_time
        assert screen.jobs_pane.display and not screen.detail_pane.display
        await pilot.press("down", "enter")
        assert screen.detail_pane.display and not screen.jobs_pane.display
        assert screen.detail_pane.job is not None and screen.detail_pane.job.id == BILLING_ID
        await pilot.press("3")
        assert screen.exports_pane.display and not screen.detail_pane.display
        await pilot.press("tab")  # wraps around to the jobs pane
        assert screen.jobs_pane.display and app.focused is screen.jobs_pane.table


@pytest.mark.parametrize("size", [SMALL, WIDE])
async def test_enter_moves_the_focus_into_the_detail_even_before_it_was_painted(size) -> None:  # type: ignore[no-untyped-def]
    app = make_app()
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        screen = monitor(app)
        screen.jobs_pane.table.move_to(CRM_ID)  # no pause: the detail has not shown crm-sync yet
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.detail_pane.job is not None and screen.detail_pane.job.id == CRM_ID
        assert screen.pane_of(app.focused) == "detail"
        assert screen.detail_pane.display and screen.active_pane == "detail"


async def test_unbound_keys_do_nothing_harmful() -> None:
    source = ScriptedSource()
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("x", "z", "9", "0", "escape", "left", "right", "end", "home", "pageup")
        await settle(app, pilot)
        assert app.is_running and isinstance(app.screen, MonitorScreen)
        assert source.calls == 1


# -- filter and sort -----------------------------------------------------------------------
async def test_filter_narrows_and_escape_restores() -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        jobs = monitor(app).jobs_pane
        all_ids = jobs.visible_job_ids
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"incre")
        assert set(jobs.visible_job_ids) == {BILLING_ID, CRM_ID, ORDERS_ID}
        assert "3 of 6" in str(jobs.border_title)
        await pilot.press("backspace", "backspace", "backspace", "backspace", "backspace", *"erp")
        assert jobs.visible_job_ids == [ERP_ID]
        await pilot.press("escape")
        assert jobs.visible_job_ids == all_ids
        assert jobs.filter_text == ""
        assert not jobs.has_class("-filtering")
        assert app.focused is jobs.table


async def test_filter_matches_id_and_engine_and_enter_keeps_it() -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        jobs = monitor(app).jobs_pane
        await pilot.press("slash", *"jb20y")  # tail of orders-prod's id
        assert jobs.visible_job_ids == [ORDERS_ID]
        await pilot.press("ctrl+a", "ctrl+k", *"oracle", "enter")
        assert jobs.visible_job_ids == [ERP_ID]
        assert app.focused is jobs.table  # Enter goes back to the table, filter kept
        assert jobs.filter_text == "oracle"


async def test_sort_cycles_severity_name_status() -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        jobs = monitor(app).jobs_pane
        assert jobs.job_order is SortOrder.SEVERITY
        await pilot.press("o")
        assert jobs.job_order is SortOrder.NAME
        names = [jobs.table.cells(key)[0].text for key in jobs.visible_job_ids]  # type: ignore[index]
        assert names == sorted(names)
        await pilot.press("o")
        assert jobs.job_order is SortOrder.STATUS
        await pilot.press("o")
        assert jobs.job_order is SortOrder.SEVERITY
        assert jobs.visible_job_ids[0] == ERP_ID


async def test_sorting_keeps_the_cursor_on_the_same_job() -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        jobs = monitor(app).jobs_pane
        await pilot.press("down")
        assert jobs.highlighted_job_id == BILLING_ID
        await pilot.press("o")
        assert jobs.highlighted_job_id == BILLING_ID


# -- refresh control -----------------------------------------------------------------------
async def test_pause_and_resume() -> None:
    source = ScriptedSource()
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        assert "PAUSED" not in header_line(app)
        await pilot.press("p")
        assert app.paused and "PAUSED" in header_line(app)
        await pilot.press("p")
        await settle(app, pilot)
        assert not app.paused and "PAUSED" not in header_line(app)
        assert source.calls == 2  # resuming catches up at once


async def test_paused_header_keeps_counting_the_data_age() -> None:
    clock = Clock()
    app = make_app(clock=clock)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("p")
        assert "3s old" in header_line(app)
        clock.advance(60)
        app._tick()
        assert "1m03s old" in header_line(app) and "PAUSED" in header_line(app)


async def test_refresh_rate_keys_stay_within_bounds() -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        assert app.refresh_seconds == 5
        await pilot.press("plus")
        assert app.refresh_seconds == 10 and "every 10s" in header_line(app)
        await pilot.press("minus", "minus")
        assert app.refresh_seconds == 3
        await pilot.press(*["minus"] * 6)
        assert app.refresh_seconds == MIN_REFRESH_SECONDS
        await pilot.press(*["plus"] * 15)
        assert app.refresh_seconds == MAX_REFRESH_SECONDS
        assert "every 5m00s" in header_line(app)


async def test_constructor_clamps_the_refresh_interval() -> None:
    assert make_app(refresh_seconds=0.1).refresh_seconds == MIN_REFRESH_SECONDS
    assert make_app(refresh_seconds=9999).refresh_seconds == MAX_REFRESH_SECONDS


async def test_r_triggers_exactly_one_refresh() -> None:
    source = ScriptedSource()
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        assert source.calls == 1
        await pilot.press("r")
        await settle(app, pilot)
        assert source.calls == 2
        assert app.poll_count == 2


async def test_polls_never_overlap_and_a_slow_source_does_not_freeze_the_ui() -> None:
    source = ScriptedSource()
    clock = Clock()
    app = make_app(source, clock=clock)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        source.gate = asyncio.Event()
        await pilot.press("r")
        await pilot.press("r")
        await pilot.pause()
        assert source.calls == 2 and source.in_flight == 1
        # A quick poll shows nothing (no bytes to the terminal); a slow one shows ⟳ at the tick.
        assert app.polling and "⟳" not in header_line(app)
        clock.now += timedelta(seconds=1)
        app._tick()
        await pilot.pause()
        assert "⟳" in header_line(app)
        # The screen still answers keys while the poll waits.
        await pilot.press("down", "o")
        assert monitor(app).jobs_pane.job_order is SortOrder.NAME
        source.gate.set()
        await settle(app, pilot)
        assert source.calls == 2
        assert source.max_in_flight == 1
        assert not app.polling


async def test_auto_refresh_schedules_the_next_poll_only_after_the_last_one() -> None:
    source = ScriptedSource()
    source.gate = asyncio.Event()
    app = DrsTuiApp(source, profile_label="prod", clock=fixed_clock, auto_refresh=True, refresh_seconds=300)
    async with app.run_test(size=WIDE) as pilot:
        await pilot.pause()
        assert app.polling and app._next_poll is None  # nothing scheduled while a poll runs
        source.gate.set()
        await settle(app, pilot)
        assert app._next_poll is not None  # the next one, 300 s after this one finished
        await pilot.press("p")
        assert app._next_poll is None


# -- repainting only what changed ----------------------------------------------------------
def _count_table_calls(app: DrsTuiApp, monkeypatch: pytest.MonkeyPatch) -> dict[str, int]:
    calls = {"update_cell": 0, "add_row": 0, "remove_row": 0, "sort": 0, "clear": 0}
    for table in app.monitor.query(DataTable):
        for name in calls:
            original = getattr(table, name)

            def counted(*args, _original=original, _name=name, **kwargs):  # type: ignore[no-untyped-def]
                calls[_name] += 1
                return _original(*args, **kwargs)

            monkeypatch.setattr(table, name, counted)
    return calls


async def test_a_refresh_with_nothing_changed_repaints_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("down")  # a job with every kind of table
        tables = list(app.monitor.query(DataTable))
        counts_before = [table._update_count for table in tables]
        calls = _count_table_calls(app, monkeypatch)
        await app.refresh_now()
        await app.refresh_now()
        await pilot.pause()
        assert calls == {"update_cell": 0, "add_row": 0, "remove_row": 0, "sort": 0, "clear": 0}
        assert [table._update_count for table in tables] == counts_before
        assert app.last_paint_writes == 0


async def test_a_changed_count_is_highlighted_for_one_refresh(monkeypatch: pytest.MonkeyPatch) -> None:
    source = ScriptedSource()
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("down")  # billing-core
        objects = monitor(app).detail_pane.query_one(ObjectTable)
        job = billing_job()
        rows = tuple(
            dataclasses.replace(row, target_count=181) if row.object_type == "TABLE" else row
            for row in job.object_comparison.rows  # type: ignore[union-attr]
        )
        changed = dataclasses.replace(job.object_comparison, rows=rows)  # type: ignore[arg-type]
        source.push(replace_job(snapshot(), BILLING_ID, object_comparison=changed))
        calls = _count_table_calls(app, monkeypatch)
        await app.refresh_now()
        # target count and difference changed, nothing else in any table
        assert objects.highlighted_cells("TABLE") == {2, 3}
        assert calls["update_cell"] == 2 and calls["add_row"] == 0 and calls["remove_row"] == 0
        cell = objects.get_cell("TABLE", "target")
        assert cell.plain.strip() == "181" and "reverse" in str(cell.style)
        # the next refresh (same data) takes the highlight off again
        await app.refresh_now()
        assert objects.highlighted_cells("TABLE") == set()
        assert "reverse" not in str(objects.get_cell("TABLE", "target").style)
        assert calls["update_cell"] == 4
        await app.refresh_now()
        assert calls["update_cell"] == 4


async def test_new_and_vanished_jobs_are_added_and_removed_by_key() -> None:
    source = ScriptedSource()
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        base = snapshot()
        source.push(dataclasses.replace(base, jobs=tuple(j for j in base.jobs if j.id != CRM_ID)))
        await app.refresh_now()
        assert CRM_ID not in monitor(app).jobs_pane.visible_job_ids
        source.push(base)
        await app.refresh_now()
        assert CRM_ID in monitor(app).jobs_pane.visible_job_ids
        assert len(monitor(app).jobs_pane.visible_job_ids) == 6


async def test_export_countdown_ticks_with_the_clock_without_highlight() -> None:
    clock = Clock()
    app = make_app(clock=clock)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        table = app.monitor.query_one(ExportsPane).table
        key = "drs:billing-core:objects_comparison"
        assert table.cells(key)[4].text == "59m00s"  # type: ignore[index]
        clock.advance(61)
        app._tick()
        assert table.cells(key)[4].text == "57m59s"  # type: ignore[index]
        assert table.highlighted_cells(key) == set()
        clock.advance(3600)
        app._tick()
        assert table.cells(key)[4].text == "expired"  # type: ignore[index]


# -- alerts --------------------------------------------------------------------------------
async def test_a_comparison_turning_inconsistent_or_failed_notifies() -> None:
    source = ScriptedSource()
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        notes: list[tuple[str, str]] = []
        app.notify = lambda message, **kw: notes.append((message, kw.get("severity")))  # type: ignore[method-assign]
        await app.refresh_now()
        assert notes == []  # nothing changed, nothing said
        orders = orders_job()
        turned = dataclasses.replace(
            orders.object_comparison,  # type: ignore[arg-type]
            verdict=Verdict.INCONSISTENT,
            rows=(ObjectTypeRow("TABLE", 64, 63, TypeResult.INCONSISTENT),),
        )
        source.push(replace_job(snapshot(), ORDERS_ID, object_comparison=turned, verdict=Verdict.INCONSISTENT))
        await app.refresh_now()
        assert len(notes) == 1
        message, severity = notes[0]
        assert severity == "warning"
        assert "orders-prod" in message and "INCONSISTENT" in message and "TABLE" in message
        failed = dataclasses.replace(turned, verdict=Verdict.FAILED, status="FAILED")
        source.push(replace_job(snapshot(), ORDERS_ID, object_comparison=failed, verdict=Verdict.FAILED))
        await app.refresh_now()
        assert notes[-1][1] == "error" and "FAILED" in notes[-1][0]
        await app.refresh_now()
        assert len(notes) == 2  # no repeat while it stays failed


# -- drill-down ----------------------------------------------------------------------------
async def _open_table_detail(app: DrsTuiApp, pilot) -> ObjectDetailScreen:  # type: ignore[no-untyped-def]
    await settle(app, pilot)
    await pilot.press("down", "enter")  # billing-core → its detail, the cursor on TABLE (the first type that differs)
    await settle(app, pilot)
    await pilot.press("enter")
    await settle(app, pilot)
    assert isinstance(app.screen, ObjectDetailScreen)
    return app.screen


async def test_drill_down_shows_the_objects_that_differ_first() -> None:
    source = ScriptedSource()
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        screen = await _open_table_detail(app, pilot)
        assert source.detail_calls == [(BILLING_ID, "TABLE", BILLING_OBJECT_COMPARE)]
        table = screen.query_one(KeyedTable)
        assert table.row_count == 5
        results = [table.cells(key)[4].text for key in table.keys_in_order]  # type: ignore[index]
        assert results[:3] == ["✘ inconsistent"] * 3
        await pilot.press("escape")
        assert isinstance(app.screen, MonitorScreen)


async def test_drill_down_error_is_shown_and_can_be_retried() -> None:
    source = ScriptedSource(detail_error="DRS.10000010: comparison not found")
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        screen = await _open_table_detail(app, pilot)
        assert screen.error is not None and "comparison not found" in screen.error
        assert not screen.query_one(KeyedTable).display
        source.detail_error = None
        await pilot.press("r")
        await settle(app, pilot)
        assert screen.error is None and screen.query_one(KeyedTable).row_count == 5
        assert len(source.detail_calls) == 2


async def test_snapshots_arriving_during_drill_down_are_painted_on_return() -> None:
    source = ScriptedSource()
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await _open_table_detail(app, pilot)
        base = snapshot()
        source.push(dataclasses.replace(base, jobs=tuple(j for j in base.jobs if j.id != CRM_ID)))
        await app.refresh_now()
        assert CRM_ID in app.monitor.jobs_pane.visible_job_ids  # not painted yet
        await pilot.press("escape")
        await pilot.pause()
        assert CRM_ID not in app.monitor.jobs_pane.visible_job_ids


# -- help and palette ----------------------------------------------------------------------
async def test_help_screen_opens_and_closes() -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MonitorScreen)


async def test_every_action_is_in_the_command_palette() -> None:
    app = make_app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        titles = {command.title for command in app.get_system_commands(app.screen)}
        for wanted in ("Refresh now", "Pause refresh", "Refresh less often", "Refresh more often",
                       "Show jobs", "Show comparison detail", "Show exports", "Filter jobs",
                       "Cycle job sort order", "Keys"):
            assert wanted in titles
        await pilot.press("p")
        titles = {command.title for command in app.get_system_commands(app.screen)}
        assert "Resume refresh" in titles


async def test_a_source_that_raises_keeps_the_last_data_and_says_why() -> None:
    source = ScriptedSource()
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)

        async def broken() -> None:
            raise RuntimeError("boom")

        source.refresh = broken  # type: ignore[method-assign]
        await app.refresh_now()
        assert len(monitor(app).jobs_pane.visible_job_ids) == 6
        assert "retrying (RuntimeError: boom)" in header_line(app)


async def test_the_detail_cursor_starts_on_the_first_type_that_differs() -> None:
    app = make_app()
    async with app.run_test(size=(140, 54)) as pilot:
        await settle(app, pilot)
        screen = monitor(app)
        objects = screen.detail_pane.query_one("#object-table", DataTable)
        screen.jobs_pane.table.move_to(BILLING_ID)
        await settle(app, pilot)
        rows = billing_job().object_comparison.rows  # type: ignore[union-attr]
        first = next(i for i, row in enumerate(rows) if row.result is TypeResult.INCONSISTENT)
        assert first > 0 and objects.cursor_row == first
        objects.move_cursor(row=len(rows) - 1)  # the user looked further down
        screen.jobs_pane.table.move_to(ORDERS_ID)
        await settle(app, pilot)
        assert objects.cursor_row == 0  # nothing differs there: the top
        screen.jobs_pane.table.move_to(BILLING_ID)
        await settle(app, pilot)
        assert objects.cursor_row == first


async def test_r_asks_the_monitor_about_every_job_not_only_the_busy_ones() -> None:
    source = ScriptedSource()
    asked: list[int] = []
    source.ask_about_everything_next = lambda: asked.append(1)  # type: ignore[attr-defined]
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        calls = source.calls
        await pilot.press("r")
        await settle(app, pilot)
        assert asked == [1] and source.calls == calls + 1


async def test_when_the_request_budget_sets_the_pace_the_header_says_so() -> None:
    from drstui.ui.header import header_text

    source = ScriptedSource()
    source.budget_interval = lambda: 12.0  # type: ignore[attr-defined]  # the last refresh's requests need 12 s
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        assert app.pollers[0].delay(app.received) == 12.0  # not the 5 s interval
        assert "every 12s (request budget)" in header_text(app.header_state(), 120).plain
        source.budget_interval = lambda: 3.0  # type: ignore[attr-defined]  # within budget again
        assert app.pollers[0].delay(app.received) == 5.0
        text = header_text(app.header_state(), 120).plain
        assert "every 5s" in text and "budget" not in text
