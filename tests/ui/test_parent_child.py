"""Multi-task jobs end to end against the simulator: children nested under their parent with a
rolled-up verdict; key c on a parent offers its children and creates the comparison on one."""

from __future__ import annotations

import json

from textual.widgets import OptionList

from drstui.monitor.snapshot import Verdict
from drstui.ui.dialogs.child_picker import ChildPickerScreen
from drstui.ui.dialogs.confirm import ConfirmRequestScreen
from drstui.ui.dialogs.create_comparison import CreateComparisonScreen

from .sim_app import DIALOG, make_rig, select_job, settle


def family(rig):  # type: ignore[no-untyped-def]
    parent = next(j for j in rig.core.world.project.jobs.values() if j.mode_role == "parent")
    return parent, list(parent.children)


async def test_children_sit_under_their_parent_with_a_rolled_up_verdict(tmp_path) -> None:
    rig = make_rig(tmp_path, multi_task_jobs=1)
    parent, (child1, child2) = family(rig)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        await settle(pilot)
        order = app.monitor.jobs_pane.visible_job_ids
        at = order.index(parent.id)
        # Right under the parent, in the pane's own order (severity: the failed child first).
        assert order[at + 1:at + 3] == [child2.id, child1.id]
        view = app.snapshot.job(parent.id)
        assert set(view.child_ids) == {child1.id, child2.id}
        # child2's job failed: the parent reads failed, whatever its own comparisons say.
        assert view.verdict is Verdict.FAILED
        assert app.snapshot.job(child1.id).parent_id == parent.id
        table = app.monitor.jobs_pane.table
        assert str(table.get_cell(child1.id, "name")).startswith(" └ ")
        assert str(table.get_cell(parent.id, "name")).endswith("▾2")


async def test_create_on_a_parent_offers_its_children(tmp_path) -> None:
    rig = make_rig(tmp_path, multi_task_jobs=1)
    parent, (child1, _child2) = family(rig)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        await settle(pilot)
        await select_job(pilot, parent.id)
        await pilot.press("c")
        await settle(pilot)
        picker = app.screen
        assert isinstance(picker, ChildPickerScreen)
        assert picker.query_one(OptionList).option_count == 2
        options = picker.query_one(OptionList)
        options.highlighted = next(i for i in range(options.option_count)
                                   if options.get_option_at_index(i).id == child1.id)
        await pilot.press("enter")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, CreateComparisonScreen) and form.job.id == child1.id
        await pilot.click("#cc-send")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmRequestScreen)
        await pilot.press("y")
        await settle(pilot)
        sent = rig.requests("drs.create_compare_task")
        assert len(sent) == 1 and json.loads(sent[0].request.body)["job_id"] == child1.id


async def test_the_parent_itself_is_refused_before_sending(tmp_path) -> None:
    rig = make_rig(tmp_path, multi_task_jobs=1)
    parent, (child1, child2) = family(rig)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        await settle(pilot)
        from drstui.api.models import CreateCompareTaskRequest
        from drstui.monitor.actions import ActionRefused

        try:
            app.actions.check_comparison(CreateCompareTaskRequest(parent.id, object_level=True))
        except ActionRefused as error:
            assert child1.name in str(error) and child2.name in str(error)
        else:
            raise AssertionError("a comparison on a parent was not refused")
        await select_job(pilot, parent.id)
        await pilot.press("x")
        await settle(pilot)
        assert any("multi-task parent" in n.message for n in app._notifications)
        assert rig.requests("drs.create_compare_task") == []
