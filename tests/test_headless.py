"""drstui snapshot / drstui watch (drstui.headless): exit statuses, JSON schema (golden file),
the table, watch against a simulator whose clock is advanced, the cutover log, the CLI.

Everything runs on the in-process simulator (or a closed loopback port); nothing really sleeps.
Regenerate the golden file after an intended schema or simulator change with
DRSTUI_UPDATE_GOLDEN=1 .venv/bin/python -m pytest tests/test_headless.py
"""

from __future__ import annotations

import io
import json
import os
import socket
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pytest

from drstui import cli
from drstui.api.retry import RetryPolicy
from drstui.config_schema import Settings
from drstui.headless import (
    EXIT_BAD_ARGS,
    EXIT_CONSISTENT,
    EXIT_NOT_CONSISTENT,
    EXIT_UNREACHABLE,
    run_snapshot,
    watch_loop,
)
from drstui.headless_format import SCHEMA_VERSION
from drstui.logs import clear_secrets, register_secret, shutdown_logging
from drstui.monitor import changes
from drstui.monitor.cutover_log import CutoverLog, read_events
from drstui.sim.clock import ManualClock
from drstui.sim.credentials import DEFAULT_AK
from drstui.sim.core import SimCore
from drstui.sim.transport import SimTransport
from drstui.sim.world import JOB_A, JOB_C, PROJECT_ID

GOLDEN = Path(__file__).parent / "data" / "golden" / "snapshot.json"
RUNNING_JOB = "DRS-orders-mysql-001"  # seed 7: object + lines comparisons running at the start
SECRET_SK = "sk-HEADLESS-SECRET-0123456789"


class SimClock(ManualClock):
    """Simulated time moves only when a test advances it. Signatures are checked against real
    time, as with the demo's WallClock: the API client signs with the wall clock."""

    def signing_now(self) -> float:
        return time.time()


async def no_sleep(_seconds: float) -> None:
    return None


@dataclass
class Rig:
    session: object
    clock: SimClock
    transport: SimTransport

    @property
    def core(self) -> SimCore:
        return self.transport.core

    def now(self) -> datetime:
        return datetime.fromtimestamp(self.clock.now(), timezone.utc)

    def job_id(self, name: str) -> str:
        return next(job.id for job in self.core.world.project.jobs.values() if job.name == name)

    def sleeper(self, on_sleep=None):
        """A fake asyncio.sleep that advances the simulator clock; `on_sleep(n)` after the n-th."""
        slept: list[float] = []

        async def sleep(seconds: float) -> None:
            slept.append(seconds)
            self.clock.advance(seconds)
            if on_sleep is not None:
                on_sleep(len(slept))

        sleep.slept = slept  # type: ignore[attr-defined]
        return sleep


@pytest.fixture(autouse=True)
def _fast_retries(monkeypatch):
    """The API layer retries connection errors with jittered backoff: make that instant."""
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, attempt: 0.0)


@pytest.fixture
def make_rig(tmp_path):
    def make(*, jobs=None, consistent_world=False, job_ids=None, cutover_log=None, settings=None):
        clock = SimClock()
        options = {"inconsistency_rate": 0.0, "failure_rate": 0.0} if consistent_world else {}
        core = SimCore.create(seed=7, clock=clock, jobs=jobs, **options)
        transport = SimTransport(core, sleeper=no_sleep)
        settings = settings or Settings(demo=True, seed=7, refresh=5.0, download_dir=tmp_path / "dl")
        from drstui.wiring import open_session

        rig = Rig(None, clock, transport)
        rig.session = open_session(settings, transport=transport, now=rig.now, job_ids=job_ids,
                                   cutover_log=cutover_log)
        return rig

    return make  # each test closes its session (snapshot_of / watch do)


async def snapshot_of(rig: Rig, job_ids=(), *, as_json=False, colour=False):
    out, err = io.StringIO(), io.StringIO()
    try:
        status = await run_snapshot(rig.session, job_ids=list(job_ids), as_json=as_json, out=out,
                                    err=err, colour=colour)
    finally:
        await rig.session.aclose()
    return status, out.getvalue(), err.getvalue()


async def watch(rig: Rig, job_ids=(), timeout=3600.0, on_sleep=None):
    out, err = io.StringIO(), io.StringIO()
    sleep = rig.sleeper(on_sleep)
    try:
        status = await watch_loop(rig.session, "consistent", timeout, job_ids=list(job_ids),
                                  sleep=sleep, now=rig.now, out=out, err=err)
    finally:
        await rig.session.aclose()
    return status, out.getvalue().splitlines(), err.getvalue(), sleep.slept


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]  # closed again on leaving: nothing listens there


# -- snapshot: exit statuses ------------------------------------------------------------------
async def test_snapshot_0_when_every_selected_comparison_finished_consistent(make_rig):
    rig = make_rig(consistent_world=True)
    running = rig.job_id(RUNNING_JOB)
    rig.clock.advance(300)  # both comparisons of that job have finished by now
    status, out, err = await snapshot_of(rig, [running], as_json=True)
    document = json.loads(out)
    assert status == EXIT_CONSISTENT and document["exit_status"] == 0 and err == ""
    assert [job["id"] for job in document["jobs"]] == [running]
    job = document["jobs"][0]
    assert job["verdict"] == "consistent"
    assert job["object_comparison"]["status"] == "SUCCESSFUL"
    assert all(t["result"] == "consistent" and t["difference"] == 0 for t in job["object_comparison"]["types"])
    lines = job["data_comparisons"][0]
    assert lines["type"] == "lines" and lines["tables_inconsistent"] == 0 and lines["tables_total"] == 16
    assert document["summary"] == {"jobs": 1, "consistent": 1, "inconsistent": 0, "failed": 0,
                                   "running": 0, "none": 0, "unknown": 0, "with_problems": 0,
                                   "ready": 0}  # one refresh cannot see the lag steady for 2 min


async def test_snapshot_1_when_inconsistent(make_rig):
    status, out, _ = await snapshot_of(make_rig(), [JOB_A], as_json=True)
    document = json.loads(out)
    assert status == EXIT_NOT_CONSISTENT == document["exit_status"]
    job = document["jobs"][0]
    assert job["name"] == "DRS-orders-sync" and job["verdict"] == "inconsistent"
    index = next(t for t in job["object_comparison"]["types"] if t["type"] == "INDEX")
    assert index["result"] == "inconsistent" and index["difference"] == index["source_count"] - index["target_count"] > 0
    lines = next(c for c in job["data_comparisons"] if c["type"] == "lines")
    assert lines["tables"][0]["source_table"] == "order_items" and lines["tables"][0]["result"] == "inconsistent"
    assert lines["export"]["status"] == "EXPORT_COMPLETE" and lines["export"]["remain_seconds"] > 0


@pytest.mark.parametrize("name, verdict", [(RUNNING_JOB, "running"), ("DRS-archive-full", "none")])
async def test_snapshot_1_while_running_or_without_comparison(make_rig, name, verdict):
    rig = make_rig()
    status, out, _ = await snapshot_of(rig, [rig.job_id(name)], as_json=True)
    assert status == EXIT_NOT_CONSISTENT
    assert json.loads(out)["jobs"][0]["verdict"] == verdict


async def test_snapshot_1_when_part_of_a_consistent_job_could_not_be_read(make_rig):
    rig = make_rig(consistent_world=True)
    running = rig.job_id(RUNNING_JOB)
    rig.clock.advance(300)
    rig.core.faults.add(f"5xx=1@/v5/*/jobs/{running}/health-compare-jobs")
    status, out, _ = await snapshot_of(rig, [running], as_json=True)
    job = json.loads(out)["jobs"][0]
    assert job["verdict"] == "consistent" and job["problems"] and status == EXIT_NOT_CONSISTENT


async def test_snapshot_2_when_the_api_refuses_connections(make_rig):
    rig = make_rig()
    rig.transport.refuse_connections = True
    status, out, err = await snapshot_of(rig, as_json=True)
    document = json.loads(out)
    assert status == EXIT_UNREACHABLE == document["exit_status"]
    assert document["connection"]["state"] == "retrying" and document["jobs"] == []
    assert document["taken_at"] is None and "connection" in document["connection"]["reason"]
    assert err.startswith("drstui: cannot reach the API: drs-sim.invalid: connection refused")
    assert "retrying" not in err  # it exits: no internal state name, no promise of a retry


async def test_snapshot_2_on_a_closed_loopback_port_and_secrets_stay_out(tmp_path):
    from drstui.wiring import open_session

    register_secret(SECRET_SK)
    try:
        settings = Settings(ak="HEADLESSAK0000000001", sk=SECRET_SK, region="cn-north-4",
                            project_id=PROJECT_ID, endpoint=f"http://127.0.0.1:{closed_port()}",
                            download_dir=tmp_path / "dl", timeout=5.0)
        session = open_session(settings)
        out, err = io.StringIO(), io.StringIO()
        try:
            status = await run_snapshot(session, as_json=False, out=out, err=err)
        finally:
            await session.aclose()
    finally:
        clear_secrets()
    assert status == EXIT_UNREACHABLE
    assert "cannot reach the API" in err.getvalue() and out.getvalue() == ""
    assert SECRET_SK not in out.getvalue() + err.getvalue()


async def test_snapshot_2_when_credentials_are_refused_and_the_secret_is_not_printed(make_rig, tmp_path):
    register_secret(SECRET_SK)
    try:
        # The simulator's access key with a wrong secret key: the signature is refused.
        wrong = Settings(ak=DEFAULT_AK, sk=SECRET_SK, region="cn-north-4",
                         project_id=PROJECT_ID, download_dir=tmp_path / "dl")
        status, out, err = await snapshot_of(make_rig(settings=wrong), as_json=True)
    finally:
        clear_secrets()
    document = json.loads(out)
    assert status == EXIT_UNREACHABLE and document["connection"]["state"] == "auth-failed"
    assert "credentials refused" in err
    assert "cannot reach" not in err and "auth-failed" not in err  # the API was reached
    assert err.startswith("drstui: the API refused the credentials: ")
    assert SECRET_SK not in out + err


async def test_snapshot_2_for_an_unknown_job_id(make_rig):
    status, out, err = await snapshot_of(make_rig(), [JOB_A, "no-such-job"], as_json=True)
    assert status == EXIT_BAD_ARGS and out == ""
    assert err.startswith("drstui snapshot: unknown job id no-such-job: no such DRS job in project ")
    assert "without --job" in err


# -- snapshot: JSON golden file and the table -------------------------------------------------
async def test_snapshot_json_matches_the_golden_file(make_rig):
    """Seed 7, 6 jobs, simulator clock at 2025-01-15T08:30:00Z, `now` fixed to it."""
    status, out, _ = await snapshot_of(make_rig(jobs=6), as_json=True)
    document = json.loads(out)
    if os.environ.get("DRSTUI_UPDATE_GOLDEN"):
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_text(out, encoding="utf-8")
    assert document == json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert status == document["exit_status"] == EXIT_NOT_CONSISTENT


async def test_snapshot_json_has_compare_policies_children_and_live_progress(tmp_path):
    from drstui.sim.world import JOB_A
    from drstui.wiring import open_session

    clock = SimClock()
    core = SimCore.create(seed=7, clock=clock, multi_task_jobs=1)
    rig = Rig(None, clock, SimTransport(core, sleeper=no_sleep))
    rig.session = open_session(Settings(demo=True, seed=7, refresh=5.0, download_dir=tmp_path / "dl"),
                               transport=rig.transport, now=rig.now)
    status, out, _ = await snapshot_of(rig, as_json=True)
    jobs = {job["id"]: job for job in json.loads(out)["jobs"]}
    policy = core.world.project.jobs[JOB_A].compare_policy
    assert jobs[JOB_A]["compare_policy"]["status"] == policy.status
    parent = next(j for j in core.world.project.jobs.values() if j.mode_role == "parent")
    kids = [c.id for c in parent.children]
    assert sorted(jobs[parent.id]["children"]) == sorted(kids) and jobs[parent.id]["compare_policy"] is None
    assert all(jobs[kid]["parent_id"] == parent.id for kid in kids)
    running = next(c for c in jobs[kids[0]]["data_comparisons"] if c["live"] is not None)
    assert running["live"]["recheck_rows"] == 3 and running["live"]["incremental_delay"] == 2.0
    assert all(c["live"] is None for job in jobs.values() for c in job["data_comparisons"]
               if c["status"] == "SUCCESSFUL")
    assert len(core.received) and sum(1 for r in core.received if r.endpoint == "drs.show_compare_policy") \
        == len(jobs) - 1  # once per job, none for the parent


def test_golden_file_covers_the_schema():
    """The golden file has every verdict worth gating on and the documented keys."""
    document = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert document["schema_version"] == SCHEMA_VERSION == 1
    assert document["taken_at"] == "2025-01-15T08:30:00Z"
    assert list(document) == ["schema_version", "taken_at", "profile", "region", "project_id",
                              "connection", "exit_status", "readiness", "summary", "jobs", "scopes"]
    assert document["scopes"] == [{"profile": "demo", "region": "cn-north-4", "project_id": PROJECT_ID,
                                   "connection": {"state": "ok", "reason": None, "since": None},
                                   "taken_at": "2025-01-15T08:30:00Z"}]
    assert document["readiness"]["verdict"] == "not_ready" and document["readiness"]["reasons"]
    assert document["summary"]["ready"] == sum(
        1 for job in document["jobs"] if job["readiness"]["verdict"] == "ready")
    summary = document["summary"]
    assert summary["jobs"] == len(document["jobs"]) == sum(
        summary[key] for key in ("consistent", "inconsistent", "failed", "running", "none", "unknown"))
    assert {job["verdict"] for job in document["jobs"]} >= {"inconsistent", "failed", "running", "none"}
    for job in document["jobs"]:
        assert list(job) == ["id", "scope", "name", "status", "engine_type", "job_type", "verdict",
                             "object_comparison", "data_comparisons", "health_comparisons", "problems",
                             "parent_id", "children", "compare_policy", "readiness", "replication"]
        assert set(job["readiness"]) == {"verdict", "reasons"}
        assert list(job["replication"]) == ["lag_ms", "source_lag_ms", "target_lag_ms", "progress_percent",
                                            "remaining_seconds", "source_ok", "target_ok", "updated_at",
                                            "rpo_seconds", "rto_seconds"]
        assert job["scope"] == {"profile": "demo", "region": "cn-north-4", "project_id": PROJECT_ID}
        if job["object_comparison"]:
            assert set(job["object_comparison"]["types"][0]) == {
                "type", "source_count", "target_count", "difference", "result"}
        for comparison in job["data_comparisons"]:
            assert {"id", "type", "status", "verdict", "tables_inconsistent", "tables"} <= set(comparison)


async def test_snapshot_table_for_people(make_rig):
    status, out, _ = await snapshot_of(make_rig(jobs=6), colour=False)
    lines = out.splitlines()
    assert status == EXIT_NOT_CONSISTENT
    assert lines[0] == f"profile demo  region cn-north-4  project {PROJECT_ID}"
    assert lines[1] == "taken 2025-01-15T08:30:00Z  connection ok"
    assert lines[3].split() == ["JOB", "STATUS", "VERDICT"]
    orders = lines.index(next(line for line in lines if line.startswith("DRS-orders-sync ")))
    assert lines[orders].split() == ["DRS-orders-sync", "INCRE_TRANSFER_STARTED", "inconsistent"]
    block = "\n".join(lines[orders:orders + 10])
    assert f"id        {JOB_A}" in block
    assert "objects   dc1683d9 SUCCESSFUL" in block and "differ (source/target): " in block
    assert "INDEX 32/23" in block or "+" in block
    assert "3/13 tables differ: orders.order_items" in block
    assert "exports   lines 08cad1f8 report ready, 245 s left" in block
    assert lines[-2:] == ["6 jobs: 0 consistent, 2 inconsistent, 1 failed, 1 running, 2 none",
                          "exit 1: not all consistent"]
    running = lines.index(next(line for line in lines if line.startswith("DRS-orders-mysql-001 ")))
    assert lines[running + 3:running + 6] == [
        "            0/7 types compared",
        "  lines     a80e00d8 RUNNING             running",
        "            6% done, 0/16 tables differ"]
    assert "\x1b[" not in out  # not a terminal: no colour codes
    # 80 columns, except an API error message, which is printed whole.
    assert max(len(line) for line in lines if "error: " not in line) <= 80


async def test_snapshot_table_colours_only_when_asked(make_rig):
    _, out, _ = await snapshot_of(make_rig(), [JOB_A], colour=True)
    assert "\x1b[33minconsistent\x1b[0m" in out


def test_use_colour_needs_a_terminal_and_no_NO_COLOR():
    from drstui.headless_format import use_colour

    class Tty(io.StringIO):
        def isatty(self):
            return True

    assert use_colour(Tty(), {}) and not use_colour(io.StringIO(), {})
    assert not use_colour(Tty(), {"NO_COLOR": ""}) and not use_colour(Tty(), {"TERM": "dumb"})


# -- watch ------------------------------------------------------------------------------------
async def test_watch_prints_transitions_until_consistent(make_rig, tmp_path):
    log_path = tmp_path / "cutover.jsonl"
    with CutoverLog(log_path) as cutover_log:
        rig = make_rig(consistent_world=True, cutover_log=cutover_log)
        running = rig.job_id(RUNNING_JOB)
        status, lines, err, slept = await watch(rig, [running])
    assert status == EXIT_CONSISTENT and err == ""
    assert lines[0] == "2025-01-15T08:30:00Z watching 1 job(s) until consistent (timeout 1h); " \
                       f"cutover log {log_path}"
    job = next(job for job in rig.session.monitor.snapshot.jobs if job.id == running)
    object_id, lines_id = job.object_comparison.compare_job_id[:8], job.data_comparisons[0].id[:8]
    assert lines[1] == ("2025-01-15T08:30:00Z DRS-orders-mysql-001: running "
                        f"(object {object_id} RUNNING, lines {lines_id} RUNNING)")
    assert set(slept) == {5.0}  # the refresh interval
    assert any(line.endswith(f"DRS-orders-mysql-001: object comparison {object_id} RUNNING → SUCCESSFUL")
               for line in lines)
    assert any(f"DRS-orders-mysql-001: lines comparison {lines_id} is consistent" in line for line in lines)
    assert lines[-1].endswith(" consistent: all 1 selected job(s)")
    # Every line has a UTC timestamp, in order.
    stamps = [line.split(" ", 1)[0] for line in lines]
    assert stamps == sorted(stamps) and all(stamp.endswith("Z") for stamp in stamps)

    # The cutover log holds exactly the transitions that were printed.
    events = read_events(log_path)
    printed = [line.split(" ", 1)[1] for line in lines]
    assert events and [event.message for event in events] == [
        message for message in printed if message.startswith("DRS-orders-mysql-001: ") and "(object" not in message]
    assert {event.kind for event in events} >= {changes.COMPARISON_STATUS, changes.COMPARISON_VERDICT}
    record = json.loads(log_path.read_text().splitlines()[0])
    assert record["job_id"] == running and record["time"].startswith("2025-01-15T08:3")


async def test_watch_1_when_a_job_finishes_inconsistent(make_rig):
    # DRS-orders-sync is inconsistent, but its health comparison only starts at +120 s and runs
    # 30 s: watch waits for it, then reports the final verdict.
    status, lines, _, slept = await watch(make_rig(), [JOB_A])
    assert status == EXIT_NOT_CONSISTENT
    assert "DRS-orders-sync: inconsistent (health 118d1bdc WAITING_FOR_RUNNING)" in lines[1]
    assert any("WAITING_FOR_RUNNING → RUNNING" in line for line in lines)
    assert lines[-1].endswith("not consistent: DRS-orders-sync inconsistent")
    assert 150 <= sum(slept) <= 160


async def test_watch_1_at_once_for_a_job_without_comparison(make_rig):
    status, lines, _, slept = await watch(make_rig(), [JOB_C])
    assert status == EXIT_NOT_CONSISTENT and slept == []
    assert lines[-1] == "2025-01-15T08:30:00Z not consistent: DRS-archive-full (no comparison)"


async def test_watch_times_out_with_status_1(make_rig):
    rig = make_rig()
    running = rig.job_id(RUNNING_JOB)
    status, lines, _, slept = await watch(rig, [running], timeout=12)
    assert status == EXIT_NOT_CONSISTENT
    assert slept == [5.0, 5.0, 2.0]  # the last wait stops at the deadline, then one last look
    assert lines[-1].startswith("2025-01-15T08:30:12Z timed out after 12s: still waiting for "
                                "DRS-orders-mysql-001 (object 5af538dd RUNNING")


async def test_watch_keeps_waiting_while_the_api_is_unreachable(make_rig):
    rig = make_rig(consistent_world=True)

    def network(n: int) -> None:  # down after the 1st wait, back after the 4th
        rig.transport.refuse_connections = 1 <= n < 4

    status, lines, _, slept = await watch(rig, [rig.job_id(RUNNING_JOB)], on_sleep=network)
    assert status == EXIT_CONSISTENT
    failed = [line for line in lines if "refresh failed, retrying: drs-sim.invalid: connection refused" in line]
    stale = [line for line in lines if "data is stale" in line]
    restored = [line for line in lines if line.endswith(" connection restored")]
    assert len(failed) == len(stale) == len(restored) == 1
    assert lines.index(failed[0]) < lines.index(stale[0]) < lines.index(restored[0])
    assert slept[1] > 5.0  # backing off while failing, like the app


async def test_watch_2_when_the_timeout_passes_while_unreachable(make_rig):
    rig = make_rig()
    rig.transport.refuse_connections = True
    status, lines, _, _ = await watch(rig, timeout=60)
    assert status == EXIT_UNREACHABLE
    assert "refresh failed, retrying" in lines[1]
    assert "timed out after 1m while the API is unreachable: drs-sim.invalid: connection refused" in lines[-1]


async def test_watch_2_when_credentials_are_refused(make_rig, tmp_path):
    wrong = Settings(ak=DEFAULT_AK, sk=SECRET_SK, region="cn-north-4",
                     project_id=PROJECT_ID, download_dir=tmp_path / "dl")
    status, lines, _, slept = await watch(make_rig(settings=wrong))
    assert status == EXIT_UNREACHABLE and slept == []
    assert "credentials refused" in lines[1] and lines[-1].split(" ", 1)[1].startswith("giving up: ")
    assert all(SECRET_SK not in line for line in lines)


async def test_watch_2_for_an_unknown_job_id(make_rig):
    status, lines, err, _ = await watch(make_rig(), ["no-such-job"])
    assert status == EXIT_BAD_ARGS and len(lines) == 1
    assert err.startswith("drstui watch: unknown job id no-such-job")


# -- output details ---------------------------------------------------------------------------
def test_lines_fall_back_to_ascii_where_the_stream_cannot_encode():
    from drstui.headless_output import say as _say

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    _say(stream, "DRS-orders-sync: object comparison dc1683d9 RUNNING → SUCCESSFUL")
    stream.flush()
    assert raw.getvalue() == b"DRS-orders-sync: object comparison dc1683d9 RUNNING -> SUCCESSFUL\n"


# -- through the command line -----------------------------------------------------------------
@pytest.fixture
def isolated_cli(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith(("DRSTUI_", "HUAWEICLOUD_SDK_")):
            monkeypatch.delenv(name)
    config = tmp_path / "config.toml"
    config.write_text("")
    config.chmod(0o600)
    monkeypatch.setenv("DRSTUI_CONFIG", str(config))
    monkeypatch.setenv("DRSTUI_LOG_FILE", str(tmp_path / "drstui.log"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    yield tmp_path
    shutdown_logging()


def test_cli_snapshot_demo_json_end_to_end(isolated_cli, capsys):
    status = cli.main(["snapshot", "--demo", "--json"])
    captured = capsys.readouterr()
    document = json.loads(captured.out)
    assert status == document["exit_status"] == EXIT_NOT_CONSISTENT
    assert document["schema_version"] == 1 and document["profile"] == "demo"
    assert document["connection"]["state"] == "ok" and len(document["jobs"]) == 12
    assert captured.err == ""


def test_cli_snapshot_table_and_unknown_job(isolated_cli, capsys):
    assert cli.main(["snapshot", "--demo", "--job", JOB_A]) == EXIT_NOT_CONSISTENT
    out = capsys.readouterr().out
    assert "DRS-orders-sync" in out and "\x1b[" not in out and "DRS-billing-sync" not in out
    assert cli.main(["snapshot", "--demo", "--job", "nope"]) == EXIT_BAD_ARGS
    captured = capsys.readouterr()
    assert captured.out == "" and "unknown job id nope" in captured.err


def test_cli_watch_unknown_job_is_2_without_waiting(isolated_cli, capsys):
    assert cli.main(["watch", "--demo", "--job", "nope", "--timeout", "30m"]) == EXIT_BAD_ARGS
    captured = capsys.readouterr()
    assert "watching 1 job(s) until consistent (timeout 30m)" in captured.out
    assert "drstui watch: unknown job id nope" in captured.err
