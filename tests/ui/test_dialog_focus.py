"""The dialogs at the keyboard: focus seen without colour, toggles that say their state in
characters, a database list that answers Space at once, a form that does not move when a field
takes the focus, and buttons and problems on screen down to 60x15."""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, RadioButton, RadioSet, SelectionList, Static
from textual.widgets._toggle_button import ToggleButton

from drstui.sim.world import JOB_A
from drstui.ui.dialogs.create_comparison import CreateComparisonScreen

from .sim_app import DIALOG, make_rig, select_job, settle

SMALLEST = (60, 15)


async def open_form(pilot) -> CreateComparisonScreen:  # type: ignore[no-untyped-def]
    await settle(pilot)
    await select_job(pilot, JOB_A)
    await pilot.press("c")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CreateComparisonScreen)
    return screen


def rows(app) -> list[str]:  # type: ignore[no-untyped-def]
    return [strip.text for strip in app.screen._compositor.render_strips()]


def shown(app, widget: Widget) -> str:  # type: ignore[no-untyped-def]
    """The characters the terminal shows where the widget is."""
    region = widget.region
    lines = rows(app)[region.y:region.bottom]
    return "\n".join(line[region.x:region.right] for line in lines)


def fully_visible(app, widget: Widget) -> bool:  # type: ignore[no-untyped-def]
    """On the screen, with every container around it showing all of it."""
    region = widget.region
    if region.area == 0 or not app.screen.region.contains_region(region):
        return False
    return all(node.region.contains_region(region) for node in widget.ancestors
               if isinstance(node, Widget) and node is not app.screen)


async def test_space_on_the_freshly_focused_database_list_picks_the_first_database(tmp_path) -> None:
    rig = make_rig(tmp_path)
    async with rig.app().run_test(size=DIALOG) as pilot:
        form = await open_form(pilot)
        picker = form.query_one("#cc-databases", SelectionList)
        assert picker.option_count == 2
        picker.focus()
        await settle(pilot)
        await pilot.press("space")
        await settle(pilot)
        assert picker.selected == ["orders"]
        assert "orders" in form.read_form().picked_databases
    await rig.session.aclose()


async def test_check_boxes_and_radio_buttons_show_their_state_in_characters(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        form = await open_form(pilot)
        box = form.query_one("#cc-object-level", Checkbox)
        assert box.value
        assert "[x] objects" in shown(app, box)
        box.value = False
        await settle(pilot)
        assert "[ ] objects" in shown(app, box)
        assert "▐" not in shown(app, box) and "▌" not in shown(app, box)

        data_level = shown(app, form.query_one("#cc-data-level", RadioSet))
        assert "(•) none" in data_level and "( ) rows (lines)" in data_level

        picker = form.query_one("#cc-databases", SelectionList)
        picker.select("audit")
        await settle(pilot)
        listed = shown(app, picker)
        assert "[ ] orders" in listed and "[x] audit" in listed
    await rig.session.aclose()


async def test_buttons_and_the_problems_line_stay_on_a_60x15_screen(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=SMALLEST) as pilot:
        form = await open_form(pilot)
        next(b for b in form.query(RadioButton) if b.name == "lines").value = True
        await settle(pilot)
        assert form.problems  # a data-level comparison needs a database
        problems = form.query_one("#cc-problems", Static)
        for widget in (form.query_one("#cc-send", Button), form.query_one("#cc-cancel", Button), problems):
            assert fully_visible(app, widget), f"{widget} at {widget.region} is not all on the {SMALLEST} screen"
        assert "✘ a data-level comparison needs" in shown(app, problems)
        assert "Cancel" in shown(app, form.query_one("#cc-cancel", Button))
        # The last field of the form is reached by scrolling, the buttons stay where they are.
        send_at = form.query_one("#cc-send", Button).region
        objects = form.query_one("#cc-objects", Input)
        objects.focus()
        await settle(pilot)
        assert fully_visible(app, objects)
        assert form.query_one("#cc-send", Button).region == send_at
    await rig.session.aclose()


async def test_focusing_a_field_does_not_move_the_form(tmp_path) -> None:
    rig = make_rig(tmp_path)
    async with rig.app().run_test(size=DIALOG) as pilot:
        form = await open_form(pilot)
        below = form.query_one("#cc-objects", Input)
        form.query_one("#cc-cancel", Button).focus()
        await settle(pilot)
        before = below.region
        for field in ("#cc-object-level", "#cc-data-level", "#cc-conflict", "#cc-start-time", "#cc-databases"):
            form.query_one(field).focus()
            await settle(pilot)
            assert below.region == before, f"focusing {field} moved the form"
    await rig.session.aclose()


async def test_the_focused_field_carries_a_heavy_bar_and_the_others_a_blank_one(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=DIALOG) as pilot:
        form = await open_form(pilot)
        radios = form.query_one("#cc-data-level", RadioSet)
        start = form.query_one("#cc-start-time", Input)
        radios.focus()
        await settle(pilot)
        assert radios.styles.border_left[0] == "heavy"
        assert start.styles.border_left[0] == "blank"
        assert shown(app, radios).startswith("┃")
        assert "┃" not in shown(app, start)
        start.focus()
        await settle(pilot)
        assert radios.styles.border_left[0] == "blank"
        assert shown(app, start).startswith("┃")
    await rig.session.aclose()


async def test_no_choice_runs_off_the_right_edge_of_a_60_column_dialog(tmp_path) -> None:
    rig = make_rig(tmp_path)
    app = rig.app()
    async with app.run_test(size=(60, 40)) as pilot:
        await settle(pilot)
        await select_job(pilot, JOB_A)
        for key in ("c", "t", "e"):
            await pilot.press(key)
            await settle(pilot)
            screen = app.screen
            inside = screen.children[0].content_region  # the box around the form
            toggles = list(screen.query(ToggleButton))
            assert toggles
            for toggle in toggles:
                assert inside.contains_region(toggle.region), f"key {key}: {toggle} at {toggle.region} is cut off"
            await pilot.press("escape")
            await settle(pilot)
    await rig.session.aclose()
