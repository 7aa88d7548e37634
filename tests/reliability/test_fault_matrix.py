"""Fault matrix: every fault the simulator can inject, against the real app on a real Monitor.

Each case: good data on screen → fault on → several refreshes (the same `refresh_now` path the
poll timer takes; between polls the simulated clock moves by `monitor.next_delay()`, the delay
the monitor asks for) → fault off → one more refresh. Checked on the screen itself (the jobs
DataTable, the status line widget's rendered text) and at the simulator (its request log on
simulated time). Nothing really sleeps: retries and simulated hangs advance the ManualClock.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest

from drstui.monitor.snapshot import LinkState
from drstui.ui.app import DrsTuiApp

from .rig import (
    JOB_LIST_GLOB,
    ORDERS_NAME,
    ORDERS_SYNC,
    ReliabilityRig,
    any_row_mentions,
    header_text,
    jobs_on_screen,
)

SIZE = (120, 36)
REFRESHES_WHILE_FAULTY = 6
# The request budget: a failing endpoint may never be asked more often than a healthy one is
# (60 s / 5 s interval = 12 job-list requests per simulated minute), retries included.
BUDGET_PER_MINUTE = 12


def _aksk_skew(rig: ReliabilityRig, on: bool) -> None:
    rig.host_skew = 20 * 60 if on else 0.0


def _refuse(rig: ReliabilityRig, on: bool) -> None:
    rig.transport.refuse_connections = on


@dataclass(frozen=True)
class Case:
    name: str
    spec: str | None = None  # simulator fault spec, switched on with core.faults.add
    switch: Callable[[ReliabilityRig, bool], None] | None = None  # or a custom switch
    expect: str = "down"  # "down": retrying/stale; "absorbed": stays OK; "auth": AUTH FAILED
    reason: str = ""  # must appear in the status line
    auth: str = "aksk"
    after_on: float = 0.0  # simulated seconds to let pass once the fault is on

    def on(self, rig: ReliabilityRig) -> None:
        if self.spec:
            rig.core.faults.add(self.spec)
        if self.switch:
            self.switch(rig, True)

    def off(self, rig: ReliabilityRig) -> None:
        rig.core.faults.clear()
        if self.switch:
            self.switch(rig, False)


CASES = [
    Case("5xx", "5xx=1,status=503@/v5/*/jobs", reason="HTTP 503"),
    Case("429-retry-after", "429=1,retry-after=40s@/v5/*/jobs", reason="HTTP 429"),
    Case("timeout", "timeout=1,hang=30s@/v5/*/jobs", reason="timeout"),
    Case("dropped-connection", "drop=1@/v5/*/jobs", reason="drs-sim.invalid: connection dropped"),
    Case("malformed-json", "malformed=1@/v5/*/jobs", reason="malformed answer"),
    Case("connection-refused", switch=_refuse, reason="drs-sim.invalid: connection refused"),
    # Data-shape faults are absorbed: lenient models take "2" for 2, unknown enum values are
    # kept and shown as sent (see test_unknown_enum_value_is_shown_not_hidden).
    Case("wrong-type", "wrong-type=1", expect="absorbed"),
    Case("unknown-enum", "unknown-enum=1", expect="absorbed"),
    # The server starts rejecting tokens after 60 s: renewed transparently, never shown.
    Case("token-expiry", "token-expiry=60s", expect="absorbed", auth="token", after_on=60),
    # X-Sdk-Date 20 min off: 401 APIGW.0301; signing stops (5 bad signatures lock the AK).
    Case("clock-skew", switch=_aksk_skew, expect="auth", reason="clock skew"),
]


async def _poll(app: DrsTuiApp, pilot) -> None:
    await app.refresh_now()
    await pilot.pause()


def _assert_last_good_on_screen(app: DrsTuiApp, rows_before: int) -> None:
    assert app.is_running
    assert any_row_mentions(app, ORDERS_NAME)
    assert len(jobs_on_screen(app)) == rows_before


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_fault_on_the_job_list(tmp_path, case: Case):
    rig = ReliabilityRig(tmp_path, auth=case.auth)
    app = rig.app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _poll(app, pilot)
            good = app.received
            assert good.connection.state == LinkState.OK and "● OK" in header_text(app)
            rows = len(jobs_on_screen(app))
            assert rows == 12 and any_row_mentions(app, ORDERS_NAME)

            rig.advance(rig.monitor.next_delay())
            case.on(rig)
            fault_since = rig.clock.now()
            rig.advance(case.after_on)
            tokens_before = rig.core.count("iam.create_token")
            delays = []
            for _ in range(REFRESHES_WHILE_FAULTY):
                await _poll(app, pilot)
                _assert_last_good_on_screen(app, rows)
                header = header_text(app)
                snapshot = app.received
                if case.expect == "down":
                    assert snapshot.connection.state in (LinkState.RETRYING, LinkState.STALE)
                    assert ("▲ retrying" in header) or ("■ STALE" in header), header
                    assert case.reason in header, header
                    # Marked stale with its age: the last good data's time is still shown.
                    assert snapshot.taken_at == good.taken_at and " old" in header
                elif case.expect == "auth":
                    assert snapshot.connection.state == LinkState.AUTH_FAILED
                    assert "AUTH FAILED" in header and case.reason in header, header
                    assert "20 min ahead" in snapshot.connection.reason
                    assert snapshot.jobs == good.jobs
                else:
                    assert snapshot.connection.state == LinkState.OK, snapshot.connection
                    assert "● OK" in header and snapshot.taken_at == rig.host_now()
                delays.append(rig.monitor.next_delay())
                rig.advance(delays[-1])

            # Back off: never more requests per simulated minute than a healthy minute costs.
            if case.expect != "absorbed":
                assert rig.max_per_minute(since=fault_since) <= BUDGET_PER_MINUTE
                assert delays == sorted(delays) and delays[-1] > rig.interval
            if case.expect == "down" and case.name != "429-retry-after":
                assert delays[:4] == [10.0, 20.0, 30.0, 30.0]
            if case.name == "429-retry-after":
                assert min(delays) >= 40
                starts = [e.time for e in rig.requests(JOB_LIST_GLOB) if e.time >= fault_since]
                assert len(starts) == REFRESHES_WHILE_FAULTY  # not repeated inside a call
                assert all(b - a >= 40 for a, b in zip(starts, starts[1:])), starts
            if case.expect == "auth":
                assert len(rig.requests()[-1:]) == 1
                assert len([e for e in rig.requests() if e.time >= fault_since]) == 1
            if case.name == "token-expiry":
                renewals = rig.core.count("iam.create_token") - tokens_before
                elapsed = rig.clock.now() - fault_since
                assert 1 <= renewals <= elapsed // 60 + 1

            case.off(rig)
            if case.expect == "auth":
                # By design the only case that needs the user: credentials/clock refused stop
                # all calls (no lock-out loop) until reset_auth (`r` in the app: see
                # test_auth_failure_can_be_retried_from_the_app).
                rig.monitor.reset_auth()
            rig.advance(rig.monitor.next_delay())
            await _poll(app, pilot)
            back = app.received
            assert back.connection.state == LinkState.OK
            assert back.taken_at == rig.host_now() and back.taken_at > good.taken_at
            assert "● OK" in header_text(app) and any_row_mentions(app, ORDERS_NAME)
            assert all(not job.problems for job in back.jobs)
    finally:
        await rig.aclose()


JOB_PATH_CASES = [
    ("5xx", "5xx=1", "HTTP 500"),
    ("429", "429=1,retry-after=20s", "HTTP 429"),
    ("timeout", "timeout=1,hang=30s", "timeout"),
    ("dropped-connection", "drop=1", "connection dropped"),
    ("malformed-json", "malformed=1", "malformed answer"),
]


@pytest.mark.parametrize(("kind", "spec", "reason"), JOB_PATH_CASES, ids=[c[0] for c in JOB_PATH_CASES])
async def test_fault_on_one_jobs_path_leaves_the_others_fresh(tmp_path, kind, spec, reason):
    rig = ReliabilityRig(tmp_path)
    app = rig.app()
    path = f"/v3/*/jobs/{ORDERS_SYNC}/object/compare"
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _poll(app, pilot)
            good = app.received
            orders_before = good.job(ORDERS_SYNC)
            rows = len(jobs_on_screen(app))
            rig.advance(rig.monitor.next_delay())
            rig.core.faults.add(f"{spec}@{path}")
            since = rig.clock.now()
            for _ in range(4):
                await _poll(app, pilot)
                snapshot = app.received
                _assert_last_good_on_screen(app, rows)
                assert snapshot.connection.state == LinkState.OK and "● OK" in header_text(app)
                assert snapshot.taken_at == rig.host_now()  # the others are fresh
                others = [job for job in snapshot.jobs if job.id != ORDERS_SYNC]
                assert len(others) == 11 and all(not job.problems for job in others)
                orders = snapshot.job(ORDERS_SYNC)
                assert orders.object_comparison == orders_before.object_comparison  # last good
                assert len(orders.problems) == 1 and reason in orders.problems[0]
                assert any("⚠ 1 stale" in row for row in jobs_on_screen(app) if ORDERS_NAME in row)
                rig.advance(rig.monitor.next_delay())
            # The failing path itself is not hammered either.
            assert rig.max_per_minute(path.replace("*", rig.creds.project_id), since=since) <= BUDGET_PER_MINUTE
            if kind == "429":
                assert rig.monitor.next_delay() >= 20  # Retry-After of a part slows the whole poll
            rig.core.faults.clear()
            await _poll(app, pilot)
            assert app.received.job(ORDERS_SYNC).problems == ()
            # No row is marked as holding old comparison data any more (a lag column may still
            # say "stale": the simulator freezes one job's lag figure once enough time has passed).
            assert not any("⚠ 1 stale" in row for row in jobs_on_screen(app)), jobs_on_screen(app)
    finally:
        await rig.aclose()


async def test_short_retry_after_is_waited_out_inside_the_call(tmp_path):
    """A Retry-After under the policy's limit is slept (injected sleep) before the repeat."""
    rig = ReliabilityRig(tmp_path)
    try:
        await rig.monitor.refresh()
        rig.core.faults.add("429=1,retry-after=3s@/v5/*/jobs")
        rig.retry_sleeps.clear()
        rig.advance(5)
        snapshot = await rig.monitor.refresh()
        assert snapshot.connection.state in (LinkState.RETRYING, LinkState.STALE)
        assert rig.retry_sleeps == [3.0] * (rig.max_attempts - 1)
        starts = [e.time for e in rig.requests(JOB_LIST_GLOB)][-rig.max_attempts:]
        assert [b - a for a, b in zip(starts, starts[1:])] == [3.0] * (rig.max_attempts - 1)
        assert rig.monitor.next_delay() >= 3.0
    finally:
        await rig.aclose()


async def test_unknown_enum_value_is_shown_not_hidden(tmp_path):
    rig = ReliabilityRig(tmp_path)
    app = rig.app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _poll(app, pilot)
            rig.core.faults.add("unknown-enum=1@/v5/*/jobs")
            await _poll(app, pilot)
            assert any("SIM_UNKNOWN_VALUE" in row for row in jobs_on_screen(app))
            assert app.received.connection.state == LinkState.OK
    finally:
        await rig.aclose()


# -- the poll timer ------------------------------------------------------------------------------
def _next_poll_delay(app: DrsTuiApp) -> float | None:
    timer = app._next_poll
    return None if timer is None else float(timer._interval)


async def test_auto_refresh_schedules_the_next_poll_after_success(tmp_path):
    rig = ReliabilityRig(tmp_path)
    app = rig.app(auto_refresh=True, refresh_seconds=5)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.received.connection.state == LinkState.OK
            assert _next_poll_delay(app) == rig.monitor.next_delay() == 5.0
    finally:
        await rig.aclose()


@pytest.mark.parametrize("spec", ["5xx=1@/v5/*/jobs", "429=1,retry-after=40s@/v5/*/jobs"])
async def test_auto_refresh_waits_the_monitors_delay_after_a_failure(tmp_path, spec):
    rig = ReliabilityRig(tmp_path, faults=[spec])
    app = rig.app(auto_refresh=True, refresh_seconds=5)
    try:
        async with app.run_test(size=SIZE) as pilot:
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.received.connection.state == LinkState.RETRYING
            assert rig.monitor.next_delay() > 5
            assert _next_poll_delay(app) == rig.monitor.next_delay()
    finally:
        await rig.aclose()


async def test_auth_failure_can_be_retried_from_the_app(tmp_path):
    rig = ReliabilityRig(tmp_path)
    app = rig.app()
    try:
        async with app.run_test(size=SIZE) as pilot:
            await _poll(app, pilot)
            rig.host_skew = 20 * 60
            rig.advance(5)
            await _poll(app, pilot)
            assert app.received.connection.state == LinkState.AUTH_FAILED
            rig.host_skew = 0  # the clock was fixed
            rig.advance(60)
            await pilot.press("r")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert app.received.connection.state == LinkState.OK
    finally:
        await rig.aclose()
