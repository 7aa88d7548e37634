"""Secrets (SK, password, token) never show up in errors, reprs or the request hook."""

from __future__ import annotations

import ast
from pathlib import Path

import httpx
import pytest

from drstui.api import AkSkAuth, ApiError, CloudClient, TokenAuth
from drstui.api.transport import HttpSession

from .helpers import PID, json_response, load

SK = "drstuiFakeSecretKey0123456789abcdefGHIJ"
PASSWORD = "Pa55w0rd-very-secret"
TOKEN = "MIIsecret-token-" + "Z" * 200
STS = "sts-security-token-secret"


async def test_no_secret_in_errors_or_reprs():
    records = []

    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path == "/v3/auth/tokens":
            return httpx.Response(201, json=load("iam_token.response.json"),
                                  headers={"X-Subject-Token": TOKEN})
        return json_response(401, load("apigw_error_401_token.json"))

    auth = TokenAuth("https://iam.x", "user", PASSWORD, "domain", transport=httpx.MockTransport(handler))
    session = HttpSession("https://drs.x", auth=auth, transport=httpx.MockTransport(handler),
                          on_request=records.append)
    with pytest.raises(ApiError) as info:
        await session.request_json("GET", "/v3/x")
    texts = [str(info.value), repr(info.value), repr(auth), repr(records)]
    for text in texts:
        assert PASSWORD not in text and TOKEN not in text
    await session.aclose()
    await auth.aclose()


def test_aksk_repr_and_cloud_repr():
    auth = AkSkAuth("AK", SK, PID, security_token=STS)
    cloud = CloudClient("cn-north-4", auth=auth, project_id=PID,
                        transport=httpx.MockTransport(lambda r: httpx.Response(200)))
    for text in (repr(auth), repr(cloud.auth), repr(cloud.drs.http.auth), str(vars(cloud))):
        assert SK not in text and STS not in text


def test_api_layer_never_imports_textual():
    root = Path(__file__).resolve().parents[2] / "drstui" / "api"
    for path in root.rglob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            assert not any(n.split(".")[0] == "textual" for n in names), path
