"""Snapshot tests of the events view and the detail pane's trend line (fixed size, data, clock).

Update with `pytest tests/ui/test_snapshots_events.py --snapshot-update`; look at the SVGs first.
"""

from __future__ import annotations

from datetime import timedelta

from textual.pilot import Pilot

from drstui.monitor import changes
from drstui.monitor.changes import Transition
from drstui.ui.app import DrsTuiApp

from .fakes import BILLING_ID, NOW, HistorySource, fixed_clock, snapshot
from .test_alerts_events import crm_finished, erp_object_compare_restarted
from .settling import settle

WIDE = (120, 36)
SMALL = (80, 24)

EARLIER = [
    Transition(NOW - timedelta(hours=2), BILLING_ID, "billing-core", None, changes.JOB_STATUS,
               "FULL_TRANSFER_STARTED", "INCRE_TRANSFER_STARTED", {}, changes.INFO,
               "billing-core: job status FULL_TRANSFER_STARTED → INCRE_TRANSFER_STARTED"),
    Transition(NOW - timedelta(minutes=41), BILLING_ID, "billing-core", "bfcdc4d9-f0ae-4108-be42-6974d60cd1d2",
               changes.OBJECT_COUNTS, None, None,
               {"TABLE": {"source": 182, "target": 179, "old_source": 182, "old_target": 150}}, changes.INFO,
               "billing-core: object counts (source/target): TABLE 182/150 → 182/179"),
]


def events_app() -> DrsTuiApp:
    source = HistorySource([snapshot()], earlier=list(EARLIER))
    return DrsTuiApp(source, profile_label="prod", clock=fixed_clock, auto_refresh=False)


async def _events_after_two_refreshes(pilot: Pilot) -> None:
    app: DrsTuiApp = pilot.app  # type: ignore[assignment]
    await settle(pilot)
    source = app.source
    assert isinstance(source, HistorySource)
    source.push(crm_finished(after=60))
    await app.refresh_now()
    source.push(erp_object_compare_restarted(crm_finished(after=60), after=120))
    await app.refresh_now()
    app.clear_notifications()  # toasts time out; the screenshot must not depend on them
    await pilot.press("v")
    await settle(pilot)


def test_events_view_small(snap_compare) -> None:
    assert snap_compare(events_app(), terminal_size=SMALL, run_before=_events_after_two_refreshes)


def test_events_view_wide(snap_compare) -> None:
    assert snap_compare(events_app(), terminal_size=WIDE, run_before=_events_after_two_refreshes)


async def _billing_detail(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("down")
    await settle(pilot)  # the detail is shown before "2" moves the focus into it
    await pilot.press("2")
    await settle(pilot)


def test_detail_with_count_gap_trend_small(snap_compare) -> None:
    gaps = [31, 31, 30, 28, 28, 25, 21, 18, 18, 14, 11, 9, 9, 7, 6, 5]
    source = HistorySource([snapshot()], trends={BILLING_ID: gaps})
    app = DrsTuiApp(source, profile_label="prod", clock=fixed_clock, auto_refresh=False)
    assert snap_compare(app, terminal_size=SMALL, run_before=_billing_detail)


async def test_under_120_columns_job_statuses_in_events_are_short_so_the_new_one_shows() -> None:
    app = events_app()
    async with app.run_test(size=SMALL) as pilot:
        await _events_after_two_refreshes(pilot)
        table = app.screen.table  # type: ignore[attr-defined]

        def changes() -> list[str]:
            return [table.cells(key)[5].text for key in table.keys_in_order]

        assert "FULL FAIL → FULL run" in changes()
        await pilot.resize_terminal(140, 30)
        await settle(pilot)
        assert "FULL_TRANSFER_FAILED → FULL_TRANSFER_STARTED" in changes()
