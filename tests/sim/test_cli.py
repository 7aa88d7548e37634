"""``drstui sim`` command line: help, fault parsing errors, start line, serving."""

import io
import threading

import httpx

from drstui.sim.cli import main

from .helpers import PROJECT


def test_help_documents_defaults_and_fault_grammar():
    out = io.StringIO()
    assert main(["--help"], out=out) == 0
    text = out.getvalue()
    for expected in ("--port", "--seed", "--jobs", "--tables", "--fault", "--speed", "DRSSIMACCESSKEY00001",
                     "drs-sim-secret-key", "drs-sim-password", "drs-sim-domain", PROJECT, "cn-north-4",
                     "KIND=VALUE", "5xx=0.3", "429=0.2", "latency=200ms", "timeout=0.1", "malformed=0.1",
                     "token-expiry=60s", "@PATH_GLOB", "drop=0.1"):
        assert expected in text, expected


def test_bad_fault_spec_is_a_usage_error():
    for spec in ("5xx=2", "explode=1", "latency=soon"):
        err = io.StringIO()
        assert main(["--fault", spec], out=io.StringIO(), err=err) == 2
        assert "--fault" in err.getvalue()
    assert main(["--jobs", "0"], out=io.StringIO(), err=io.StringIO()) == 2


def test_start_line_and_serving():
    out = io.StringIO()
    seen: dict = {}

    def on_ready(server):
        def probe_then_stop():
            try:
                seen["status"] = httpx.get(f"{server.url}/v5/{PROJECT}/jobs", timeout=5).status_code
                seen["503"] = httpx.get(f"{server.url}/v3/tasks", timeout=5).status_code
            finally:
                server.shutdown()
        threading.Thread(target=probe_then_stop, daemon=True).start()

    code = main(["--port", "0", "--seed", "3", "--jobs", "5", "--ak", "MYAK", "--sk", "MYSK",
                 "--fault", "5xx=1,status=503@/v3/tasks"], out=out, on_ready=on_ready)
    assert code == 0
    line = out.getvalue().strip()
    assert line.count("\n") == 0
    assert line.startswith("drstui sim: DRS, SMS and IAM on http://127.0.0.1:")
    for expected in ("AK MYAK", "SK MYSK", f"project {PROJECT}", "user drs-sim", "password drs-sim-password",
                     "domain drs-sim-domain", "region cn-north-4"):
        assert expected in line
    assert seen == {"status": 401, "503": 503}


def test_port_in_use_is_reported():
    import socket
    blocker = socket.socket()
    blocker.bind(("127.0.0.1", 0))
    blocker.listen()
    try:
        err = io.StringIO()
        assert main(["--port", str(blocker.getsockname()[1])], out=io.StringIO(), err=err) == 1
        assert "cannot listen" in err.getvalue()
    finally:
        blocker.close()


def test_several_regions_each_on_its_own_port_and_a_config_that_watches_them(tmp_path):
    """`--regions 2`: two worlds (own project, region, port); the printed config file loads
    with drstui's own loader and names both as one view."""
    from drstui.cli import build_parser, resolve_settings

    out = io.StringIO()
    seen: dict = {}

    def on_ready(server):
        def probe_then_stop():
            try:
                text = out.getvalue()
                urls = [line.split(" on ", 1)[1].split(" |", 1)[0] for line in text.splitlines()
                        if line.startswith("drstui sim:")]
                seen["urls"] = urls
                seen["answers"] = [httpx.get(f"{url}/v5/{PROJECT}/jobs", timeout=5).status_code for url in urls]
            finally:
                server.shutdown()
        threading.Thread(target=probe_then_stop, daemon=True).start()

    assert main(["--port", "0", "--regions", "2", "--jobs", "3"], out=out, on_ready=on_ready) == 0
    text = out.getvalue()
    assert len(seen["urls"]) == 2 and seen["urls"][0] != seen["urls"][1]
    assert seen["answers"] == [401, 401]  # both listen (and want a signature)
    assert "region cn-north-4" in text and "region cn-east-3" in text
    config = tmp_path / "config.toml"
    config.write_text(text.split("\n", 2)[2])  # after the two start lines
    config.chmod(0o600)
    settings = resolve_settings(build_parser().parse_args(["--config", str(config), "--view", "sim"]), environ={})
    assert [(s.profile, s.region, s.endpoint) for s in settings.scopes] == [
        ("bj4", "cn-north-4", seen["urls"][0]), ("sh1", "cn-east-3", seen["urls"][1])]


def test_more_regions_than_simulated_is_a_usage_error():
    err = io.StringIO()
    assert main(["--regions", "9", "--port", "0"], out=io.StringIO(), err=err) == 2
    assert "at most 4" in err.getvalue()
