"""Key e end to end: export request (Region header, time_zone), export_status followed in the
exports pane, the file downloaded into the download directory; duplicates refused."""

from __future__ import annotations

import io
import json
import zipfile

from textual.widgets import Button, RadioButton, Static

from drstui.monitor.exports import SAVED
from drstui.sim.world import CONTENTS_COMPARE_A, JOB_A, REGION
from drstui.ui.dialogs.confirm import ConfirmRequestScreen
from drstui.ui.dialogs.export_report import ExportReportScreen
from drstui.ui.monitor_screen import MonitorScreen

from .sim_app import DIALOG, make_rig, select_job, settle


def radio(screen, name: str) -> None:  # type: ignore[no-untyped-def]
    next(b for b in screen.query(RadioButton) if b.name == name).value = True


async def open_export(pilot) -> ExportReportScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await select_job(pilot, JOB_A)
    await pilot.press("e")
    await pilot.pause()
    screen = pilot.app.screen
    assert isinstance(screen, ExportReportScreen)
    return screen


async def send_contents_export(pilot) -> None:  # type: ignore[no-untyped-def]
    form = await open_export(pilot)
    radio(form, "contents")
    await pilot.pause()
    assert form.selected is not None and form.selected.compare_job_id == CONTENTS_COMPARE_A
    await pilot.click("#ex-send")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmRequestScreen)
    await pilot.press("y")
    await settle(pilot)


async def test_export_report_end_to_end_file_on_disk(tmp_path) -> None:
    rig = make_rig(tmp_path / "downloads")
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        await send_contents_export(pilot)
        sent = rig.requests("drs.export_result_file")
        assert len(sent) == 1
        request = sent[0].request
        assert request.method == "POST"
        assert request.path.endswith(f"/jobs/{JOB_A}/compare/result/file")
        assert request.header("Region") == REGION
        assert json.loads(request.body) == {
            "compare_type": "contents", "compare_job_id": CONTENTS_COMPARE_A, "time_zone": "GMT+00:00"}
        assert isinstance(app.screen, MonitorScreen)
        assert app.monitor.active_pane == "exports"

        await app.refresh_now()
        record = app.snapshot.exports[0]
        assert record.status == "EXPORTING"
        rig.clock.advance(6)  # the simulator needs 5 s to generate the report
        await app.refresh_now()  # EXPORT_COMPLETE seen: the tracker starts the download
        await rig.session.exports.wait_idle()
        await app.refresh_now()
        await pilot.pause()
        record = app.snapshot.exports[0]
        assert record.status == SAVED, record
        saved = tmp_path / "downloads" / "DRS-orders-sync-values-20250115T083006Z.xlsx"  # job name, kind, UTC time
        assert record.saved_path == str(saved)
        with zipfile.ZipFile(io.BytesIO(saved.read_bytes())) as book:
            text = "".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xml"))
        assert CONTENTS_COMPARE_A in text and "DRS-orders-sync" in text
        assert not list((tmp_path / "downloads").glob(".drstui-*"))  # no temp file left
        # The exports pane shows the file name whole, then its folder; Enter shows the full path.
        cells = app.monitor.exports_pane.table.cells(record.key)
        assert cells is not None and cells[-1].text.startswith(f"{saved.name}  in ")
        table = app.monitor.exports_pane.table
        table.focus()
        table.move_to(record.key)
        app.clear_notifications()  # the "saved" alert named the path already
        await pilot.press("enter")
        await pilot.pause()
        assert any(str(saved) in note.message for note in app._notifications)
        assert len(rig.requests("drs.download_result_file")) == 1
    await rig.session.aclose()


async def test_existing_file_is_not_overwritten(tmp_path) -> None:
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    taken = downloads / "DRS-orders-sync-values-20250115T083006Z.xlsx"
    taken.write_bytes(b"keep me")
    rig = make_rig(downloads)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        await send_contents_export(pilot)
        await app.refresh_now()
        rig.clock.advance(6)
        await app.refresh_now()
        await rig.session.exports.wait_idle()
        await app.refresh_now()
        record = app.snapshot.exports[0]
        assert record.status == SAVED
        assert record.saved_path == str(downloads / "DRS-orders-sync-values-20250115T083006Z (1).xlsx")
        assert taken.read_bytes() == b"keep me"
    await rig.session.aclose()


async def test_e_twice_and_a_second_export_while_one_runs_send_one_request(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        form = await open_export(pilot)
        await pilot.press("e")  # a second press while the dialog is open opens nothing more
        await pilot.pause()
        assert sum(isinstance(s, ExportReportScreen) for s in app.screen_stack) == 1
        radio(form, "contents")
        await pilot.pause()
        await pilot.click("#ex-send")
        await pilot.pause()
        confirm = app.screen
        confirm.action_confirm()
        confirm.action_confirm()
        await settle(pilot)
        assert len(rig.requests("drs.export_result_file")) == 1
        # Again, for the same comparison, while the first export is still running.
        await pilot.press("e")
        await pilot.pause()
        again = app.screen
        assert isinstance(again, ExportReportScreen)
        radio(again, "contents")
        await pilot.pause()
        assert again.query_one("#ex-send", Button).disabled
        assert "already running" in str(again.query_one("#ex-problems", Static).render())
        again.action_send()  # forced: refused, nothing sent
        await settle(pilot)
        assert len(rig.requests("drs.export_result_file")) == 1
    await rig.session.aclose()


async def test_type_without_comparison_cannot_be_sent(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        form = await open_export(pilot)
        radio(form, "random")
        await pilot.pause()
        assert form.query_one("#ex-send", Button).disabled
        assert "has no random comparison" in str(form.query_one("#ex-problems", Static).render())
        form.action_send()
        await settle(pilot)
    assert rig.requests("drs.export_result_file") == []
    await rig.session.aclose()


async def test_export_refused_by_the_api_is_shown_in_the_dialog(tmp_path) -> None:
    rig = make_rig(tmp_path)
    running = rig.job_id("DRS-orders-mysql-001")
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        await settle(pilot)
        await select_job(pilot, running)
        # The object comparison there has not started yet (WAITING_FOR_RUNNING → 400).
        rig.core.world.project.jobs[running].latest("object").timeline.start_at = rig.clock.now() + 100
        await pilot.press("e")
        await pilot.pause()
        form = app.screen
        assert isinstance(form, ExportReportScreen)
        radio(form, "objects_comparison")
        await pilot.pause()
        await pilot.click("#ex-send")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, ExportReportScreen)  # stays open with the reason
        assert "export not started" in str(form.query_one("#ex-problems", Static).render())
        assert not form.query_one("#ex-send", Button).disabled  # a retry is allowed after a failure
    await rig.session.aclose()
