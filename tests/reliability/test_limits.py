"""Hard limits against a hostile server on loopback: decoded answer size (gzip bombs), download
size, total deadlines for calls and downloads (an answer that drips never trips a per-read
timeout), what is not a file, and "outcome unknown" when an action's answer is lost."""

from __future__ import annotations

import asyncio
import functools
import gzip
import json
import tracemalloc
import zlib

import httpx
import pytest

from drstui.api.drs import DrsClient
from drstui.api.errors import ApiError
from drstui.api.limits import MIB, Limits
from drstui.api.retry import RetryPolicy
from drstui.api.transport import HttpSession

from .stub_server import head, stub_server

PID = "054ba152d480d55b2f5dc0069e7ddef0"
JOB = "job-1"
BOMB_DECODED = 256 * MIB
SMALL = Limits(max_answer_bytes=1 * MIB, max_download_bytes=1 * MIB, call_deadline=0.5,
               download_deadline=0.5)
# Per-read timeouts far longer than the deadlines: only a deadline can end these tests quickly.
PATIENT = httpx.Timeout(60.0)


async def no_sleep(_seconds: float) -> None:
    return None


def session(url: str, limits: Limits = SMALL, **kw) -> HttpSession:
    policy = RetryPolicy(max_attempts=3, sleep=no_sleep)
    return HttpSession(url, timeout=PATIENT, limits=limits, retry_policy=policy, **kw)


@functools.cache
def gzip_bomb() -> bytes:
    """~256 KiB of gzip that inflates to 256 MiB of zeros."""
    packer = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(MIB)
    out = [packer.compress(block) for _ in range(BOMB_DECODED // MIB)]
    out.append(packer.flush())
    return b"".join(out)


def answer(status: int, body: bytes, **headers: str):
    async def handler(request, writer):
        writer.write(head(status, {"Content-Length": str(len(body)), **headers}) + body)
    return handler


async def peak_memory(coro) -> tuple[int, object]:
    tracemalloc.start()
    try:
        try:
            result = await coro
        except Exception as exc:  # noqa: BLE001 - the test looks at it
            result = exc
        return tracemalloc.get_traced_memory()[1], result
    finally:
        tracemalloc.stop()


async def test_a_gzip_bomb_stops_at_the_answer_limit_with_bounded_memory():
    bomb = gzip_bomb()
    async with stub_server(answer(200, bomb, **{"Content-Type": "application/json",
                                                "Content-Encoding": "gzip"})) as stub:
        async with session(stub.url) as http:
            peak, error = await peak_memory(http.request_json("GET", "/v3/jobs"))
    assert isinstance(error, ApiError) and error.kind == "malformed"
    assert "answer larger than 1 MiB (limit max_answer_mb)" in str(error)
    assert peak < 8 * MIB, f"peak {peak / MIB:.1f} MiB while reading a bomb"


async def test_a_gzip_bomb_in_a_retried_503_is_never_inflated():
    bomb = gzip_bomb()
    async with stub_server(answer(503, bomb, **{"Content-Type": "application/json",
                                                "Content-Encoding": "gzip"})) as stub:
        async with session(stub.url) as http:
            peak, error = await peak_memory(http.request_json("GET", "/v3/jobs"))
    assert isinstance(error, ApiError) and error.status == 503
    assert len(stub.requests) == 3  # retried as a 503 should be
    assert peak < 8 * MIB, f"peak {peak / MIB:.1f} MiB while reading bombs"


async def test_an_answer_under_the_limit_is_decoded_whole():
    body = json.dumps({"jobs": [{"id": str(i)} for i in range(5000)]}).encode()
    packed = gzip.compress(body)
    async with stub_server(answer(200, packed, **{"Content-Type": "application/json",
                                                  "Content-Encoding": "gzip"})) as stub:
        async with session(stub.url) as http:
            response = await http.request_json("GET", "/v3/jobs")
    assert len(response.data["jobs"]) == 5000
    assert stub.requests[0].headers["accept-encoding"] == "gzip, deflate"


async def test_a_declared_length_over_the_limit_is_refused_before_reading():
    async def handler(request, writer):
        writer.write(head(200, {"Content-Type": "application/json",
                                "Content-Length": str(2 * MIB)}))
        await writer.drain()
        await stub.release.wait()  # never sends the body

    async with stub_server(handler) as stub:
        async with session(stub.url) as http:
            with pytest.raises(ApiError, match="larger than 1 MiB"):
                await http.request_json("GET", "/v3/jobs")


async def test_an_answer_that_drips_fails_at_the_call_deadline():
    async def drip(request, writer):
        writer.write(head(200, {"Content-Type": "application/json", "Content-Length": "100"}) + b"{")
        await writer.drain()
        await stub.release.wait()

    async with stub_server(drip) as stub:
        async with session(stub.url) as http:
            with pytest.raises(ApiError) as caught:
                await http.request_json("GET", "/v3/jobs")
    assert caught.value.kind == "timeout"
    assert "call not complete within 0.5 s (deadline)" in str(caught.value)
    assert not caught.value.outcome_unknown  # a read: nothing happened on the server


async def test_an_action_whose_answer_never_comes_has_an_unknown_outcome():
    async def hold(request, writer):
        await stub.release.wait()

    async with stub_server(hold) as stub:
        async with session(stub.url) as http:
            with pytest.raises(ApiError) as caught:
                await http.request_json("POST", "/v3/jobs/x/compare", json_body={"a": 1})
    assert caught.value.outcome_unknown
    assert len(stub.requests) == 1  # an action is never re-sent


async def test_an_action_whose_connection_drops_after_sending_has_an_unknown_outcome():
    async def drop(request, writer):
        writer.transport.abort()

    async with stub_server(drop) as stub:
        async with session(stub.url) as http:
            with pytest.raises(ApiError) as caught:
                await http.request_json("POST", "/v3/jobs/x/compare", json_body={"a": 1})
    assert caught.value.outcome_unknown and caught.value.kind in ("connect", "timeout")


async def test_an_action_that_could_not_connect_did_not_happen():
    async with stub_server(answer(200, b"{}")) as stub:
        url = stub.url
    # The server is gone: the connection is refused before anything is sent.
    async with session(url) as http:
        with pytest.raises(ApiError) as caught:
            await http.request_json("POST", "/v3/jobs/x/compare", json_body={"a": 1})
    assert caught.value.kind == "connect" and not caught.value.outcome_unknown


# -- downloads ------------------------------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def download(url: str, dest, limits: Limits = SMALL):
    async with session(url, limits) as http:
        return await DrsClient(http, PID, "cn-north-4").download_compare_result_file(
            JOB, "objects_comparison", None, dest)


async def test_a_download_that_never_ends_fails_at_its_deadline_and_leaves_no_file(tmp_path):
    chunks_sent = asyncio.Event()

    async def endless(request, writer):
        writer.write(head(200, {"Content-Type": XLSX, "Transfer-Encoding": "chunked"}))
        block = b"x" * 4096
        while not stub.release.is_set():
            writer.write(b"%x\r\n%s\r\n" % (len(block), block))
            await writer.drain()
            chunks_sent.set()
            await asyncio.sleep(0.01)  # pacing only (~400 KiB/s), so the disk is not filled

    limits = Limits(max_download_bytes=1024 * MIB, download_deadline=0.5)
    async with stub_server(endless) as stub:
        with pytest.raises(ApiError) as caught:
            await download(stub.url, tmp_path, limits)
    assert chunks_sent.is_set()
    assert caught.value.kind == "timeout"
    assert "download not complete within 0.5 s (deadline)" in str(caught.value)
    assert list(tmp_path.iterdir()) == []  # no .part, no file


async def test_a_dripping_download_fails_at_its_deadline_and_leaves_no_file(tmp_path):
    async def drip(request, writer):
        writer.write(head(200, {"Content-Type": XLSX, "Content-Length": "1000"}) + b"P")
        await writer.drain()
        await stub.release.wait()

    async with stub_server(drip) as stub:
        with pytest.raises(ApiError, match="deadline"):
            await download(stub.url, tmp_path)
    assert list(tmp_path.iterdir()) == []


async def test_a_download_over_its_size_limit_fails_and_leaves_no_file(tmp_path):
    body = b"z" * (2 * MIB)
    async with stub_server(answer(200, body, **{"Content-Type": XLSX})) as stub:
        with pytest.raises(ApiError, match=r"download larger than 1 MiB \(limit max_download_mb\)"):
            await download(stub.url, tmp_path)
    assert list(tmp_path.iterdir()) == []


async def test_a_compressed_download_is_capped_on_its_decoded_size(tmp_path):
    async with stub_server(answer(200, gzip_bomb(), **{"Content-Type": XLSX,
                                                       "Content-Encoding": "gzip"})) as stub:
        with pytest.raises(ApiError, match="download larger than 1 MiB"):
            await download(stub.url, tmp_path)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("status, headers, body, problem", [
    (302, {"Location": "https://sso.example/login", "Content-Type": "text/html"},
     b"<html>Moved</html>", "expected a file, got HTTP 302 (a redirect, not followed)"),
    (204, {}, b"", "expected a file, got HTTP 204"),
    (200, {"Content-Type": "text/html; charset=utf-8"}, b"<html>proxy login</html>",
     "expected a file, got a web page (text/html)"),
    (200, {"Content-Type": XLSX}, b"", "expected a file, got an empty answer"),
])
async def test_what_is_not_a_file_is_not_saved(tmp_path, status, headers, body, problem):
    async with stub_server(answer(status, body, **headers)) as stub:
        with pytest.raises(ApiError) as caught:
            await download(stub.url, tmp_path)
    assert problem in str(caught.value)
    assert list(tmp_path.iterdir()) == []


async def test_a_file_within_the_limits_is_saved(tmp_path):
    body = b"PK\x03\x04" + b"r" * 1000
    async with stub_server(answer(200, body, **{"Content-Type": XLSX})) as stub:
        saved = await download(stub.url, tmp_path)
    assert saved.read_bytes() == body and saved.suffix == ".xlsx"
