"""Snapshot tests of the action dialogs and of the exports pane after a completed export, on the
simulator (seed 7, simulated clock standing still, relative download dir so paths are stable).

Update with `pytest tests/ui --snapshot-update` and look at the SVGs before committing them."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, SelectionList

from drstui.sim.world import JOB_A

from .sim_app import DIALOG, make_rig, select_job, settle
from .xterm16 import as_xterm16


@pytest.fixture
def rig(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rig = make_rig(Path("downloads"))
    yield rig
    asyncio.run(rig.session.aclose())


def radio(screen, name: str) -> None:  # type: ignore[no-untyped-def]
    next(b for b in screen.query(RadioButton) if b.name == name).value = True


async def on_job(pilot: Pilot, key: str) -> None:
    await settle(pilot)
    await select_job(pilot, JOB_A)
    await pilot.press(key)
    await settle(pilot)


async def fill_comparison(pilot: Pilot) -> None:
    await on_job(pilot, "c")
    form = pilot.app.screen
    radio(form, "lines")
    form.query_one("#cc-databases", SelectionList).select("orders")
    form.query_one("#cc-objects", Input).value = "audit.events, audit.logins"
    await settle(pilot)


async def confirm_comparison(pilot: Pilot) -> None:
    await fill_comparison(pilot)
    await pilot.click("#cc-send")
    await settle(pilot)


async def export_dialog(pilot: Pilot) -> None:
    await on_job(pilot, "e")
    radio(pilot.app.screen, "contents")
    await settle(pilot)


async def sms_dialog(pilot: Pilot) -> None:
    await settle(pilot)
    await pilot.press("s")
    await settle(pilot)
    await pilot.press("space", "down", "down", "space")
    await settle(pilot)


async def completed_export(pilot: Pilot, rig) -> None:  # type: ignore[no-untyped-def]
    await export_dialog(pilot)
    await pilot.click("#ex-send")
    await settle(pilot)
    await pilot.press("y")
    await settle(pilot)
    app = pilot.app
    await app.refresh_now()
    rig.clock.advance(6)
    await app.refresh_now()
    await rig.session.exports.wait_idle()
    await app.refresh_now()
    app.clear_notifications()
    await settle(pilot)


def test_create_comparison_dialog(snap_compare, rig) -> None:
    assert snap_compare(rig.app(), terminal_size=DIALOG, run_before=fill_comparison)


def test_create_comparison_dialog_60x15(snap_compare, rig) -> None:
    """The smallest supported screen: the form scrolls, the problems line and the buttons stay."""

    async def steps(pilot: Pilot) -> None:
        await on_job(pilot, "c")
        radio(pilot.app.screen, "lines")
        await settle(pilot)

    assert snap_compare(rig.app(), terminal_size=(60, 15), run_before=steps)


def test_focused_radio_set_in_16_colours(snap_compare, rig) -> None:
    """Tab from the check box to the data-level radio set: the heavy bar and the reversed choice
    show where the focus is on a 16-colour terminal too."""

    async def steps(pilot: Pilot) -> None:
        await on_job(pilot, "c")
        await pilot.press("tab")
        await settle(pilot)
        await pilot.press("right")
        await settle(pilot)

    assert snap_compare(as_xterm16(rig.app()), terminal_size=(80, 24), run_before=steps)


def test_create_comparison_refused_for_a_failed_job(snap_compare, rig) -> None:
    async def steps(pilot: Pilot) -> None:
        await settle(pilot)
        await select_job(pilot, rig.job_id("DRS-billing-sync"))
        await pilot.press("c")
        await settle(pilot)

    assert snap_compare(rig.app(), terminal_size=DIALOG, run_before=steps)


def test_confirmation(snap_compare, rig) -> None:
    assert snap_compare(rig.app(), terminal_size=DIALOG, run_before=confirm_comparison)


def test_export_dialog(snap_compare, rig) -> None:
    assert snap_compare(rig.app(), terminal_size=DIALOG, run_before=export_dialog)


def test_sms_export_dialog(snap_compare, rig) -> None:
    assert snap_compare(rig.app(), terminal_size=DIALOG, run_before=sms_dialog)


def test_exports_pane_after_a_completed_export(snap_compare, rig) -> None:
    assert snap_compare(rig.app(), terminal_size=DIALOG, run_before=lambda pilot: completed_export(pilot, rig))
