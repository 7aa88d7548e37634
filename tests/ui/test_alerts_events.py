"""Alerts, the bell, `j`, the events view and the trend line, on scripted Snapshots (no sleeps)."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from textual.widgets import Input, Static

from drstui.monitor import changes
from drstui.monitor.changes import Transition
from drstui.monitor.snapshot import DataComparison, Snapshot, TypeResult, Verdict
from drstui.ui.app import DrsTuiApp
from drstui.ui.events_screen import EventHistory, EventsScreen, change_text, counts_text
from drstui.ui.monitor_screen import MonitorScreen
from drstui.ui.trend_view import sparkline, trend_line

from .fakes import (
    BILLING_ID,
    CRM_ID,
    ERP_ID,
    NOW,
    ORDERS_ID,
    HistorySource,
    ScriptedSource,
    crm_job,
    fixed_clock,
    replace_job,
    snapshot,
)

WIDE = (120, 36)
SMALL = (80, 24)


def make_app(source: ScriptedSource, **options: object) -> DrsTuiApp:
    options.setdefault("clock", fixed_clock)
    return DrsTuiApp(source, profile_label="prod", auto_refresh=False, **options)  # type: ignore[arg-type]


async def settle(app: DrsTuiApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()


def crm_finished(base: Snapshot | None = None, *, after: float = 60) -> Snapshot:
    """crm-sync's contents comparison: RUNNING → SUCCESSFUL, one table differs."""
    base = base or snapshot()
    running = crm_job().data_comparisons[0]
    tables = tuple(
        dataclasses.replace(t, target_rows=3_310_550, diff_rows=4, result=TypeResult.INCONSISTENT,
                            status_text="inconsistent") if t.source_table == "activity" else t
        for t in running.tables
    )
    done: DataComparison = dataclasses.replace(
        running, status="SUCCESSFUL", verdict=Verdict.INCONSISTENT, progress=100.0, tables=tables,
        end_time=NOW + timedelta(seconds=after),
    )
    changed = replace_job(base, CRM_ID, data_comparisons=(done,), verdict=Verdict.INCONSISTENT)
    return dataclasses.replace(changed, taken_at=NOW + timedelta(seconds=after))


def erp_object_compare_restarted(base: Snapshot, *, after: float) -> Snapshot:
    """legacy-erp's job status moves on (a later, unrelated transition)."""
    changed = replace_job(base, ERP_ID, status="FULL_TRANSFER_STARTED")
    return dataclasses.replace(changed, taken_at=NOW + timedelta(seconds=after))


class Recorder:
    def __init__(self, app: DrsTuiApp) -> None:
        self.notes: list[tuple[str, str | None]] = []
        self.rings = 0
        app.notify = self._notify  # type: ignore[method-assign]
        app.bell = self._bell  # type: ignore[method-assign]

    def _notify(self, message: str, **options: object) -> None:
        self.notes.append((message, options.get("severity")))  # type: ignore[arg-type]

    def _bell(self) -> None:
        self.rings += 1


SOURCES = [ScriptedSource, HistorySource]


# -- alerts and the bell -------------------------------------------------------------------
@pytest.mark.parametrize("source_class", SOURCES, ids=["transitions-found-by-the-app", "source-transitions"])
@pytest.mark.parametrize("bell", [False, True], ids=["quiet", "bell"])
async def test_comparison_finishing_inconsistent_notifies_a_warning_and_rings_only_with_bell(
    source_class: type[ScriptedSource], bell: bool
) -> None:
    source = source_class([snapshot()])
    app = make_app(source, bell=bell)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        seen = Recorder(app)
        await app.refresh_now()
        assert seen.notes == [] and seen.rings == 0
        source.push(crm_finished())
        await app.refresh_now()
        [(message, severity)] = seen.notes
        assert severity == "warning"
        assert message == "crm-sync: contents comparison a0b1c2d3… is INCONSISTENT (crm.activity differ)"
        assert seen.rings == (1 if bell else 0)
        assert app.last_alert is not None and app.last_alert.job_id == CRM_ID
        await app.refresh_now()  # the same state again: nothing new
        assert len(seen.notes) == 1 and seen.rings == (1 if bell else 0)


async def test_severity_by_kind_and_one_bell_per_refresh() -> None:
    source = HistorySource([snapshot()])
    app = make_app(source, bell=True)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        seen = Recorder(app)
        # In one refresh: a job fails, a comparison fails, another finishes consistent.
        base = replace_job(snapshot(), ORDERS_ID, status="INCRE_TRANSFER_FAILED")
        crm = crm_job().data_comparisons[0]
        failed = dataclasses.replace(crm, status="FAILED", verdict=Verdict.FAILED)
        base = replace_job(base, CRM_ID, data_comparisons=(failed,))
        billing = base.job(BILLING_ID)
        assert billing is not None and billing.object_comparison is not None
        fixed = dataclasses.replace(billing.object_comparison, verdict=Verdict.CONSISTENT)
        source.push(replace_job(base, BILLING_ID, object_comparison=fixed))
        await app.refresh_now()
        by_text = {message: severity for message, severity in seen.notes}
        assert by_text == {
            "orders-prod: job is now INCRE_TRANSFER_FAILED": "error",
            "crm-sync: contents comparison a0b1c2d3… is FAILED": "error",  # status + verdict: one alert
            "billing-core: object comparison is CONSISTENT": "information",
        }
        assert seen.rings == 1


async def test_the_first_snapshot_is_the_baseline() -> None:
    source = HistorySource([crm_finished()], earlier=[])
    app = make_app(source, bell=True)
    seen = Recorder(app)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        assert seen.notes == [] and seen.rings == 0 and app.last_alert is None


async def test_b_toggles_the_bell_and_the_palette_says_which_way() -> None:
    source = ScriptedSource([snapshot()])
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"Show events", "Jump to last alert", "Turn bell on"} <= titles
        seen = Recorder(app)
        await pilot.press("b")
        assert app.bell_enabled and seen.notes[-1][0].startswith("Bell on")
        assert "Turn bell off" in {c.title for c in app.get_system_commands(app.screen)}
        source.push(crm_finished())
        await app.refresh_now()
        assert seen.rings == 1
        await pilot.press("b")
        assert not app.bell_enabled


async def test_a_failed_poll_does_not_repeat_the_last_alert() -> None:
    source = HistorySource([snapshot()])
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        seen = Recorder(app)
        source.push(crm_finished())
        await app.refresh_now()
        assert len(seen.notes) == 1

        async def broken() -> Snapshot:
            raise RuntimeError("boom")

        source.refresh = broken  # type: ignore[method-assign]
        await app.refresh_now()
        assert len(seen.notes) == 1  # the connection change is an event, not an alert
        assert app.event_history.newest_first()[0].transition.kind == changes.CONNECTION


# -- j: jump to what alerted ---------------------------------------------------------------
async def test_j_selects_the_job_that_alerted_and_shows_its_detail() -> None:
    source = ScriptedSource([snapshot()])
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        seen = Recorder(app)
        await pilot.press("j")
        assert seen.notes[-1][0] == "Nothing has alerted yet this session"
        source.push(crm_finished())
        await app.refresh_now()
        screen = app.monitor
        await pilot.press("slash", *"orders", "enter")  # the alerting job is filtered out
        assert screen.jobs_pane.visible_job_ids == [ORDERS_ID]
        await pilot.press("j")
        assert screen.jobs_pane.filter_text == ""
        assert screen.jobs_pane.highlighted_job_id == CRM_ID
        assert screen.detail_pane.job is not None and screen.detail_pane.job.id == CRM_ID
        assert screen.active_pane == "detail" and screen.detail_pane.display


async def test_j_from_the_events_view_goes_back_to_the_job() -> None:
    source = HistorySource([snapshot()])
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        Recorder(app)
        source.push(crm_finished())
        await app.refresh_now()
        await pilot.press("v")
        assert isinstance(app.screen, EventsScreen)
        await pilot.press("j")
        await pilot.pause()
        assert isinstance(app.screen, MonitorScreen)
        assert app.monitor.jobs_pane.highlighted_job_id == CRM_ID
        assert app.monitor.detail_pane.job is not None and app.monitor.detail_pane.job.id == CRM_ID


# -- the events view -----------------------------------------------------------------------
def _rows(screen: EventsScreen) -> list[tuple[str, ...]]:
    table = screen.table
    return [tuple(cell.text for cell in table.cells(key) or ()) for key in table.keys_in_order]


async def test_events_view_lists_transitions_newest_first_and_updates_live() -> None:
    earlier = Transition(NOW - timedelta(hours=2), BILLING_ID, "billing-core", None, changes.JOB_STATUS,
                         "FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED", {}, "info",
                         "billing-core: job status FULL_TRANSFER_STARTED → INCRE_TRANSFER_STARTED")
    source = HistorySource([snapshot()], earlier=[earlier])
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        Recorder(app)
        source.push(crm_finished(after=60))
        await app.refresh_now()
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, EventsScreen)
        rows = _rows(screen)
        # time, severity, job, event, comparison, old → new, counts, message
        assert [(r[0], r[1], r[2], r[3], r[5]) for r in rows] == [
            ("07:31:00", "warn", "crm-sync", "verdict", "running → inconsistent"),
            ("07:31:00", "info", "crm-sync", "status", "RUNNING → SUCCESSFUL"),
            ("05:30:00", "info", "billing-core", "job status", "FULL_TRANSFER_STARTED → INCRE_TRANSFER_STARTED"),
        ]
        assert rows[0][4] == "a0b1c2d3…" and rows[0][6] == "1 consistent, 1 inconsistent"
        title = screen.query_one("#events-title", Static)
        assert "3 · 2 this session" in str(title.render())
        assert "/var/log/drstui/cutover-20240409.jsonl" in str(title.render())
        # Live: a transition arriving while the view is open goes on top, the cursor stays put.
        cursor_before = screen.table.cursor_key
        source.push(erp_object_compare_restarted(crm_finished(after=60), after=120))
        await app.refresh_now()
        await pilot.pause()
        rows = _rows(screen)
        assert len(rows) == 4
        assert rows[0][:4] == ("07:32:00", "info", "legacy-erp", "job status")
        assert screen.table.cursor_key == cursor_before
        await pilot.press("escape")
        assert isinstance(app.screen, MonitorScreen)


async def test_events_filter_narrows_and_escape_clears_then_leaves() -> None:
    source = HistorySource([snapshot()])
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        Recorder(app)
        source.push(crm_finished(after=60))
        await app.refresh_now()
        source.push(erp_object_compare_restarted(crm_finished(after=60), after=120))
        await app.refresh_now()
        await pilot.press("4")
        screen = app.screen
        assert isinstance(screen, EventsScreen) and len(_rows(screen)) == 3
        await pilot.press("slash")
        assert isinstance(app.focused, Input)
        await pilot.press(*"INCONSIST")
        assert [r[3] for r in _rows(screen)] == ["verdict"]
        await pilot.press("ctrl+a", "ctrl+k", *"erp", "enter")
        assert [r[2] for r in _rows(screen)] == ["legacy-erp"]
        assert app.focused is screen.table and screen.filter_text == "erp"
        await pilot.press("escape")
        assert screen.filter_text == "" and len(_rows(screen)) == 3
        assert isinstance(app.screen, EventsScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, MonitorScreen)


async def test_enter_on_an_event_jumps_to_its_job() -> None:
    source = HistorySource([snapshot()])
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        Recorder(app)
        source.push(crm_finished(after=60))
        await app.refresh_now()
        await pilot.press("v", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MonitorScreen)
        assert app.monitor.detail_pane.job is not None and app.monitor.detail_pane.job.id == CRM_ID
        assert app.monitor.active_pane == "detail"


async def test_events_view_without_a_cutover_log_lists_the_session() -> None:
    source = ScriptedSource([snapshot()])
    app = make_app(source)
    async with app.run_test(size=WIDE) as pilot:
        await settle(app, pilot)
        Recorder(app)
        source.push(crm_finished())
        await app.refresh_now()
        await pilot.press("v")
        screen = app.screen
        assert isinstance(screen, EventsScreen) and len(_rows(screen)) == 2
        assert "none (this source keeps no cutover log)" in str(screen.query_one("#events-title", Static).render())


# -- the trend line ------------------------------------------------------------------------
async def test_detail_pane_shows_the_count_gap_trend_when_the_source_has_one() -> None:
    source = HistorySource([snapshot()], trends={BILLING_ID: [12, 11, 9, 9, 7, 5]})
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "2")
        summary = str(app.monitor.detail_pane.query_one("#detail-summary", Static).render())
        assert "Count gap █▇▆▆▅▄ 5 (was 12, 6 refreshes)" in summary
        await pilot.press("1", "up")  # legacy-erp: no points recorded
        summary = str(app.monitor.detail_pane.query_one("#detail-summary", Static).render())
        assert "Count gap" not in summary


async def test_no_trend_line_for_a_source_without_history() -> None:
    app = make_app(ScriptedSource([snapshot()]))
    async with app.run_test(size=SMALL) as pilot:
        await settle(app, pilot)
        await pilot.press("down", "2")
        assert "Count gap" not in str(app.monitor.detail_pane.query_one("#detail-summary", Static).render())


# -- pure parts ----------------------------------------------------------------------------
def test_sparkline_scales_from_zero() -> None:
    assert sparkline([]) == ""
    assert sparkline([0, 0]) == "▁▁"
    assert sparkline([8, 4, 1, 0]) == "█▅▂▁"  # a gap of 1 is not drawn as closed
    assert len(sparkline(list(range(100)), width=32)) == 32
    assert trend_line([]) is None
    line = trend_line([3, 0])
    assert line is not None and line.plain == "Count gap █▁ 0 (was 3, 2 refreshes)"
    assert trend_line([4]).plain == "Count gap █ 4 (1 refresh)"  # type: ignore[union-attr]


def test_event_texts_and_bounded_history() -> None:
    counts = Transition(NOW, BILLING_ID, "billing-core", "c1", changes.OBJECT_COUNTS, None, None,
                        {"TABLE": {"source": 182, "target": 181, "old_source": 182, "old_target": 179}})
    assert change_text(counts) == "TABLE 182/179 → 182/181" and counts_text(counts) == ""
    export = Transition(NOW, None, None, None, changes.EXPORT_FAILED, "EXPORTING", "PARTIAL_FAILED",
                        {"batches": 2, "failed_batches": 1, "tasks": 237}, "error", "SMS export failed")
    assert counts_text(export) == "2 batches, 1 failed, 237 tasks"
    history = EventHistory(maxlen=3)
    history.add([counts] * 2, earlier=True)
    history.add([export] * 2)
    assert len(history) == 3 and history.session_count == 2
    assert [e.key for e in history.newest_first()] == ["e4", "e3", "e2"]


def test_a_refresh_with_many_alerts_shows_the_most_severe_and_counts_the_rest() -> None:
    from drstui.ui.alerts import Alert, toasts_for

    def alert(name: str, severity: str) -> Alert:
        return Alert(name, name, "job", name, None, "X", severity, f"{name}: {severity}")  # type: ignore[arg-type]

    few = [alert("a", "information"), alert("b", "error")]
    assert toasts_for(few) == (few, 0)
    many = [alert("a", "information"), alert("b", "error"), alert("c", "warning"), alert("d", "error"),
            alert("e", "information")]
    shown, more = toasts_for(many)
    assert [a.job_id for a in shown] == ["d", "b"] and more == 3  # the errors; the first-found last (j goes there)


@pytest.mark.parametrize("size, most", [(WIDE, 3), (SMALL, 2)])
async def test_many_alerts_in_one_refresh_raise_three_toasts_at_most(size, most) -> None:  # type: ignore[no-untyped-def]
    source = HistorySource([snapshot()])
    app = make_app(source)
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        seen = Recorder(app)
        failed = snapshot()
        for job_id in (ORDERS_ID, CRM_ID, ERP_ID, BILLING_ID):
            failed = replace_job(failed, job_id, status="INCRE_TRANSFER_FAILED")
        source.push(failed)
        await app.refresh_now()
        assert len(seen.notes) == most  # under 100 columns two: a toast is half the width there
        assert seen.notes[-1] == (f"+{4 - (most - 1)} more alerts: v shows every event", "warning")
        assert all(severity == "error" for _, severity in seen.notes[:-1])
        assert len(app.event_history.newest_first()) >= 4  # every one of them is in the events
