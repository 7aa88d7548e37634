"""Scheduled comparisons end to end against the simulator: the detail pane shows the compare
policy, key t edits it through a form that refuses what the API refuses, then the confirmation."""

from __future__ import annotations

import json

from textual.widgets import Button, Checkbox, Input, RadioButton, Static

from drstui.sim.world import JOB_A
from drstui.ui.compare_sections import ComparePolicySection
from drstui.ui.dialogs.compare_policy import ComparePolicyScreen
from drstui.ui.dialogs.confirm import ConfirmRequestScreen
from drstui.ui.monitor_screen import MonitorScreen

from .sim_app import DIALOG, make_rig, select_job, settle


def notes(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [n.message for n in app._notifications]


def section_text(app) -> str:  # type: ignore[no-untyped-def]
    return str(app.monitor.detail_pane.query_one(ComparePolicySection).render())


def tick(form: ComparePolicyScreen, *names: str, on: bool = True) -> None:
    for box in form.query(Checkbox):
        if box.name in names:
            box.value = on


def problems(form: ComparePolicyScreen) -> str:
    return str(form.query_one("#cp-problems", Static).render())


async def open_form(pilot) -> ComparePolicyScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await select_job(pilot, JOB_A)
    await settle(pilot)
    await pilot.press("t")
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, ComparePolicyScreen)
    return form


async def test_policy_shown_then_opened_through_the_form(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        form = await open_form(pilot)
        before = rig.core.world.project.jobs[JOB_A].compare_policy
        assert before is not None
        assert f"Scheduled comparisons: {before.status}" in section_text(app)
        next(b for b in form.query(RadioButton) if b.name == "open").value = True
        tick(form, *(f"day{n}" for n in range(1, 8)), on=False)
        tick(form, "day1", "day3", "day5")
        form.query_one("#cp-begin", Input).value = "21:00:00"
        form.query_one("#cp-end", Input).value = "23:30:00"
        tick(form, "object_comparison", "lines", "account", "contents", on=False)
        tick(form, "lines", "contents")
        form.query_one("#cp-interval", Input).value = "2"
        next(b for b in form.query(RadioButton) if b.name == "ignore").value = True
        await pilot.pause()
        assert form.problems == []
        await pilot.click("#cp-send")
        await pilot.pause()
        confirm = app.screen
        assert isinstance(confirm, ConfirmRequestScreen)
        shown = str(confirm.query_one("#confirm-request-text", Static).render())
        assert f"PUT /v5/054ba152d480d55b2f5dc0069e7ddef0/jobs/{JOB_A}/compare-policy" in shown
        assert rig.requests("drs.update_compare_policy") == []
        await pilot.press("y")
        await settle(pilot)

        sent = rig.requests("drs.update_compare_policy")
        assert len(sent) == 1
        body = json.loads(sent[0].request.body)
        assert body["action"] == "open" and body["period"] == "* * 1,3,5"
        assert body["begin_time"] == "21:00:00" and body["end_time"] == "23:30:00"
        assert body["compare_type"] == ["lines", "contents"]
        assert body["interval_hour"] == 2 and body["conflict_strategy"] == "ignore"
        assert isinstance(app.screen, MonitorScreen)
        await settle(pilot)
        shown = section_text(app)
        assert "OPEN · Mon, Wed, Fri 21:00:00–23:30:00 UTC · every 2 h · lines, contents" in shown
        assert "next run" in shown and "not scheduled" not in shown


async def test_the_form_refuses_what_the_api_refuses(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        form = await open_form(pilot)
        next(b for b in form.query(RadioButton) if b.name == "open").value = True
        tick(form, *(f"day{n}" for n in range(1, 8)), on=False)
        form.query_one("#cp-begin", Input).value = "25:00"
        tick(form, "object_comparison", "lines", "account", "contents", on=False)
        form.query_one("#cp-interval", Input).value = "0"
        await pilot.pause()
        text = problems(form)
        assert "choose at least one weekday" in text
        assert "begin_time must be a UTC time HH:mm:ss" in text
        assert "choose at least one compare type" in text
        assert "interval_hour must be a whole number of hours, at least 1" in text
        assert form.query_one("#cp-send", Button).disabled
        form.action_send()
        await settle(pilot)
        assert app.screen is form and rig.requests("drs.update_compare_policy") == []

        form.query_one("#cp-interval", Input).value = "two"
        await pilot.pause()
        assert "whole number, not 'two'" in problems(form)

        # Closing needs nothing else: the other fields are set aside.
        next(b for b in form.query(RadioButton) if b.name == "close").value = True
        await pilot.pause()
        assert form.problems == []
        await pilot.click("#cp-send")
        await pilot.pause()
        await pilot.press("y", "y")
        await settle(pilot)
        sent = rig.requests("drs.update_compare_policy")
        assert len(sent) == 1 and json.loads(sent[0].request.body) == {"action": "close"}
        assert rig.core.world.project.jobs[JOB_A].compare_policy.status == "CLOSED"


async def test_read_only_shows_the_policy_but_refuses_t(tmp_path) -> None:
    rig = make_rig(tmp_path, read_only=True)
    app = rig.app(read_only=True)
    async with app.run_test(size=DIALOG) as pilot:
        await settle(pilot)
        await select_job(pilot, JOB_A)
        await settle(pilot)
        assert "Scheduled comparisons:" in section_text(app) and "reading" not in section_text(app)
        await pilot.press("t")
        await settle(pilot)
        assert isinstance(app.screen, MonitorScreen)
        assert any("read-only" in n.lower() for n in notes(app))
        assert rig.requests("drs.update_compare_policy") == []
