"""Unit tests for the action dialogs' parsing and for the Actions helpers they rely on."""

from __future__ import annotations

import asyncio
from datetime import datetime, timezone
from types import SimpleNamespace

import pytest

from drstui.api.models import CompareCreateResult, CreateCompareTaskRequest, CreateCompareTaskResult, DataLevelCompareInfo, CompareObjectInfo
from drstui.monitor.actions import ActionRefused, Actions, RequestPreview, sms_call_count
from drstui.monitor.exports import ExportTracker
from drstui.monitor.snapshot import Connection, JobView, LinkState, Snapshot
from drstui.sim.world import JOB_A
from drstui.ui.dialogs.confirm import request_text
from drstui.ui.dialogs.create_comparison import (
    CompareForm,
    build_request,
    compare_objects,
    parse_objects,
    parse_start_time,
    result_lines,
)

from .sim_app import make_rig

NOW = datetime(2025, 1, 15, 8, 30, tzinfo=timezone.utc)


def test_parse_objects_accepts_dbs_and_tables_and_names_each_bad_entry() -> None:
    entries, errors = parse_objects("db1.table_a, db1.table_b,db2\n  db3.t$1 ")
    assert entries == [("db1", "table_a"), ("db1", "table_b"), ("db2", None), ("db3", "t$1")]
    assert errors == []
    _, errors = parse_objects(".t, db., a.b.c, x;y")
    assert errors == [
        "'.t': the database name is empty",
        "'db.': the table name is empty",
        "'a.b.c': write db or db.table (one dot)",
        "'x;y': 'x;y' is not a database name (letters, digits, _ $ # @ -)",
    ]


def test_compare_objects_groups_by_database_and_whole_database_wins() -> None:
    infos = compare_objects([("a", "t1"), ("b", None), ("a", "t2"), ("a", "t1"), ("b", "x")])
    assert [info.to_json() for info in infos] == [
        {"db_name": "a", "table_name": ["t1", "t2"]},
        {"db_name": "b"},
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", None), ("2025-01-15T09:00:00Z", "2025-01-15T09:00:00Z"), ("2025-01-15 09:00", "2025-01-15T09:00:00Z"),
     ("  2025-01-16 00:05 ", "2025-01-16T00:05:00Z")],
)
def test_start_time_formats(text: str, expected: str | None) -> None:
    assert parse_start_time(text, NOW) == (expected, None)


@pytest.mark.parametrize("text", ["15/01/2025 09:00", "2025-01-15T09:00", "2025-13-01 00:00", "now"])
def test_start_time_rejects_other_formats(text: str) -> None:
    value, error = parse_start_time(text, NOW)
    assert value is None and "use UTC YYYY-MM-DDTHH:MM:SSZ or YYYY-MM-DD HH:MM" in error


def test_start_time_in_the_past_is_refused() -> None:
    value, error = parse_start_time("2025-01-15 08:00", NOW)
    assert value is None and "in the past" in error


def job(status: str = "INCRE_TRANSFER_STARTED") -> JobView:
    return JobView(id=JOB_A, name="orders", status=status)


def test_build_request_maps_the_form_to_the_api_body() -> None:
    form = CompareForm(object_level=False, data_level="contents", conflict_policy="cancel",
                       start_time="2025-01-15 10:00", picked_databases=["orders"], typed_objects="crm.users")
    request, problems = build_request(job(), form, NOW)
    assert problems == []
    assert request.to_json() == {
        "job_id": JOB_A,
        "data_level_compare_info": {
            "conflict_policy": "cancel", "compare_type": "contents", "start_time": "2025-01-15T10:00:00Z",
            "compare_object_infos": [{"db_name": "orders"}, {"db_name": "crm", "table_name": ["users"]}],
        },
    }


def test_build_request_refusals() -> None:
    _, problems = build_request(job("PAUSING"), CompareForm(), NOW)
    assert problems == ["orders is PAUSING: comparisons can only be created while incremental transfer runs "
                        "(INCRE_TRANSFER_STARTED)"]
    _, problems = build_request(job(), CompareForm(object_level=True, data_level="contents", typed_objects="a"), NOW)
    assert any("cannot run at the same time" in p for p in problems)
    _, problems = build_request(job(), CompareForm(object_level=False, data_level="lines"), NOW)
    assert any("needs at least one database" in p for p in problems)
    _, problems = build_request(job(), CompareForm(object_level=True, typed_objects="a"), NOW)
    assert any("apply to a data-level comparison only" in p for p in problems)


def test_result_lines_one_per_part() -> None:
    request = CreateCompareTaskRequest(
        JOB_A, object_level=True, data_level=DataLevelCompareInfo("lines", "keep", (CompareObjectInfo("a"),)))
    result = CreateCompareTaskResult(
        JOB_A, object_level=CompareCreateResult("obj-1"),
        data_level=CompareCreateResult(None, "DRS.10000010", "unfinished comparison exists"))
    assert result_lines(request, result) == [
        "object-level: created obj-1",
        "data-level (lines): DRS.10000010: unfinished comparison exists",
    ]


def test_sms_call_count() -> None:
    assert [sms_call_count(n) for n in (0, 1, 200, 201, 400, 401)] == [0, 1, 1, 2, 2, 3]


def test_request_text_never_shows_credentials() -> None:
    preview = RequestPreview("POST", "/v3/p/jobs/x", (("Region", "cn-north-4"), ("X-Auth-Token", "SECRET")), {"a": 1})
    text = request_text([preview]).plain
    assert "Region: cn-north-4" in text and "SECRET" not in text and '"a": 1' in text


# -- Actions ---------------------------------------------------------------------------------
class SlowDrs:
    def __init__(self) -> None:
        self.calls = 0
        self.release = asyncio.Event()

    async def create_compare_task(self, request):  # type: ignore[no-untyped-def]
        self.calls += 1
        await self.release.wait()
        return CreateCompareTaskResult(request.job_id, object_level=CompareCreateResult("new-id"))


def fake_monitor() -> SimpleNamespace:
    snapshot = Snapshot("p", "cn-north-4", "proj", Connection(LinkState.OK), jobs=(job(),))
    return SimpleNamespace(snapshot=snapshot, request_refresh=lambda: None)


async def test_a_second_create_while_one_is_in_flight_is_refused(tmp_path) -> None:
    drs = SlowDrs()
    cloud = SimpleNamespace(drs=drs)
    actions = Actions(cloud, fake_monitor(), ExportTracker(cloud, tmp_path, region="cn-north-4"))
    request = CreateCompareTaskRequest(JOB_A, object_level=True)
    first = asyncio.create_task(actions.create_comparison(request))
    await asyncio.sleep(0)
    with pytest.raises(ActionRefused, match="already being created"):
        await actions.create_comparison(request)
    drs.release.set()
    assert (await first).created_ids == ("new-id",)
    assert drs.calls == 1
    actions.check_comparison(request)  # free again once answered


def test_previews_show_path_region_and_body(tmp_path) -> None:
    cloud = SimpleNamespace()
    tracker = ExportTracker(cloud, tmp_path, region="cn-north-4", time_zone="GMT+08:00")
    actions = Actions(cloud, fake_monitor(), tracker)
    preview = actions.preview_drs_export(JOB_A, "lines", "cmp-1")
    assert preview.path == f"/v3/proj/jobs/{JOB_A}/compare/result/file"
    assert dict(preview.headers)["Region"] == "cn-north-4"
    assert preview.body == {"compare_type": "lines", "compare_job_id": "cmp-1", "time_zone": "GMT+08:00"}
    assert actions.preview_comparison(CreateCompareTaskRequest(JOB_A, object_level=True)).path == \
        "/v3/proj/jobs/create-compare-task"


async def test_list_sms_tasks_and_databases_on_the_simulator(tmp_path) -> None:
    rig = make_rig(tmp_path)
    try:
        await rig.session.monitor.refresh()
        tasks = await rig.session.actions.list_sms_tasks()
        assert len(tasks) == 6
        assert all(t.item is not None and t.item.source_id == t.source_id for t in tasks)
        assert [t.has_result for t in tasks][:2] == [True, False]
        objects = await rig.session.actions.list_compare_objects(JOB_A)
        assert objects.databases == ("orders", "audit")
        assert "lines comparison" in objects.origin
        no_data = await rig.session.actions.list_compare_objects(rig.job_id("DRS-payments-mysql-006"))
        assert no_data.databases == () and "type the names" in no_data.origin
    finally:
        await rig.session.aclose()
