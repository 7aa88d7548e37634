"""`drstui report --demo`: a short cutover rehearsal on the simulator, to report on.

Simulated time (a manual clock: a few seconds of real time) runs for half an
hour of refreshes on the demo world: running comparisons finish, an object comparison is
created on DRS-orders-sync and its report exported and downloaded. Every transition goes to a
cutover log in a temporary folder (never the user's own log or download folder); the report
is built from that log and the last snapshot, exactly as for a real cutover.
"""

from __future__ import annotations

import dataclasses
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from drstui.sim.clock import ManualClock

REHEARSAL_SECONDS = 30 * 60
STEP_SECONDS = 60
CREATE_AT = 120  # seconds into the rehearsal (a multiple of STEP_SECONDS)
EXPORT_AT = 300
DEMO_JOB = "DRS-orders-sync"


class _RehearsalClock(ManualClock):
    """Simulated time for the world; real time for request signatures (the API client signs
    with the wall clock, and the simulator checks X-Sdk-Date against this)."""

    def signing_now(self) -> float:
        return time.time()


async def _no_sleep(_seconds: float) -> None:
    """Simulated latency costs no real time here: the rehearsal is not watched live."""


async def rehearse(settings: Any, folder: Path, *, start: float | None = None) -> tuple[Path, dict[str, Any], datetime, datetime]:
    """Run the rehearsal; returns (cutover log path, last snapshot document, start, end)."""
    from drstui.api.models import CreateCompareTaskRequest
    from drstui.headless import selected_jobs, snapshot_status
    from drstui.headless_format import snapshot_document
    from drstui.monitor.cutover_log import CutoverLog
    from drstui.sim.demo import demo_transport
    from drstui.wiring import open_session

    clock = _RehearsalClock(start if start is not None else float(int(time.time()) - REHEARSAL_SECONDS))

    def now() -> datetime:
        return datetime.fromtimestamp(clock.now(), timezone.utc)

    transport, _ = demo_transport(seed=settings.seed if settings.seed is not None else 7,
                                  clock=clock, jobs=settings.jobs, sleeper=_no_sleep)
    settings = dataclasses.replace(settings, download_dir=folder / "downloads", read_only=False)
    log_path = folder / "cutover-demo.jsonl"
    began = now()
    with CutoverLog(log_path) as log:
        session = open_session(settings, transport=transport, now=now, cutover_log=log)
        try:
            snapshot = await session.monitor.refresh()
            job = next((j for j in snapshot.jobs if j.name == DEMO_JOB), None)
            for elapsed in range(STEP_SECONDS, REHEARSAL_SECONDS + 1, STEP_SECONDS):
                clock.advance(STEP_SECONDS)
                if job is not None and elapsed == CREATE_AT:
                    await session.actions.create_comparison(CreateCompareTaskRequest(job.id, object_level=True))
                if job is not None and elapsed == EXPORT_AT:
                    await session.actions.start_drs_export(job.id, "objects_comparison")
                snapshot = await session.monitor.refresh()
                await session.exports.wait_idle()  # a started download lands before time moves on
            jobs = selected_jobs(snapshot, ())
            document = snapshot_document(snapshot, jobs, snapshot_status(snapshot, jobs))
        finally:
            await session.aclose()
    return log_path, document, began, now()
