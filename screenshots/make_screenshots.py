"""Make SVG screenshots of the real app: `python screenshots/make_screenshots.py [out_dir]`.

The data source is built by `make_source()`: for now the scripted fake of the UI tests; switch
it to the simulator-backed MonitorSource there (one line) once that exists.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from textual.pilot import Pilot  # noqa: E402

from drstui.monitor.source import MonitorSource  # noqa: E402
from drstui.ui.app import DrsTuiApp  # noqa: E402
from tests.ui.fakes import ScriptedSource, fixed_clock  # noqa: E402


def make_source() -> MonitorSource:
    return ScriptedSource()  # integrator: replace with the simulator-backed source


Steps = Callable[[Pilot], Awaitable[None]]


async def _keys(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


SHOTS: list[tuple[str, tuple[int, int], Steps]] = [
    ("jobs-overview", (120, 36), lambda pilot: _keys(pilot)),
    ("inconsistent-comparison", (120, 36), lambda pilot: _keys(pilot, "down", "enter")),
    ("object-drill-down", (120, 36), lambda pilot: _keys(pilot, "down", "enter", "down", "enter")),
    ("exports", (120, 36), lambda pilot: _keys(pilot, "3")),
    ("small-80x24", (80, 24), lambda pilot: _keys(pilot)),
    ("small-80x24-detail", (80, 24), lambda pilot: _keys(pilot, "down", "2")),
    ("help", (120, 36), lambda pilot: _keys(pilot, "question_mark")),
]


async def make_screenshots(
    out_dir: Path,
    source_factory: Callable[[], MonitorSource] = make_source,
    clock: Callable[[], datetime] = fixed_clock,
) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for name, size, steps in SHOTS:
        app = DrsTuiApp(source_factory(), profile_label="demo", clock=clock, auto_refresh=False)
        async with app.run_test(size=size) as pilot:
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            await steps(pilot)
            path = out_dir / f"{name}.svg"
            app.save_screenshot(filename=path.name, path=str(out_dir))
            written.append(path)
    return written


def main() -> int:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent
    for path in asyncio.run(make_screenshots(out_dir)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
