"""Several scopes (profile, region, project) in one view: jobs known by (scope, id), one scope
failing while the other stays fresh, alerts naming their scope, and the screen at two sizes."""

from __future__ import annotations

import dataclasses
from datetime import timedelta

from drstui.monitor.scope import Scope, scoped_key
from drstui.monitor.snapshot import Connection, LinkState, Verdict
from drstui.ui.app import DrsTuiApp

from .fakes import (
    BILLING_ID,
    NOW,
    ORDERS_ID,
    ScriptedSource,
    billing_job,
    fixed_clock,
    orders_job,
    replace_job,
    snapshot,
)
from .settling import settle as settle_screen

BJ4 = Scope("bj4", "cn-north-4", "054ba152d480d55b2f5dc0069e7ddef0")
SH1 = Scope("sh1", "cn-east-3", "0a3c6f2e9b7d4e51a8c2f04d6b1e9a73")


def scope_snapshot(scope: Scope, **changes: object):
    return snapshot(profile=scope.profile, region=scope.region, project_id=scope.project_id, **changes)


def sh1_snapshot(**changes: object):
    """Shanghai: two jobs, one with the same id as a Beijing job (billing), different data."""
    billing = dataclasses.replace(billing_job(), name="billing-dr", verdict=Verdict.CONSISTENT)
    return scope_snapshot(SH1, jobs=(billing, dataclasses.replace(orders_job(), name="orders-dr")),
                          exports=(), **changes)


def stale(base):
    return dataclasses.replace(
        base,
        connection=Connection(LinkState.STALE, reason="timed out reading drs.cn-east-3", since=NOW - timedelta(minutes=4)),
        taken_at=NOW - timedelta(minutes=4, seconds=10),
    )


def make_app(bj4: ScriptedSource, sh1: ScriptedSource, **options: object) -> DrsTuiApp:
    return DrsTuiApp(
        profile_label="cutover",
        clock=fixed_clock,
        auto_refresh=False,
        scopes=[(BJ4, bj4, None), (SH1, sh1, None)],
        **options,  # type: ignore[arg-type]
    )


async def settle(app: DrsTuiApp, pilot) -> None:  # type: ignore[no-untyped-def]
    await app.workers.wait_for_complete()
    await pilot.pause()


def header_line(app: DrsTuiApp) -> str:
    from drstui.ui.header import header_text

    return header_text(app.header_state(), 120).plain


async def test_the_same_job_id_in_two_scopes_is_two_rows_each_with_its_own_detail() -> None:
    app = make_app(ScriptedSource([scope_snapshot(BJ4)]), ScriptedSource([sh1_snapshot()]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        keys = app.monitor.jobs_pane.visible_job_ids
        assert scoped_key(BJ4, BILLING_ID) in keys and scoped_key(SH1, BILLING_ID) in keys
        assert len(keys) == 6 + 2 and len(set(keys)) == len(keys)
        for scope, name in ((BJ4, "billing-core"), (SH1, "billing-dr")):
            app.monitor.jobs_pane.table.move_to(scoped_key(scope, BILLING_ID))
            await pilot.pause()
            job = app.selected_job
            assert job is not None and job.id == BILLING_ID and job.scope == scope and job.name == name
            assert app.monitor.detail_pane.job is not None and app.monitor.detail_pane.job.name == name
        # Each scope's actions serve its own jobs.
        assert app.received is not None and {s.scope for s in app.received.scopes} == {BJ4, SH1}


async def test_one_scope_failing_marks_only_its_jobs_stale_and_the_header_says_which() -> None:
    sh1 = ScriptedSource([sh1_snapshot()])
    app = make_app(ScriptedSource([scope_snapshot(BJ4)]), sh1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        assert "bj4 ●" in header_line(app) and "sh1 ●" in header_line(app)
        sh1.push(stale(sh1_snapshot()))
        await app.refresh_now()
        await pilot.pause()
        line = header_line(app)
        assert "bj4 ●" in line and "sh1 ■ STALE 4m" in line
        table = app.monitor.jobs_pane.table
        scope_cells = {key: str(table.get_cell(key, "scope")) for key in app.monitor.jobs_pane.visible_job_ids}
        assert all("stale" in text for key, text in scope_cells.items() if key.startswith(SH1.key))
        assert not any("stale" in text for key, text in scope_cells.items() if key.startswith(BJ4.key))
        # The fresh scope's data is still shown as fresh; the stale one keeps its last good data.
        states = {s.scope: s.connection.state for s in app.received.scopes}  # type: ignore[union-attr]
        assert states == {BJ4: LinkState.OK, SH1: LinkState.STALE}
        assert app.received.job(scoped_key(SH1, ORDERS_ID)).name == "orders-dr"  # type: ignore[union-attr]


async def test_each_scope_polls_on_its_own_and_a_slow_one_does_not_hold_the_other() -> None:
    import asyncio

    bj4, sh1 = ScriptedSource([scope_snapshot(BJ4)]), ScriptedSource([sh1_snapshot()])
    app = make_app(bj4, sh1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        sh1.gate = asyncio.Event()
        bj4.push(replace_job(scope_snapshot(BJ4), ORDERS_ID, name="orders-renamed"))
        app.request_refresh()
        await app.pollers[0].refresh_now()  # Beijing answers while Shanghai hangs
        assert app.received.job(scoped_key(BJ4, ORDERS_ID)).name == "orders-renamed"  # type: ignore[union-attr]
        assert app.pollers[1].polling and sh1.max_in_flight == 1
        sh1.gate.set()
        await settle(app, pilot)
        assert not app.polling and bj4.calls == 2 and sh1.calls == 2


async def test_alerts_name_their_scope_and_jump_to_the_right_job() -> None:
    sh1 = ScriptedSource([sh1_snapshot()])
    app = make_app(ScriptedSource([scope_snapshot(BJ4)]), sh1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        notes: list[str] = []
        app.notify = lambda message, **kw: notes.append(message)  # type: ignore[method-assign]
        sh1.push(replace_job(sh1_snapshot(), BILLING_ID, status="INCRE_TRANSFER_FAILED"))
        await app.refresh_now()
        await pilot.pause()
        assert len(notes) == 1 and notes[0].startswith("sh1 · billing-dr") and "INCRE_TRANSFER_FAILED" in notes[0]
        assert app.last_alert is not None and app.last_alert.job_id == scoped_key(SH1, BILLING_ID)
        await pilot.press("j")
        await pilot.pause()
        assert app.selected_job is not None and app.selected_job.scope == SH1 and app.selected_job.id == BILLING_ID
        # The events view keeps the transition with its scope.
        entry = app.event_history.newest_first()[0]
        assert entry.transition.scope == SH1


# -- snapshots -----------------------------------------------------------------------------
def _snap_app() -> DrsTuiApp:
    return make_app(ScriptedSource([scope_snapshot(BJ4)]), ScriptedSource([stale(sh1_snapshot())]))


async def _settled(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle_screen(pilot)


def test_multi_scope_small(snap_compare) -> None:
    assert snap_compare(_snap_app(), terminal_size=(80, 24), run_before=_settled)


def test_multi_scope_wide(snap_compare) -> None:
    assert snap_compare(_snap_app(), terminal_size=(120, 40), run_before=_settled)


class FakePolicies:
    """A scope's compare-policy reader: records which job ids it was asked about."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def cached(self, job_id: str) -> None:
        return None

    async def policy(self, job_id: str, *, fresh: bool = False) -> None:
        self.asked.append(job_id)
        return None


async def test_the_compare_policy_is_read_from_the_jobs_own_scope() -> None:
    bj4, sh1 = ScriptedSource([scope_snapshot(BJ4)]), ScriptedSource([sh1_snapshot()])
    bj4.compare_policies, sh1.compare_policies = FakePolicies(), FakePolicies()  # type: ignore[attr-defined]
    app = make_app(bj4, sh1)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        app.monitor.jobs_pane.table.move_to(scoped_key(SH1, BILLING_ID))
        await settle_screen(pilot)
        assert sh1.compare_policies.asked[-1:] == [BILLING_ID]  # type: ignore[attr-defined]
        asked_bj4 = list(bj4.compare_policies.asked)  # type: ignore[attr-defined]
        app.monitor.jobs_pane.table.move_to(scoped_key(BJ4, BILLING_ID))  # the same id, the other scope
        await settle_screen(pilot)
        assert bj4.compare_policies.asked[len(asked_bj4):] == [BILLING_ID]  # type: ignore[attr-defined]


async def test_i_tells_each_scopes_own_connection_story() -> None:
    app = make_app(ScriptedSource([scope_snapshot(BJ4)]), ScriptedSource([stale(sh1_snapshot())]))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("i")
        await settle_screen(pilot)
        from drstui.ui.link_status import ConnectionScreen

        screen = app.screen
        assert isinstance(screen, ConnectionScreen)
        text = "\n".join(screen.lines)  # type: ignore[attr-defined]
        bj4_part, sh1_part = text.split("── sh1")
        assert "── bj4" in bj4_part and "State: OK" in bj4_part
        assert "State: STALE" in sh1_part and "timed out reading drs.cn-east-3" in sh1_part
