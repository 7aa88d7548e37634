"""The simulator over real HTTP on loopback: a stdlib ``ThreadingHTTPServer`` around one core.

Faults: latency → real sleep; hang → hold the connection ``hang_seconds`` then close it without an
answer; drop / refuse → close the socket without an answer. The core has its own lock, so the
server threads never run two requests through it at once.
"""

from __future__ import annotations

import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from .core import SimCore
from .messages import SimRequest


class _SimHandler(BaseHTTPRequestHandler):
    server: "SimHTTPServer"
    protocol_version = "HTTP/1.1"

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        raw_path, _, raw_query = self.path.partition("?")
        # http.server decodes header bytes as latin-1; undo that so UTF-8 values verify.
        headers = [(k, v.encode("latin-1", errors="replace").decode("utf-8", errors="replace"))
                   for k, v in self.headers.items()]
        answer = self.server.core.handle(SimRequest(self.command, raw_path, raw_query, headers, body))
        if answer.delay_seconds:
            time.sleep(answer.delay_seconds)
        if answer.fault == "hang":
            self.server.hang(answer.hang_seconds)
        if answer.fault in ("hang", "drop", "refuse"):
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            return
        # send_response() would add a Date of the real clock; the core's Date follows the
        # simulator's clock (what signatures are checked against).
        self.log_request(answer.status)
        self.send_response_only(answer.status)
        self.send_header("Server", self.version_string())
        if not any(name.lower() == "date" for name in answer.headers):
            self.send_header("Date", self.date_time_string())
        for name, value in answer.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer.body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _serve

    def log_message(self, format: str, *args) -> None:  # noqa: A002 - stdlib signature
        if self.server.verbose:
            super().log_message(format, *args)


class SimHTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    # listen() backlog. socketserver's default of 5 drops the SYNs of a client that opens many
    # connections at once (the monitor opens up to 100), and each dropped SYN costs a 1 s
    # retransmit: a 50-job refresh at 50 ms latency took 1.7 s instead of ~0.4 s.
    request_queue_size = 256

    def __init__(self, core: SimCore, host: str = "127.0.0.1", port: int = 0, verbose: bool = False) -> None:
        self.core = core
        self.verbose = verbose
        self._closing = threading.Event()
        super().__init__((host, port), _SimHandler)

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def hang(self, seconds: float) -> None:
        # Waits on an event rather than sleeping, so close() does not wait for hung requests.
        self._closing.wait(seconds)

    def close(self) -> None:
        self._closing.set()
        self.shutdown()
        self.server_close()


def serve_in_thread(core: SimCore, host: str = "127.0.0.1", port: int = 0) -> SimHTTPServer:
    """Start a server on ``host:port`` (0 = any free port) in a daemon thread; ``close()`` stops it."""
    server = SimHTTPServer(core, host, port)
    thread = threading.Thread(target=server.serve_forever, name="drstui-sim-server", daemon=True)
    thread.start()
    return server
