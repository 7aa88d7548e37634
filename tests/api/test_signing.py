"""AK/SK signing: every vector in tests/data/signing-vectors.json, byte for byte."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from drstui.api.signing import (
    AkSkAuth,
    build_url,
    canonical_query_string,
    canonical_uri,
    encode_path_param,
    sign,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "signing-vectors.json"
VECTORS = json.loads(DATA.read_text())
CREDS = VECTORS["credentials"]
FIXED = datetime(2025, 1, 15, 8, 30, 0, tzinfo=timezone.utc)


def _vector_headers(vec: dict) -> list[tuple[str, str]]:
    inp = vec["input"]
    headers = list(inp["headers_before_signing"].items())
    if inp["project_id_credential"]:
        headers.append(("X-Project-Id", inp["project_id_credential"]))
    headers.append(("Host", inp["host"]))
    return headers


@pytest.mark.parametrize("vec", VECTORS["vectors"], ids=lambda v: v["name"])
def test_pure_signer_matches_vector(vec):
    inp, mid = vec["input"], vec["intermediate"]
    query = canonical_query_string([tuple(p) for p in inp["query_params"]])
    sig = sign(CREDS["ak"], CREDS["sk"], inp["method"], inp["path_as_sent"], query,
               _vector_headers(vec), inp["body"])
    assert sig.canonical_request == mid["canonical_request"]
    assert sig.string_to_sign == mid["string_to_sign"]
    assert sig.signed_headers == mid["signed_headers"]
    assert sig.signature == mid["signature"]
    assert sig.authorization == vec["output"]["headers"]["Authorization"]


@pytest.mark.parametrize("vec", VECTORS["vectors"], ids=lambda v: v["name"])
def test_build_url_matches_sent_url(vec):
    inp = vec["input"]
    url = build_url(f"{inp['scheme']}://{inp['host']}", inp["path_as_sent"],
                    [tuple(p) for p in inp["query_params"]])
    assert url == vec["output"]["url"]


@pytest.mark.parametrize("vec", VECTORS["vectors"], ids=lambda v: v["name"])
def test_httpx_auth_matches_vector(vec):
    """AkSkAuth on a real httpx.Request, with the date coming from the injected clock."""
    inp = vec["input"]
    url = build_url(f"{inp['scheme']}://{inp['host']}", inp["path_as_sent"],
                    [tuple(p) for p in inp["query_params"]])
    headers = {k: v for k, v in inp["headers_before_signing"].items() if k != "X-Sdk-Date"}
    body = inp["body"].encode() if inp["body"] else None
    request = httpx.Request(inp["method"], url, headers=headers, content=body)
    auth = AkSkAuth(CREDS["ak"], CREDS["sk"], inp["project_id_credential"], clock=lambda: FIXED)
    flow = auth.auth_flow(request)
    signed = next(flow)
    assert signed.headers["Authorization"] == vec["output"]["headers"]["Authorization"]
    assert signed.headers["X-Sdk-Date"] == VECTORS["x_sdk_date"]
    assert str(signed.url) == vec["output"]["url"]
    if inp["project_id_credential"]:
        assert signed.headers["X-Project-Id"] == inp["project_id_credential"]
    else:
        assert "X-Project-Id" not in signed.headers


@pytest.mark.parametrize("req", VECTORS["sdk_end_to_end"]["requests"], ids=lambda r: r["name"])
def test_sdk_end_to_end_captures(req):
    parts = urlsplit(req["url"])
    headers = [(k, v) for k, v in req["headers"].items() if k != "Authorization"]
    sig = sign(CREDS["ak"], CREDS["sk"], req["method"], parts.path, parts.query, headers, req["body"])
    assert sig.authorization == req["headers"]["Authorization"]


@pytest.mark.parametrize("req", VECTORS["sdk_end_to_end"]["requests"], ids=lambda r: r["name"])
def test_sdk_end_to_end_through_httpx(req):
    """Same captures through AkSkAuth: a signed User-Agent is kept when explicitly signed."""
    headers = {k: v for k, v in req["headers"].items() if k not in ("Authorization", "Host")}
    body = req["body"].encode() if req["body"] else None
    request = httpx.Request(req["method"], req["url"], headers=headers, content=body)
    auth = AkSkAuth(CREDS["ak"], CREDS["sk"], CREDS["project_id"], clock=lambda: FIXED,
                    unsigned_headers=frozenset({"accept", "accept-encoding", "connection",
                                                "content-length", "authorization"}))
    signed = next(auth.auth_flow(request))
    assert signed.headers["Authorization"] == req["headers"]["Authorization"]


def test_query_rewritten_to_canonical_form():
    """httpx would send '+' for a space; the signer rewrites the URL so sent == signed."""
    request = httpx.Request("GET", "https://h.example/v3/x", params={"b": "x y", "a": "1"})
    auth = AkSkAuth("AK", "SK", clock=lambda: FIXED)
    signed = next(auth.auth_flow(request))
    assert signed.url.query == b"a=1&b=x%20y"


def test_host_with_port_is_signed():
    request = httpx.Request("GET", "http://127.0.0.1:8080/v3/tasks")
    auth = AkSkAuth("AK", "SK", clock=lambda: FIXED)
    sig = auth.sign_request(request)
    assert "host:127.0.0.1:8080\n" in sig.canonical_request


def test_path_helpers():
    assert encode_path_param("a/b c") == "a%2Fb%20c"
    assert canonical_uri("/v3/a%2Fb") == "/v3/a/b/"
    assert canonical_query_string({"flag": False, "n": None}) == "flag=false"


def test_repr_hides_secret():
    auth = AkSkAuth(CREDS["ak"], CREDS["sk"], CREDS["project_id"], security_token="STS-SECRET")
    assert CREDS["sk"] not in repr(auth)
    assert "STS-SECRET" not in repr(auth)
