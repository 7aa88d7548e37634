"""Snapshot tests of the real app on scripted data: fixed size, data and clock; no timers racing.

Update with `pytest tests/ui --snapshot-update` and look at the SVGs before committing them.
"""

from __future__ import annotations

from textual.pilot import Pilot
from textual.widgets import Input

from drstui.ui.app import DrsTuiApp

from .fakes import ScriptedSource, fixed_clock, retrying_snapshot, stale_snapshot
from .settling import after_keys, press_settled, settle

WIDE = (120, 36)
SMALL = (80, 24)


def make_app(source: ScriptedSource | None = None, **options: object) -> DrsTuiApp:
    return DrsTuiApp(
        source or ScriptedSource(),
        profile_label="prod",
        clock=fixed_clock,
        auto_refresh=False,
        **options,  # type: ignore[arg-type]
    )


settled = settle


def test_jobs_overview(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=settled)


def test_detail_of_inconsistent_job(snap_compare) -> None:
    # billing-core: TABLE and VIEW differ, two tables differ in the row comparison.
    async def steps(pilot: Pilot) -> None:
        await settled(pilot)
        await press_settled(pilot, "down", "enter")

    assert snap_compare(make_app(), terminal_size=WIDE, run_before=steps)


async def _open_drill_down(pilot: Pilot) -> None:
    await settled(pilot)
    await press_settled(pilot, "down", "enter", "enter")  # billing-core → detail (cursor on TABLE, the first that differs) → drill down


def test_drill_down(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=_open_drill_down)


def test_drill_down_error(snap_compare) -> None:
    source = ScriptedSource(detail_error="DRS.10000010: object comparison bfcdc4d9 not found (HTTP 400)")
    assert snap_compare(make_app(source), terminal_size=SMALL, run_before=_open_drill_down)


def test_exports_pane(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=after_keys("3"))


def test_small_terminal_jobs(snap_compare) -> None:
    assert snap_compare(make_app(insecure=True), terminal_size=SMALL, run_before=settled)


def test_small_terminal_detail(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=after_keys("down", "2"))


def test_small_terminal_exports(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=SMALL, run_before=after_keys("3"))


def test_stale_connection(snap_compare) -> None:
    app = make_app(ScriptedSource([stale_snapshot()]))
    assert snap_compare(app, terminal_size=WIDE, run_before=settled)


def test_retrying_connection_small(snap_compare) -> None:
    app = make_app(ScriptedSource([retrying_snapshot()]), read_only=True)
    assert snap_compare(app, terminal_size=SMALL, run_before=settled)


def test_paused(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=after_keys("p"))


async def _filter_billing(pilot: Pilot) -> None:
    await settled(pilot)
    pilot.app.screen.query_one(Input).cursor_blink = False  # before it gets focus: no blink timer
    await pilot.press("slash")
    await pilot.press(*"incre")
    # The jobs table shrinks in two steps (rows removed, then re-measured when idle).
    for _ in range(3):
        await pilot.pause()
    await settled(pilot)


def test_filter_applied(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=_filter_billing)


def test_help_screen(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=WIDE, run_before=after_keys("question_mark"))


def test_tall_terminal_all_panes(snap_compare) -> None:
    assert snap_compare(make_app(), terminal_size=(140, 54), run_before=after_keys("down"))
