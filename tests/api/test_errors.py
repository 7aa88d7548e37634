"""Error-body parsing (drs.md §3.3, sms.md §2) and the one-line str()."""

from __future__ import annotations

import json

import pytest

from drstui.api.errors import ApiError, body_error, find_error_fields

from .helpers import load


@pytest.mark.parametrize(
    "name,status,code,kind",
    [
        ("drs_error_400_task_not_found.json", 400, "DRS.10000010", "http"),
        ("drs_error_400_failed.json", 400, "DRS.10000001", "http"),
        ("apigw_error_401_token.json", 401, "APIGW.0301", "auth"),
        ("apigw_error_401_signature.json", 401, "APIGW.0301", "auth"),
        ("sms_error_400.json", 400, "SMS.1801", "http"),
        ("sms_error_404.json", 404, "SMS.0404", "http"),
        ("sms_error_403.json", 403, "SMS.9004", "http"),
    ],
)
def test_error_fixtures(name, status, code, kind):
    body = load(name)
    err = ApiError.from_response(status, json.dumps(body).encode(), {"X-Request-Id": "rid-1"})
    assert err.status == status
    assert err.error_code == code
    assert err.error_msg == body["error_msg"]
    assert err.kind == kind
    assert err.request_id == "rid-1"
    assert "\n" not in str(err)
    assert code in str(err) and f"HTTP {status}" in str(err)


def test_gateway_request_id_taken_from_body_when_no_header():
    err = ApiError.from_response(401, json.dumps(load("apigw_error_401_token.json")))
    assert err.request_id == "6a2b9f0c1d7e4f5a8b3c2d1e0f9a8b7c"
    assert err.is_auth_expired


def test_apig_prefix_also_counts_as_auth():
    err = ApiError.from_response(401, b'{"error_code":"APIG.0301","error_msg":"bad token"}')
    assert err.is_auth_expired and err.kind == "auth"


def test_sms_403_extras_kept():
    err = ApiError.from_response(403, json.dumps(load("sms_error_403.json")).encode())
    assert err.encoded_authorization_message == "XXXXXX"
    assert err.error_param == ("You do not have permission to perform action XXX on resource XXX.",)
    assert err.details[0]["error_code"] == "SMS.9004"
    assert "XXXXXX" not in str(err)  # the encoded blob is for a debug view only


@pytest.mark.parametrize(
    "body,code,msg",
    [
        ({"errorCode": "X.1", "errorMsg": "camel"}, "X.1", "camel"),
        ({"code": "X.2", "message": "plain"}, "X.2", "plain"),
        ({"error": {"code": "X.3", "message": "nested"}}, "X.3", "nested"),
        ({"error_code": "X.4", "error_message": "batch spelling"}, "X.4", "batch spelling"),
        ({"error_code": 123, "error_msg": "number code"}, "123", "number code"),
    ],
)
def test_error_field_variants(body, code, msg):
    assert find_error_fields(body) == (code, msg)
    err = ApiError.from_response(400, json.dumps(body))
    assert (err.error_code, err.error_msg) == (code, msg)


def test_non_json_body_becomes_message_and_status_code():
    err = ApiError.from_response(502, b"<html>Bad Gateway</html>")
    assert err.error_msg == "<html>Bad Gateway</html>"
    assert err.error_code == "502"
    assert err.is_server_error


def test_empty_body_gets_generic_text():
    assert ApiError.from_response(503, b"").error_msg == "server error"
    assert ApiError.from_response(418, b"").error_msg == "client error"


def test_429_is_throttled_with_retry_after():
    err = ApiError.from_response(429, b'{"error_code":"APIGW.0308","error_msg":"throttled"}',
                                 retry_after=12)
    assert err.kind == "throttled"
    assert "retry after 12s" in str(err)


def test_str_is_one_bounded_line():
    err = ApiError("a\nb\n" + "x" * 1000, status=500)
    text = str(err)
    assert "\n" not in text and len(text) < 400


def test_body_error_on_success():
    err = body_error({"error_code": "DRS.10000001", "error_msg": "Failed."}, request_id="r")
    assert err is not None and err.status == 200 and err.error_code == "DRS.10000001"
    assert body_error({"error_code": "", "job_id": "x"}) is None
    assert body_error("") is None and body_error(None) is None


def test_unknown_kind_rejected():
    with pytest.raises(ValueError):
        ApiError("x", kind="weird")


def test_an_error_answer_nested_deeper_than_python_recurses_is_one_clear_error():
    body = b"[" * 200_000 + b"]" * 200_000
    error = ApiError.from_response(500, body, {})
    assert error.status == 500 and error.error_msg == "error answer nested too deeply to read"
    assert len(str(error)) < 200
    nested_object = b'{"a":' * 100_000 + b"1" + b"}" * 100_000
    assert ApiError.from_response(400, nested_object, {}).error_msg == "error answer nested too deeply to read"
