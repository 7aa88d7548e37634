"""The simulator's own AK/SK verifier against the SDK-generated vectors (auth.md §4)."""

import json

import pytest

from drstui.sim.messages import SimRequest
from drstui.sim.signature import (SignatureRejected, canonical_query, canonical_request, canonical_uri,
                                  parse_sdk_date, verify_signature)

from .helpers import DATA

VECTORS = json.loads((DATA / "signing-vectors.json").read_text())
CREDS = VECTORS["credentials"]
NOW = parse_sdk_date(VECTORS["x_sdk_date"])


def _path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def _vector_requests():
    for v in VECTORS["vectors"]:
        body = v["input"]["body"]
        yield v["name"], SimRequest(v["input"]["method"], _path(v["output"]["url"]), headers=v["output"]["headers"],
                                    body=body.encode() if body else b""), v
    for v in VECTORS["sdk_end_to_end"]["requests"]:
        yield v["name"], SimRequest(v["method"], _path(v["url"]), headers=v["headers"],
                                    body=(v.get("body") or "").encode()), None


@pytest.mark.parametrize("name,request_,vector", list(_vector_requests()), ids=lambda x: x if isinstance(x, str) else "")
def test_every_vector_verifies(name, request_, vector):
    assert verify_signature(request_, {CREDS["ak"]: CREDS["sk"]}, NOW) == CREDS["ak"]
    if vector is not None:
        signed = tuple(vector["intermediate"]["signed_headers"].split(";"))
        assert canonical_request(request_, signed) == vector["intermediate"]["canonical_request"]


@pytest.mark.parametrize("name,request_,vector", list(_vector_requests())[:3], ids=lambda x: x if isinstance(x, str) else "")
def test_tampering_is_detected(name, request_, vector):
    tampered = SimRequest(request_.method, request_.path + "x", request_.raw_query, request_.headers, request_.body)
    with pytest.raises(SignatureRejected):
        verify_signature(tampered, {CREDS["ak"]: CREDS["sk"]}, NOW)
    with pytest.raises(SignatureRejected):
        verify_signature(request_, {CREDS["ak"]: "wrong-secret"}, NOW)


def test_clock_skew_over_15_minutes_is_rejected():
    name, request_, _ = next(_vector_requests())
    verify_signature(request_, {CREDS["ak"]: CREDS["sk"]}, NOW + 899)
    with pytest.raises(SignatureRejected, match="15 minutes"):
        verify_signature(request_, {CREDS["ak"]: CREDS["sk"]}, NOW + 901)
    with pytest.raises(SignatureRejected):
        verify_signature(request_, {CREDS["ak"]: CREDS["sk"]}, NOW - 901)


def test_canonical_pieces():
    assert canonical_uri("/v3/p/jobs/t%C3%A9st%20job%2B1~x/object/compare") == \
        "/v3/p/jobs/t%C3%A9st%20job%2B1~x/object/compare/"
    assert canonical_uri("/a%2Fb") == "/a/b/"
    assert canonical_query("b=2&a=1&a=0") == "a=0&a=1&b=2"
    assert canonical_query("q=a%20b%2A") == "q=a%20b%2A"
    assert canonical_query("") == ""
