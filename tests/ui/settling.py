"""Wait until the screen stops changing, on an idle machine or a busy one.

A key press or a cursor move can start workers (the compare-policy reader, a detail load) whose
results are painted by messages; a single ``pilot.pause()`` can return before they finish when the
CPU is busy. ``settle`` joins the first poll, then waits for workers, messages and animations
(a focused field scrolls into view) until a round starts no new worker.
"""

from __future__ import annotations

from typing import Any


async def settle(pilot: Any) -> None:
    app = pilot.app
    if getattr(app, "received", True) is None:
        # The first poll may not have started when the pilot gets here: join it (or start it).
        await app.refresh_now()
    for _ in range(20):
        await app.workers.wait_for_complete()
        await pilot.pause()
        # A focused field scrolls into view with an animation: on a busy machine it may still
        # be gliding after a pause.
        await pilot.wait_for_scheduled_animations()
        if all(worker.is_finished for worker in app.workers):
            return
    raise AssertionError("the app kept starting workers; it never settled")


async def press_settled(pilot: Any, *keys: str) -> None:
    """Press each key as a person would: after the screen has answered the one before."""
    for key in keys:
        await pilot.press(key)
        await settle(pilot)


def after_keys(*keys: str) -> Any:
    """A ``run_before`` for ``snap_compare``: settle, then press the keys one by one."""

    async def steps(pilot: Any) -> None:
        await settle(pilot)
        await press_settled(pilot, *keys)

    return steps
