"""Read-only advertises no action keys; the command palette lists our entries, not Textual's
"Keys" twice or a Screenshot that fails without ~/Downloads."""

from __future__ import annotations

from drstui.ui.app import DrsTuiApp

from .fakes import ScriptedSource, fixed_clock


def _footer_keys(app: DrsTuiApp) -> set[str]:
    return {binding.key for _, binding, enabled, _ in app.screen.active_bindings.values()
            if binding.show and enabled is not False}


async def test_read_only_footer_has_no_action_keys() -> None:
    for read_only, expected in ((False, True), (True, False)):
        app = DrsTuiApp(ScriptedSource(), profile_label="prod", clock=fixed_clock, auto_refresh=False,
                        read_only=read_only)
        async with app.run_test(size=(120, 36)) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            keys = _footer_keys(app)
            assert ({"c", "e", "s"} <= keys) is expected, keys
            assert "q" in keys and "r" in keys


async def test_palette_has_one_keys_entry_and_no_screenshot() -> None:
    app = DrsTuiApp(ScriptedSource(), profile_label="prod", clock=fixed_clock, auto_refresh=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert titles.count("Keys") == 1
        assert "Screenshot" not in titles
        assert "Connection details" in titles
