"""The real app on the in-process simulator, for the action tests (keys c, e, s).

Simulated time stands still until a test advances it; signatures use real time (the API client
signs with the wall clock, as with the demo's WallClock)."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from drstui.api.retry import RetryPolicy
from drstui.config_schema import Settings
from drstui.sim.clock import ManualClock
from drstui.sim.core import SimCore
from drstui.sim.transport import SimTransport
from drstui.ui.app import DrsTuiApp
from drstui.wiring import Session, open_session

from .settling import settle  # noqa: F401  (re-exported for the sim-backed UI tests)

WIDE = (120, 36)
DIALOG = (100, 30)


class SimClock(ManualClock):
    def signing_now(self) -> float:
        return time.time()


async def no_sleep(_seconds: float) -> None:
    return None


@dataclass
class SimRig:
    session: Session
    clock: SimClock
    core: SimCore
    download_dir: Path

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), timezone.utc)

    def job_id(self, name: str) -> str:
        return next(job.id for job in self.core.world.project.jobs.values() if job.name == name)

    def requests(self, endpoint: str) -> list[Any]:
        return [r for r in self.core.received if r.endpoint == endpoint]

    def app(self, *, read_only: bool = False) -> DrsTuiApp:
        return DrsTuiApp(
            self.session.monitor,
            profile_label="demo",
            clock=self.now,
            auto_refresh=False,
            read_only=read_only,
            actions=self.session.actions,
        )


def make_rig(download_dir: Path, *, read_only: bool = False, seed: int = 7, **world: Any) -> SimRig:
    clock = SimClock()
    core = SimCore.create(seed=seed, clock=clock, **world)
    transport = SimTransport(core, sleeper=no_sleep)
    settings = Settings(demo=True, seed=seed, refresh=5.0, download_dir=download_dir, read_only=read_only)
    rig = SimRig(None, clock, core, download_dir)  # type: ignore[arg-type]
    rig.session = open_session(settings, transport=transport, now=rig.now)
    return rig


def no_backoff() -> None:
    RetryPolicy.backoff = lambda self, attempt: 0.0  # type: ignore[method-assign]


async def select_job(pilot: Any, job_id: str) -> None:
    """Put the jobs-pane cursor on this job (as the arrow keys would)."""
    app = pilot.app
    jobs = app.monitor.jobs_pane
    jobs.table.focus()
    index = jobs.visible_job_ids.index(job_id)
    jobs.table.move_cursor(row=index)
    await pilot.pause()
    assert app.selected_job is not None and app.selected_job.id == job_id
