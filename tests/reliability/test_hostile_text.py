"""Hostile names from the API (the simulator's --hostile-names world) never crash the app, never
act as markup and never reach a terminal as control characters: in the TUI, in `drstui
snapshot` (table and JSON), in `drstui watch`, in the log file and in the cutover log."""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path

from textual.widgets import Input

from drstui.headless import run_snapshot, watch_loop
from drstui.logs import setup_logging, shutdown_logging
from drstui.monitor.changes import Transition
from drstui.monitor.cutover_log import CutoverLog, read_events
from drstui.monitor.exports import SAVED
from drstui.sim.hostile import HOSTILE_TEXTS
from drstui.sim.world import JOB_A
from drstui.ui.detail_pane import DetailPane
from tests.ui.sim_app import WIDE, make_rig, no_backoff, select_job, settle

# What a terminal would obey: C0 (line breaks are the screen's own), DEL, C1, bidi controls.
CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")
QUIT_LINK = "[@click=app.quit]X[/]"
RUNNING_JOB_INDEX = 3  # the first generated job: its comparisons are running at the start


def screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_clean(text: str) -> None:
    found = CONTROL.findall(text)
    assert not found, f"control characters reached the screen: {found!r}"


def hostile_rig(tmp_path: Path):
    no_backoff()
    return make_rig(tmp_path / "downloads", hostile_names=True)


async def test_app_shows_hostile_names_literally_and_keeps_running(tmp_path):
    rig = hostile_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=WIDE) as pilot:
        await app.refresh_now()
        await settle(pilot)
        jobs = app.monitor.jobs_pane
        assert len(jobs.visible_job_ids) == 12
        for job_id in jobs.visible_job_ids:
            await select_job(pilot, job_id)
            app.show_job_detail(job_id)
            await pilot.pause()
            assert_clean(screen_text(app))
        # Markup is shown as typed, not interpreted (and `[/]` did not raise).
        await select_job(pilot, rig.job_id(QUIT_LINK))
        app.show_job_detail(rig.job_id(QUIT_LINK))
        await pilot.pause()
        text = screen_text(app)
        assert QUIT_LINK in text and "a[/]b" in text and "[bold red]not bold[/]" in text
        assert "␛]2;pwned␇title" in text  # the OSC is shown, not sent
        # Clicking along the detail pane's title (which names that job) does not quit.
        detail = app.query_one(DetailPane)
        for x in range(0, min(60, detail.size.width)):
            await pilot.click(DetailPane, offset=(x, 0))
        assert app.is_running and app.return_code is None


async def test_alerts_filter_events_and_dialogs_with_hostile_names(tmp_path):
    rig = hostile_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=WIDE) as pilot:
        await app.refresh_now()
        await settle(pilot)
        # Comparisons finish (tables named `x[/]`, `a[/]b`...): the toasts that report them.
        rig.clock.advance(600)
        await app.refresh_now()
        await settle(pilot)
        toasts = list(app._notifications)
        assert toasts, "finished comparisons should alert"
        assert_clean(screen_text(app))
        assert app.is_running

        # `/` then `[/]`: the filter's title shows it literally.
        await pilot.press("1", "slash")
        app.query_one("#jobs-filter", Input).value = "[/]"
        await pilot.pause()
        assert "filter: '[/]'" in screen_text(app)
        await pilot.press("escape")

        # The events view lists every transition with its hostile job name.
        await pilot.press("v")
        await pilot.pause()
        assert_clean(screen_text(app))
        await pilot.press("escape")
        await pilot.pause()

        # The dialogs that name the job, its comparisons and the SMS tasks.
        await select_job(pilot, JOB_A)  # named "a[/]b"
        for key in ("c", "e", "s"):
            await pilot.press(key)
            await settle(pilot)
            text = screen_text(app)
            assert_clean(text)
            await pilot.press("escape")
            await settle(pilot)
        assert app.is_running


async def test_drill_down_into_hostile_object_names(tmp_path):
    rig = hostile_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=WIDE) as pilot:
        await app.refresh_now()
        await settle(pilot)
        await select_job(pilot, JOB_A)
        job = app.selected_job
        assert job is not None and job.object_comparison is not None
        app.open_object_detail(job.id, job.name, job.object_comparison.rows[0].object_type,
                               job.object_comparison.compare_job_id)
        await settle(pilot)
        text = screen_text(app)
        assert_clean(text)
        assert "a[/]b ›" in text


async def test_snapshot_table_shows_controls_as_pictures(tmp_path):
    rig = hostile_rig(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    try:
        await run_snapshot(rig.session, out=out, err=err, colour=True)
    finally:
        await rig.session.aclose()
    text = out.getvalue()
    # Our own colours are the only escapes: `ESC [ digits m`.
    without_colours = re.sub(r"\x1b\[[0-9;]*m", "", text)
    assert_clean(without_colours)
    assert "␛]2;pwned␇title" in without_colours and "a[/]b" in without_colours


async def test_snapshot_json_is_faithful_but_escaped(tmp_path):
    rig = hostile_rig(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    try:
        await run_snapshot(rig.session, as_json=True, out=out, err=err)
    finally:
        await rig.session.aclose()
    raw = out.getvalue()
    assert_clean(raw.replace("\n", ""))
    assert "\\u009b" in raw and "\\u202e" in raw
    names = {job["name"] for job in json.loads(raw)["jobs"]}
    assert names == set(HOSTILE_TEXTS)  # decoded, every name is exactly what the API sent


async def test_watch_lines_and_cutover_log_on_hostile_names(tmp_path):
    rig_dir = tmp_path / "state"
    rig = hostile_rig(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    with CutoverLog(directory=rig_dir) as log:
        rig.session.monitor.cutover_log = log

        async def sleep(seconds: float) -> None:
            rig.clock.advance(seconds)

        try:
            await watch_loop(rig.session, "consistent", 600.0, sleep=sleep, now=rig.now, out=out, err=err)
        finally:
            await rig.session.aclose()
    lines = out.getvalue()
    assert_clean(lines.replace("\n", ""))
    assert "a[/]b" in lines
    for path in rig_dir.glob("*.jsonl"):
        content = path.read_text(encoding="utf-8")
        assert_clean(content.replace("\n", ""))
        names = {event.job_name for event in read_events(path)}
        assert names & set(HOSTILE_TEXTS)


def test_log_lines_show_controls_as_pictures(tmp_path):
    log_file = tmp_path / "drstui.log"
    setup_logging(log_file)
    try:
        logging.getLogger("drstui.test").warning("job %s failed:\n%s", "\x1b]52;c;cHduZWQ=\x07", "\u202eevil")
    finally:
        shutdown_logging()
    text = log_file.read_text(encoding="utf-8")
    assert_clean(text.replace("\n", ""))
    assert "␛]52;c;cHduZWQ=␇" in text and text.count("\n") == 2


def test_cutover_log_escapes_c1_and_bidi_but_reads_back_the_same(tmp_path):
    from datetime import datetime, timezone

    name = "\x9b2J\u202eevil\x1b[1;1H"
    transition = Transition(datetime(2025, 1, 15, tzinfo=timezone.utc), "job", name, None,
                            "job_status", "A", "B", message=f"{name}: A → B")
    with CutoverLog(directory=tmp_path) as log:
        log.append([transition])
    path = next(tmp_path.glob("*.jsonl"))
    raw = path.read_text(encoding="utf-8")
    assert_clean(raw.replace("\n", ""))
    assert [event.job_name for event in read_events(path)] == [name]


async def test_dialog_error_lines_show_brackets_as_sent(tmp_path):
    """An API error quoting `[compare_type]` and `[/]` reaches the dialog and the toast whole."""
    from drstui.monitor.source import MonitorError
    from drstui.ui.dialogs.create_comparison import CreateComparisonScreen

    error = "DRS.10010000: Invalid parameter [compare_type]: see [/]docs \x1b]2;x\x07"
    rig = hostile_rig(tmp_path)

    async def refuse(request):  # the API's refusal, after the confirmation
        raise MonitorError(error)

    rig.session.actions.create_comparison = refuse
    app = rig.app()
    async with app.run_test(size=WIDE) as pilot:
        await app.refresh_now()
        await settle(pilot)
        await select_job(pilot, JOB_A)
        await pilot.press("c")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CreateComparisonScreen)
        await pilot.click("#cc-send")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        text = screen_text(app)
        assert "Invalid parameter [compare_type]: see [/]docs ␛]2;x␇" in text
        assert_clean(text)
        assert [n.message for n in app._notifications][-1].startswith("DRS.10010000: Invalid parameter [compare_type]")
        assert app.is_running


async def test_hostile_report_file_names_are_saved_clean_and_short(tmp_path):
    """The hostile world offers each report as `<job name>-<120 CJK characters>.xlsx`: escapes,
    bidi overrides and 8-bit CSIs never reach a file name, and 360 bytes of name still save."""
    rig = hostile_rig(tmp_path)
    session = rig.session
    try:
        snapshot = await session.monitor.refresh()
        targets = [job for job in snapshot.jobs if job.object_comparison is not None]
        assert {job.name for job in targets} >= {"\u202eevil\u202c.xlsx", "\x1b]2;pwned\x07title"}
        for job in targets:
            await session.actions.start_drs_export(job.id, "objects_comparison")
        rig.clock.advance(6)  # the simulator needs 5 s to generate a report
        await session.monitor.refresh()
        await session.exports.wait_idle()
        snapshot = await session.monitor.refresh()
    finally:
        await session.aclose()
    # The simulator fails some exports on purpose ("could not generate"); the rest are saved.
    saved = [record for record in snapshot.exports if record.status == SAVED]
    assert len(saved) >= 3, [(r.status, r.message) for r in snapshot.exports]
    names = sorted(path.name for path in (tmp_path / "downloads").iterdir())
    assert sorted(Path(record.saved_path).name for record in saved) == names
    for name in names:
        assert_clean(name)
        assert len(name.encode("utf-8")) <= 255 and name.endswith(".xlsx")
        assert re.fullmatch(r"[\w.-]+-objects-\d{8}T\d{6}Z( \(\d+\))?\.xlsx", name), name
