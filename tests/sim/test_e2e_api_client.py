"""End to end: the project's own API client (drstui.api) against the simulator, through both
adapters (in-process SimTransport and real loopback HTTP) and both auth methods."""

import random
from datetime import datetime, timezone

import pytest

api = pytest.importorskip("drstui.api")
from drstui.api import AkSkAuth, ApiError, CloudClient, Endpoints, RetryPolicy, TokenAuth  # noqa: E402
from drstui.api.models.drs import CompareObjectInfo, CreateCompareTaskRequest, DataLevelCompareInfo  # noqa: E402
from drstui.api.models.sms import SmsExportItem  # noqa: E402

from drstui.sim import ManualClock, SimCore, SimTransport  # noqa: E402
from drstui.sim.server import serve_in_thread  # noqa: E402
from drstui.sim.xlsx import read_xlsx_cells  # noqa: E402

from .helpers import CONTENTS_A, JOB_A, JOB_B, LINES_A, OBJECT_A, SMS_TASK_1  # noqa: E402


async def no_sleep(_seconds: float) -> None:
    return None


@pytest.fixture(params=["in-process", "loopback"])
def adapter(request, clock):
    core = SimCore.create(seed=7, clock=clock, failure_rate=0.0, sms_tasks=201)
    if request.param == "in-process":
        yield core, {"transport": SimTransport(core, sleeper=no_sleep),
                     "endpoints": Endpoints.for_region("cn-north-4", endpoint=core.credentials.endpoint)}
    else:
        server = serve_in_thread(core)
        try:
            yield core, {"endpoints": Endpoints.for_region("cn-north-4", endpoint=server.url), "timeout": 5}
        finally:
            server.close()


@pytest.fixture(params=["token", "aksk"])
def cloud_factory(request, adapter, clock: ManualClock):
    core, wiring = adapter
    creds = core.credentials
    made = []

    def sim_now() -> datetime:
        return datetime.fromtimestamp(clock.now(), timezone.utc)

    def make(**overrides) -> CloudClient:
        if request.param == "token":
            auth = TokenAuth(user=creds.user, password=creds.password, domain=creds.domain, clock=sim_now)
            project_id = None
        else:
            auth = AkSkAuth(creds.ak, overrides.pop("sk", creds.sk), clock=sim_now)
            project_id = creds.project_id
        cloud = CloudClient("cn-north-4", auth=auth, project_id=project_id,
                            retry_policy=RetryPolicy(sleep=no_sleep, rng=random.Random(0)), **wiring)
        made.append(cloud)
        return cloud

    make.auth_method = request.param  # type: ignore[attr-defined]
    return core, make


async def test_every_read_operation(cloud_factory):
    core, make = cloud_factory
    async with make() as cloud:
        drs = cloud.drs
        jobs = await drs.list_all_jobs()
        assert len(jobs) == 12 and {j.id for j in jobs} >= {JOB_A, JOB_B}
        sync = await drs.list_jobs(limit=100, job_type="sync")
        assert sync.total == 6 and {j.job_type for j in sync.jobs} == {"sync"}
        assert (await drs.show_job_detail(JOB_A)).id == JOB_A
        statuses = {s.id: s for s in await drs.batch_job_status([JOB_A, JOB_B])}
        assert statuses[JOB_B].error_message == "Failed."
        overview = await drs.object_compare_overview(JOB_A)
        assert overview.compare_job_id == OBJECT_A and overview.results
        assert (await drs.object_compare_detail(JOB_A, "TABLE", limit=5)).count == 16
        assert (await drs.health_compare_jobs(JOB_A)).count == 2
        assert (await drs.table_compare_jobs(JOB_A)).count == 2
        assert (await drs.line_compare_overview(JOB_A, LINES_A)).total_count == 2
        detail = await drs.line_compare_detail(JOB_A, LINES_A, db_name="orders", query_tb_name="order items*/~")
        assert detail.total_count == 0
        assert (await drs.line_compare_detail(JOB_A, LINES_A, type="unCompare")).total_count == 4
        assert (await drs.content_compare_overview(JOB_A, CONTENTS_A)).total_count == 2
        assert (await drs.content_compare_detail(JOB_A, CONTENTS_A, db_name="orders")).total_count == 12
        assert (await drs.compare_progress(JOB_A, LINES_A)).full_progress == 100.0
        sms = cloud.sms
        assert (await sms.list_tasks(limit=200)).count == 201
        assert len(await sms.list_all_tasks()) == 201
        with_result = await sms.list_all_sources(is_consistency_result_exist=True)
        assert with_result and all(s.is_consistency_result_exist for s in with_result)
        result = await sms.consistency_result(SMS_TASK_1)
        assert result.task_id == SMS_TASK_1 and result.checks
    assert core.count("drs.list_jobs") >= 1
    assert core.count("iam.create_token") == (1 if make.auth_method == "token" else 0)


async def test_actions_and_rules(cloud_factory, clock, tmp_path):
    core, make = cloud_factory
    lines = DataLevelCompareInfo("lines", "keep", (CompareObjectInfo("orders"),))
    async with make() as cloud:
        drs = cloud.drs
        created = await drs.create_compare_task(CreateCompareTaskRequest(JOB_A, object_level=True, data_level=lines))
        assert created.object_level.compare_task_id and created.data_level.compare_task_id
        kept = await drs.create_compare_task(CreateCompareTaskRequest(JOB_A, data_level=lines))
        assert kept.data_level.error_code == "DRS.10000001"
        with pytest.raises(ApiError) as raised:
            await drs.create_compare_task(CreateCompareTaskRequest(JOB_B, object_level=True))
        assert raised.value.status == 400
        with pytest.raises(ApiError) as raised:
            await drs.object_compare_overview("no-such-jobjb00")
        assert raised.value.error_code == "DRS.10000010"
        await drs.cancel_compare(JOB_A, created.data_level.compare_task_id)
        # export → poll → download, on the simulated clock
        await drs.export_compare_result_file(JOB_A, "lines", compare_job_id=LINES_A)
        clock.advance(6)
        jobs = {j.id: j for j in (await drs.table_compare_jobs(JOB_A)).jobs}
        assert jobs[LINES_A].export_status == "EXPORT_COMPLETE"
        saved = await drs.download_compare_result_file(JOB_A, "lines", LINES_A, tmp_path)
        assert saved.name.endswith(".xlsx") and "order_items" in str(read_xlsx_cells(saved.read_bytes()))
        clock.advance(400)
        with pytest.raises(ApiError) as raised:
            await drs.download_compare_result_file(JOB_A, "lines", LINES_A, tmp_path / "late")
        assert raised.value.status == 400
        # SMS export: 201 items go out as two calls (200 + 1)
        tasks = await cloud.sms.list_all_tasks()
        items = [SmsExportItem(t.id, t.source_server.id, t.source_server.name) for t in tasks]
        results = await cloud.sms.export_consistency_results(items, tmp_path / "sms")
        assert [r.ok for r in results] == [True, True] and [r.items_count for r in results] == [200, 1]
        assert results[0].path.read_bytes().startswith(b"task_id,source_id")
    assert core.count("sms.export_consistency_results") == 2
    region_headers = [r.request.header("region") for r in core.received if r.endpoint == "drs.export_result_file"]
    assert region_headers == ["cn-north-4"]


async def test_auth_failures_surface(cloud_factory, clock):
    core, make = cloud_factory
    if make.auth_method == "aksk":
        async with make(sk="wrong-secret") as cloud:
            with pytest.raises(ApiError) as raised:
                await cloud.drs.object_compare_overview(JOB_A)
            assert raised.value.status == 401 and raised.value.error_code == "APIGW.0301"
            assert "wrong-secret" not in str(raised.value)
    else:
        async with make() as cloud:
            await cloud.drs.object_compare_overview(JOB_A)
            clock.advance(24 * 3600 + 1)  # the client should notice and log in again
            await cloud.drs.object_compare_overview(JOB_A)
        assert core.count("iam.create_token") == 2


async def test_faults_keep_the_client_sane(cloud_factory):
    core, make = cloud_factory
    async with make() as cloud:
        await cloud.drs.list_jobs(limit=10)
        core.faults.add("429=1,retry-after=1s@/v3/*/jobs/*/object/compare")
        with pytest.raises(ApiError) as raised:
            await cloud.drs.object_compare_overview(JOB_A)
        assert raised.value.status == 429
        core.faults.clear()
        core.faults.add("malformed=1@/v3/*/jobs/*/table/compare")
        with pytest.raises(ApiError):
            await cloud.drs.table_compare_jobs(JOB_A)
        core.faults.clear()
        assert (await cloud.drs.table_compare_jobs(JOB_A)).count == 2


async def test_aksk_without_project_id_finds_it_in_iam(adapter, clock: ManualClock):
    """AK/SK and no project id: the client looks the region's project up in IAM, as the SDK does."""
    core, wiring = adapter
    creds = core.credentials
    auth = AkSkAuth(creds.ak, creds.sk, clock=lambda: datetime.fromtimestamp(clock.now(), timezone.utc))
    async with CloudClient("cn-north-4", auth=auth, project_id=None,
                           retry_policy=RetryPolicy(sleep=no_sleep, rng=random.Random(0)), **wiring) as cloud:
        assert await cloud.project_id() == creds.project_id
        assert len(await cloud.drs.list_all_jobs()) == 12
    assert core.count("iam.list_projects") == 1
    lookup = next(r.request for r in core.received if r.endpoint == "iam.list_projects")
    assert lookup.query_dict() == {"name": "cn-north-4"} and lookup.header("x-language") is None
