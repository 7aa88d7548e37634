"""IAM token auth: fetch, sharing, refresh before expiry, one retry on 401, no lock-out loop."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime, timedelta, timezone

import httpx
import pytest

from drstui.api.errors import ApiError
from drstui.api.token import TokenAuth

from .helpers import PID, Recorder, json_response, load, make_session

T0 = datetime(2025, 1, 15, 8, 30, tzinfo=timezone.utc)
PASSWORD = "S3cret-Passw0rd!"


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


class FakeCloud:
    """IAM + one service endpoint. The service accepts only the tokens in `valid`."""

    def __init__(self, clock: Clock, *, lifetime=timedelta(hours=24)) -> None:
        self.clock = clock
        self.lifetime = lifetime
        self.token_requests: list[httpx.Request] = []
        self.service_requests: list[httpx.Request] = []
        self.seen_tokens: list[str] = []
        self.valid: set[str] = set()
        self.login_status = 201
        self.reject_all = False
        self.server_clock_offset = timedelta(0)  # how far IAM's clock is from ours

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        if request.url.path == "/v3/auth/tokens":
            self.token_requests.append(request)
            if self.login_status != 201:
                return json_response(self.login_status, {"error": {"code": 401, "message":
                                                                   "The username or password is wrong.",
                                                                   "title": "Unauthorized"}})
            token = f"tok-{len(self.token_requests)}-" + "x" * 3000
            self.valid.add(token)
            body = load("iam_token.response.json")
            server_now = self.clock() + self.server_clock_offset
            body["token"]["issued_at"] = server_now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            body["token"]["expires_at"] = (server_now + self.lifetime).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
            return httpx.Response(201, json=body, headers={"X-Subject-Token": token})
        self.service_requests.append(request)
        self.seen_tokens.append(request.headers.get("X-Auth-Token", ""))  # headers get mutated later
        if self.reject_all or request.headers.get("X-Auth-Token") not in self.valid:
            return json_response(401, load("apigw_error_401_token.json"))
        return json_response(200, {"ok": True})

    def expire_all(self) -> None:
        self.valid.clear()


def setup(clock=None, **kw):
    clock = clock or Clock()
    cloud = FakeCloud(clock, **kw)
    transport = httpx.MockTransport(cloud)
    auth = TokenAuth("https://iam.cn-north-4.myhuaweicloud.com", "drstui-operator", PASSWORD,
                     "example-account", project_name="cn-north-4", clock=clock, transport=transport)
    rec = Recorder(default=None)
    session = make_session(rec, auth=auth)
    session._client = httpx.AsyncClient(transport=transport)  # service calls go to FakeCloud
    return clock, cloud, auth, session


async def test_token_fetched_once_and_sent():
    _, cloud, auth, session = setup()
    await session.request_json("GET", "/v3/x")
    await session.request_json("GET", "/v3/y")
    assert len(cloud.token_requests) == 1
    token_req = cloud.token_requests[0]
    assert token_req.url.path == "/v3/auth/tokens" and token_req.url.query == b"nocatalog=true"
    body = json.loads(token_req.content)
    expected = load("iam_token.request.json")
    expected["auth"]["identity"]["password"]["user"]["password"] = PASSWORD
    assert body == expected
    assert all(t.startswith("tok-1-") for t in cloud.seen_tokens)
    assert auth.project_id == PID


async def test_concurrent_requests_share_one_fetch():
    _, cloud, _, session = setup()
    await asyncio.gather(*(session.request_json("GET", f"/v3/{i}") for i in range(8)))
    assert len(cloud.token_requests) == 1 and len(cloud.service_requests) == 8


async def test_refresh_before_expiry():
    clock, cloud, _, session = setup()
    await session.request_json("GET", "/v3/x")
    clock.now = T0 + timedelta(hours=22, minutes=59)  # > 1 h left: keep
    await session.request_json("GET", "/v3/x")
    assert len(cloud.token_requests) == 1
    clock.now = T0 + timedelta(hours=23, minutes=1)  # < 1 h left: refresh first
    await session.request_json("GET", "/v3/x")
    assert len(cloud.token_requests) == 2
    assert [t[:6] for t in cloud.seen_tokens] == ["tok-1-", "tok-1-", "tok-2-"]


async def test_short_lived_tokens_do_not_cause_a_fetch_per_call():
    clock, cloud, _, session = setup(lifetime=timedelta(minutes=30))
    for minute in range(0, 14):
        clock.now = T0 + timedelta(minutes=minute)
        await session.request_json("GET", "/v3/x")
    assert len(cloud.token_requests) == 1


async def test_refresh_once_on_401_then_success():
    _, cloud, _, session = setup()
    await session.request_json("GET", "/v3/x")
    cloud.expire_all()  # e.g. password changed elsewhere: token revoked before expires_at
    resp = await session.request_json("GET", "/v3/x")
    assert resp.data == {"ok": True}
    assert len(cloud.token_requests) == 2
    assert [t[:6] for t in cloud.seen_tokens] == ["tok-1-", "tok-1-", "tok-2-"]


async def test_401_twice_raises_without_loop():
    _, cloud, _, session = setup()
    cloud.reject_all = True
    with pytest.raises(ApiError) as info:
        await session.request_json("GET", "/v3/x")
    assert info.value.kind == "auth" and info.value.is_auth_expired
    assert len(cloud.token_requests) == 2 and len(cloud.service_requests) == 2


async def test_wrong_password_one_auth_error_then_no_more_iam_calls():
    _, cloud, auth, session = setup()
    cloud.login_status = 401
    with pytest.raises(ApiError) as first:
        await session.request_json("GET", "/v3/x")
    assert first.value.kind == "auth" and first.value.status == 401
    for _ in range(3):
        with pytest.raises(ApiError) as again:
            await session.request_json("GET", "/v3/x")
        assert again.value is first.value
    assert len(cloud.token_requests) == 1 and cloud.service_requests == []
    assert PASSWORD not in str(first.value) and PASSWORD not in repr(first.value)
    # Fixing the credentials clears the remembered failure.
    cloud.login_status = 201
    auth.set_credentials("drstui-operator", "new-password", "example-account")
    assert (await session.request_json("GET", "/v3/x")).data == {"ok": True}
    assert len(cloud.token_requests) == 2


async def test_iam_5xx_is_not_remembered():
    _, cloud, _, session = setup()
    cloud.login_status = 503
    with pytest.raises(ApiError) as info:
        await session.request_json("GET", "/v3/x")
    assert info.value.status == 503
    cloud.login_status = 201
    assert (await session.request_json("GET", "/v3/x")).data == {"ok": True}


async def test_non_gateway_401_is_not_retried():
    clock = Clock()
    calls = []

    def handler(request):
        calls.append(request.url.path)
        if request.url.path == "/v3/auth/tokens":
            return httpx.Response(201, json=load("iam_token.response.json"),
                                  headers={"X-Subject-Token": "t"})
        return json_response(401, {"error_code": "DRS.0401", "error_msg": "no"})

    transport = httpx.MockTransport(handler)
    auth = TokenAuth("https://iam.x", "u", "p", "d", clock=clock, transport=transport)
    rec = Recorder()
    session = make_session(rec, auth=auth)
    session._client = httpx.AsyncClient(transport=transport)
    with pytest.raises(ApiError):
        await session.request_json("GET", "/v3/x")
    assert calls == ["/v3/auth/tokens", "/v3/x"]


async def test_missing_subject_token_is_malformed():
    def handler(request):
        return httpx.Response(201, json=load("iam_token.response.json"))

    auth = TokenAuth("https://iam.x", "u", "p", "d", transport=httpx.MockTransport(handler))
    with pytest.raises(ApiError) as info:
        await auth.get_token()
    assert info.value.kind == "malformed"
    await auth.aclose()


async def test_repr_hides_password_and_token():
    _, _, auth, session = setup()
    await session.request_json("GET", "/v3/x")
    text = repr(auth)
    assert PASSWORD not in text and "tok-1" not in text and "password=***" in text


def test_project_scope_options():
    with pytest.raises(ValueError):
        TokenAuth("https://iam", "u", "p", "d", project_name="a", project_id="b")
    auth = TokenAuth("https://iam", "u", "p", "d", project_id=PID)
    assert auth._body()["auth"]["scope"] == {"project": {"id": PID}}
    assert auth.project_id == PID


@pytest.mark.parametrize("offset", [timedelta(days=-400), timedelta(hours=-23), timedelta(hours=30)])
async def test_token_life_is_counted_from_our_clock_when_clocks_disagree(offset):
    # A jump host whose clock is far off must neither fetch a token per call (server clock
    # behind) nor keep using an expired one (server clock ahead).
    clock, cloud, auth, session = setup()
    cloud.server_clock_offset = offset
    for _ in range(5):
        await session.request_json("GET", "/v3/x")
    assert len(cloud.token_requests) == 1
    clock.now += timedelta(hours=23, minutes=30)  # inside the last hour of the 24 h life
    await session.request_json("GET", "/v3/x")
    assert len(cloud.token_requests) == 2
