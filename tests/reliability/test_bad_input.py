"""Bad API answers, property-based: whatever JSON (or status) any endpoint sends, a refresh
never raises and the Snapshot is well-formed (every field of the type it declares), and what
the screen would render from it can be rendered.

The transport is an `httpx.MockTransport` in front of the simulator: per request, a drawn plan
either passes the simulator's answer through, replaces the body with arbitrary JSON, grafts
arbitrary JSON into one node of the real answer, or answers an arbitrary status. Grafting keeps
most of the answer valid, so the bad value reaches deep into the parsers and the monitor.
CLI flags and config values are covered in tests/test_cli.py and tests/test_config.py.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import math
import random
import types
import typing
from datetime import datetime, timezone
from enum import Enum
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from drstui.api.cloud import CloudClient
from drstui.api.endpoints import Endpoints
from drstui.api.retry import RetryPolicy
from drstui.api.signing import AkSkAuth
from drstui.monitor import snapshot as snap
from drstui.monitor.poller import Monitor
from drstui.monitor.snapshot import LinkState, Snapshot
from drstui.sim.clock import ManualClock
from drstui.sim.demo import demo_transport

scalars = (st.none() | st.booleans() | st.integers(min_value=-(2**70), max_value=2**70)
           | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12)
           | st.sampled_from(["", "0", "-1", "12", "1736918400000", "2024-04-09T07:00:57Z",
                              "9999-99-99", "true", "SUCCESSFUL", "RUNNING", "EXPORT_COMPLETE",
                              "lines", "contents", "NaN", "1e400", "\x00\u202e", "[]", "{}"]))
json_values = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.sampled_from(["jobs", "id", "name", "status", "count", "compare_result",
                                       "compare_jobs", "total_count", "type", "source_count",
                                       "target_count", "error_code", "error_msg"])
                      | st.text(max_size=8), children, max_size=5),
    max_leaves=15,
)
plans = st.one_of(
    st.tuples(st.just("pass"), st.none(), st.integers(0, 50)),
    st.tuples(st.just("replace"), json_values, st.integers(0, 50)),
    st.tuples(st.just("graft"), json_values, st.integers(0, 200)),
    st.tuples(st.just("status"), json_values, st.sampled_from([200, 201, 204, 400, 401, 403, 404,
                                                               429, 500, 502, 503])),
    st.tuples(st.just("bytes"), st.binary(max_size=40), st.integers(0, 1)),
)


def _nodes(node: Any, out: list) -> list:
    if isinstance(node, dict):
        for key, value in node.items():
            out.append((node, key))
            _nodes(value, out)
    elif isinstance(node, list):
        for index, value in enumerate(node):
            out.append((node, index))
            _nodes(value, out)
    return out


def _apply(plan, real: httpx.Response) -> httpx.Response:
    mode, value, number = plan
    headers = {"Content-Type": "application/json", "X-Request-Id": "r"}
    if mode == "pass":
        return httpx.Response(real.status_code, headers=real.headers, content=real.content)
    if mode == "bytes":
        return httpx.Response(200, headers=headers, content=value)
    if mode in ("replace", "status"):
        status = real.status_code if mode == "replace" else number
        return httpx.Response(status, headers=headers, content=json.dumps(value).encode())
    try:  # graft
        body = json.loads(real.content)
    except ValueError:
        return httpx.Response(real.status_code, headers=real.headers, content=real.content)
    nodes = _nodes(body, [])
    if nodes:
        container, key = nodes[number % len(nodes)]
        container[key] = value
    else:
        body = value
    return httpx.Response(real.status_code, headers=headers, content=json.dumps(body).encode())


# -- well-formedness -----------------------------------------------------------------------------
def _check_value(value: Any, hint: Any, where: str) -> None:
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for option in typing.get_args(hint):
            try:
                _check_value(value, option, where)
                return
            except AssertionError as exc:
                errors.append(str(exc))
        raise AssertionError(f"{where}: {value!r} is none of {hint}: {errors}")
    if hint is type(None):
        assert value is None, f"{where}: {value!r} is not None"
        return
    if origin is tuple:
        assert isinstance(value, tuple), f"{where}: {type(value)} is not a tuple"
        item = typing.get_args(hint)[0]
        for index, element in enumerate(value):
            _check_value(element, item, f"{where}[{index}]")
        return
    if dataclasses.is_dataclass(hint):
        assert isinstance(value, hint), f"{where}: {type(value)} is not {hint}"
        check_dataclass(value, where)
        return
    if hint is float:
        assert isinstance(value, (int, float)) and not isinstance(value, bool), f"{where}: {value!r}"
        assert math.isfinite(value), f"{where}: not finite: {value!r}"
        return
    if hint is int:
        assert isinstance(value, int) and not isinstance(value, bool), f"{where}: {value!r} not int"
        return
    if hint is datetime:
        assert isinstance(value, datetime) and value.tzinfo is not None, f"{where}: {value!r}"
        return
    if isinstance(hint, type) and issubclass(hint, Enum):
        assert isinstance(value, hint), f"{where}: {value!r} is not a {hint.__name__}"
        return
    if hint is str:
        assert isinstance(value, str), f"{where}: {value!r} is not str"
        assert "\n" not in value or where.endswith("message"), f"{where}: multi-line {value!r}"
        return
    if hint is bool:
        assert isinstance(value, bool), f"{where}: {value!r}"
        return
    raise AssertionError(f"{where}: no check for {hint}")


def check_dataclass(obj: Any, where: str) -> None:
    hints = typing.get_type_hints(type(obj), vars(snap))
    for f in dataclasses.fields(obj):
        if f.name.startswith("_"):
            continue  # private caches (e.g. Snapshot._by_id)
        _check_value(getattr(obj, f.name), hints[f.name], f"{where}.{f.name}")


def check_snapshot(snapshot: Snapshot) -> None:
    assert isinstance(snapshot, Snapshot)
    check_dataclass(snapshot, "snapshot")
    ids = [job.id for job in snapshot.jobs]
    assert len(ids) == len(set(ids)), f"duplicate job ids {ids}"
    assert snapshot.connection.state != LinkState.OK or snapshot.taken_at is not None
    for state in (snapshot.connection.state,):
        if state in (LinkState.RETRYING, LinkState.STALE, LinkState.AUTH_FAILED):
            assert snapshot.connection.reason, "a failure without a reason"
    # What the screen and headless output build from it must not fail either.
    from drstui.ui.header import HeaderState, header_text
    from drstui.ui.jobs_pane import job_cells

    for job in snapshot.jobs:
        job_cells(job)
    header_text(HeaderState(profile="p", connection=snapshot.connection, taken_at=snapshot.taken_at,
                            age_seconds=0.0), 120)


# -- the property --------------------------------------------------------------------------------
async def _scenario(plan_list: list, refreshes: int) -> list[Snapshot]:
    clock = ManualClock()
    sim, creds = demo_transport(clock=clock, jobs=3)

    def now() -> datetime:
        return datetime.fromtimestamp(clock.now(), timezone.utc)

    counter = {"n": 0}

    async def handler(request: httpx.Request) -> httpx.Response:
        real = await sim.handle_async_request(request)
        await real.aread()
        plan = plan_list[counter["n"] % len(plan_list)]
        counter["n"] += 1
        return _apply(plan, real)

    async def no_sleep(_s: float) -> None:
        return None

    cloud = CloudClient(creds.region, auth=AkSkAuth(creds.ak, creds.sk, clock=now),
                        project_id=creds.project_id,
                        endpoints=Endpoints.for_region(creds.region, endpoint=creds.endpoint),
                        transport=httpx.MockTransport(handler),
                        retry_policy=RetryPolicy(max_attempts=2, sleep=no_sleep, rng=random.Random(0)))
    monitor = Monitor(cloud, profile="p", region=creds.region, project_id=creds.project_id, now=now,
                      call_timeout=5)
    snapshots = []
    try:
        for _ in range(refreshes):
            snapshots.append(await monitor.refresh())
            clock.advance(monitor.next_delay())
    finally:
        await cloud.aclose()
    return snapshots


@settings(max_examples=120, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(plan_list=st.lists(plans, min_size=1, max_size=25))
def test_any_api_answer_gives_a_well_formed_snapshot(plan_list):
    snapshots = asyncio.run(_scenario(plan_list, refreshes=3))
    assert len(snapshots) == 3
    sequences = [s.sequence for s in snapshots]
    assert sequences == sorted(set(sequences))
    for snapshot in snapshots:
        check_snapshot(snapshot)
        assert "internal error" not in (snapshot.connection.reason or ""), snapshot.connection.reason


def test_well_formedness_check_catches_a_bad_snapshot():
    """The checker above is not vacuous."""
    good = asyncio.run(_scenario([("pass", None, 0)], refreshes=1))[0]
    check_snapshot(good)
    assert good.connection.state == LinkState.OK and len(good.jobs) == 3
    bad_job = dataclasses.replace(good.jobs[0], name=7)  # type: ignore[arg-type]
    try:
        check_snapshot(dataclasses.replace(good, jobs=(bad_job,)))
    except AssertionError as exc:
        assert "name" in str(exc)
    else:
        raise AssertionError("a job name of 7 passed the check")
    later = dataclasses.replace(good, taken_at=good.taken_at.replace(tzinfo=None))
    try:
        check_snapshot(later)
    except AssertionError:
        pass
    else:
        raise AssertionError("a naive datetime passed the check")
