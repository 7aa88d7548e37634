"""What each request costs beyond the HTTP exchange itself: no import search, one log line."""

from __future__ import annotations

import asyncio
import contextlib
import importlib.abc
import logging
import sys

import httpx

import drstui.api.transport  # noqa: F401  (the module that prepares httpcore's import)
from drstui.logs import setup_logging, shutdown_logging


class ImportSpy(importlib.abc.MetaPathFinder):
    def __init__(self) -> None:
        self.asked: list[str] = []

    def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
        self.asked.append(name)
        return None


def test_httpcore_does_not_search_sys_path_on_every_request():
    """httpcore imports sniffio on every lock it sets up; when sniffio is not installed that
    must fail at once, not walk sys.path each time (it was a fifth of the CPU per request)."""
    from httpcore._synchronization import current_async_library

    spy = ImportSpy()
    sys.meta_path.insert(0, spy)
    try:
        async def ask() -> list[str]:
            return [current_async_library() for _ in range(5)]

        assert asyncio.run(ask()) == ["asyncio"] * 5
    finally:
        sys.meta_path.remove(spy)
    assert "sniffio" not in spy.asked


def _logged_lines(path, level: int) -> list[str]:
    """What the log file holds after a request that went well and one answered 503, at `level`."""
    from drstui.api.errors import ApiError
    from drstui.api.transport import HttpSession
    from drstui.wiring import _log_request

    setup_logging(path, level=level)
    try:
        def answer(request: httpx.Request) -> httpx.Response:
            if request.url.path.endswith("/busy"):
                return httpx.Response(503, json={"error_code": "DRS.0503", "error_msg": "busy"})
            return httpx.Response(200, json={"ok": True})

        async def call() -> None:
            async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
                session = HttpSession("https://drs.example.test", client=client, on_request=_log_request)
                await session.request_json("GET", "/v3/p/jobs", params={"limit": 1})
                with contextlib.suppress(ApiError):
                    await session.request_json("POST", "/v3/p/busy", json_body={})  # not retried

        asyncio.run(call())
    finally:
        shutdown_logging()
    return path.read_text(encoding="utf-8").splitlines()


def test_one_log_line_per_request_at_debug(tmp_path):
    """drstui's own line (method, path, status, timing) and not httpx's copy with the full URL."""
    lines = _logged_lines(tmp_path / "drstui.log", logging.DEBUG)
    assert any("GET /v3/p/jobs -> 200" in line for line in lines)
    assert any("POST /v3/p/busy -> 503" in line for line in lines)
    assert not any("HTTP Request" in line for line in lines), lines


def test_at_the_default_level_only_the_requests_that_failed_are_logged(tmp_path):
    """Every request at info would fill the rotated log with routine reads within the hour."""
    lines = _logged_lines(tmp_path / "drstui.log", logging.INFO)
    assert not any("GET /v3/p/jobs" in line for line in lines), lines
    assert any("POST /v3/p/busy -> 503" in line and "[http]" in line for line in lines), lines
