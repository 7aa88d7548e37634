"""Stale data looks stale: the bar with the next step, dimmed and marked rows, an empty table that
says why, and `i` with the full story of the connection."""

from __future__ import annotations

from datetime import timedelta

from drstui.monitor.snapshot import Connection, LinkState
from drstui.ui.app import DrsTuiApp
from drstui.ui.jobs_pane import JobsPane
from drstui.ui.link_status import ConnectionScreen, LinkBar

from .fakes import NOW, ScriptedSource, fixed_clock, snapshot

STALE = Connection(
    LinkState.STALE, reason="drs.cn-north-4.example.test: connection refused",
    since=NOW - timedelta(minutes=4), next_retry_at=NOW + timedelta(seconds=20),
    host="drs.cn-north-4.example.test", details=("exception: ApiError: connection failed: [Errno 111]",),
    last_success=NOW - timedelta(minutes=4, seconds=5), failures=6,
)
AUTH = Connection(LinkState.AUTH_FAILED, reason="credentials refused by iam.example.test: HTTP 401",
                  since=NOW, host="iam.example.test")


def _app(source: ScriptedSource) -> DrsTuiApp:
    return DrsTuiApp(source, profile_label="prod", clock=fixed_clock, auto_refresh=False)


def _bar(app: DrsTuiApp) -> str:
    bar = app.monitor.query_one(LinkBar)
    return str(bar.render()) if bar.has_class("-shown") else ""


async def test_stale_rows_are_dimmed_and_marked_and_a_bar_says_what_next() -> None:
    source = ScriptedSource([snapshot(), snapshot(connection=STALE, taken_at=NOW - timedelta(minutes=4, seconds=5))])
    app = _app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        jobs = app.monitor.query_one(JobsPane)
        assert not jobs.has_class("-stale") and _bar(app) == ""
        await app.refresh_now()
        await pilot.pause()
        assert jobs.has_class("-stale")
        assert "STALE, as of" in str(jobs.border_title)
        bar = _bar(app)
        assert "STALE: data 4m05s old" in bar
        assert "connection refused" in bar and "r: retry now" in bar and "i: details" in bar
        assert jobs.query_one("#jobs-empty").display is False or not jobs.has_class("-empty-reason")


async def test_an_empty_table_after_auth_failed_says_why_and_what_to_do() -> None:
    source = ScriptedSource([snapshot(connection=AUTH, jobs=(), taken_at=None)])
    app = _app(source)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        jobs = app.monitor.query_one(JobsPane)
        assert jobs.has_class("-empty-reason")
        said = str(jobs.query_one("#jobs-empty").render())
        assert "credentials were refused" in said and "then press r" in said
        assert "fix the credentials" in _bar(app) and "then press r" in _bar(app)


async def test_i_shows_the_full_reason_the_host_the_last_good_refresh_and_the_next_retry() -> None:
    source = ScriptedSource([snapshot(connection=STALE, taken_at=NOW - timedelta(minutes=4, seconds=5))])
    app = _app(source)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("i")
        await pilot.pause()
        assert isinstance(app.screen, ConnectionScreen)
        text = "\n".join(app.screen.lines)
        assert "Reason: drs.cn-north-4.example.test: connection refused" in text
        assert "Endpoint: drs.cn-north-4.example.test" in text
        assert "Last good refresh:" in text and "4m05s ago" in text
        assert "Next retry:" in text and "in 20s" in text
        assert "[Errno 111]" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, ConnectionScreen)
