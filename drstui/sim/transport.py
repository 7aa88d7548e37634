"""``SimTransport``: the simulator as an ``httpx.AsyncBaseTransport``, for in-process use.

Routes by path only (the URL's host is irrelevant). Faults become what a real network would do:
latency → ``await sleeper(seconds)``; a hang → ``await sleeper(hang)`` then ``httpx.ReadTimeout``;
a dropped connection → ``httpx.RemoteProtocolError``; refused (fault, or
``transport.refuse_connections = True``) → ``httpx.ConnectError``. Pass a fake ``sleeper`` in tests
so nothing really sleeps.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable

import httpx

from .core import SimCore
from .messages import SimRequest

Sleeper = Callable[[float], Awaitable[None]]


class SimTransport(httpx.AsyncBaseTransport):
    def __init__(self, core: SimCore, sleeper: Sleeper | None = None) -> None:
        self.core = core
        self.sleeper: Sleeper = sleeper or asyncio.sleep
        self.refuse_connections = False

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if self.refuse_connections:
            raise httpx.ConnectError("[Errno 111] Connection refused (simulator is down)", request=request)
        raw_path, _, raw_query = request.url.raw_path.decode("ascii").partition("?")
        headers = [(k.decode("latin-1"), v.decode("utf-8", errors="replace")) for k, v in request.headers.raw]
        body = await request.aread()
        answer = self.core.handle(SimRequest(request.method, raw_path, raw_query, headers, body))
        if answer.delay_seconds:
            await self.sleeper(answer.delay_seconds)
        if answer.fault == "refuse":
            raise httpx.ConnectError("[Errno 111] Connection refused (injected)", request=request)
        if answer.fault == "drop":
            raise httpx.RemoteProtocolError("Server disconnected without sending a response.", request=request)
        if answer.fault == "hang":
            await self.sleeper(answer.hang_seconds)
            raise httpx.ReadTimeout("The simulator did not answer (injected hang).", request=request)
        return httpx.Response(answer.status, headers=list(answer.headers.items()), content=answer.body,
                              request=request)
