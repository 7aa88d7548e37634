"""`drstui serve`: the monitor in a browser, read-only, for the war room's big screen.

Built on Textualize's textual-serve: an aiohttp server whose page runs xterm.js and opens a
websocket; for each websocket the server starts one app process (`drstui.serve.viewer`) and
relays its terminal output. So every open tab is a full monitor polling the API on its own,
which is why the number of viewers is capped (`--max-viewers`).

What this module adds to textual-serve's Server:
- the cap: a tab beyond it gets a "too many viewers" page, and its websocket is refused
  before any process starts;
- a page of our own (no fonts or scripts from the internet; a READ-ONLY banner, and the
  exposure warning when bound beyond loopback);
- websockets only from the page's own origin, so another site open in the same browser cannot
  connect to a loopback viewer and read the screen; bound to loopback, only loopback Host names
  are answered (no DNS rebinding);
- links built from the Host the browser used, so a view bound to 0.0.0.0 works from any
  address it is reached on.
"""

from __future__ import annotations

import argparse
import asyncio
import ipaddress
import logging
import shlex
import signal
import sys
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aiohttp_jinja2
from aiohttp import web
from textual_serve.server import Server, to_int

from drstui.config import ConfigError
from drstui.serve.viewer import viewer_command

log = logging.getLogger("drstui.serve")

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8000
DEFAULT_MAX_VIEWERS = 4
MAX_VIEWERS_LIMIT = 50
TEMPLATES = Path(__file__).with_name("templates")
READ_ONLY_BANNER = "READ-ONLY view: nothing can be created, exported or changed from here"
FULL_PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>drstui: too many viewers</title></head>
<body style="background:#0c181f;color:#eee;font-family:monospace;padding:2em">
<h1>Too many viewers</h1>
<p>This drstui view already has {count} of at most {limit} viewers. Each viewer polls the
cloud API on its own; close another tab (or ask whoever runs <code>drstui serve</code> to raise
<code>--max-viewers</code>) and reload.</p></body></html>
"""


def is_loopback(host: str) -> bool:
    """True for an address only this machine can reach (127.0.0.0/8, ::1, localhost)."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False  # a host name: may resolve to anything


def exposure_warning(host: str, port: int) -> str | None:
    """The warning printed and shown when the view is reachable from other machines."""
    if is_loopback(host):
        return None
    return (f"WARNING: served on {host}:{port}, beyond this machine: anyone who can reach that "
            "address sees the cutover (job names, comparison results) without logging in. "
            "Use a trusted network or an SSH tunnel.")


class ViewerServer(Server):
    """textual-serve's Server with a viewer cap, an own page and a same-origin websocket."""

    def __init__(self, command: str, *, host: str, port: int, max_viewers: int,
                 warning: str | None = None, title: str = "drstui") -> None:
        super().__init__(command, host=host, port=port, title=title, templates_path=TEMPLATES)
        self.max_viewers = max_viewers
        self.warning = warning
        self.viewers = 0  # websockets with an app process behind them
        self._viewers_changed: asyncio.Condition | None = None

    @property
    def full(self) -> bool:
        return self.viewers >= self.max_viewers

    def full_response(self) -> web.Response:
        text = FULL_PAGE.format(count=self.viewers, limit=self.max_viewers)
        return web.Response(status=503, text=text, content_type="text/html")

    def check_host(self, request: web.Request) -> None:
        """Bound to loopback, answer only to a loopback Host: a page whose name was made to
        resolve to 127.0.0.1 (DNS rebinding) gets nothing."""
        if is_loopback(self.host) and not is_loopback(_host_name(request.host)):
            raise web.HTTPMisdirectedRequest(text="this view answers on loopback addresses only")

    async def handle_index(self, request: web.Request) -> web.StreamResponse:  # type: ignore[override]
        self.check_host(request)
        if self.full:
            return self.full_response()
        base = f"{request.scheme}://{request.host}"
        websocket = ("wss://" if request.scheme == "https" else "ws://") + request.host
        context: dict[str, Any] = {
            "font_size": to_int(request.query.get("fontsize", "16"), 16),
            "app_websocket_url": websocket + str(request.app.router["websocket"].url_for()),
            "static_url": base + str(request.app.router["static"].url_for(filename="/")).rstrip("/") + "/",
            "title": self.title,
            "banner": READ_ONLY_BANNER,
            "warning": self.warning,
        }
        return aiohttp_jinja2.render_template("app_index.html", request, context)

    async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
        self.check_host(request)
        if not same_origin(request):
            raise web.HTTPForbidden(text="websocket from another origin refused")
        if self.full:
            raise web.HTTPServiceUnavailable(text=f"at most {self.max_viewers} viewers")
        await self._count_viewer(+1)
        log.info("viewer connected (%d of at most %d)", self.viewers, self.max_viewers)
        try:
            return await super().handle_websocket(request)
        finally:
            await self._count_viewer(-1)
            log.info("viewer left (%d open)", self.viewers)

    async def _count_viewer(self, step: int) -> None:
        self.viewers += step
        async with self._condition():
            self._condition().notify_all()

    def _condition(self) -> asyncio.Condition:
        if self._viewers_changed is None:
            self._viewers_changed = asyncio.Condition()
        return self._viewers_changed

    async def wait_for_viewers(self, count: int) -> None:
        """Until exactly `count` viewers are open (a viewer leaves once its process stopped)."""
        async with self._condition():
            await self._condition().wait_for(lambda: self.viewers == count)

    async def on_startup(self, app: web.Application) -> None:
        """textual-serve prints its banner here, before the port is bound: `serve` tells instead."""

    def serve(self, debug: bool = False) -> None:
        """Listen until SIGINT/SIGTERM; the ready line is printed once the port is bound."""
        self.debug = debug
        self.initialize_logging()
        asyncio.run(self._serve())

    async def _serve(self) -> None:
        runner = web.AppRunner(await self._make_app(), handle_signals=False)
        await runner.setup()
        try:
            site = web.TCPSite(runner, self.host, self.port)
            try:
                await site.start()
            except OSError as error:
                raise ConfigError(f"cannot listen on {self.host}:{self.port}: "
                                  f"{error.strerror or error}") from None
            if self.warning:
                print(f"drstui: {self.warning}", file=sys.stderr, flush=True)
            print(f"drstui serve: read-only view on http://{_url_host(self.host)}:{self.port}/ "
                  f"(at most {self.max_viewers} viewers); Ctrl+C stops", flush=True)
            stopping = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stopping.set)
            await stopping.wait()
        finally:
            await runner.cleanup()  # closes the websockets: each viewer process is told to quit


def _host_name(host_header: str) -> str:
    """"127.0.0.1:8000" -> "127.0.0.1", "[::1]:8000" -> "::1", "localhost" -> "localhost"."""
    return urlsplit(f"//{host_header}").hostname or ""


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host and not host.startswith("[") else host


def same_origin(request: web.Request) -> bool:
    """A browser sends Origin on websockets; it must be the page's own (scheme, host, port).
    A client without Origin (not a browser page) is let through."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    parts = urlsplit(origin)
    return parts.netloc.lower() == request.host.lower() and parts.scheme in ("http", "https")


def forwarded_flags(args: argparse.Namespace, parser: argparse.ArgumentParser) -> list[str]:
    """The connection and behaviour flags given to `drstui serve`, to start each viewer with.

    Only flags present in `args` are passed (absent ones default to SUPPRESS), so the viewer
    resolves the config file, environment and flags exactly as `drstui serve` did."""
    flags: list[str] = []
    skip = {"help", "version", "command", "host", "port", "max_viewers"}
    for action in parser._actions:  # noqa: SLF001 - argparse exposes no public list
        if not action.option_strings or action.dest in skip or not hasattr(args, action.dest):
            continue
        value = getattr(args, action.dest)
        if isinstance(action, argparse.BooleanOptionalAction):
            flags.append(action.option_strings[0] if value else action.option_strings[1])
        elif action.nargs == 0:
            if value:
                flags.append(action.option_strings[0])
        elif isinstance(value, (list, tuple)):  # append / extend: one flag per value
            for item in value:
                flags += [action.option_strings[0], str(item)]
        elif value is not None:
            flags += [action.option_strings[0], str(value)]
    return flags


def serve_command(settings: Any, args: argparse.Namespace) -> int:
    """`drstui serve`: called by drstui.cli with resolved Settings and the parsed flags."""
    from drstui.cli import build_parser

    host, port = args.host, args.port
    warning = exposure_warning(host, port)
    flags = forwarded_flags(args, build_parser())
    command = shlex.join(viewer_command(warning, flags))
    server = ViewerServer(command, host=host, port=port, max_viewers=args.max_viewers,
                          warning=warning, title="drstui (read-only)")
    server.serve()
    return 0
