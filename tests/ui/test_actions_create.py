"""Key c end to end against the simulator: form, confirmation, request received, result shown."""

from __future__ import annotations

import json

from textual.widgets import Button, Checkbox, Input, RadioButton, SelectionList, Static

from drstui.sim.world import JOB_A, JOB_B
from drstui.ui.dialogs.confirm import ConfirmRequestScreen
from drstui.ui.dialogs.create_comparison import CreateComparisonScreen
from drstui.ui.monitor_screen import MonitorScreen

from .sim_app import DIALOG, make_rig, select_job, settle


def notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


def radio(screen, name: str) -> None:  # type: ignore[no-untyped-def]
    next(b for b in screen.query(RadioButton) if b.name == name).value = True


async def open_form(pilot, job_id: str) -> CreateComparisonScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await select_job(pilot, job_id)
    await pilot.press("c")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CreateComparisonScreen)
    return screen


def problems(screen: CreateComparisonScreen) -> str:
    return str(screen.query_one("#cc-problems", Static).render())


async def test_create_object_and_row_comparison_end_to_end(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        form = await open_form(pilot, JOB_A)
        # Databases offered from the last row comparison's overview.
        picker = form.query_one("#cc-databases", SelectionList)
        assert [picker.get_option_at_index(i).value for i in range(picker.option_count)] == ["orders", "audit"]
        radio(form, "lines")
        radio(form, "cancel")
        picker.select("audit")
        form.query_one("#cc-objects", Input).value = "orders.orders, orders.customers"
        form.query_one("#cc-start-time", Input).value = "2025-01-15 09:00"
        await pilot.pause()
        assert form.problems == []
        await pilot.click("#cc-send")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmRequestScreen)
        shown = str(confirm.query_one("#confirm-request-text", Static).render())
        assert "POST /v3/054ba152d480d55b2f5dc0069e7ddef0/jobs/create-compare-task" in shown
        assert '"conflict_policy": "cancel"' in shown
        assert rig.requests("drs.create_compare_task") == []  # nothing sent before confirming
        await pilot.press("y")
        await settle(pilot)

        sent = rig.requests("drs.create_compare_task")
        assert len(sent) == 1
        assert json.loads(sent[0].request.body) == {
            "job_id": JOB_A,
            "object_level_compare_type": "objects",
            "data_level_compare_info": {
                "conflict_policy": "cancel",
                "compare_type": "lines",
                "start_time": "2025-01-15T09:00:00Z",
                "compare_object_infos": [
                    {"db_name": "audit"},
                    {"db_name": "orders", "table_name": ["orders", "customers"]},
                ],
            },
        }
        assert isinstance(app.screen, MonitorScreen)
        job = rig.core.world.project.jobs[JOB_A]
        object_id = job.latest("object").id
        lines_id = job.latest("lines").id
        message = notes(app)[-1]
        assert f"object-level: created {object_id}" in message
        assert f"data-level (lines): created {lines_id}" in message
        # The comparison pane shows the new ids after the refresh the action asked for.
        await app.refresh_now()
        await pilot.pause()
        shown_job = app.monitor.detail_pane.job
        assert shown_job is not None and shown_job.id == JOB_A
        assert shown_job.object_comparison.compare_job_id == object_id
        assert lines_id in {dc.id for dc in shown_job.data_comparisons}
    await rig.session.aclose()


async def test_partial_error_inside_a_200_is_shown_per_part(tmp_path) -> None:
    rig = make_rig(tmp_path)
    busy = rig.job_id("DRS-orders-mysql-001")  # a row comparison is still running there
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        form = await open_form(pilot, busy)
        radio(form, "lines")  # conflict policy stays "keep"
        form.query_one("#cc-objects", Input).value = "orders"
        await pilot.pause()
        await pilot.click("#cc-send")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert len(rig.requests("drs.create_compare_task")) == 1
        message = notes(app)[-1]
        assert "object-level: created " in message
        assert "data-level (lines): DRS." in message and "conflict_policy is keep" in message
        assert [n.severity for n in app._notifications][-1] == "warning"
    await rig.session.aclose()


async def test_job_not_in_incremental_transfer_is_refused_before_sending(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        form = await open_form(pilot, JOB_B)  # INCRE_TRANSFER_FAILED
        assert "INCRE_TRANSFER_STARTED" in problems(form)
        assert form.query_one("#cc-send", Button).disabled
        form.action_send()  # even if forced
        await settle(pilot)
        assert isinstance(app.screen, CreateComparisonScreen)
    assert rig.requests("drs.create_compare_task") == []
    await rig.session.aclose()


async def test_each_form_refusal_says_why(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        form = await open_form(pilot, JOB_A)
        send = form.query_one("#cc-send", Button)
        # object-level together with a value comparison
        radio(form, "contents")
        form.query_one("#cc-objects", Input).value = "orders"
        await pilot.pause()
        assert "cannot run at the same time" in problems(form) and send.disabled
        # data-level with no database
        form.query_one("#cc-object-level", Checkbox).value = False
        form.query_one("#cc-objects", Input).value = ""
        await pilot.pause()
        assert "needs at least one database" in problems(form) and send.disabled
        # bad names: one line per bad entry
        form.query_one("#cc-objects", Input).value = "orders., a.b.c, bad!name, orders.ok"
        await pilot.pause()
        text = problems(form)
        assert "'orders.': the table name is empty" in text
        assert "'a.b.c': write db or db.table (one dot)" in text
        assert "'bad!name'" in text and "orders.ok" not in text
        # bad start time
        form.query_one("#cc-objects", Input).value = "orders"
        form.query_one("#cc-start-time", Input).value = "tomorrow 9am"
        await pilot.pause()
        assert "start time 'tomorrow 9am'" in problems(form) and send.disabled
        form.query_one("#cc-start-time", Input).value = "2020-01-01T00:00:00Z"
        await pilot.pause()
        assert "is in the past" in problems(form)
        # nothing chosen at all
        radio(form, "none")
        form.query_one("#cc-start-time", Input).value = ""
        form.query_one("#cc-objects", Input).value = ""
        await pilot.pause()
        assert "choose an object-level comparison, a data-level one, or both" in problems(form)
        form.action_send()
        await settle(pilot)
    assert rig.requests("drs.create_compare_task") == []
    await rig.session.aclose()


async def test_confirm_pressed_twice_sends_once(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        form = await open_form(pilot, JOB_A)
        await pilot.click("#cc-send")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmRequestScreen)
        confirm.action_confirm()
        confirm.action_confirm()
        await pilot.press("y")
        form.action_send()  # a retry while the first is on its way
        await settle(pilot)
        await pilot.press("y", "enter")
        await settle(pilot)
    assert len(rig.requests("drs.create_compare_task")) == 1
    await rig.session.aclose()


async def test_cancel_sends_nothing(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        await open_form(pilot, JOB_A)
        await pilot.click("#cc-send")
        await pilot.pause()
        await pilot.press("escape")  # confirmation
        await pilot.pause()
        assert isinstance(app.screen, CreateComparisonScreen)
        await pilot.press("escape")  # form
        await pilot.pause()
        assert isinstance(app.screen, MonitorScreen)
    assert rig.requests("drs.create_compare_task") == []
    await rig.session.aclose()


async def test_palette_lists_the_actions(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        await settle(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert {"Create comparison", "Export comparison report", "Export SMS consistency results"} <= set(titles)
        command = next(c for c in app.get_system_commands(app.screen) if c.title == "Create comparison")
        command.callback()
        await settle(pilot)
        assert isinstance(app.screen, CreateComparisonScreen)
    await rig.session.aclose()
