"""Cutover readiness on screen: the go/no-go line (every layout, 80x24 and 120x40), the lag
column, the detail pane's replication block, and the alerts when the verdict changes."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest
from textual.pilot import Pilot

from drstui.monitor.snapshot import (
    Connection,
    CutoverReadiness,
    LinkState,
    Readiness,
    ReadinessVerdict,
    Replication,
)
from drstui.ui.app import DrsTuiApp
from drstui.ui.formatting import DASH
from drstui.ui.theme import Tone
from drstui.ui.readiness_view import GoNoGoLine, GoNoGoState, go_no_go_line, lag_cell, state_of, verdict_cell

from .fakes import CRM_ID, NOW, ORDERS_ID, ScriptedSource, fixed_clock, replace_job, snapshot, with_readiness
from .settling import settle

SMALL, BIG = (80, 24), (120, 40)


def make_app(source: ScriptedSource) -> DrsTuiApp:
    return DrsTuiApp(source, profile_label="prod", clock=fixed_clock, auto_refresh=False)


settled = settle


def line_text(app: DrsTuiApp) -> str:
    line = app.screen.query_one(GoNoGoLine)
    return go_no_go_line(line.state, line.size.width).plain


# -- units ------------------------------------------------------------------------------------
def cutover(verdict: Readiness, *reasons: str, ready: int = 3, total: int = 5) -> CutoverReadiness:
    return CutoverReadiness(verdict, reasons, ready=ready, total=total)


def test_the_line_says_go_or_no_go_in_words_and_glyphs():
    no_go = GoNoGoState(cutover(Readiness.NOT_READY, "orders-sync: lag 42 s > 5 s", "billing: row comparison: "
                                "2 tables differ"), LinkState.OK, NOW)
    assert go_no_go_line(no_go, 120).plain == (
        " ✘ NO-GO  3/5 ready · orders-sync: lag 42 s > 5 s · billing: row comparison: 2 tables differ")
    go = GoNoGoState(cutover(Readiness.READY, ready=5), LinkState.OK, NOW)
    assert go_no_go_line(go, 80).plain == " ✔ GO  5/5 ready"
    unknown = GoNoGoState(cutover(Readiness.UNKNOWN, "frozen: lag figure stale (not updated for 3 min)"),
                          LinkState.OK, NOW)
    assert go_no_go_line(unknown, 80).plain.startswith(" ? UNKNOWN  3/5 ready · frozen: lag figure stale")


def test_the_line_fits_80_columns_and_says_how_many_reasons_it_left_out():
    many = GoNoGoState(cutover(Readiness.NOT_READY, *(f"job-{i}: target link down" for i in range(6))),
                       LinkState.OK, NOW)
    text = go_no_go_line(many, 80).plain
    assert len(text) <= 80
    assert text.startswith(" ✘ NO-GO  3/5 ready · job-0: target link down") and text.endswith(" more")


def test_stale_data_is_never_a_go():
    go = cutover(Readiness.READY, ready=5, total=5)
    text = go_no_go_line(GoNoGoState(go, LinkState.STALE, NOW), 80).plain
    assert text.startswith(" ? UNKNOWN  5/5 ready · data stale: was GO at ")


def test_a_fresh_refresh_with_the_same_verdict_leaves_the_line_alone():
    """Only the data's time differs: the line's state is the same, so nothing is repainted
    (bench/bytes.py: a refresh where nothing changed). Once stale, the time is on the line."""
    first = snapshot()
    later = snapshot(taken_at=first.taken_at + timedelta(seconds=5), sequence=2)
    assert state_of(first) == state_of(later)
    stale = Connection(LinkState.STALE, reason="timeout")
    assert state_of(dataclasses.replace(first, connection=stale)) != state_of(
        dataclasses.replace(later, connection=stale))
    assert "data stale: was" in go_no_go_line(state_of(dataclasses.replace(first, connection=stale)), 120).plain


def test_before_any_data_the_line_says_it_waits():
    assert "waiting for the first refresh" in go_no_go_line(state_of(None), 80).plain


def test_lag_and_verdict_cells():
    assert (lag_cell(Replication(lag_ms=42_000, lag_state="over")).text, lag_cell(
        Replication(lag_ms=42_000, lag_state="over")).style) == ("▲ 42 s", Tone.BAD)
    assert lag_cell(Replication(lag_ms=800, lag_state="under")).text == "800 ms"
    assert lag_cell(Replication(lag_ms=800, stale=True)).text == "stale 800 ms"
    assert lag_cell(None).text == DASH and lag_cell(Replication()).text == DASH
    assert lag_cell(Replication(lag_ms=800)).live  # moves every refresh: not a highlighted change
    assert verdict_cell(ReadinessVerdict(Readiness.READY)).text == "✔ GO"
    assert verdict_cell(ReadinessVerdict(Readiness.NOT_READY)).text == "✘ NO-GO"
    assert verdict_cell(None).text == DASH


# -- pilot ------------------------------------------------------------------------------------
@pytest.mark.parametrize("size", [SMALL, BIG], ids=["80x24", "120x40"])
async def test_the_line_is_on_screen_on_every_pane(size):
    app = make_app(ScriptedSource())
    async with app.run_test(size=size) as pilot:
        await settled(pilot)
        for key in ("1", "2", "3"):
            await pilot.press(key)
            await pilot.pause()
            line = app.screen.query_one(GoNoGoLine)
            assert line.region.y == 1 and line.region.height == 1 and line.region.width == size[0]
            assert line_text(app).startswith(" ✘ NO-GO  1/6 ready · billing-core: ")


async def test_a_job_becoming_ready_changes_the_line_alerts_and_shows_in_the_jobs_pane():
    first = snapshot()
    # crm-sync catches up (and its comparison is fine): pin the set to orders and crm.
    pinned = (ORDERS_ID, CRM_ID)
    before = with_readiness(first, pinned)
    crm_ready = replace_job(first, CRM_ID, replication=dataclasses.replace(
        first.job(ORDERS_ID).replication), data_comparisons=first.job(ORDERS_ID).data_comparisons,
        object_comparison=first.job(ORDERS_ID).object_comparison)
    after = dataclasses.replace(with_readiness(crm_ready, pinned), taken_at=first.taken_at + timedelta(seconds=5),
                                sequence=2)
    source = ScriptedSource([before, after])
    app = make_app(source)
    notes: list[tuple[str, str]] = []
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        assert line_text(app).startswith(" ✘ NO-GO  1/2 ready · crm-sync: lag 42 s > 5 s for 3 min")
        table = app.monitor.jobs_pane.table
        assert [c.text for c in table.cells(CRM_ID)][1:3] == ["✘ NO-GO", "▲ 42 s"]  # type: ignore[index]
        app.notify = lambda message, **kw: notes.append((message, kw.get("title", "")))  # type: ignore[method-assign]
        await app.refresh_now()
        await pilot.pause()
        assert line_text(app) == " ✔ GO  2/2 ready"
        assert [c.text for c in table.cells(CRM_ID)][1:3] == ["✔ GO", "820 ms"]  # type: ignore[index]
    # Five alerts in one refresh at 80 columns: the cutover's verdict as a toast, the rest
    # counted, every one in the events.
    assert ("GO: 2/2 ready", "Cutover readiness") in notes
    assert ("+4 more alerts: v shows every event", "Alerts") in notes
    assert "crm-sync: ready for cutover" in [entry.transition.message for entry in app.event_history.newest_first()]
    assert "crm-sync: lag back under the threshold (820 ms)" in [
        entry.transition.message for entry in app.event_history.newest_first()]


async def test_the_detail_pane_shows_lag_links_progress_and_reasons():
    app = make_app(ScriptedSource())
    async with app.run_test(size=BIG) as pilot:
        await settled(pilot)
        app.monitor.jobs_pane.table.move_to(CRM_ID)
        await pilot.pause()
        text = str(app.monitor.detail_pane.query_one("#detail-readiness").render())
    assert "Readiness  ✘ NO-GO" in text
    assert "• lag 42 s > 5 s for 3 min" in text and "• target link down" in text
    assert "Lag ▲ 42 s (source 1.0 s · target 41 s)" in text
    assert "source ✔ up · target ✘ DOWN" in text and "Progress 100%" in text


async def test_a_stale_connection_turns_the_line_unknown():
    source = ScriptedSource([snapshot(), snapshot(connection=Connection(LinkState.STALE, reason="timeout",
                                                                       since=NOW))])
    app = make_app(source)
    async with app.run_test(size=SMALL) as pilot:
        await settled(pilot)
        await app.refresh_now()
        await pilot.pause()
        assert line_text(app).startswith(" ? UNKNOWN  1/6 ready · data stale: was NO-GO at ")


# -- snapshots --------------------------------------------------------------------------------
def test_snapshot_go_no_go_jobs_80x24(snap_compare) -> None:
    assert snap_compare(make_app(ScriptedSource()), terminal_size=SMALL, run_before=settled)


def test_snapshot_detail_80x24(snap_compare) -> None:
    async def steps(pilot: Pilot) -> None:
        await settled(pilot)
        pilot.app.monitor.jobs_pane.table.move_to(CRM_ID)  # type: ignore[attr-defined]
        await settled(pilot)  # the detail is shown before "2" moves the focus into it
        await pilot.press("2")
        await settled(pilot)

    assert snap_compare(make_app(ScriptedSource()), terminal_size=SMALL, run_before=steps)


def test_snapshot_lag_column_and_detail_120x40(snap_compare) -> None:
    async def steps(pilot: Pilot) -> None:
        await settled(pilot)
        pilot.app.monitor.jobs_pane.table.move_to(CRM_ID)  # type: ignore[attr-defined]
        await settled(pilot)

    assert snap_compare(make_app(ScriptedSource()), terminal_size=BIG, run_before=steps)


def test_snapshot_go_120x40(snap_compare) -> None:
    go = dataclasses.replace(snapshot(), readiness=CutoverReadiness(Readiness.READY, (), ready=2, total=2))
    assert snap_compare(make_app(ScriptedSource([go])), terminal_size=BIG, run_before=settled)
