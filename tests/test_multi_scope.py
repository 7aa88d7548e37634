"""Several scopes: config (repeated --profile, [views.NAME], default_view), one session per
scope, the headless JSON (jobs[].scope, scopes[]), one scope failing while the other answers,
and cutover-log lines that name their scope."""

from __future__ import annotations

import io
import json
import os
import time
from pathlib import Path

import pytest

from drstui import cli, config
from drstui.api.retry import RetryPolicy
from drstui.config import ConfigError, load_scopes
from drstui.config_schema import Settings
from drstui.headless import EXIT_UNREACHABLE, run_snapshot
from drstui.logs import clear_secrets, shutdown_logging
from drstui.monitor.cutover_log import CutoverLog, read_records
from drstui.monitor.scope import Scope
from drstui.sim.clock import ManualClock
from drstui.sim.demo import demo_core
from drstui.sim.transport import SimTransport
from drstui.sim.world import JOB_A, PROJECT_ID
from drstui.sim.credentials import SIM_REGIONS as DEMO_SCOPES
from drstui.wiring import _demo_credentials, demo_scopes, open_headless, open_session, open_sessions

CONFIG = """
default_profile = "bj4"

[profiles.bj4]
region = "cn-north-4"
project_id = "054ba152d480d55b2f5dc0069e7ddef0"
ak = "AKBJ4EXAMPLE000001"
sk = "sk-bj4-SECRET"

[profiles.sh1]
region = "cn-east-3"
project_id = "0a3c6f2e9b7d4e51a8c2f04d6b1e9a73"
ak = "AKBJ4EXAMPLE000001"
sk = "sk-bj4-SECRET"
refresh = 10

[views.cutover]
profiles = ["bj4", "sh1"]
"""


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setattr(config, "default_config_path", lambda: tmp_path / "absent" / "c.toml")
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, attempt: 0.0)
    clear_secrets()
    yield
    clear_secrets()


class SimClock(ManualClock):
    """Simulated time moves only when a test advances it; signatures are checked against real
    time (the API client signs with the wall clock)."""

    def signing_now(self) -> float:
        return time.time()


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    path.chmod(0o600)
    return path


# -- config -----------------------------------------------------------------------------------
def test_repeated_profiles_give_one_scope_each_with_its_own_region_project_and_settings(tmp_path):
    path = write(tmp_path, CONFIG)
    args = cli.build_parser().parse_args(["--config", str(path), "--profile", "bj4", "--profile", "sh1"])
    settings = cli.resolve_settings(args, environ={})
    assert [(s.profile, s.region, s.project_id, s.refresh) for s in settings.scopes] == [
        ("bj4", "cn-north-4", "054ba152d480d55b2f5dc0069e7ddef0", 5.0),
        ("sh1", "cn-east-3", "0a3c6f2e9b7d4e51a8c2f04d6b1e9a73", 10.0),
    ]
    assert all(s.ak == "AKBJ4EXAMPLE000001" for s in settings.scopes)  # one AK/SK, two regions
    # One profile named once is one scope, as before.
    single = cli.resolve_settings(cli.build_parser().parse_args(["--config", str(path), "--profile", "sh1"]), environ={})
    assert single.profile == "sh1" and single.more_scopes == ()


def test_a_named_view_and_the_default_view(tmp_path):
    path = write(tmp_path, CONFIG)
    view = load_scopes(config_path=path, view="cutover", environ={})
    assert [s.profile for s in view.scopes] == ["bj4", "sh1"] and view.view == "cutover"
    assert [s.profile for s in load_scopes(config_path=path, environ={}).scopes] == ["bj4"]
    with_default = write(tmp_path, 'default_view = "cutover"\n' + CONFIG)
    assert [s.profile for s in load_scopes(config_path=with_default, environ={}).scopes] == ["bj4", "sh1"]
    # The headless commands take the same options.
    args = cli.build_parser().parse_args(["snapshot", "--config", str(path), "--view", "cutover", "--json"])
    assert [s.profile for s in cli.resolve_settings(args, environ={}).scopes] == ["bj4", "sh1"]


@pytest.mark.parametrize(
    "extra, message",
    [
        ('[views.bad]\nprofiles = ["bj4", "nope"]\n', 'views.bad.profiles: no profile named "nope" (profiles: bj4, sh1)'),
        ('[views.bad]\nprofiles = []\n', "views.bad.profiles: must be a list of profile names"),
        ('[views.bad]\nprofiles = ["bj4"]\nregion = "x"\n', "views.bad.region: unknown key (a view has: profiles)"),
    ],
)
def test_bad_views_are_one_clear_line(tmp_path, extra, message):
    path = write(tmp_path, CONFIG + extra)
    with pytest.raises(ConfigError) as info:
        load_scopes(config_path=path, environ={})
    assert message in str(info.value) and "\n" not in str(info.value)


def test_unknown_view_and_two_profiles_on_one_scope_are_refused(tmp_path):
    path = write(tmp_path, CONFIG)
    with pytest.raises(ConfigError, match='no view named "other" \\(views: cutover\\)'):
        load_scopes(config_path=path, view="other", environ={})
    with pytest.raises(ConfigError, match="watch the same region and project"):
        load_scopes(config_path=path, profiles=["bj4", "sh1"], flags={"region": "cn-north-4", "project_id": PROJECT_ID},
                    environ={})
    args = cli.build_parser().parse_args(["--config", str(path), "--profile", "bj4", "--view", "cutover"])
    with pytest.raises(ConfigError, match="give one of them"):
        cli.resolve_settings(args, environ={})


def test_demo_watches_two_simulated_regions_by_default_and_profiles_name_them():
    two = demo_scopes(Settings(demo=True))
    assert [s.profile for s in two.scopes] == ["bj4", "sh1"]
    named = load_scopes(profiles=["east", "west", "north"], demo=True, environ={})
    assert [s.profile for s in named.scopes] == ["east", "west", "north"]
    assert demo_scopes(named) is named  # given names are kept


# -- sessions, headless -----------------------------------------------------------------------
def demo_settings(tmp_path, *names: str) -> Settings:
    first, *rest = [Settings(demo=True, seed=7, profile=name, download_dir=tmp_path / "dl") for name in names]
    import dataclasses

    return dataclasses.replace(first, more_scopes=tuple(rest))


async def test_one_session_per_scope_each_on_its_own_simulated_region(tmp_path):
    sessions = open_sessions(demo_settings(tmp_path, "bj4", "sh1"))
    try:
        assert [s.scope for s in sessions] == [Scope("bj4", region, project) for _, region, project in DEMO_SCOPES[:1]] + [
            Scope("sh1", DEMO_SCOPES[1][1], DEMO_SCOPES[1][2])]
        assert sessions[0].cloud is not sessions[1].cloud and sessions[0].actions is not sessions[1].actions
        first, second = [await s.monitor.refresh() for s in sessions]
        assert first.job(JOB_A) is not None and second.job(JOB_A) is not None  # same id, two projects
    finally:
        for s in sessions:
            await s.aclose()


async def test_headless_json_names_each_jobs_scope_and_every_scope(tmp_path):
    session = open_headless(demo_settings(tmp_path, "bj4", "sh1"), job_ids=None)
    out = io.StringIO()
    try:
        status = await run_snapshot(session, job_ids=[JOB_A], as_json=True, out=out, err=io.StringIO())
    finally:
        await session.aclose()
    document = json.loads(out.getvalue())
    assert document["schema_version"] == 1 and status == document["exit_status"]
    assert [(j["id"], j["scope"]["profile"]) for j in document["jobs"]] == [(JOB_A, "bj4"), (JOB_A, "sh1")]
    assert [(s["profile"], s["region"], s["project_id"], s["connection"]["state"]) for s in document["scopes"]] == [
        ("bj4", "cn-north-4", DEMO_SCOPES[0][2], "ok"), ("sh1", "cn-east-3", DEMO_SCOPES[1][2], "ok")]


def failing_second_scope(tmp_path):
    """Two scopes over in-process simulators; the second refuses every connection."""
    clock = SimClock()
    first = SimTransport(demo_core(seed=7, clock=clock))
    second = SimTransport(demo_core(seed=8, clock=clock, credentials=_demo_credentials(1), faults=["refuse=1"]))
    settings = demo_settings(tmp_path, "bj4", "sh1")
    sessions = [open_session(settings.scopes[0], transport=first),
                open_session(settings.scopes[1], transport=second, demo_index=1)]
    from drstui.monitor.combine import ScopeSet
    from drstui.wiring import HeadlessSessions

    return HeadlessSessions(sessions, ScopeSet([(s.scope, s.monitor) for s in sessions], label="cutover"))


async def test_one_scope_down_the_other_answers_json_says_which_and_the_gate_fails(tmp_path):
    session = failing_second_scope(tmp_path)
    out, err = io.StringIO(), io.StringIO()
    try:
        status = await run_snapshot(session, as_json=True, out=out, err=err)
    finally:
        await session.aclose()
    document = json.loads(out.getvalue())
    assert status == EXIT_UNREACHABLE == document["exit_status"]
    scopes = {s["profile"]: s["connection"] for s in document["scopes"]}
    assert scopes["bj4"]["state"] == "ok" and scopes["sh1"]["state"] != "ok" and scopes["sh1"]["reason"]
    assert document["jobs"] and {j["scope"]["profile"] for j in document["jobs"]} == {"bj4"}
    assert "sh1 (" in err.getvalue() and "bj4 (" not in err.getvalue()


async def test_cutover_log_lines_carry_their_scope(tmp_path):
    clock = SimClock()
    log = CutoverLog(directory=tmp_path / "log")
    settings = demo_settings(tmp_path, "bj4", "sh1")
    transports = [SimTransport(demo_core(seed=7, clock=clock)),
                  SimTransport(demo_core(seed=8, clock=clock, credentials=_demo_credentials(1)))]
    from datetime import datetime, timezone

    now = lambda: datetime.fromtimestamp(clock.now(), timezone.utc)  # noqa: E731
    sessions = [open_session(s, transport=t, cutover_log=log, now=now, demo_index=i)
                for i, (s, t) in enumerate(zip(settings.scopes, transports))]
    from drstui.monitor.combine import ScopeSet
    from drstui.wiring import HeadlessSessions

    session = HeadlessSessions(sessions, ScopeSet([(s.scope, s.monitor) for s in sessions], label="cutover"))

    try:
        await session.monitor.refresh()  # the baseline
        clock.advance(600)  # the comparisons running in each region finish
        await session.monitor.refresh()
        assert {t.scope.profile for t in session.monitor.last_transitions} == {"bj4", "sh1"}  # type: ignore[union-attr]
    finally:
        await session.aclose()
        log.close()
    records = [r for path in sorted((tmp_path / "log").glob("*.jsonl")) for r in read_records(path)]
    assert records, "the run logged transitions"
    seen = {(r["profile"], r["region"], r["project_id"]) for r in records}
    assert seen == {("bj4", "cn-north-4", DEMO_SCOPES[0][2]), ("sh1", "cn-east-3", DEMO_SCOPES[1][2])}


def test_cli_snapshot_with_two_demo_profiles(tmp_path, monkeypatch, capsys):
    for name in list(os.environ):
        if name.startswith(("DRSTUI_", "HUAWEICLOUD_SDK_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DRSTUI_LOG_FILE", str(tmp_path / "drstui.log"))
    try:
        cli.main(["snapshot", "--demo", "--profile", "bj4", "--profile", "sh1", "--json", "--job", JOB_A])
    finally:
        shutdown_logging()
    document = json.loads(capsys.readouterr().out)
    assert [j["scope"]["profile"] for j in document["jobs"]] == ["bj4", "sh1"]
    assert [s["profile"] for s in document["scopes"]] == ["bj4", "sh1"]


def test_cli_snapshot_text_names_each_scopes_region_and_project(tmp_path, monkeypatch, capsys):
    for name in list(os.environ):
        if name.startswith(("DRSTUI_", "HUAWEICLOUD_SDK_")):
            monkeypatch.delenv(name)
    monkeypatch.setenv("DRSTUI_LOG_FILE", str(tmp_path / "drstui.log"))
    try:
        cli.main(["snapshot", "--demo", "--profile", "bj4", "--profile", "sh1", "--job", JOB_A])
    finally:
        shutdown_logging()
    first_line = capsys.readouterr().out.splitlines()[0]
    assert first_line == (f"view drstui  bj4 (cn-north-4, project {DEMO_SCOPES[0][2]})  "
                          f"sh1 (cn-east-3, project {DEMO_SCOPES[1][2]})")
