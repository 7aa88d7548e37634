"""The assembly path a real profile takes: settings -> cloud client -> monitor, both auth methods.

The transport is the in-process simulator, standing in for the network; everything above it is
what `drstui` runs against the real cloud.
"""

from __future__ import annotations

import time

import pytest

from drstui.config import load_settings
from drstui.monitor.snapshot import LinkState
from drstui.sim.clock import ManualClock
from drstui.sim.credentials import SimCredentials
from drstui.sim.demo import demo_transport
from drstui.wiring import local_time_zone, open_session

CREDS = SimCredentials()


def _clock_now() -> ManualClock:
    # The real signer stamps X-Sdk-Date with the real time; the simulator must agree within
    # its 15-minute window, as a real gateway would.
    return ManualClock(time.time())


def _settings(tmp_path, **env):
    base = {
        "DRSTUI_REGION": CREDS.region,
        "DRSTUI_ENDPOINT": "http://drs-sim.invalid",
        "DRSTUI_DOWNLOAD_DIR": str(tmp_path),
    }
    return load_settings(environ={**base, **env}, config_path=None)


@pytest.mark.parametrize(
    "env",
    [
        {"HUAWEICLOUD_SDK_AK": CREDS.ak, "HUAWEICLOUD_SDK_SK": CREDS.sk,
         "HUAWEICLOUD_SDK_PROJECT_ID": CREDS.project_id},
        {"DRSTUI_USER": CREDS.user, "DRSTUI_PASSWORD": CREDS.password,
         "DRSTUI_DOMAIN": CREDS.domain, "HUAWEICLOUD_SDK_PROJECT_ID": CREDS.project_id},
        # Token auth without a project id: the token is scoped to the region's project by name.
        {"DRSTUI_USER": CREDS.user, "DRSTUI_PASSWORD": CREDS.password,
         "DRSTUI_DOMAIN": CREDS.domain},
    ],
    ids=["aksk", "token-with-project", "token-by-region"],
)
async def test_real_profile_path_refreshes_against_the_simulator(tmp_path, env):
    transport, _ = demo_transport(seed=7, clock=_clock_now())
    session = open_session(_settings(tmp_path, **env), transport=transport)
    try:
        snapshot = await session.monitor.refresh()
    finally:
        await session.aclose()
    assert snapshot.connection.state is LinkState.OK, snapshot.connection
    assert len(snapshot.jobs) == 12
    assert snapshot.project_id in ("", CREDS.project_id)
    # Every DRS call was authenticated the way the profile says.
    received = transport.core.received
    if "HUAWEICLOUD_SDK_AK" in env:
        assert received and all("authorization" in {k.lower() for k in r.request.headers} for r in received)
        assert transport.core.count("iam.create_token") == 0
    else:
        assert transport.core.count("iam.create_token") == 1


async def test_wrong_secret_is_an_auth_failure_not_a_crash(tmp_path):
    transport, _ = demo_transport(seed=7, clock=_clock_now())
    settings = _settings(
        tmp_path,
        HUAWEICLOUD_SDK_AK=CREDS.ak,
        HUAWEICLOUD_SDK_SK="not-the-secret",
        HUAWEICLOUD_SDK_PROJECT_ID=CREDS.project_id,
    )
    session = open_session(settings, transport=transport)
    try:
        snapshot = await session.monitor.refresh()
    finally:
        await session.aclose()
    assert snapshot.connection.state is LinkState.AUTH_FAILED
    assert "not-the-secret" not in (snapshot.connection.reason or "")


def test_local_time_zone_has_the_export_format():
    # conftest pins TZ=UTC
    assert local_time_zone() == "GMT+00:00"


def test_run_monitor_quits_cleanly_against_a_real_http_endpoint(tmp_path, monkeypatch):
    """The interactive entry point over real loopback sockets: start, one refresh, quit.

    Its HTTP connections live in the app's event loop and must be closed there; closing them
    after the app's loop ended turned every `q` into "internal error: Event loop is closed".
    """
    import asyncio

    from drstui.sim.core import SimCore
    from drstui.sim.server import serve_in_thread
    from drstui.ui.app import DrsTuiApp
    from drstui.wiring import run_monitor

    server = serve_in_thread(SimCore.create(seed=7, clock=_clock_now()))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))  # the cutover log
    real_run_async = DrsTuiApp.run_async
    seen = {}

    async def quit_after_first_refresh(pilot):
        app = pilot.app
        await app.refresh_now()
        seen["jobs"] = len(app.received.jobs)
        seen["state"] = app.received.connection.state
        await pilot.press("q")

    def headless_run_async(self, **options):
        return real_run_async(self, headless=True, auto_pilot=quit_after_first_refresh)

    monkeypatch.setattr(DrsTuiApp, "run_async", headless_run_async)
    try:
        settings = _settings(
            tmp_path,
            DRSTUI_ENDPOINT=server.url,
            DRSTUI_LOG_FILE=str(tmp_path / "drstui.log"),
            HUAWEICLOUD_SDK_AK=CREDS.ak,
            HUAWEICLOUD_SDK_SK=CREDS.sk,
            HUAWEICLOUD_SDK_PROJECT_ID=CREDS.project_id,
        )
        assert run_monitor(settings) == 0
    finally:
        server.close()
        asyncio.set_event_loop(None)
    assert seen == {"jobs": 12, "state": LinkState.OK}


def test_an_unwritable_log_file_does_not_stop_the_monitor(tmp_path, monkeypatch, capsys):
    """As for snapshot and watch: one line on stderr, and the monitor runs without a log file
    (setting logging up a second time, unguarded, made the TUI exit with "internal error")."""
    import asyncio

    from drstui.cli import main
    from drstui.ui.app import DrsTuiApp

    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the log directory should be")
    for name in ("XDG_STATE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(name, str(tmp_path / name.lower()))
    monkeypatch.setenv("DRSTUI_LOG_FILE", str(blocker / "drstui.log"))
    real_run_async = DrsTuiApp.run_async
    painted = {}

    async def quit_after_first_refresh(pilot):
        await pilot.app.refresh_now()
        painted["jobs"] = len(pilot.app.received.jobs)
        await pilot.press("q")

    def headless_run_async(self, **options):
        return real_run_async(self, headless=True, auto_pilot=quit_after_first_refresh)

    monkeypatch.setattr(DrsTuiApp, "run_async", headless_run_async)
    try:
        assert main(["--demo", "--download-dir", str(tmp_path / "dl")]) == 0
    finally:
        asyncio.set_event_loop(None)
    assert painted["jobs"] > 0
    err = capsys.readouterr().err
    assert "not logging to" in err and "internal error" not in err
