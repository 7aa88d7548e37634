"""Both adapters serve the same core: httpx in-process transport and real loopback HTTP."""

import json

import httpx
import pytest

from drstui.sim import SimCore, SimTransport
from drstui.sim.demo import demo_transport
from drstui.sim.server import serve_in_thread

from .helpers import JOB_A, LINES_A, PROJECT, encode_query, login_body, sdk_date, sign


async def _login(client: httpx.AsyncClient, creds) -> str:
    answer = await client.post("/v3/auth/tokens?nocatalog=true", json=login_body(creds))
    assert answer.status_code == 201
    return answer.headers["X-Subject-Token"]


def _signed(creds, clock_now: float, method: str, url: httpx.URL, body: bytes = b"") -> dict[str, str]:
    host = url.netloc.decode()
    headers = {"Content-Type": "application/json", "Host": host, "X-Project-Id": creds.project_id,
               "X-Sdk-Date": sdk_date(clock_now)}
    headers["Authorization"] = sign(method, url.raw_path.decode().split("?")[0], url.query.decode(), headers, body,
                                    creds.ak, creds.sk)
    return headers


async def _exercise(client: httpx.AsyncClient, core: SimCore) -> None:
    creds = core.credentials
    token = await _login(client, creds)
    jobs = await client.get(f"/v5/{PROJECT}/jobs", params={"job_type": "sync"}, headers={"X-Auth-Token": token})
    assert jobs.status_code == 200 and jobs.json()["total_count"] == 6
    assert jobs.headers["x-request-id"]
    # AK/SK with special characters in the query, built the SDK way.
    query = encode_query({"db_name": "orders", "query_tb_name": "ord items*/~", "limit": 50, "offset": 0})
    url = client.base_url.join(f"/v3/{PROJECT}/jobs/{JOB_A}/compare/{LINES_A}/line-detail?{query}")
    answer = await client.get(url, headers=_signed(creds, core.clock.signing_now(), "GET", url))
    assert answer.status_code == 200, answer.text
    body = json.dumps({"job_id": JOB_A, "object_level_compare_type": "objects"}, ensure_ascii=False).encode()
    url = client.base_url.join(f"/v3/{PROJECT}/jobs/create-compare-task")
    created = await client.post(url, content=body, headers=_signed(creds, core.clock.signing_now(), "POST", url, body))
    assert created.status_code == 200 and "compare_task_id" in created.json()["object_level_compare_create_result"]
    assert core.count("drs.create_compare_task") == 1


async def test_in_process_transport(clock):
    transport, creds = demo_transport(seed=7, clock=clock)
    async with httpx.AsyncClient(transport=transport, base_url=creds.endpoint) as client:
        await _exercise(client, transport.core)


async def test_loopback_http_server(clock):
    core = SimCore.create(seed=7, clock=clock)
    server = serve_in_thread(core, "127.0.0.1", 0)
    try:
        assert server.url.startswith("http://127.0.0.1:")
        async with httpx.AsyncClient(base_url=server.url, timeout=5) as client:
            await _exercise(client, core)
            core.faults.add("drop=1@/v3/tasks")
            with pytest.raises(httpx.HTTPError):
                await client.get("/v3/tasks", headers={"X-Auth-Token": await _login(client, core.credentials)})
            core.faults.clear()
            core.faults.add("timeout=1,hang=10s@/v3/sources")
            with pytest.raises(httpx.ReadTimeout):
                await client.get("/v3/sources", timeout=0.3)
            core.faults.clear()
            ok = await client.get("/v3/sources", headers={"X-Auth-Token": await _login(client, core.credentials)})
            assert ok.status_code == 200
            export = await client.post(f"/v3/{PROJECT}/jobs/{JOB_A}/compare/result/file",
                                       json={"compare_type": "lines", "compare_job_id": LINES_A},
                                       headers={"X-Auth-Token": await _login(client, core.credentials)})
            assert export.status_code == 400  # no Region header
    finally:
        server.close()


def test_demo_transport_defaults():
    transport, creds = demo_transport()
    assert isinstance(transport, SimTransport)
    assert creds.ak == "DRSSIMACCESSKEY00001" and creds.project_id == PROJECT and creds.region == "cn-north-4"
    assert creds.sk not in repr(creds) and creds.password not in repr(creds)
    assert len(transport.core.world.project.jobs) == 12
    small, _ = demo_transport(jobs=3, faults=["429=0.1"])
    assert len(small.core.world.project.jobs) == 3 and small.core.faults.rules[0].kind == "429"


def test_same_seed_same_world(clock):
    def snapshot(seed: int) -> list:
        core = SimCore.create(seed=seed, clock=clock, jobs=30, tables=40)
        return [(j.id, j.status, j.engine.engine_type, [(t.name, t.rows) for t in j.tables],
                 [(c.id, c.timeline.outcome) for c in j.comparisons]) for j in core.world.project.jobs.values()]

    assert snapshot(11) == snapshot(11)
    assert snapshot(11) != snapshot(12)
    ids = [row[0] for row in snapshot(11)]
    import re
    assert all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-z]{7,8}jb[0-9a-z]{2,3}", i)
               and len(i) == 36 for i in ids), ids
