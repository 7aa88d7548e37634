"""Snapshot tests of the comparison-lifecycle views on the simulator (seed 7, simulated clock
standing still) at 80x24 and 120x40: the row-level differences of a value comparison and the
cancel/pause/restart dialog.

Update with `pytest tests/ui/test_lifecycle_snapshots.py --snapshot-update` and look at the
SVGs before committing them."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import RadioButton

from drstui.sim.world import CONTENTS_COMPARE_A, JOB_A
from drstui.ui.detail_pane import DataCompareTable

from .sim_app import make_rig, select_job, settle

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def rig(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rig = make_rig(Path("downloads"))
    yield rig
    asyncio.run(rig.session.aclose())


async def differences(pilot: Pilot) -> None:
    await settle(pilot)
    await select_job(pilot, JOB_A)
    await pilot.press("enter")
    await settle(pilot)
    table = pilot.app.monitor.detail_pane.query_one(DataCompareTable)  # type: ignore[attr-defined]
    table.focus()
    table.move_to(f"{CONTENTS_COMPARE_A}/orders.invoices")
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES)
def test_differences_view(snap_compare, rig, size) -> None:
    assert snap_compare(rig.app(), terminal_size=size, run_before=differences)


@pytest.mark.parametrize("size", SIZES)
def test_compare_lifecycle_dialog(snap_compare, rig, size) -> None:
    job = rig.core.world.project.jobs[JOB_A]
    rig.core.world.add_comparison(job, "contents", rig.clock.now() - 20, compare_id="5e1f0c3a-0000-4000-8000-00000000c0de",
                                  outcome="SUCCESSFUL")

    async def steps(pilot: Pilot) -> None:
        await settle(pilot)
        await select_job(pilot, JOB_A)
        await pilot.press("x")
        await settle(pilot)

    assert snap_compare(rig.app(), terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", SIZES)
def test_compare_policy_form(snap_compare, rig, size) -> None:
    async def steps(pilot: Pilot) -> None:
        await settle(pilot)
        await select_job(pilot, JOB_A)
        await settle(pilot)
        await pilot.press("t")
        await settle(pilot)
        form = pilot.app.screen
        next(b for b in form.query(RadioButton) if b.name == "open").value = True
        form.query_one("#cp-end").value = "25:00:00"  # type: ignore[attr-defined]
        await settle(pilot)

    assert snap_compare(rig.app(), terminal_size=size, run_before=steps)


@pytest.mark.parametrize("size", SIZES)
def test_parent_with_children(snap_compare, tmp_path, monkeypatch, size) -> None:
    monkeypatch.chdir(tmp_path)
    family = make_rig(Path("downloads"), multi_task_jobs=1)
    parent = next(j for j in family.core.world.project.jobs.values() if j.mode_role == "parent")

    async def steps(pilot: Pilot) -> None:
        await settle(pilot)
        await select_job(pilot, parent.id)
        await settle(pilot)

    try:
        assert snap_compare(family.app(), terminal_size=size, run_before=steps)
    finally:
        asyncio.run(family.session.aclose())
