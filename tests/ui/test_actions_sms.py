"""Key s end to end: list, filter, multi-select, split into calls of 200, files saved, per-call
results in the dialog and the exports pane; refusals; read-only for every action key."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from textual.widgets import Input, Static

from drstui.sim.world import JOB_A
from drstui.ui.dialogs import READ_ONLY_NOTICE
from drstui.ui.dialogs.confirm import ConfirmRequestScreen
from drstui.ui.dialogs.sms_export import SmsExportScreen, SmsTaskTable
from drstui.ui.header import StatusLine, header_text
from drstui.ui.monitor_screen import MonitorScreen

from .sim_app import DIALOG, make_rig, select_job, settle


async def open_sms(pilot) -> SmsExportScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SmsExportScreen)
    return screen


def status(screen: SmsExportScreen) -> str:
    return str(screen.query_one("#sms-status", Static).render())


def results(screen: SmsExportScreen) -> str:
    return str(screen.query_one("#sms-results", Static).render())


async def confirm(pilot) -> ConfirmRequestScreen:  # type: ignore[no-untyped-def]
    await pilot.click("#sms-send")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ConfirmRequestScreen)
    return screen


async def test_list_filter_select_and_export_one_call(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        dialog = await open_sms(pilot)
        table = dialog.query_one(SmsTaskTable)
        assert table.row_count == 6
        first = dialog.tasks[0]
        assert first.source_id.startswith("31806fb2") and first.source_name == "ecs-web-01"
        assert first.has_result is True and dialog.tasks[1].has_result is False
        # filter, then space toggles the row under the cursor
        dialog.query_one("#sms-filter", Input).value = "ecs-db"
        await pilot.pause()
        assert table.row_count == 1
        table.focus()
        await pilot.press("space")
        assert "1 selected" in status(dialog)
        await pilot.press("space")
        assert "0 selected" in status(dialog)
        dialog.query_one("#sms-filter", Input).value = ""
        await pilot.pause()
        table.focus()
        await pilot.press("a")  # every visible task
        assert "6 selected" in status(dialog) and "1 call " in status(dialog)
        shown = await confirm(pilot)
        assert len(shown.previews) == 1
        assert "POST /v3/tasks/consistency-results/export" in str(shown.query_one("#confirm-request-text", Static).render())
        await pilot.press("y")
        await settle(pilot)

        sent = rig.requests("sms.export_consistency_results")
        assert len(sent) == 1
        body = json.loads(sent[0].request.body)
        assert [item["task_id"] for item in body["task_info"]] == [t.task_id for t in dialog.tasks]
        assert body["task_info"][0] == {"task_id": first.task_id, "source_id": first.source_id,
                                        "source_name": "ecs-web-01"}
        record = dialog.record
        assert record is not None and len(record.batches) == 1 and record.batches[0].ok
        saved = Path(record.batches[0].saved_path)
        assert saved.parent == tmp_path
        rows = list(csv.reader(io.StringIO(saved.read_text())))
        assert {row[0] for row in rows[1:]} == {t.task_id for t in dialog.tasks}
        assert f"call 1: 6 tasks ✔ saved {saved}" in results(dialog)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MonitorScreen)
        await app.refresh_now()
        assert app.snapshot.exports[0].kind == "sms"
    await rig.session.aclose()


async def test_201_tasks_are_sent_in_two_calls_and_each_answer_saved(tmp_path) -> None:
    rig = make_rig(tmp_path, sms_tasks=201)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        dialog = await open_sms(pilot)
        assert len(dialog.tasks) == 201
        dialog.query_one(SmsTaskTable).focus()
        await pilot.press("a")
        assert "201 selected" in status(dialog) and "will be sent in 2 calls" in status(dialog)
        shown = await confirm(pilot)
        assert [p.label for p in shown.previews] == ["call 1 of 2 (200 tasks)", "call 2 of 2 (1 task)"]
        await pilot.press("y")
        await settle(pilot)
        sizes = [len(json.loads(r.request.body)["task_info"]) for r in rig.requests("sms.export_consistency_results")]
        assert sizes == [200, 1]
        paths = [Path(b.saved_path) for b in dialog.record.batches]
        assert len(set(paths)) == 2 and all(p.exists() for p in paths)  # same name offered: a suffix, no overwrite
        text = results(dialog)
        assert "call 1: 200 tasks ✔ saved" in text and "call 2: 1 task ✔ saved" in text
        await pilot.press("escape")
        await app.refresh_now()
        await pilot.pause()
        app.monitor.show_pane("exports")
        keys = app.monitor.exports_pane.table.keys_in_order
        assert sum("#batch" in key for key in keys) == 2
    await rig.session.aclose()


async def test_a_failed_call_shows_the_apis_message_and_the_other_call_is_saved(tmp_path) -> None:
    rig = make_rig(tmp_path, sms_tasks=201)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        dialog = await open_sms(pilot)
        dialog.query_one(SmsTaskTable).focus()
        await pilot.press("a")
        rig.core.world.sms_tasks.pop(dialog.tasks[-1].task_id)  # gone since it was listed: 404
        await confirm(pilot)
        await pilot.press("y")
        await settle(pilot)
        text = results(dialog)
        assert "call 1: 200 tasks ✔ saved" in text
        assert "call 2: 1 task ✘ HTTP 404 SMS.0404: The task does not exist." in text
        assert any("1 of 2 call(s) saved, 1 failed" in n.message for n in app._notifications)
    await rig.session.aclose()


async def test_nothing_selected_is_refused(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        dialog = await open_sms(pilot)
        await pilot.click("#sms-send")
        await settle(pilot)
        assert app.screen is dialog
        assert "select at least one SMS task" in str(dialog.query_one("#sms-problems", Static).render())
    assert rig.requests("sms.export_consistency_results") == []
    await rig.session.aclose()


async def test_export_pressed_twice_sends_one_batch(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        dialog = await open_sms(pilot)
        dialog.query_one(SmsTaskTable).focus()
        await pilot.press("space")
        shown = await confirm(pilot)
        shown.action_confirm()
        shown.action_confirm()
        dialog.action_send()  # the dialog is sending: ignored
        await settle(pilot)
    assert len(rig.requests("sms.export_consistency_results")) == 1
    await rig.session.aclose()


async def test_read_only_disables_every_action(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app(read_only=True)
    async with app.run_test(size=DIALOG) as pilot:
        await settle(pilot)
        await select_job(pilot, JOB_A)
        rig.core.received.clear()
        for key in ("c", "e", "s"):
            await pilot.press(key)
            await settle(pilot)
            assert isinstance(app.screen, MonitorScreen)
        messages = [n.message for n in app._notifications]
        assert len(messages) == 3 and all(m.startswith(READ_ONLY_NOTICE) for m in messages)
        assert "READ-ONLY" in header_text(app.screen.query_one(StatusLine).state, 200).plain
    assert list(rig.core.received) == []  # not even a listing reached the simulator
    await rig.session.aclose()


async def test_profile_read_only_disables_actions_too(tmp_path) -> None:
    rig = make_rig(tmp_path, read_only=True)  # the profile says read_only; no --read-only flag
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        await settle(pilot)
        assert app.read_only
        await select_job(pilot, JOB_A)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(app.screen, MonitorScreen)
        assert list(app._notifications)[-1].message.startswith(READ_ONLY_NOTICE)
    assert rig.requests("drs.create_compare_task") == []
    await rig.session.aclose()
