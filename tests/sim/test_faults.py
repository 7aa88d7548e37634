"""Fault specs, the plan, and each fault kind through the core and the in-process transport."""

import httpx
import pytest

from drstui.sim import FaultPlan, FaultSpecError, SimCore, SimTransport
from drstui.sim.faults import parse_fault_spec

from .helpers import JOB_A, Caller, drs, drs5

SYNC = {"job_type": "sync"}


def test_spec_grammar():
    assert parse_fault_spec("5xx=0.3").value == 0.3
    assert parse_fault_spec("latency=200ms").value == pytest.approx(0.2)
    assert parse_fault_spec("latency=2").value == 2.0
    assert parse_fault_spec("token-expiry=1m").value == 60
    rule = parse_fault_spec("5xx=1,status=503@/v3/*/jobs/*/object/compare")
    assert (rule.kind, rule.status, rule.path_glob) == ("5xx", 503, "/v3/*/jobs/*/object/compare")
    assert parse_fault_spec("429=0.5,retry-after=3s").retry_after == 3
    assert parse_fault_spec("timeout=1,hang=50ms").hang_seconds == pytest.approx(0.05)
    for bad in ("5xx", "5xx=1.5", "boom=1", "latency=fast", "429=1,status=500", "5xx=1,status=404",
                "drop=0.1@v3/*"):
        with pytest.raises(FaultSpecError):
            parse_fault_spec(bad)


def test_plan_is_deterministic_and_clearable():
    def draws(seed: int) -> list[bool]:
        plan = FaultPlan(seed, ["5xx=0.5"])
        return [plan.decide("/x").error_status is not None for _ in range(50)]

    assert draws(1) == draws(1)
    assert 10 < sum(draws(1)) < 40
    plan = FaultPlan(1, ["5xx=1", "latency=1s"])
    plan.clear("5xx")
    decision = plan.decide("/x")
    assert decision.error_status is None and decision.delay_seconds == 1
    plan.clear()
    assert plan.rules == []


@pytest.fixture
def faulty(clock) -> tuple[SimCore, Caller]:
    core = SimCore.create(seed=7, clock=clock)
    caller = Caller(core)
    caller.token()
    return core, caller


def test_5xx_and_path_glob(faulty):
    core, call = faulty
    core.faults.add("5xx=1@/v3/*/jobs/*/object/compare")
    answer = call.get(drs(f"/{JOB_A}/object/compare"))
    assert answer.status == 500 and answer.json()["error_code"] == "SIM.0500"
    assert call.get(drs(f"/{JOB_A}/object/compare/TABLE")).status == 200
    assert call.get(drs5(""), SYNC).status == 200
    assert core.log[-3].faults == ("5xx",)


def test_429_retry_after(faulty):
    core, call = faulty
    core.faults.add("429=1,retry-after=3s")
    answer = call.get(drs5(""), SYNC)
    assert answer.status == 429 and answer.headers["Retry-After"] == "3"
    assert answer.json()["error_code"] == "APIGW.0308" and answer.json()["request_id"]


def test_429_is_not_state_changing(faulty):
    core, call = faulty
    before = len(core.world.project.jobs[JOB_A].comparisons)
    core.faults.add("429=1")
    call.post(drs("/create-compare-task"), {"job_id": JOB_A, "object_level_compare_type": "objects"})
    assert len(core.world.project.jobs[JOB_A].comparisons) == before


def test_body_faults(faulty):
    core, call = faulty
    core.faults.add("malformed=1")
    with pytest.raises(ValueError):
        call.get(drs5(""), SYNC).json()
    core.faults.clear()
    core.faults.add("wrong-type=1")
    assert isinstance(call.get(drs5(""), SYNC).json()["total_count"], str)
    core.faults.clear()
    core.faults.add("unknown-enum=1")
    overview = call.get(drs(f"/{JOB_A}/object/compare")).json()
    assert overview["status"] == "SIM_UNKNOWN_VALUE"
    jobs = call.get(drs5(""), SYNC).json()["jobs"]
    assert jobs[0]["status"] == "SIM_UNKNOWN_VALUE"


def test_token_expiry_fault(faulty, clock):
    core, call = faulty
    core.faults.add("token-expiry=60s")
    assert call.get(drs5(""), SYNC).status == 200
    clock.advance(60)
    answer = call.get(drs5(""), SYNC)
    assert answer.status == 401 and answer.json()["error_code"] == "APIGW.0301"
    assert call.get(drs5(""), SYNC, auth="aksk").status == 200  # signatures are unaffected


def test_adapter_faults_marked_by_core(faulty):
    core, call = faulty
    core.faults.add("drop=1@/v3/tasks")
    core.faults.add("timeout=1,hang=5s@/v3/sources")
    core.faults.add("refuse=1@/v5/*")
    core.faults.add("latency=250ms")
    assert call.get("/v3/tasks").fault == "drop"
    hung = call.get("/v3/sources")
    assert (hung.fault, hung.hang_seconds, hung.delay_seconds) == ("hang", 5, 0.25)
    assert call.get(drs5(""), SYNC).fault == "refuse"


class FakeSleep:
    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


async def test_transport_turns_faults_into_network_errors(faulty):
    core, call = faulty
    sleep = FakeSleep()
    transport = SimTransport(core, sleeper=sleep)
    headers = {"X-Auth-Token": call.token()}
    async with httpx.AsyncClient(transport=transport, base_url="http://anything.invalid") as client:
        core.faults.add("latency=200ms")
        assert (await client.get("/v3/tasks", headers=headers)).status_code == 200
        assert sleep.calls == [pytest.approx(0.2)]
        core.faults.clear()
        core.faults.add("timeout=1,hang=30s")
        with pytest.raises(httpx.ReadTimeout):
            await client.get("/v3/tasks", headers=headers)
        assert sleep.calls[-1] == 30
        core.faults.clear()
        core.faults.add("drop=1")
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get("/v3/tasks", headers=headers)
        core.faults.clear()
        core.faults.add("refuse=1")
        with pytest.raises(httpx.ConnectError):
            await client.get("/v3/tasks", headers=headers)
        core.faults.clear()
        transport.refuse_connections = True
        with pytest.raises(httpx.ConnectError):
            await client.get("/v3/tasks", headers=headers)
        transport.refuse_connections = False
        assert (await client.get("/v3/tasks", headers=headers)).status_code == 200


def test_drop_loses_the_answer_after_the_work(faulty):
    """A dropped POST may still have done its work: the case clients must not duplicate."""
    core, call = faulty
    before = len(core.world.project.jobs[JOB_A].comparisons)
    core.faults.add("drop=1")
    answer = call.post(drs("/create-compare-task"), {"job_id": JOB_A, "object_level_compare_type": "objects"})
    assert answer.fault == "drop"
    assert len(core.world.project.jobs[JOB_A].comparisons) == before + 1
