"""drstui.logs: secret registry, pattern redaction, the rotated private log file."""

from __future__ import annotations

import logging
import os
import stat
import warnings

import pytest

from drstui import logs
from drstui.config import load_settings
from drstui.logs import clear_secrets, redact, register_secret, setup_logging, shutdown_logging

SK = "sk-SECRET-9f8e7d6c5b4a"
PASSWORD = 'pa"ss/word&1'


@pytest.fixture(autouse=True)
def _clean():
    clear_secrets()
    yield
    shutdown_logging()
    clear_secrets()


# --- redact ------------------------------------------------------------------------------

def test_registered_secrets_are_masked_in_any_form():
    register_secret(SK)
    register_secret(PASSWORD)
    assert redact(f"signed with {SK}!") == "signed with ***!"
    assert PASSWORD not in redact(f"login {PASSWORD}")
    assert redact('{"pw": "pa\\"ss/word&1"}') == '{"pw": "***"}'  # JSON-escaped
    assert redact("pw=pa%22ss%2Fword%261") == "pw=***"  # URL-quoted


def test_longer_secret_containing_a_shorter_one_is_masked_whole():
    register_secret("abcd")
    register_secret("abcdefgh")
    assert redact("x abcdefgh y abcd") == "x *** y ***"


def test_short_or_empty_values_are_not_registered():
    for value in (None, "", "abc"):
        register_secret(value)
    assert redact("abc and more") == "abc and more"


def test_plain_text_is_unchanged():
    text = "GET /v3/0a1b/jobs 200 in 12 ms (task=abc, Signed=yes)"
    assert redact(text) == text


@pytest.mark.parametrize(
    "text, leaked",
    [
        ("Authorization: SDK-HMAC-SHA256 Access=AK1, SignedHeaders=host, Signature=abc123",
         "Access=AK1"),
        ("{'Authorization': 'SDK-HMAC-SHA256 Access=AK1, Signature=abc', 'X-Sdk-Date': 'x'}",
         "Access=AK1"),
        ("X-Auth-Token: MIIEtokenvalue", "MIIEtokenvalue"),
        ('{"X-Subject-Token": "MIIEsubject"}', "MIIEsubject"),
        ("x-security-token=STStoken123", "STStoken123"),
        ("url?Signature=deadbeef&x=1", "deadbeef"),
        ('{"auth": {"password": "se\\"cret1", "name": "u"}}', "cret1"),
        ("{'password': 'hunter22'}", "hunter22"),
        ("POST /login password=hunter22&user=bob", "hunter22"),
        ('{"sk": "SKVALUE99"}', "SKVALUE99"),
        ("proxy https://bob:hunter22@proxy:8080", "hunter22"),
    ],
)
def test_credential_patterns_are_masked(text, leaked):
    result = redact(text)
    assert leaked not in result
    assert "***" in result


def test_pattern_keeps_the_surrounding_text():
    assert redact("{'Authorization': 'SDK x', 'X-Sdk-Date': '20240101T000000Z'}") == (
        "{'Authorization': '***', 'X-Sdk-Date': '20240101T000000Z'}")
    assert redact('{"password": "p", "name": "u"}') == '{"password": "***", "name": "u"}'


def test_redact_accepts_non_strings():
    register_secret(SK)
    assert redact(ValueError(f"bad {SK}")) == "bad ***"


# --- the log file ------------------------------------------------------------------------

def read_logs(path) -> str:
    for handler in logging.getLogger().handlers:
        handler.flush()
    return path.read_text(encoding="utf-8")


def test_log_records_are_redacted_in_message_args_and_traceback(tmp_path):
    path = tmp_path / "logs" / "drstui.log"
    setup_logging(path)
    register_secret(SK)
    log = logging.getLogger("drstui.api")
    log.info("signing with %s", SK)
    log.warning("headers %r", {"Authorization": "SDK-HMAC-SHA256 Signature=ff00"})
    try:
        raise RuntimeError(f"request failed, sk={SK}")
    except RuntimeError:
        log.exception("boom")
    text = read_logs(path)
    assert SK not in text and "ff00" not in text
    assert "signing with ***" in text and "Traceback" in text and "RuntimeError" in text


def test_settings_loading_registers_secrets_so_logs_are_clean(tmp_path):
    path = tmp_path / "drstui.log"
    setup_logging(path)
    settings = load_settings(environ={"HUAWEICLOUD_SDK_SK": SK, "DRSTUI_PASSWORD": PASSWORD},
                             config_path=None)
    logging.getLogger("drstui").error("settings: sk=%s pw=%s", settings.sk, settings.password)
    text = read_logs(path)
    assert SK not in text and PASSWORD not in text


@pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")
def test_log_file_and_folder_are_private(tmp_path):
    path = tmp_path / "new" / "drstui.log"
    setup_logging(path)
    logging.getLogger("drstui").info("hello")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) & 0o077 == 0


def test_log_file_rotates(tmp_path):
    path = tmp_path / "drstui.log"
    setup_logging(path, max_bytes=2_000, backup_count=2)
    for n in range(200):
        logging.getLogger("drstui").info("line %d %s", n, "x" * 50)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["drstui.log", "drstui.log.1", "drstui.log.2"]
    assert all(p.stat().st_size <= 2_100 for p in tmp_path.iterdir())


def test_nothing_goes_to_the_terminal(tmp_path, capfd):
    setup_logging(tmp_path / "drstui.log")
    logging.getLogger("drstui").error("an error")
    logging.getLogger("somewhere.else").critical("a library shouts")
    warnings.warn("a warning", UserWarning, stacklevel=1)
    out, err = capfd.readouterr()
    assert out == "" and err == ""
    text = read_logs(tmp_path / "drstui.log")
    assert "an error" in text and "a library shouts" in text and "a warning" in text


def test_setup_twice_keeps_one_handler(tmp_path):
    setup_logging(tmp_path / "a.log")
    setup_logging(tmp_path / "b.log")
    ours = [h for h in logging.getLogger().handlers if h.get_name() == logs.HANDLER_NAME]
    assert len(ours) == 1
    shutdown_logging()
    assert not [h for h in logging.getLogger().handlers if h.get_name() == logs.HANDLER_NAME]


def test_unwritable_log_location_raises_oserror_and_stays_silent(tmp_path, capfd):
    blocker = tmp_path / "file"
    blocker.write_text("")
    with pytest.raises(OSError):
        setup_logging(blocker / "sub" / "drstui.log")
    logging.getLogger("drstui").error("nowhere to go")
    assert capfd.readouterr().err == ""


def test_default_log_file_is_under_the_platform_log_dir():
    import platformdirs

    assert logs.default_log_file().parent == logs.Path(platformdirs.user_log_dir("drstui"))


def test_each_record_is_redacted_once_per_step(tmp_path, monkeypatch):
    """The rotating handler formats a record twice (to measure, then to write); the costly
    redaction of the line runs once, and the line written is still redacted."""
    path = tmp_path / "drstui.log"
    calls: list[str] = []
    real = logs.redact

    def counting(text: object) -> str:
        calls.append(str(text))
        return real(text)

    monkeypatch.setattr(logs, "redact", counting)
    setup_logging(path)
    try:
        logging.getLogger("drstui.test").info("login %s", "password=hunter2")
    finally:
        shutdown_logging()
    assert len(calls) == 2  # the message (filter), then the whole line (formatter), once each
    line = path.read_text(encoding="utf-8")
    assert "hunter2" not in line and "login password=***" in line
