"""What an idle second and a quiet refresh must not do: lay the whole screen out again, redraw a
hidden bar, walk the DOM for the panes (bench/alone.py measures what this saves)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

from rich.text import Text
from textual.app import App, ComposeResult

from drstui.ui.link_status import LinkBar
from drstui.ui.plain import PlainStatic

from .settling import settle
from .sim_app import make_rig

NOW = datetime(2025, 1, 15, 8, 30, tzinfo=timezone.utc)


class StaticApp(App[None]):
    CSS = "PlainStatic { height: auto; }"

    def compose(self) -> ComposeResult:
        yield PlainStatic("lag 1.2 s\nupdated 3 s ago", id="text")
        yield LinkBar()


async def test_same_height_text_repaints_without_a_layout():
    app = StaticApp()
    async with app.run_test(size=(60, 10)) as pilot:
        static = app.query_one(PlainStatic)
        await pilot.pause()
        before = static._layout_updates
        static.update_in_place(Text("lag 9.9 s\nupdated 1 s ago"))
        assert static._layout_updates == before  # two lines stay two lines: no layout
        await pilot.pause()
        assert "lag 9.9 s" in app.screen._compositor.render_strips()[0].text

        static.update_in_place(Text("lag 9.9 s\nupdated 1 s ago\nsource link down"))
        assert static._layout_updates == before + 1  # a third line: laid out again
        await pilot.pause()
        assert static.size.height == 3
        assert "source link down" in app.screen._compositor.render_strips()[2].text


async def test_a_line_that_wraps_counts_as_taller():
    app = StaticApp()
    async with app.run_test(size=(20, 10)) as pilot:
        static = app.query_one(PlainStatic)
        await pilot.pause()
        before = static._layout_updates
        static.update_in_place(Text("a much longer first line\nupdated 3 s ago"))  # wraps at 20
        assert static._layout_updates == before + 1
        await pilot.pause()
        assert static.size.height >= 3


async def test_a_hidden_link_bar_ignores_the_clock():
    app = StaticApp()
    async with app.run_test(size=(60, 10)) as pilot:
        bar = app.query_one(LinkBar)
        await pilot.pause()
        bar.show(None, NOW, NOW)
        await pilot.pause()
        bar._repaint_required = False
        for second in range(1, 5):
            bar.show(None, NOW, NOW + timedelta(seconds=second))  # the 1 Hz tick, nothing wrong
        assert not bar._repaint_required and not bar.has_class("-shown")


async def test_a_quiet_refresh_lays_nothing_out(tmp_path: Path):
    """Refreshes that change figures but no heights repaint, without a full layout."""
    rig = make_rig(tmp_path, jobs=20)
    app = rig.app()
    try:
        async with app.run_test(size=(120, 36)) as pilot:
            for _ in range(2):
                rig.clock.advance(5)
                await app.refresh_now()
                await settle(pilot)
            detail = app.monitor.detail_pane
            statics = list(detail.query(PlainStatic))
            before = [s._layout_updates for s in statics]
            shown = [s.render() for s in statics]
            for _ in range(3):
                rig.clock.advance(5)
                await app.refresh_now()
                await settle(pilot)
            assert [s._layout_updates for s in statics] == before
            assert [s.render() for s in statics] != shown  # the figures did change
    finally:
        await rig.session.aclose()


class FooterApp(App[None]):
    BINDINGS = [("q", "quit", "Quit"), ("r", "refresh", "Refresh"), ("p", "pause", "Pause"),
                ("question_mark", "help", "Help")]

    def __init__(self, footer) -> None:  # type: ignore[no-untyped-def]
        super().__init__()
        self._footer = footer

    def compose(self) -> ComposeResult:
        yield self._footer


async def _footer_restyles(footer) -> tuple[int, list[bool]]:  # type: ignore[no-untyped-def]
    """Style passes the footer's keys ask for when the footer builds its keys again (as it does
    whenever the screen's bindings change), and whether each key looks compact."""
    from textual.widgets._footer import FooterKey

    app = FooterApp(footer)
    async with app.run_test(size=(60, 5)) as pilot:
        await pilot.pause()
        restyled: list[object] = []
        update_styles = app.update_styles

        def counting(node=None, animate=True):  # type: ignore[no-untyped-def]
            if isinstance(node, FooterKey):
                restyled.append(node)
            return update_styles(node, animate=animate)

        app.update_styles = counting  # type: ignore[method-assign]
        footer.call_later(footer.recompose)  # from the footer, as its bindings_changed does
        await settle(pilot)
        return len(restyled), [key.has_class("-compact") for key in footer.query(FooterKey)]


async def test_the_compact_footer_builds_its_keys_compact_without_a_style_pass_each():
    from textual.widgets import Footer

    from drstui.ui.compact_footer import CompactFooter

    passes, compact = await _footer_restyles(CompactFooter())
    assert passes == 0 and compact and all(compact)
    # Textual's own compact footer asks for one per key: what the subclass saves.
    passes, compact = await _footer_restyles(Footer(compact=True))
    assert passes >= len(compact) > 0 and all(compact)
