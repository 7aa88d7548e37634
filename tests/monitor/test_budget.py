"""The request budget: every request counted, refreshes spaced so a minute stays within it."""

from __future__ import annotations

import dataclasses
import time
from pathlib import Path

import pytest

from drstui.cli import build_parser, resolve_settings
from drstui.config_schema import ConfigError
from drstui.config import load_settings
from drstui.monitor.budget import Account, RequestBudget
from drstui.sim.clock import ManualClock
from drstui.sim.demo import demo_transport
from drstui.wiring import open_session, open_sessions



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


def _refresh(budget: RequestBudget, requests: int) -> None:
    budget.refresh_started()
    for _ in range(requests):
        budget.count()
    budget.refresh_finished()


def test_scopes_of_one_account_are_paced_by_what_they_send_together():
    account = Account()
    bj4, sh1 = RequestBudget(600, account), RequestBudget(600, account)
    alone = RequestBudget(600)
    for budget, requests in ((bj4, 100), (sh1, 200), (alone, 100)):
        _refresh(budget, 1000)  # the cold first refresh
        _refresh(budget, requests)
    # 300 requests a refresh between them at 600 a minute: each waits 30 s, as one scope would.
    assert bj4.min_interval() == sh1.min_interval() == 30.0
    assert alone.min_interval() == 10.0  # another account: its own 100 only


CONFIG_TWO_ACCOUNTS = """
[profiles.bj4]
region = "cn-north-4"
project_id = "054ba152d480d55b2f5dc0069e7ddef0"
ak = "AKSHAREDEXAMPLE00001"
sk = "sk-shared-SECRET"

[profiles.sh1]
region = "cn-east-3"
project_id = "0a3c6f2e9b7d4e51a8c2f04d6b1e9a73"
ak = "AKSHAREDEXAMPLE00001"
sk = "sk-shared-SECRET"

[profiles.gz1]
region = "cn-south-1"
project_id = "5e8d1c0b7a2f4396b1e0c7d2a4f68b15"
ak = "AKOTHEREXAMPLE000002"
sk = "sk-other-SECRET"
"""


async def test_the_wiring_gives_scopes_with_one_access_key_one_account(tmp_path):
    config = Path(tmp_path) / "c.toml"
    config.write_text(CONFIG_TWO_ACCOUNTS)
    config.chmod(0o600)
    args = build_parser().parse_args(["--config", str(config), "--profile", "bj4", "--profile", "sh1",
                                      "--profile", "gz1", "--download-dir", str(tmp_path)])
    sessions = open_sessions(resolve_settings(args, environ={}))
    try:
        bj4, sh1, gz1 = (session.monitor.budget for session in sessions)
        assert bj4.account is sh1.account and bj4.account.members == [bj4, sh1]
        assert gz1.account is not bj4.account and gz1.account.members == [gz1]
    finally:
        for session in sessions:
            await session.aclose()
