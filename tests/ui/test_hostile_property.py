"""Property: whatever text the API sends in any name, status or message (markup brackets, C0/C1
controls, bidi overrides, lone surrogates, very long), the app keeps running and its screen
shows no control character: jobs, detail, exports, header, notifications, events view and the
object drill-down."""

from __future__ import annotations

import asyncio
import dataclasses
import re
from enum import Enum
from typing import Any, Callable

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from textual.widgets import Input

from drstui.monitor.changes import Transition
from drstui.monitor.snapshot import Connection, LinkState, ObjectDetailRow, TypeResult
from drstui.sim.hostile import HOSTILE_TEXTS
from drstui.ui.app import DrsTuiApp
from tests.ui.fakes import NOW, HistorySource, snapshot

CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
# Fields that identify rather than describe: the tables are keyed by them, the app looks jobs up.
IDENTITY = frozenset({"id", "key", "job_id", "compare_job_id"})
DANGEROUS = "[]/@=\\\x1b\x07\x9b\u202e\u2066\u2028\n\r\t\x00ab\u8ba2"

texts = st.one_of(
    st.sampled_from(HOSTILE_TEXTS),
    st.text(st.characters(categories=["Cc", "Cf", "Cs", "Zl", "Zp", "Lo", "Ps", "Pe"]), max_size=30),
    st.text(st.sampled_from(DANGEROUS), max_size=40),
    st.text(st.sampled_from(DANGEROUS), min_size=1, max_size=4).map(lambda s: s * 150),  # very long
)


def with_texts(value: Any, draw: Callable[[], str]) -> Any:
    """`value` with every descriptive string (names, statuses, messages) drawn anew."""
    if isinstance(value, Enum):
        return value
    if isinstance(value, str):
        return draw()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: with_texts(getattr(value, f.name), draw)
                   for f in dataclasses.fields(value) if f.init and f.name not in IDENTITY}
        return dataclasses.replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(with_texts(item, draw) for item in value)
    return value


def screen_text(app: DrsTuiApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def assert_clean(app: DrsTuiApp) -> None:
    found = CONTROL.findall(screen_text(app))
    assert not found, f"control characters on screen: {found!r}"


async def look_everywhere(source: HistorySource, message: str, object_type: str,
                          profile: str = "prod") -> None:
    app = DrsTuiApp(source, profile_label=profile, clock=lambda: NOW, auto_refresh=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.refresh_now()
        await app.refresh_now()  # the hostile Snapshot: its transitions alert
        await pilot.pause()
        app.notify(message, title=message, severity="error")
        await pilot.pause()
        for job_id in list(app.monitor.jobs_pane.visible_job_ids):
            app.show_job_detail(job_id)
            await pilot.pause()
            assert_clean(app)
        await pilot.press("v")
        await pilot.pause()
        assert_clean(app)
        await pilot.press("escape")
        await pilot.pause()
        # What the user types into the filter is shown in its title as typed.
        await pilot.press("1", "slash")
        app.query_one("#jobs-filter", Input).value = message
        await pilot.pause()
        assert_clean(app)
        await pilot.press("escape")
        await pilot.pause()
        for key in ("3", "question_mark"):  # the exports pane, the help screen
            await pilot.press(key)
            await pilot.pause()
            assert_clean(app)
        await pilot.press("escape")
        await pilot.pause()
        app.open_object_detail(app.snapshot.jobs[0].id, app.snapshot.jobs[0].name, object_type, None)
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert_clean(app)
        assert app.is_running and app.return_code is None


@settings(max_examples=10, deadline=None, derandomize=True,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(data=st.data())
def test_any_text_from_the_api_keeps_the_app_running_and_the_screen_clean(data: st.DataObject) -> None:
    def draw() -> str:
        return data.draw(texts)

    base = snapshot()
    hostile = with_texts(base, draw)
    hostile = dataclasses.replace(hostile, connection=Connection(LinkState.STALE, reason=draw(), since=NOW))
    earlier = [Transition(NOW, None, draw(), None, draw(), draw(), draw(), severity=draw(), message=draw())]
    source = HistorySource([base, hostile], earlier=earlier)
    source.details = {}
    object_type = draw()
    source.details[object_type] = (ObjectDetailRow(draw(), draw(), draw(), draw(), TypeResult.INCONSISTENT, draw()),)
    asyncio.run(look_everywhere(source, draw(), object_type, profile=draw() or "p"))


async def test_an_answer_that_repeats_ids_and_names_is_shown_whole() -> None:
    """Two jobs with one id, an object type and a table listed twice: every row is shown."""
    base = snapshot()
    job = base.jobs[0]
    doubled = dataclasses.replace(
        job,
        object_comparison=dataclasses.replace(job.object_comparison,
                                              rows=job.object_comparison.rows * 2),
        data_comparisons=tuple(dataclasses.replace(c, tables=c.tables * 2) for c in job.data_comparisons),
    )
    hostile = dataclasses.replace(base, jobs=(doubled, doubled, *base.jobs[1:]))
    app = DrsTuiApp(HistorySource([base, hostile]), profile_label="prod", clock=lambda: NOW, auto_refresh=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.refresh_now()
        await app.refresh_now()
        await pilot.pause()
        assert app.monitor.jobs_pane.table.row_count == len(base.jobs) + 1
        app.show_job_detail(job.id)
        await pilot.pause()
        assert app.is_running
