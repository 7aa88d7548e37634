"""Timers and polls that finish while the screen is torn down must not touch missing widgets.

Under load the once-a-second tick or a poll's end can run after Textual has begun removing the
monitor screen's children (quitting): painting then raised NoMatches ('ExportsPane')."""

from __future__ import annotations

import asyncio

from drstui.ui.app import DrsTuiApp
from drstui.ui.exports_pane import ExportsPane

from .fakes import ScriptedSource, fixed_clock


def _app(source: ScriptedSource) -> DrsTuiApp:
    return DrsTuiApp(source, profile_label="prod", clock=fixed_clock, auto_refresh=False)


async def test_tick_and_poll_end_while_the_panes_are_being_removed() -> None:
    source = ScriptedSource()
    app = _app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        # What teardown does, one child at a time: the exports pane is gone first.
        await app.monitor.query_one(ExportsPane).remove()
        app._tick()  # the 1 s timer firing now
        source.gate = asyncio.Event()
        worker = app.request_refresh()
        await pilot.pause()
        source.gate.set()
        await worker.wait()  # the poll's end paints nothing and raises nothing
        assert worker.error is None
        assert app.received is not None and source.calls == 2


async def test_a_poll_that_ends_after_quit_is_dropped_quietly() -> None:
    source = ScriptedSource()
    app = _app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        source.gate = asyncio.Event()
        app.request_refresh()
        await pilot.pause()
        app.exit()
        source.gate.set()
        app._tick()
    assert app.return_code in (0, None)
