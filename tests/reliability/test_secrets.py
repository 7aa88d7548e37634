"""Secrets never leave: run the app and the headless paths with known secrets through faults and
auth failures, then grep every output for them.

Outputs searched: the log file, `str()`/`repr()` of every ApiError, notifications, the screen
(SVG screenshots), Snapshot and transition reprs, Settings repr/describe, crash reports (stderr
line and log). Secrets searched: the SK, the right and a wrong password, every IAM token the
simulator issued, and every `Authorization` / `X-Auth-Token` value (and signature) sent.
The simulator's credentials never pass through the config loader; the API layer's auths register
the SK, passwords and each IAM token with drstui.logs themselves (defence in depth: this test
passed before they did, so outputs do not rely on that masking alone).
"""

from __future__ import annotations

import logging
import os
import re

import pytest

from drstui import cli
from drstui.api.errors import ApiError
from drstui.config import load_settings
from drstui.logs import clear_secrets, setup_logging, shutdown_logging
from drstui.monitor.snapshot import LinkState

from .rig import JOB_LIST_GLOB, ORDERS_SYNC, ReliabilityRig, header_text

WRONG_PASSWORD = "Wr0ng-Pa55word!x"
SIZE = (120, 36)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    for name in list(os.environ):
        if name.startswith(("DRSTUI_", "HUAWEICLOUD_SDK_")):
            monkeypatch.delenv(name)
    config = tmp_path / "config.toml"
    config.write_text("")
    config.chmod(0o600)
    monkeypatch.setenv("DRSTUI_CONFIG", str(config))
    monkeypatch.setenv("DRSTUI_LOG_FILE", str(tmp_path / "cli.log"))
    clear_secrets()
    yield
    shutdown_logging()
    clear_secrets()


def sent_credentials(rig: ReliabilityRig) -> set[str]:
    """Every Authorization / X-Auth-Token value the simulator received, and each signature."""
    values: set[str] = set()
    for received in rig.core.received:
        for name in ("authorization", "x-auth-token"):
            value = received.request.header(name)
            if value:
                values.add(value)
                match = re.search(r"Signature=([0-9a-f]+)", value)
                if match:
                    values.add(match.group(1))
    return values


def leaks(outputs: dict[str, str], secrets: set[str]) -> list[tuple[str, str]]:
    return [(where, secret[:12] + "…") for where, text in outputs.items()
            for secret in secrets if secret and secret in text]


async def collect_errors(rig: ReliabilityRig, errors: list[str]) -> None:
    try:
        await rig.cloud.drs.list_all_jobs()
    except ApiError as error:
        errors.append(str(error))
        errors.append(repr(error))


async def run_app_through_faults(rig: ReliabilityRig, outputs: dict[str, str], tag: str) -> None:
    app = rig.app()
    notes: list[str] = []
    errors: list[str] = []
    original_notify = app.notify

    def notify(message, *args, **kwargs):
        notes.append(f"{kwargs.get('title', '')}: {message}")
        return original_notify(message, *args, **kwargs)

    app.notify = notify  # type: ignore[method-assign]
    screens: list[str] = []
    reprs: list[str] = []
    async with app.run_test(size=SIZE) as pilot:
        async def poll() -> None:
            await app.refresh_now()
            await pilot.pause()
            screens.append(app.export_screenshot())
            reprs.append(repr(app.received))
            reprs.append(repr(rig.monitor.last_transitions))
            reprs.append(header_text(app))

        await poll()
        for spec in ("5xx=1@/v5/*/jobs", "429=1,retry-after=2s@/v5/*/jobs", "malformed=1@/v5/*/jobs",
                     "timeout=1@/v5/*/jobs", "drop=1", f"5xx=1@/v3/*/jobs/{ORDERS_SYNC}/*",
                     "token-expiry=30s", "unknown-enum=1"):
            rig.core.faults.add(spec)
            for _ in range(2):
                rig.advance(rig.monitor.next_delay())
                await poll()
                await collect_errors(rig, errors)
            rig.core.faults.clear()
        rig.transport.refuse_connections = True
        rig.advance(30)
        await poll()
        await collect_errors(rig, errors)
        rig.transport.refuse_connections = False
        rig.advance(30)
        await poll()
        if rig.auth == "aksk":
            rig.host_skew = 20 * 60
            rig.advance(5)
            await poll()
            assert app.received.connection.state == LinkState.AUTH_FAILED
            await collect_errors(rig, errors)
    notes.extend(str(n) for n in getattr(app, "_notifications", []))
    outputs[f"{tag} notifications"] = "\n".join(notes)
    outputs[f"{tag} screenshots"] = "\n".join(screens)
    outputs[f"{tag} snapshot reprs"] = "\n".join(reprs)
    outputs[f"{tag} errors"] = "\n".join(errors)


@pytest.mark.parametrize("auth", ["aksk", "token"])
async def test_no_secret_in_any_output_of_the_app(tmp_path, auth):
    log_file = tmp_path / "drstui.log"
    setup_logging(log_file, level=logging.DEBUG)
    outputs: dict[str, str] = {}
    rig = ReliabilityRig(tmp_path, auth=auth)
    try:
        await run_app_through_faults(rig, outputs, auth)
        secrets = {rig.creds.sk, rig.creds.password, *rig.core.tokens.tokens, *sent_credentials(rig)}
        assert len(secrets) > 3  # tokens / signatures really were sent
        if auth == "token":
            assert len(rig.core.tokens.tokens) >= 2  # renewed at least once under token-expiry
    finally:
        await rig.aclose()

    # A wrong password too: its own error, reason and screen.
    bad = ReliabilityRig(tmp_path / "bad", auth="token", password=WRONG_PASSWORD)
    try:
        app = bad.app()
        async with app.run_test(size=SIZE) as pilot:
            await app.refresh_now()
            await pilot.pause()
            assert app.received.connection.state == LinkState.AUTH_FAILED
            outputs["wrong password screen"] = app.export_screenshot()
            outputs["wrong password snapshot"] = repr(app.received)
        errors: list[str] = []
        await collect_errors(bad, errors)
        outputs["wrong password errors"] = "\n".join(errors)
        assert "login rejected" in errors[0]
        secrets |= {WRONG_PASSWORD, *sent_credentials(bad)}
    finally:
        await bad.aclose()

    shutdown_logging()
    log_text = log_file.read_text()
    outputs["log file"] = log_text
    assert leaks(outputs, secrets) == []
    # The credential headers' names never come with a value either.
    for where, text in outputs.items():
        for match in re.finditer(r"(?i)(authorization|x-auth-token)[\"']?\s*[:=]\s*[\"']?([^\s\"',;]*)", text):
            assert match.group(2) in ("", "***"), (where, match.group(0)[:40])

    # The log records the requests: method, path, status (and the failures' kinds).
    project = rig.creds.project_id
    assert re.search(rf"GET /v5/{project}/jobs -> 200 in \d+ ms", log_text)
    assert re.search(rf"GET /v5/{project}/jobs -> 500 in \d+ ms \(attempt \d\) \[http\]", log_text)
    assert re.search(rf"GET /v5/{project}/jobs -> 429 .*\[throttled\]", log_text)
    assert re.search(rf"GET /v5/{project}/jobs -> None .*\[(timeout|connect)\]", log_text)
    if auth == "token":
        assert "POST /v3/auth/tokens" in log_text or "-> 401" in log_text
    assert rig.requests(JOB_LIST_GLOB)


def test_settings_repr_and_describe_hide_secrets(tmp_path):
    environ = {"HUAWEICLOUD_SDK_AK": "AKIDEXAMPLE0000001", "HUAWEICLOUD_SDK_SK": "sk-VERY-secret-123",
               "DRSTUI_USER": "u", "DRSTUI_PASSWORD": "pw-VERY-secret-456", "DRSTUI_DOMAIN": "d",
               "DRSTUI_REGION": "cn-north-4", "DRSTUI_CONFIG": str(tmp_path / "config.toml")}
    settings = load_settings(environ=environ)
    for text in (repr(settings), str(settings), settings.describe(), str(settings.redacted())):
        assert "sk-VERY-secret-123" not in text and "pw-VERY-secret-456" not in text


async def test_token_from_iam_is_masked_even_bare_in_a_crash_message(tmp_path):
    """Defence in depth: TokenAuth registers each token it receives with the redactor."""
    from drstui.logs import redact

    rig = ReliabilityRig(tmp_path, auth="token")
    try:
        await rig.monitor.refresh()
        token = next(iter(rig.core.tokens.tokens))
        assert token not in redact(f"crashed while holding {token}")
        assert rig.creds.password not in redact(f"password was {rig.creds.password} bare")
    finally:
        await rig.aclose()


def test_crash_report_of_the_real_app_is_redacted(tmp_path, monkeypatch, capsys):
    """`drstui` on a real profile: the app crashes mid-run with credentials in the message."""
    from drstui.ui import app as app_module

    sk, password = "sk-CRASH-secret-777", "pw-CRASH-secret-888"
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", "AKIDEXAMPLE0000001")
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", sk)
    monkeypatch.setenv("DRSTUI_USER", "someone")
    monkeypatch.setenv("DRSTUI_PASSWORD", password)
    monkeypatch.setenv("DRSTUI_DOMAIN", "dom")
    log_file = tmp_path / "crash.log"

    async def crash(self, *args, **kwargs):
        raise RuntimeError(f"boom sk={sk} {password} headers={{'Authorization': 'SDK-HMAC-SHA256 "
                           f"Access=AKIDEXAMPLE0000001, Signature=0123abcd', 'X-Auth-Token': 'MIIbare'}}")

    monkeypatch.setattr(app_module.DrsTuiApp, "run_async", crash)
    status = cli.main(["--region", "cn-north-4", "--log-file", str(log_file)])
    assert status == 1
    out, err = capsys.readouterr()
    shutdown_logging()
    log_text = log_file.read_text()
    assert err.startswith("drstui: internal error: RuntimeError: boom") and err.count("\n") == 1
    assert "Traceback" in log_text
    for text in (out, err, log_text):
        for secret in (sk, password, "0123abcd", "MIIbare"):
            assert secret not in text, (secret, text[-300:])


def test_insecure_warns_on_stderr_and_on_the_apps_header(tmp_path, monkeypatch, capsys):
    """`drstui --demo --insecure` through the real wiring: stderr warning, header flag."""
    from drstui.ui import app as app_module
    from drstui.ui.header import header_text as compose_header

    seen = {}

    async def fake_run(self, *args, **kwargs):
        seen["insecure"] = self.insecure
        seen["header"] = compose_header(self.header_state(), 120).plain
        seen["narrow"] = compose_header(self.header_state(), 80).plain
        return None

    monkeypatch.setattr(app_module.DrsTuiApp, "run_async", fake_run)
    assert cli.main(["--demo", "--insecure", "--log-file", str(tmp_path / "x.log")]) == 0
    err = capsys.readouterr().err
    assert "TLS certificate verification is OFF" in err
    assert seen["insecure"] is True
    assert "TLS VERIFY OFF" in seen["header"]
    assert "TLS" in seen["narrow"] and "OFF" in seen["narrow"]


async def test_insecure_is_on_the_rendered_screen(tmp_path):
    rig = ReliabilityRig(tmp_path)
    app = rig.app(insecure=True)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await app.refresh_now()
            await pilot.pause()
            assert "TLS" in header_text(app) and "OFF" in header_text(app)
            rig.core.faults.add("5xx=1@/v5/*/jobs")  # and it stays there while failing
            rig.advance(5)
            await app.refresh_now()
            await pilot.pause()
            assert "TLS" in header_text(app) and "OFF" in header_text(app)
    finally:
        await rig.aclose()


def test_headless_snapshot_output_has_no_secrets(tmp_path, monkeypatch, capsys):
    from drstui.sim.credentials import SimCredentials

    creds = SimCredentials()
    log_file = tmp_path / "headless.log"
    status = cli.main(["snapshot", "--demo", "--json", "--jobs", "3", "--log-file", str(log_file)])
    assert status in (0, 1)
    out, err = capsys.readouterr()
    shutdown_logging()
    for text in (out, err, log_file.read_text()):
        assert creds.sk not in text and creds.password not in text
        assert "Signature=" not in text or "Signature=***" in text
