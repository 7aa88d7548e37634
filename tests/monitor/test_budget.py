"""The request budget: every request counted, refreshes spaced so a minute stays within it."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from drstui.cli import build_parser, resolve_settings
from drstui.config_schema import ConfigError
from drstui.config import load_settings
from drstui.monitor.budget import RequestBudget
from drstui.sim.clock import ManualClock
from drstui.sim.demo import demo_transport
from drstui.wiring import open_session



def test_the_last_refresh_sets_how_far_apart_refreshes_must_be():
    budget = RequestBudget(600)
    assert budget.min_interval() == 0.0
    for requests in (300, 100):
        budget.refresh_started()
        for _ in range(requests):
            budget.count()
        budget.refresh_finished()
        if requests == 300:
            assert budget.min_interval() == 0.0  # the first, cold refresh sets no pace
    assert budget.last_refresh == 100 and budget.min_interval() == 10.0  # 100 requests at 600/min
    assert RequestBudget(None).min_interval() == 0.0


async def test_the_monitor_counts_what_its_client_sends(tmp_path):
    """Through the real wiring: the client's on_request hook feeds the scope's budget."""
    transport, creds = demo_transport(seed=7, clock=ManualClock(time.time()))
    settings = load_settings(environ={
        "DRSTUI_REGION": creds.region, "DRSTUI_ENDPOINT": "http://drs-sim.invalid",
        "DRSTUI_DOWNLOAD_DIR": str(tmp_path), "HUAWEICLOUD_SDK_AK": creds.ak, "HUAWEICLOUD_SDK_SK": creds.sk,
        "HUAWEICLOUD_SDK_PROJECT_ID": creds.project_id}, config_path=None)
    session = open_session(dataclasses.replace(settings, max_requests_per_minute=60), transport=transport)
    try:
        await session.monitor.refresh()  # the cold one
        transport.core.reset_log()
        await session.monitor.refresh()
    finally:
        await session.aclose()
    sent = transport.core.count()
    assert sent > 10 and session.monitor.budget.last_refresh == sent  # every request, no more
    assert session.monitor.budget_interval() == float(sent)  # 60 a minute: one a second


def test_the_budget_is_a_setting(tmp_path):
    settings = resolve_settings(build_parser().parse_args([]), environ={})
    assert settings.max_requests_per_minute == 600
    config = Path(tmp_path) / "c.toml"
    config.write_text("[profiles.p]\nmax_requests_per_minute = 5\n")
    config.chmod(0o600)
    with pytest.raises(ConfigError, match="max_requests_per_minute: must be a number of requests between 10"):
        resolve_settings(build_parser().parse_args(["--config", str(config)]), environ={})
