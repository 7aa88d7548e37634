"""Authentication and project checks: 401 APIGW.0301 unless a valid token or signature is sent."""

import json

from drstui.sim import SimCore, SimRequest

from .helpers import JOB_A, PROJECT, Caller, drs, drs5, login_body, sdk_date, sign

LIST = drs5(f"/{JOB_A}")  # the job detail: an authenticated GET with no mandatory query


def test_no_auth_is_401(core: SimCore):
    for path in (LIST, "/v3/tasks", drs(f"/{JOB_A}/object/compare")):
        answer = core.handle(SimRequest("GET", path))
        assert answer.status == 401
        assert answer.json()["error_code"] == "APIGW.0301"
        assert answer.json()["request_id"] == answer.headers["X-Request-Id"]


def test_valid_token_and_signature(call: Caller, signed: Caller):
    assert call.get(LIST).status == 200
    assert signed.get(LIST).status == 200
    assert signed.get("/v3/sources").status == 200
    assert signed.post(drs("/batch-status"), {"jobs": [JOB_A]}).status == 200


def test_unknown_token(core: SimCore):
    answer = core.handle(SimRequest("GET", LIST, headers={"X-Auth-Token": "MIIforged"}))
    assert answer.status == 401 and answer.json()["error_code"] == "APIGW.0301"
    assert "MIIforged" not in answer.body.decode()


def test_token_expires_after_24h(call: Caller, clock):
    call.token()
    clock.advance(24 * 3600 - 1)
    assert call.get(LIST).status == 200
    clock.advance(1)
    answer = call.get(LIST)
    assert answer.status == 401 and "expired" in answer.json()["error_msg"]


def _signed_headers(core: SimCore, path: str, query: str = "", body: bytes = b"", secret: str | None = None,
                    date: float | None = None, method: str = "GET") -> dict[str, str]:
    headers = {"Host": "127.0.0.1:8080", "Content-Type": "application/json",
               "X-Sdk-Date": sdk_date(core.clock.now() if date is None else date)}
    headers["Authorization"] = sign(method, path, query, headers, body, core.credentials.ak,
                                    secret or core.credentials.sk)
    return headers


def test_bad_signature_and_tampering(core: SimCore):
    headers = _signed_headers(core, LIST, secret="wrong")
    answer = core.handle(SimRequest("GET", LIST, "", headers))
    assert answer.status == 401 and "signature" in answer.json()["error_msg"]
    assert core.credentials.sk not in answer.body.decode()
    # Signed for one query, sent with another.
    headers = _signed_headers(core, LIST, "limit=1")
    assert core.handle(SimRequest("GET", LIST, "limit=1", headers)).status == 200
    assert core.handle(SimRequest("GET", LIST, "limit=2", headers)).status == 401
    # Body changed after signing.
    body = json.dumps({"jobs": [JOB_A]}).encode()
    path = drs("/batch-status")
    headers = _signed_headers(core, path, body=body, method="POST")
    assert core.handle(SimRequest("POST", path, "", headers, body)).status == 200
    assert core.handle(SimRequest("POST", path, "", headers, body + b" ")).status == 401


def test_query_is_verified_as_sent(core: SimCore):
    """A client that signs %20 but sends + (httpx params=) is rejected, as by the real gateway."""
    path = drs(f"/{JOB_A}/table/compare")
    headers = _signed_headers(core, path, "offset=0&x=a%20b")
    assert core.handle(SimRequest("GET", path, "offset=0&x=a%20b", headers)).status == 200
    assert core.handle(SimRequest("GET", path, "offset=0&x=a+b", headers)).status == 401


def test_stale_sdk_date(core: SimCore, clock):
    for skew in (-16 * 60, 16 * 60):
        headers = _signed_headers(core, LIST, date=clock.now() + skew)
        answer = core.handle(SimRequest("GET", LIST, "", headers))
        assert answer.status == 401 and "15 minutes" in answer.json()["error_msg"]
    headers = _signed_headers(core, LIST, date=clock.now() - 14 * 60)
    assert core.handle(SimRequest("GET", LIST, "", headers)).status == 200


def test_ak_locked_after_five_failures(core: SimCore, clock):
    for _ in range(5):
        assert core.handle(SimRequest("GET", LIST, "", _signed_headers(core, LIST, secret="bad"))).status == 401
    locked = core.handle(SimRequest("GET", LIST, "", _signed_headers(core, LIST)))
    assert locked.status == 401 and "locked" in locked.json()["error_msg"]
    clock.advance(301)
    assert core.handle(SimRequest("GET", LIST, "", _signed_headers(core, LIST))).status == 200


def test_project_in_path_must_match_credentials(call: Caller, signed: Caller):
    other = "0" * 32
    assert call.get(f"/v5/{other}/jobs").status == 403
    assert call.get(f"/v5/{other}/jobs").json()["error_code"] == "APIGW.0302"
    assert signed.get(f"/v5/{other}/jobs").status == 403
    assert signed.get(f"/v5/{PROJECT}/jobs", {"job_type": "sync"}).status == 200


def test_iam_login_failures(core: SimCore):
    def login(body) -> int:
        return core.handle(SimRequest("POST", "/v3/auth/tokens", "", {}, json.dumps(body).encode())).status

    creds = core.credentials
    assert login(login_body(creds, password="nope")) == 401
    assert login(login_body(creds, name="someone")) == 401
    assert login({"auth": {}}) == 400
    wrong_scope = login_body(creds)
    wrong_scope["auth"]["scope"] = {"project": {"name": "eu-west-0"}}
    assert login(wrong_scope) == 401
    by_id = login_body(creds)
    by_id["auth"]["scope"] = {"project": {"id": PROJECT}}
    assert login(by_id) == 201
    bad_json = core.handle(SimRequest("POST", "/v3/auth/tokens", "", {}, b"{not json"))
    assert bad_json.status == 400 and bad_json.json()["error_code"].startswith("IAM.")
    assert creds.password not in core.handle(SimRequest("POST", "/v3/auth/tokens", "", {}, json.dumps(
        login_body(creds, password="nope")).encode())).body.decode()


def test_domain_scoped_token_cannot_call_drs(core: SimCore):
    body = login_body(core.credentials)
    body["auth"]["scope"] = {"domain": {"name": core.credentials.domain}}
    answer = core.handle(SimRequest("POST", "/v3/auth/tokens", "", {}, json.dumps(body).encode()))
    token = answer.headers["X-Subject-Token"]
    assert "domain" in answer.json()["token"] and "project" not in answer.json()["token"]
    assert core.handle(SimRequest("GET", LIST, headers={"X-Auth-Token": token})).status == 403
    assert core.handle(SimRequest("GET", "/v3/tasks", headers={"X-Auth-Token": token})).status == 200


def test_iam_project_list_needs_auth_and_filters_by_name(core: SimCore, signed: Caller, call: Caller):
    region, project = core.credentials.region, core.credentials.project_id
    listed = signed.get("/v3/projects", {"name": region}).json()
    assert [(p["id"], p["name"]) for p in listed["projects"]] == [(project, region)]
    assert call.get("/v3/projects", {"name": region}).json()["projects"][0]["id"] == project
    assert signed.get("/v3/projects", {"name": "xx-nowhere-1"}).json()["projects"] == []
    refused = core.handle(SimRequest("GET", "/v3/projects", "name=cn-north-4"))
    assert refused.status == 401 and refused.json()["error_code"] == "APIGW.0301"
