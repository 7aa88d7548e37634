"""A hung API shows at once: the header stops saying OK as soon as a refresh has waited longer
than it should (the interval, at least 5 s), not when the call deadline turns the data stale."""

from __future__ import annotations

import asyncio

from drstui.ui.app import DrsTuiApp
from drstui.ui.header import StatusLine, header_text

from tests.ui.fakes import NOW, Clock, ScriptedSource, snapshot

WIDE = (160, 40)


def header(app: DrsTuiApp) -> str:
    return header_text(app.screen.query_one(StatusLine).state, 200).plain


async def test_a_refresh_without_an_answer_is_shown_overdue_then_ok_again() -> None:
    clock = Clock(NOW)
    source = ScriptedSource([snapshot()])
    app = DrsTuiApp(source, profile_label="prod", clock=clock, auto_refresh=False,  # type: ignore[arg-type]
                    refresh_seconds=5.0)
    async with app.run_test(size=WIDE) as pilot:
        await app.refresh_now()
        await pilot.pause()
        assert "● OK" in header(app)

        source.gate = asyncio.Event()  # the API stops answering
        worker = app.request_refresh()
        await pilot.pause()
        assert source.in_flight == 1
        clock.advance(4.0)
        app._tick()
        assert "● OK" in header(app)  # a refresh may take a few seconds

        clock.advance(2.0)
        app._tick()
        text = header(app)
        assert "● OK" not in text and "◔ OVERDUE, no answer for 6s" in text

        source.gate.set()  # the answer arrives
        await worker.wait()
        await pilot.pause()
        assert "● OK" in header(app) and "OVERDUE" not in header(app)


async def test_a_slow_interval_is_not_overdue_before_its_own_length() -> None:
    clock = Clock(NOW)
    source = ScriptedSource([snapshot()])
    app = DrsTuiApp(source, profile_label="prod", clock=clock, auto_refresh=False,  # type: ignore[arg-type]
                    refresh_seconds=30.0)
    async with app.run_test(size=WIDE) as pilot:
        await app.refresh_now()
        source.gate = asyncio.Event()
        worker = app.request_refresh()
        await pilot.pause()
        clock.advance(20.0)
        app._tick()
        assert "● OK" in header(app)
        clock.advance(10.0)
        app._tick()
        assert "OVERDUE" in header(app)
        source.gate.set()
        await worker.wait()
