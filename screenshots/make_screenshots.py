"""Make SVG screenshots of the real app on the embedded simulator:
`python screenshots/make_screenshots.py [out_dir] [name ...]` (names: only those shots).

Every shot is a fresh session on the in-process simulator (seed 7, simulated clock fixed at
2025-01-15 08:30:00 UTC), so the pictures are the same on every run. Downloads go to a temporary
directory shown as `downloads/`.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402
from textual.widgets import Input, RadioButton, SelectionList  # noqa: E402

from drstui.config_schema import Settings  # noqa: E402
from drstui.sim.clock import ManualClock  # noqa: E402
from drstui.sim.core import SimCore  # noqa: E402
from drstui.sim.transport import SimTransport  # noqa: E402
from drstui.sim.world import CONTENTS_COMPARE_A, JOB_A  # noqa: E402
from drstui.ui.app import DrsTuiApp  # noqa: E402
from drstui.ui.detail_pane import DataCompareTable, ObjectTable  # noqa: E402
from drstui.wiring import Session, _demo_credentials, open_session  # noqa: E402

SEED = 7


class ScreenshotClock(ManualClock):
    """Simulated time stands still; request signatures use real time (the client signs with it)."""

    def signing_now(self) -> float:
        return time.time()


async def _no_sleep(_seconds: float) -> None:
    return None


class Demo:
    """One session on a fresh simulator world, and the app on it."""

    def __init__(self, download_dir: Path, multi_task_jobs: int = 0) -> None:
        self.clock = ScreenshotClock()
        self.core = SimCore.create(seed=SEED, clock=self.clock, multi_task_jobs=multi_task_jobs)
        settings = Settings(demo=True, seed=SEED, refresh=5.0, download_dir=download_dir)
        self.session: Session = open_session(
            settings, transport=SimTransport(self.core, sleeper=_no_sleep), now=self.now
        )
        self.app = DrsTuiApp(
            self.session.monitor,
            profile_label="demo",
            clock=self.now,
            auto_refresh=False,
            actions=self.session.actions,
        )

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), timezone.utc)

    def job_id(self, name: str) -> str:
        return next(job.id for job in self.core.world.project.jobs.values() if job.name == name)


class MultiDemo:
    """Two simulated regions in one view (`drstui --demo`): Beijing and Shanghai."""

    def __init__(self, download_dir: Path) -> None:
        self.clock = ScreenshotClock()
        self.cores = [SimCore.create(seed=SEED + i, clock=self.clock, credentials=_demo_credentials(i))
                      for i in range(2)]
        self.sessions: list[Session] = [
            open_session(Settings(demo=True, seed=SEED, refresh=5.0, download_dir=download_dir, profile=name),
                         transport=SimTransport(core, sleeper=_no_sleep), now=self.now, demo_index=i)
            for i, (name, core) in enumerate(zip(("bj4", "sh1"), self.cores))
        ]
        self.app = DrsTuiApp(
            profile_label="demo",
            clock=self.now,
            auto_refresh=False,
            scopes=[(s.scope, s.monitor, s.actions) for s in self.sessions],
        )
        self.session = self  # closed like a Demo's session

    async def aclose(self) -> None:
        for session in self.sessions:
            await session.aclose()

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), timezone.utc)


Steps = Callable[[Pilot, Demo], Awaitable[None]]


async def _settle(pilot: Pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def _keys(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await _settle(pilot)


async def _select(pilot: Pilot, job_id: str) -> None:
    jobs = pilot.app.monitor.jobs_pane  # type: ignore[attr-defined]
    jobs.table.focus()
    jobs.table.move_cursor(row=jobs.visible_job_ids.index(job_id))
    await pilot.pause()


def _radio(pilot: Pilot, name: str) -> None:
    next(b for b in pilot.app.screen.query(RadioButton) if b.name == name).value = True


async def jobs_overview(pilot: Pilot, demo: Demo) -> None:
    await _settle(pilot)


async def inconsistent_comparison(pilot: Pilot, demo: Demo) -> None:
    await _select(pilot, demo.job_id("DRS-catalog-mysql-005"))
    await _keys(pilot, "enter")
    objects = pilot.app.monitor.detail_pane.query_one(ObjectTable)  # type: ignore[attr-defined]
    objects.focus()  # its cursor is on the first type that differs
    await _settle(pilot)


async def object_drill_down(pilot: Pilot, demo: Demo) -> None:
    await inconsistent_comparison(pilot, demo)
    await _keys(pilot, "enter")


async def small_detail(pilot: Pilot, demo: Demo) -> None:
    await _select(pilot, demo.job_id("DRS-catalog-mysql-005"))
    await _keys(pilot, "2")


async def create_comparison(pilot: Pilot, demo: Demo) -> None:
    await _select(pilot, JOB_A)
    await _keys(pilot, "c")
    _radio(pilot, "lines")
    pilot.app.screen.query_one("#cc-databases", SelectionList).select("orders")
    pilot.app.screen.query_one("#cc-objects", Input).value = "audit.events, audit.logins"
    await pilot.pause()


async def confirmation(pilot: Pilot, demo: Demo) -> None:
    await create_comparison(pilot, demo)
    await pilot.click("#cc-send")
    await pilot.pause()


async def export_report(pilot: Pilot, demo: Demo) -> None:
    await _select(pilot, JOB_A)
    await _keys(pilot, "e")
    _radio(pilot, "contents")
    await pilot.pause()


async def exports_after_export(pilot: Pilot, demo: Demo) -> None:
    await export_report(pilot, demo)
    await pilot.click("#ex-send")
    await pilot.pause()
    await _keys(pilot, "y")
    app = pilot.app
    await app.refresh_now()  # type: ignore[attr-defined]
    demo.clock.advance(6)  # the simulator generates the report in 5 s
    await app.refresh_now()  # type: ignore[attr-defined]
    await demo.session.exports.wait_idle()
    await app.refresh_now()  # type: ignore[attr-defined]
    app.clear_notifications()
    await pilot.pause()


async def sms_export(pilot: Pilot, demo: Demo) -> None:
    await _keys(pilot, "s")
    await _keys(pilot, "space", "down", "down", "space")


async def help_screen(pilot: Pilot, demo: Demo) -> None:
    await _keys(pilot, "question_mark")


async def events_view(pilot: Pilot, demo: Demo) -> None:
    # Let simulated time pass so running comparisons finish and transitions are recorded.
    app = pilot.app
    for _ in range(5):
        demo.clock.advance(60)
        await app.refresh_now()  # type: ignore[attr-defined]
    app.clear_notifications()
    await _keys(pilot, "v")


async def shanghai_down(pilot: Pilot, demo: MultiDemo) -> None:  # type: ignore[override]
    # Shanghai stops answering: its jobs are marked stale, Beijing's stay fresh.
    app = pilot.app
    demo.cores[1].faults.add("refuse=1")
    for _ in range(4):
        demo.clock.advance(60)
        await app.refresh_now()  # type: ignore[attr-defined]
    app.clear_notifications()
    await _settle(pilot)


async def differences(pilot: Pilot, demo: Demo) -> None:
    await _select(pilot, JOB_A)
    await _keys(pilot, "enter")
    table = pilot.app.monitor.detail_pane.query_one(DataCompareTable)  # type: ignore[attr-defined]
    table.focus()
    table.move_to(f"{CONTENTS_COMPARE_A}/orders.invoices")
    await pilot.pause()
    await _keys(pilot, "enter")


async def compare_lifecycle(pilot: Pilot, demo: Demo) -> None:
    world = demo.core.world
    world.add_comparison(world.project.jobs[JOB_A], "contents", demo.clock.now() - 20,
                         compare_id="5e1f0c3a-0000-4000-8000-00000000c0de", outcome="SUCCESSFUL")
    await pilot.app.refresh_now()  # type: ignore[attr-defined]
    await _select(pilot, JOB_A)
    await _keys(pilot, "x")


async def compare_policy(pilot: Pilot, demo: Demo) -> None:
    await _select(pilot, JOB_A)
    await _settle(pilot)
    await _keys(pilot, "t")
    _radio(pilot, "open")
    await pilot.pause()


async def parent_children(pilot: Pilot, demo: Demo) -> None:
    parent = next(j for j in demo.core.world.project.jobs.values() if j.mode_role == "parent")
    await _select(pilot, parent.id)
    await _settle(pilot)


# Shots whose world has multi-task (parent/child) jobs.
FAMILY_SHOTS = frozenset({"parent-children"})

async def cutover_readiness(pilot: Pilot, demo: Demo) -> None:
    # Four simulated minutes: DRS-orders-mysql-001 catches up, stays steady for 2 min: GO.
    app = pilot.app
    for _ in range(24):
        demo.clock.advance(10)
        await app.refresh_now()  # type: ignore[attr-defined]
    await _select(pilot, demo.job_id("DRS-orders-mysql-001"))
    app.clear_notifications()
    await pilot.pause()


SHOTS: list[tuple[str, tuple[int, int], Steps]] = [
    ("cutover-readiness", (120, 40), cutover_readiness),
    ("jobs-overview", (120, 36), jobs_overview),
    ("inconsistent-comparison", (120, 36), inconsistent_comparison),
    ("object-drill-down", (120, 36), object_drill_down),
    ("small-80x24", (80, 24), jobs_overview),
    ("small-80x24-detail", (80, 24), small_detail),
    ("help", (120, 36), help_screen),
    ("create-comparison", (100, 30), create_comparison),
    ("confirm-request", (100, 30), confirmation),
    ("export-report", (100, 30), export_report),
    ("exports", (100, 30), exports_after_export),
    ("sms-export", (100, 30), sms_export),
    ("events", (120, 30), events_view),
    ("multi-scope", (120, 36), shanghai_down),  # type: ignore[list-item]
    ("differences", (120, 36), differences),
    ("compare-lifecycle", (100, 30), compare_lifecycle),
    ("compare-policy", (100, 30), compare_policy),
    ("parent-children", (120, 36), parent_children),
]
MULTI = {"multi-scope"}


async def make_screenshots(out_dir: Path, only: set[str] | None = None) -> list[Path]:
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    here = Path.cwd()
    with tempfile.TemporaryDirectory() as scratch:
        os.chdir(scratch)  # downloads land in ./downloads, shown as such
        try:
            for name, size, steps in SHOTS:
                if only and name not in only:
                    continue
                demo = (MultiDemo(Path("downloads")) if name in MULTI
                        else Demo(Path("downloads"), multi_task_jobs=1 if name in FAMILY_SHOTS else 0))
                try:
                    async with demo.app.run_test(size=size) as pilot:
                        await _settle(pilot)
                        await steps(pilot, demo)
                        path = out_dir / f"{name}.svg"
                        demo.app.save_screenshot(filename=path.name, path=str(out_dir))
                        written.append(path)
                finally:
                    await demo.session.aclose()
        finally:
            os.chdir(here)
    return written


def main() -> int:
    os.environ.setdefault("TZ", "UTC")
    time.tzset()
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    only = set(sys.argv[2:]) or None
    for path in asyncio.run(make_screenshots(out_dir, only)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
