"""`drstui serve` without a browser: the page, the viewer cap, the origin check, the flags
handed to each viewer, and the read-only viewer app."""

from __future__ import annotations

import asyncio
import gc
import shlex
import socket
import sys

import aiohttp
import pytest
from aiohttp.test_utils import TestClient, TestServer
from textual.widgets import Footer

from drstui.cli import build_parser, resolve_settings
from drstui.serve.server import READ_ONLY_BANNER, ViewerServer, exposure_warning, forwarded_flags
from drstui.serve.viewer import viewer_command
from drstui.ui.viewer_app import ViewerApp
from tests.ui.fakes import ScriptedSource, fixed_clock

# A stand-in for one viewer process: announces itself like a Textual web app, then exits on the
# first byte the server sends it (the "quit" packet when the websocket closes).
FAKE_VIEWER = shlex.join([sys.executable, "-c",
                          "import sys; print('__GANGLION__', flush=True); sys.stdin.buffer.read(1)"])


async def client_for(server: ViewerServer) -> TestClient:
    client = TestClient(TestServer(await server._make_app()))
    await client.start_server()
    return client


@pytest.fixture
async def viewer_server():
    clients: list[TestClient] = []

    async def make(**options) -> tuple[ViewerServer, TestClient]:
        options.setdefault("max_viewers", 1)
        server = ViewerServer(FAKE_VIEWER, host="127.0.0.1", port=0, **options)
        client = await client_for(server)
        clients.append((server, client))
        return server, client

    yield make
    for server, client in clients:
        # Let every viewer process stop and be reaped while the loop still runs.
        await asyncio.wait_for(server.wait_for_viewers(0), 10)
        await client.close()
    gc.collect()


async def test_page_is_read_only_and_loads_nothing_from_elsewhere(viewer_server):
    _, client = await viewer_server()
    response = await client.get("/")
    page = await response.text()
    assert response.status == 200
    assert READ_ONLY_BANNER in page and "exposure-warning" not in page
    base = f"http://{client.host}:{client.port}/"
    links = [part.split('"')[1] for part in page.split('src=')[1:] + page.split('href=')[1:]]
    assert links and all(link.startswith(base) for link in links), links
    assert "googleapis" not in page
    assert f'data-session-websocket-url="ws://{client.host}:{client.port}/ws"' in page


async def test_page_shows_the_exposure_warning(viewer_server):
    warning = exposure_warning("0.0.0.0", 8000)
    _, client = await viewer_server(warning=warning)
    page = await (await client.get("/")).text()
    assert 'id="exposure-warning"' in page and "served on 0.0.0.0:8000" in page


@pytest.mark.parametrize("host, exposed", [
    ("127.0.0.1", False), ("127.0.0.2", False), ("::1", False), ("[::1]", False), ("localhost", False),
    ("0.0.0.0", True), ("::", True), ("192.168.1.5", True), ("war-room.example", True),
])
def test_exposure_warning_only_beyond_loopback(host, exposed):
    assert (exposure_warning(host, 8000) is not None) is exposed


async def test_viewer_cap_refuses_the_page_and_the_websocket(viewer_server):
    server, client = await viewer_server(max_viewers=1)
    first = await client.ws_connect("/ws")
    await first.send_json(["ping", "1"])
    assert (await first.receive_json()) == ["pong", "1"]  # its handler is running
    assert server.viewers == 1
    response = await client.get("/")
    assert response.status == 503 and "Too many viewers" in await response.text()
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws")
    assert refused.value.status == 503
    assert server.viewers == 1
    await first.close()
    await asyncio.wait_for(server.wait_for_viewers(0), 10)  # its process has stopped
    assert (await client.get("/")).status == 200
    second = await client.ws_connect("/ws")
    assert server.viewers == 1
    await second.close()


async def test_websocket_from_another_origin_is_refused(viewer_server):
    server, client = await viewer_server()
    with pytest.raises(aiohttp.WSServerHandshakeError) as refused:
        await client.ws_connect("/ws", headers={"Origin": "http://evil.example"})
    assert refused.value.status == 403 and server.viewers == 0
    same = await client.ws_connect("/ws", headers={"Origin": f"http://{client.host}:{client.port}"})
    assert server.viewers == 1
    await same.close()


def test_viewers_get_the_same_connection_flags_and_no_serve_flags():
    parser = build_parser()
    args = parser.parse_args(["--profile", "prod", "serve", "--refresh", "3", "--no-bell", "--insecure",
                              "--host", "0.0.0.0", "--port", "9000", "--max-viewers", "2"])
    flags = forwarded_flags(args, parser)
    assert flags == ["--profile", "prod", "--insecure", "--refresh", "3", "--no-bell"]
    argv = viewer_command("a warning", flags)
    assert argv[1:5] == ["-m", "drstui.serve.viewer", "--notice", "a warning"]
    assert argv[argv.index("--") + 1:] == flags


def test_viewer_resolves_demo_flags_like_the_tui(tmp_path, monkeypatch):
    (tmp_path / "empty.toml").write_text("", encoding="utf-8")
    monkeypatch.setenv("DRSTUI_CONFIG", str(tmp_path / "empty.toml"))
    parser = build_parser()
    flags = forwarded_flags(parser.parse_args(["serve", "--demo", "--jobs", "5", "--refresh", "2"]), parser)
    settings = resolve_settings(build_parser().parse_args(flags))
    assert settings.demo and settings.jobs == 5 and settings.refresh == 2


# -- the viewer app ---------------------------------------------------------------------------
async def test_viewer_app_has_no_action_keys_and_says_read_only():
    app = ViewerApp(ScriptedSource(), profile_label="prod", clock=fixed_clock, auto_refresh=False,
                    actions=object(), read_only=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert app.read_only and app.actions is None
        footer_keys = {binding.action for (_, binding, enabled, _) in app.active_bindings.values()
                       if enabled}
        assert not footer_keys & {"app.create_comparison", "app.export_report", "app.sms_export"}
        screens = len(app.screen_stack)
        for key in ("c", "e", "s"):
            await pilot.press(key)
            await pilot.pause()
        assert len(app.screen_stack) == screens
        assert not [n for n in app._notifications if "READ-ONLY" in (n.title or "")]
        titles = [command.title for command in app.get_system_commands(app.screen)]
        assert "Refresh now" in titles
        assert not {"Create comparison", "Export comparison report", "Export SMS consistency results"} & set(titles)
        assert app.query_one(Footer) is not None


async def test_viewer_app_shows_the_notice():
    app = ViewerApp(ScriptedSource(), notice="served on 0.0.0.0", profile_label="prod",
                    clock=fixed_clock, auto_refresh=False)
    async with app.run_test(size=(120, 36)) as pilot:
        await pilot.pause()
        assert any("served on 0.0.0.0" in n.message for n in app._notifications)


def test_serve_on_a_busy_port_says_so(tmp_path, capsys):
    from drstui.cli import main

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        status = main(["serve", "--demo", "--port", str(port), "--log-file", str(tmp_path / "drstui.log")])
    assert status == 2
    assert f"cannot listen on 127.0.0.1:{port}" in capsys.readouterr().err


def test_repeated_flags_are_forwarded_one_by_one():
    import argparse

    parser = argparse.ArgumentParser(argument_default=argparse.SUPPRESS)
    parser.add_argument("--profile", action="append")
    parser.add_argument("--port")
    args = parser.parse_args(["--profile", "bj4", "--profile", "sh1", "--port", "9000"])
    assert forwarded_flags(args, parser) == ["--profile", "bj4", "--profile", "sh1"]


async def test_loopback_view_ignores_other_host_names(viewer_server):
    """DNS rebinding: a page at evil.example (made to resolve to 127.0.0.1) gets nothing."""
    server, client = await viewer_server()
    for path in ("/", "/ws"):
        response = await client.get(path, headers={"Host": "evil.example:8000"})
        assert response.status == 421
    assert server.viewers == 0
    assert (await client.get("/", headers={"Host": "localhost:8000"})).status == 200
    assert (await client.get("/", headers={"Host": "[::1]:8000"})).status == 200
