"""Every answer has the fixture's keys and value types (a walk over both JSON trees)."""

from typing import Any

import pytest

import json

from drstui.sim import SimCore, SimRequest

from .helpers import (CONTENTS_A, HEALTH_A, JOB_A, LINES_A, PROJECT, SMS_TASK_1, Caller, drs, drs5, fixture,
                      login_body, sdk_date, sign)

# Dicts whose keys are data (object types, option names), not a fixed schema.
MAP_KEYS = {"object_compare_details", "options", "compare_job_tag"}


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    return type(value).__name__


def assert_same_shape(expected: Any, actual: Any, where: str = "$") -> None:
    assert type_name(actual) == type_name(expected), f"{where}: {type_name(actual)} != {type_name(expected)}"
    if isinstance(expected, dict):
        if where.rsplit(".", 1)[-1] in MAP_KEYS:
            for key, value in actual.items():
                sample = next(iter(expected.values()), None)
                if sample is not None:
                    assert_same_shape(sample, value, f"{where}.{key}")
            return
        assert set(actual) == set(expected), f"{where}: keys {sorted(set(actual) ^ set(expected))} differ"
        for key in expected:
            assert_same_shape(expected[key], actual[key], f"{where}.{key}")
    elif isinstance(expected, list) and expected and actual:
        if isinstance(expected[0], dict):
            required = set.intersection(*(set(e) for e in expected))
            allowed = set.union(*(set(e) for e in expected))
            merged = {k: next(e[k] for e in expected if k in e) for k in allowed}
            for i, item in enumerate(actual):
                assert required <= set(item) <= allowed, f"{where}[{i}]: keys {sorted(item)} vs {sorted(allowed)}"
                assert_same_shape({k: merged[k] for k in item}, item, f"{where}[{i}]")
        else:
            for i, item in enumerate(actual):
                assert_same_shape(expected[0], item, f"{where}[{i}]")


def test_walker_catches_differences():
    with pytest.raises(AssertionError):
        assert_same_shape({"a": 1}, {"a": "1"})
    with pytest.raises(AssertionError):
        assert_same_shape({"a": 1}, {"a": 1, "b": 2})
    with pytest.raises(AssertionError):
        assert_same_shape({"a": True}, {"a": 1})


GETS = [
    ("drs_list_jobs.json", drs5(""), {"job_type": "sync"}),
    ("drs_job_detail.json", drs5(f"/{JOB_A}"), {"type": "overview"}),
    ("drs_object_compare_overview.json", drs(f"/{JOB_A}/object/compare"), None),
    ("drs_object_compare_detail_TABLE.json", drs(f"/{JOB_A}/object/compare/TABLE"), None),
    ("drs_line_overview.json", drs(f"/{JOB_A}/compare/{LINES_A}/line-overview"), None),
    ("drs_line_detail.json", drs(f"/{JOB_A}/compare/{LINES_A}/line-detail"), None),
    ("drs_content_overview.json", drs(f"/{JOB_A}/compare/{CONTENTS_A}/content-overview"), None),
    ("drs_content_detail.json", drs(f"/{JOB_A}/compare/{CONTENTS_A}/content-detail"), None),
    ("drs_table_compare_jobs.json", drs(f"/{JOB_A}/table/compare"), None),
    ("drs_health_compare_jobs.json", drs5(f"/{JOB_A}/health-compare-jobs"), None),
    ("drs_health_compare_job_detail.json", drs5(f"/{JOB_A}/health-compare-jobs/{HEALTH_A}"), None),
    ("drs_health_object_overview.json", drs5(f"/{JOB_A}/health-compare-jobs/object/{HEALTH_A}"), None),
    ("drs_compare_progress.json", drs5(f"/{JOB_A}/compare-progress/{LINES_A}"), None),
    ("sms_list_tasks.json", "/v3/tasks", None),
    ("sms_list_sources.json", "/v3/sources", None),
    ("sms_consistency_result.json", f"/v3/tasks/{SMS_TASK_1}/consistency-result", None),
    ("drs_error_400_task_not_found.json", drs(f"/{JOB_A}/compare/00000000-0000-4000-8000-000000000000/line-detail"), None),
]


@pytest.mark.parametrize("name,path,query", GETS, ids=[g[0] for g in GETS])
@pytest.mark.parametrize("auth", ["token", "aksk"])
def test_get_shapes(core: SimCore, name, path, query, auth):
    answer = Caller(core, auth)("GET", path, query)
    assert answer.status == (400 if "error" in name else 200), answer.body
    assert_same_shape(fixture(name), answer.json())


def test_running_object_overview_shape(core: SimCore, call: Caller, clock):
    created = call.post(drs("/create-compare-task"), {"job_id": JOB_A, "object_level_compare_type": "objects"})
    assert created.status == 200
    clock.advance(20)
    answer = call.get(drs(f"/{JOB_A}/object/compare"))
    assert answer.json()["status"] == "RUNNING"
    assert_same_shape(fixture("drs_object_compare_overview.running_inconsistent.json"), answer.json())


def test_post_shapes(call: Caller, core: SimCore):
    batch = call.post(drs("/batch-status"), fixture("drs_batch_status.request.json"))
    assert_same_shape(fixture("drs_batch_status.response.json"), batch.json())
    assert batch.json()["results"][1]["error_message"] == "Failed."

    query = call.post(drs("/query-compare-result"), fixture("drs_query_compare_result.request.json"))
    assert_same_shape(fixture("drs_query_compare_result.json"), query.json())

    create = call.post(drs("/create-compare-task"), fixture("drs_create_compare_task.request.json"))
    assert_same_shape(fixture("drs_create_compare_task.response.json"), create.json())
    again = call.post(drs("/create-compare-task"), fixture("drs_create_compare_task.request.json"))
    assert_same_shape(fixture("drs_create_compare_task.response_partial_error.json"), again.json())

    export = call.post(drs(f"/{JOB_A}/compare/result/file"), fixture("drs_export_compare_result_file.request.json"),
                       headers={"Region": "cn-north-4"})
    assert export.status == 200 and export.json() == fixture("drs_export_compare_result_file.response.json")


def test_error_shapes(core: SimCore, call: Caller):
    no_auth = core.handle(SimRequest("GET", drs5("")))
    assert_same_shape(fixture("apigw_error_401_token.json"), no_auth.json())
    headers = {"Host": "h", "X-Sdk-Date": sdk_date(core.clock.now())}
    headers["Authorization"] = sign("GET", drs5(""), "", headers, b"", core.credentials.ak, "not-the-secret")
    answer = core.handle(SimRequest("GET", drs5(""), "", headers))
    assert answer.status == 401
    assert_same_shape(fixture("apigw_error_401_signature.json"), answer.json())
    failed = call.post(drs(f"/{JOB_A}/compare/result/file"), {"compare_type": "lines"}, headers={"Region": "x"})
    assert_same_shape(fixture("drs_error_400_failed.json"), failed.json())
    sms_400 = call.post("/v3/tasks/consistency-results/export", {"task_info": []})
    assert sms_400.status == 400
    assert_same_shape(fixture("sms_error_400.json"), sms_400.json())
    sms_404 = call.get("/v3/tasks/00000000-0000-4000-8000-000000000000/consistency-result")
    assert sms_404.status == 404
    assert_same_shape(fixture("sms_error_404.json"), sms_404.json())


def test_iam_token_shape(core: SimCore):
    answer = core.handle(SimRequest("POST", "/v3/auth/tokens", "nocatalog=true", {"Content-Type": "application/json"},
                                    json.dumps(login_body(core.credentials)).encode()))
    assert answer.status == 201
    assert answer.headers["X-Subject-Token"]
    assert answer.headers["X-Subject-Token"] not in answer.body.decode()
    assert_same_shape(fixture("iam_token.response.json"), answer.json())
    assert answer.json()["token"]["project"]["id"] == PROJECT
    with_catalog = core.handle(SimRequest("POST", "/v3/auth/tokens", "", {"Host": "127.0.0.1:9"},
                                          json.dumps(login_body(core.credentials)).encode()))
    assert with_catalog.json()["token"]["catalog"][0]["endpoints"][0]["url"] == "http://127.0.0.1:9"


def test_sms_result_in_sdk_string_form(clock):
    core = SimCore.create(seed=7, clock=clock, sms_result_shape="strings")
    answer = Caller(core).get(f"/v3/tasks/{SMS_TASK_1}/consistency-result")
    assert_same_shape(fixture("sms_consistency_result.sdk_strings.json"), answer.json())
