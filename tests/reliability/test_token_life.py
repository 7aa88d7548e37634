"""Credentials over a long night: IAM token renewal, a wrong password, AK/SK clock skew.

All through the real `CloudClient` (TokenAuth / AkSkAuth) and `Monitor` on the in-process
simulator, with the simulator's request counters as the witness.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import parsedate_to_datetime

import httpx
import pytest

from drstui.api.errors import ApiError
from drstui.monitor import reasons
from drstui.monitor.snapshot import LinkState
from drstui.sim.core import AK_LOCK_AFTER_FAILURES

from .rig import JOB_LIST_GLOB, ReliabilityRig

TOKEN = "iam.create_token"


@pytest.fixture
async def token_rig(tmp_path):
    rig = ReliabilityRig(tmp_path, auth="token")
    yield rig
    await rig.aclose()


# -- IAM token ------------------------------------------------------------------------------------
async def test_token_is_renewed_before_expiry_exactly_once(token_rig):
    rig = token_rig
    assert (await rig.monitor.refresh()).connection.state == LinkState.OK
    assert rig.core.count(TOKEN) == 1
    auth = rig.cloud.auth
    margin = auth.refresh_margin
    # The simulator's tokens live 24 h; drstui renews `refresh_margin` (1 h) before the end.
    rig.advance(timedelta(hours=24).total_seconds() - margin.total_seconds() - 60)
    await rig.monitor.refresh()
    assert rig.core.count(TOKEN) == 1, "renewed too early"
    rig.advance(120)  # now inside the margin, token still valid at the server
    snapshot = await rig.monitor.refresh()
    assert snapshot.connection.state == LinkState.OK
    assert rig.core.count(TOKEN) == 2, "exactly one new token inside the margin"
    # The renewal happened before any request was rejected.
    assert not [e for e in rig.requests() if e.status == 401]
    for _ in range(20):  # and it is not asked for again on later refreshes
        rig.advance(5)
        await rig.monitor.refresh()
    assert rig.core.count(TOKEN) == 2


async def test_token_rejected_with_401_is_renewed_once_and_the_call_repeated(token_rig):
    rig = token_rig
    await rig.monitor.refresh()
    rig.core.faults.add("token-expiry=60s")  # the server now drops tokens after 60 s
    rig.advance(61)
    rig.core.reset_log()
    snapshot = await rig.monitor.refresh()
    assert snapshot.connection.state == LinkState.OK
    assert all(not job.problems for job in snapshot.jobs)
    assert rig.core.count(TOKEN) == 1, "one renewal for all the concurrent 401s"
    rejected = [e for e in rig.requests() if e.status == 401]
    assert rejected, "the server did reject the old token"
    # Every rejected request was repeated exactly once, with the new token, and succeeded.
    for entry in rejected:
        same = [e for e in rig.requests() if e.path == entry.path and e.method == entry.method]
        assert [e.status for e in same].count(401) == 1 and same[-1].status == 200


async def test_wrong_password_says_so_once_and_stops_asking(tmp_path):
    rig = ReliabilityRig(tmp_path, auth="token", password="not-the-password")
    try:
        snapshot = await rig.monitor.refresh()
        connection = snapshot.connection
        assert connection.state == LinkState.AUTH_FAILED
        assert "login rejected" in connection.reason and "username or password" in connection.reason
        assert "not-the-password" not in connection.reason
        for _ in range(200):  # a whole night of refreshes: no lock-out loop
            rig.advance(rig.monitor.next_delay())
            snapshot = await rig.monitor.refresh()
        assert snapshot.connection.state == LinkState.AUTH_FAILED
        assert snapshot.connection.reason == connection.reason and snapshot.connection.since == connection.since
        assert rig.core.count(TOKEN) == 1
        assert rig.core.count() == 1
        assert rig.monitor.next_delay() >= 30  # calm, even though nothing is called
    finally:
        await rig.aclose()


# -- AK/SK clock skew ------------------------------------------------------------------------------
def test_simulator_sends_its_date_on_every_answer_including_401(tmp_path):
    rig = ReliabilityRig(tmp_path)
    core = rig.core
    from drstui.sim.messages import SimRequest

    answer = core.handle(SimRequest("GET", f"/v5/{rig.creds.project_id}/jobs"))  # unsigned
    assert answer.status == 401
    assert parsedate_to_datetime(answer.headers["Date"]) == rig.api_now()


def test_api_error_carries_the_server_date():
    response_headers = {"Date": "Wed, 15 Jan 2025 08:30:00 GMT", "X-Request-Id": "r1"}
    error = ApiError.from_response(
        401, b'{"error_code":"APIGW.0301","error_msg":"X-Sdk-Date is more than 15 minutes off"}',
        response_headers, method="GET", path="/v5/p/jobs")
    assert error.server_date == "Wed, 15 Jan 2025 08:30:00 GMT"
    assert reasons.is_clock_skew(error)
    host = parsedate_to_datetime(error.server_date) + timedelta(minutes=20)
    assert reasons.clock_offset_seconds(error, host) == 20 * 60
    assert ApiError.from_response(500, b"", {}).server_date is None


@pytest.mark.parametrize(("skew_minutes", "words"), [(20, "20 min ahead of"), (-45, "45 min behind")])
async def test_clock_skew_is_reported_with_the_measured_offset(tmp_path, skew_minutes, words):
    rig = ReliabilityRig(tmp_path)
    try:
        good = await rig.monitor.refresh()
        assert good.connection.state == LinkState.OK
        rig.host_skew = skew_minutes * 60  # NTP broke on the jump host
        rig.advance(5)
        rig.core.reset_log()
        snapshot = await rig.monitor.refresh()
        connection = snapshot.connection
        assert connection.state == LinkState.AUTH_FAILED
        assert connection.reason.startswith("clock skew: ") and words in connection.reason
        assert snapshot.jobs == good.jobs  # what was on screen stays
        for _ in range(50):
            rig.advance(rig.monitor.next_delay())
            await rig.monitor.refresh()
        # One rejected signature, then silence: far from the simulator's AK lock-out.
        assert len(rig.requests()) == 1 < AK_LOCK_AFTER_FAILURES
        assert rig.requests()[0].status == 401
        assert not rig.core._ak_locked_until

        rig.host_skew = 0  # the clock is fixed; the user says so (reset_auth)
        rig.monitor.reset_auth()
        assert (await rig.monitor.refresh()).connection.state == LinkState.OK
    finally:
        await rig.aclose()


async def test_clock_skew_over_the_loopback_http_server(tmp_path):
    """The stdlib server adapter sends the simulator's Date too (not the real clock's)."""
    from drstui.sim.server import serve_in_thread

    rig = ReliabilityRig(tmp_path)
    server = serve_in_thread(rig.core)
    try:
        async with httpx.AsyncClient(base_url=server.url) as client:
            answer = await client.get(f"/v5/{rig.creds.project_id}/jobs")
        assert answer.status_code == 401
        assert answer.headers.get_list("Date") == [answer.headers["Date"]]  # exactly one
        assert parsedate_to_datetime(answer.headers["Date"]) == rig.api_now()
        assert rig.requests(JOB_LIST_GLOB)
    finally:
        server.close()
        await rig.aclose()
