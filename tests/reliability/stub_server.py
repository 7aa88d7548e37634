"""A raw HTTP/1.1 server on loopback for tests of what a hostile server can send: answers that
never end, drip, inflate, lie about their type, or never come. Each request is handled by an
async function given the request line and a writer; it can hold the connection open until the
test sets `release` (never a sleep)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

Handler = Callable[["StubRequest", asyncio.StreamWriter], Awaitable[None]]


@dataclass
class StubRequest:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes


@dataclass
class StubServer:
    handler: Handler
    requests: list[StubRequest] = field(default_factory=list)
    release: asyncio.Event = field(default_factory=asyncio.Event)
    received: asyncio.Event = field(default_factory=asyncio.Event)
    port: int = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            line = (await reader.readline()).decode("latin-1").strip()
            if not line:
                return
            method, target, _ = line.split(" ", 2)
            headers: dict[str, str] = {}
            while True:
                header = (await reader.readline()).decode("latin-1")
                if header in ("\r\n", "\n", ""):
                    break
                name, _, value = header.partition(":")
                headers[name.strip().lower()] = value.strip()
            body = await reader.readexactly(int(headers.get("content-length", "0") or 0))
            request = StubRequest(method, target, headers, body)
            self.requests.append(request)
            self.received.set()
            await self.handler(request, writer)
            await writer.drain()
        except (ConnectionError, asyncio.IncompleteReadError):
            pass
        finally:
            writer.close()


def head(status: int, headers: dict[str, str] | None = None, *, reason: str = "X") -> bytes:
    lines = [f"HTTP/1.1 {status} {reason}"] + [f"{k}: {v}" for k, v in (headers or {}).items()]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@asynccontextmanager
async def stub_server(handler: Handler):
    stub = StubServer(handler)
    server = await asyncio.start_server(stub._serve, "127.0.0.1", 0)
    stub.port = server.sockets[0].getsockname()[1]
    try:
        yield stub
    finally:
        stub.release.set()  # let every held connection finish
        server.close()
        await server.wait_closed()
