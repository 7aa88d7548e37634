"""Key x end to end against the simulator: cancel, pause and restart a running comparison."""

from __future__ import annotations

import json

from textual.widgets import Button, OptionList, RadioButton, Static

from drstui.sim.world import ENGINES, JOB_A
from drstui.ui.compare_sections import CompareLiveSection
from drstui.ui.dialogs.compare_lifecycle import CompareLifecycleScreen
from drstui.ui.dialogs.confirm import ConfirmRequestScreen
from drstui.ui.monitor_screen import MonitorScreen

from .sim_app import DIALOG, WIDE, make_rig, select_job, settle


def notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


def running_contents(rig):  # type: ignore[no-untyped-def]
    """A value comparison of job A that is running now (simulated time stands still)."""
    world = rig.core.world
    job = world.project.jobs[JOB_A]
    return world.add_comparison(job, "contents", rig.clock.now() - 20, outcome="SUCCESSFUL")


async def open_dialog(pilot, job_id: str = JOB_A) -> CompareLifecycleScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await select_job(pilot, job_id)
    await pilot.press("x")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CompareLifecycleScreen)
    return screen


def choose(screen: CompareLifecycleScreen, verb: str) -> None:
    next(b for b in screen.query(RadioButton) if b.name == verb).value = True


def problems(screen: CompareLifecycleScreen) -> str:
    return str(screen.query_one("#cl-problems", Static).render())


async def test_pause_then_restart_end_to_end(tmp_path) -> None:
    rig = make_rig(tmp_path)
    comparison = running_contents(rig)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        dialog = await open_dialog(pilot)
        assert [c.compare_job_id for c in dialog.choices] == [comparison.id]
        assert dialog.verb == "pause"  # the safe default for a running row/value comparison
        await pilot.click("#cl-send")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmRequestScreen)
        shown = str(confirm.query_one("#confirm-request-text", Static).render())
        assert f"POST /v5/054ba152d480d55b2f5dc0069e7ddef0/jobs/{JOB_A}/compare/pause" in shown
        assert rig.requests("drs.pause_compare") == []  # nothing sent before confirming
        await pilot.press("y")
        await settle(pilot)

        sent = rig.requests("drs.pause_compare")
        assert len(sent) == 1
        assert json.loads(sent[0].request.body) == {"compare_job_ids": [comparison.id]}
        assert comparison.timeline.is_paused(rig.clock.now())
        assert isinstance(app.screen, MonitorScreen)
        assert any("paused" in n for n in notes(app))

        # Pausing again is refused before sending; the dialog now offers restart.
        dialog = await open_dialog(pilot)
        assert dialog.choices[0].paused and dialog.verb == "restart"
        choose(dialog, "pause")
        await pilot.pause()
        assert "already paused" in problems(dialog)
        assert dialog.query_one("#cl-send", Button).disabled
        choose(dialog, "restart")
        await pilot.pause()
        await pilot.click("#cl-send")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert len(rig.requests("drs.restart_compare")) == 1
        assert not comparison.timeline.is_paused(rig.clock.now())
        assert len(rig.requests("drs.pause_compare")) == 1


async def test_cancel_sends_one_delete_even_when_confirmed_twice(tmp_path) -> None:
    rig = make_rig(tmp_path)
    comparison = running_contents(rig)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        dialog = await open_dialog(pilot)
        choose(dialog, "cancel")
        await pilot.pause()
        await pilot.click("#cl-send")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmRequestScreen)
        shown = str(confirm.query_one("#confirm-request-text", Static).render())
        assert f"DELETE /v3/054ba152d480d55b2f5dc0069e7ddef0/jobs/{JOB_A}/compare/{comparison.id}" in shown
        await pilot.press("y", "y")  # a double press
        await dialog.app.workers.wait_for_complete()
        dialog.action_send()  # and a repeated Send after the first went out
        await settle(pilot)
        assert len(rig.requests("drs.cancel_compare")) == 1
        assert comparison.timeline.cancelled_at is not None


async def test_refusal_from_the_api_is_shown_and_the_dialog_stays(tmp_path) -> None:
    rig = make_rig(tmp_path)
    running_contents(rig)
    rig.core.world.project.jobs[JOB_A].engine = ENGINES["oracle-to-gaussdbv5"]  # no pause there
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        dialog = await open_dialog(pilot)
        await pilot.click("#cl-send")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is dialog
        assert "does not support pause" in problems(dialog)
        assert not dialog.sending and not dialog.query_one("#cl-send", Button).disabled
        assert not app.actions.paused_comparisons


async def test_no_running_comparison_is_said_and_nothing_can_be_sent(tmp_path) -> None:
    rig = make_rig(tmp_path)  # job A's comparisons have all finished
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        dialog = await open_dialog(pilot)
        assert dialog.query_one("#cl-comparisons", OptionList).option_count == 0
        assert "no running comparison" in problems(dialog)
        assert dialog.query_one("#cl-send", Button).disabled
        dialog.action_send()
        await settle(pilot)
        assert not isinstance(app.screen, ConfirmRequestScreen)


async def test_read_only_refuses_the_key(tmp_path) -> None:
    rig = make_rig(tmp_path, read_only=True)
    running_contents(rig)
    app = rig.app(read_only=True)
    async with app.run_test(size=DIALOG) as pilot:
        await settle(pilot)
        await select_job(pilot, JOB_A)
        await pilot.press("x")
        await settle(pilot)
        assert isinstance(app.screen, MonitorScreen)
        assert any("read-only" in n.lower() for n in notes(app))
        assert rig.requests("drs.pause_compare") == [] and rig.requests("drs.cancel_compare") == []


async def test_detail_shows_progress_delay_and_rechecks_of_a_running_comparison(tmp_path) -> None:
    rig = make_rig(tmp_path)
    comparison = running_contents(rig)
    app = rig.app()
    async with app.run_test(size=WIDE) as pilot:
        await settle(pilot)
        await select_job(pilot, JOB_A)
        live = str(app.monitor.detail_pane.query_one(CompareLiveSection).render())
        percent = round(comparison.timeline.progress(rig.clock.now()) * 100)
        assert f"contents {comparison.id[:8]}" in live and f"full pass {percent}%" in live
        assert "incremental delay 2s" in live
        assert "3 rows being re-checked: may be replication lag" in live
        asked = [r.request.path for r in rig.requests("drs.compare_progress") if JOB_A in r.request.path]
        assert asked and all(comparison.id in path for path in asked)  # finished ones are not asked

        comparison.timeline.pause(rig.clock.now())  # paused: nothing is being re-checked
        await app.refresh_now()
        await settle(pilot)
        live = str(app.monitor.detail_pane.query_one(CompareLiveSection).render())
        assert "re-checked" not in live and "0 (caught up)" in live
