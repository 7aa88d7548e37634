"""Enum classification and model -> Snapshot conversion, on the API fixtures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from drstui.api.models import (
    CompareJobList,
    ContentCompareDetail,
    ContentCompareOverview,
    HealthCompareJobList,
    LineCompareDetail,
    LineCompareOverview,
    ObjectCompareOverview,
)
from drstui.monitor import classify, convert
from drstui.monitor.snapshot import TypeResult, Verdict

from .fakes import fixture


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, TypeResult.INCONSISTENT),
        (2, TypeResult.CONSISTENT),
        (3, TypeResult.INCOMPLETE),
        (1, TypeResult.UNKNOWN),  # there is no 1
        (99, TypeResult.UNKNOWN),
        ("2", TypeResult.CONSISTENT),
        ("CONSISTENT", TypeResult.CONSISTENT),
        ("INCONSISTENT", TypeResult.INCONSISTENT),
        ("TARGET_DB_NOT_EXIT", TypeResult.INCONSISTENT),  # v3 spelling
        ("TARGET_DB_NOT_EXIST", TypeResult.INCONSISTENT),  # v5 spelling
        ("COMPARING", TypeResult.INCOMPLETE),
        ("WAIT_FOR_COMPARE", TypeResult.INCOMPLETE),
        ("FAILED_TO_COMPARE", TypeResult.UNKNOWN),
        ("SOMETHING_NEW", TypeResult.UNKNOWN),
        (None, TypeResult.UNKNOWN),
        (True, TypeResult.CONSISTENT),
        (False, TypeResult.INCONSISTENT),
    ],
)
def test_type_result(value, expected):
    assert classify.type_result(value) == expected


@pytest.mark.parametrize(
    ("code", "text", "result"),
    [
        (0, "inconsistent", TypeResult.INCONSISTENT),
        (2, "consistent", TypeResult.CONSISTENT),
        (5, "comparing", TypeResult.INCOMPLETE),
        (22, "target DB missing", TypeResult.INCONSISTENT),
        (14, "source DB connection failed", TypeResult.UNKNOWN),
        (24, "unknown status 24", TypeResult.UNKNOWN),
    ],
)
def test_row_status(code, text, result):
    assert classify.row_status(code) == (code, text, result)


@given(st.one_of(st.none(), st.integers(), st.text(), st.booleans(), st.floats()))
def test_classifiers_never_raise(value):
    classify.type_result(value)
    classify.row_status(value)


def test_comparison_verdicts():
    C, I, P = TypeResult.CONSISTENT, TypeResult.INCONSISTENT, TypeResult.INCOMPLETE
    assert classify.comparison_verdict("SUCCESSFUL", [C, C]) == Verdict.CONSISTENT
    assert classify.comparison_verdict("SUCCESSFUL", [C, I]) == Verdict.INCONSISTENT
    assert classify.comparison_verdict("RUNNING", [C, I, P]) == Verdict.INCONSISTENT  # seen early
    assert classify.comparison_verdict("RUNNING", [C, P]) == Verdict.RUNNING
    assert classify.comparison_verdict("FAILED", [C]) == Verdict.FAILED
    assert classify.comparison_verdict("TIMEOUT_INTERRUPT", []) == Verdict.FAILED
    assert classify.comparison_verdict("BRAND_NEW", [C]) == Verdict.UNKNOWN


def test_rollup_order():
    V = Verdict
    assert classify.rollup([V.CONSISTENT, V.RUNNING, V.INCONSISTENT, V.FAILED]) == V.FAILED
    assert classify.rollup([V.CONSISTENT, V.RUNNING, V.INCONSISTENT]) == V.INCONSISTENT
    assert classify.rollup([V.CONSISTENT, V.RUNNING]) == V.RUNNING
    assert classify.rollup([V.CONSISTENT]) == V.CONSISTENT
    assert classify.rollup([]) == V.NONE


def test_object_overview_running_inconsistent():
    overview = ObjectCompareOverview.from_json(fixture("drs_object_compare_overview.running_inconsistent"))
    comparison = convert.object_comparison(overview)
    assert comparison is not None
    assert comparison.verdict == Verdict.INCONSISTENT
    assert comparison.export_status == "EXPORT_COMPLETE"
    assert comparison.report_remain_seconds == 86210
    # Inconsistent types first, then incomplete, then consistent.
    assert [row.object_type for row in comparison.rows] == ["TABLE", "INDEX", "VIEW", "DB"]
    table = comparison.rows[0]
    assert (table.source_count, table.target_count, table.difference) == (42, 41, 1)


def test_object_overview_consistent_and_empty():
    comparison = convert.object_comparison(ObjectCompareOverview.from_json(fixture("drs_object_compare_overview")))
    assert comparison is not None and comparison.verdict == Verdict.CONSISTENT and comparison.finished
    assert convert.object_comparison(ObjectCompareOverview.from_json({})) is None


def test_unknown_enums_are_kept():
    data = fixture("drs_object_compare_overview")
    data["status"] = "QUANTUM_DOING"
    data["compare_result"][0]["status"] = 7
    comparison = convert.object_comparison(ObjectCompareOverview.from_json(data))
    assert comparison.status == "QUANTUM_DOING"
    assert comparison.verdict == Verdict.UNKNOWN
    assert comparison.rows[0].result == TypeResult.UNKNOWN


def test_line_tables_per_database_and_db_problem_rows():
    overview = LineCompareOverview.from_json(fixture("drs_line_overview"))
    detail = LineCompareDetail.from_json(fixture("drs_line_detail"))
    tables, progress, inconsistent = convert.line_tables(overview, [("orders", detail)])
    assert [t.key for t in tables] == ["orders.order_items", "audit.None", "orders.orders"]
    audit = tables[1]
    assert (audit.status_code, audit.status_text, audit.result) == (22, "target DB missing", TypeResult.INCONSISTENT)
    assert tables[0].diff_rows == 2 and tables[0].result == TypeResult.INCONSISTENT
    assert progress == 100.0 and inconsistent


def test_content_tables_use_booleans_and_phase():
    overview = ContentCompareOverview.from_json(fixture("drs_content_overview"))
    detail = ContentCompareDetail.from_json(fixture("drs_content_detail"))
    tables, progress, inconsistent = convert.content_tables(overview, detail)
    assert [(t.source_table, t.result, t.status_text) for t in tables] == [
        ("order_items", TypeResult.INCONSISTENT, "inconsistent"),
        ("orders", TypeResult.INCOMPLETE, "comparing"),
    ]
    assert progress == pytest.approx(58.3) and inconsistent


def test_data_comparison_list_and_tables():
    listed = CompareJobList.from_json(fixture("drs_table_compare_jobs"))
    bases = [convert.data_comparison_base(job) for job in listed.jobs]
    assert [(b.compare_type, b.status, b.verdict) for b in bases] == [
        ("lines", "SUCCESSFUL", Verdict.UNKNOWN),  # results not read yet
        ("contents", "RUNNING", Verdict.RUNNING),
    ]
    detail = LineCompareDetail.from_json(fixture("drs_line_detail"))
    tables, progress, bad = convert.line_tables(LineCompareOverview.from_json(fixture("drs_line_overview")),
                                                [("orders", detail)])
    done = convert.with_tables(bases[0], tables, progress, bad)
    assert done.verdict == Verdict.INCONSISTENT and done.progress is None  # finished: no progress
    assert done.export_status == "EXPORTING"


def test_health_types_split():
    listed = HealthCompareJobList.from_json(fixture("drs_health_compare_jobs"))
    health = [convert.health_comparison(job) for job in listed.jobs]
    assert health[0].types == ("lines", "object_comparison")
    assert health[1].status == "WAITING_FOR_RUNNING"


def test_unknown_access_key_counts_as_refused_credentials():
    # Retrying a key the gateway does not know cannot help; the monitor must stop, not loop.
    from drstui.api.errors import ApiError
    from drstui.monitor.reasons import is_credential_failure

    for text in ("Incorrect IAM authentication information: unknown access key",
                 "Incorrect IAM authentication information: ak not exist",
                 "Incorrect IAM authentication information: verify aksk signature fail"):
        error = ApiError(text, kind="auth", status=401, error_code="APIGW.0301", path="/v5/p/jobs")
        assert is_credential_failure(error), text
    expired = ApiError("Incorrect IAM authentication information: decrypt token fail",
                       kind="auth", status=401, error_code="APIGW.0301", path="/v5/p/jobs")
    assert not is_credential_failure(expired)
