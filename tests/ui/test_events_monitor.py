"""The app on a real Monitor and the in-process simulator: a running comparison finishes while the
simulator's clock is advanced; the cutover log file, the alerts and the events view agree."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

from textual.widgets import Static

from drstui.config_schema import Settings
from drstui.monitor import changes
from drstui.monitor.cutover_log import KEYS, CutoverLog, read_events
from drstui.sim.clock import ManualClock
from drstui.sim.core import SimCore
from drstui.sim.transport import SimTransport
from drstui.ui.app import DrsTuiApp
from drstui.ui.events_screen import EventsScreen
from drstui.ui.formatting import one_line
from drstui.wiring import open_session

RUNNING_JOB = "DRS-orders-mysql-001"  # seed 7: object + lines comparisons running at the start


async def no_sleep(_seconds: float) -> None:
    return None


async def test_transitions_on_the_simulator_reach_the_log_the_alerts_and_the_events_view(tmp_path) -> None:
    # The signer stamps requests with this clock too: start it at the real time, as a gateway wants.
    clock = ManualClock(time.time())
    core = SimCore.create(seed=7, clock=clock)
    transport = SimTransport(core, sleeper=no_sleep)

    def now() -> datetime:
        return datetime.fromtimestamp(clock.now(), timezone.utc)

    log_path = tmp_path / "cutover.jsonl"
    settings = Settings(demo=True, seed=7, refresh=5.0, download_dir=tmp_path / "dl")
    session = open_session(settings, transport=transport, now=now, cutover_log=CutoverLog(log_path))
    job_id = next(job.id for job in core.world.project.jobs.values() if job.name == RUNNING_JOB)
    notes: list[tuple[str, object]] = []
    try:
        app = DrsTuiApp(session.monitor, profile_label="demo", clock=now, auto_refresh=False)
        async with app.run_test(size=(120, 36)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            app.notify = lambda message, **kw: notes.append((message, kw.get("severity")))  # type: ignore[method-assign]
            assert app.event_history.session_count == 0  # the first refresh is the baseline
            clock.advance(300)  # the running comparisons have finished by now
            await app.refresh_now()

            # The log file: one JSON object per line, stable keys, the finished comparisons in it.
            lines = log_path.read_text(encoding="utf-8").splitlines()
            records = [json.loads(line) for line in lines]
            assert records and all(tuple(record) == KEYS for record in records)
            mine = [r for r in records if r["job_id"] == job_id]
            assert {(r["kind"], r["new"]) for r in mine if r["kind"] == changes.COMPARISON_STATUS} >= {
                (changes.COMPARISON_STATUS, "SUCCESSFUL")
            }
            verdicts = [r for r in mine if r["kind"] == changes.COMPARISON_VERDICT]
            assert len(verdicts) == 2 and all(r["old"] == "running" for r in verdicts)

            # The alerts are those verdicts, worded with the job's name.
            alerted = [message for message, _ in notes if message.startswith(RUNNING_JOB)]
            assert len(alerted) == 2 and app.last_alert is not None and app.last_alert.job_id == job_id

            # The events view lists exactly the log, newest first, and names the file.
            await pilot.press("v")
            screen = app.screen
            assert isinstance(screen, EventsScreen)
            shown = [screen.table.cells(key)[-1].text for key in screen.table.keys_in_order]  # type: ignore[index]
            assert shown == [one_line(r["message"], 160) for r in reversed(records)]
            assert str(log_path) in str(screen.query_one("#events-title", Static).render())

            # j goes to the job that alerted, whose detail shows the count gap trend.
            await pilot.press("j")
            await pilot.pause()
            assert app.monitor.detail_pane.job is not None and app.monitor.detail_pane.job.id == job_id
            # (the first refresh saw the comparison running: its partial counts are no point)
            assert len(session.monitor.trend_series(job_id)) == 1
            summary = str(app.monitor.detail_pane.query_one("#detail-summary", Static).render())
            assert "Count gap " in summary and "1 refresh)" in summary

        # A later start of the app lists the day's earlier events from the log.
        again = DrsTuiApp(session.monitor, profile_label="demo", clock=now, auto_refresh=False)
        async with again.run_test(size=(120, 36)) as pilot:
            await again.workers.wait_for_complete()
            await pilot.press("v")
            screen = again.screen
            assert isinstance(screen, EventsScreen)
            assert len(screen.table.keys_in_order) == len(read_events(log_path)) == len(records)
            assert all(event.earlier for event in again.event_history.newest_first())
    finally:
        await session.aclose()
