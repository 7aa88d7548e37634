"""`drstui serve --demo` in headless Chromium, and the HTML report in the same browser.

The server runs as a real subprocess on a free loopback port (bounded start, always killed).
The viewer's screen is read the way the page gets it: every terminal frame the page receives
over its websocket is fed to a VT emulator (pyte), because xterm.js draws on a canvas, not in
the DOM. Keys are typed into the page, so they travel page → websocket → viewer process.
"""

from __future__ import annotations

import json
import os
import re
import select
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pyte
import pytest

from drstui.monitor.cutover_log import read_records
from drstui.report.html import render_html
from drstui.report.model import build_report
from tests.browser import WAIT_MS

REPO = Path(__file__).parents[2]
DATA = REPO / "tests" / "data" / "report"
START_TIMEOUT = WAIT_MS / 1000
SCREEN_TIMEOUT_MS = WAIT_MS
# What c, e or s would draw (dialog titles, or the read-only refusal toast), squashed.
ACTION_TRACES = ("Createcomparison", "Exportcomparisonreport", "ExportSMSconsistencyresults",
                 "actionsaredisabled", "notallowed")
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[@-Z\\-_])")


GO_NO_GO = re.compile(r"(✔ GO|✘ NO-GO|\? UNKNOWN) +\d+/\d+ ready")

def squash(terminal_output: str) -> str:
    """The text drawn, without escape sequences, spaces, line breaks or box borders, so a
    phrase is found even when a toast wrapped it over two lines."""
    return re.sub(r"[\s\u2500-\u259f]", "", _ESCAPES.sub("", terminal_output))


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Served:
    url: str
    process: subprocess.Popen[str]


def start_serve(tmp_path: Path, *flags: str) -> Served:
    port = free_port()
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("XDG_", "DRSTUI_", "HUAWEICLOUD_"))}
    env.update(HOME=str(home), PYTHONUNBUFFERED="1")  # no user config, state or downloads touched
    process = subprocess.Popen(
        [sys.executable, "-m", "drstui", "serve", "--demo", "--port", str(port),
         "--log-file", str(tmp_path / "drstui.log"), *flags],
        cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + START_TIMEOUT
    seen = ""
    while "read-only view on" not in seen:
        left = deadline - time.monotonic()
        if left <= 0 or process.poll() is not None:
            stop(process)
            pytest.fail(f"drstui serve did not start: {seen!r} {process.stderr.read()!r}")
        ready, _, _ = select.select([process.stdout], [], [], left)
        if ready:
            seen += process.stdout.readline()
    return Served(f"http://127.0.0.1:{port}/", process)


def stop(process: subprocess.Popen[str]) -> None:
    """SIGTERM to the server and its viewer processes (one process group), SIGKILL if needed."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(15)
    try:
        os.killpg(process.pid, signal.SIGKILL)  # any viewer left behind
    except ProcessLookupError:
        pass
    for stream in (process.stdout, process.stderr):
        if stream:
            stream.close()


@pytest.fixture
def served(tmp_path) -> Iterator[Callable[..., Served]]:
    started: list[Served] = []

    def start(*flags: str) -> Served:
        started.append(start_serve(tmp_path, *flags))
        return started[-1]

    yield start
    for one in started:
        stop(one.process)


class TerminalMirror:
    """What the page's terminal shows, rebuilt from the frames its websocket receives."""

    def __init__(self, page) -> None:  # type: ignore[no-untyped-def]
        self.screen = pyte.Screen(80, 24)
        self.stream = pyte.ByteStream(self.screen)
        self.received = bytearray()  # everything, to search for text drawn and gone again
        self.websocket = None
        page.on("websocket", self._attach)

    def _attach(self, websocket) -> None:  # type: ignore[no-untyped-def]
        self.websocket = websocket
        size = parse_qs(urlsplit(websocket.url).query)
        if "width" in size and "height" in size:
            self.screen.resize(int(size["height"][0]), int(size["width"][0]))
        websocket.on("framereceived", self._received)
        websocket.on("framesent", self._sent)

    def _received(self, payload) -> None:  # type: ignore[no-untyped-def]
        if isinstance(payload, bytes):
            self.received += payload
            self.stream.feed(payload)

    def _sent(self, payload) -> None:  # type: ignore[no-untyped-def]
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = json.loads(payload)[1]
            self.screen.resize(size["height"], size["width"])

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    def wait_for(self, condition: Callable[[str], bool], page) -> None:  # type: ignore[no-untyped-def]
        """Until `condition(screen text)` holds, woken by each frame the page receives."""
        if self.websocket is None:
            page.wait_for_event("websocket", timeout=SCREEN_TIMEOUT_MS)
        if condition(self.text):
            return
        self.websocket.wait_for_event("framereceived", predicate=lambda _: condition(self.text),
                                      timeout=SCREEN_TIMEOUT_MS)


def test_serve_demo_shows_the_jobs_read_only(served, page, tmp_path):
    server = served()
    mirror = TerminalMirror(page)
    page.goto(server.url)
    mirror.wait_for(lambda text: "DRS-orders-sync" in text and "Jobs (" in text
                    and GO_NO_GO.search(text) is not None, page)
    screen = mirror.text
    header = screen.splitlines()[0]
    # The go/no-go line sits right under the status line, with its verdict and count.
    assert GO_NO_GO.search(screen.splitlines()[1]), screen.splitlines()[:3]
    assert "READ-ONLY" in header and "demo (simulator)" in header
    for name in ("DRS-orders-sync", "DRS-billing-sync", "DRS-archive-full"):
        assert name in screen
    assert page.locator("#read-only-banner").inner_text().startswith("READ-ONLY view")
    assert page.locator("#exposure-warning").count() == 0
    page.wait_for_function("document.body.classList.contains('-first-byte')")
    assert page.outside_requests == []
    if os.environ.get("DRSTUI_SCREENSHOTS"):
        page.screenshot(path=str(REPO / "screenshots" / "browser-view.png"))


def test_keys_c_e_s_do_nothing_in_the_page(served, page):
    server = served()
    mirror = TerminalMirror(page)
    page.goto(server.url)
    mirror.wait_for(lambda text: "DRS-orders-sync" in text, page)
    page.locator("#terminal").click()  # focus: the footer lists the keys from here on
    mirror.wait_for(lambda text: "Quit" in text.rstrip().splitlines()[-1], page)
    footer = mirror.text.rstrip().splitlines()[-1]
    assert "Refresh" in footer
    for hidden in ("Compare", "Export", "SMS"):
        assert hidden not in footer
    mark = len(mirror.received)
    for key in ("c", "e", "s"):
        page.keyboard.press(key)
    # Keys are handled in order: once the help opened by "?" shows, c, e and s were handled.
    page.keyboard.press("?")
    mirror.wait_for(lambda text: "drstui keys" in text, page)
    drawn = squash(bytes(mirror.received[mark:]).decode("utf-8", "replace"))
    assert "drstuikeys" in drawn  # the check below sees what was drawn
    for trace in ACTION_TRACES:
        assert trace not in drawn, f"{trace!r} was drawn after pressing c/e/s"


def test_exposed_host_is_warned_on_the_page(served, page):
    server = served("--host", "0.0.0.0")
    url = server.url  # still reached over loopback
    assert "WARNING: served on 0.0.0.0" in server.process.stderr.readline()
    page.goto(url)
    assert "anyone who can reach that address" in page.locator("#exposure-warning").inner_text()


def test_viewer_cap_in_the_browser(served, page, browser):
    server = served("--max-viewers", "1")
    mirror = TerminalMirror(page)
    page.goto(server.url)
    mirror.wait_for(lambda text: "DRS-orders-sync" in text, page)
    other = browser.new_page()
    other.set_default_timeout(WAIT_MS)
    other.set_default_navigation_timeout(WAIT_MS)
    try:
        response = other.goto(server.url)
        assert response.status == 503
        assert "Too many viewers" in other.locator("h1").inner_text()
    finally:
        other.close()


def test_html_report_opens_in_the_browser(page, tmp_path):
    document = json.loads((DATA / "snapshot.json").read_text(encoding="utf-8"))
    from datetime import datetime, timezone

    report = build_report(read_records(DATA / "cutover-20250115.jsonl"), document,
                          since=datetime(2025, 1, 15, tzinfo=timezone.utc),
                          until=datetime(2025, 1, 15, 8, 30, tzinfo=timezone.utc),
                          generated_at=datetime(2025, 1, 15, 8, 31, tzinfo=timezone.utc),
                          log_files=["cutover-20250115.jsonl"])
    path = tmp_path / "report.html"
    path.write_text(render_html(report), encoding="utf-8")
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    page.goto(path.as_uri())
    assert page.title() == "Cutover report – demo · cn-north-4 · 054ba152d480d55b2f5dc0069e7ddef0"
    assert page.locator("h1").inner_text() == "Cutover report"
    headings = page.locator("h2").all_inner_texts()
    assert "Go / no-go" in headings and "Timeline of transitions" in headings
    assert "Job DRS-orders-sync" in headings and "Job DRS-gone-job" in headings
    # The hostile job name is text on the page, not an element.
    assert any("<img src=x onerror=alert(1)>" in heading for heading in headings)
    assert page.locator("img").count() == 0 and page.locator("script").count() == 0
    assert page.locator("#summary + dl").inner_text().startswith("Readiness\nNO-GO")
    chart = page.locator("figure.chart svg")
    assert chart.count() == 1 and chart.locator("circle").count() == 4
    assert chart.bounding_box()["width"] > 600
    body = page.locator("body").inner_text()
    assert "/srv/cutover/reports/DRS-orders-sync-lines-08cad1f8.xlsx" in body
    assert "orders.order_items" in body
    assert dialogs == [] and page.outside_requests == []
    if os.environ.get("DRSTUI_SCREENSHOTS"):
        page.set_viewport_size({"width": 1100, "height": 1400})
        page.screenshot(path=str(REPO / "screenshots" / "report.png"))
